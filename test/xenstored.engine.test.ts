// xenstored's engine without the wire: tree, permissions, paths, quotas, transactions, watches.
import { describe, expect, it } from 'vitest';
import { Xenstored, type Connection, type XenstoredOptions } from '../xenstored/xenstored_core.js';
import { is_child } from '../xenstored/xenstored_watch.js';
import { XS } from '../xenstored/xs_wire.js';

interface Client {
  c: Connection;
  events: [string, string][];
  /** A request; the reply as text (nuls shown as '|'), errors as 'E:<name>'. */
  r(type: number, ...args: (string | Buffer)[]): string;
  rt(tx: number, type: number, ...args: (string | Buffer)[]): string;
}

function store(opts: XenstoredOptions = {}): { xsd: Xenstored; client(domid?: number): Client } {
  const xsd = new Xenstored(opts);
  return {
    xsd,
    client(domid = 0) {
      const events: [string, string][] = [];
      const c = xsd.open(domid, (p, t) => events.push([p, t]))!;
      const rt = (tx: number, type: number, ...args: (string | Buffer)[]): string => {
        // Strings are nul-terminated arguments; a Buffer is raw (a written value).
        const payload = Buffer.concat(args.map((a) => (typeof a === 'string' ? Buffer.from(`${a}\0`, 'latin1') : a)));
        const reply = xsd.request(c, type, tx, payload);
        const text = reply.payload.toString('latin1').replaceAll('\0', '|');
        return reply.type === XS.ERROR ? `E:${text.replace(/\|$/, '')}` : text;
      };
      return { c, events, rt, r: (type, ...args) => rt(0, type, ...args) };
    },
  };
}

const v = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('boot skeleton (setup_structure + xen-init-dom0)', () => {
  it('has what a dom0 host has after boot', () => {
    const d0 = store().client(0);
    expect(d0.r(XS.READ, '/local/domain/0/name')).toBe('Domain-0');
    expect(d0.r(XS.READ, '/local/domain/0/domid')).toBe('0');
    expect(d0.r(XS.READ, '/local/pool/0/name')).toBe('Pool-0');
    expect(d0.r(XS.DIRECTORY, '/')).toBe('tool|local|');
    expect(d0.r(XS.DIRECTORY, '/tool')).toBe('xenstored|');
    expect(d0.r(XS.DIRECTORY, '/local')).toBe('domain|pool|');
    expect(d0.r(XS.GET_PERMS, '/local/domain/0/name')).toBe('n0|');
    expect(d0.r(XS.GET_PERMS, '@releaseDomain')).toBe('n0|r32757|');
    expect(d0.r(XS.GET_PERMS, '@introduceDomain')).toBe('n0|');
    expect(d0.r(XS.READ, '/vm')).toBe('E:ENOENT');
  });
});

describe('tree operations', () => {
  it('write creates missing parents, which inherit their parent perms', () => {
    const d0 = store().client(0);
    expect(d0.r(XS.SET_PERMS, '/local', 'n0', 'r7')).toBe('OK|');
    expect(d0.r(XS.WRITE, '/local/a/b/c', v('val'))).toBe('OK|');
    expect(d0.r(XS.READ, '/local/a/b/c')).toBe('val');
    expect(d0.r(XS.READ, '/local/a/b')).toBe('');
    expect(d0.r(XS.GET_PERMS, '/local/a')).toBe('n0|r7|');
    expect(d0.r(XS.GET_PERMS, '/local/a/b/c')).toBe('n0|r7|');
    expect(d0.r(XS.DIRECTORY, '/local/a')).toBe('b|');
  });

  it('values are bytes, including nuls', () => {
    const d0 = store().client(0);
    expect(d0.r(XS.WRITE, '/x', Buffer.from([1, 0, 2]))).toBe('OK|');
    expect(d0.r(XS.READ, '/x')).toBe('\x01|\x02');
  });

  it('mkdir of an existing node is fine; rm of a missing node is fine when its parent exists', () => {
    const d0 = store().client(0);
    expect(d0.r(XS.WRITE, '/m', v('keep'))).toBe('OK|');
    expect(d0.r(XS.MKDIR, '/m')).toBe('OK|');
    expect(d0.r(XS.READ, '/m')).toBe('keep');
    expect(d0.r(XS.RM, '/m/nothing')).toBe('OK|');
    expect(d0.r(XS.RM, '/nothing/nothing')).toBe('E:ENOENT');
    expect(d0.r(XS.RM, '/')).toBe('E:EINVAL');
  });

  it('rm removes the whole subtree and its accounting', () => {
    const s = store();
    const d0 = s.client(0);
    const before = s.xsd.nr_nodes;
    const nodes0 = s.xsd.domains.find(0)!.acc.nodes;
    d0.r(XS.WRITE, '/r/a/b', v('1'));
    d0.r(XS.WRITE, '/r/a/c', v('2'));
    d0.r(XS.WRITE, '/r/d', v('3'));
    expect(s.xsd.nr_nodes).toBe(before + 5);
    expect(s.xsd.domains.find(0)!.acc.nodes).toBe(nodes0 + 5);
    expect(d0.r(XS.RM, '/r')).toBe('OK|');
    expect(s.xsd.nr_nodes).toBe(before);
    expect(s.xsd.domains.find(0)!.acc.nodes).toBe(nodes0);
    expect(d0.r(XS.READ, '/r/a/b')).toBe('E:ENOENT');
    expect(d0.r(XS.DIRECTORY, '/')).toBe('tool|local|');
  });

  it('get_domain_path, and request types that are unknown or not emulated', () => {
    const d0 = store().client(0);
    expect(d0.r(XS.GET_DOMAIN_PATH, '7')).toBe('/local/domain/7|');
    expect(d0.r(XS.GET_DOMAIN_PATH, '65536')).toBe('E:EINVAL');
    expect(d0.r(XS.GET_DOMAIN_PATH, '7x')).toBe('E:EINVAL');
    expect(d0.r(999, 'x')).toBe('E:ENOSYS');
    expect(d0.r(XS.WATCH_EVENT, '/a', 't')).toBe('E:ENOSYS');
    expect(d0.r(XS.ERROR, 'EINVAL')).toBe('E:ENOSYS');
    expect(d0.r(XS.DIRECTORY_PART, '/', '0')).toBe('E:ENOSYS');
    expect(d0.r(XS.READ, '/local', 'extra')).toBe('E:EINVAL');
  });
});

describe('paths', () => {
  it('rejects what canonicalize rejects', () => {
    const d0 = store().client(0);
    for (const bad of ['/a//b', '/a/', '/a b', '/a.b', '', '@x']) expect(d0.r(XS.WRITE, bad, v('1'))).toBe('E:EINVAL');
    expect(d0.r(XS.WRITE, '/a@b-c_D9', v('1'))).toBe('OK|');
  });

  it('relative paths are below /local/domain/<caller>', () => {
    const s = store();
    const d0 = s.client(0);
    expect(d0.r(XS.WRITE, 'rel/x', v('1'))).toBe('OK|');
    expect(d0.r(XS.READ, '/local/domain/0/rel/x')).toBe('1');
    d0.r(XS.MKDIR, '/local/domain/5');
    d0.r(XS.SET_PERMS, '/local/domain/5', 'n5');
    const d5 = s.client(5);
    expect(d5.r(XS.WRITE, 'data/y', v('2'))).toBe('OK|');
    expect(d0.r(XS.READ, '/local/domain/5/data/y')).toBe('2');
    expect(d5.r(XS.READ, 'data/y')).toBe('2');
  });

  it('bounds an unprivileged path below its domain path at path-max (2048); dom0 is exempt', () => {
    const s = store();
    const d0 = s.client(0);
    d0.r(XS.MKDIR, '/local/domain/5');
    d0.r(XS.SET_PERMS, '/local/domain/5', 'n5');
    const d5 = s.client(5);
    // Components of 99 characters: a long child name would break node-size of its parent first.
    const long = (n: number): string => {
      let p = '';
      while (p.length + 100 < n) p += `${'b'.repeat(99)}/`;
      return p + 'c'.repeat(n - p.length);
    };
    expect(d5.r(XS.WRITE, long(2047), v('1'))).toBe('OK|');
    expect(d5.r(XS.WRITE, long(2048), v('1'))).toBe('E:EINVAL');
    expect(d0.r(XS.WRITE, `/local/domain/5/${long(2048)}`, v('1'))).toBe('OK|');
    // Any /local/domain/%5u/ prefix is left out of the count, a signed one too; six digits are not a prefix.
    expect(d5.r(XS.WRITE, `/local/domain/-1/${long(2047)}`, v('1'))).toBe('E:EACCES');
    expect(d5.r(XS.WRITE, `/local/domain/77777/${long(2047)}`, v('1'))).toBe('E:EACCES');
    expect(d5.r(XS.WRITE, `/local/domain/777777/${long(2047)}`, v('1'))).toBe('E:EINVAL');
  });
});

describe('permissions', () => {
  function guest(): { s: ReturnType<typeof store>; d0: Client; d5: Client } {
    const s = store();
    const d0 = s.client(0);
    d0.r(XS.MKDIR, '/local/domain/5');
    d0.r(XS.SET_PERMS, '/local/domain/5', 'n5', 'r0');
    return { s, d0, d5: s.client(5) };
  }

  it('an unprivileged domain is denied dom0 nodes, and learns nothing of what is missing', () => {
    const { d5 } = guest();
    expect(d5.r(XS.READ, '/local/domain/0/name')).toBe('E:EACCES');
    expect(d5.r(XS.WRITE, '/local/domain/0/name', v('x'))).toBe('E:EACCES');
    expect(d5.r(XS.READ, '/local/domain/0/missing')).toBe('E:EACCES');
    expect(d5.r(XS.WRITE, '/tool/new', v('x'))).toBe('E:EACCES');
    expect(d5.r(XS.RM, '/local/domain/0')).toBe('E:EACCES');
    expect(d5.r(XS.DIRECTORY, '/')).toBe('E:EACCES');
    expect(d5.r(XS.GET_PERMS, '/local/domain/0/name')).toBe('E:EACCES');
    expect(d5.r(XS.READ, 'missing')).toBe('E:ENOENT');
  });

  it('what it creates it owns; per-domain entries grant read or write', () => {
    const { d0, d5 } = guest();
    expect(d5.r(XS.WRITE, 'a/b', v('1'))).toBe('OK|');
    expect(d0.r(XS.GET_PERMS, '/local/domain/5/a/b')).toBe('n5|r0|');
    d0.r(XS.WRITE, '/shared', v('s'));
    expect(d5.r(XS.READ, '/shared')).toBe('E:EACCES');
    expect(d0.r(XS.SET_PERMS, '/shared', 'n0', 'r5')).toBe('OK|');
    expect(d5.r(XS.READ, '/shared')).toBe('s');
    expect(d5.r(XS.WRITE, '/shared', v('t'))).toBe('E:EACCES');
    expect(d0.r(XS.SET_PERMS, '/shared', 'n0', 'b5')).toBe('OK|');
    expect(d5.r(XS.WRITE, '/shared', v('t'))).toBe('OK|');
    expect(d0.r(XS.SET_PERMS, '/shared', 'r0')).toBe('OK|');
    // The first entry is everyone else's access.
    expect(s2(d0)).toBe('r0|');
    expect(d5.r(XS.READ, '/shared')).toBe('t');
  });

  function s2(d0: Client): string {
    return d0.r(XS.GET_PERMS, '/shared');
  }

  it('only the owner or dom0 sets perms, and an unprivileged owner cannot give a node away', () => {
    const { d0, d5 } = guest();
    d0.r(XS.WRITE, '/local/domain/5/granted', v('g'));
    d0.r(XS.SET_PERMS, '/local/domain/5/granted', 'n0', 'b5');
    expect(d5.r(XS.SET_PERMS, 'granted', 'n5')).toBe('E:EACCES');
    d5.r(XS.WRITE, 'mine', v('m'));
    expect(d5.r(XS.SET_PERMS, 'mine', 'n6')).toBe('E:EPERM');
    expect(d5.r(XS.SET_PERMS, 'mine', 'n5', 'r6')).toBe('OK|');
    expect(d0.r(XS.SET_PERMS, '/local/domain/5/mine', 'x5')).toBe('E:EINVAL');
    expect(d0.r(XS.SET_PERMS, '/local/domain/5/mine', 'r5z')).toBe('E:EINVAL');
    expect(d0.r(XS.SET_PERMS, '/local/domain/5/mine')).toBe('E:EINVAL');
    expect(d0.r(XS.SET_PERMS, '/local/domain/5/mine', 'n0x10')).toBe('OK|');
    expect(d0.r(XS.GET_PERMS, '/local/domain/5/mine')).toBe('n16|');
  });

  it('privileged requests are dom0 only', () => {
    const { d5 } = guest();
    expect(d5.r(XS.INTRODUCE, '6', '0', '1')).toBe('E:EACCES');
    expect(d5.r(XS.RELEASE, '6')).toBe('E:EACCES');
    expect(d5.r(XS.IS_DOMAIN_INTRODUCED, '6')).toBe('E:EACCES');
  });
});

describe('quotas (cxenstored defaults, dom0 exempt)', () => {
  function guest(opts: XenstoredOptions = {}): { d0: Client; d5: Client; s: ReturnType<typeof store> } {
    const s = store(opts);
    const d0 = s.client(0);
    d0.r(XS.MKDIR, '/local/domain/5');
    d0.r(XS.SET_PERMS, '/local/domain/5', 'n5');
    return { s, d0, d5: s.client(5) };
  }

  it('nodes per domain: reaching the quota is ENOSPC', () => {
    const { d0, d5, s } = guest({ quotas: { nodes: 4 } });
    // The domain owns its home (set_perms made it owner): 1 node.
    expect(s.xsd.domains.find(5)!.acc.nodes).toBe(1);
    expect(d5.r(XS.WRITE, 'a', v('1'))).toBe('OK|');
    expect(d5.r(XS.WRITE, 'b', v('1'))).toBe('OK|');
    expect(d5.r(XS.WRITE, 'c', v('1'))).toBe('E:ENOSPC');
    expect(d5.r(XS.WRITE, 'x/y', v('1'))).toBe('E:ENOSPC');
    expect(d0.r(XS.DIRECTORY, '/local/domain/5')).toBe('a|b|');
    expect(d5.r(XS.RM, 'a')).toBe('OK|');
    expect(d5.r(XS.WRITE, 'c', v('1'))).toBe('OK|');
    for (let i = 0; i < 10; i++) expect(d0.r(XS.WRITE, `/many/${i}`, v('1'))).toBe('OK|');
  });

  it('nodes per domain: checked against the committed count, as acc_commit / acc_fix_domains account', () => {
    const { d0, d5, s } = guest({ quotas: { nodes: 4 } });
    expect(d5.r(XS.WRITE, 'a', v('1'))).toBe('OK|');
    // 2 owned: each of the three new nodes is checked as 2 + 1 < 4, so the request passes the quota.
    expect(d5.r(XS.WRITE, 'x/y/z', v('1'))).toBe('OK|');
    expect(s.xsd.domains.find(5)!.acc.nodes).toBe(5);
    expect(d5.r(XS.WRITE, 'b', v('1'))).toBe('E:ENOSPC');
    // In a transaction the writes pass and the end answers ENOSPC, leaving the store unchanged.
    d0.r(XS.RM, '/local/domain/5/x');
    expect(s.xsd.domains.find(5)!.acc.nodes).toBe(2);
    const tx = Number(d5.r(XS.TRANSACTION_START, '').replace('|', ''));
    expect(d5.rt(tx, XS.WRITE, 'p', v('1'))).toBe('OK|');
    expect(d5.rt(tx, XS.WRITE, 'q', v('1'))).toBe('OK|');
    expect(d5.rt(tx, XS.TRANSACTION_END, 'T')).toBe('E:ENOSPC');
    expect(d0.r(XS.DIRECTORY, '/local/domain/5')).toBe('a|');
    expect(s.xsd.domains.find(5)!.acc.nodes).toBe(2);
  });

  it('node size (2048 bytes with header, perms and child names) is ENOSPC', () => {
    const { d0, d5 } = guest();
    // 16 header + 8 for one perm + data.
    expect(d5.r(XS.WRITE, 'v', Buffer.alloc(2048 - 24 - 1, 0x61))).toBe('OK|');
    expect(d5.r(XS.WRITE, 'v', Buffer.alloc(2048 - 24, 0x61))).toBe('E:ENOSPC');
    expect(d5.r(XS.READ, 'v').length).toBe(2023);
    expect(d0.r(XS.WRITE, '/big', Buffer.alloc(4000, 0x61))).toBe('OK|');
  });

  it('watches per domain and duplicate watches', () => {
    const { d5 } = guest({ quotas: { watches: 3 } });
    expect(d5.r(XS.WATCH, 'a', 't1')).toBe('OK|');
    expect(d5.r(XS.WATCH, 'a', 't1')).toBe('E:EEXIST');
    expect(d5.r(XS.WATCH, 'a', 't2')).toBe('OK|');
    expect(d5.r(XS.WATCH, 'a', 't3')).toBe('E:ENOSPC');
    expect(d5.r(XS.UNWATCH, 'a', 't1')).toBe('OK|');
    expect(d5.r(XS.WATCH, 'a', 't3')).toBe('OK|');
    expect(d5.r(XS.UNWATCH, 'a', 'nope')).toBe('E:ENOENT');
  });

  it('transactions per domain', () => {
    const { d0, d5 } = guest({ quotas: { transactions: 3 } });
    expect(d5.r(XS.TRANSACTION_START)).toBe('1|');
    expect(d5.r(XS.TRANSACTION_START)).toBe('2|');
    expect(d5.r(XS.TRANSACTION_START)).toBe('E:ENOSPC');
    expect(d5.rt(1, XS.TRANSACTION_END, 'F')).toBe('OK|');
    expect(d5.r(XS.TRANSACTION_START)).toBe('3|');
    for (let i = 0; i < 5; i++) expect(d0.r(XS.TRANSACTION_START)).toBe(`${i + 1}|`);
  });

  it('permissions per node', () => {
    const { d5 } = guest();
    d5.r(XS.WRITE, 'p', v('1'));
    expect(d5.r(XS.SET_PERMS, 'p', 'n5', 'r1', 'r2', 'r3')).toBe('OK|');
    expect(d5.r(XS.SET_PERMS, 'p', 'n5', 'r1', 'r2', 'r3', 'r4')).toBe('E:ENOSPC');
  });

  it('a reply over XENSTORE_PAYLOAD_MAX is E2BIG', () => {
    const d0 = store().client(0);
    for (let i = 0; i < 100; i++) d0.r(XS.WRITE, `/dir/${'k'.repeat(40)}${i}`, v('1'));
    expect(d0.r(XS.DIRECTORY, '/dir')).toBe('E:E2BIG');
  });
});

describe('transactions', () => {
  it('a commit after another writer changed a node it read answers EAGAIN and publishes nothing', () => {
    const s = store();
    const a = s.client(0);
    const b = s.client(0);
    a.r(XS.WRITE, '/t/x', v('1'));
    const t = Number(a.r(XS.TRANSACTION_START).replace('|', ''));
    expect(a.rt(t, XS.READ, '/t/x')).toBe('1');
    expect(a.rt(t, XS.WRITE, '/t/y', v('2'))).toBe('OK|');
    expect(b.r(XS.WRITE, '/t/x', v('changed'))).toBe('OK|');
    expect(a.rt(t, XS.TRANSACTION_END, 'T')).toBe('E:EAGAIN');
    expect(a.r(XS.READ, '/t/y')).toBe('E:ENOENT');
    expect(a.rt(t, XS.READ, '/t/x')).toBe('E:ENOENT'); // the transaction is gone
  });

  it('without a conflict the writes appear at the end, not before', () => {
    const s = store();
    const a = s.client(0);
    const b = s.client(0);
    a.r(XS.WRITE, '/t/x', v('1'));
    b.r(XS.WRITE, '/other', v('o'));
    const t = 1;
    expect(a.r(XS.TRANSACTION_START)).toBe('1|');
    expect(a.rt(t, XS.WRITE, '/t/x', v('2'))).toBe('OK|');
    expect(a.rt(t, XS.READ, '/t/x')).toBe('2');
    expect(b.r(XS.READ, '/t/x')).toBe('1');
    expect(b.r(XS.WRITE, '/other', v('p'))).toBe('OK|');
    expect(a.rt(t, XS.RM, '/t/x')).toBe('OK|');
    expect(a.rt(t, XS.READ, '/t/x')).toBe('E:ENOENT');
    expect(a.rt(t, XS.WRITE, '/t/z', v('3'))).toBe('OK|');
    expect(a.rt(t, XS.TRANSACTION_END, 'T')).toBe('OK|');
    expect(b.r(XS.READ, '/t/x')).toBe('E:ENOENT');
    expect(b.r(XS.READ, '/t/z')).toBe('3');
  });

  it('abort discards; bad ids and arguments', () => {
    const a = store().client(0);
    a.r(XS.TRANSACTION_START);
    expect(a.rt(1, XS.WRITE, '/gone', v('1'))).toBe('OK|');
    expect(a.rt(1, XS.TRANSACTION_END, 'X')).toBe('E:EINVAL');
    expect(a.rt(1, XS.TRANSACTION_START)).toBe('E:EBUSY');
    expect(a.rt(1, XS.TRANSACTION_END, 'F')).toBe('OK|');
    expect(a.r(XS.READ, '/gone')).toBe('E:ENOENT');
    expect(a.rt(1, XS.READ, '/')).toBe('E:ENOENT');
    expect(a.r(XS.TRANSACTION_END, 'T')).toBe('E:ENOENT');
  });

  it('transaction-nodes bounds an unprivileged transaction; the end then answers ENOMEM', () => {
    const s = store({ quotas: { transaction_nodes: 4 } });
    const d0 = s.client(0);
    d0.r(XS.MKDIR, '/local/domain/5');
    d0.r(XS.SET_PERMS, '/local/domain/5', 'n5');
    const d5 = s.client(5);
    d5.r(XS.TRANSACTION_START);
    expect(d5.rt(1, XS.WRITE, 'a', v('1'))).toBe('OK|');
    expect(d5.rt(1, XS.WRITE, 'b', v('1'))).toBe('OK|');
    expect(d5.rt(1, XS.WRITE, 'c', v('1'))).toBe('E:ENOSPC');
    expect(d5.rt(1, XS.TRANSACTION_END, 'T')).toBe('E:ENOMEM');
    expect(d5.r(XS.READ, 'a')).toBe('E:ENOENT');
  });

  it('closing a connection drops its transactions', () => {
    const s = store({ quotas: { transactions: 2 } });
    const d0 = s.client(0);
    d0.r(XS.MKDIR, '/local/domain/5');
    d0.r(XS.SET_PERMS, '/local/domain/5', 'n5');
    const d5 = s.client(5);
    d5.r(XS.TRANSACTION_START);
    expect(s.xsd.domains.find(5)!.acc.transactions).toBe(1);
    s.xsd.close(d5.c);
    expect(s.xsd.domains.find(5)!.acc.transactions).toBe(0);
  });
});

describe('watches', () => {
  it('is_child', () => {
    expect(is_child('/a/b', '/a', -1)).toBe(true);
    expect(is_child('/a', '/a', -1)).toBe(true);
    expect(is_child('/ab', '/a', -1)).toBe(false);
    expect(is_child('/a', '/', -1)).toBe(true);
    expect(is_child('/a/b/c', '/a', 1)).toBe(false);
    expect(is_child('/a/b', '/a', 1)).toBe(true);
  });

  it('fires once at registration, then for the node and anything below it', () => {
    const s = store();
    const d0 = s.client(0);
    const w = s.client(0);
    expect(w.r(XS.WATCH, '/w', 'tok')).toBe('OK|');
    expect(w.events).toEqual([['/w', 'tok']]);
    d0.r(XS.WRITE, '/w/a/b', v('1'));
    d0.r(XS.WRITE, '/wx', v('1'));
    d0.r(XS.WRITE, '/w', v('2'));
    d0.r(XS.MKDIR, '/w'); // exists: no event
    expect(w.events.slice(1)).toEqual([['/w/a/b', 'tok'], ['/w', 'tok']]);
    w.events.length = 0;
    // Descendants fire exact-path watches only; the removed node fires its ancestors' watches.
    d0.r(XS.RM, '/w/a');
    expect(w.events).toEqual([['/w/a', 'tok']]);
    w.events.length = 0;
    d0.r(XS.SET_PERMS, '/w', 'n0', 'r3');
    expect(w.events).toEqual([['/w', 'tok']]);
    expect(w.r(XS.UNWATCH, '/w', 'tok')).toBe('OK|');
    d0.r(XS.WRITE, '/w', v('3'));
    expect(w.events).toEqual([['/w', 'tok']]);
  });

  it('a watch below a removed node fires; a relative watch reports a relative path', () => {
    const s = store();
    const d0 = s.client(0);
    d0.r(XS.WRITE, '/local/domain/0/dev/x/state', v('1'));
    const w = s.client(0);
    w.r(XS.WATCH, 'dev/x/state', 'rel');
    w.events.length = 0;
    d0.r(XS.RM, '/local/domain/0/dev');
    expect(w.events).toEqual([['dev/x/state', 'rel']]);
  });

  it('inside a transaction events wait for the commit, and an abort fires nothing', () => {
    const s = store();
    const a = s.client(0);
    const w = s.client(0);
    w.r(XS.WATCH, '/t', 'tok');
    w.events.length = 0;
    a.r(XS.TRANSACTION_START);
    a.rt(1, XS.WRITE, '/t/a', v('1'));
    expect(w.events).toEqual([]);
    a.rt(1, XS.TRANSACTION_END, 'T');
    expect(w.events).toEqual([['/t/a', 'tok']]);
    a.r(XS.TRANSACTION_START);
    a.rt(2, XS.WRITE, '/t/b', v('1'));
    a.rt(2, XS.TRANSACTION_END, 'F');
    expect(w.events).toEqual([['/t/a', 'tok']]);
  });

  it('an unprivileged watcher hears only of nodes it may read (or whose parent it may)', () => {
    const s = store();
    const d0 = s.client(0);
    const d5 = s.client(5);
    d5.r(XS.WATCH, '/', 'all');
    d5.events.length = 0;
    d0.r(XS.WRITE, '/secret/x', v('1'));
    expect(d5.events).toEqual([]);
    d0.r(XS.WRITE, '/open', v('1'));
    d0.r(XS.SET_PERMS, '/open', 'r0');
    d0.r(XS.WRITE, '/open', v('2'));
    expect(d5.events).toEqual([['/open', 'all'], ['/open', 'all']]);
  });

  it('@introduceDomain and @releaseDomain, with XS_INTRODUCE / XS_RELEASE / XS_IS_DOMAIN_INTRODUCED', () => {
    const s = store();
    const d0 = s.client(0);
    const w = s.client(0);
    w.r(XS.WATCH, '@introduceDomain', 'intro');
    w.r(XS.WATCH, '@releaseDomain', 'rel');
    w.r(XS.WATCH, '@releaseDomain/7', 'rel7');
    w.r(XS.WATCH, '/@releaseDomain', 'not-special');
    w.events.length = 0;
    expect(d0.r(XS.IS_DOMAIN_INTRODUCED, '7')).toBe('F|');
    expect(d0.r(XS.INTRODUCE, '7', '1234', '0')).toBe('E:EINVAL');
    expect(d0.r(XS.INTRODUCE, '7', '1234', '3')).toBe('OK|');
    expect(d0.r(XS.IS_DOMAIN_INTRODUCED, '7')).toBe('T|');
    expect(d0.r(XS.IS_DOMAIN_INTRODUCED, '0')).toBe('T|');
    expect(d0.r(XS.INTRODUCE, '7', '1234', '4')).toBe('OK|'); // again: no event
    expect(w.events).toEqual([['@introduceDomain', 'intro']]);
    w.events.length = 0;
    expect(d0.r(XS.RELEASE, '8')).toBe('E:ENOENT');
    expect(d0.r(XS.RELEASE, '0')).toBe('E:EINVAL');
    expect(d0.r(XS.RELEASE, '7')).toBe('OK|');
    expect(w.events).toEqual([['@releaseDomain', 'rel'], ['@releaseDomain/7', 'rel7']]);
    expect(d0.r(XS.IS_DOMAIN_INTRODUCED, '7')).toBe('F|');
    expect(d0.r(XS.WATCH, '@bad path', 't')).toBe('E:EINVAL');
  });

  it('release drops the released domain connections\' watches', () => {
    const s = store();
    const d0 = s.client(0);
    d0.r(XS.INTRODUCE, '5', '1', '1');
    const d5 = s.client(5);
    d5.r(XS.WATCH, '@releaseDomain', 'r');
    expect(s.xsd.domains.find(5)!.acc.watches).toBe(1);
    d0.r(XS.RELEASE, '5');
    expect(s.xsd.domains.find(5)!.acc.watches).toBe(0);
    expect(d5.events).toEqual([['@releaseDomain', 'r']]);
  });

  it('release removes the domain from the tree (domain_tree_remove): its nodes go, its perm entries go', () => {
    const s = store();
    const d0 = s.client(0);
    d0.r(XS.INTRODUCE, '7', '1', '1');
    d0.r(XS.WRITE, '/tool/shared', v('x'));
    d0.r(XS.SET_PERMS, '/tool/shared', 'n0', 'r7', 'b8');
    d0.r(XS.WRITE, '/tool/owned/child', v('y'));
    d0.r(XS.SET_PERMS, '/tool/owned', 'w7');
    d0.r(XS.WATCH, '/tool/owned/child', 'c');
    d0.events.length = 0;
    const nodes_before = s.xsd.nr_nodes;
    expect(d0.r(XS.RELEASE, '7')).toBe('OK|');
    expect(d0.r(XS.GET_PERMS, '/tool/shared')).toBe('n0|b8|');
    expect(d0.r(XS.READ, '/tool/owned')).toBe('E:ENOENT');
    expect(d0.r(XS.DIRECTORY, '/tool')).toBe('xenstored|shared|');
    expect(s.xsd.nr_nodes).toBe(nodes_before - 2);
    expect(d0.events).toEqual([['/tool/owned/child', 'c']]);
    // A new domain 7 reads nothing the old one was granted.
    expect(s.client(7).r(XS.READ, '/tool/shared')).toBe('E:EACCES');
  });
});

describe('connections', () => {
  it('are bounded', () => {
    const xsd = new Xenstored({ max_connections: 2 });
    expect(xsd.open(0, () => undefined)).toBeDefined();
    const second = xsd.open(0, () => undefined)!;
    expect(xsd.open(0, () => undefined)).toBeUndefined();
    xsd.close(second);
    expect(xsd.open(0, () => undefined)).toBeDefined();
  });
});

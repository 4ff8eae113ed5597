// The xenstore daemon (tools/xenstored/core.c): the node tree, path rules, permissions and the
// request dispatcher. Pure: requests come in as xsd_sockmsg type + payload bytes, replies and
// watch events go out the same way; no I/O, no clock, no randomness.
import { DEFAULT_QUOTAS, DomainTable, PRIV_DOMID, domain_path, domid_is_unprivileged, parse_domid, type XenstoredQuotas } from './xenstored_domain.js';
import { perm_for_conn, xenstore_perm_to_string, xenstore_strings_to_perms, type xs_permissions } from './xenstored_perms.js';
import { NO_GENERATION, Transaction, type AccessedNode } from './xenstored_transaction.js';
import { watch_matches, watch_path, type Watch, type WatchMatch } from './xenstored_watch.js';
import { DOMID_ANY, XENSTORE_PAYLOAD_MAX, XS, XS_PERM_NONE, XS_PERM_OWNER, XS_PERM_READ, XS_PERM_WRITE, type XsdError } from './xs_wire.js';

/** struct node: one entry of the store. */
export interface XsNode {
  name: string;
  data: Buffer;
  perms: xs_permissions[];
  children: string[];
  generation: number;
}

/** A watch event: the path as the watcher registered it, and its token. */
export type EventSink = (path: string, token: string) => void;

/** A reply: XS_ERROR with an errno name, or the request's type with its payload. */
export interface XsReply {
  type: number;
  payload: Buffer;
}

/** An error xenstored answers as an XS_ERROR reply. */
class XsdErr extends Error {
  readonly code: XsdError;
  constructor(code: XsdError) {
    super(code);
    this.code = code;
  }
}

const fail = (code: XsdError): never => {
  throw new XsdErr(code);
};

/** struct connection: one client. Transactions and watches belong to it. */
export class Connection {
  readonly id: number;
  readonly domid: number;
  readonly transactions = new Map<number, Transaction>();
  next_transaction_id = 1;
  readonly watches: Watch[] = [];
  /** The transaction of the request being processed (conn->transaction). */
  transaction: Transaction | undefined;
  readonly sink: EventSink;

  constructor(id: number, domid: number, sink: EventSink) {
    this.id = id;
    this.domid = domid;
    this.sink = sink;
  }
}

export interface XenstoredOptions {
  quotas?: Partial<XenstoredQuotas>;
  /** Open connections at once (an emulator bound; a socket daemon is bounded by its fds). */
  max_connections?: number;
}

const DEFAULT_MAX_CONNECTIONS = 1024;

/** Bytes of a C string argument: paths and tokens are byte strings, kept byte-exact. */
const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');
const cstr = (s: string): Buffer => Buffer.from(`${s}\0`, 'latin1');
const ACK = cstr('OK');

/** get_strings: up to `max` nul-terminated strings from the front of the payload. */
function get_strings(payload: Buffer, max: number): string[] {
  const out: string[] = [];
  let off = 0;
  while (out.length < max && off < payload.length) {
    const nul = payload.indexOf(0, off);
    if (nul < 0) break;
    out.push(payload.toString('latin1', off, nul));
    off = nul + 1;
  }
  return out;
}

/** onearg: the payload must be one string with its nul at the very end. */
function onearg(payload: Buffer): string | undefined {
  if (payload.length === 0 || payload.indexOf(0) !== payload.length - 1) return undefined;
  return payload.toString('latin1', 0, payload.length - 1);
}

/** onearg, then parse_domid: the one domid argument of a domain request; EINVAL otherwise. */
function onearg_domid(payload: Buffer): number {
  const arg = onearg(payload);
  const domid = arg === undefined ? undefined : parse_domid(arg);
  return domid ?? fail('EINVAL');
}

/** xenstore_count_strings. */
function count_strings(payload: Buffer): number {
  let n = 0;
  for (const b of payload) if (b === 0) n++;
  return n;
}

/** valid_chars: "Nodes can have lots of crap." */
const VALID_CHARS = /^[A-Za-z0-9\-/_@]*$/;

/** get_parent: "/" for a top-level node (and for a special name). */
function get_parent(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash > 0 ? name.slice(0, slash) : '/';
}

function basename(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** calc_node_acc_size: node_hdr (16 bytes), 8 bytes a permission, the data, the child names. */
export function node_size(n: Pick<XsNode, 'perms' | 'data' | 'children'>): number {
  return 16 + 8 * n.perms.length + n.data.length + n.children.reduce((s, c) => s + c.length + 1, 0);
}

function clone(n: XsNode): XsNode {
  return { name: n.name, data: n.data, perms: n.perms.map((p) => ({ ...p })), children: [...n.children], generation: n.generation };
}

type Handler = (conn: Connection, payload: Buffer) => Buffer;

export class Xenstored {
  /** The data base: canonical name -> node. */
  private readonly db = new Map<string, XsNode>();
  private generation = 0;
  readonly domains: DomainTable;
  private readonly connections = new Map<number, Connection>();
  private next_conn_id = 1;
  readonly max_connections: number;
  private readonly wire: Map<number, { fn: Handler | undefined; priv?: boolean; notid?: boolean }>;

  constructor(opts: XenstoredOptions = {}) {
    this.domains = new DomainTable({ ...DEFAULT_QUOTAS, ...opts.quotas });
    this.max_connections = opts.max_connections ?? DEFAULT_MAX_CONNECTIONS;
    // wire_funcs[] (core.c). A type without a function (unknown, XS_WATCH_EVENT, XS_ERROR, or not emulated) answers ENOSYS.
    this.wire = new Map<number, { fn: Handler | undefined; priv?: boolean; notid?: boolean }>([
      [XS.CONTROL, { fn: undefined, priv: true }],
      [XS.DIRECTORY, { fn: (c, p) => this.do_directory(c, p) }],
      [XS.READ, { fn: (c, p) => this.do_read(c, p) }],
      [XS.GET_PERMS, { fn: (c, p) => this.do_get_perms(c, p) }],
      [XS.WATCH, { fn: (c, p) => this.do_watch(c, p), notid: true }],
      [XS.UNWATCH, { fn: (c, p) => this.do_unwatch(c, p), notid: true }],
      [XS.TRANSACTION_START, { fn: (c) => this.do_transaction_start(c) }],
      [XS.TRANSACTION_END, { fn: (c, p) => this.do_transaction_end(c, p) }],
      [XS.INTRODUCE, { fn: (c, p) => this.do_introduce(p), priv: true }],
      [XS.RELEASE, { fn: (c, p) => this.do_release(p), priv: true }],
      [XS.GET_DOMAIN_PATH, { fn: (c, p) => this.do_get_domain_path(p) }],
      [XS.WRITE, { fn: (c, p) => this.do_write(c, p) }],
      [XS.MKDIR, { fn: (c, p) => this.do_mkdir(c, p) }],
      [XS.RM, { fn: (c, p) => this.do_rm(c, p) }],
      [XS.SET_PERMS, { fn: (c, p) => this.do_set_perms(c, p) }],
      [XS.IS_DOMAIN_INTRODUCED, { fn: (c, p) => this.do_is_domain_introduced(p), priv: true }],
      [XS.RESUME, { fn: undefined, priv: true }],
      [XS.SET_TARGET, { fn: undefined, priv: true }],
      [XS.RESET_WATCHES, { fn: (c) => this.do_reset_watches(c) }],
      [XS.DIRECTORY_PART, { fn: undefined }],
      [XS.GET_FEATURE, { fn: undefined }],
      [XS.SET_FEATURE, { fn: undefined, priv: true }],
      [XS.GET_QUOTA, { fn: undefined, priv: true }],
      [XS.SET_QUOTA, { fn: undefined, priv: true }],
    ]);
    this.setup_structure();
  }

  // --- Boot -------------------------------------------------------------------------------

  /** setup_structure (core.c), dom0_init, then what xen-init-dom0 writes at boot. */
  private setup_structure(): void {
    const priv: xs_permissions[] = [{ id: PRIV_DOMID, perms: XS_PERM_NONE }];
    const manual = (name: string, children: string[], perms = priv): void => {
      this.db.set(name, { name, data: Buffer.alloc(0), perms: perms.map((p) => ({ ...p })), children, generation: ++this.generation });
    };
    manual('/', ['tool']);
    manual('/tool', ['xenstored']);
    manual('/tool/xenstored', []);
    manual('@releaseDomain', [], [{ id: PRIV_DOMID, perms: XS_PERM_NONE }, { id: DOMID_ANY, perms: XS_PERM_READ }]);
    manual('@introduceDomain', []);
    this.domains.acc_add(PRIV_DOMID, 'nodes', 5);
    this.domains.find_or_alloc(PRIV_DOMID).introduced = true;
    // tools/helpers/xen-init-dom0.c, as xencommons runs it once xenstored is up.
    const boot = this.open(PRIV_DOMID, () => undefined)!;
    this.request(boot, XS.WRITE, 0, Buffer.concat([cstr('/local/domain/0/domid'), bytes('0')]));
    this.request(boot, XS.WRITE, 0, Buffer.concat([cstr('/local/domain/0/name'), bytes('Domain-0')]));
    this.request(boot, XS.WRITE, 0, Buffer.concat([cstr('/local/pool/0/name'), bytes('Pool-0')]));
    this.close(boot);
  }

  // --- Connections ------------------------------------------------------------------------

  /** new_connection for `domid`; undefined when max_connections are open. */
  open(domid: number, sink: EventSink): Connection | undefined {
    if (this.connections.size >= this.max_connections) return undefined;
    const conn = new Connection(this.next_conn_id++, domid, sink);
    this.domains.find_or_alloc(domid);
    this.connections.set(conn.id, conn);
    return conn;
  }

  connection(id: number): Connection | undefined {
    return this.connections.get(id);
  }

  /** destroy_conn: its transactions end unfinished and its watches go. */
  close(conn: Connection): void {
    if (!this.connections.delete(conn.id)) return;
    this.conn_delete_all_transactions(conn);
    this.conn_delete_all_watches(conn);
  }

  get nr_connections(): number {
    return this.connections.size;
  }

  /** process_message: one request on a connection, answered as xenstored answers it. */
  request(conn: Connection, type: number, tx_id: number, payload: Buffer): XsReply {
    try {
      const entry = this.wire.get(type);
      if (entry === undefined) fail('ENOSYS'); // process_message: "Client unknown operation"
      if (entry!.priv === true && domid_is_unprivileged(conn.domid)) fail('EACCES');
      if (entry!.fn === undefined) fail('ENOSYS');
      if (entry!.notid !== true && tx_id !== 0) {
        const t = conn.transactions.get(tx_id);
        if (t === undefined) fail('ENOENT');
        conn.transaction = t;
      }
      const out = entry!.fn!(conn, payload);
      // send_reply: a reply that does not fit the payload limit is E2BIG.
      if (out.length > XENSTORE_PAYLOAD_MAX) fail('E2BIG');
      return { type, payload: out };
    } catch (e) {
      if (e instanceof XsdErr) return { type: XS.ERROR, payload: cstr(e.code) };
      throw e;
    } finally {
      conn.transaction = undefined;
    }
  }

  // --- Paths and the data base ------------------------------------------------------------

  /** canonicalize: relative paths are below the caller's /local/domain/<domid>. */
  canonicalize(conn: Connection, node: string | undefined, allow_special: boolean): string {
    if (node === undefined || !VALID_CHARS.test(node) || (node.startsWith('@') && !allow_special)) fail('EINVAL');
    const name = node!.startsWith('/') || node!.startsWith('@') ? node! : `${this.domains.find_or_alloc(conn.domid).path}/${node}`;
    // sscanf("/local/domain/%5u/%n"): five characters at most, a '-' sign counting as one.
    const local = /^\/local\/domain\/(?:\d{1,5}|-\d{1,4})\//.exec(name);
    const local_off = local === null ? 0 : local[0].length;
    if ((name.endsWith('/') && name !== '/') || name.includes('//') || this.domains.max_exceeds(conn.domid, 'path_max', name.length - local_off)) fail('EINVAL');
    return name;
  }

  /** read_node: in a transaction, the transaction's copy (first access records the generation). */
  private read_node(conn: Connection | undefined, name: string): XsNode | undefined {
    const t = conn?.transaction;
    if (t === undefined) return this.db.get(name);
    const seen = t.accessed.get(name);
    if (seen !== undefined) return seen.node;
    return this.access(conn!, t, name, true).node;
  }

  /** access_node's bookkeeping: a first touch copies the global node into the transaction. */
  private access(conn: Connection, t: Transaction, name: string, check_gen: boolean): AccessedNode {
    if (this.domains.max_exceeds(conn.domid, 'transaction_nodes', t.accessed.size + 1)) {
      t.fail = true;
      fail('ENOSPC');
    }
    const g = this.db.get(name);
    const a: AccessedNode = {
      generation: g?.generation ?? NO_GENERATION,
      node: g === undefined ? undefined : clone(g),
      perms: g?.perms.map((p) => ({ ...p })),
      check_gen,
      modified: false,
      fire_watch: false,
      watch_match: 'exact',
    };
    t.accessed.set(name, a);
    return a;
  }

  /** write_node: the node-size quota, a new generation, then the global or transaction copy. */
  private write_node(conn: Connection, node: XsNode, no_quota_check: boolean): void {
    if (this.domains.max_exceeds(conn.domid, 'node_size', node_size(node)) && !no_quota_check) fail('ENOSPC');
    node.generation = ++this.generation;
    const t = conn.transaction;
    if (t === undefined) {
      this.db.set(node.name, node);
      return;
    }
    const a = t.accessed.get(node.name) ?? this.access(conn, t, node.name, false);
    a.node = node;
    a.modified = true;
  }

  private delete_node(conn: Connection, name: string): void {
    ++this.generation;
    const t = conn.transaction;
    if (t === undefined) {
      this.db.delete(name);
      return;
    }
    const a = t.accessed.get(name) ?? this.access(conn, t, name, false);
    a.node = undefined;
    a.modified = true;
  }

  /** domain_nbentry_inc/dec: inside a transaction the change is applied at its end. */
  private nbentry(conn: Connection, owner: number, n: number): void {
    if (conn.transaction !== undefined) conn.transaction.add_delta(owner, n);
    else this.domains.acc_add(owner, 'nodes', n);
  }

  /** ask_parents: the caller's rights on the nearest existing ancestor. */
  private ask_parents(conn: Connection, name: string): number {
    let n = name;
    do {
      n = get_parent(n);
      const node = this.read_node(conn, n);
      if (node !== undefined) return perm_for_conn(conn.domid, node.perms);
    } while (n !== '/');
    return XS_PERM_NONE;
  }

  /**
   * get_node: canonicalize, read, check `perm`. Answers the node, or undefined when it does
   * not exist and the caller may know that (errno_from_parents: otherwise EACCES).
   */
  private get_node(conn: Connection, arg: string | undefined, perm: number, allow_special: boolean): { name: string; node: XsNode | undefined } {
    const name = this.canonicalize(conn, arg, allow_special);
    const node = this.read_node(conn, name);
    if (node !== undefined && (perm_for_conn(conn.domid, node.perms) & perm) === perm) return { name, node };
    const errnum: XsdError = node === undefined ? 'ENOENT' : 'EACCES';
    if ((this.ask_parents(conn, name) & perm) === 0) fail('EACCES');
    if (errnum === 'EACCES') fail('EACCES');
    return { name, node: undefined };
  }

  /** get_node for the requests that need the node itself: a missing one is ENOENT. */
  private get_existing(conn: Connection, arg: string | undefined, perm: number, allow_special: boolean): { name: string; node: XsNode } {
    const { name, node } = this.get_node(conn, arg, perm, allow_special);
    if (node === undefined) fail('ENOENT');
    return { name, node: node! };
  }

  // --- Watches ----------------------------------------------------------------------------

  /** watch_permitted: the watcher may read the node or its parent (or, before a perms change, could). */
  private watch_permitted(conn: Connection, name: string, node: XsNode | undefined, old: readonly xs_permissions[] | undefined): boolean {
    if (old !== undefined && (perm_for_conn(conn.domid, old) & XS_PERM_READ) !== 0) return true;
    const n = node ?? this.db.get(name);
    if (n === undefined) return false;
    if ((perm_for_conn(conn.domid, n.perms) & XS_PERM_READ) !== 0) return true;
    const parent = this.db.get(get_parent(n.name));
    return parent !== undefined && (perm_for_conn(conn.domid, parent.perms) & XS_PERM_READ) !== 0;
  }

  /** fire_watches: inside a transaction the event waits for its end. */
  private fire_watches(conn: Connection | undefined, name: string, node: XsNode | undefined, match: WatchMatch, old?: readonly xs_permissions[]): void {
    if (conn?.transaction !== undefined) {
      conn.transaction.queue_watch(name, match);
      return;
    }
    for (const c of this.connections.values()) {
      if (!this.watch_permitted(c, name, node, old)) continue;
      for (const w of c.watches) if (watch_matches(w, name, match)) c.sink(watch_path(w, name), w.token);
    }
  }

  /** fire_special_watches with WATCH_BOTH: "@name" and "@name/<domid>". */
  private fire_special_watches(name: string, domid: number): void {
    const node = this.db.get(name);
    if (node === undefined) return;
    this.fire_watches(undefined, name, node, 'nodepth');
    this.fire_watches(undefined, `${name}/${domid}`, node, 'depth');
  }

  private conn_delete_all_watches(conn: Connection): void {
    this.domains.acc_add(conn.domid, 'watches', -conn.watches.length);
    conn.watches.length = 0;
  }

  private conn_delete_all_transactions(conn: Connection): void {
    this.domains.acc_add(conn.domid, 'transactions', -conn.transactions.size);
    conn.transactions.clear();
  }

  // --- Requests (core.c) ------------------------------------------------------------------

  private do_read(conn: Connection, payload: Buffer): Buffer {
    return this.get_existing(conn, onearg(payload), XS_PERM_READ, false).node.data;
  }

  /** send_directory. */
  private do_directory(conn: Connection, payload: Buffer): Buffer {
    const node = this.get_existing(conn, onearg(payload), XS_PERM_READ, false).node;
    return bytes(node.children.map((c) => `${c}\0`).join(''));
  }

  private do_get_perms(conn: Connection, payload: Buffer): Buffer {
    const node = this.get_existing(conn, onearg(payload), XS_PERM_READ, true).node;
    const strings = node.perms.map(xenstore_perm_to_string);
    if (strings.some((s) => s === undefined)) fail('EINVAL');
    return bytes(strings.map((s) => `${s}\0`).join(''));
  }

  /** construct_node + create_node: missing parents inherit their parent's perms; an unprivileged creator owns them. */
  private create_node(conn: Connection, name: string, data: Buffer): XsNode {
    const names = [name];
    let parent: XsNode | undefined;
    for (let pn = get_parent(name); ; pn = get_parent(pn)) {
      parent = this.read_node(conn, pn);
      if (parent !== undefined) break;
      names.push(pn);
    }
    const top = clone(parent);
    const created: XsNode[] = [];
    let up = top;
    for (const n of names.reverse()) {
      up.children.push(basename(n));
      const perms = up.perms.map((p) => ({ ...p }));
      if (domid_is_unprivileged(conn.domid) && perms[0] !== undefined) perms[0].id = conn.domid;
      const node: XsNode = { name: n, data: Buffer.alloc(0), perms, children: [], generation: NO_GENERATION };
      created.push(node);
      up = node;
    }
    up.data = data;
    // The checks create_node makes node by node (bottom up), made before anything is written.
    // The node quota is checked against the domain's committed count: cxenstored accounts a
    // request's (and a transaction's) new nodes only when the request (transaction) ends, so
    // one request may pass the quota by up to its path depth; a transaction is checked at its end.
    const t = conn.transaction;
    const bottom_up = created.slice().reverse();
    if (this.domains.quota_add_exceeds(conn.domid, 'nodes', 1)) fail('ENOSPC'); // the same answer for every node of the request
    for (const node of bottom_up) if (this.domains.max_exceeds(conn.domid, 'node_size', node_size(node))) fail('ENOSPC');
    if (this.domains.max_exceeds(conn.domid, 'node_size', node_size(top))) fail('ENOSPC');
    if (t !== undefined) t.node_created = true;
    for (const node of bottom_up) {
      this.write_node(conn, node, true);
      this.nbentry(conn, node.perms[0]?.id ?? PRIV_DOMID, 1);
    }
    this.write_node(conn, top, true);
    return up;
  }

  /** do_write: path, then the value (any bytes). */
  private do_write(conn: Connection, payload: Buffer): Buffer {
    const vec = get_strings(payload, 1);
    if (vec.length < 1) fail('EINVAL');
    const data = Buffer.from(payload.subarray(Buffer.byteLength(vec[0]!, 'latin1') + 1));
    const { name, node } = this.get_node(conn, vec[0], XS_PERM_WRITE, false);
    let written: XsNode;
    if (node === undefined) {
      written = this.create_node(conn, name, data);
    } else {
      written = { ...clone(node), data };
      this.write_node(conn, written, false);
    }
    this.fire_watches(conn, name, written, 'subtree');
    return ACK;
  }

  /** do_mkdir: an existing node is fine, and fires nothing. */
  private do_mkdir(conn: Connection, payload: Buffer): Buffer {
    const { name, node } = this.get_node(conn, onearg(payload), XS_PERM_WRITE, false);
    if (node === undefined) {
      const created = this.create_node(conn, name, Buffer.alloc(0));
      this.fire_watches(conn, name, created, 'subtree');
    }
    return ACK;
  }

  /** do_rm: a missing node is fine if its parent exists; otherwise ENOENT. */
  private do_rm(conn: Connection, payload: Buffer): Buffer {
    const { name, node } = this.get_node(conn, onearg(payload), XS_PERM_WRITE, false);
    if (node === undefined) {
      if (this.read_node(conn, get_parent(name)) !== undefined) return ACK;
      fail('ENOENT');
    }
    if (name === '/') fail('EINVAL');
    this.rm_node(conn, name);
    return ACK;
  }

  /** rm_node: the subtree goes children first; each fires its watches while still visible. */
  private rm_node(conn: Connection, name: string): void {
    const parent = this.read_node(conn, get_parent(name));
    if (parent === undefined) fail('EINVAL');
    // Bound: depth is bounded by the path limits, breadth by the payload and node quotas.
    const delnode = (n: string): void => {
      const node = this.read_node(conn, n);
      if (node === undefined) return;
      for (const c of node.children) delnode(n === '/' ? `/${c}` : `${n}/${c}`);
      this.nbentry(conn, node.perms[0]?.id ?? PRIV_DOMID, -1);
      this.fire_watches(conn, n, node, n === name ? 'subtree' : 'exact');
      this.delete_node(conn, n);
    };
    delnode(name);
    const p = clone(parent!);
    p.children = p.children.filter((c) => c !== basename(name));
    this.write_node(conn, p, true);
  }

  /** do_set_perms: path, then one or more permission strings; the owner stays unless dom0 changes it. */
  private do_set_perms(conn: Connection, payload: Buffer): Buffer {
    let num = count_strings(payload);
    if (num < 2) fail('EINVAL');
    num--;
    if (this.domains.max_exceeds(conn.domid, 'node_permissions', num)) fail('ENOSPC');
    const vec = get_strings(payload, num + 1);
    const perms = xenstore_strings_to_perms(vec.slice(1));
    if (perms === undefined) fail('EINVAL');
    const { name, node: old } = this.get_existing(conn, vec[0], XS_PERM_WRITE | XS_PERM_OWNER, true);
    if (domid_is_unprivileged(conn.domid) && perms![0]!.id !== old.perms[0]?.id) fail('EPERM');
    const updated: XsNode = { ...clone(old), perms: perms! };
    if (this.domains.max_exceeds(conn.domid, 'node_size', node_size(updated))) fail('ENOSPC');
    this.nbentry(conn, old.perms[0]?.id ?? PRIV_DOMID, -1);
    this.nbentry(conn, perms![0]!.id, 1);
    this.write_node(conn, updated, true);
    this.fire_watches(conn, name, updated, 'subtree', old.perms);
    return ACK;
  }

  // --- Watches (watch.c) ------------------------------------------------------------------

  /** do_watch: path and token (no depth: XENSTORE_SERVER_FEATURE_WATCHDEPTH is not offered). */
  private do_watch(conn: Connection, payload: Buffer): Buffer {
    const vec = get_strings(payload, 3);
    if (vec.length !== 2) fail('EINVAL');
    const [path, token] = vec as [string, string];
    const relative = !path.startsWith('/') && !path.startsWith('@');
    const node = this.canonicalize(conn, path, true);
    if (conn.watches.some((w) => w.node === node && w.token === token)) fail('EEXIST');
    if (this.domains.quota_add_exceeds(conn.domid, 'watches', 1)) fail('ENOSPC');
    const watch: Watch = { node, token, depth: -1, prefix_len: relative ? this.domains.find_or_alloc(conn.domid).path.length + 1 : 0 };
    conn.watches.push(watch);
    this.domains.acc_add(conn.domid, 'watches', 1);
    // "We fire once up front: simplifies clients and restart."
    conn.sink(watch_path(watch, node), token);
    return ACK;
  }

  private do_unwatch(conn: Connection, payload: Buffer): Buffer {
    const vec = get_strings(payload, 2);
    if (vec.length !== 2) fail('EINVAL');
    const node = this.canonicalize(conn, vec[0], true);
    const i = conn.watches.findIndex((w) => w.node === node && w.token === vec[1]);
    if (i < 0) fail('ENOENT');
    conn.watches.splice(i, 1);
    this.domains.acc_add(conn.domid, 'watches', -1);
    return ACK;
  }

  private do_reset_watches(conn: Connection): Buffer {
    this.conn_delete_all_watches(conn);
    return ACK;
  }

  // --- Transactions (transaction.c) -------------------------------------------------------

  private do_transaction_start(conn: Connection): Buffer {
    if (conn.transaction !== undefined) fail('EBUSY');
    if (this.domains.quota_add_exceeds(conn.domid, 'transactions', 1)) fail('ENOSPC');
    // Pick an unused identifier; 0 means "no transaction" and is skipped when the counter wraps.
    let id: number;
    do {
      id = conn.next_transaction_id;
      conn.next_transaction_id = (conn.next_transaction_id + 1) >>> 0;
    } while (id === 0 || conn.transactions.has(id));
    ++this.generation;
    conn.transactions.set(id, new Transaction(id));
    this.domains.acc_add(conn.domid, 'transactions', 1);
    return cstr(String(id));
  }

  /** do_transaction_end: "T" commits, "F" aborts; either way the transaction is gone. */
  private do_transaction_end(conn: Connection, payload: Buffer): Buffer {
    const arg = onearg(payload);
    if (arg !== 'T' && arg !== 'F') fail('EINVAL');
    const t = conn.transaction;
    if (t === undefined) fail('ENOENT');
    conn.transaction = undefined;
    conn.transactions.delete(t!.id);
    this.domains.acc_add(conn.domid, 'transactions', -1);
    if (arg === 'T') {
      if (t!.fail) fail('ENOMEM');
      const chk_quota = t!.node_created && domid_is_unprivileged(conn.domid);
      if (chk_quota) {
        for (const [domid, delta] of t!.node_delta) {
          if (delta > 0 && this.domains.quota_add_exceeds(domid, 'nodes', delta - 1, 1)) fail('ENOSPC');
        }
      }
      this.finalize_transaction(t!);
    }
    return ACK;
  }

  /** finalize_transaction: EAGAIN if any node read in it changed since; else publish and fire. */
  private finalize_transaction(t: Transaction): void {
    for (const [name, a] of t.accessed) {
      if (a.check_gen && (this.db.get(name)?.generation ?? NO_GENERATION) !== a.generation) fail('EAGAIN');
    }
    for (const [domid, delta] of t.node_delta) this.domains.acc_add(domid, 'nodes', delta);
    for (const [name, a] of t.accessed) {
      if (!a.modified) continue;
      if (a.node !== undefined) {
        a.node.generation = ++this.generation;
        this.db.set(name, a.node);
      } else {
        this.db.delete(name);
      }
      if (a.fire_watch) this.fire_watches(undefined, name, undefined, a.watch_match, a.perms);
    }
  }

  // --- Domains (domain.c) -----------------------------------------------------------------

  /** do_introduce: domid, gfn (ignored), event channel. */
  private do_introduce(payload: Buffer): Buffer {
    const vec = get_strings(payload, 3);
    if (vec.length < 3) fail('EINVAL');
    const domid = parse_domid(vec[0]!);
    if (domid === undefined) fail('EINVAL');
    const port = atoi(vec[2]!);
    if (port <= 0) fail('EINVAL');
    const d = this.domains.find_or_alloc(domid!);
    d.port = port;
    d.mfn = atoi(vec[1]!);
    if (!d.introduced) {
      d.introduced = true;
      if (domid !== PRIV_DOMID) this.fire_special_watches('@introduceDomain', domid!);
    }
    return ACK;
  }

  /** do_release: the domain's connections lose their watches and transactions; @releaseDomain fires. */
  private do_release(payload: Buffer): Buffer {
    const domid = onearg_domid(payload);
    if (domid === PRIV_DOMID) fail('EINVAL');
    const d = this.domains.find_introduced(domid);
    if (d === undefined) fail('ENOENT');
    for (const c of this.connections.values()) {
      if (c.domid !== domid) continue;
      this.conn_delete_all_watches(c);
      this.conn_delete_all_transactions(c);
    }
    this.domain_tree_remove(domid);
    d!.introduced = false;
    d!.port = 0;
    this.fire_special_watches('@releaseDomain', domid);
    return ACK;
  }

  /**
   * Port of domain_tree_remove (domain.c, as destroy_domain runs it): nodes the domain owns
   * are deleted with their subtrees (keep_orphans is off), and its entries leave every other
   * node's permissions, so a later domain with the same domid inherits no access (XSA-322).
   * Bound: one visit per node in the store.
   */
  private domain_tree_remove(domid: number): void {
    const internal = new Connection(0, PRIV_DOMID, () => undefined); // rm_node(NULL, ...): no transaction, no quota
    const visit = (name: string): void => {
      const node = this.db.get(name);
      if (node === undefined) return;
      if (node.perms[0]?.id === domid && name !== '/') {
        this.rm_node(internal, name);
        return; // WALK_TREE_SKIP_CHILDREN
      }
      const kept = node.perms.filter((p, i) => i === 0 || p.id !== domid);
      if (kept.length !== node.perms.length) {
        const updated = { ...clone(node), perms: kept };
        updated.generation = ++this.generation;
        this.db.set(name, updated);
      }
      for (const c of [...node.children]) visit(name === '/' ? `/${c}` : `${name}/${c}`);
    };
    visit('/');
    visit('@releaseDomain');
    visit('@introduceDomain');
  }

  private do_get_domain_path(payload: Buffer): Buffer {
    return cstr(domain_path(onearg_domid(payload)));
  }

  private do_is_domain_introduced(payload: Buffer): Buffer {
    const domid = onearg_domid(payload);
    const DOMID_SELF = 0x7ff0;
    return cstr(domid === DOMID_SELF || this.domains.find_introduced(domid) !== undefined ? 'T' : 'F');
  }

  // --- Introspection for tests and the toolstack's checks ------------------------------------

  /** Number of nodes in the store (special nodes included). */
  get nr_nodes(): number {
    return this.db.size;
  }
}

/** atoi: leading digits, 0 when there are none. */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Number(m[1])));
}

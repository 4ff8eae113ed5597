// xenstored over the wire: libxenstore against `xen.Xenstore` on the real server.
import * as grpc from '@grpc/grpc-js';
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { presetTopology } from '../hypervisor/presets.js';
import { Xen } from '../hypervisor/xen.js';
import {
  XBT_NULL,
  XS_PERM,
  XsError,
  xs_close,
  xs_directory,
  xs_get_domain_path,
  xs_get_permissions,
  xs_introduce_domain,
  xs_is_domain_introduced,
  xs_mkdir,
  xs_open,
  xs_read,
  xs_read_watch,
  xs_release_domain,
  xs_rm,
  xs_set_permissions,
  xs_transaction_end,
  xs_transaction_start,
  xs_unwatch,
  xs_watch,
  xs_write,
  type xs_handle,
} from '../libxenstore/xs.js';
import { xc_domain_create, xc_interface_close, xc_interface_open } from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { startServer, type RunningServer } from '../server/server.js';
import { Xenstored } from '../xenstored/xenstored_core.js';
import { startHost, useHost } from './harness.js';

/** The XsError a promise rejects with. */
async function xsErr(p: Promise<unknown>): Promise<XsError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof XsError) return e;
    throw e;
  }
  throw new Error('expected an XsError');
}

/** Waits (without a clock) until the server has seen what the client did. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !cond(); i++) await tick();
  expect(cond()).toBe(true);
}

const HVM = { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 1 };

describe('xenstore over the wire', () => {
  const h = useHost('4node');
  let xsh: xs_handle;
  beforeAll(async () => {
    xsh = await xs_open(h.address);
  });
  afterAll(() => xs_close(xsh));

  it('serves the boot skeleton', async () => {
    expect(await xs_read(xsh, XBT_NULL, '/local/domain/0/name')).toBe('Domain-0');
    expect(await xs_read(xsh, XBT_NULL, '/local/domain/0/domid')).toBe('0');
    expect(await xs_directory(xsh, XBT_NULL, '/local/domain/0')).toEqual(['domid', 'name']);
    expect(await xs_directory(xsh, XBT_NULL, '/tool')).toEqual(['xenstored']);
    expect(await xs_get_permissions(xsh, XBT_NULL, '/local/domain/0/name')).toEqual([{ id: 0, perms: XS_PERM.NONE }]);
  });

  it('reads, writes, makes directories, lists, removes', async () => {
    await xs_write(xsh, XBT_NULL, '/ops/a/b', 'héllo');
    expect(await xs_read(xsh, XBT_NULL, '/ops/a/b')).toBe('héllo');
    await xs_mkdir(xsh, XBT_NULL, '/ops/dir');
    await xs_mkdir(xsh, XBT_NULL, '/ops/dir');
    expect(await xs_read(xsh, XBT_NULL, '/ops/dir')).toBe('');
    expect(await xs_directory(xsh, XBT_NULL, '/ops')).toEqual(['a', 'dir']);
    expect(await xs_read(xsh, XBT_NULL, '/ops/missing')).toBeNull();
    expect(await xs_directory(xsh, XBT_NULL, '/ops/missing')).toBeNull();
    expect(await xs_get_permissions(xsh, XBT_NULL, '/ops/missing')).toBeNull();
    await xs_rm(xsh, XBT_NULL, '/ops/missing');
    expect((await xsErr(xs_rm(xsh, XBT_NULL, '/ops/missing/deeper'))).code).toBe('ENOENT');
    expect((await xsErr(xs_read(xsh, XBT_NULL, '/ops//a'))).code).toBe('EINVAL');
    await xs_rm(xsh, XBT_NULL, '/ops');
    expect(await xs_read(xsh, XBT_NULL, '/ops/a/b')).toBeNull();
  });

  it('sets and gets permissions', async () => {
    await xs_write(xsh, XBT_NULL, '/perm', 'p');
    await xs_set_permissions(xsh, XBT_NULL, '/perm', [
      { id: 0, perms: XS_PERM.READ },
      { id: 3, perms: XS_PERM.READ | XS_PERM.WRITE },
      { id: 4, perms: XS_PERM.WRITE },
    ]);
    expect(await xs_get_permissions(xsh, XBT_NULL, '/perm')).toEqual([
      { id: 0, perms: 1 },
      { id: 3, perms: 3 },
      { id: 4, perms: 2 },
    ]);
    expect((await xsErr(xs_set_permissions(xsh, XBT_NULL, '/perm', []))).code).toBe('EINVAL');
  });

  it('a conflicting transaction end answers EAGAIN; a clean one commits', async () => {
    const other = await xs_open(h.address);
    try {
      await xs_write(xsh, XBT_NULL, '/tx/x', '1');
      const t = await xs_transaction_start(xsh);
      expect(t).toBeGreaterThan(0);
      expect(await xs_read(xsh, t, '/tx/x')).toBe('1');
      await xs_write(xsh, t, '/tx/y', 'new');
      expect(await xs_read(other, XBT_NULL, '/tx/y')).toBeNull();
      await xs_write(other, XBT_NULL, '/tx/x', '2');
      const e = await xsErr(xs_transaction_end(xsh, t, false));
      expect(e.code).toBe('EAGAIN');
      expect(e.errno).toBe(11);
      expect(await xs_read(other, XBT_NULL, '/tx/y')).toBeNull();

      const t2 = await xs_transaction_start(xsh);
      expect(await xs_read(xsh, t2, '/tx/x')).toBe('2');
      await xs_write(xsh, t2, '/tx/y', 'new');
      await xs_write(other, XBT_NULL, '/unrelated', 'u');
      await xs_transaction_end(xsh, t2, false);
      expect(await xs_read(other, XBT_NULL, '/tx/y')).toBe('new');

      const t3 = await xs_transaction_start(xsh);
      await xs_write(xsh, t3, '/tx/z', 'aborted');
      await xs_transaction_end(xsh, t3, true);
      expect(await xs_read(xsh, XBT_NULL, '/tx/z')).toBeNull();
      // A transaction belongs to its connection.
      const t4 = await xs_transaction_start(xsh);
      expect((await xsErr(xs_write(other, t4, '/tx/x', '3'))).code).toBe('ENOENT');
      await xs_transaction_end(xsh, t4, true);
    } finally {
      xs_close(other);
    }
  });

  it('delivers watch events over the stream: at registration, then for the node and below', async () => {
    const w = await xs_open(h.address);
    try {
      await xs_watch(w, '/watched', 'tok');
      expect(await xs_read_watch(w)).toEqual(['/watched', 'tok']);
      await xs_write(xsh, XBT_NULL, '/watched/child', 'c');
      expect(await xs_read_watch(w)).toEqual(['/watched/child', 'tok']);
      await xs_watch(w, 'rel', 'r');
      expect(await xs_read_watch(w)).toEqual(['rel', 'r']);
      await xs_write(xsh, XBT_NULL, '/local/domain/0/rel/x', '1');
      expect(await xs_read_watch(w)).toEqual(['rel/x', 'r']);
      await xs_unwatch(w, '/watched', 'tok');
      expect((await xsErr(xs_unwatch(w, '/watched', 'tok'))).code).toBe('ENOENT');
      await xs_write(xsh, XBT_NULL, '/watched/child', 'd');
      await xs_write(xsh, XBT_NULL, '/local/domain/0/rel', 'last');
      expect(await xs_read_watch(w)).toEqual(['rel', 'r']);
    } finally {
      xs_close(w);
    }
  });

  it('introduces and releases domains, firing @introduceDomain and @releaseDomain', async () => {
    const w = await xs_open(h.address);
    try {
      await xs_watch(w, '@introduceDomain', 'i');
      await xs_watch(w, '@releaseDomain', 'r');
      expect(await xs_read_watch(w)).toEqual(['@introduceDomain', 'i']);
      expect(await xs_read_watch(w)).toEqual(['@releaseDomain', 'r']);
      expect(await xs_get_domain_path(xsh, 12)).toBe('/local/domain/12');
      expect(await xs_is_domain_introduced(xsh, 12)).toBe(false);
      await xs_introduce_domain(xsh, 12, 0xfeffc, 1);
      expect(await xs_is_domain_introduced(xsh, 12)).toBe(true);
      expect(await xs_read_watch(w)).toEqual(['@introduceDomain', 'i']);
      await xs_release_domain(xsh, 12);
      expect(await xs_read_watch(w)).toEqual(['@releaseDomain', 'r']);
      expect((await xsErr(xs_release_domain(xsh, 12))).code).toBe('ENOENT');
    } finally {
      xs_close(w);
    }
  });

  it('a guest domain is denied dom0 nodes and may use its own home', async () => {
    const domid = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xs_mkdir(xsh, XBT_NULL, `/local/domain/${domid}`);
    await xs_set_permissions(xsh, XBT_NULL, `/local/domain/${domid}`, [{ id: domid, perms: XS_PERM.NONE }]);
    const g = await xs_open(h.address, { domid });
    try {
      expect((await xsErr(xs_read(g, XBT_NULL, '/local/domain/0/name'))).code).toBe('EACCES');
      expect((await xsErr(xs_write(g, XBT_NULL, '/local/domain/0/name', 'evil'))).code).toBe('EACCES');
      expect((await xsErr(xs_introduce_domain(g, 40, 1, 1))).code).toBe('EACCES');
      await xs_write(g, XBT_NULL, 'data/x', 'mine');
      expect(await xs_read(xsh, XBT_NULL, `/local/domain/${domid}/data/x`)).toBe('mine');
      expect(await xs_get_permissions(xsh, XBT_NULL, `/local/domain/${domid}/data/x`)).toEqual([{ id: domid, perms: XS_PERM.NONE }]);
      expect(await xs_read(xsh, XBT_NULL, '/local/domain/0/name')).toBe('Domain-0');
      // The toolstack removes a destroyed domain's subtree (libxl does; xenstored does not).
      await xs_rm(xsh, XBT_NULL, `/local/domain/${domid}`);
    } finally {
      xs_close(g);
    }
    const e = await xsErr(xs_open(h.address, { domid: 999 }));
    expect(e.code).toBe('EIO');
    expect(e.grpcCode).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('closing a handle closes its connection (watches and transactions go with it)', async () => {
    const xsd = h.server.xenstored;
    const before = xsd.nr_connections;
    const c = await xs_open(h.address);
    await xs_watch(c, '/x', 't');
    await xs_transaction_start(c);
    expect(xsd.nr_connections).toBe(before + 1);
    expect(xsd.domains.find(0)!.acc.watches).toBeGreaterThan(0);
    xs_close(c);
    await until(() => xsd.nr_connections === before);
    expect((await xsErr(xs_read(c, XBT_NULL, '/'))).code).toBe('EBADF');
  });
});

describe('xenstore bounds over the wire', () => {
  let xen: Xen;
  let server: RunningServer;
  let d0: xs_handle;
  let guest: xs_handle;
  let domid: number;
  beforeAll(async () => {
    xen = new Xen({ topology: presetTopology('4node')! });
    server = await startServer(xen, '127.0.0.1:0', { xenstored: new Xenstored({ quotas: { nodes: 4, watches: 3, transactions: 2 } }) });
    const xch = await xc_interface_open(server.address);
    domid = await xc_domain_create(xch, DOMID_ANY, HVM);
    xc_interface_close(xch);
    d0 = await xs_open(server.address);
    await xs_mkdir(d0, XBT_NULL, `/local/domain/${domid}`);
    await xs_set_permissions(d0, XBT_NULL, `/local/domain/${domid}`, [{ id: domid, perms: XS_PERM.NONE }]);
    guest = await xs_open(server.address, { domid });
  });
  afterAll(async () => {
    xs_close(d0);
    xs_close(guest);
    await server.close();
  });

  it('nodes per domain: ENOSPC', async () => {
    await xs_write(guest, XBT_NULL, 'n1', '1');
    await xs_write(guest, XBT_NULL, 'n2', '1');
    expect((await xsErr(xs_write(guest, XBT_NULL, 'n3', '1'))).code).toBe('ENOSPC');
    for (let i = 0; i < 6; i++) await xs_write(d0, XBT_NULL, `/dom0-exempt/${i}`, '1');
    await xs_rm(guest, XBT_NULL, 'n1');
    await xs_rm(guest, XBT_NULL, 'n2');
  });

  it('value size (node-size 2048): ENOSPC for a guest; the payload limit (4096) for everyone', async () => {
    await xs_write(guest, XBT_NULL, 'v', 'a'.repeat(2000));
    expect((await xsErr(xs_write(guest, XBT_NULL, 'v', 'a'.repeat(2048)))).code).toBe('ENOSPC');
    await xs_write(d0, XBT_NULL, '/big', 'a'.repeat(4000));
    const e = await xsErr(xs_write(d0, XBT_NULL, '/big', 'a'.repeat(4096)));
    expect(e.code).toBe('EIO');
    expect(e.grpcCode).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(await xs_read(d0, XBT_NULL, '/big')).toHaveLength(4000);
    await xs_rm(guest, XBT_NULL, 'v');
  });

  it('key length: a guest path over path-max (2048) is EINVAL', async () => {
    const long = `${'k'.repeat(99)}/`.repeat(20) + 'k'.repeat(48);
    expect(long).toHaveLength(2048);
    expect((await xsErr(xs_read(guest, XBT_NULL, long))).code).toBe('EINVAL');
    expect(await xs_read(guest, XBT_NULL, long.slice(1))).toBeNull();
  });

  it('watches and transactions per domain: ENOSPC', async () => {
    await xs_watch(guest, 'w', 'a');
    await xs_watch(guest, 'w', 'b');
    expect((await xsErr(xs_watch(guest, 'w', 'c'))).code).toBe('ENOSPC');
    expect((await xsErr(xs_watch(guest, 'w', 'a'))).code).toBe('EEXIST');
    const t = await xs_transaction_start(guest);
    expect((await xsErr(xs_transaction_start(guest))).code).toBe('ENOSPC');
    await xs_transaction_end(guest, t, true);
  });

  it('a reply over XENSTORE_PAYLOAD_MAX: E2BIG', async () => {
    for (let i = 0; i < 100; i++) await xs_write(d0, XBT_NULL, `/wide/${'w'.repeat(40)}${i}`, '');
    expect((await xsErr(xs_directory(d0, XBT_NULL, '/wide'))).code).toBe('E2BIG');
  });

  it('malformed requests: INVALID_ARGUMENT; unknown connection NOT_FOUND; another domain\'s connection PERMISSION_DENIED', async () => {
    const raw = new grpc.Client(server.address, grpc.credentials.createInsecure());
    const call = (bytes: Buffer, md = new grpc.Metadata()): Promise<grpc.ServiceError | null> =>
      new Promise((resolve) => raw.makeUnaryRequest('/xen.Xenstore/request', (b: Buffer) => b, (b: Buffer) => b, bytes, md, (err) => resolve(err)));
    try {
      // Field 1 (type) with wire type 2 and a length running past the end.
      expect((await call(Buffer.from([0x0a, 0x7f, 0x01])))?.code).toBe(grpc.status.INVALID_ARGUMENT);
      // A well-formed message naming no connection.
      expect((await call(Buffer.from([0x08, 0x02, 0x28, 0x63])))?.code).toBe(grpc.status.NOT_FOUND);
      const conn = server.xenstored.open(0, () => undefined)!;
      const md = new grpc.Metadata();
      md.set('xen-caller-domid', String(domid));
      expect((await call(Buffer.from([0x08, 0x02, 0x28, conn.id]), md))?.code).toBe(grpc.status.PERMISSION_DENIED);
      server.xenstored.close(conn);
    } finally {
      raw.close();
    }
    // The store still answers.
    expect(await xs_read(d0, XBT_NULL, '/local/domain/0/name')).toBe('Domain-0');
  });
});

describe('server shutdown', () => {
  it('closes with watch streams open; the handle then reports EIO', async () => {
    const host = await startHost('4node');
    const w = await xs_open(host.address);
    await xs_watch(w, '/', 'all');
    expect(await xs_read_watch(w)).toEqual(['/', 'all']);
    const pending = xsErr(xs_read_watch(w));
    await host.close();
    expect((await pending).code).toBe('EIO');
    xs_close(w);
  });
});

// The privilege ladder (xen/include/xsm/dummy.h: xsm_default_action) over the wire: requests
// made as another domain through the xen-caller-domid metadata.
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { isXenError, xc_domain_create, xc_domain_getinfo_single, xc_domain_getinfolist, xc_domain_pause, xc_domain_set_target, xc_interface_close, xc_interface_open, xc_physinfo } from '../libxc/xenctrl.js';
import type { xen_domctl } from '../proto/generated/xen/xen_domctl.js';
import type { xen_sysctl } from '../proto/generated/xen/xen_sysctl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { useHost } from './harness.js';

const errnoOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (isXenError(e) ? e.code : String(e)));

describe('privilege ladder', () => {
  const h = useHost('2node');

  async function as<T>(caller: number, run: (xch: Awaited<ReturnType<typeof xc_interface_open>>) => Promise<T>): Promise<T> {
    const xch = await xc_interface_open(h.address, { caller });
    try {
      return await run(xch);
    } finally {
      xc_interface_close(xch);
    }
  }

  it('a guest gets -EPERM for sysctls, for domctls on others and on itself, and for missing domains', async () => {
    const guest = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 1 });
    await as(guest, async (g) => {
      expect(await errnoOf(xc_physinfo(g))).toBe('EPERM'); // every sysctl is XSM_PRIV
      expect(await errnoOf(xc_domain_getinfolist(g, 0, 10))).toBe('EPERM');
      expect(await errnoOf(xc_domain_getinfo_single(g, guest))).toBe('EPERM'); // XS_PRIV: not the target itself
      expect(await errnoOf(xc_domain_pause(g, 0))).toBe('EPERM');
      expect(await errnoOf(xc_domain_getinfo_single(g, 999))).toBe('EPERM'); // no probing for ids (4.22-rc3)
    });
    expect(await errnoOf(xc_domain_getinfo_single(h.xch, 999))).toBe('ESRCH'); // the control domain is told
  });

  it('a xenstore domain may read other domains\' info (XS_PRIV) but not make sysctls', async () => {
    const xs = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.xs_domain, max_vcpus: 1 });
    await as(xs, async (x) => {
      expect((await xc_domain_getinfo_single(x, 0)).domain).toBe(0);
      expect(await errnoOf(xc_physinfo(x))).toBe('EPERM');
    });
  });

  it('dom0 named explicitly is the control domain', async () => {
    await as(0, async (x) => expect((await xc_physinfo(x)).nr_nodes).toBe(2));
  });

  it('a caller claim naming no domain, or not a domid, is UNAUTHENTICATED', async () => {
    for (const claim of ['4242', 'dom0', '1,2']) {
      const md = new grpc.Metadata();
      md.set('xen-caller-domid', claim);
      const e = await new Promise<grpc.ServiceError>((resolve, reject) =>
        h.xch.client.sysctl({ cmd: 3, interface_version: 0x16 }, md, (err) => (err ? resolve(err) : reject(new Error('accepted')))),
      );
      expect(e.code).toBe(grpc.status.UNAUTHENTICATED);
    }
  });
});

describe('privilege matrix (xsm_default_action: every domctl PRIV but getdomaininfo XS_PRIV; every sysctl PRIV)', () => {
  const h = useHost('2node');

  it('answers each domctl and sysctl as the control domain, the target itself, its device model and an unrelated guest', async () => {
    const mk = (): Promise<number> => xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 1 });
    const target = await mk();
    const dm = await mk();
    const other = await mk();
    await xc_domain_set_target(h.xch, dm, target);
    const cap = { nr_bits: 64, bitmap: { buf: Buffer.alloc(8, 0xff) } };
    const domctls: [string, xen_domctl][] = [
      ['createdomain', { cmd: 1, domain: DOMID_ANY, createdomain: { max_vcpus: 1 } }],
      ['destroydomain', { cmd: 2, domain: target }],
      ['pausedomain', { cmd: 3, domain: target }],
      ['unpausedomain', { cmd: 4, domain: target }],
      ['getdomaininfo', { cmd: 5, domain: target, getdomaininfo: {} }],
      ['setvcpuaffinity', { cmd: 9, domain: target, vcpuaffinity: { vcpu: 0, flags: 1, cpumap_hard: cap } }],
      ['getvcpuinfo', { cmd: 14, domain: target, getvcpuinfo: { vcpu: 0 } }],
      ['max_vcpus', { cmd: 15, domain: target, max_vcpus: { max: 1 } }],
      ['getvcpuaffinity', { cmd: 25, domain: target, vcpuaffinity: { vcpu: 0, flags: 1, cpumap_hard: cap } }],
      ['set_target', { cmd: 46, domain: other, set_target: { target } }],
      ['setnodeaffinity', { cmd: 68, domain: target, nodeaffinity: { nodemap: cap } }],
      ['getnodeaffinity', { cmd: 69, domain: target, nodeaffinity: { nodemap: cap } }],
    ];
    const sysctls: [string, xen_sysctl][] = [
      ['physinfo', { cmd: 3 }],
      ['sched_id', { cmd: 4 }],
      ['getdomaininfolist', { cmd: 6, getdomaininfolist: { max_domains: 8, buffer: {} } }],
      ['cputopoinfo', { cmd: 16, cputopoinfo: { num_cpus: 0 } }],
      ['numainfo', { cmd: 17, numainfo: { num_nodes: 0 } }],
      ['cpupool_op', { cmd: 18, cpupool_op: { op: 7, cpumap: cap } }],
    ];
    const callers = { target, dm, other };
    const rc = async (caller: number, kind: 'domctl' | 'sysctl', req: xen_domctl | xen_sysctl): Promise<string> => {
      const md = new grpc.Metadata();
      md.set('xen-caller-domid', String(caller));
      return new Promise((resolve, reject) => {
        const cb = (e: grpc.ServiceError | null, r?: { rc: string }): void => (e ? reject(e) : resolve(r!.rc));
        if (kind === 'domctl') h.xch.client.domctl({ ...(req as xen_domctl), interface_version: 0x18 }, md, cb);
        else h.xch.client.sysctl({ ...(req as xen_sysctl), interface_version: 0x16 }, md, cb);
      });
    };
    const table: Record<string, Record<string, string>> = {};
    for (const [name, req] of domctls) {
      table[name] = {};
      for (const [who, id] of Object.entries(callers)) table[name]![who] = await rc(id, 'domctl', req);
    }
    for (const [name, req] of sysctls) {
      table[name] = {};
      for (const [who, id] of Object.entries(callers)) table[name]![who] = await rc(id, 'sysctl', req);
    }
    const eperm = { target: '-1', dm: '-1', other: '-1' };
    expect(table).toEqual({
      createdomain: eperm,
      destroydomain: eperm,
      pausedomain: eperm,
      unpausedomain: eperm,
      getdomaininfo: { target: '-1', dm: '0', other: '-1' }, // XS_PRIV: the device model, not the target itself
      setvcpuaffinity: eperm,
      getvcpuinfo: eperm,
      max_vcpus: eperm,
      getvcpuaffinity: eperm,
      set_target: eperm,
      setnodeaffinity: eperm,
      getnodeaffinity: eperm,
      physinfo: eperm,
      sched_id: eperm,
      getdomaininfolist: eperm,
      cputopoinfo: eperm,
      numainfo: eperm,
      cpupool_op: eperm,
    });
    // The control domain may do all of it; the state the guests could not change is unchanged.
    for (const [, req] of sysctls) expect(await rc(0, 'sysctl', req)).toBe('0');
    expect(await rc(0, 'domctl', domctls[4]![1])).toBe('0');
    expect((await xc_domain_getinfo_single(h.xch, target)).flags & 8).toBe(8); // still paused once
  });

  it('set_target: a missing target is -ESRCH; itself or a second target is -EINVAL', async () => {
    const a = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm, max_vcpus: 1 });
    const b = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm, max_vcpus: 1 });
    expect(await errnoOf(xc_domain_set_target(h.xch, a, 999))).toBe('ESRCH');
    expect(await errnoOf(xc_domain_set_target(h.xch, a, a))).toBe('EINVAL');
    await xc_domain_set_target(h.xch, a, b);
    expect(await errnoOf(xc_domain_set_target(h.xch, a, 0))).toBe('EINVAL');
  });
});

// do_sysctl, do_multicall and the hypercall table in the engine alone (no gRPC): guest handles
// are GuestHandle objects, and the copy-back rule is visible on the argument objects themselves
// (xen/common/sysctl.c: do_sysctl; xen/common/multicall.c: do_multicall).
import { MEMF, memflags } from '../hypervisor/page_alloc.js';
import { describe, expect, it } from 'vitest';
import { GuestHandle } from '../hypervisor/guest_handle.js';
import type { MulticallEntry } from '../hypervisor/hypercall.js';
import { domid } from '../hypervisor/ids.js';
import type { xen_domctl_getdomaininfo } from '../hypervisor/public/domctl.js';
import type {
  xen_sysctl,
  xen_sysctl_cpupool_op,
  xen_sysctl_cputopo,
  xen_sysctl_cputopoinfo,
  xen_sysctl_getdomaininfolist,
  xen_sysctl_meminfo,
  xen_sysctl_numainfo,
  xen_sysctl_physinfo,
} from '../hypervisor/public/sysctl.js';
import { presentPages, validateTopology, type HostTopology } from '../hypervisor/topology.js';
import { Xen } from '../hypervisor/xen.js';
import { Host } from '../hypervisor/host.js';
import { presetTopology } from '../hypervisor/presets.js';

const dom0 = domid(0);
const V = 0x16; // XEN_SYSCTL_INTERFACE_VERSION
const INVALID = 0xffffffff;
const GiB_PAGES = 1 << 18;
const GiB = 1n << 30n;

/** Nodes 0 and 2 (1 absent); CPU 2 absent, CPU 4 without a node; a SLIT with an unknown entry. */
const topology: HostTopology = validateTopology({
  name: 'engine-small',
  nr_cpus_limit: 64,
  nr_cpu_ids: 6,
  nodes: [
    { id: 0, online: true, memory: [{ start_mfn: 0, end_mfn: 3 * GiB_PAGES }, { start_mfn: 4 * GiB_PAGES, end_mfn: 5 * GiB_PAGES }] },
    { id: 2, online: true, memory: [{ start_mfn: 5 * GiB_PAGES, end_mfn: 7 * GiB_PAGES }] },
  ],
  cpus: [
    { id: 0, core: 0, socket: 0, node: 0, online: true },
    { id: 1, core: 0, socket: 0, node: 0, online: true },
    { id: 3, core: 1, socket: 0, node: 2, online: true },
    { id: 4, core: 2, socket: 0, node: null, online: true },
  ],
  distances: [
    [10, null, 21],
    [null, 10, null],
    [21, null, 10],
  ],
  cpu_khz: 2_000_000,
  capabilities: 0x33f,
  hw_cap: [11, 12, 13, 14, 15, 16, 17, 18],
});
const DOM0_PAGES = GiB_PAGES; // dom0_mem=1G
const TOTAL = topology.nodes.reduce((s, n) => s + presentPages(n), 0);

const boot = (): Xen => new Xen({ topology, dom0_mem: '1G' });

function zeroPhysinfo(fill = 0): xen_sysctl_physinfo {
  return {
    threads_per_core: fill, cores_per_socket: fill, nr_cpus: fill, max_cpu_id: fill, nr_nodes: fill, max_node_id: fill,
    cpu_khz: fill, capabilities: fill, arch_capabilities: fill, pad: fill, total_pages: fill, free_pages: fill,
    scrub_pages: fill, outstanding_pages: fill, max_mfn: fill, hw_cap: new Array<number>(8).fill(fill),
  };
}

function physinfo(xen: Xen, version = V, op = zeroPhysinfo()): { rc: number; op: xen_sysctl_physinfo } {
  const rc = xen.hypercall(dom0, { op: 35, args: { cmd: 3, interface_version: version, u: { kind: 'physinfo', op } } });
  return { rc, op };
}

function numainfo(xen: Xen, op: xen_sysctl_numainfo, version = V): number {
  return xen.hypercall(dom0, { op: 35, args: { cmd: 17, interface_version: version, u: { kind: 'numainfo', op } } });
}

function cputopoinfo(xen: Xen, op: xen_sysctl_cputopoinfo): number {
  return xen.hypercall(dom0, { op: 35, args: { cmd: 16, interface_version: V, u: { kind: 'cputopoinfo', op } } });
}

function getdomaininfolist(xen: Xen, op: xen_sysctl_getdomaininfolist): number {
  return xen.hypercall(dom0, { op: 35, args: { cmd: 6, interface_version: V, u: { kind: 'getdomaininfolist', op } } });
}

const out = <T>(): GuestHandle<T> => new GuestHandle<T>([]); // a non-NULL OUT buffer
const nul = <T>(): GuestHandle<T> => GuestHandle.null<T>();

describe('physinfo in the engine (do_sysctl physinfo, arch_do_physinfo)', () => {
  it('after boot: every field from the topology; free = total - dom0 pages; max_node_id 63, scrub 0 (statements 36, 37)', () => {
    const { rc, op } = physinfo(boot());
    expect(rc).toBe(0);
    expect(op).toEqual({
      threads_per_core: 2, // CPUs 0 and 1 share socket 0 core 0
      cores_per_socket: 2, // 4 online CPUs in socket 0 / 2 threads
      nr_cpus: 4,
      max_cpu_id: 5,
      nr_nodes: 2,
      max_node_id: 63,
      cpu_khz: 2_000_000,
      capabilities: 0x33f,
      arch_capabilities: 0,
      pad: 0,
      total_pages: TOTAL,
      free_pages: TOTAL - DOM0_PAGES - 1, // MFN 0 never enters the heap (init_heap_pages)
      scrub_pages: 0,
      outstanding_pages: 0,
      max_mfn: 7 * GiB_PAGES - 1,
      hw_cap: topology.hw_cap,
    });
    expect(TOTAL).toBe(6 * GiB_PAGES);
  });

  it('reads the live heap counters: pages taken from node 0 lower free_pages and node 0 memfree alike', () => {
    const xen = boot();
    const mem = (): xen_sysctl_meminfo[] => {
      const meminfo = out<xen_sysctl_meminfo>();
      expect(numainfo(xen, { num_nodes: 3, meminfo, distance: nul() })).toBe(0);
      return meminfo.written!;
    };
    const freeBefore = physinfo(xen).op.free_pages;
    const node0Before = mem()[0]!.memfree;
    expect(xen.heap.alloc_heap_pages(1, 40, 6, memflags(MEMF.exact_node, 0), null)?.node).toBe(0);
    expect(physinfo(xen).op.free_pages).toBe(freeBefore - 64);
    expect(mem()[0]!.memfree).toBe(node0Before - (64n << 12n));
    expect(mem()[0]!.memsize).toBe(5n * GiB); // spanned size does not move
  });

  it('outstanding_pages mirrors the global claims; free_pages does not subtract them (statement 38)', () => {
    const xen = boot();
    xen.heap.outstanding_claims = 1234;
    expect(physinfo(xen).op).toMatchObject({ outstanding_pages: 1234, free_pages: TOTAL - DOM0_PAGES - 1 });
  });

  it('a wrong interface_version is -EACCES and the payload is left exactly as the caller passed it (statement 2)', () => {
    const xen = boot();
    for (const v of [0, 0x15, 0x17]) {
      const { rc, op } = physinfo(xen, v, zeroPhysinfo(777));
      expect(rc).toBe(-13);
      expect(op).toEqual(zeroPhysinfo(777));
    }
  });

  it('a wrong version writes no guest buffer and leaves num_nodes alone (numainfo)', () => {
    const op: xen_sysctl_numainfo = { num_nodes: 1, meminfo: out(), distance: out() };
    expect(numainfo(boot(), op, 0x15)).toBe(-13);
    expect(op.num_nodes).toBe(1);
    expect(op.meminfo.written).toBeNull();
    expect(op.distance.written).toBeNull();
  });
});

describe('numainfo guest handles in the engine (do_sysctl numainfo)', () => {
  const xen = boot();

  it('both handles NULL is the count query: num_nodes = highest online node + 1, whatever was passed (statement 40)', () => {
    for (const n of [0, 1, 64]) {
      const op: xen_sysctl_numainfo = { num_nodes: n, meminfo: nul(), distance: nul() };
      expect(numainfo(xen, op)).toBe(0);
      expect(op.num_nodes).toBe(3);
    }
  });

  it('a non-NULL OUT handle never faults (the capacity is num_nodes, not the buffer); absent node 1 is ~0U (statement 41)', () => {
    const op: xen_sysctl_numainfo = { num_nodes: 3, meminfo: out(), distance: out() };
    expect(numainfo(xen, op)).toBe(0);
    expect(op.meminfo.written).toEqual([
      { memsize: 5n * GiB, memfree: 4n * GiB - 4096n }, // less MFN 0
      { memsize: 0xffffffffn, memfree: 0xffffffffn },
      { memsize: 2n * GiB, memfree: 1n * GiB }, // dom0's 1 GiB: the node after 0 in {0, 2} (statement 51)
    ]);
    expect(op.distance.written).toEqual([10, INVALID, 21, INVALID, 10, INVALID, 21, INVALID, 10]);
  });

  it('a NULL meminfo with a non-NULL distance writes only distances', () => {
    const op: xen_sysctl_numainfo = { num_nodes: 3, meminfo: nul(), distance: out() };
    expect(numainfo(xen, op)).toBe(0);
    expect(op.meminfo.written).toBeNull();
    expect(op.distance.written).toHaveLength(9);
    expect(op.num_nodes).toBe(3);
  });

  it('a NULL distance with a non-NULL meminfo writes only meminfo', () => {
    const op: xen_sysctl_numainfo = { num_nodes: 3, meminfo: out(), distance: nul() };
    expect(numainfo(xen, op)).toBe(0);
    expect(op.meminfo.written).toHaveLength(3);
    expect(op.distance.written).toBeNull();
  });

  it('num_nodes 1 fills one row and stays 1; distances row-major by 1 (statement 43)', () => {
    const op: xen_sysctl_numainfo = { num_nodes: 1, meminfo: out(), distance: out() };
    expect(numainfo(xen, op)).toBe(0);
    expect(op.num_nodes).toBe(1);
    expect(op.meminfo.written).toHaveLength(1);
    expect(op.distance.written).toEqual([10]);
  });

  it('without a SLIT: 10 local, 20 remote (__node_distance, statement 42)', () => {
    const flat = new Xen({ topology: { ...topology, distances: null }, dom0_mem: '1G' });
    const op: xen_sysctl_numainfo = { num_nodes: 3, meminfo: nul(), distance: out() };
    expect(numainfo(flat, op)).toBe(0);
    expect(op.distance.written).toEqual([10, 20, 20, 20, 10, 20, 20, 20, 10]);
  });
});

describe('cputopoinfo guest handles in the engine (do_sysctl cputopoinfo)', () => {
  const xen = boot();

  it('a NULL handle is the count query: last present CPU + 1 (statement 44)', () => {
    const op: xen_sysctl_cputopoinfo = { num_cpus: 1, cputopo: nul() };
    expect(cputopoinfo(xen, op)).toBe(0);
    expect(op.num_cpus).toBe(5);
  });

  it('rows: absent CPU 2 all ~0U, node-less CPU 4 node ~0U (statement 44)', () => {
    const op: xen_sysctl_cputopoinfo = { num_cpus: 100, cputopo: out() };
    expect(cputopoinfo(xen, op)).toBe(0);
    expect(op.num_cpus).toBe(5);
    expect(op.cputopo.written).toEqual<xen_sysctl_cputopo[]>([
      { core: 0, socket: 0, node: 0 },
      { core: 0, socket: 0, node: 0 },
      { core: INVALID, socket: INVALID, node: INVALID },
      { core: 1, socket: 0, node: 2 },
      { core: 2, socket: 0, node: INVALID },
    ]);
  });

  it('num_cpus 0 with a buffer writes nothing and reports 0', () => {
    const op: xen_sysctl_cputopoinfo = { num_cpus: 0, cputopo: out() };
    expect(cputopoinfo(xen, op)).toBe(0);
    expect(op).toMatchObject({ num_cpus: 0 });
    expect(op.cputopo.written).toBeNull();
  });
});

describe('getdomaininfolist in the engine (do_sysctl getdomaininfolist)', () => {
  const xen = boot();
  const list = (buffer: GuestHandle<xen_domctl_getdomaininfo>, first_domain: number, max_domains: number): xen_sysctl_getdomaininfolist => ({
    first_domain,
    max_domains,
    buffer,
    num_domains: 77,
  });

  it('a NULL buffer is written to, so it faults (-EFAULT), and the struct is not copied back', () => {
    const op = list(nul(), 0, 4);
    expect(getdomaininfolist(xen, op)).toBe(-14);
    expect(op.num_domains).toBe(77);
  });

  it('a NULL buffer is harmless when nothing is to be written: max_domains 0, or no domain from first_domain', () => {
    const none = list(nul(), 0, 0);
    expect(getdomaininfolist(xen, none)).toBe(0);
    expect(none.num_domains).toBe(0);
    const past = list(nul(), 1, 4);
    expect(getdomaininfolist(xen, past)).toBe(0);
    expect(past.num_domains).toBe(0);
  });

  it("a present buffer gets dom0's getdomaininfo: tot_pages = dom0_mem pages, 4 vCPUs online", () => {
    const buf = out<xen_domctl_getdomaininfo>();
    const op = list(buf, 0, 4);
    expect(getdomaininfolist(xen, op)).toBe(0);
    expect(op.num_domains).toBe(1);
    expect(buf.written).toHaveLength(1);
    expect(buf.written![0]).toMatchObject({ domain: 0, tot_pages: DOM0_PAGES, max_vcpu_id: 3, nr_online_vcpus: 4 });
  });
});

describe('the hypercall table and do_multicall in the engine', () => {
  it('an unknown sysctl (kind other) is -ENOSYS; with a wrong version -EACCES comes first', () => {
    const xen = boot();
    const other = (v: number): xen_sysctl => ({ cmd: 99, interface_version: v, u: { kind: 'other' } });
    expect(xen.hypercall(dom0, { op: 35, args: other(V) })).toBe(-38);
    expect(xen.hypercall(dom0, { op: 35, args: other(0) })).toBe(-13);
  });

  it('an unserved hypercall number is -ENOSYS', () => {
    expect(boot().hypercall(dom0, { op: 99, args: null })).toBe(-38);
  });

  it('a hypercall from a domain that does not exist is a programming error, not an errno', () => {
    expect(() => boot().hypercall(domid(9), { op: 99, args: null })).toThrow(RangeError);
  });

  it('sysctl from an unprivileged domain: -EPERM after the version check, payload not copied back (xsm_sysctl XSM_PRIV)', () => {
    const xen = boot();
    const create = {
      cmd: 1, interface_version: 0x18, domain: 0x7ff5,
      u: {
        kind: 'createdomain' as const,
        op: {
          ssidref: 0, handle: new Uint8Array(16), flags: 0, iommu_opts: 0, max_vcpus: 1, max_evtchn_port: 0, max_grant_frames: -1,
          max_maptrack_frames: -1, grant_opts: 0, altp2m_opts: 0, altp2m_nr: 0, vmtrace_size: 0, cpupool_id: 0, arch: { emulation_flags: 0, misc_flags: 0 },
        },
      },
    };
    expect(xen.hypercall(dom0, { op: 36, args: create })).toBe(0);
    const domU = domid(create.domain);
    expect(domU).not.toBe(0x7ff5);
    const op = zeroPhysinfo(5);
    expect(xen.hypercall(domU, { op: 35, args: { cmd: 3, interface_version: V, u: { kind: 'physinfo', op } } })).toBe(-1);
    expect(op).toEqual(zeroPhysinfo(5));
    expect(xen.hypercall(domU, { op: 35, args: { cmd: 3, interface_version: 0, u: { kind: 'physinfo', op } } })).toBe(-13);
  });

  it('multicall: entries run in order and fill their own args; a nested multicall is -EINVAL (statement 76)', () => {
    const xen = boot();
    const pi = zeroPhysinfo();
    const inner: MulticallEntry[] = [{ call: { op: 17, args: { cmd: 7, out: { kind: 'none' } } }, result: 1 }];
    const entries: MulticallEntry[] = [
      { call: { op: 35, args: { cmd: 3, interface_version: V, u: { kind: 'physinfo', op: pi } } }, result: 1 },
      { call: { op: 13, args: inner }, result: 1 },
      { call: { op: 35, args: { cmd: 3, interface_version: 0x15, u: { kind: 'other' } } }, result: 1 },
      { call: { op: 17, args: { cmd: 0, out: { kind: 'none' } } }, result: 1 },
    ];
    expect(xen.hypercall(dom0, { op: 13, args: entries })).toBe(0);
    expect(entries.map((e) => e.result)).toEqual([0, -22, -13, (4 << 16) | 22]);
    expect(pi.nr_nodes).toBe(2);
    expect(inner[0]!.result).toBe(1); // never ran
    expect(xen.in_multicall).toBe(false);
    // And a multicall issued afterwards is not taken for a nested one.
    const again: MulticallEntry[] = [{ call: { op: 17, args: { cmd: 7, out: { kind: 'none' } } }, result: 1 }];
    expect(xen.hypercall(dom0, { op: 13, args: again })).toBe(0);
    expect(again[0]!.result).toBe(4096);
  });
});

describe('physinfo cores_per_socket (arch_do_physinfo)', () => {
  it('divides as C does: 3 online CPUs of socket 0 with 2 threads per core give 1, not 1.5', () => {
    const t = presetTopology('1node')!;
    // Take CPU 3 (the sibling of CPU 2) and every CPU above it offline.
    const host = new Host({ ...t, cpus: t.cpus.map((c) => ({ ...c, online: c.id < 3 })) });
    expect([host.threads_per_core, host.cores_per_socket]).toEqual([2, 1]);
  });
});

describe('cpupool_op INFO in the engine (cpupool_do_sysctl, Pool-0 only)', () => {
  const info = (xen: Xen, cpupool_id: number, nr_bits = 8): { rc: number; op: xen_sysctl_cpupool_op } => {
    const op: xen_sysctl_cpupool_op = { op: 3, cpupool_id, sched_id: 0, domid: 0, cpu: 0, n_dom: 0, cpumap: { bitmap: new Uint8Array(Math.ceil(nr_bits / 8)), nr_bits, written: null } };
    return { rc: xen.hypercall(dom0, { op: 35, args: { cmd: 18, interface_version: V, u: { kind: 'cpupool_op', op } } }), op };
  };

  it('pool 0: id 0, credit2 (6), n_dom 1 (dom0), cpu_valid = the online CPUs 0, 1, 3, 4', () => {
    const { rc, op } = info(boot(), 0);
    expect(rc).toBe(0);
    expect([op.cpupool_id, op.sched_id, op.n_dom]).toEqual([0, 6, 1]);
    expect([...op.cpumap.written!]).toEqual([0b11011]);
  });

  it('n_dom counts every domain in the pool: a created domain makes 2', () => {
    const xen = boot();
    const create = {
      cmd: 1, interface_version: 0x18, domain: 0x7ff5,
      u: {
        kind: 'createdomain' as const,
        op: {
          ssidref: 0, handle: new Uint8Array(16), flags: 0, iommu_opts: 0, max_vcpus: 1, max_evtchn_port: 0, max_grant_frames: -1,
          max_maptrack_frames: -1, grant_opts: 0, altp2m_opts: 0, altp2m_nr: 0, vmtrace_size: 0, cpupool_id: 0, arch: { emulation_flags: 0, misc_flags: 0 },
        },
      },
    };
    expect(xen.hypercall(dom0, { op: 36, args: create })).toBe(0);
    expect(info(xen, 0).op.n_dom).toBe(2);
  });

  it('no pool with an id >= cpupool_id: -ENOENT, nothing written (ids 1 and 0xffffffff)', () => {
    for (const id of [1, 0xffffffff]) {
      const { rc, op } = info(boot(), id);
      expect(rc).toBe(-2);
      expect([op.cpupool_id, op.sched_id, op.n_dom, op.cpumap.written]).toEqual([id, 0, 0, null]);
    }
  });

  it('a short guest map gets the bytes that fit (nr_bits 0: nothing written, still 0)', () => {
    const r = info(boot(), 0, 0);
    expect(r.rc).toBe(0);
    expect(r.op.cpumap.written).toBeNull();
    expect(r.op.n_dom).toBe(1);
  });
});

// XEN_SYSCTL_* (and the domctl envelope) over the real wire: xen/common/sysctl.c: do_sysctl,
// xen/arch/x86/sysctl.c: arch_do_physinfo, xen/common/domctl.c: do_domctl. Expectations are
// computed from the HostTopology (or written out literally), never read back from the engine.
import { describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { presentPages, validateTopology, type HostTopology } from '../hypervisor/topology.js';
import { xc_cpupool_getinfo, xc_cputopoinfo, xc_domain_create, xc_domain_destroy, xc_domain_getinfo_single, xc_domain_getinfolist, xc_numainfo, xc_physinfo, type xc_meminfo_t } from '../libxc/xenctrl.js';
import type { HypervisorClient } from '../proto/generated/xen/Hypervisor.js';
import type { xen_sysctl_numainfo } from '../proto/generated/xen/xen_sysctl_numainfo.js';
import { preset, startHost, useHost } from './harness.js';
import { domctl, DOMCTL_V, sysctl, SYSCTL_V } from './wire.js';

const INVALID = 0xffffffff; // XEN_INVALID_{CORE,SOCKET,NODE}_ID, XEN_INVALID_NODE_DIST
const XEN_INVALID_MEM_SZ = '4294967295'; // ~0U stored in a u64
const PAGES_PER_GIB = 1 << 18;
const DOM0_DEFAULT_PAGES = 4096 * 256; // dom0_mem=4096M
const XEN_DOMINF = { dying: 0x1, hvm_guest: 0x2, paused: 0x8, running: 0x20 };

/** Node i's spanned pages (node_spanned_pages): first to last frame, holes included. */
function spannedPages(t: HostTopology, node: number): number {
  const n = t.nodes.find((x) => x.id === node)!;
  return Math.max(...n.memory.map((r) => r.end_mfn)) - Math.min(...n.memory.map((r) => r.start_mfn));
}

/** physinfo as arch_do_physinfo fills it, derived from the firmware description alone. */
function expectedPhysinfo(t: HostTopology, dom0Pages: number): Record<string, unknown> {
  const online = t.cpus.filter((c) => c.online);
  const cpu0 = t.cpus.find((c) => c.id === 0)!;
  const threads = online.filter((c) => c.socket === cpu0.socket && c.core === cpu0.core).length; // cpu_sibling_mask
  const total = t.nodes.reduce((s, n) => s + presentPages(n), 0);
  const maxPage = Math.max(...t.nodes.flatMap((n) => n.memory.map((r) => r.end_mfn)));
  return {
    threads_per_core: threads,
    cores_per_socket: online.filter((c) => c.socket === cpu0.socket).length / threads, // cpu_core_mask / threads
    nr_cpus: online.length,
    max_cpu_id: t.nr_cpu_ids - 1,
    nr_nodes: t.nodes.filter((n) => n.online).length,
    max_node_id: 63, // MAX_NUMNODES - 1, whatever the topology (statement 36)
    cpu_khz: t.cpu_khz,
    capabilities: t.capabilities,
    arch_capabilities: 0,
    pad: 0,
    total_pages: String(total),
    free_pages: String(total - dom0Pages - 1), // MFN 0 never enters the heap (init_heap_pages)
    scrub_pages: '0', // hard-coded in do_sysctl (statement 37)
    outstanding_pages: '0',
    // get_upper_mfn_bound: the highest RAM frame (max_page - 1), capped at 2^32 frames without CONFIG_BIGMEM.
    max_mfn: String(Math.min(maxPage, 2 ** 32) - 1),
    hw_cap: t.hw_cap,
  };
}

/** The facts of each preset written out, so a shared mistake in the derivation above shows. */
const PRESET_FACTS: Record<string, { threads: number; cores: number; cpus: number; nodes: number; totalGiB: number; maxMfn: number }> = {
  '4node': { threads: 2, cores: 16, cpus: 64, nodes: 4, totalGiB: 256, maxMfn: 257 * PAGES_PER_GIB - 1 },
  '8node-amd': { threads: 1, cores: 16, cpus: 64, nodes: 8, totalGiB: 128, maxMfn: 129 * PAGES_PER_GIB - 1 },
  // 16 TiB of RAM ends at frame 2^32 + 2^18 (the 1 GiB hole pushes it up); max_mfn is capped at 2^32 - 1.
  '64node': { threads: 2, cores: 256, cpus: 4096, nodes: 64, totalGiB: 16384, maxMfn: 2 ** 32 - 1 },
};

for (const name of Object.keys(PRESET_FACTS)) {
  describe(`preset ${name}: physinfo and numainfo (do_sysctl, arch_do_physinfo)`, () => {
    const h = useHost(name);
    const t = preset(name);
    const facts = PRESET_FACTS[name]!;
    const c = (): HypervisorClient => h.xch.client;

    it('physinfo: every field as the topology gives it; max_node_id 63, scrub_pages 0 (statements 36, 37)', async () => {
      const r = await sysctl(c(), { cmd: 3, interface_version: SYSCTL_V });
      expect(r.rc).toBe('0');
      expect(r.op!.physinfo).toEqual(expectedPhysinfo(t, DOM0_DEFAULT_PAGES));
      expect(r.op!.physinfo!.hw_cap).toHaveLength(8);
    });

    it('physinfo through xc_physinfo matches the literal facts of the preset', async () => {
      const p = await xc_physinfo(h.xch);
      expect([p.threads_per_core, p.cores_per_socket, p.nr_cpus, p.max_cpu_id, p.nr_nodes]).toEqual([
        facts.threads, facts.cores, facts.cpus, facts.cpus - 1, facts.nodes,
      ]);
      expect(p.total_pages).toBe(facts.totalGiB * PAGES_PER_GIB);
      expect(p.free_pages).toBe(facts.totalGiB * PAGES_PER_GIB - DOM0_DEFAULT_PAGES - 1); // less MFN 0
      expect(p.max_mfn).toBe(facts.maxMfn);
    });

    it('numainfo full query: spanned memsize (node 0 includes the MMIO hole), memfree, SLIT row-major (do_sysctl numainfo)', async () => {
      const n = t.nodes.length;
      const r = await sysctl(c(), { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: n, meminfo: {}, distance: {} } });
      expect(r.rc).toBe('0');
      const ni = r.op!.numainfo!;
      expect(ni.num_nodes).toBe(n);
      const rows = ni.meminfo!.buf;
      expect(rows.map((m) => m.memsize)).toEqual(t.nodes.map((x) => String(BigInt(spannedPages(t, x.id)) << 12n)));
      // Node 0 spans 1 GiB more than it holds: RAM stops at 3 GiB and resumes at 4 GiB.
      expect(BigInt(rows[0]!.memsize) - (BigInt(presentPages(t.nodes[0]!)) << 12n)).toBe(1n << 30n);
      // memfree: free heap per node; together they are physinfo's free_pages, none above its node's RAM.
      const free = rows.map((m) => BigInt(m.memfree));
      expect(free.reduce((a, b) => a + b, 0n)).toBe(BigInt(facts.totalGiB * PAGES_PER_GIB - DOM0_DEFAULT_PAGES - 1) << 12n);
      free.forEach((f, i) => expect(f <= BigInt(presentPages(t.nodes[i]!)) << 12n).toBe(true));
      expect(ni.distance!.buf).toEqual(t.distances!.flat());
    });
  });
}

/**
 * A host with holes: node 1 listed offline, node 3 absent; CPU 2 and 7 absent, CPU 3 without a
 * node, CPU 6 present but offline (on the offline node 1); a SLIT with unknown entries (null)
 * and one 255 (unreachable), both reported as XEN_INVALID_NODE_DIST.
 */
const holes: HostTopology = validateTopology({
  name: 'holes',
  nr_cpus_limit: 256,
  nr_cpu_ids: 8,
  nodes: [
    { id: 0, online: true, memory: [{ start_mfn: 0, end_mfn: 3 * PAGES_PER_GIB }, { start_mfn: 4 * PAGES_PER_GIB, end_mfn: 5 * PAGES_PER_GIB }] },
    { id: 1, online: false, memory: [] },
    { id: 2, online: true, memory: [{ start_mfn: 5 * PAGES_PER_GIB, end_mfn: 7 * PAGES_PER_GIB }] },
    { id: 4, online: true, memory: [{ start_mfn: 7 * PAGES_PER_GIB, end_mfn: 8 * PAGES_PER_GIB }] },
  ],
  cpus: [
    { id: 0, core: 0, socket: 0, node: 0, online: true },
    { id: 1, core: 1, socket: 0, node: 0, online: true },
    { id: 3, core: 0, socket: 1, node: null, online: true },
    { id: 4, core: 1, socket: 1, node: 2, online: true },
    { id: 5, core: 0, socket: 2, node: 4, online: true },
    { id: 6, core: 1, socket: 2, node: 1, online: false },
  ],
  distances: [
    [10, null, 17, null, 22],
    [null, 10, null, null, null],
    [17, null, 10, null, 15],
    [null, null, null, 10, null],
    [22, null, 255, null, 10],
  ],
  cpu_khz: 1_800_000,
  capabilities: 3,
  hw_cap: [1, 2, 3, 4, 5, 6, 7, 8],
});
const GiB = 1n << 30n;

describe('numainfo on a host with offline and absent node ids (do_sysctl numainfo)', () => {
  const h = useHost(holes, { dom0_mem: '1G' });
  const c = (): HypervisorClient => h.xch.client;
  const numainfo = (ni: xen_sysctl_numainfo) => sysctl(c(), { cmd: 17, interface_version: SYSCTL_V, numainfo: ni });

  it('count query (both handles NULL) = highest online node + 1 = 5, nothing written (statement 40)', async () => {
    const r = await numainfo({ num_nodes: 0 });
    expect(r.rc).toBe('0');
    expect(r.op!.numainfo).toMatchObject({ num_nodes: 5, meminfo: null, distance: null });
    // The caller's capacity is irrelevant to a count query: it is overwritten either way.
    expect((await numainfo({ num_nodes: 64 })).op!.numainfo!.num_nodes).toBe(5);
    expect(await xc_numainfo(h.xch, 0, null, null)).toBe(5);
  });

  it('offline (1) and absent (3) ids report memsize = memfree = 0xFFFFFFFF (XEN_INVALID_MEM_SZ, statement 41)', async () => {
    const r = await numainfo({ num_nodes: 5, meminfo: {}, distance: {} });
    expect(r.rc).toBe('0');
    // dom0's 1 GiB is its first allocation: get_free_buddy starts at the node after 0 in its
    // node affinity {0, 2, 4} (statement 51), i.e. node 2.
    expect(r.op!.numainfo!.meminfo!.buf).toEqual([
      { memsize: String(5n * GiB), memfree: String(4n * GiB - 4096n) }, // MFN 0 is not in the heap
      { memsize: XEN_INVALID_MEM_SZ, memfree: XEN_INVALID_MEM_SZ },
      { memsize: String(2n * GiB), memfree: String(1n * GiB) },
      { memsize: XEN_INVALID_MEM_SZ, memfree: XEN_INVALID_MEM_SZ },
      { memsize: String(1n * GiB), memfree: String(1n * GiB) },
    ]);
    expect(r.op!.numainfo!.num_nodes).toBe(5);
  });

  it('distances: SLIT null and 255 become 0xFFFFFFFF (XEN_INVALID_NODE_DIST, __node_distance); row-major by 5', async () => {
    const r = await numainfo({ num_nodes: 5, distance: {} });
    const I = INVALID;
    expect(r.op!.numainfo!.distance!.buf).toEqual([
      10, I, 17, I, 22,
      I, 10, I, I, I,
      17, I, 10, I, 15,
      I, I, I, 10, I,
      22, I, I, I, 10,
    ]);
  });

  it('a short buffer gets partial data and num_nodes is not raised; distances row-major by the count written (statement 43)', async () => {
    const r = await numainfo({ num_nodes: 3, meminfo: {}, distance: {} });
    expect(r.rc).toBe('0');
    expect(r.op!.numainfo!.num_nodes).toBe(3);
    expect(r.op!.numainfo!.meminfo!.buf.map((m) => m.memsize)).toEqual([String(5n * GiB), XEN_INVALID_MEM_SZ, String(2n * GiB)]);
    expect(r.op!.numainfo!.distance!.buf).toEqual([10, INVALID, 17, INVALID, 10, INVALID, 17, INVALID, 10]);
  });

  it('only a meminfo handle: meminfo written, distance absent from the reply', async () => {
    const r = await numainfo({ num_nodes: 5, meminfo: {} });
    expect(r.op!.numainfo!.meminfo!.buf).toHaveLength(5);
    expect(r.op!.numainfo!.distance).toBeNull();
  });

  it('only a distance handle: distances written, meminfo absent; a capacity above N is corrected down', async () => {
    const r = await numainfo({ num_nodes: 50, distance: {} });
    expect(r.op!.numainfo!.meminfo).toBeNull();
    expect(r.op!.numainfo!.distance!.buf).toHaveLength(25);
    expect(r.op!.numainfo!.num_nodes).toBe(5);
  });

  it('num_nodes 0 with both handles present writes nothing: both buffers absent, num_nodes 0', async () => {
    const r = await numainfo({ num_nodes: 0, meminfo: {}, distance: {} });
    expect(r.rc).toBe('0');
    expect(r.op!.numainfo).toMatchObject({ num_nodes: 0, meminfo: null, distance: null });
  });

  it('xc_numainfo fills the caller arrays as C does and returns the row count', async () => {
    const mem: xc_meminfo_t[] = Array.from({ length: 2 }, () => ({ memsize: 0n, memfree: 0n }));
    const dist = new Array<number>(4).fill(-1);
    expect(await xc_numainfo(h.xch, 2, mem, dist)).toBe(2);
    expect(mem).toEqual([
      { memsize: 5n * GiB, memfree: 4n * GiB - 4096n },
      { memsize: 0xffffffffn, memfree: 0xffffffffn },
    ]);
    expect(dist).toEqual([10, INVALID, INVALID, 10]);
  });

  it('physinfo counts online nodes and CPUs only; max_cpu_id is nr_cpu_ids - 1 (arch_do_physinfo)', async () => {
    const p = await xc_physinfo(h.xch);
    expect(p).toMatchObject({ nr_nodes: 3, nr_cpus: 5, max_cpu_id: 7, max_node_id: 63, threads_per_core: 1, cores_per_socket: 2 });
    expect(p.total_pages).toBe(7 * PAGES_PER_GIB);
    expect(p.free_pages).toBe(6 * PAGES_PER_GIB - 1); // MFN 0 is not in the heap
    expect(p.max_mfn).toBe(8 * PAGES_PER_GIB - 1);
  });

  it('without a SLIT every distance is 10 local / 20 remote, offline ids included (__node_distance, statement 42)', async () => {
    const flat = await startHost({ ...holes, distances: null }, { dom0_mem: '1G' });
    try {
      const r = await sysctl(flat.xch.client, { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: 5, distance: {} } });
      expect(r.op!.numainfo!.distance!.buf).toEqual(Array.from({ length: 25 }, (_, k) => (Math.floor(k / 5) === k % 5 ? 10 : 20)));
    } finally {
      await flat.close();
    }
  });
});

describe('cputopoinfo on a host with absent CPUs (do_sysctl cputopoinfo)', () => {
  const h = useHost(holes, { dom0_mem: '1G' });
  const c = (): HypervisorClient => h.xch.client;

  it('count query (NULL handle) = last present CPU + 1 = 7, not nr_cpu_ids (statement 44)', async () => {
    const q = await sysctl(c(), { cmd: 16, interface_version: SYSCTL_V, cputopoinfo: { num_cpus: 0 } });
    expect(q.rc).toBe('0');
    expect(q.op!.cputopoinfo).toMatchObject({ num_cpus: 7, cputopo: null });
    expect(await xc_cputopoinfo(h.xch, 0, null)).toBe(7);
  });

  it('absent CPU 2 reports ~0U for core, socket and node; a node-less CPU reports node ~0U (statement 44)', async () => {
    const r = await sysctl(c(), { cmd: 16, interface_version: SYSCTL_V, cputopoinfo: { num_cpus: 64, cputopo: {} } });
    expect(r.rc).toBe('0');
    expect(r.op!.cputopoinfo!.num_cpus).toBe(7); // a capacity above N is corrected down
    const rows = r.op!.cputopoinfo!.cputopo!.buf;
    // CPU 6 is present but offline: it gets a row, but what Xen reports in it depends on whether
    // it was ever brought up (cpu_data), so its values are not pinned here.
    expect(rows).toHaveLength(7);
    expect(rows.slice(0, 6)).toEqual([
      { core: 0, socket: 0, node: 0 },
      { core: 1, socket: 0, node: 0 },
      { core: INVALID, socket: INVALID, node: INVALID },
      { core: 0, socket: 1, node: INVALID },
      { core: 1, socket: 1, node: 2 },
      { core: 0, socket: 2, node: 4 },
    ]);
  });

  it('a short buffer is filled partially and num_cpus is the count written', async () => {
    const r = await sysctl(c(), { cmd: 16, interface_version: SYSCTL_V, cputopoinfo: { num_cpus: 3, cputopo: {} } });
    expect(r.op!.cputopoinfo!.num_cpus).toBe(3);
    expect(r.op!.cputopoinfo!.cputopo!.buf).toEqual([
      { core: 0, socket: 0, node: 0 },
      { core: 1, socket: 0, node: 0 },
      { core: INVALID, socket: INVALID, node: INVALID },
    ]);
  });

  it('num_cpus 0 with a buffer writes nothing: the buffer is absent from the reply', async () => {
    const r = await sysctl(c(), { cmd: 16, interface_version: SYSCTL_V, cputopoinfo: { num_cpus: 0, cputopo: {} } });
    expect(r.rc).toBe('0');
    expect(r.op!.cputopoinfo).toMatchObject({ num_cpus: 0, cputopo: null });
  });
});

describe('physinfo with an offline SMT sibling in socket 0 (arch_do_physinfo)', () => {
  it('cores_per_socket is the integer division weight(cpu_core_mask) / threads_per_core: 3 / 2 = 1', async () => {
    const t = validateTopology({
      name: 'odd',
      nr_cpus_limit: 8,
      nr_cpu_ids: 4,
      nodes: [{ id: 0, online: true, memory: [{ start_mfn: 0, end_mfn: 4 * PAGES_PER_GIB }] }],
      cpus: [
        { id: 0, core: 0, socket: 0, node: 0, online: true },
        { id: 1, core: 0, socket: 0, node: 0, online: true },
        { id: 2, core: 1, socket: 0, node: 0, online: true },
        { id: 3, core: 1, socket: 0, node: 0, online: false },
      ],
      distances: null,
      cpu_khz: 1000,
      capabilities: 3,
      hw_cap: [0, 0, 0, 0, 0, 0, 0, 0],
    });
    const h = await startHost(t, { dom0_mem: '1G' });
    try {
      const r = await sysctl(h.xch.client, { cmd: 3, interface_version: SYSCTL_V });
      expect(r.op!.physinfo).toMatchObject({ threads_per_core: 2, cores_per_socket: 1, nr_cpus: 3, max_cpu_id: 3 });
    } finally {
      await h.close();
    }
  });
});

describe('numainfo on the 2-node preset (do_sysctl numainfo)', () => {
  const h = useHost('2node');

  it('num_nodes = 1 on a 2-node host fills one entry and leaves num_nodes = 1, not 2 (statement 43)', async () => {
    const r = await sysctl(h.xch.client, { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: 1, meminfo: {}, distance: {} } });
    expect(r.rc).toBe('0');
    expect(r.op!.numainfo!.num_nodes).toBe(1);
    expect(r.op!.numainfo!.meminfo!.buf.map((m) => m.memsize)).toEqual([String(BigInt(spannedPages(preset('2node'), 0)) << 12n)]);
    expect(r.op!.numainfo!.distance!.buf).toEqual([10]);
    // The count query on the same host does say 2.
    expect(await xc_numainfo(h.xch, 0, null, null)).toBe(2);
  });
});

describe('getdomaininfolist (do_sysctl getdomaininfolist)', () => {
  const h = useHost('2node', { dom0_mem: '2G', dom0_max_vcpus: 3 });
  const c = (): HypervisorClient => h.xch.client;
  const list = (first_domain: number, max_domains: number) =>
    sysctl(c(), { cmd: 6, interface_version: SYSCTL_V, getdomaininfolist: { first_domain, max_domains, buffer: {} } });

  it('from first_domain 0 it lists dom0 alone, num_domains 1 (statement 75)', async () => {
    const r = await list(0, 10);
    expect(r.rc).toBe('0');
    expect(r.op!.getdomaininfolist!.num_domains).toBe(1);
    expect(r.op!.getdomaininfolist!.buffer!.buf.map((d) => d.domain)).toEqual([0]);
  });

  it("dom0's entry: tot_pages = dom0_mem pages, max_vcpu_id, nr_online_vcpus, running and not paused (getdomaininfo)", async () => {
    const [d0] = await xc_domain_getinfolist(h.xch, 0, 10);
    expect(d0).toMatchObject({ domain: 0, tot_pages: 2 * PAGES_PER_GIB, max_vcpu_id: 2, nr_online_vcpus: 3 });
    expect(d0!.flags & XEN_DOMINF.running).toBe(XEN_DOMINF.running);
    expect(d0!.flags & (XEN_DOMINF.paused | XEN_DOMINF.dying | XEN_DOMINF.hvm_guest)).toBe(0);
    // The list entry is the same struct XEN_DOMCTL_getdomaininfo returns.
    expect(await xc_domain_getinfo_single(h.xch, 0)).toEqual(d0);
  });

  it('first_domain above every domain gives an empty list and leaves the buffer unwritten', async () => {
    const r = await list(1, 10);
    expect(r.rc).toBe('0');
    expect(r.op!.getdomaininfolist).toMatchObject({ num_domains: 0, buffer: null });
    expect(await xc_domain_getinfolist(h.xch, 0x7fef, 10)).toEqual([]);
  });

  it('max_domains 0 gives an empty list', async () => {
    const r = await list(0, 0);
    expect(r.rc).toBe('0');
    expect(r.op!.getdomaininfolist).toMatchObject({ num_domains: 0, buffer: null });
  });

  it('an absent (NULL) buffer with room for a domain faults: -EFAULT, and num_domains is not copied back', async () => {
    const r = await sysctl(c(), { cmd: 6, interface_version: SYSCTL_V, getdomaininfolist: { first_domain: 0, max_domains: 4, num_domains: 77 } });
    expect(r.rc).toBe('-14');
    expect(r.op!.getdomaininfolist).toMatchObject({ num_domains: 77, buffer: null });
  });
});

describe('getdomaininfolist order with several domains (domlist_insert, statement 75)', () => {
  const h = useHost('2node');

  it('ascending domid from first_domain, at most max_domains, whatever the creation order', async () => {
    expect(await xc_domain_create(h.xch, 7, { max_vcpus: 1 })).toBe(7);
    expect(await xc_domain_create(h.xch, 3, { max_vcpus: 1 })).toBe(3);
    expect(await xc_domain_create(h.xch, 5, { max_vcpus: 1 })).toBe(5);
    const ids = async (first: number, max: number): Promise<number[]> => (await xc_domain_getinfolist(h.xch, first, max)).map((d) => d.domain);
    expect(await ids(0, 10)).toEqual([0, 3, 5, 7]);
    expect(await ids(4, 10)).toEqual([5, 7]);
    expect(await ids(0, 2)).toEqual([0, 3]);
    expect(await ids(5, 1)).toEqual([5]);
    expect(await ids(8, 10)).toEqual([]);
  });
});

describe('envelope: interface versions, unknown commands, missing domains (do_sysctl, do_domctl)', () => {
  const h = useHost('2node');
  const c = (): HypervisorClient => h.xch.client;

  it('sysctl with a wrong interface_version answers -EACCES, before the command is looked at (statement 2)', async () => {
    for (const v of [0, 0x15, 0x17, 0x18]) expect((await sysctl(c(), { cmd: 3, interface_version: v })).rc).toBe('-13');
    expect((await sysctl(c(), { cmd: 99, interface_version: 0x15 })).rc).toBe('-13');
  });

  it('a failed sysctl does not copy the struct back: physinfo stays as sent, buffers unwritten', async () => {
    const p = await sysctl(c(), { cmd: 3, interface_version: 0x15, physinfo: {} });
    expect(p.op!.physinfo).toMatchObject({ nr_cpus: 0, nr_nodes: 0, max_node_id: 0, total_pages: '0' });
    const n = await sysctl(c(), { cmd: 17, interface_version: 0x15, numainfo: { num_nodes: 1, meminfo: {}, distance: {} } });
    expect(n.rc).toBe('-13');
    expect(n.op!.numainfo).toMatchObject({ num_nodes: 1, meminfo: null, distance: null });
  });

  it('domctl with a wrong interface_version answers -EACCES, even for a missing domain (statement 1)', async () => {
    expect((await domctl(c(), { cmd: 5, interface_version: 0x17, domain: 0 })).rc).toBe('-13');
    expect((await domctl(c(), { cmd: 5, interface_version: 0x16, domain: 5 })).rc).toBe('-13');
    expect((await domctl(c(), { cmd: 5, interface_version: 0, domain: 0 })).rc).toBe('-13');
  });

  it('get_domain_state (90) is the stable domctl: 0x18 is -EACCES, version 0 passes the check (is_stable_domctl)', async () => {
    expect((await domctl(c(), { cmd: 90, interface_version: DOMCTL_V, domain: 0 })).rc).toBe('-13');
    // Version 0 passes; dom0 exists, and the command is not emulated: -ENOSYS.
    expect((await domctl(c(), { cmd: 90, interface_version: 0, domain: 0 })).rc).toBe('-38');
    // Version 0 passes; domain 5 does not exist: the lookup answers first.
    expect((await domctl(c(), { cmd: 90, interface_version: 0, domain: 5 })).rc).toBe('-3');
  });

  it('unknown sysctl cmd 99 answers -ENOSYS, with no payload in the reply (arch_do_sysctl)', async () => {
    const r = await sysctl(c(), { cmd: 99, interface_version: SYSCTL_V });
    expect(r.rc).toBe('-38');
    expect(r.op!.u).toBeUndefined();
  });

  it('a domctl on missing domid 5 answers -ESRCH to the control domain (do_domctl, statement 3)', async () => {
    expect((await domctl(c(), { cmd: 5, interface_version: DOMCTL_V, domain: 5, getdomaininfo: {} })).rc).toBe('-3');
    expect((await domctl(c(), { cmd: 15, interface_version: DOMCTL_V, domain: 5, max_vcpus: { max: 1 } })).rc).toBe('-3');
    expect((await domctl(c(), { cmd: 999, interface_version: DOMCTL_V, domain: 5 })).rc).toBe('-3');
  });

  it('unimplemented or unknown domctls on dom0 answer -ENOSYS (arch_do_domctl)', async () => {
    expect((await domctl(c(), { cmd: 28, interface_version: DOMCTL_V, domain: 0 })).rc).toBe('-38'); // getpageframeinfo3: not emulated
    expect((await domctl(c(), { cmd: 999, interface_version: DOMCTL_V, domain: 0 })).rc).toBe('-38');
  });

  it('max_vcpus (15) on the caller itself is -EINVAL, not -ENOSYS (do_domctl XEN_DOMCTL_max_vcpus: d == current->domain)', async () => {
    expect((await domctl(c(), { cmd: 15, interface_version: DOMCTL_V, domain: 0, max_vcpus: { max: 8 } })).rc).toBe('-22');
  });

  it('getdomaininfo copies the struct back on success only', async () => {
    const ok = await domctl(c(), { cmd: 5, interface_version: DOMCTL_V, domain: 0, getdomaininfo: {} });
    expect(ok.rc).toBe('0');
    expect(ok.op!.getdomaininfo).toMatchObject({ domain: 0, tot_pages: String(DOM0_DEFAULT_PAGES), max_vcpu_id: 7, nr_online_vcpus: 8 });
    const bad = await domctl(c(), { cmd: 5, interface_version: DOMCTL_V, domain: 9, getdomaininfo: {} });
    expect(bad.rc).toBe('-3');
    expect(bad.op!.getdomaininfo).toMatchObject({ domain: 0, tot_pages: '0', nr_online_vcpus: 0 });
  });

  it('physinfo ignores what the caller put in the struct: it is zeroed, then filled (do_sysctl physinfo)', async () => {
    const r = await sysctl(c(), {
      cmd: 3,
      interface_version: SYSCTL_V,
      physinfo: { nr_cpus: 999, pad: 7, max_node_id: 1, scrub_pages: '55', arch_capabilities: 3, hw_cap: [9] },
    });
    expect(r.op!.physinfo).toMatchObject({ nr_cpus: 32, pad: 0, max_node_id: 63, scrub_pages: '0', arch_capabilities: 0 });
    expect(r.op!.physinfo!.hw_cap).toEqual(preset('2node').hw_cap);
  });

  it('sched_id is credit2 (6); cpupool FREEINFO reports no free CPUs; pool management ops -ENOSYS', async () => {
    const s = await sysctl(c(), { cmd: 4, interface_version: SYSCTL_V });
    expect(s.rc).toBe('0');
    expect(s.op!.sched_id!.sched_id).toBe(6);
    const free = await sysctl(c(), { cmd: 18, interface_version: SYSCTL_V, cpupool_op: { op: 7, cpumap: { nr_bits: 32, bitmap: {} } } });
    expect(free.rc).toBe('0');
    expect([...free.op!.cpupool_op!.cpumap!.bitmap!.buf]).toEqual([0, 0, 0, 0]);
    for (const op of [1, 2, 4, 5, 6, 8]) expect((await sysctl(c(), { cmd: 18, interface_version: SYSCTL_V, cpupool_op: { op } })).rc).toBe('-38');
  });
});

describe('cpupool INFO (cpupool_do_sysctl XEN_SYSCTL_CPUPOOL_OP_INFO, xc_cpupool_getinfo)', () => {
  const h = useHost('2node', { dom0_mem: '1G' });
  const c = (): HypervisorClient => h.xch.client;

  it('the raw op: the first pool with id >= 0 is Pool-0: credit2, dom0 alone, all 32 CPUs', async () => {
    const r = await sysctl(c(), { cmd: 18, interface_version: SYSCTL_V, cpupool_op: { op: 3, cpupool_id: 0, cpumap: { nr_bits: 32, bitmap: {} } } });
    expect(r.rc).toBe('0');
    expect(r.op!.cpupool_op).toMatchObject({ cpupool_id: 0, sched_id: 6, n_dom: 1 });
    expect([...r.op!.cpupool_op!.cpumap!.bitmap!.buf]).toEqual([0xff, 0xff, 0xff, 0xff]);
  });

  it('no pool at or above id 1: -ENOENT (2)', async () => {
    for (const id of [1, 7, 0xffffffff]) {
      expect((await sysctl(c(), { cmd: 18, interface_version: SYSCTL_V, cpupool_op: { op: 3, cpupool_id: id, cpumap: { nr_bits: 32, bitmap: {} } } })).rc).toBe('-2');
    }
  });

  it('xc_cpupool_getinfo iterates as the C: pool 0, then ENOENT from id 1; n_dom follows domain creation', async () => {
    const p = await xc_cpupool_getinfo(h.xch, 0);
    expect(p).toEqual({ cpupool_id: 0, sched_id: 6, n_dom: 1, cpumap: new Uint8Array([0xff, 0xff, 0xff, 0xff]) });
    await expect(xc_cpupool_getinfo(h.xch, p.cpupool_id + 1)).rejects.toMatchObject({ name: 'XenError', code: 'ENOENT' });
    const d = await xc_domain_create(h.xch, DOMID_ANY, { max_vcpus: 1 });
    expect((await xc_cpupool_getinfo(h.xch, 0)).n_dom).toBe(2);
    await xc_domain_destroy(h.xch, d);
    expect((await xc_cpupool_getinfo(h.xch, 0)).n_dom).toBe(1);
  });

  it('xc_cpupool_getinfo refuses a poolid that is not a uint32 before any hypercall', async () => {
    for (const id of [-1, 2 ** 32, 0.5]) await expect(xc_cpupool_getinfo(h.xch, id)).rejects.toMatchObject({ code: 'EINVAL' });
  });
});

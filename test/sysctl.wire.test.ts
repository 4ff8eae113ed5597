// XEN_SYSCTL_* over the real wire (xen/common/sysctl.c: do_sysctl; xen/arch/x86/sysctl.c:
// arch_do_physinfo), with expectations computed from the topology, not from the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentPages, type HostTopology } from '../hypervisor/topology.js';
import { xc_domain_getinfolist, xc_physinfo } from '../libxc/xenctrl.js';
import { preset, startHost, useHost, type Host } from './harness.js';
import { domctl, DOMCTL_V, sysctl, SYSCTL_V } from './wire.js';

const INVALID = 0xffffffff;
const DOM0_PAGES = 4096 * 256;

function expectedPhysinfo(t: HostTopology): Record<string, unknown> {
  const cpu0 = t.cpus.find((c) => c.id === 0)!;
  const threads = t.cpus.filter((c) => c.online && c.socket === cpu0.socket && c.core === cpu0.core).length;
  const total = t.nodes.reduce((s, n) => s + presentPages(n), 0);
  return {
    threads_per_core: threads,
    cores_per_socket: t.cpus.filter((c) => c.online && c.socket === cpu0.socket).length / threads,
    nr_cpus: t.cpus.filter((c) => c.online).length,
    max_cpu_id: t.nr_cpu_ids - 1,
    nr_nodes: t.nodes.filter((n) => n.online).length,
    max_node_id: 63,
    cpu_khz: t.cpu_khz,
    capabilities: t.capabilities,
    arch_capabilities: 0,
    total_pages: total,
    free_pages: total - DOM0_PAGES,
    scrub_pages: 0,
    outstanding_pages: 0,
    // get_upper_mfn_bound: max_page, capped at 2^32 frames without CONFIG_BIGMEM (the 64node host passes it).
    max_mfn: Math.min(Math.max(...t.nodes.flatMap((n) => n.memory.map((r) => r.end_mfn))), 2 ** 32) - 1,
    hw_cap: t.hw_cap,
  };
}

for (const name of ['4node', '8node-amd', '64node']) {
  describe(`physinfo on ${name} (do_sysctl, arch_do_physinfo)`, () => {
    let h: Host;
    beforeAll(async () => {
      h = await startHost(name);
    });
    afterAll(async () => h.close());

    it('every field matches the topology; max_node_id is 63 and scrub_pages 0 (statements 36, 37)', async () => {
      const { pad: _pad, ...p } = await xc_physinfo(h.xch);
      expect(p).toEqual(expectedPhysinfo(preset(name)));
    });
  });
}

/** Nodes 0 and 2 (1 absent), CPU 2 absent, CPU 3 without a node, SLIT with unknown entries. */
const gappy: HostTopology = {
  name: 'gappy',
  nr_cpus_limit: 256,
  nr_cpu_ids: 6,
  nodes: [
    { id: 0, online: true, memory: [{ start_mfn: 0, end_mfn: 3 << 18 }, { start_mfn: 4 << 18, end_mfn: 5 << 18 }] },
    { id: 2, online: true, memory: [{ start_mfn: 5 << 18, end_mfn: 7 << 18 }] },
  ],
  cpus: [
    { id: 0, core: 0, socket: 0, node: 0, online: true },
    { id: 1, core: 1, socket: 0, node: 0, online: true },
    { id: 3, core: 0, socket: 1, node: null, online: true },
    { id: 4, core: 1, socket: 1, node: 2, online: true },
  ],
  distances: [
    [10, null, 17],
    [null, 10, null],
    [17, null, 10],
  ],
  cpu_khz: 1_800_000,
  capabilities: 3,
  hw_cap: [1, 2, 3, 4, 5, 6, 7, 8],
};

describe('numainfo and cputopoinfo on a host with holes', () => {
  const h = useHost(gappy, { dom0_mem: '1G' });
  const c = (): Host['xch']['client'] => h.xch.client;

  it('numainfo count query (both handles NULL) = highest online node + 1, nothing written (statement 40)', async () => {
    const r = await sysctl(c(), { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: 0 } });
    expect(r.rc).toBe('0');
    expect(r.op!.numainfo).toMatchObject({ num_nodes: 3, meminfo: null, distance: null });
  });

  it('numainfo rows: spanned size with the hole, free pages, invalid markers for the absent node (statement 41)', async () => {
    const r = await sysctl(c(), { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: 3, meminfo: {}, distance: {} } });
    const ni = r.op!.numainfo!;
    const GiB = 1n << 30n;
    // dom0's vCPUs sit on CPUs 0, 1, 3, 4 (nodes 0 and 2); its 1 GiB starts after node 0: node 2.
    expect(ni.meminfo!.buf).toEqual([
      { memsize: String(5n * GiB), memfree: String(4n * GiB) },
      { memsize: '4294967295', memfree: '4294967295' },
      { memsize: String(2n * GiB), memfree: String(1n * GiB) },
    ]);
    expect(ni.distance!.buf).toEqual([10, INVALID, 17, INVALID, 10, INVALID, 17, INVALID, 10]);
    expect(ni.num_nodes).toBe(3);
  });

  it('numainfo with a short buffer writes partial rows and does not raise num_nodes (statement 43)', async () => {
    const r = await sysctl(c(), { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: 1, meminfo: {}, distance: {} } });
    expect(r.op!.numainfo!.num_nodes).toBe(1);
    expect(r.op!.numainfo!.meminfo!.buf).toHaveLength(1);
    expect(r.op!.numainfo!.distance!.buf).toEqual([10]);
  });

  it('numainfo fills only the handles given; a caller buffer too big is corrected down', async () => {
    const r = await sysctl(c(), { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: 50, distance: {} } });
    expect(r.op!.numainfo).toMatchObject({ num_nodes: 3, meminfo: null });
    expect(r.op!.numainfo!.distance!.buf).toHaveLength(9);
  });

  it('cputopoinfo count = last present CPU + 1; absent CPUs and node-less CPUs report ~0U (statement 44)', async () => {
    const q = await sysctl(c(), { cmd: 16, interface_version: SYSCTL_V, cputopoinfo: { num_cpus: 0 } });
    expect(q.op!.cputopoinfo).toMatchObject({ num_cpus: 5, cputopo: null });
    const r = await sysctl(c(), { cmd: 16, interface_version: SYSCTL_V, cputopoinfo: { num_cpus: 64, cputopo: {} } });
    expect(r.op!.cputopoinfo!.num_cpus).toBe(5);
    expect(r.op!.cputopoinfo!.cputopo!.buf).toEqual([
      { core: 0, socket: 0, node: 0 },
      { core: 1, socket: 0, node: 0 },
      { core: INVALID, socket: INVALID, node: INVALID },
      { core: 0, socket: 1, node: INVALID },
      { core: 1, socket: 1, node: 2 },
    ]);
  });

  it('cputopoinfo with a short buffer fills what fits and reports that count', async () => {
    const r = await sysctl(c(), { cmd: 16, interface_version: SYSCTL_V, cputopoinfo: { num_cpus: 2, cputopo: {} } });
    expect(r.op!.cputopoinfo!.num_cpus).toBe(2);
    expect(r.op!.cputopoinfo!.cputopo!.buf).toHaveLength(2);
  });

  it('without a SLIT, distances are 10 local and 20 remote (__node_distance, statement 42)', async () => {
    const flat = await startHost({ ...gappy, distances: null }, { dom0_mem: '1G' });
    const r = await sysctl(flat.xch.client, { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: 3, distance: {} } });
    await flat.close();
    expect(r.op!.numainfo!.distance!.buf).toEqual([10, 20, 20, 20, 10, 20, 20, 20, 10]);
  });
});

describe('getdomaininfolist, versions and unknown commands', () => {
  const h = useHost('2node');
  const c = (): Host['xch']['client'] => h.xch.client;

  it('getdomaininfolist lists dom0 from first_domain 0, and nothing from 1 or with max_domains 0 (statement 75)', async () => {
    const all = await xc_domain_getinfolist(h.xch, 0, 10);
    expect(all.map((d) => d.domain)).toEqual([0]);
    expect(all[0]).toMatchObject({ tot_pages: DOM0_PAGES, max_vcpu_id: 7, nr_online_vcpus: 8, flags: 0x20 });
    expect(await xc_domain_getinfolist(h.xch, 1, 10)).toEqual([]);
    expect(await xc_domain_getinfolist(h.xch, 0, 0)).toEqual([]);
  });

  it('a wrong interface_version answers -EACCES before anything else (statements 1, 2)', async () => {
    expect((await sysctl(c(), { cmd: 3, interface_version: 0x15 })).rc).toBe('-13');
    expect((await domctl(c(), { cmd: 5, interface_version: 0x17, domain: 0 })).rc).toBe('-13');
    expect((await sysctl(c(), { cmd: 99, interface_version: 0 })).rc).toBe('-13');
  });

  it('get_domain_state (90) is the stable domctl: it needs version 0, not 0x18', async () => {
    expect((await domctl(c(), { cmd: 90, interface_version: DOMCTL_V, domain: 0 })).rc).toBe('-13');
    expect((await domctl(c(), { cmd: 90, interface_version: 0, domain: 0 })).rc).toBe('-38');
  });

  it('unknown or not yet implemented commands answer -ENOSYS', async () => {
    expect((await sysctl(c(), { cmd: 99, interface_version: SYSCTL_V })).rc).toBe('-38');
    expect((await sysctl(c(), { cmd: 9, interface_version: SYSCTL_V })).rc).toBe('-38'); // availheap: not emulated yet
    expect((await domctl(c(), { cmd: 11, interface_version: DOMCTL_V, domain: 0 })).rc).toBe('-38'); // max_mem: the memory issue
  });

  it('a domctl on a missing domain answers -ESRCH to the control domain (statement 3)', async () => {
    expect((await domctl(c(), { cmd: 5, interface_version: DOMCTL_V, domain: 5 })).rc).toBe('-3');
    expect((await domctl(c(), { cmd: 15, interface_version: DOMCTL_V, domain: 5 })).rc).toBe('-3');
  });

  it('getdomaininfo copies the struct back on success only', async () => {
    const ok = await domctl(c(), { cmd: 5, interface_version: DOMCTL_V, domain: 0, getdomaininfo: {} });
    expect(ok.op!.getdomaininfo).toMatchObject({ domain: 0, tot_pages: String(DOM0_PAGES), max_vcpu_id: 7 });
    const bad = await domctl(c(), { cmd: 5, interface_version: DOMCTL_V, domain: 9, getdomaininfo: {} });
    expect(bad.op!.getdomaininfo).toMatchObject({ domain: 0, tot_pages: '0' });
  });

  it('sched_id is credit2 and cpupool FREEINFO reports no free CPUs; other cpupool ops -ENOSYS', async () => {
    expect((await sysctl(c(), { cmd: 4, interface_version: SYSCTL_V })).op!.sched_id!.sched_id).toBe(6);
    const free = await sysctl(c(), { cmd: 18, interface_version: SYSCTL_V, cpupool_op: { op: 7, cpumap: { nr_bits: 32, bitmap: {} } } });
    expect(free.rc).toBe('0');
    expect([...free.op!.cpupool_op!.cpumap!.bitmap!.buf]).toEqual([0, 0, 0, 0]);
    expect((await sysctl(c(), { cmd: 18, interface_version: SYSCTL_V, cpupool_op: { op: 3 } })).rc).toBe('-38');
  });
});

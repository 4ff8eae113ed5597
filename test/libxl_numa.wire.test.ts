// libxl__get_numa_candidate over the wire (libxl_numa.c, numa_cmpf in libxl_dom.c): presets and
// xenopsd-style synthetic hosts (distance 10 + 11*|i-j|), existing domains' pinned vCPUs and
// populated memory shifting the choice, and the cpupool INFO path it reads.
//
// Free memory per node after boot, written out (KiB): every preset and synthetic host loses
// MFN 0 on node 0 (4 KiB, init_heap_pages never frees it), and dom0's 1 GiB blocks go round-robin
// from node 1 (4node: 4 GiB over 4 nodes; 8node-amd: 4 GiB on nodes 1-4; synthetic hosts with
// dom0_mem=512M: half of node 1). numa_cmpf prefers the most free memory among equally loaded
// candidates, so node 0's missing page makes it lose ties it would otherwise win.
import { describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { symmetricHost } from '../hypervisor/presets.js';
import type { HostTopology } from '../hypervisor/topology.js';
import {
  xc_cpumap_setcpu,
  xc_domain_create,
  xc_domain_max_vcpus,
  xc_domain_populate_physmap_exact,
  xc_domain_setmaxmem,
  xc_vcpu_setaffinity,
  type xc_createdomain_config,
  type xc_interface,
} from '../libxc/xenctrl.js';
import { libxl_get_numainfo, type libxl_ctx } from '../libxl/libxl.js';
import { libxl__domain_cpupool, libxl_cpupool_info } from '../libxl/libxl_cpupool.js';
import { libxl__get_numa_candidate, numa_cmpf, placement_cmpf, type libxl__numa_candidate, type libxl__numa_candidate_cmpf } from '../libxl/libxl_numa.js';
import type { libxl_log_level, libxl_numa_placement_policy } from '../libxl/libxl_types.js';
import { XEN_DOMCTL_CDF, XEN_VCPUAFFINITY } from '../proto/public/domctl.js';
import { XENMEMF_exact_node } from '../proto/public/xenmem_flags.js';
import { startHost, useHost, type Host } from './harness.js';

const GiB = 1 << 20; // KiB
const PAGES_1G = 1 << 18;
const HVM: xc_createdomain_config = { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 8, max_grant_frames: -1, max_maptrack_frames: -1 };
const NOTICE = { level: 'notice', message: 'NUMA placement failed, performance might be affected' };

/** xenopsd's synthetic hosts: one node per socket, 2 CPUs and 2 GiB per node, distance 10 + 11*|i-j|. */
const synth = (n: number): HostTopology =>
  symmetricHost({ name: `synth${n}`, sockets: n, nodesPerSocket: 1, coresPerNode: 2, threadsPerCore: 1, memPerNodeGiB: 2, cpuKhz: 2000000, distance: (a, b) => 10 + 11 * Math.abs(a - b) });
const SYNTH_OPTS = { dom0_mem: '512M' };

const nodesOf = (c: libxl__numa_candidate | null): number[] | null => {
  if (c === null) return null;
  const out: number[] = [];
  for (let i = 0; i < c.nodemap.size * 8; i++) if ((c.nodemap.map[i >> 3]! & (1 << (i & 7))) !== 0) out.push(i);
  return out;
};

interface Placed { nodes: number[] | null; cand: libxl__numa_candidate | null; logs: { level: libxl_log_level; message: string }[] }

/** numa_place_domain's call: the pool's cpumap as suitable CPUs, min_cpus = vCPUs, min/max nodes 0. */
async function place(ctx: libxl_ctx, memkb: number, vcpus: number, cmpf: libxl__numa_candidate_cmpf | null = numa_cmpf): Promise<Placed> {
  const logs: Placed['logs'] = [];
  const pool = await libxl_cpupool_info(ctx, await libxl__domain_cpupool(ctx, 0));
  const cand = await libxl__get_numa_candidate(ctx, memkb, vcpus, 0, 0, pool.cpumap, cmpf, (level, message) => logs.push({ level, message }));
  return { nodes: nodesOf(cand), cand, logs: logs.filter((l) => l.level !== 'debug') };
}

async function freeKiB(ctx: libxl_ctx): Promise<number[]> {
  return (await libxl_get_numainfo(ctx)).map((n) => Number(n.free / 1024n));
}

/** A domain whose `nr` vCPUs are hard-pinned to `cpus`. */
async function pinnedDomain(xch: xc_interface, nr: number, cpus: number[]): Promise<number> {
  const d = await xc_domain_create(xch, DOMID_ANY, { ...HVM, max_vcpus: nr });
  await xc_domain_max_vcpus(xch, d, nr);
  const map = new Uint8Array(512); // wider than any host here: Xen reads what it needs
  for (const c of cpus) xc_cpumap_setcpu(c, map);
  for (let v = 0; v < nr; v++) await xc_vcpu_setaffinity(xch, d, v, map.slice(), null, XEN_VCPUAFFINITY.HARD);
  return d;
}

/** A domain holding `gib` GiB populated on `node` only (XENMEMF_exact_node). */
async function memoryOnNode(xch: xc_interface, node: number, gib: number): Promise<number> {
  const d = await xc_domain_create(xch, DOMID_ANY, HVM);
  await xc_domain_setmaxmem(xch, d, -1);
  await xc_domain_populate_physmap_exact(xch, d, gib, 18, XENMEMF_exact_node(node), Array.from({ length: gib }, (_, i) => i * PAGES_1G));
  return d;
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

describe('preset 4node: 4 nodes x 16 CPUs, 63 GiB free each (node 0: 4 KiB less)', () => {
  const h = useHost('4node');

  it('the host state the expectations rest on', async () => {
    expect(await freeKiB(h.ctx)).toEqual([63 * GiB - 4, 63 * GiB, 63 * GiB, 63 * GiB]);
  });

  it('fits one node: node 1 (equal load; node 0 has 4 KiB less)', async () => {
    const r = await place(h.ctx, 32 * GiB, 4);
    expect(r.nodes).toEqual([1]);
    expect(r.cand).toMatchObject({ nr_nodes: 1, nr_cpus: 16, nr_vcpus: 8, free_memkb: 63 * GiB }); // dom0's 8 vCPUs may run on any node
    expect(r.logs).toEqual([]);
  });

  it('needs two nodes: {1,2}, the first pair without node 0', async () => {
    const r = await place(h.ctx, 100 * GiB, 4);
    expect(r.nodes).toEqual([1, 2]);
    expect(r.cand).toMatchObject({ nr_nodes: 2, nr_cpus: 32, free_memkb: 126 * GiB });
  });

  it('17 vCPUs need two 16-CPU nodes even for 1 GiB (min_nodes = ceil(17/16))', async () => {
    expect((await place(h.ctx, GiB, 17)).nodes).toEqual([1, 2]);
  });

  it('fits nowhere (300 GiB of 252): null and the NOTICE', async () => {
    const r = await place(h.ctx, 300 * GiB, 4);
    expect(r.cand).toBeNull();
    expect(r.logs).toEqual([NOTICE]);
  });
});

describe('4node: existing domains shift the choice', () => {
  it('4 vCPUs hard-pinned to node 1 (CPUs 16-31): one node -> node 2, two nodes -> {2,3}', async () => {
    const h = await startHost('4node');
    try {
      await pinnedDomain(h.xch, 4, range(16, 32));
      const one = await place(h.ctx, 32 * GiB, 4);
      expect(one.nodes).toEqual([2]);
      expect(one.cand!.nr_vcpus).toBe(8); // dom0's 8 vCPUs; the pinned ones count on node 1 only
      const two = await place(h.ctx, 100 * GiB, 4);
      expect(two.nodes).toEqual([2, 3]);
      // One vCPU pinned across nodes 2 and 3 counts once on each: {2,3} (18 vCPUs) loses to {0,2} (17).
      await pinnedDomain(h.xch, 1, [32, 48]);
      const spread = await place(h.ctx, 100 * GiB, 4);
      expect(spread.nodes).toEqual([0, 2]);
      expect(spread.cand!.nr_vcpus).toBe(8 + 8 + 1);
    } finally {
      await h.close();
    }
  });

  it('2 GiB populated on node 2 (XENMEMF_exact_node): one node stays node 1; with 2 GiB on node 1 too, node 3', async () => {
    const h = await startHost('4node');
    try {
      await memoryOnNode(h.xch, 2, 2);
      expect(await freeKiB(h.ctx)).toEqual([63 * GiB - 4, 63 * GiB, 61 * GiB, 63 * GiB]);
      expect((await place(h.ctx, 32 * GiB, 4)).nodes).toEqual([1]);
      await memoryOnNode(h.xch, 1, 2);
      const r = await place(h.ctx, 32 * GiB, 4);
      expect(r.nodes).toEqual([3]);
      expect(r.cand!.free_memkb).toBe(63 * GiB);
      // Two nodes: {0,3} now has the most memory (126 GiB - 4 KiB).
      expect((await place(h.ctx, 100 * GiB, 4)).nodes).toEqual([0, 3]);
    } finally {
      await h.close();
    }
  });
});

describe('preset 8node-amd: 8 nodes x 8 CPUs; free 16 GiB - 4 KiB, 15 GiB on nodes 1-4, 16 GiB on 5-7', () => {
  const h = useHost('8node-amd');

  it('the host state the expectations rest on', async () => {
    expect(await freeKiB(h.ctx)).toEqual([16 * GiB - 4, 15 * GiB, 15 * GiB, 15 * GiB, 15 * GiB, 16 * GiB, 16 * GiB, 16 * GiB]);
  });

  it('fits one node: node 5; needs two: {5,6}; 12 vCPUs: two 8-CPU nodes, {5,6}', async () => {
    expect((await place(h.ctx, 8 * GiB, 4)).nodes).toEqual([5]);
    const two = await place(h.ctx, 20 * GiB, 4);
    expect(two.nodes).toEqual([5, 6]);
    expect(two.cand).toMatchObject({ nr_cpus: 16, free_memkb: 32 * GiB });
    expect((await place(h.ctx, GiB, 12)).nodes).toEqual([5, 6]);
  });

  it('fits nowhere: null and the NOTICE', async () => {
    const r = await place(h.ctx, 200 * GiB, 4);
    expect(r.cand).toBeNull();
    expect(r.logs).toEqual([NOTICE]);
  });

  it('the RFC policies on this host: first fit node 0, best fit node 1, worst fit node 5', async () => {
    const pick = async (p: libxl_numa_placement_policy): Promise<number[] | null> => (await place(h.ctx, 8 * GiB, 4, placement_cmpf(p))).nodes;
    expect(await pick('first-fit')).toEqual([0]);
    expect(await pick('best-fit')).toEqual([1]);
    expect(await pick('worst-fit')).toEqual([5]);
    expect(await pick('libxl')).toEqual([5]);
  });
});

describe('8node-amd: populated memory and pinned vCPUs', () => {
  it('1 GiB on node 5 moves the single-node choice to 6; 8 vCPUs pinned to node 6 move it to 7', async () => {
    const h = await startHost('8node-amd');
    try {
      await memoryOnNode(h.xch, 5, 1);
      expect((await place(h.ctx, 8 * GiB, 4)).nodes).toEqual([6]);
      await pinnedDomain(h.xch, 8, range(48, 56));
      expect((await place(h.ctx, 8 * GiB, 4)).nodes).toEqual([7]);
    } finally {
      await h.close();
    }
  });
});

/** Synthetic hosts: free 2 GiB - 4 KiB on node 0, 1.5 GiB on node 1, 2 GiB elsewhere. */
function synthFree(n: number): number[] {
  return range(0, n).map((i) => (i === 0 ? 2 * GiB - 4 : i === 1 ? 1.5 * GiB : 2 * GiB));
}

describe('synthetic 2-node host (distance 10 + 11*|i-j|)', () => {
  const h = useHost(synth(2), SYNTH_OPTS);
  it('one node: node 0; two: {0,1}; 4 GiB: nowhere', async () => {
    expect(await freeKiB(h.ctx)).toEqual(synthFree(2));
    expect((await libxl_get_numainfo(h.ctx))[1]!.dists).toEqual([21, 10]);
    expect((await place(h.ctx, GiB, 1)).nodes).toEqual([0]);
    expect((await place(h.ctx, 3 * GiB, 1)).nodes).toEqual([0, 1]);
    const none = await place(h.ctx, 4 * GiB, 1);
    expect(none.cand).toBeNull();
    expect(none.logs).toEqual([NOTICE]);
  });
});

for (const n of [8, 16]) {
  describe(`synthetic ${n}-node host`, () => {
    const h = useHost(synth(n), SYNTH_OPTS);
    it('one node: node 2 (node 0 has 4 KiB less, node 1 half); two: {2,3}; 3 vCPUs: two 2-CPU nodes', async () => {
      expect(await freeKiB(h.ctx)).toEqual(synthFree(n));
      expect((await libxl_get_numainfo(h.ctx))[0]!.dists[n - 1]).toBe(10 + 11 * (n - 1));
      expect((await place(h.ctx, GiB, 1)).nodes).toEqual([2]);
      expect((await place(h.ctx, 3 * GiB, 1)).nodes).toEqual([2, 3]);
      expect((await place(h.ctx, GiB, 3)).nodes).toEqual([2, 3]);
    });
    it(`fits nowhere (${2 * n} GiB): every combination tried, null and the NOTICE`, async () => {
      const r = await place(h.ctx, 2 * n * GiB, 1);
      expect(r.cand).toBeNull();
      expect(r.logs).toEqual([NOTICE]);
    });
  });
}

describe('synthetic 17-node host: above the safety catch', () => {
  const h = useHost(synth(17), SYNTH_OPTS);
  it('skipped with the WARN whatever the request, no NOTICE', async () => {
    const r = await place(h.ctx, GiB, 1);
    expect(r.cand).toBeNull();
    expect(r.logs).toEqual([
      {
        level: 'warn',
        message:
          'System has 17 NUMA nodes, which is too big for the placement algorithm to work effectively: skipping it. Consider manually pinning the vCPUs and/or looking at cpupools for manually partitioning the system.',
      },
    ]);
  });
});

describe('the cpupool INFO path (libxl_cpupool_info, libxl__domain_cpupool)', () => {
  const h: Host = useHost('4node');
  it('Pool-0: credit2, dom0 alone, all 64 CPUs; a created domain is in pool 0 and counted', async () => {
    expect(await libxl__domain_cpupool(h.ctx, 0)).toBe(0);
    const p = await libxl_cpupool_info(h.ctx, 0);
    expect(p).toMatchObject({ poolid: 0, pool_name: 'Pool-0', sched: 6, n_dom: 1 });
    expect([...p.cpumap.map]).toEqual(new Array<number>(8).fill(0xff));
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    expect(await libxl__domain_cpupool(h.ctx, d)).toBe(0);
    expect((await libxl_cpupool_info(h.ctx, 0)).n_dom).toBe(2);
  });
  it('errors: no pool 1 (ERROR_FAIL with libxl text), no such domain (ERROR_FAIL)', async () => {
    await expect(libxl_cpupool_info(h.ctx, 1)).rejects.toMatchObject({ code: 'ERROR_FAIL', message: 'failed to get info for cpupool1' });
    await expect(libxl__domain_cpupool(h.ctx, 4242)).rejects.toMatchObject({ code: 'ERROR_FAIL', message: 'Domain 4242:get domaininfo failed: ESRCH' });
  });
});

// libxl__get_numa_candidate's search over host snapshots, without a server (libxl_numa.c,
// numa_cmpf in libxl_dom.c): order, tie-breaking, the uint32 and int quirks, the skips.
import { describe, expect, it } from 'vitest';
import type { libxl_cputopology, libxl_numainfo } from '../libxl/libxl.js';
import { LibxlError } from '../libxl/libxl_error.js';
import {
  combinations,
  count_cpus_per_node,
  nodemap_to_free_memkb,
  nr_vcpus_on_nodes,
  numa_candidate_search,
  numa_cmpf,
  placement_cmpf,
  type libxl__numa_candidate,
  type libxl__numa_candidate_cmpf,
  type numa_domain_snapshot,
  type numa_host_snapshot,
} from '../libxl/libxl_numa.js';
import type { libxl_log_level } from '../libxl/libxl_types.js';
import { libxl_bitmap_alloc, libxl_bitmap_set, libxl_bitmap_set_any, type libxl_bitmap } from '../libxl/libxl_utils.js';

const GiB = 1 << 20; // in KiB
const TiB = 2 ** 30; // in KiB

/** Node i gets freeKiB[i] free (bytes on the wire) and cpusPerNode[i] CPUs, numbered node by node. */
function host(freeKiB: number[], cpusPerNode: number | number[] = 4, domains: numa_domain_snapshot[] = []): numa_host_snapshot {
  const per = (i: number): number => (typeof cpusPerNode === 'number' ? cpusPerNode : cpusPerNode[i]!);
  const ninfo: libxl_numainfo[] = freeKiB.map((f) => ({ size: BigInt(f) * 2048n, free: BigInt(f) * 1024n, dists: [] }));
  const tinfo: libxl_cputopology[] = freeKiB.flatMap((_, node) => Array.from({ length: per(node) }, (_c, core) => ({ core, socket: node, node })));
  return { ninfo, tinfo, max_nodes: 64, domains };
}

function cpus(bits: number[], size = 64): libxl_bitmap {
  const b = libxl_bitmap_alloc(size);
  for (const i of bits) libxl_bitmap_set(b, i);
  return b;
}
const allCpus = (): libxl_bitmap => {
  const b = libxl_bitmap_alloc(64);
  libxl_bitmap_set_any(b);
  return b;
};
const nodes = (c: libxl__numa_candidate | null): number[] | null => {
  if (c === null) return null;
  const out: number[] = [];
  for (let i = 0; i < c.nodemap.size * 8; i++) if ((c.nodemap.map[i >> 3]! & (1 << (i & 7))) !== 0) out.push(i);
  return out;
};

interface Logged { level: libxl_log_level; message: string }
function search(h: numa_host_snapshot, o: { mem?: number; min_cpus?: number; min_nodes?: number; max_nodes?: number; suitable?: libxl_bitmap; cmpf?: libxl__numa_candidate_cmpf | null }) {
  const logs: Logged[] = [];
  const c = numa_candidate_search(
    h,
    { min_free_memkb: o.mem ?? 0, min_cpus: o.min_cpus ?? 1, min_nodes: o.min_nodes ?? 0, max_nodes: o.max_nodes ?? 0, suitable_cpumap: o.suitable ?? allCpus(), numa_cmpf: o.cmpf === undefined ? numa_cmpf : o.cmpf },
    (level, message) => logs.push({ level, message }),
  );
  return { c, logs, nonDebug: logs.filter((l) => l.level !== 'debug') };
}

/** A domain whose vCPUs are hard-pinned to the given CPUs, in Pool-0 (all CPUs), node affinity all. */
function pinned(domid: number, vcpuCpus: number[][], nodeAffinity: number[] | 'all' = 'all'): numa_domain_snapshot {
  const na = libxl_bitmap_alloc(64);
  if (nodeAffinity === 'all') libxl_bitmap_set_any(na);
  else for (const n of nodeAffinity) libxl_bitmap_set(na, n);
  return { domid, pool_cpumap: allCpus(), vcpu_hard: vcpuCpus.map((c) => cpus(c)), node_affinity: na };
}

describe('combinations (comb_init / comb_next)', () => {
  it('k-combinations of n in lexicographic order: n=5, k=3', () => {
    expect([...combinations(5, 3)].map((c) => c.join(''))).toEqual(['012', '013', '014', '023', '024', '034', '123', '124', '134', '234']);
  });
  it('k > n yields none; k = n one; k = 0 the empty one; C(16,8) = 12870 (the per-size bound)', () => {
    expect([...combinations(2, 3)]).toEqual([]);
    expect([...combinations(4, 4)].map((c) => [...c])).toEqual([[0, 1, 2, 3]]);
    expect([...combinations(3, 0)].map((c) => [...c])).toEqual([[]]);
    let n = 0;
    for (const _ of combinations(16, 8)) n++;
    expect(n).toBe(12870);
  });
});

describe('libxl__get_numa_candidate search (pure core)', () => {
  it('fewer nodes always wins: a loaded node that fits beats an idle pair with more memory', () => {
    const h = host([10 * GiB, 5 * GiB, 5 * GiB, 5 * GiB], 4, [pinned(1, Array.from({ length: 50 }, () => [0, 1, 2, 3]))]);
    const r = search(h, { mem: 8 * GiB });
    expect(nodes(r.c)).toEqual([0]);
    expect(r.c).toMatchObject({ nr_nodes: 1, nr_cpus: 4, nr_vcpus: 50, free_memkb: 10 * GiB });
  });

  it('ties keep the earlier combination', () => {
    expect(nodes(search(host([8 * GiB, 8 * GiB, 8 * GiB, 8 * GiB]), { mem: GiB }).c)).toEqual([0]);
    // No node holds 6 GiB; every pair holds 8 GiB with no vCPUs: {0,1} is first.
    expect(nodes(search(host([4 * GiB, 4 * GiB, 4 * GiB, 4 * GiB]), { mem: 6 * GiB }).c)).toEqual([0, 1]);
  });

  it('numa_cmpf: fewer vCPUs first, then more free memory', () => {
    // vCPUs on nodes: 3, 1, 2, 1; node 3 has more memory than node 1, same vCPUs -> node 3.
    const doms = [pinned(1, [[0], [0], [0], [4], [8], [8], [12]])];
    const r = search(host([20 * GiB, 8 * GiB, 30 * GiB, 9 * GiB], 4, doms), { mem: GiB });
    expect(nodes(r.c)).toEqual([3]);
    expect(r.c).toMatchObject({ nr_vcpus: 1, free_memkb: 9 * GiB });
    // The debug lines show each new best: node 0 (3 vCPUs), node 1 (1), node 3 (1, more memory).
    expect(r.logs.filter((l) => l.level === 'debug').map((l) => l.message)).toEqual([
      'New best NUMA placement candidate found: nr_nodes=1, nr_cpus=4, nr_vcpus=3, free_memkb=20480',
      'New best NUMA placement candidate found: nr_nodes=1, nr_cpus=4, nr_vcpus=1, free_memkb=8192',
      'New best NUMA placement candidate found: nr_nodes=1, nr_cpus=4, nr_vcpus=1, free_memkb=9216',
    ]);
  });

  it('uint32 KiB accumulator: a 5 TiB node cannot hold 2 TiB (5 TiB reads as 1 TiB); the pair reports 6.5 - 4 = 2.5 TiB', () => {
    expect(nodemap_to_free_memkb(host([5 * TiB]).ninfo, cpus([0], 64))).toBe(TiB);
    const r = search(host([5 * TiB, 1.5 * TiB]), { mem: 2 * TiB });
    expect(nodes(r.c)).toEqual([0, 1]);
    expect(r.c!.free_memkb).toBe(2.5 * TiB);
  });

  it('uint32 wrap changes the choice: for 2.5 TiB + 1 GiB, {0,1} (5 TiB, read as 1 TiB) is passed over for {0,2} (2.75 TiB)', () => {
    const r = search(host([2.5 * TiB, 2.5 * TiB, 0.25 * TiB]), { mem: 2.5 * TiB + GiB });
    expect(nodes(r.c)).toEqual([0, 2]);
    expect(r.c!.free_memkb).toBe(2.75 * TiB);
  });

  it('uint32 wrap: four 3 TiB nodes (12 TiB) cannot hold 5 TiB, any subset wraps below it -> NOTICE', () => {
    const r = search(host([3 * TiB, 3 * TiB, 3 * TiB, 3 * TiB]), { mem: 5 * TiB });
    expect(r.c).toBeNull();
    expect(r.nonDebug).toEqual([{ level: 'notice', message: 'NUMA placement failed, performance might be affected' }]);
  });

  it('numa_cmpf truncates the uint64 difference to int: 3 TiB more free memory reads as worse', () => {
    const c = (free_memkb: number, nr_vcpus = 0): libxl__numa_candidate => ({ nr_cpus: 4, nr_nodes: 1, nr_vcpus, free_memkb, nodemap: libxl_bitmap_alloc(64) });
    expect(numa_cmpf(c(3 * TiB), c(0.5 * TiB))).toBe(2 ** 32 - 2.5 * TiB); // -2.5 TiB in KiB, plus 2^32
    expect(numa_cmpf(c(3 * TiB), c(0.5 * TiB))).toBeGreaterThan(0);
    expect(numa_cmpf(c(1.5 * TiB), c(0.5 * TiB))).toBe(-TiB); // below 2^31 KiB the sign is right
    expect(numa_cmpf(c(0, 2), c(99 * TiB, 5))).toBe(-3); // vCPUs compared first
    // In the search: node 0 (0.5 TiB) is found first and node 1 (3 TiB) does not replace it.
    const r = search(host([0.5 * TiB, 3 * TiB]), { mem: GiB });
    expect(nodes(r.c)).toEqual([0]);
    expect(r.c!.free_memkb).toBe(0.5 * TiB);
  });

  it('count_cpus_per_node: uneven nodes give 0, so min_nodes starts at 1 (one 8-CPU node for 6 vCPUs)', () => {
    expect(count_cpus_per_node(host([1, 1, 1, 1], [8, 4, 4, 4]).tinfo, 4)).toBe(0);
    expect(count_cpus_per_node(host([1, 1, 1, 1], 4).tinfo, 4)).toBe(4);
    // A leading node without CPUs is not compared (cpus_per_node is still 0 there).
    expect(count_cpus_per_node(host([1, 1, 1], [0, 4, 4]).tinfo, 3)).toBe(4);
    // Even 4-CPU nodes: 6 vCPUs -> min_nodes 2, the first pair; uneven: min_nodes 1, node 0 (8 CPUs).
    expect(nodes(search(host([8 * GiB, 8 * GiB, 8 * GiB, 8 * GiB], 4), { mem: GiB, min_cpus: 6 }).c)).toEqual([0, 1]);
    expect(nodes(search(host([8 * GiB, 8 * GiB, 8 * GiB, 8 * GiB], [8, 4, 4, 4]), { mem: GiB, min_cpus: 6 }).c)).toEqual([0]);
    // Uneven, node 0 too small in CPUs: singles fail the CPU check, pairs are tried.
    expect(nodes(search(host([8 * GiB, 8 * GiB, 8 * GiB, 8 * GiB], [2, 4, 4, 3]), { mem: GiB, min_cpus: 6 }).c)).toEqual([0, 1]);
  });

  it('min_nodes > max_nodes: ERROR log and ERROR_INVAL', () => {
    const logs: Logged[] = [];
    let err: unknown;
    try {
      numa_candidate_search(host([GiB, GiB, GiB, GiB]), { min_free_memkb: 0, min_cpus: 1, min_nodes: 3, max_nodes: 2, suitable_cpumap: allCpus(), numa_cmpf }, (level, message) => logs.push({ level, message }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LibxlError);
    expect(err).toMatchObject({ code: 'ERROR_INVAL', rc: -6, message: 'Inconsistent minimum or maximum number of guest nodes' });
    expect(logs).toEqual([{ level: 'error', message: 'Inconsistent minimum or maximum number of guest nodes' }]);
    // min_nodes above the suitable nodes is first lowered to their count: no error.
    expect(nodes(search(host([GiB, GiB, GiB, GiB]), { min_nodes: 9 }).c)).toEqual([0, 1, 2, 3]);
  });

  it('bad input is ERROR_INVAL before anything is read', () => {
    expect(() => search(host([GiB, GiB]), { min_cpus: -1 })).toThrow(/min_cpus -1 is not a non-negative integer/);
    expect(() => search(host([GiB, GiB]), { mem: 1.5 })).toThrow(LibxlError);
  });

  it('more than 16 nodes: skipped with the WARN, no NOTICE; 16 nodes still run', () => {
    const r = search(host(new Array<number>(17).fill(8 * GiB), 1), { mem: GiB });
    expect(r.c).toBeNull();
    expect(r.logs).toEqual([
      {
        level: 'warn',
        message:
          'System has 17 NUMA nodes, which is too big for the placement algorithm to work effectively: skipping it. Consider manually pinning the vCPUs and/or looking at cpupools for manually partitioning the system.',
      },
    ]);
    expect(nodes(search(host(new Array<number>(16).fill(8 * GiB), 1), { mem: GiB }).c)).toEqual([0]);
  });

  it('one node (or none): skipped silently', () => {
    for (const h of [host([8 * GiB]), host([])]) {
      const r = search(h, { mem: GiB });
      expect(r.c).toBeNull();
      expect(r.logs).toEqual([]);
    }
  });

  it('only nodes with a suitable CPU are combined; nr_cpus counts suitable CPUs only', () => {
    // CPUs 4..7 on node 1, 12..15 on node 3; only CPUs 5, 6 and 13 suitable.
    const r = search(host([GiB, GiB, GiB, GiB]), { mem: 1.5 * GiB, suitable: cpus([5, 6, 13]), min_cpus: 1 });
    expect(nodes(r.c)).toEqual([1, 3]);
    expect(r.c).toMatchObject({ nr_cpus: 3, nr_nodes: 2, free_memkb: 2 * GiB });
  });

  it('the three RFC policies choose three different nodes on one host; libxl prefers the idle node', () => {
    const doms = [pinned(1, [[8], [8]])]; // two vCPUs on node 2
    const h = host([10 * GiB, 6 * GiB, 14 * GiB, 5 * GiB], 4, doms);
    const pick = (p: 'libxl' | 'first-fit' | 'best-fit' | 'worst-fit'): number[] | null => nodes(search(h, { mem: 5.5 * GiB, cmpf: placement_cmpf(p) }).c);
    expect(pick('first-fit')).toEqual([0]); // lowest node id with enough
    expect(pick('best-fit')).toEqual([1]); // least free that still fits
    expect(pick('worst-fit')).toEqual([2]); // most free
    expect(pick('libxl')).toEqual([0]); // node 2 has 2 vCPUs; of the idle ones node 0 has the most memory
    expect(placement_cmpf('libxl')).toBe(numa_cmpf);
    expect(placement_cmpf('first-fit')).toBeNull();
    // First fit stops at the first candidate: one debug line.
    expect(search(h, { mem: GiB, cmpf: null }).logs.filter((l) => l.level === 'debug')).toHaveLength(1);
  });
});

describe('nr_vcpus_on_nodes', () => {
  const t = host([GiB, GiB, GiB, GiB]).tinfo; // 4 CPUs per node
  it('a vCPU spanning two nodes counts once on each; soft affinity is not read; several CPUs of one node count once', () => {
    expect(nr_vcpus_on_nodes(t, 64, allCpus(), [pinned(1, [[0, 1, 2, 4], [15]])], 4)).toEqual([1, 1, 0, 1]);
  });
  it('only suitable CPUs of the domain pool on nodes of its node affinity count', () => {
    const d = pinned(1, [[0, 4, 8, 12]], [0, 1, 2]);
    d.pool_cpumap = cpus([0, 4, 12]);
    expect(nr_vcpus_on_nodes(t, 64, cpus([4, 8, 12]), [d], 4)).toEqual([0, 1, 0, 0]);
  });
  it('a failed node-affinity query keeps the previous domain map (libxl ignores the result)', () => {
    const d2: numa_domain_snapshot = { ...pinned(2, [[0, 4, 8, 12]]), node_affinity: null };
    expect(nr_vcpus_on_nodes(t, 64, allCpus(), [pinned(1, [], [3]), d2], 4)).toEqual([0, 0, 0, 1]);
  });
  it('domains whose pool or vCPUs could not be read are skipped; CPUs past the topology end the scan', () => {
    const noPool: numa_domain_snapshot = { ...pinned(1, [[0]]), pool_cpumap: null };
    const noVcpus: numa_domain_snapshot = { ...pinned(2, [[0]]), vcpu_hard: null };
    expect(nr_vcpus_on_nodes(t, 64, allCpus(), [noPool, noVcpus, pinned(3, [[20, 40]])], 4)).toEqual([0, 0, 0, 0]);
  });
});

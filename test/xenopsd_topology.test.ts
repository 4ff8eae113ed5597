// xenopsd's Topology (topology.ml), the host NUMA policy (xenops_server.ml) and the memory model
// (memory.ml), pure: the distance-matrix cases of xenopsd's test_topology.ml plus our own edges.
import { describe, expect, it } from 'vitest';
import { HVM, Linux, PVinPVH, mib_of_pages_used, pages_of_bytes_used } from '../xenopsd/memory_model.js';
import {
  affinity_of_numa_affinity_policy,
  cores_of_numa_affinity_policy,
  default_numa_affinity_policy,
  numa_affinity_policy_of_string,
  string_of_numa_affinity_policy,
  NUMA_AFFINITY_POLICIES,
} from '../xenopsd/policy.js';
import { CPUSet, InvalidArgument, NUMA, NUMARequest, NUMAResource, compare_node_lists, is_unreachable, node_distances, numa_hierarchy } from '../xenopsd/topology.js';
import { AMD_6272_SLIT } from '../hypervisor/presets.js';

const EMPTY = 0xffffffff; // test_topology.ml: a node without CPUs has this distance

/** test_topology.ml Distances.example: 10 + 11·|i−j|. */
const example = (n: number): number[][] => Array.from({ length: n }, (_r, i) => Array.from({ length: n }, (_c, j) => 10 + 11 * Math.abs(i - j)));

/** test_topology.ml make_numa_common: cores_per_numa CPUs per node, numbered node by node. */
function makeCommon(distances: number[][], cpusPerNode: number, logicalPerPhysical: number): NUMA | null {
  const n = distances.length;
  return NUMA.make({
    distances,
    cpu_to_node: Array.from({ length: cpusPerNode * n }, (_, cpu) => Math.floor(cpu / cpusPerNode)),
    node_cores: Array.from({ length: n }, () => Math.floor(cpusPerNode / logicalPerPhysical)),
  });
}

const cands = (t: NUMA): [number, number[]][] => t.candidates().map((c) => [c.avg, [...c.nodes]]);
const res = (cpus: number[], cores: number, memfree: number): NUMAResource => NUMAResource.make({ affinity: CPUSet.of(cpus), cores, memfree });

describe('CPUSet', () => {
  it('is sorted and deduplicated; to_mask has max_elt + 1 entries', () => {
    const s = CPUSet.of([5, 1, 3, 1]);
    expect(s.elements()).toEqual([1, 3, 5]);
    expect(s.cardinal).toBe(3);
    expect(s.toMask()).toEqual([false, true, false, true, false, true]);
    expect(CPUSet.all(3).elements()).toEqual([0, 1, 2]);
    expect(s.union(CPUSet.of([0, 5])).elements()).toEqual([0, 1, 3, 5]);
    expect(s.inter(CPUSet.of([3, 4, 5])).elements()).toEqual([3, 5]);
    expect(s.add(2).elements()).toEqual([1, 2, 3, 5]);
  });
  it('to_mask of the empty set raises Not_found, as max_elt does; bad ids are rejected', () => {
    expect(() => CPUSet.empty.toMask()).toThrow('Not_found');
    expect(() => CPUSet.of([-1])).toThrow(InvalidArgument);
    expect(() => CPUSet.of([1.5])).toThrow(InvalidArgument);
    expect(() => CPUSet.of([1 << 20])).toThrow(InvalidArgument);
  });
});

describe('NUMAResource and NUMARequest', () => {
  it('NUMAResource.make rejects negative memory; union sums; min_memory keeps the first', () => {
    expect(() => res([0], 1, -1)).toThrow('NUMAResource: memory cannot be negative: -1');
    const u = NUMAResource.union(res([0, 1], 1, 100), res([1, 2], 2, 50));
    expect(u.affinity.elements()).toEqual([0, 1, 2]);
    expect(u.cores).toBe(3);
    expect(u.memfree).toBe(150);
    const m = NUMAResource.min_memory(res([0], 7, 100), res([9], 1, 40));
    expect([m.affinity.elements(), m.cores, m.memfree]).toEqual([[0], 7, 40]);
    expect(NUMAResource.empty.memfree).toBe(0);
    expect(NUMAResource.empty.affinity.isEmpty()).toBe(true);
    expect(() => res([0], 1, 2 ** 53)).toThrow(InvalidArgument);
  });
  it('NUMARequest.make rejects negatives and accepts zeros', () => {
    expect(() => NUMARequest.make({ memory: -1, vcpus: 1, cores: 0 })).toThrow('NUMARequest: memory must be > 0: -1');
    expect(() => NUMARequest.make({ memory: 1, vcpus: -1, cores: 0 })).toThrow('vcpus cannot be negative: -1');
    expect(() => NUMARequest.make({ memory: 1, vcpus: 1, cores: -2 })).toThrow('cores cannot be negative: -2');
    expect(NUMARequest.make({ memory: 0, vcpus: 0, cores: 0 })).toEqual({ memory: 0, vcpus: 0, cores: 0 });
  });
  it('fits needs memory, CPUs and cores; shrink subtracts with a floor of 0', () => {
    const r = NUMARequest.make({ memory: 100, vcpus: 2, cores: 2 });
    expect(NUMARequest.fits(r, res([0, 1], 2, 100))).toBe(true);
    expect(NUMARequest.fits(r, res([0, 1], 2, 99))).toBe(false);
    expect(NUMARequest.fits(r, res([0], 2, 100))).toBe(false);
    expect(NUMARequest.fits(r, res([0, 1], 1, 100))).toBe(false);
    expect(NUMARequest.shrink(r, res([0], 5, 30))).toEqual({ memory: 70, vcpus: 1, cores: 0 });
    expect(NUMARequest.shrink(r, res([0, 1, 2], 0, 300))).toEqual({ memory: 0, vcpus: 0, cores: 2 });
    expect(NUMARequest.fits(NUMARequest.make({ memory: 0, vcpus: 0, cores: 0 }), NUMAResource.empty)).toBe(true);
  });
});

describe('NUMA.make', () => {
  it('treats > 0xFF and < 0 as unreachable (Xen ~0U as 32-bit or -1)', () => {
    expect([is_unreachable(EMPTY), is_unreachable(-1), is_unreachable(0xff), is_unreachable(0x100), is_unreachable(10)]).toEqual([true, true, false, true, false]);
  });
  it('loads the synthetic 10 + 11·|i−j| hosts of 1–16 nodes and the AMD matrix', () => {
    for (let n = 1; n <= 16; n++) {
      const t = makeCommon(example(n), 4, 2);
      expect(t).not.toBeNull();
      expect(t!.all_cpus().cardinal).toBe(4 * n);
      expect(t!.candidates().length).toBe(2 ** n - 1);
      expect(t!.cpuset_of_node(n - 1).elements()).toEqual([4 * n - 4, 4 * n - 3, 4 * n - 2, 4 * n - 1]);
      expect(t!.coreset_of_node(0)).toBe(2);
    }
  });
  it('candidates of matrices with unreachable nodes (test_topology.ml "Distance matrices")', () => {
    expect(cands(makeCommon([[10, EMPTY], [EMPTY, EMPTY]], 1, 1)!)).toEqual([[10, [0]]]);
    expect(cands(makeCommon([[10, EMPTY, 20], [EMPTY, EMPTY, EMPTY], [20, EMPTY, 10]], 1, 1)!)).toEqual([[10, [0]], [10, [2]], [15, [0, 2]]]);
    expect(cands(makeCommon([[EMPTY, EMPTY, 20], [EMPTY, EMPTY, EMPTY], [10, EMPTY, 10]], 1, 1)!)).toEqual([[10, [2]]]);
    expect(makeCommon([[EMPTY, EMPTY], [EMPTY, EMPTY]], 1, 1)).toBeNull();
  });
  it('drops the CPUs of a node whose self-distance is unreachable', () => {
    const t = NUMA.make({ distances: [[10, 20], [20, -1]], cpu_to_node: [0, 1, 1], node_cores: [1, 1] })!;
    expect(t.cpuset_of_node(1).isEmpty()).toBe(true);
    expect(t.all_cpus().elements()).toEqual([0]);
    expect(t.node_of_cpu(2)).toBe(1);
    expect(t.nodes()).toEqual([0, 1]);
  });
  it('returns null for an unreasonable matrix or a host without CPUs', () => {
    expect(NUMA.make({ distances: [[11, 20], [20, 10]], cpu_to_node: [0, 1], node_cores: [1, 1] })).toBeNull(); // diagonal ≠ 10
    expect(NUMA.make({ distances: [[10, 9], [9, 10]], cpu_to_node: [0, 1], node_cores: [1, 1] })).toBeNull(); // entry < 10
    expect(NUMA.make({ distances: [[10, 0], [0, 10]], cpu_to_node: [0, 1], node_cores: [1, 1] })).toBeNull(); // 0 is reachable and < 10
    expect(NUMA.make({ distances: [[10, 20], [20, 10]], cpu_to_node: [], node_cores: [0, 0] })).toBeNull(); // no CPUs at all
    expect(NUMA.make({ distances: [[10, 0x100], [0x100, 10]], cpu_to_node: [0, 1], node_cores: [1, 1] })).not.toBeNull(); // unreachable is fine
  });
  it('rejects malformed input with a clear error', () => {
    expect(() => NUMA.make({ distances: [[10, 20], [20]], cpu_to_node: [0], node_cores: [1, 1] })).toThrow('not square');
    expect(() => NUMA.make({ distances: [[10]], cpu_to_node: [1], node_cores: [1] })).toThrow('index out of bounds');
    expect(() => NUMA.make({ distances: [[10]], cpu_to_node: [0], node_cores: [] })).toThrow('node_cores');
    expect(() => NUMA.make({ distances: [[10.5]], cpu_to_node: [0], node_cores: [1] })).toThrow(InvalidArgument);
  });
});

describe('NUMA.candidates', () => {
  it('keys on (max, avg) over all ordered pairs including the diagonal: two nodes at 21 give 21 and 15.5', () => {
    expect(node_distances([[10, 21], [21, 10]], [0, 1])).toEqual({ max: 21, avg: 15.5 });
    expect(node_distances([[10, 21], [21, 10]], [])).toBeNull();
    expect(cands(makeCommon([[10, 21], [21, 10]], 2, 1)!)).toEqual([[10, [0]], [10, [1]], [15.5, [0, 1]]]);
  });
  it('sorts by max before avg and keeps bitmask order on ties (stable)', () => {
    // 3 nodes at 10 + 11·|i−j|: subsets by mask 1..7 = {0},{1},{0,1},{2},{0,2},{1,2},{0,1,2}
    expect(cands(makeCommon(example(3), 1, 1)!)).toEqual([
      [10, [0]],
      [10, [1]],
      [10, [2]],
      [15.5, [0, 1]],
      [15.5, [1, 2]],
      [(30 + 4 * 21 + 2 * 32) / 9, [0, 1, 2]], // max 32, avg 19.78 — before {0,2} (max 32, avg 21)
      [21, [0, 2]],
    ]);
  });
  it('with more than 16 valid nodes considers singletons only, in node order', () => {
    for (const n of [17, 32, 64]) {
      const t = makeCommon(example(n), 2, 1)!;
      expect(cands(t)).toEqual(Array.from({ length: n }, (_, i) => [10, [i]]));
    }
    // 17 nodes of which one is unreachable: 16 valid nodes are fully expanded again
    const d = example(17).map((row, i) => row.map((v, j) => (i === 16 || j === 16 ? EMPTY : v)));
    expect(makeCommon(d, 1, 1)!.candidates().length).toBe(2 ** 16 - 1);
  });
  it('ranks the AMD triple {0,1,4} (max 16) before {0,1,2} (max 22), as topology.mli says', () => {
    const opteron = amd();
    const t = makeCommon(opteron, 4, 2)!;
    const rank = (nodes: number[]): number => t.candidates().findIndex((c) => compare_node_lists(c.nodes, nodes) === 0);
    expect(rank([0, 1, 4])).toBeLessThan(rank([0, 1, 2]));
    expect(t.candidates()[rank([0, 1, 4])]!.avg).toBeCloseTo(14, 12);
    expect(t.candidates()[rank([0, 1, 2])]!.avg).toBeCloseTo((30 + 2 * (16 + 16 + 22)) / 9, 12);
  });
});

/** test_topology.ml Distances.opteron (AMD Opteron 6272), the 8node-amd preset's SLIT. */
const amd = (): number[][] => AMD_6272_SLIT.map((row) => [...row]);

describe('NUMA.choose', () => {
  const t = (): NUMA => makeCommon(example(4), 2, 1)!;
  const r = res([0], 0, 1);
  it('picks the lowest usage, ties by the node list, and bumps the usage (never decremented)', () => {
    const h = t();
    const all: [number[], NUMAResource][] = [[[3], r], [[1], r], [[2], r], [[0], r]];
    const picks = Array.from({ length: 6 }, () => h.choose(all)!.nodes[0]);
    expect(picks).toEqual([0, 1, 2, 3, 0, 1]);
    expect(h.node_usage()).toEqual([2, 2, 1, 1]);
  });
  it('compares lists lexicographically: [1;0] < [2] < [2;0], and sums usage over a set', () => {
    expect(compare_node_lists([1, 0], [2])).toBe(-1);
    expect(compare_node_lists([2], [2, 0])).toBe(-1);
    expect(compare_node_lists([], [0])).toBe(-1);
    const h = t();
    expect(h.choose([[[2], r], [[2, 0], r], [[1, 0], r]])!.nodes).toEqual([1, 0]);
    expect(h.node_usage()).toEqual([1, 1, 0, 0]);
    // {3} has usage 0, {2,0} has 1, {1} has 1
    expect(h.choose([[[1], r], [[2, 0], r], [[3], r]])!.nodes).toEqual([3]);
  });
  it('returns null on no candidates and leaves the counters alone; apply_mask shares them', () => {
    const h = t();
    expect(h.choose([])).toBeNull();
    expect(h.node_usage()).toEqual([0, 0, 0, 0]);
    const m = h.apply_mask(CPUSet.of([0, 2]));
    expect(m.cpuset_of_node(0).elements()).toEqual([0]);
    expect(m.cpuset_of_node(1).elements()).toEqual([2]);
    expect(m.all_cpus().elements()).toEqual([0, 2]);
    m.choose([[[2], r]]);
    expect(h.node_usage()).toEqual([0, 0, 1, 0]);
  });
  it('returns the chosen resource, and on a duplicate node list prefers the smaller resource', () => {
    const h = t();
    const big = res([0, 1], 1, 5);
    const small = res([0], 1, 5);
    expect(h.choose([[[0], big], [[0], small]])!.resource).toBe(small);
  });
});

describe('numa_hierarchy (Domain.numa_hierarchy, pure part)', () => {
  it('counts distinct core ids per node (SMT siblings share a core)', () => {
    const topo = [
      { core: 0, node: 0 },
      { core: 0, node: 0 },
      { core: 1, node: 0 },
      { core: 1, node: 0 },
      { core: 0, node: 1 },
      { core: 5, node: 1 },
    ];
    const h = numa_hierarchy([[10, 21], [21, 10]], topo)!;
    expect([h.coreset_of_node(0), h.coreset_of_node(1)]).toEqual([2, 2]);
    expect(h.resource(1, 123)).toMatchObject({ cores: 2, memfree: 123 });
    expect(h.resource(1, 123).affinity.elements()).toEqual([4, 5]);
    expect(() => numa_hierarchy([[10]], [{ core: 0, node: 1 }])).toThrow('index out of bounds');
  });
});

describe('numa_affinity_policy', () => {
  it('names, derived affinity and cores, default', () => {
    expect(NUMA_AFFINITY_POLICIES.map(string_of_numa_affinity_policy)).toEqual(['any', 'best-effort', 'best-effort-hard', 'prio-mem-only']);
    for (const p of NUMA_AFFINITY_POLICIES) expect(numa_affinity_policy_of_string(string_of_numa_affinity_policy(p))).toBe(p);
    expect(() => numa_affinity_policy_of_string('best_effort')).toThrow('unknown NUMA affinity policy');
    expect(NUMA_AFFINITY_POLICIES.map(affinity_of_numa_affinity_policy)).toEqual(['Soft', 'Soft', 'Hard', 'Soft']);
    expect(NUMA_AFFINITY_POLICIES.map((p) => cores_of_numa_affinity_policy(p, 6))).toEqual([0, 6, 6, 0]);
    expect(default_numa_affinity_policy()).toBe('Best_effort');
    expect(default_numa_affinity_policy({ numa_placement_compat: true, numa_best_effort_prio_mem_only: true })).toBe('Prio_mem_only');
    expect(default_numa_affinity_policy({ numa_placement_compat: false, numa_best_effort_prio_mem_only: true })).toBe('Any');
  });
});

// Figures worked by hand from memory.ml: shadow = max 1 (trunc (ceil((256·vcpus + 2·static_max) / 256) × mult)),
// overhead = 1 + 1 + shadow + ceil(38·vcpus / 256) (+ shim), required = target + overhead, claim = build_start · 256.
describe('Memory_model (memory.ml)', () => {
  it.each([
    [
      'HVM 4 GiB, 2 vCPUs, 8 MiB video, multiplier 1',
      // shadow: ceil((512 + 8192) / 256) = 34; overhead 1 + 1 + 34 + ceil(76/256)=1 → 37
      [4096, 8, 4096, 2, 1.0],
      { build_max_mib: 4088, build_start_mib: 4088, xen_max_mib: 4097, shadow_mib: 34, required_host_free_mib: 4133, overhead_mib: 37, build_claim_pages: 4088 * 256 },
    ],
    [
      'HVM started ballooned down (target 512 of 1024), multiplier 1.5 truncates',
      // shadow: ceil((256 + 2048) / 256) = 9, × 1.5 = 13.5 → 13; overhead 1 + 1 + 13 + 1 = 16
      [1024, 4, 512, 1, 1.5],
      { build_max_mib: 1020, build_start_mib: 508, xen_max_mib: 1025, shadow_mib: 13, required_host_free_mib: 528, overhead_mib: 16, build_claim_pages: 130048 },
    ],
  ] as const)('%s', (_name, [static_max, video, target, vcpus, multiplier], want) => {
    expect(HVM.full_config(static_max, video, target, vcpus, multiplier)).toEqual(want);
  });
  it('HVM 16 GiB, 8 vCPUs; 40 vCPUs round the per-vCPU pages up', () => {
    // shadow: (2048 + 32768) / 256 = 136 exactly; overhead 1 + 1 + 136 + ceil(304/256)=2 → 140
    const c = HVM.full_config(16384, 16, 16384, 8, 1.0);
    expect([c.shadow_mib, c.overhead_mib, c.required_host_free_mib, c.build_claim_pages]).toEqual([136, 140, 16524, 16368 * 256]);
    // 40 vCPUs: shadow ceil((10240 + 32768)/256) = 168 (167.99); ceil(1520/256) = 6
    expect(HVM.overhead_mib(16384, 40, 1.0)).toBe(1 + 1 + 168 + 6);
  });
  it('shadow is at least 1 MiB; PV and PVinPVH data differ from HVM', () => {
    expect(HVM.shadow_mib(0, 0, 1.0)).toBe(1);
    expect(HVM.shadow_mib(4096, 2, 0)).toBe(1);
    expect(Linux.xen_max_mib(4096)).toBe(4096);
    expect(Linux.overhead_mib(4096, 2, 1.0)).toBe(0 + 1 + 34 + 1);
    // shim(900) = 23 + 900/90 = 33
    expect(PVinPVH.build_max_mib(900, 0)).toBe(933);
    expect(PVinPVH.xen_max_mib(900)).toBe(934);
    expect(PVinPVH.build_start_mib(900, 450, 0)).toBe(450 + 23 + 5);
  });
  it('rounding helpers and input bounds', () => {
    expect([mib_of_pages_used(0), mib_of_pages_used(1), mib_of_pages_used(256), mib_of_pages_used(257)]).toEqual([0, 1, 1, 2]);
    expect([pages_of_bytes_used(1), pages_of_bytes_used(4096), pages_of_bytes_used(4097)]).toEqual([1, 1, 2]);
    expect(() => HVM.full_config(-1, 0, 0, 1, 1)).toThrow(InvalidArgument);
    expect(() => HVM.shadow_mib(1024, 1, Number.NaN)).toThrow(InvalidArgument);
    expect(() => HVM.shadow_mib(1024, 1.5, 1)).toThrow(InvalidArgument);
  });
});

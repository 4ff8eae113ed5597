// xenopsd's Softaffinity.plan (softaffinity.ml), pure: xenopsd's own "VM Allocation" tests of
// test_topology.ml (synthetic 10 + 11·|i−j| hosts and the AMD 8-node matrix), plus the plan's edges.
import { describe, expect, it } from 'vitest';
import { SAME_DISTANCE_EPSILON, plan, plan_valid, take_same_distance, type ValidPlan } from '../xenopsd/softaffinity.js';
import { CPUSet, InvalidArgument, NUMA, NUMARequest, NUMAResource } from '../xenopsd/topology.js';
import { AMD_6272_SLIT } from '../hypervisor/presets.js';

const GiB = 2 ** 30;

const example = (n: number): number[][] => Array.from({ length: n }, (_r, i) => Array.from({ length: n }, (_c, j) => 10 + 11 * Math.abs(i - j)));

/** test_topology.ml Distances.opteron (AMD Opteron 6272), the 8node-amd preset's SLIT. */
const opteron = (): number[][] => AMD_6272_SLIT.map((row) => [...row]);

/** test_topology.ml make_numa_common with logical_per_physical = 2. */
function host(distances: number[][], cpusPerNode: number): NUMA {
  const n = distances.length;
  const h = NUMA.make({
    distances,
    cpu_to_node: Array.from({ length: cpusPerNode * n }, (_, cpu) => Math.floor(cpu / cpusPerNode)),
    node_cores: Array.from({ length: n }, () => Math.floor(cpusPerNode / 2)),
  });
  if (h === null) throw new Error("Synthetic matrix can't fail to load");
  return h;
}

interface Cost {
  worst: number;
  average: number;
  best: number;
  nodes: number[];
}

/** test_topology.ml sum_costs. */
function sumCosts(l: Cost[]): Cost {
  return l.reduce((acc, c) => ({ worst: Math.max(acc.worst, c.worst), average: acc.average + c.average, nodes: [...c.nodes, ...acc.nodes], best: Math.min(acc.best, c.best) }), {
    worst: Number.MIN_SAFE_INTEGER,
    average: 0,
    nodes: [],
    best: Number.MAX_SAFE_INTEGER,
  });
}

/** test_topology.ml vm_access_costs: distances from each CPU of the VM to each of its memory nodes. */
function vmAccessCosts(h: NUMA, allVms: [number[], CPUSet][], nodes: number[], cpuset: CPUSet): Cost {
  const vms: [number[], CPUSet][] = [[nodes, cpuset], ...allVms];
  const costs = sumCosts(
    cpuset.elements().map((c) => {
      const ds = nodes.map((node) => h.distance(h.node_of_cpu(c), node));
      return { worst: Math.max(0, ...ds), best: Math.min(Number.MAX_SAFE_INTEGER, ...ds), average: ds.reduce((a, b) => a + b, 0) / nodes.length, nodes: [] };
    }),
  );
  return { ...costs, average: costs.average / cpuset.cardinal, nodes: vms.flatMap(([n]) => n) };
}

/** test_topology.ml cost_not_worse. */
function expectNotWorse(def: Cost, c: Cost): void {
  expect(c.worst, 'The worst-case access time must not be changed from default').toBeLessThanOrEqual(def.worst);
  expect(c.best, 'Best case access time must not change').toBeLessThanOrEqual(def.best);
  expect(c.average, 'Average access times could improve, but must not be worse').toBeLessThanOrEqual(def.average + 1e-3);
}

const balancing = (nodes: number[], vms: number): number => Math.min(vms, new Set(nodes).size);

/** test_topology.ml test_allocate: vms equal VMs planned one after another on 16 GiB nodes. */
function testAllocate(h: NUMA, expectedCpus: number, vms: number, mem = GiB): number[][] {
  const nodes = h.nodes().map((n) => h.resource(n, 2 ** 34));
  const cpus = h.all_cpus().cardinal;
  expect(cpus, 'Core count matches').toBe(expectedCpus);
  const vmCpus = Math.max(2, Math.floor(cpus / vms));
  const costsOld: Cost[] = [];
  const costsNew: Cost[] = [];
  const plans: [number[], CPUSet][] = [];
  const planned: number[][] = [];
  for (let i = 1; i <= vms; i++) {
    const vm = NUMARequest.make({ memory: mem, vcpus: vmCpus, cores: 0 });
    const p = plan(h, nodes, vm);
    if (p === null) throw new Error('No NUMA plan');
    const used = [...new Set(p.affinity.elements().map((c) => h.node_of_cpu(c)))].sort((a, b) => a - b);
    expect(used).toEqual([...p.nodes].sort((a, b) => a - b)); // the CPUs are exactly the memory nodes' CPUs
    const aware = vmAccessCosts(h, plans, used, p.affinity);
    const def = vmAccessCosts(h, plans, h.nodes(), h.all_cpus());
    expectNotWorse(def, aware);
    costsOld.unshift(def);
    costsNew.unshift(aware);
    plans.unshift([used, p.affinity]);
    planned.push(p.nodes);
  }
  // check_aggregate_costs_not_worse
  const def = sumCosts(costsOld);
  const next = sumCosts(costsNew);
  expectNotWorse(def, next);
  expect(balancing(next.nodes, vms), 'Balancing could improve').toBeGreaterThanOrEqual(balancing(def.nodes, vms));
  const usedCpus = plans.reduce((acc, [, s]) => acc.union(s), CPUSet.empty).cardinal;
  expect(usedCpus, 'All vCPUs are used').toBe(cpus);
  return planned;
}

describe('Softaffinity.plan on xenopsd test_topology.ml hosts', () => {
  const symmetric: [vms: number, numa: number, cores: number][] = [
    [1, 1, 2],
    [10, 1, 8],
    [1, 2, 4],
    [10, 2, 4],
    [1, 4, 16],
    [10, 4, 16],
    [40, 16, 256],
    [40, 32, 256],
    [80, 64, 256],
  ];
  for (const [vms, numa, cores] of symmetric) {
    it(`Allocation of ${vms} VM(s) on ${numa} node(s), ${cores} cores`, () => {
      const h = host(example(numa), cores / numa);
      const planned = testAllocate(h, cores, vms);
      // one VM gets max 2 (cpus / vms) = every CPU, so every node (descending); more VMs each fit one
      // node here, and equal VMs are spread round-robin by usage
      const expectedPlans = vms === 1 ? [h.nodes().reverse()] : Array.from({ length: vms }, (_v, i) => [i % numa]);
      const expectedUsage = Array.from({ length: numa }, (_n, n) => (vms === 1 ? 1 : Math.floor(vms / numa) + (n < vms % numa ? 1 : 0)));
      expect(planned).toEqual(expectedPlans);
      expect(h.node_usage()).toEqual(expectedUsage);
    });
  }
  it('Allocation of 10 VM(s) on asymmetric nodes, 4 cores per node', () => {
    const h = host(opteron(), 4);
    const planned = testAllocate(h, 32, 10);
    expect(planned).toEqual([[0], [1], [2], [3], [4], [5], [6], [7], [0], [1]]);
  });
  it('Allocation of 6 VM(s) with 21.3 GiB each on asymmetric nodes, 4 cores per node (two nodes each)', () => {
    const h = host(opteron(), 4);
    const mem3 = Math.floor((4 * 2 ** 34) / 3); // mem3 of test_topology.ml: more than one 16 GiB node
    const planned = testAllocate(h, 32, 6, mem3);
    for (const p of planned) {
      expect(p).toHaveLength(2);
      expect(h.distance(p[0]!, p[1]!)).toBe(16); // only the max-16 pairs come first
    }
    // pairs at distance 16 (avg 13) form the window; least used first, then the smallest descending list
    expect(planned).toEqual([[1, 0], [3, 2], [5, 4], [7, 6], [1, 0], [3, 2]]);
    expect(h.node_usage()).toEqual([2, 2, 2, 2, 1, 1, 1, 1]);
  });
});

describe('plan_valid and take_same_distance', () => {
  const r = (cpus: number[], memfree: number, cores = 0): NUMAResource => NUMAResource.make({ affinity: CPUSet.of(cpus), cores, memfree });
  it('allocates in ascending order and returns the picked nodes descending', () => {
    const nodes = [r([0], 10), r([1], 10), r([2], 10)];
    const vm = NUMARequest.make({ memory: 25, vcpus: 3, cores: 0 });
    const p = plan_valid(nodes, vm, { avg: 18, nodes: [0, 1, 2] })!;
    expect(p.picked).toEqual([2, 1, 0]);
    expect(p.allocated.memfree).toBe(30);
    expect(p.allocated.affinity.elements()).toEqual([0, 1, 2]);
    expect(plan_valid(nodes, vm, { avg: 15, nodes: [0, 1] })).toBeNull(); // 5 bytes and a vCPU short
    expect(plan_valid(nodes, NUMARequest.make({ memory: 1, vcpus: 1, cores: 1 }), { avg: 10, nodes: [0] })).toBeNull(); // cores
    expect(() => plan_valid(nodes, vm, { avg: 10, nodes: [3] })).toThrow(InvalidArgument);
  });
  it('keeps plans within 1e-3 of the first average and stops at the first that differs', () => {
    const mk = (avg: number, node: number): ValidPlan => ({ avg, picked: [node], allocated: NUMAResource.empty });
    const taken = [...take_same_distance([mk(10, 0), mk(10 + 0.0009, 1), mk(10 + 1.5 * SAME_DISTANCE_EPSILON, 2), mk(10, 3)])].map(([n]) => n[0]);
    expect(taken).toEqual([0, 1]);
    expect([...take_same_distance([])]).toEqual([]);
    // 10.001 - 10 is 0.00099999999999945 in doubles, inside the strict < 1e-3 window
    expect([...take_same_distance([mk(10, 0), mk(10.001, 1)])]).toHaveLength(2);
    // compared with the first plan's avg, not the previous one's
    expect([...take_same_distance([mk(10, 0), mk(10.0006, 1), mk(10.0012, 2)])].map(([n]) => n[0])).toEqual([0, 1]);
  });
});

describe('Softaffinity.plan', () => {
  it('uses memory free on the nodes, not usage, as the fit filter', () => {
    const h = host(example(4), 4);
    const nodes = [0, 1, 2, 3].map((n) => h.resource(n, n === 0 ? GiB : 8 * GiB));
    const p = plan(h, nodes, NUMARequest.make({ memory: 2 * GiB, vcpus: 2, cores: 1 }))!;
    expect(p.nodes).toEqual([1]);
    expect(p.affinity.elements()).toEqual([4, 5, 6, 7]);
    expect(h.node_usage()).toEqual([0, 1, 0, 0]);
  });
  it('spans the closest pair when no node fits, nodes descending', () => {
    const h = host(example(4), 4);
    const nodes = [0, 1, 2, 3].map((n) => h.resource(n, 4 * GiB));
    const vm = NUMARequest.make({ memory: 6 * GiB, vcpus: 2, cores: 0 });
    const first = plan(h, nodes, vm)!;
    expect(first.nodes).toEqual([1, 0]);
    expect(first.affinity.elements()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // the window (avg 15.5) holds the three adjacent pairs; usages {0,1} 2, {1,2} 1, {2,3} 0
    expect(plan(h, nodes, vm)!.nodes).toEqual([3, 2]);
    // now all three pairs sum to 2: the smallest descending list wins
    expect(plan(h, nodes, vm)!.nodes).toEqual([1, 0]);
    expect(h.node_usage()).toEqual([2, 2, 1, 1]);
  });
  it('needs physical cores when the policy asks for them', () => {
    const h = host(example(2), 4); // 2 cores per node
    const nodes = [0, 1].map((n) => h.resource(n, 8 * GiB));
    expect(plan(h, nodes, NUMARequest.make({ memory: GiB, vcpus: 3, cores: 3 }))!.nodes).toEqual([1, 0]);
    expect(plan(h, nodes, NUMARequest.make({ memory: GiB, vcpus: 3, cores: 0 }))!.nodes).toEqual([0]);
  });
  it('returns null when nothing fits and leaves the usage counters alone', () => {
    const h = host(example(2), 2);
    const nodes = [0, 1].map((n) => h.resource(n, GiB));
    expect(plan(h, nodes, NUMARequest.make({ memory: 3 * GiB, vcpus: 1, cores: 0 }))).toBeNull();
    expect(plan(h, nodes, NUMARequest.make({ memory: GiB, vcpus: 5, cores: 0 }))).toBeNull();
    expect(h.node_usage()).toEqual([0, 0]);
  });
  it('with more than 16 nodes a VM larger than one node gets no plan (singletons only)', () => {
    const h = host(example(17), 2);
    const nodes = h.nodes().map((n) => h.resource(n, GiB));
    expect(plan(h, nodes, NUMARequest.make({ memory: GiB + 1, vcpus: 1, cores: 0 }))).toBeNull();
    expect(plan(h, nodes, NUMARequest.make({ memory: GiB, vcpus: 1, cores: 0 }))!.nodes).toEqual([0]);
  });
  it("fails OCaml's assertion when the given resources share CPUs", () => {
    const h = host(example(2), 2);
    const shared = NUMAResource.make({ affinity: CPUSet.of([0, 1]), cores: 0, memfree: GiB });
    expect(() => plan(h, [shared, shared], NUMARequest.make({ memory: 2 * GiB, vcpus: 3, cores: 0 }))).toThrow('Assert_failure');
  });
});

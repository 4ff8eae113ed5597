// xenopsd's NUMA topology model (xapi-project/xen-api ocaml/xenopsd/lib/topology.ml): CPU sets,
// node resources, VM requests, the SLIT checks, the candidate node sets and the usage-balanced choice.
// Pure: no I/O. Memory is in bytes as plain numbers: a safe integer reaches 2^53 bytes = 8 PiB, far
// beyond any host, so int64 is not needed; values above Number.MAX_SAFE_INTEGER are rejected.

/** OCaml's Invalid_argument, raised by the constructors and by out-of-bounds array indexing. */
export class InvalidArgument extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Invalid_argument';
  }
}

/** Bound on a CPU id: to_mask allocates max_elt + 1 entries (Xen's nr_cpu_ids is far smaller). */
export const MAX_CPU_ID = (1 << 20) - 1;
/** Bound on the number of NUMA nodes NUMA.make accepts (Xen x86 has MAX_NUMNODES = 64); the matrix is n². */
export const MAX_NUMA_NODES = 1024;
/** Bound on CPUs in cpu_to_node. */
export const MAX_CPUS = 1 << 20;
/** Above this many valid nodes only singletons are candidates, so there are at most 2^16 - 1 candidates. */
export const MAX_EXPANDED_NODES = 16;

function checkSafeInt(what: string, v: number): void {
  if (!Number.isSafeInteger(v)) throw new InvalidArgument(`${what} must be a safe integer: ${v}`);
}

function at<T>(a: readonly T[], i: number): T {
  const v = Number.isInteger(i) && i >= 0 ? a[i] : undefined;
  if (v === undefined) throw new InvalidArgument('index out of bounds');
  return v;
}

/** Port of CPUSet (topology.ml: Set.Make(Int)): an immutable sorted set of CPU ids. */
export class CPUSet {
  static readonly empty = new CPUSet([]);
  private readonly ids: readonly number[];

  private constructor(sortedUnique: readonly number[]) {
    this.ids = sortedUnique;
  }

  /** Builds a set from any ids; each must be an integer in [0, MAX_CPU_ID]. */
  static of(ids: Iterable<number>): CPUSet {
    const out: number[] = [];
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id > MAX_CPU_ID) throw new InvalidArgument(`CPUSet: CPU id out of range [0, ${MAX_CPU_ID}]: ${id}`);
      out.push(id);
    }
    out.sort((a, b) => a - b);
    return new CPUSet(out.filter((v, i) => i === 0 || out[i - 1] !== v));
  }

  /** Port of CPUSet.all: the CPUs 0 … n-1. */
  static all(n: number): CPUSet {
    if (!Number.isInteger(n) || n < 0 || n > MAX_CPU_ID + 1) throw new InvalidArgument(`CPUSet.all: bad count ${n}`);
    return new CPUSet(Array.from({ length: n }, (_, i) => i));
  }

  add(id: number): CPUSet {
    return this.mem(id) ? this : CPUSet.of([...this.ids, id]);
  }

  mem(id: number): boolean {
    return this.ids.includes(id);
  }

  union(o: CPUSet): CPUSet {
    if (o.ids.length === 0) return this;
    if (this.ids.length === 0) return o;
    return CPUSet.of([...this.ids, ...o.ids]);
  }

  inter(o: CPUSet): CPUSet {
    const s = new Set(o.ids);
    return new CPUSet(this.ids.filter((v) => s.has(v)));
  }

  get cardinal(): number {
    return this.ids.length;
  }

  isEmpty(): boolean {
    return this.ids.length === 0;
  }

  /** Ascending, as Set.elements. */
  elements(): number[] {
    return [...this.ids];
  }

  /** Set.max_elt: raises Not_found on the empty set. */
  maxElt(): number {
    const m = this.ids[this.ids.length - 1];
    if (m === undefined) throw new Error('Not_found');
    return m;
  }

  /** Port of CPUSet.to_mask: mask[i] iff CPU i is in the set, length max_elt + 1 (throws Not_found when empty). */
  toMask(): boolean[] {
    const mask = new Array<boolean>(this.maxElt() + 1).fill(false);
    for (const i of this.ids) mask[i] = true;
    return mask;
  }

  /** Lexicographic order of the ascending elements (used only as a last-resort tie-break, see choose). */
  compare(o: CPUSet): number {
    const n = Math.min(this.ids.length, o.ids.length);
    for (let i = 0; i < n; i++) {
      const d = this.ids[i]! - o.ids[i]!;
      if (d !== 0) return Math.sign(d);
    }
    return Math.sign(this.ids.length - o.ids.length);
  }
}

/** A NUMA node (or set of nodes) providing CPUs, physical cores and free memory (bytes). */
export interface NUMAResource {
  readonly affinity: CPUSet;
  readonly cores: number;
  readonly memfree: number;
}

/** Port of NUMAResource.make: negative memfree is invalid (cores are not checked, as in OCaml). */
function resourceMake(affinity: CPUSet, cores: number, memfree: number): NUMAResource {
  checkSafeInt('NUMAResource: cores', cores);
  checkSafeInt('NUMAResource: memfree', memfree);
  if (memfree < 0) throw new InvalidArgument(`NUMAResource: memory cannot be negative: ${memfree}`);
  return Object.freeze({ affinity, cores, memfree });
}

export const NUMAResource = {
  make: (r: { affinity: CPUSet; cores: number; memfree: number }): NUMAResource => resourceMake(r.affinity, r.cores, r.memfree),
  /** Port of NUMAResource.empty. */
  empty: resourceMake(CPUSet.empty, 0, 0),
  /** Port of NUMAResource.union: set union of CPUs, sums of cores and memory. */
  union: (a: NUMAResource, b: NUMAResource): NUMAResource => resourceMake(a.affinity.union(b.affinity), a.cores + b.cores, a.memfree + b.memfree),
  /** Port of NUMAResource.min_memory: a with the smaller memfree of a and b. */
  min_memory: (a: NUMAResource, b: NUMAResource): NUMAResource => Object.freeze({ ...a, memfree: Math.min(a.memfree, b.memfree) }),
};

/** What a VM asks for: memory in bytes, vCPUs, physical cores (0 when the policy ignores cores). */
export interface NUMARequest {
  readonly memory: number;
  readonly vcpus: number;
  readonly cores: number;
}

/** Port of NUMARequest.make: negatives are invalid, zero is allowed (shrink produces it). */
function requestMake(memory: number, vcpus: number, cores: number): NUMARequest {
  checkSafeInt('NUMARequest: memory', memory);
  checkSafeInt('NUMARequest: vcpus', vcpus);
  checkSafeInt('NUMARequest: cores', cores);
  if (memory < 0) throw new InvalidArgument(`NUMARequest: memory must be > 0: ${memory}`);
  if (vcpus < 0) throw new InvalidArgument(`vcpus cannot be negative: ${vcpus}`);
  if (cores < 0) throw new InvalidArgument(`cores cannot be negative: ${cores}`);
  return Object.freeze({ memory, vcpus, cores });
}

export const NUMARequest = {
  make: (r: { memory: number; vcpus: number; cores: number }): NUMARequest => requestMake(r.memory, r.vcpus, r.cores),
  /** Port of NUMARequest.fits: memory ≤ memfree, |affinity| ≥ vcpus, cores ≥ cores. */
  fits: (req: NUMARequest, avail: NUMAResource): boolean => req.memory <= avail.memfree && avail.affinity.cardinal >= req.vcpus && avail.cores >= req.cores,
  /** Port of NUMARequest.shrink: what is still needed once avail is allocated, field-wise max 0. */
  shrink: (req: NUMARequest, avail: NUMAResource): NUMARequest =>
    requestMake(Math.max(0, req.memory - avail.memfree), Math.max(0, req.vcpus - avail.affinity.cardinal), Math.max(0, req.cores - avail.cores)),
};

/** A candidate node set: its average distance and the nodes, ascending. */
export interface NUMACandidate {
  readonly avg: number;
  readonly nodes: readonly number[];
}

/** NUMA.max_valid_distance and NUMA.self_distance (topology.ml). */
export const MAX_VALID_DISTANCE = 0xff;
export const SELF_DISTANCE = 10;

/** Port of NUMA.is_unreachable: Xen's ~0U (as 32-bit 0xFFFFFFFF or as -1) and anything above 0xFF. */
export function is_unreachable(d: number): boolean {
  return d > MAX_VALID_DISTANCE || d < 0;
}

/** Port of node_distances (topology.ml): (max, average) over all n² ordered pairs, diagonal included. */
export function node_distances(d: readonly (readonly number[])[], nodes: readonly number[]): { max: number; avg: number } | null {
  if (nodes.length === 0) return null;
  let max = Number.MIN_SAFE_INTEGER;
  let sum = 0;
  for (const a of nodes) for (const b of nodes) {
    const v = at(at(d, a), b);
    if (v > max) max = v;
    sum += v;
  }
  return { max, avg: sum / (nodes.length * nodes.length) };
}

/** Port of gen_candidates (topology.ml): subsets by bitmask (≤ 16 valid nodes) or singletons, stably sorted by (max, avg). */
export function gen_candidates(d: readonly (readonly number[])[]): NUMACandidate[] {
  const valid: number[] = [];
  for (let i = 0; i < d.length; i++) if (!is_unreachable(at(at(d, i), i))) valid.push(i);
  const keyed: { max: number; avg: number; nodes: number[] }[] = [];
  if (valid.length > MAX_EXPANDED_NODES) {
    for (const i of valid) {
      const self = at(at(d, i), i);
      keyed.push({ max: self, avg: self, nodes: [i] });
    }
  } else {
    // The valid nodes' sub-matrix, checked once, so the 2^n - 1 subsets index it directly.
    const sub = valid.map((a) => valid.map((b) => at(at(d, a), b)));
    for (let mask = 1; mask < 1 << valid.length; mask++) {
      const bits: number[] = [];
      for (let b = 0; b < valid.length; b++) if ((mask >> b) & 1) bits.push(b);
      let max = Number.MIN_SAFE_INTEGER;
      let sum = 0;
      for (const a of bits) {
        const row = sub[a]!;
        for (const b of bits) {
          const v = row[b]!;
          if (v > max) max = v;
          sum += v;
        }
      }
      keyed.push({ max, avg: sum / (bits.length * bits.length), nodes: bits.map((b) => valid[b]!) });
    }
  }
  // Array.prototype.sort is stable (ES2019), as OCaml's Array.fast_sort (merge sort) is.
  keyed.sort((a, b) => (a.max !== b.max ? Math.sign(a.max - b.max) : Math.sign(a.avg - b.avg)));
  return keyed.map((k) => ({ avg: k.avg, nodes: k.nodes }));
}

/** OCaml polymorphic compare of two int lists: lexicographic, a proper prefix (and [] first) is smaller. */
export function compare_node_lists(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return Math.sign(a[i]! - b[i]!);
  return Math.sign(a.length - b.length);
}

/** Tie-break on resources after equal usage and node lists. OCaml compares the records structurally;
 *  its CPUSet is an AVL tree whose shape we do not model, so affinity is compared as sorted elements here.
 *  Softaffinity.plan never reaches this (its candidates have distinct node lists). */
function compare_resources(a: NUMAResource, b: NUMAResource): number {
  const c = a.affinity.compare(b.affinity);
  if (c !== 0) return c;
  if (a.cores !== b.cores) return Math.sign(a.cores - b.cores);
  return Math.sign(a.memfree - b.memfree);
}

export interface NUMAMakeArgs {
  /** Square SLIT: distances[i][j] from node i to node j; ≤ MAX_NUMA_NODES rows. */
  distances: readonly (readonly number[])[];
  /** cpu_to_node[cpu] = node of that CPU; ≤ MAX_CPUS entries. */
  cpu_to_node: readonly number[];
  /** node_cores[n] = physical cores of node n (one entry per node). */
  node_cores: readonly number[];
}

/** Port of NUMA.t (topology.ml). node_usage is shared by apply_mask copies and never decremented. */
export class NUMA {
  private constructor(
    private readonly dist: readonly (readonly number[])[],
    private readonly cpuToNode: readonly number[],
    private readonly nodeCpus: readonly CPUSet[],
    private readonly nodeCores: readonly number[],
    private readonly allCpusSet: CPUSet,
    private readonly nodeUsage: number[],
    private readonly cands: readonly NUMACandidate[],
  ) {}

  /** Port of NUMA.make: null (NUMA disabled) when no node has CPUs or the SLIT is unreasonable. Stricter than
   *  OCaml on shape: the matrix must be square and node_cores must have one entry per node (OCaml would fail
   *  later with an index error). CPUs of a node whose self-distance is unreachable are dropped. */
  static make(args: NUMAMakeArgs): NUMA | null {
    const { distances, cpu_to_node, node_cores } = args;
    const n = distances.length;
    if (n > MAX_NUMA_NODES) throw new InvalidArgument(`NUMA.make: too many nodes (${n} > ${MAX_NUMA_NODES})`);
    if (cpu_to_node.length > MAX_CPUS) throw new InvalidArgument(`NUMA.make: too many CPUs (${cpu_to_node.length} > ${MAX_CPUS})`);
    for (const row of distances) {
      if (row.length !== n) throw new InvalidArgument(`NUMA.make: distance matrix is not square (${n} rows, a row of ${row.length})`);
      for (const v of row) checkSafeInt('NUMA.make: distance', v);
    }
    if (node_cores.length !== n) throw new InvalidArgument(`NUMA.make: node_cores has ${node_cores.length} entries for ${n} nodes`);
    for (const c of node_cores) checkSafeInt('NUMA.make: node_cores', c);
    const cpusOf: number[][] = distances.map(() => []);
    cpu_to_node.forEach((node, cpu) => {
      const self = at(at(distances, node), node);
      if (!is_unreachable(self)) at(cpusOf, node).push(cpu);
    });
    const nodeCpus = cpusOf.map((c) => CPUSet.of(c));
    if (nodeCpus.every((s) => s.isEmpty())) return null; // "the ACPI SLIT only contains unreachable nodes"
    const reasonable = distances.every((row, i) => {
      const self = at(row, i);
      return (is_unreachable(self) || self === SELF_DISTANCE) && row.every((d) => d >= SELF_DISTANCE || is_unreachable(d));
    });
    if (!reasonable) return null; // "the ACPI SLIT table contains values that are invalid"
    const all = nodeCpus.reduce((acc, s) => acc.union(s), CPUSet.empty);
    const dist = distances.map((r) => Object.freeze([...r]));
    return new NUMA(dist, [...cpu_to_node], nodeCpus, [...node_cores], all, distances.map(() => 0), gen_candidates(dist));
  }

  /** Port of NUMA.distance. */
  distance(a: number, b: number): number {
    return at(at(this.dist, a), b);
  }

  /** Port of NUMA.cpuset_of_node. */
  cpuset_of_node(node: number): CPUSet {
    return at(this.nodeCpus, node);
  }

  /** Port of NUMA.coreset_of_node (the node's physical core count). */
  coreset_of_node(node: number): number {
    return at(this.nodeCores, node);
  }

  /** Port of NUMA.node_of_cpu. */
  node_of_cpu(cpu: number): number {
    return at(this.cpuToNode, cpu);
  }

  /** Port of NUMA.nodes: 0 … n-1, unreachable ones included. */
  nodes(): number[] {
    return this.dist.map((_, i) => i);
  }

  /** Port of NUMA.all_cpus. */
  all_cpus(): CPUSet {
    return this.allCpusSet;
  }

  /** Port of NUMA.apply_mask: only CPUs in mask count; usage counters stay shared with this. */
  apply_mask(mask: CPUSet): NUMA {
    return new NUMA(this.dist, this.cpuToNode, this.nodeCpus.map((s) => s.inter(mask)), this.nodeCores, this.allCpusSet.inter(mask), this.nodeUsage, this.cands);
  }

  /** Port of NUMA.resource: the node's CPUs and cores with the given free memory (bytes). */
  resource(node: number, memory: number): NUMAResource {
    return resourceMake(this.cpuset_of_node(node), this.coreset_of_node(node), memory);
  }

  /** Port of NUMA.candidates: computed once by make, sorted by (max, avg) distance. */
  candidates(): readonly NUMACandidate[] {
    return this.cands;
  }

  /** The usage counters (a copy), for inspection. */
  node_usage(): number[] {
    return [...this.nodeUsage];
  }

  /** Port of NUMA.choose: the candidate with the lowest summed node usage under OCaml's compare of
   *  (usage, nodes, resource), the earlier one on equality; bumps the chosen nodes' usage (never decremented). */
  choose(candidates: Iterable<readonly [nodes: readonly number[], resource: NUMAResource]>): { resource: NUMAResource; nodes: number[] } | null {
    let best: { usage: number; nodes: readonly number[]; resource: NUMAResource } | null = null;
    for (const [nodes, resource] of candidates) {
      const usage = nodes.reduce((s, node) => s + at(this.nodeUsage, node), 0);
      if (best === null) {
        best = { usage, nodes, resource };
        continue;
      }
      const c = usage !== best.usage ? Math.sign(usage - best.usage) : compare_node_lists(nodes, best.nodes) || compare_resources(resource, best.resource);
      if (c < 0) best = { usage, nodes, resource };
    }
    if (best === null) return null;
    for (const node of best.nodes) this.nodeUsage[node] = at(this.nodeUsage, node) + 1;
    return { resource: best.resource, nodes: [...best.nodes] };
  }
}

/** Port of the pure part of Domain.numa_hierarchy (xc/domain.ml): cpu_to_node from cputopoinfo and
 *  node_cores[n] = number of distinct core ids among node n's CPUs; a CPU on a node outside the matrix throws. */
export function numa_hierarchy(distances: readonly (readonly number[])[], topo: readonly { core: number; node: number }[]): NUMA | null {
  const cores = distances.map(() => new Set<number>());
  for (const t of topo) at(cores, t.node).add(t.core);
  return NUMA.make({ distances, cpu_to_node: topo.map((t) => t.node), node_cores: cores.map((s) => s.size) });
}

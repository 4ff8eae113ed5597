// The host as firmware describes it to Xen at boot: SRAT (node memory and CPUs), SLIT
// (distances), MADT (CPUs), E820 (RAM ranges). Everything the emulated host is built from.
import { MAX_NUMNODES, NR_CPUS_MAX, LOCAL_DISTANCE, NUMA_NO_DISTANCE } from './numa.js';

/** A RAM range in page frames, [start_mfn, end_mfn). */
export interface MemRange {
  start_mfn: number;
  end_mfn: number;
}

export interface NodeSpec {
  id: number;
  online: boolean;
  memory: MemRange[];
}

export interface CpuSpec {
  id: number;
  core: number;
  socket: number;
  /** null: the CPU belongs to no node (NUMA_NO_NODE). */
  node: number | null;
  online: boolean;
}

export interface HostTopology {
  /** A name for banners and `xenemu` output. */
  name: string;
  /** Build-time NR_CPUS: every CPU id must be below it. */
  nr_cpus_limit: number;
  /** nr_cpu_ids: possible CPUs detected at boot (max_cpu_id + 1). */
  nr_cpu_ids: number;
  nodes: NodeSpec[];
  /** Present CPUs; an id that is not listed is not present. */
  cpus: CpuSpec[];
  /**
   * The SLIT, indexed by node id, for ids 0..highest node id; null where firmware gives no
   * distance (NUMA_NO_DISTANCE). No matrix at all: Xen's 10 local / 20 remote.
   */
  distances: (number | null)[][] | null;
  cpu_khz: number;
  /** XEN_SYSCTL_PHYSCAP_* bits. */
  capabilities: number;
  /** physinfo.hw_cap, 8 words of the boot CPU's CPUID feature leaves. */
  hw_cap: number[];
}

export class TopologyError extends Error {
  override readonly name = 'TopologyError';
}

const U32_MAX = 0xffffffff;
/** Bound on pages per host: 2^40 pages = 4 PiB, far beyond any host, safe as a number. */
export const MAX_HOST_PAGES = 2 ** 40;

const isU32 = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= U32_MAX;

/** Checks a topology; throws TopologyError naming the first problem found. */
export function validateTopology(t: HostTopology): HostTopology {
  const fail = (msg: string): never => {
    throw new TopologyError(msg);
  };
  if (!Number.isInteger(t.nr_cpus_limit) || t.nr_cpus_limit < 1 || t.nr_cpus_limit > NR_CPUS_MAX)
    fail(`nr_cpus_limit (NR_CPUS) must be 1..${NR_CPUS_MAX}, got ${t.nr_cpus_limit}`);
  if (!Number.isInteger(t.nr_cpu_ids) || t.nr_cpu_ids < 1 || t.nr_cpu_ids > t.nr_cpus_limit)
    fail(`nr_cpu_ids must be 1..NR_CPUS (${t.nr_cpus_limit}), got ${t.nr_cpu_ids}`);
  if (t.nodes.length === 0) fail('nodes: at least one node is required');

  const nodeIds = new Set<number>();
  for (const n of t.nodes) {
    if (!Number.isInteger(n.id) || n.id < 0 || n.id >= MAX_NUMNODES)
      fail(`nodes: node id ${n.id} is out of range (0..${MAX_NUMNODES - 1}, MAX_NUMNODES = ${MAX_NUMNODES})`);
    if (nodeIds.has(n.id)) fail(`nodes: node ${n.id} is listed twice`);
    nodeIds.add(n.id);
    if (!n.online && n.memory.length > 0) fail(`nodes: node ${n.id} is offline but has memory`);
    for (const r of n.memory) {
      if (!Number.isInteger(r.start_mfn) || !Number.isInteger(r.end_mfn) || r.start_mfn < 0 || r.end_mfn > MAX_HOST_PAGES)
        fail(`nodes: node ${n.id} memory range [${r.start_mfn}, ${r.end_mfn}) is not a range of page frames below 2^40`);
      if (r.end_mfn <= r.start_mfn) fail(`nodes: node ${n.id} memory range [${r.start_mfn}, ${r.end_mfn}) is empty or reversed`);
    }
  }
  if (!t.nodes.some((n) => n.online)) fail('nodes: no node is online');
  if (!t.nodes.some((n) => n.memory.length > 0)) fail('nodes: the host has no memory');

  const ranges = t.nodes.flatMap((n) => n.memory.map((r) => ({ node: n.id, ...r }))).sort((a, b) => a.start_mfn - b.start_mfn);
  for (let i = 1; i < ranges.length; i++) {
    const a = ranges[i - 1]!;
    const b = ranges[i]!;
    if (b.start_mfn < a.end_mfn)
      fail(`memory ranges overlap: node ${a.node} [${a.start_mfn}, ${a.end_mfn}) and node ${b.node} [${b.start_mfn}, ${b.end_mfn})`);
  }

  const cpuIds = new Set<number>();
  for (const c of t.cpus) {
    if (!Number.isInteger(c.id) || c.id < 0 || c.id >= t.nr_cpus_limit)
      fail(`cpus: cpu id ${c.id} is out of range (0..${t.nr_cpus_limit - 1}, NR_CPUS = ${t.nr_cpus_limit})`);
    if (c.id >= t.nr_cpu_ids) fail(`cpus: cpu id ${c.id} is not below nr_cpu_ids (${t.nr_cpu_ids})`);
    if (cpuIds.has(c.id)) fail(`cpus: cpu ${c.id} is listed twice`);
    cpuIds.add(c.id);
    if (!isU32(c.core) || c.core === U32_MAX || !isU32(c.socket) || c.socket === U32_MAX)
      fail(`cpus: cpu ${c.id} needs core and socket ids in 0..${U32_MAX - 1}`);
    if (c.node !== null) {
      const node = t.nodes.find((n) => n.id === c.node);
      if (node === undefined) fail(`cpus: cpu ${c.id} is on node ${c.node}, which is not listed in nodes`);
      else if (!node.online && c.online) fail(`cpus: cpu ${c.id} is online but its node ${c.node} is offline`);
    }
  }
  const cpu0 = t.cpus.find((c) => c.id === 0);
  if (cpu0 === undefined || !cpu0.online) fail('cpus: cpu 0 (the boot CPU) must be present and online');

  if (!isU32(t.cpu_khz) || t.cpu_khz === 0) fail(`cpu_khz must be 1..${U32_MAX}, got ${t.cpu_khz}`);
  if (!isU32(t.capabilities) || t.capabilities >= 1 << 10) fail(`capabilities has unknown XEN_SYSCTL_PHYSCAP_* bits: ${t.capabilities}`);
  if (t.hw_cap.length !== 8 || !t.hw_cap.every(isU32)) fail('hw_cap must be 8 unsigned 32-bit words');

  if (t.distances !== null) validateDistances(t, fail);
  return t;
}

function validateDistances(t: HostTopology, fail: (msg: string) => never): void {
  const d = t.distances!;
  const n = Math.max(...t.nodes.map((x) => x.id)) + 1;
  if (d.length !== n) fail(`distances must have ${n} rows (one per node id up to the highest), got ${d.length}`);
  d.forEach((row, i) => {
    if (row.length !== n) fail(`distances row ${i} must have ${n} entries, got ${row.length}`);
    row.forEach((v, j) => {
      if (v === null) {
        if (i === j) fail(`distances[${i}][${i}] must be ${LOCAL_DISTANCE}, got null`);
        return;
      }
      if (!Number.isInteger(v)) fail(`distances[${i}][${j}] must be an integer, got ${v}`);
      if (i === j && v !== LOCAL_DISTANCE) fail(`distances[${i}][${i}] must be ${LOCAL_DISTANCE} (local), got ${v}`);
      if (v < LOCAL_DISTANCE || v > NUMA_NO_DISTANCE)
        fail(`distances[${i}][${j}] must be ${LOCAL_DISTANCE}..254, or null/${NUMA_NO_DISTANCE} for no distance, got ${v}`);
    });
  });
}

/** Pages of RAM in a node (node_present_pages). */
export function presentPages(n: NodeSpec): number {
  return n.memory.reduce((s, r) => s + (r.end_mfn - r.start_mfn), 0);
}

// The booted host: what Xen derives from firmware tables at boot (xen/common/numa.c,
// xen/arch/x86/smpboot.c): node and CPU maps, per-node memory extents, distances.
import { Bitmap } from './bitmap.js';
import { cpuid, nodeid, type CpuId, type NodeId } from './ids.js';
import { LOCAL_DISTANCE, MAX_NUMNODES, NUMA_NO_DISTANCE, NUMA_NO_NODE, PAGE_SHIFT, REMOTE_DISTANCE } from './numa.js';

/** Host physical address bits of a current Xeon (CPUID 0x80000008). */
export const PADDR_BITS = 46;
import { presentPages, type CpuSpec, type HostTopology } from './topology.js';

/** struct node_data (xen/include/xen/numa.h). */
export interface NodeData {
  node_start_pfn: number;
  node_spanned_pages: number;
  node_present_pages: number;
}

export class Host {
  readonly topology: HostTopology;
  readonly nr_cpu_ids: number;
  readonly node_online_map: Bitmap;
  readonly cpu_present_map: Bitmap;
  readonly cpu_online_map: Bitmap;
  /** node_to_cpumask: each node's online CPUs. */
  readonly node_to_cpumask: Bitmap[];
  readonly node_data: (NodeData | undefined)[];
  /** E820 RAM pages (total_pages). */
  readonly total_pages: number;
  /** Highest RAM MFN + 1 (max_page). */
  readonly max_page: number;
  /** get_upper_mfn_bound() (xen/arch/x86/mm.c). */
  readonly max_mfn: number;
  /** physinfo's threads_per_core and cores_per_socket, from CPU 0's sibling and core masks;
   *  fixed at boot because CPUs are never hot-plugged here. */
  readonly threads_per_core: number;
  readonly cores_per_socket: number;
  /** Every RAM range with its node, ascending by MFN. */
  readonly ram_ranges: readonly { start_mfn: number; end_mfn: number; node: NodeId }[];
  private readonly cpus: (CpuSpec | undefined)[];

  constructor(t: HostTopology) {
    this.topology = t;
    this.nr_cpu_ids = t.nr_cpu_ids;
    this.node_online_map = Bitmap.of(MAX_NUMNODES, t.nodes.filter((n) => n.online).map((n) => n.id));
    this.cpus = [];
    for (const c of t.cpus) this.cpus[c.id] = c;
    this.cpu_present_map = Bitmap.of(this.nr_cpu_ids, t.cpus.map((c) => c.id));
    this.cpu_online_map = Bitmap.of(this.nr_cpu_ids, t.cpus.filter((c) => c.online).map((c) => c.id));
    this.node_to_cpumask = Array.from({ length: MAX_NUMNODES }, (_, n) =>
      Bitmap.of(this.nr_cpu_ids, t.cpus.filter((c) => c.online && c.node === n).map((c) => c.id)),
    );
    this.node_data = [];
    for (const n of t.nodes) {
      if (n.memory.length === 0) continue;
      const start = Math.min(...n.memory.map((r) => r.start_mfn));
      const end = Math.max(...n.memory.map((r) => r.end_mfn));
      this.node_data[n.id] = { node_start_pfn: start, node_spanned_pages: end - start, node_present_pages: presentPages(n) };
    }
    this.ram_ranges = t.nodes
      .flatMap((n) => n.memory.map((r) => ({ start_mfn: r.start_mfn, end_mfn: r.end_mfn, node: nodeid(n.id) })))
      .sort((a, b) => a.start_mfn - b.start_mfn);
    this.total_pages = t.nodes.reduce((s, n) => s + presentPages(n), 0);
    this.max_page = Math.max(...t.nodes.flatMap((n) => n.memory.map((r) => r.end_mfn)));
    // No memory hotplug ranges; without CONFIG_BIGMEM capped at 2^32 frames; then by paddr_bits.
    this.max_mfn = Math.min(this.max_page, 2 ** 32, 2 ** (PADDR_BITS - PAGE_SHIFT)) - 1;
    this.threads_per_core = this.sibling_mask(cpuid(0)).weight();
    this.cores_per_socket = Math.floor(this.core_mask(cpuid(0)).weight() / this.threads_per_core); // C integer division
  }

  cpu(c: CpuId): CpuSpec | undefined {
    return this.cpus[c];
  }

  /** cpu_to_node: NUMA_NO_NODE for a CPU without a node or not present. */
  cpu_to_node(c: CpuId): NodeId {
    return nodeid(this.cpus[c]?.node ?? NUMA_NO_NODE);
  }

  /** mfn_to_nid: the node of a RAM frame, NUMA_NO_NODE for a hole or a frame beyond RAM. */
  mfn_to_nid(mfn: number): NodeId {
    const rs = this.ram_ranges;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = rs[mid]!;
      if (mfn < r.start_mfn) hi = mid - 1;
      else if (mfn >= r.end_mfn) lo = mid + 1;
      else return r.node;
    }
    return nodeid(NUMA_NO_NODE);
  }

  /** __node_distance (xen/arch/x86/srat.c): 10/20 without a SLIT; NUMA_NO_DISTANCE if unknown. */
  node_distance(a: NodeId, b: NodeId): number {
    const slit = this.topology.distances;
    if (slit === null) return a === b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
    return slit[a]?.[b] ?? NUMA_NO_DISTANCE;
  }

  /** cpu_sibling_mask: online CPUs sharing CPU c's socket and core. */
  sibling_mask(c: CpuId): Bitmap {
    const me = this.cpus[c];
    return this.onlineWhere((o) => me !== undefined && o.socket === me.socket && o.core === me.core);
  }

  /** cpu_core_mask: online CPUs sharing CPU c's socket. */
  core_mask(c: CpuId): Bitmap {
    const me = this.cpus[c];
    return this.onlineWhere((o) => me !== undefined && o.socket === me.socket);
  }

  private onlineWhere(pred: (c: CpuSpec) => boolean): Bitmap {
    return Bitmap.of(this.nr_cpu_ids, this.topology.cpus.filter((o) => o.online && pred(o)).map((o) => o.id));
  }

  /** The online CPUs, in id order. */
  online_cpus(): CpuId[] {
    return [...this.cpu_online_map.bits()].map(cpuid);
  }
}

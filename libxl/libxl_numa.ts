// NUMA placement candidates (tools/libs/light/libxl_numa.c) and numa_cmpf (libxl_dom.c).
// A pure search over a host snapshot (numa_candidate_search) and a thin async part that
// gathers the snapshot through libxl calls (libxl__get_numa_candidate).
import { LibxlError } from './libxl_error.js';
import { libxl_get_cpu_topology, libxl_get_numainfo, type libxl_ctx, type libxl_cputopology, type libxl_numainfo } from './libxl.js';
import { libxl__domain_cpupool, libxl_cpupool_info } from './libxl_cpupool.js';
import { libxl_domain_get_nodeaffinity, libxl_list_domain, libxl_list_vcpu } from './libxl_domain.js';
import type { libxl_logger, libxl_numa_placement_policy } from './libxl_types.js';
import { libxl_bitmap_alloc, libxl_bitmap_count_set, libxl_bitmap_set, libxl_bitmap_test, libxl_for_each_set_bit, libxl_get_max_nodes, cpumap_to_nodemap_topo, type libxl_bitmap } from './libxl_utils.js';

/** libxl__numa_candidate (libxl_internal.h); free_memkb is a uint64 in C, here below 2^32 (see below). */
export interface libxl__numa_candidate {
  nr_cpus: number;
  nr_nodes: number;
  nr_vcpus: number;
  free_memkb: number;
  nodemap: libxl_bitmap;
}

export type libxl__numa_candidate_cmpf = (c1: libxl__numa_candidate, c2: libxl__numa_candidate) => number;

/** libxl's safety catch: above this many nodes the search is skipped (with a WARN). Bounds the
 *  enumeration to 2^16 - 1 combinations in all, at most C(16,8) = 12870 for one size k. */
export const NUMA_PLACEMENT_MAX_NODES = 16;

/** One domain as nr_vcpus_on_nodes sees it; null where libxl's call failed. */
export interface numa_domain_snapshot {
  domid: number;
  /** The domain's cpupool cpumap; null: libxl__domain_cpupool or libxl_cpupool_info failed (domain skipped). */
  pool_cpumap: libxl_bitmap | null;
  /** Hard affinity of each vCPU (libxl_list_vcpu); null: the listing failed (domain skipped). */
  vcpu_hard: libxl_bitmap[] | null;
  /** libxl_domain_get_nodeaffinity; null: it failed, and libxl ignores that, keeping the previous domain's map. */
  node_affinity: libxl_bitmap | null;
}

/** What libxl__get_numa_candidate reads from the host. */
export interface numa_host_snapshot {
  ninfo: libxl_numainfo[];
  tinfo: libxl_cputopology[];
  /** libxl_node_bitmap_alloc(ctx, 0) size in bits (MAX_NUMNODES, 64 on x86). */
  max_nodes: number;
  domains: numa_domain_snapshot[];
}

export interface numa_candidate_request {
  min_free_memkb: number;
  min_cpus: number;
  min_nodes: number;
  max_nodes: number;
  suitable_cpumap: libxl_bitmap;
  numa_cmpf: libxl__numa_candidate_cmpf | null;
}

/** Port of numa_cmpf (libxl_dom.c): fewer vCPUs, then more free memory; the uint64 memory
 *  difference is truncated to int, so its sign flips for differences of 2^31 KiB and more. */
export function numa_cmpf(c1: libxl__numa_candidate, c2: libxl__numa_candidate): number {
  if (c1.nr_vcpus !== c2.nr_vcpus) return (c1.nr_vcpus - c2.nr_vcpus) | 0;
  return (c2.free_memkb - c1.free_memkb) | 0; // ToInt32: the low 32 bits, as the C conversion
}

/** RFC best fit: the least free memory that still fits (exact comparison, no truncation). */
const best_fit: libxl__numa_candidate_cmpf = (c1, c2) => Math.sign(c1.free_memkb - c2.free_memkb);
/** RFC worst fit: the most free memory. */
const worst_fit: libxl__numa_candidate_cmpf = (c1, c2) => Math.sign(c2.free_memkb - c1.free_memkb);

/** The comparison for a placement policy (xenemu extension; first fit keeps the first candidate). */
export function placement_cmpf(policy: libxl_numa_placement_policy): libxl__numa_candidate_cmpf | null {
  switch (policy) {
    case 'libxl':
      return numa_cmpf;
    case 'first-fit':
      return null;
    case 'best-fit':
      return best_fit;
    case 'worst-fit':
      return worst_fit;
  }
}

/** Port of comb_init/comb_next: the k-combinations of {0..n-1} in lexicographic order. k = 0
 *  yields the one empty combination (comb_next reads it[-1] in C, undefined behaviour). */
export function* combinations(n: number, k: number): Generator<readonly number[]> {
  if (n < k) return;
  const it = Array.from({ length: k }, (_, i) => i);
  yield it.slice();
  if (k === 0) return;
  for (;;) {
    let i = k - 1;
    while (it[i] === n - k + i) {
      if (i <= 0) return;
      i--;
    }
    it[i]!++;
    for (i++; i < k; i++) it[i] = it[i - 1]! + 1;
    yield it.slice();
  }
}

/** Port of count_cpus_per_node: the CPU count every node j < nr_nodes shares, else 0. Nodes with
 *  no CPU before the first node with CPUs are not compared (cpus_per_node is still 0 there). */
export function count_cpus_per_node(tinfo: readonly libxl_cputopology[], nr_nodes: number): number {
  let cpus_per_node = 0;
  for (let j = 0; j < nr_nodes; j++) {
    const curr = tinfo.filter((t) => t.node === j).length;
    if (cpus_per_node === 0) cpus_per_node = curr;
    if (cpus_per_node !== curr) return 0;
  }
  return cpus_per_node;
}

/** Port of nr_vcpus_on_nodes: per node, the vCPUs whose hard affinity reaches a suitable CPU of
 *  their pool on that node, when the node is in their domain's node affinity (once per node). */
export function nr_vcpus_on_nodes(tinfo: readonly libxl_cputopology[], max_nodes: number, suitable_cpumap: libxl_bitmap, domains: readonly numa_domain_snapshot[], nr_nodes: number): number[] {
  const vcpus_on_node = new Array<number>(nr_nodes).fill(0);
  let dom_nodemap = libxl_bitmap_alloc(max_nodes);
  for (const d of domains) {
    if (d.pool_cpumap === null || d.vcpu_hard === null) continue;
    if (d.node_affinity !== null) dom_nodemap = d.node_affinity;
    for (const cpumap of d.vcpu_hard) {
      const counted = libxl_bitmap_alloc(max_nodes);
      for (let k = 0; k < cpumap.size * 8; k++) {
        if (!libxl_bitmap_test(cpumap, k)) continue;
        if (k >= tinfo.length) break;
        const node = tinfo[k]!.node;
        if (libxl_bitmap_test(suitable_cpumap, k) && libxl_bitmap_test(d.pool_cpumap, k) && libxl_bitmap_test(dom_nodemap, node) && !libxl_bitmap_test(counted, node)) {
          libxl_bitmap_set(counted, node);
          if (node < nr_nodes) vcpus_on_node[node]!++;
        }
      }
    }
  }
  return vcpus_on_node;
}

/** Port of nodemap_to_free_memkb: the KiB sum kept in a uint32_t, so it wraps above 4 TiB. */
export function nodemap_to_free_memkb(ninfo: readonly libxl_numainfo[], nodemap: libxl_bitmap): number {
  let free = 0n;
  for (const i of libxl_for_each_set_bit(nodemap)) free = (free + (ninfo[i]?.free ?? 0n) / 1024n) & 0xffffffffn;
  return Number(free);
}

/** Port of nodemap_to_nr_cpus: suitable CPUs whose node is in the nodemap. */
function nodemap_to_nr_cpus(tinfo: readonly libxl_cputopology[], suitable_cpumap: libxl_bitmap, nodemap: libxl_bitmap): number {
  let n = 0;
  tinfo.forEach((t, cpu) => {
    if (libxl_bitmap_test(suitable_cpumap, cpu) && libxl_bitmap_test(nodemap, t.node)) n++;
  });
  return n;
}

const isCount = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;

/** Bounds the C leaves to the caller: negative or fractional numbers are ERROR_INVAL here. */
function check_request(r: numa_candidate_request): void {
  for (const [name, v] of [['min_free_memkb', r.min_free_memkb], ['min_cpus', r.min_cpus], ['min_nodes', r.min_nodes], ['max_nodes', r.max_nodes]] as const) {
    if (!isCount(v)) throw new LibxlError('ERROR_INVAL', `${name} ${v} is not a non-negative integer`);
  }
}

/** Whether the search runs at all (libxl skips it on <= 1 node, and on > 16 with a WARN). */
function search_applies(nr_nodes: number, log: libxl_logger): boolean {
  if (nr_nodes <= 1) return false;
  if (nr_nodes > NUMA_PLACEMENT_MAX_NODES) {
    log(
      'warn',
      `System has ${nr_nodes} NUMA nodes, which is too big for the placement algorithm to work effectively: skipping it. ` +
        'Consider manually pinning the vCPUs and/or looking at cpupools for manually partitioning the system.',
    );
    return false;
  }
  return true;
}

/**
 * Port of libxl__get_numa_candidate's search over a host snapshot (pure). Bound: at most 16
 * nodes reach the enumeration, so at most 2^16 - 1 combinations are tried.
 */
export function numa_candidate_search(host: numa_host_snapshot, req: numa_candidate_request, log: libxl_logger): libxl__numa_candidate | null {
  check_request(req);
  const { ninfo, tinfo, max_nodes: node_bits } = host;
  const nr_nodes = ninfo.length;
  if (!search_applies(nr_nodes, log)) return null;

  const suitable_nodemap = libxl_bitmap_alloc(node_bits);
  cpumap_to_nodemap_topo(tinfo, req.suitable_cpumap, suitable_nodemap);
  const vcpus_on_node = nr_vcpus_on_nodes(tinfo, node_bits, req.suitable_cpumap, host.domains, nr_nodes);

  let min_nodes = req.min_nodes;
  if (min_nodes === 0) {
    const cpus_per_node = count_cpus_per_node(tinfo, nr_nodes);
    min_nodes = cpus_per_node === 0 ? 1 : Math.floor((req.min_cpus + cpus_per_node - 1) / cpus_per_node);
  }
  const nr_suit_nodes = libxl_bitmap_count_set(suitable_nodemap);
  if (min_nodes > nr_suit_nodes) min_nodes = nr_suit_nodes;
  const max_nodes = req.max_nodes === 0 || req.max_nodes > nr_suit_nodes ? nr_suit_nodes : req.max_nodes;
  if (min_nodes > max_nodes) {
    log('error', 'Inconsistent minimum or maximum number of guest nodes');
    throw new LibxlError('ERROR_INVAL', 'Inconsistent minimum or maximum number of guest nodes');
  }

  // The i-th suitable node, so a combination of indexes maps to node ids (comb_get_nodemap).
  const suitable = [...libxl_for_each_set_bit(suitable_nodemap)];

  let best: libxl__numa_candidate | null = null;
  // Fewer nodes always win: the first size k that yields any candidate ends the search.
  for (let k = min_nodes; k <= max_nodes && best === null; k++) {
    for (const comb of combinations(nr_suit_nodes, k)) {
      const nodemap = libxl_bitmap_alloc(node_bits);
      for (const idx of comb) libxl_bitmap_set(nodemap, suitable[idx]!);
      const free_memkb = nodemap_to_free_memkb(ninfo, nodemap);
      if (req.min_free_memkb !== 0 && free_memkb < req.min_free_memkb) continue;
      const nr_cpus = nodemap_to_nr_cpus(tinfo, req.suitable_cpumap, nodemap);
      if (req.min_cpus !== 0 && nr_cpus < req.min_cpus) continue;
      let nr_vcpus = 0;
      for (const idx of comb) nr_vcpus += vcpus_on_node[suitable[idx]!] ?? 0;
      const cand: libxl__numa_candidate = { nr_cpus, nr_nodes: libxl_bitmap_count_set(nodemap), nr_vcpus, free_memkb, nodemap };
      if (best === null || (req.numa_cmpf !== null && req.numa_cmpf(cand, best) < 0)) {
        log('debug', `New best NUMA placement candidate found: nr_nodes=${cand.nr_nodes}, nr_cpus=${cand.nr_cpus}, nr_vcpus=${cand.nr_vcpus}, free_memkb=${Math.floor(cand.free_memkb / 1024)}`);
        best = cand;
        if (req.numa_cmpf === null) break;
      }
    }
  }
  if (best === null) log('notice', 'NUMA placement failed, performance might be affected');
  return best;
}

/** The error text a skipped domain logs in nr_vcpus_on_nodes (libxl logs, then goes on). */
function logSkip(log: libxl_logger, e: unknown): void {
  if (e instanceof LibxlError) log('error', e.message);
  else throw e;
}

/** nr_vcpus_on_nodes' libxl calls, per domain, in libxl's order. */
async function gather_domains(ctx: libxl_ctx, max_nodes: number, log: libxl_logger): Promise<numa_domain_snapshot[]> {
  const out: numa_domain_snapshot[] = [];
  for (const d of await libxl_list_domain(ctx)) {
    const snap: numa_domain_snapshot = { domid: d.domid, pool_cpumap: null, vcpu_hard: null, node_affinity: null };
    out.push(snap);
    try {
      const pool = await libxl__domain_cpupool(ctx, d.domid);
      snap.pool_cpumap = (await libxl_cpupool_info(ctx, pool)).cpumap;
      const vinfo = await libxl_list_vcpu(ctx, d.domid);
      if (vinfo === null) continue;
      snap.vcpu_hard = vinfo.map((v) => v.cpumap);
    } catch (e) {
      logSkip(log, e);
      continue;
    }
    try {
      const nodemap = libxl_bitmap_alloc(max_nodes);
      await libxl_domain_get_nodeaffinity(ctx, d.domid, nodemap);
      snap.node_affinity = nodemap;
    } catch (e) {
      if (!(e instanceof LibxlError)) throw e; // libxl ignores this call's result
    }
  }
  return out;
}

/** Port of libxl__get_numa_candidate: the best candidate, or null when none was found (libxl's
 *  *cndt_found = 0). Throws LibxlError ERROR_INVAL / ERROR_FAIL as libxl returns them. */
export async function libxl__get_numa_candidate(
  ctx: libxl_ctx,
  min_free_memkb: number,
  min_cpus: number,
  min_nodes: number,
  max_nodes: number,
  suitable_cpumap: libxl_bitmap,
  cmpf: libxl__numa_candidate_cmpf | null, // libxl's numa_cmpf argument
  log: libxl_logger,
): Promise<libxl__numa_candidate | null> {
  const req: numa_candidate_request = { min_free_memkb, min_cpus, min_nodes, max_nodes, suitable_cpumap, numa_cmpf: cmpf };
  check_request(req);
  const ninfo = await libxl_get_numainfo(ctx);
  // Skipped hosts read nothing else (libxl returns before libxl_get_cpu_topology).
  if (ninfo.length <= 1 || ninfo.length > NUMA_PLACEMENT_MAX_NODES) return numa_candidate_search({ ninfo, tinfo: [], max_nodes: 0, domains: [] }, req, log);
  const tinfo = await libxl_get_cpu_topology(ctx);
  const node_bits = await libxl_get_max_nodes(ctx);
  const domains = await gather_domains(ctx, node_bits, log);
  return numa_candidate_search({ ninfo, tinfo, max_nodes: node_bits, domains }, req, log);
}

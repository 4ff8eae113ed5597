// The domain heap (xen/common/page_alloc.c, its domain half): alloc_domheap_pages,
// assign_pages, free_domheap_pages and claims (domain_set_outstanding_pages).
import type { Domain } from './domain.js';
import { neg } from './errno.js';
import type { NodeId } from './ids.js';
import { MAX_NUMNODES, NUMA_NO_NODE } from './numa.js';
import { bits_to_zone, MEMF, MEMZONE_XEN, NR_ZONES, type HeapAlloc, type MemFlags } from './page_alloc.js';
import type { Xen } from './xen.js';

/** domain_tot_pages and max_pages are 32-bit in struct domain. */
const U32_LIMIT = 2 ** 32;

/**
 * Port of alloc_domheap_pages: the address-bit zone limit, the DMA-zone preference (zones
 * above dma_bitsize first, then everything, unless MEMF_no_dma), then assign_pages unless
 * MEMF_keep_scrub hands that to the caller. Returns the block or null.
 */
export function alloc_domheap_pages(xen: Xen, d: Domain | null, order: number, mf: MemFlags): HeapAlloc | null {
  const heap = xen.heap;
  const zone_hi = Math.min(bits_to_zone(mf.bits === 0 ? 64 + 12 : mf.bits), NR_ZONES - 1);
  let flags = mf.flags;
  if ((flags & MEMF.no_owner) !== 0) flags |= MEMF.no_refcount;
  const f: MemFlags = { ...mf, flags };
  let pg: HeapAlloc | null = null;
  if (heap.dma_bitsize === 0) f.flags &= ~MEMF.no_dma;
  else {
    const dma_zone = bits_to_zone(heap.dma_bitsize);
    if (dma_zone < zone_hi) pg = heap.alloc_heap_pages(dma_zone + 1, zone_hi, order, f, d);
  }
  if (pg === null && ((f.flags & MEMF.no_dma) !== 0 || (pg = heap.alloc_heap_pages(MEMZONE_XEN + 1, zone_hi, order, f, d)) === null)) return null;
  if (d !== null && (f.flags & MEMF.no_owner) === 0 && (f.flags & MEMF.keep_scrub) === 0) {
    if (assign_pages(d, pg, 2 ** order, f.flags) !== 0) {
      heap.free_heap_pages(pg.mfn, order, pg.node, (f.flags & MEMF.no_scrub) !== 0);
      return null;
    }
  }
  return pg;
}

/**
 * Port of assign_pages: a dying domain gets -EINVAL; a counted allocation may reach max_pages
 * but not pass it (-EPERM when already over, -E2BIG when this one would be); the pages
 * become d's and are charged to tot_pages.
 */
export function assign_pages(d: Domain, pg: HeapAlloc, nr: number, memflags: number): number {
  if (d.is_dying !== 'alive') return neg('EINVAL');
  if ((memflags & MEMF.no_refcount) === 0) {
    const t = d.tot_pages;
    if (t > d.max_pages) return neg('EPERM');
    if (nr > d.max_pages - t) return neg('E2BIG');
    if (t + nr >= U32_LIMIT) return neg('E2BIG'); // tot_pages would wrap (XSA-385)
    d.tot_pages = t + nr;
  }
  d.owned[pg.node]!.add(pg.mfn, pg.mfn + nr);
  return 0;
}

/**
 * Port of free_domheap_pages for a run of frames d owns: uncharged from tot_pages and freed,
 * dirty when the domain is dying (a live domain's frees are not scrubbed).
 */
export function free_domheap_pages(xen: Xen, d: Domain, mfn: number, nr: number): void {
  const need_scrub = d.is_dying !== 'alive';
  forEachNodePart(xen, mfn, nr, (s, e, node) => {
    const removed = d.owned[node]!.remove(s, e);
    if (removed !== e - s) throw new RangeError(`free_domheap_pages: d${d.domain_id} does not own [${s}, ${e})`);
    d.tot_pages -= removed;
    xen.heap.free_range(s, e, node, need_scrub);
  });
}

/** Splits [mfn, mfn + nr) at node boundaries (a run of contiguous frames may span nodes). */
function forEachNodePart(xen: Xen, mfn: number, nr: number, f: (s: number, e: number, node: NodeId) => void): void {
  const end = mfn + nr;
  const rs = xen.host.ram_ranges;
  // Binary search for the first range ending after mfn, then walk while ranges start before end.
  let lo = 0;
  let hi = rs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rs[mid]!.end_mfn <= mfn) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < rs.length && rs[i]!.start_mfn < end; i++) {
    const r = rs[i]!;
    const s = Math.max(mfn, r.start_mfn);
    const e = Math.min(end, r.end_mfn);
    if (s < e) f(s, e, r.node);
  }
}

/** Frees every page d owns (domain_relinquish_resources), as a dying domain: all dirty. */
export function relinquish_memory(xen: Xen, d: Domain): void {
  for (let node = 0; node < MAX_NUMNODES; node++) {
    const runs = [...d.owned[node]!];
    for (const [s, e] of runs) free_domheap_pages(xen, d, s, e - s);
  }
  d.p2m?.clear();
}

/** Drops d's whole claim, host-wide and per node (domain_set_outstanding_pages(d, 0), as
 *  domain_kill and a claim of 0 do). */
export function release_claim(xen: Xen, d: Domain): void {
  const heap = xen.heap;
  heap.outstanding_claims -= d.outstanding_pages;
  if (heap.node_claims_mode === 'xenserver' && d.claim_node !== NUMA_NO_NODE) heap.node_claimed_pages[d.claim_node]! -= d.outstanding_pages;
  for (let n = 0; n < MAX_NUMNODES; n++) {
    heap.node_claimed_pages[n]! -= d.node_claims[n]!;
    d.node_claims[n] = 0;
  }
  d.outstanding_pages = 0;
}

/**
 * Port of domain_set_outstanding_pages (4.22), with the XenServer node variant when `node`
 * is a node: 0 cancels; one claim at a time; the target is absolute (tot_pages < target <=
 * max_pages); the difference must fit the unclaimed free memory (host-wide, and on the node).
 */
export function domain_set_outstanding_pages(xen: Xen, d: Domain, pages: number, node: NodeId): number {
  const heap = xen.heap;
  if (pages === 0) {
    release_claim(xen, d);
    return 0;
  }
  if (node !== NUMA_NO_NODE && !xen.host.node_online_map.test(node)) return neg('ENOENT');
  if (d.outstanding_pages !== 0) return neg('EINVAL');
  if (pages <= d.tot_pages || pages > d.max_pages) return neg('EINVAL');
  const claim = pages - d.tot_pages;
  if (claim > heap.total_avail_pages - heap.outstanding_claims) return neg('ENOMEM');
  if (node !== NUMA_NO_NODE && claim > heap.node_avail_pages[node]! - heap.node_claimed_pages[node]!) return neg('ENOMEM');
  d.outstanding_pages = claim;
  heap.outstanding_claims += claim;
  d.claim_node = node;
  if (node !== NUMA_NO_NODE) heap.node_claimed_pages[node]! += claim;
  return 0;
}

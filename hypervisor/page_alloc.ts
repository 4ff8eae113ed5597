// The heap allocator (xen/common/page_alloc.c): a buddy heap per node and zone, with Xen's
// counters, claims gate, node selection and merging. Free blocks are objects on per
// (node, zone, order) lists; dirty pages are ranges per node. Nothing here grows with the
// number of pages, only with the number of blocks and runs.
import type { Bitmap } from './bitmap.js';
import type { Host } from './host.js';
import { cpuid, nodeid, type NodeId } from './ids.js';
import { MAX_NUMNODES, NUMA_NO_NODE } from './numa.js';
import { FrameMap } from './frame_map.js';
import { RangeSet } from './rangeset.js';

/** CONFIG_PAGEALLOC_MAX_ORDER on x86: 2^18 pages = 1 GiB. Orders never pass it, so `1 << order`
 *  is exact and stays a small integer (`2 ** order` is a double to V8 and deoptimises the heap). */
export const MAX_ORDER = 18;
/** NR_ZONES = PADDR_BITS (52) - PAGE_SHIFT + 1 on x86. */
export const NR_ZONES = 41;
/** MEMZONE_XEN: the xenheap zone, empty on x86. */
export const MEMZONE_XEN = 0;

/** MEMF_* (xen/include/xen/mm.h); the node and address-bit fields are kept apart in MemFlags. */
export const MEMF = {
  no_refcount: 1 << 0,
  populate_on_demand: 1 << 1,
  keep_scrub: 1 << 2,
  no_dma: 1 << 3,
  exact_node: 1 << 4,
  no_owner: 1 << 5,
  no_tlbflush: 1 << 6,
  no_icache_flush: 1 << 7,
  no_scrub: 1 << 8,
} as const;

/** memflags as Xen packs them: flag bits, MEMF_node(n) and MEMF_bits(b). */
export interface MemFlags {
  flags: number;
  /** MEMF_get_node: NUMA_NO_NODE when none was given. */
  node: NodeId;
  /** MEMF_bits: 0 = no address limit. */
  bits: number;
}

export const memflags = (flags = 0, node: number = NUMA_NO_NODE, bits = 0): MemFlags => ({ flags, node: nodeid(node), bits });

/** Which per-node claim ABI the host emulates (off in upstream 4.22). */
export type NodeClaimsMode = 'off' | 'xenserver' | 'claim-sets';

/** What the allocator needs of the domain it charges (struct domain). */
export interface HeapDomain {
  outstanding_pages: number;
  last_alloc_node: NodeId;
  node_affinity: Bitmap;
  /** XenServer variant: the node the claim is on, NUMA_NO_NODE for a host-wide one. */
  claim_node: NodeId;
  /** Claim-set variant: the domain's claim on each node (d->claims[]). */
  node_claims: number[];
}

/** flsl: the 1-based index of the highest set bit, 0 for 0 (values up to 2^53). */
export function flsl(x: number): number {
  if (x <= 0) return 0;
  if (x < 2 ** 32) return 32 - Math.clz32(x);
  return 32 + flsl(Math.floor(x / 2 ** 32)); // exact, where Math.log2 rounds near 2^47 and up
}

/** pfn_to_zone (x86): flsl(mfn), at least 1, capped at NR_ZONES - 1. */
export function pfn_to_zone(mfn: number): number {
  return Math.min(Math.max(flsl(mfn), 1), NR_ZONES - 1);
}

/** bits_to_zone(b) = max(b - PAGE_SHIFT, 1). */
export const bits_to_zone = (bits: number): number => Math.max(bits - 12, 1);

/** Most unlinked block objects kept for reuse (a split chain is at most MAX_ORDER long). */
const POOL_MAX = 64;

/** A free block; `off` is its head frame's offset from its node's lowest frame, so that the
 *  hot arithmetic stays on small integers even on a 16 TiB host (frames pass 2^30 there). */
interface FreeBlock {
  off: number;
  order: number;
  node: NodeId;
  zone: number;
  prev: FreeBlock | null;
  next: FreeBlock | null;
  list: FreeList;
}

/** One heap(node, zone, order) list: clean blocks at the head, dirty at the tail. */
class FreeList {
  head: FreeBlock | null = null;
  tail: FreeBlock | null = null;
}

/** The result of a successful alloc_heap_pages. */
export interface HeapAlloc {
  mfn: number;
  node: NodeId;
  /** Pages of the block that were dirty: scrubbed inline, or cleared under MEMF_no_scrub. */
  dirty: number;
}

export interface HeapOptions {
  /** bootscrub=: 'idle' (Xen's default) leaves boot memory dirty for the idle scrubber. */
  bootscrub?: 'idle' | 'on' | 'off';
  node_claims?: NodeClaimsMode;
}

export class Heap {
  readonly host: Host;
  readonly node_claims_mode: NodeClaimsMode;
  /** avail[node][zone]: free pages, clean or dirty; undefined for a node without memory. */
  readonly avail: (number[] | undefined)[];
  /** node_avail_pages[node]. */
  readonly node_avail_pages: number[];
  /** Free pages still marked PGC_need_scrub, as runs of node offsets (node_need_scrub = .total). */
  private readonly dirtyOff: RangeSet[];
  total_avail_pages = 0;
  outstanding_claims = 0;
  /** Claimed pages per node: per_node_outstanding_claims (XenServer) or claimed_pages (claim sets). */
  readonly node_claimed_pages: number[];
  /** dma_bitsize (arch_get_dma_bitsize), 0 on a one-node host. */
  readonly dma_bitsize: number;
  /** Pages scrubbed inline by allocations, and by the idle scrubber (statistics). */
  scrubbed_inline_pages = 0;
  scrubbed_idle_pages = 0;
  /** heap(node, zone, order) as lists[node][zone * (MAX_ORDER + 1) + order], allocated for the
   *  nodes that have memory (a flat 50 k-slot array would be a slow dictionary to V8). */
  private readonly lists: FreeList[][];
  /** Each node's lowest frame, and that frame modulo 2^MAX_ORDER (for buddy parity). */
  private readonly nodeBase: number[];
  private readonly nodeBaseMod: number[];
  /** Unlinked block objects for reuse: long-lived list nodes stay in the old generation, so
   *  relinking them costs no old-to-young write barriers. Read a block's fields before unlink. */
  private readonly pool: FreeBlock[] = [];
  /** Free blocks by head offset, one index per node: a host-wide map of ~16 k blocks would be
   *  rehashed whole each time churn crosses a capacity threshold. */
  private readonly byHead: FrameMap<FreeBlock>[] = Array.from({ length: MAX_NUMNODES }, () => new FrameMap<FreeBlock>());

  constructor(host: Host, o: HeapOptions = {}) {
    this.host = host;
    this.node_claims_mode = o.node_claims ?? 'off';
    this.avail = Array.from({ length: MAX_NUMNODES }, (_, n) => (host.node_data[n] === undefined ? undefined : new Array<number>(NR_ZONES).fill(0)));
    this.node_avail_pages = new Array<number>(MAX_NUMNODES).fill(0);
    this.node_claimed_pages = new Array<number>(MAX_NUMNODES).fill(0);
    this.dirtyOff = Array.from({ length: MAX_NUMNODES }, () => new RangeSet());
    this.lists = Array.from({ length: MAX_NUMNODES }, (_, n) =>
      host.node_data[n] === undefined ? [] : Array.from({ length: NR_ZONES * (MAX_ORDER + 1) }, () => new FreeList()),
    );
    this.nodeBase = Array.from({ length: MAX_NUMNODES }, (_, n) => host.node_data[n]?.node_start_pfn ?? 0);
    this.nodeBaseMod = this.nodeBase.map((b) => b % 2 ** MAX_ORDER);
    this.dma_bitsize = host.node_online_map.weight() > 1 ? arch_get_dma_bitsize(host) : 0;
    const scrub = (o.bootscrub ?? 'idle') === 'idle';
    for (const r of host.ram_ranges) this.init_heap_pages(r.start_mfn, r.end_mfn, r.node, scrub);
  }

  /** Port of init_heap_pages for one RAM range of one node (without init_node_heap's metadata
   *  pages: the emulator keeps its free lists outside guest memory). */
  private init_heap_pages(start: number, end: number, node: NodeId, need_scrub: boolean): void {
    // MFN 0 is kept away from the buddy allocator so that no merge crosses a zone boundary.
    // (Node boundaries need nothing: merging never joins blocks of two nodes.)
    this.free_range(start === 0 ? 1 : start, end, node, need_scrub);
  }

  /** Frees [start, end) of `node` as naturally aligned blocks (the _init_heap_pages loop). */
  free_range(start: number, end: number, node: NodeId, need_scrub: boolean): void {
    // Bound: each step frees at least one page and at most 2 * (MAX_ORDER + 1) steps happen
    // per MAX_ORDER-sized stretch.
    for (let s = start; s < end; ) {
      let order = Math.min(MAX_ORDER, flsl(end - s) - 1);
      if (s !== 0) order = Math.min(order, ctz(s));
      this.free_heap_pages(s, order, node, need_scrub);
      s += 1 << order;
    }
  }

  private listOf(node: number, zone: number, order: number): FreeList {
    return this.lists[node]![zone * (MAX_ORDER + 1) + order]!;
  }

  private blockDirty(b: FreeBlock): boolean {
    return this.dirtyOff[b.node]!.firstIn(b.off, b.off + (1 << b.order)) >= 0;
  }

  /** page_list_add_scrub: clean blocks at the head, dirty ones at the tail. A caller that
   *  knows the block's zone and whether it is dirty (a split half) passes them. */
  private insert(off: number, order: number, node: NodeId, dirty?: boolean, zone = pfn_to_zone(this.nodeBase[node]! + off)): void {
    const list = this.listOf(node, zone, order);
    const b = this.pool.pop() ?? ({ off, order, node, zone, prev: null, next: null, list } as FreeBlock);
    b.off = off;
    b.order = order;
    b.node = node;
    b.zone = zone;
    b.list = list;
    if (dirty ?? this.blockDirty(b)) {
      b.prev = list.tail;
      if (list.tail) list.tail.next = b;
      else list.head = b;
      list.tail = b;
    } else {
      b.next = list.head;
      if (list.head) list.head.prev = b;
      else list.tail = b;
      list.head = b;
    }
    this.byHead[node]!.set(off, b);
  }

  private unlink(b: FreeBlock): void {
    if (b.prev) b.prev.next = b.next;
    else b.list.head = b.next;
    if (b.next) b.next.prev = b.prev;
    else b.list.tail = b.prev;
    b.prev = b.next = null;
    this.byHead[b.node]!.delete(b.off);
    if (this.pool.length < POOL_MAX) this.pool.push(b);
  }

  /** Port of free_heap_pages: accounting, then merging with free buddies up to MAX_ORDER. */
  free_heap_pages(mfn: number, order: number, node: NodeId, need_scrub: boolean): void {
    const pages = 1 << order;
    const off = mfn - this.nodeBase[node]!;
    if (need_scrub) this.dirtyOff[node]!.add(off, off + pages);
    const zone = pfn_to_zone(mfn);
    this.avail[node]![zone]! += pages;
    this.node_avail_pages[node]! += pages;
    this.total_avail_pages += pages;
    const baseMod = this.nodeBaseMod[node]!;
    let head = off;
    let o = order;
    while (o < MAX_ORDER) {
      const size = 1 << o;
      // Bit o of the head's MFN picks the buddy; base and baseMod agree below 2^MAX_ORDER.
      const buddyHead = ((baseMod + head) / size) % 2 === 1 ? head - size : head + size;
      const buddy = this.byHead[node]!.get(buddyHead);
      // Same order, same node, and (MFN 0 being kept out) never across a zone boundary.
      if (buddy === undefined || buddy.order !== o || buddy.node !== node || buddy.zone !== zone) break;
      this.unlink(buddy);
      head = Math.min(head, buddyHead);
      o++;
    }
    this.insert(head, o, node, undefined, zone);
  }

  /** node_need_scrub[node]. */
  node_need_scrub(node: number): number {
    return this.dirtyOff[node]?.total ?? 0;
  }

  /** The dirty free pages of a node as MFN runs, for invariant checks. */
  dirty_runs(node: number): { total: number; [Symbol.iterator](): IterableIterator<readonly [number, number]> } {
    const set = this.dirtyOff[node];
    const base = this.nodeBase[node] ?? 0;
    return {
      total: set?.total ?? 0,
      *[Symbol.iterator]() {
        if (set !== undefined) for (const [s, e] of set) yield [base + s, base + e] as const;
      },
    };
  }

  /** avail_node_heap_pages(node): node_avail_pages, 0 for an invalid node. */
  avail_node_heap_pages(node: NodeId): number {
    return this.node_avail_pages[node] ?? 0;
  }

  /** Blocks on the free lists (what a fresh host costs). */
  get free_blocks(): number {
    return this.byHead.reduce((n, m) => n + m.size, 0);
  }

  /** The free blocks, for invariant checks: [mfn, order, node]. */
  *blocks(): IterableIterator<readonly [number, number, NodeId]> {
    for (const m of this.byHead) for (const b of m.values()) yield [this.nodeBase[b.node]! + b.off, b.order, b.node];
  }

  /** Port of get_free_buddy: node selection and the search of one node's lists. */
  private get_free_buddy(zone_lo: number, zone_hi: number, order: number, mf: MemFlags, d: HeapDomain | null, use_unscrubbed: boolean): FreeBlock | null {
    const online = this.host.node_online_map;
    let nodemask = online;
    // online & node_affinity, unless that is all of online (the common case: no copy needed).
    if (d !== null && !online.isSubsetOf(d.node_affinity) && d.node_affinity.intersects(online)) nodemask = online.and(d.node_affinity);
    const req_node = mf.node;
    const exact = (mf.flags & MEMF.exact_node) !== 0;
    let node: number = req_node;
    if (node === NUMA_NO_NODE) {
      if (d !== null) node = nodemask.cycle(d.last_alloc_node);
      if (node >= MAX_NUMNODES) node = this.current_cpu_node();
    } else if (node >= MAX_NUMNODES) return null;
    // XenServer node claims: a domain whose node claim covers the request allocates on the
    // claimed node only, and gets NULL rather than fall back. A request naming another node gets
    // NULL too: placing it elsewhere would pass the claim gate on a claim it does not consume,
    // leaving outstanding_claims above the free memory.
    const pinned = this.node_claims_mode === 'xenserver' && d !== null && d.claim_node !== NUMA_NO_NODE && d.outstanding_pages >= 1 << order;
    if (pinned) {
      if (req_node !== NUMA_NO_NODE && req_node !== d.claim_node) return null;
      node = d.claim_node;
    }
    let first = node;
    let retried = false;
    // Bound: every node of the mask is visited once, then every other online node once.
    for (let guard = 0; guard <= 2 * MAX_NUMNODES + 2; guard++) {
      const b = this.try_node(node, zone_lo, zone_hi, order, d, use_unscrubbed);
      if (b !== null) return b;
      if ((exact && req_node !== NUMA_NO_NODE) || pinned) return null;
      if (!nodemask.test(node)) {
        // The very first node may be caller-specified and outside the mask.
        first = node = nodemask.first();
        if (node < MAX_NUMNODES) continue;
      } else {
        node = nodemask.next(node + 1);
        if (node >= MAX_NUMNODES) node = nodemask.first();
      }
      if (node === first) {
        // Every node in the mask was tried: fall back to the other online nodes, once.
        if (exact || retried) return null;
        retried = true;
        nodemask = online.andNot(nodemask);
        first = node = nodemask.first();
        if (node >= MAX_NUMNODES) return null;
      }
    }
    return null;
  }

  /** The node of the CPU running the hypercall; the emulated toolstack runs on CPU 0. */
  private current_cpu_node(): number {
    const n = this.host.cpu_to_node(cpuid(this.host.cpu_online_map.first()));
    return n === NUMA_NO_NODE ? this.host.node_online_map.first() : n;
  }

  /** The per-node skip of the claim variants: the node's unclaimed memory is too small. */
  private node_claims_block(node: number, order: number, d: HeapDomain | null): boolean {
    const claimed = this.node_claimed_pages[node]!;
    if (this.node_claims_mode === 'off' || claimed === 0) return false;
    const own = d === null ? 0 : this.node_claims_mode === 'claim-sets' ? (d.node_claims[node] ?? 0) : d.claim_node === node ? d.outstanding_pages : 0;
    return this.node_avail_pages[node]! - claimed + own < 1 << order;
  }

  /** One node of get_free_buddy: zones high to low, orders up from `order`, list heads only. */
  private try_node(node: number, zone_lo: number, zone_hi: number, order: number, d: HeapDomain | null, use_unscrubbed: boolean): FreeBlock | null {
    const a = this.avail[node];
    if (a === undefined || this.node_claims_block(node, order, d)) return null;
    const want = 1 << order;
    for (let zone = zone_hi; zone >= zone_lo; zone--) {
      if (a[zone]! < want) continue;
      for (let j = order; j <= MAX_ORDER; j++) {
        const b = this.lists[node]![zone * (MAX_ORDER + 1) + j]!.head;
        if (b === undefined || b === null) continue;
        if (!this.blockDirty(b) || order === 0 || use_unscrubbed) return b;
        // A dirty head goes back to the tail; the next order is tried.
        this.unlink(b);
        this.insert(b.off, b.order, b.node);
      }
    }
    return null;
  }

  /**
   * Port of alloc_heap_pages (4.22): the claim gate, get_free_buddy (clean first, then dirty
   * unless MEMF_no_scrub already allowed it), the split keeping the upper half, the counters,
   * claim consumption at allocation, last_alloc_node, and the scrub of dirty pages.
   */
  alloc_heap_pages(zone_lo: number, zone_hi: number, order: number, mf: MemFlags, d: HeapDomain | null): HeapAlloc | null {
    if (order > MAX_ORDER) return null;
    const request = 1 << order;
    const no_refcount = (mf.flags & MEMF.no_refcount) !== 0;
    if (this.outstanding_claims + request > this.total_avail_pages && (no_refcount || d === null || d.outstanding_pages < request)) return null;
    const no_scrub = (mf.flags & MEMF.no_scrub) !== 0;
    let b = this.get_free_buddy(zone_lo, zone_hi, order, mf, d, no_scrub);
    if (b === null && !no_scrub) b = this.get_free_buddy(zone_lo, zone_hi, order, mf, d, true);
    if (b === null) return null;
    const node = b.node;
    const zone = b.zone;
    const parentDirty = b.order > order && this.blockDirty(b);
    let off = b.off;
    let o = b.order;
    this.unlink(b); // b is recycled from here on
    // Halve down to `order`: the lower halves go back, the allocation keeps the upper part.
    // Halves of a clean block are clean; those of a dirty one are checked one by one.
    while (o > order) {
      o--;
      this.insert(off, o, node, parentDirty ? undefined : false, zone);
      off += 1 << o;
    }
    this.avail[node]![zone]! -= request;
    this.node_avail_pages[node]! -= request;
    this.total_avail_pages -= request;
    if (d !== null && d.outstanding_pages > 0 && !no_refcount) this.consume_claim(d, node, request);
    if (d !== null) d.last_alloc_node = node;
    // Dirty pages leave the free pool: scrubbed now, or handed over marked (MEMF_keep_scrub).
    const dirty = this.dirtyOff[node]!.remove(off, off + request);
    if (!no_scrub) this.scrubbed_inline_pages += dirty;
    return { mfn: this.nodeBase[node]! + off, node, dirty };
  }

  /** Claim consumption at allocation (4.22), with the per-node rules of the claim variants. */
  private consume_claim(d: HeapDomain, node: NodeId, request: number): void {
    if (this.node_claims_mode === 'xenserver') {
      // Only an allocation on the claimed node, or under a host-wide claim, consumes it.
      if (d.claim_node !== NUMA_NO_NODE && d.claim_node !== node) return;
      const k = Math.min(d.outstanding_pages, request);
      d.outstanding_pages -= k;
      this.outstanding_claims -= k;
      if (d.claim_node !== NUMA_NO_NODE) this.node_claimed_pages[node]! -= k;
      return;
    }
    let k = Math.min(d.outstanding_pages, request);
    d.outstanding_pages -= k;
    this.outstanding_claims -= k;
    if (this.node_claims_mode !== 'claim-sets') return;
    // Claim sets redeem the allocation node's claim first, then the host pool, then other nodes.
    const host_part = d.outstanding_pages + k - d.node_claims.reduce((s, c) => s + c, 0);
    const fromNode = Math.min(k, d.node_claims[node] ?? 0);
    this.take_node_claim(d, node, fromNode);
    k -= fromNode;
    k -= Math.min(k, Math.max(host_part, 0));
    for (let n = 0; k > 0 && n < MAX_NUMNODES; n++) {
      const c = Math.min(k, d.node_claims[n] ?? 0);
      this.take_node_claim(d, nodeid(n), c);
      k -= c;
    }
  }

  private take_node_claim(d: HeapDomain, node: NodeId, pages: number): void {
    if (pages === 0) return;
    d.node_claims[node]! -= pages;
    this.node_claimed_pages[node]! -= pages;
  }

  /**
   * The idle scrubber's work on one node (scrub_free_pages): zones low to high, orders high
   * to low, dirty blocks from their list tails; each scrubbed block returns to its list head.
   * Returns the pages scrubbed, at most `budget`.
   */
  scrub_free_pages(node: number, budget: number): number {
    const dirty = this.dirtyOff[node]!;
    let done = 0;
    const avail = this.avail[node];
    for (let zone = 0; zone < NR_ZONES && done < budget && dirty.total > 0; zone++) {
      if (avail === undefined || avail[zone] === 0) continue; // no free pages, so nothing dirty in this zone
      for (let order = MAX_ORDER; order >= 0 && done < budget; order--) {
        const list = this.lists[node]![zone * (MAX_ORDER + 1) + order];
        // Bound: each pass either cleans the tail block (which moves to the head) or runs out of budget.
        for (let b = list?.tail ?? null; b !== null && done < budget; b = list?.tail ?? null) {
          const end = b.off + (1 << b.order);
          const first = dirty.firstIn(b.off, end);
          if (first < 0) break; // the tail is clean, so is every block before it
          const run = dirty.runAt(first)!;
          const n = Math.min(budget - done, Math.min(run[1], end) - first);
          dirty.remove(first, first + n);
          done += n;
          if (dirty.firstIn(b.off, end) < 0) {
            this.unlink(b);
            this.insert(b.off, b.order, b.node, false, b.zone);
          }
        }
      }
    }
    this.scrubbed_idle_pages += done;
    return done;
  }
}

/** Count of trailing zero bits (ffsl - 1) for x > 0. */
function ctz(x: number): number {
  let n = 0;
  while (x % 2 === 0 && n < 64) {
    x /= 2;
    n++;
  }
  return n;
}

/** Port of arch_get_dma_bitsize (x86): a quarter of the first node with memory below 4 GiB. */
function arch_get_dma_bitsize(host: Host): number {
  for (const n of host.node_online_map.bits()) {
    const nd = host.node_data[n];
    if (nd !== undefined && nd.node_spanned_pages > 0 && Math.floor(nd.node_start_pfn / 2 ** 20) === 0)
      return Math.min(flsl(nd.node_start_pfn + Math.floor(nd.node_spanned_pages / 4) - 1) + 12, 32);
  }
  return 32;
}


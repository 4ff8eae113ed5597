// Per-node free page accounting (xen/common/page_alloc.c: node_avail_pages,
// total_avail_pages, outstanding_claims). The buddy heap that hands out real frames comes
// with the memory issue; until then an allocation takes a count of pages from a node.
import { Bitmap } from './bitmap.js';
import type { Host } from './host.js';
import { nodeid, type NodeId } from './ids.js';
import { MAX_NUMNODES } from './numa.js';

/** CONFIG_PAGEALLOC_MAX_ORDER on x86: 2^18 pages = 1 GiB. */
export const MAX_ORDER = 18;

export class Heap {
  /** node_avail_pages[node]: free pages per node, clean or dirty. */
  readonly node_avail_pages: number[];
  total_avail_pages: number;
  outstanding_claims = 0;

  constructor(host: Host) {
    this.node_avail_pages = Array.from({ length: MAX_NUMNODES }, (_, n) => host.node_data[n]?.node_present_pages ?? 0);
    this.total_avail_pages = host.total_pages;
  }

  /** avail_node_heap_pages(node). */
  avail_node_heap_pages(node: NodeId): number {
    return this.node_avail_pages[node] ?? 0;
  }

  /** Takes `pages` from `node`; false (nothing taken) if the node has fewer free. */
  take(node: NodeId, pages: number): boolean {
    const avail = this.avail_node_heap_pages(node);
    if (pages > avail) return false;
    this.node_avail_pages[node] = avail - pages;
    this.total_avail_pages -= pages;
    return true;
  }

  /** Returns `pages` to `node` (free_heap_pages, without the buddy detail yet). */
  give(node: NodeId, pages: number): void {
    this.node_avail_pages[node] = this.avail_node_heap_pages(node) + pages;
    this.total_avail_pages += pages;
  }

  /** The nodes that still have free memory. */
  nodes_with_memory(): Bitmap {
    return Bitmap.of(
      MAX_NUMNODES,
      this.node_avail_pages.flatMap((p, n) => (p > 0 ? [n] : [])),
    );
  }

  /**
   * Round-robin allocation of `pages` in MAX_ORDER chunks over `affinity`, starting after
   * `last` (get_free_buddy's cycle_node over d->node_affinity), falling back to the other
   * nodes with memory. Returns pages taken per node and the last node used, or null (and
   * nothing taken) when the host cannot hold them.
   */
  take_round_robin(pages: number, affinity: Bitmap, last: NodeId): { per_node: number[]; last: NodeId } | null {
    if (pages > this.total_avail_pages) return null;
    const per_node = new Array<number>(MAX_NUMNODES).fill(0);
    let node = last;
    // Bound: each chunk takes at least one page, and each node can refuse at most once per
    // chunk, so this loop runs at most pages / 2^MAX_ORDER + MAX_NUMNODES * chunks times.
    for (let left = pages; left > 0; ) {
      const chunk = Math.min(left, 1 << MAX_ORDER);
      const candidates = affinity.and(this.nodes_with_memory());
      const pool = candidates.isEmpty() ? this.nodes_with_memory() : candidates;
      node = nodeid(pool.cycle(node));
      const got = Math.min(chunk, this.avail_node_heap_pages(node));
      this.take(node, got);
      per_node[node]! += got;
      left -= got;
    }
    return { per_node, last: node };
  }
}

// The physical-to-machine map of a translated (HVM) guest (xen/arch/x86/mm/p2m.c), as runs
// of GFNs mapped to contiguous MFNs, so a 1 TiB guest populated with 1 GiB extents costs a
// handful of entries, and updates cost a search and a chunk splice whatever the guest does
// (Xen's p2m is a page-table tree). Only p2m_ram_rw entries exist here.
import { gfn as toGfn, mfn as toMfn, type Gfn, type Mfn } from './ids.js';
import { NO_RUN, RunList, type Run } from './run_list.js';

export interface P2mRun {
  gfn: Gfn;
  mfn: Mfn;
  count: number;
}

/** A run of GFNs [start, end) mapped from MFN `mfn` up. */
interface MapRun extends Run {
  mfn: number;
}

export class P2m {
  private readonly list = new RunList<MapRun>();
  /** p2m->max_mapped_pfn: the highest GFN ever mapped; it never goes down. */
  max_mapped_pfn = 0;
  /** Mapped GFNs. */
  entries = 0;

  get runs(): number {
    return this.list.count;
  }

  /** The mapping of g and how many following GFNs continue it contiguously, or null. */
  lookup(g: Gfn): P2mRun | null {
    const p = this.list.floor(g);
    if (p === NO_RUN) return null;
    const r = this.list.get(p);
    if (g >= r.end) return null;
    return { gfn: g, mfn: toMfn(r.mfn + (g - r.start)), count: r.end - g };
  }

  /** Unmaps [g, g + count); returns the runs that were mapped there (p2m_remove_page). */
  remove(g: Gfn, count: number): P2mRun[] {
    const end = g + count;
    const out: P2mRun[] = [];
    // Bound: each step removes, trims or splits one run and moves on or stops.
    for (let p = this.list.from(g); p !== NO_RUN; ) {
      const r = this.list.get(p);
      if (r.start >= end) break;
      const cutS = Math.max(r.start, g);
      const cutE = Math.min(r.end, end);
      out.push({ gfn: toGfn(cutS), mfn: toMfn(r.mfn + (cutS - r.start)), count: cutE - cutS });
      this.entries -= cutE - cutS;
      if (r.start < cutS && cutE < r.end) {
        const tail: MapRun = { start: cutE, end: r.end, mfn: r.mfn + (cutE - r.start) };
        r.end = cutS;
        this.list.insert(tail);
        break;
      }
      if (r.start < cutS) {
        r.end = cutS;
        p = this.list.next(p);
      } else if (cutE < r.end) {
        r.mfn += cutE - r.start;
        r.start = cutE;
        break;
      } else p = this.list.removeAt(p);
    }
    return out;
  }

  /** Maps [g, g + count) to [m, m + count), replacing what was there; returns the runs it
   *  displaced (p2m_add_page: their RAM is not freed, only unmapped). */
  add(g: Gfn, m: Mfn, count: number): P2mRun[] {
    const displaced = this.remove(g, count);
    const end = g + count;
    const lp = this.list.floor(g);
    const rp = lp === NO_RUN ? this.list.first() : this.list.next(lp);
    const left = lp === NO_RUN ? null : this.list.get(lp);
    const right = rp === NO_RUN ? null : this.list.get(rp);
    // Coalesce with a neighbour that continues both the GFN and the MFN run.
    const mergeLeft = left !== null && left.end === g && left.mfn + (left.end - left.start) === m;
    const mergeRight = right !== null && right.start === end && right.mfn === m + count;
    if (mergeLeft && mergeRight) {
      left.end = right.end;
      this.list.removeAt(rp);
    } else if (mergeLeft) left.end = end;
    else if (mergeRight) {
      right.start = g;
      right.mfn = m;
    } else this.list.insert({ start: g, end, mfn: m });
    this.entries += count;
    this.max_mapped_pfn = Math.max(this.max_mapped_pfn, end - 1);
    return displaced;
  }

  *[Symbol.iterator](): IterableIterator<P2mRun> {
    for (const r of this.list) yield { gfn: toGfn(r.start), mfn: toMfn(r.mfn), count: r.end - r.start };
  }

  clear(): void {
    this.list.clear();
    this.entries = 0;
  }
}

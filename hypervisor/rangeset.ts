// Sets of frame numbers kept as sorted, disjoint, non-adjacent ranges [start, end), so that
// their cost follows the number of runs, not of pages (ENGINEERING.md: memory is modelled).
// Used for the dirty pages of a node and the frames a domain owns on a node.
import { NO_RUN, RunList, type Run } from './run_list.js';

export class RangeSet {
  private readonly list = new RunList<Run>();
  /** Frames in the set. */
  total = 0;

  /** Number of runs. */
  get runs(): number {
    return this.list.count;
  }

  /** The run holding x, as [start, end), or null. */
  runAt(x: number): readonly [number, number] | null {
    const p = this.list.floor(x);
    if (p === NO_RUN) return null;
    const r = this.list.get(p);
    return x < r.end ? [r.start, r.end] : null;
  }

  /** Frames of [start, end) in the set. */
  countIn(start: number, end: number): number {
    let n = 0;
    for (let p = this.list.from(start); p !== NO_RUN; p = this.list.next(p)) {
      const r = this.list.get(p);
      if (r.start >= end) break;
      n += Math.min(end, r.end) - Math.max(start, r.start);
    }
    return n;
  }

  /** The first frame of [start, end) in the set, or -1. */
  firstIn(start: number, end: number): number {
    const p = this.list.from(start);
    if (p === NO_RUN) return -1;
    const s = Math.max(start, this.list.get(p).start);
    return s < end ? s : -1;
  }

  /** Adds [start, end), which must not overlap the set (callers own that invariant). */
  add(start: number, end: number): void {
    if (end <= start) return;
    if (this.countIn(start, end) !== 0) throw new RangeError(`RangeSet.add: [${start}, ${end}) overlaps the set`);
    const lp = this.list.floor(start);
    const rp = lp === NO_RUN ? this.list.first() : this.list.next(lp);
    const left = lp === NO_RUN ? null : this.list.get(lp);
    const right = rp === NO_RUN ? null : this.list.get(rp);
    const mergeLeft = left !== null && left.end === start;
    const mergeRight = right !== null && right.start === end;
    if (mergeLeft && mergeRight) {
      left.end = right.end;
      this.list.removeAt(rp);
    } else if (mergeLeft) left.end = end;
    else if (mergeRight) right.start = start;
    else this.list.insert({ start, end });
    this.total += end - start;
  }

  /** Removes whatever of [start, end) is in the set; returns how many frames that was. */
  remove(start: number, end: number): number {
    if (end <= start) return 0;
    let removed = 0;
    // Bound: each step removes, trims or splits one run and moves on or stops.
    for (let p = this.list.from(start); p !== NO_RUN; ) {
      const r = this.list.get(p);
      if (r.start >= end) break;
      const cutS = Math.max(r.start, start);
      const cutE = Math.min(r.end, end);
      removed += cutE - cutS;
      if (r.start < cutS && cutE < r.end) {
        // A hole in the middle of one run: split it.
        const tail = { start: cutE, end: r.end };
        r.end = cutS;
        this.list.insert(tail);
        break;
      }
      if (r.start < cutS) {
        r.end = cutS;
        p = this.list.next(p);
      } else if (cutE < r.end) {
        r.start = cutE;
        break;
      } else p = this.list.removeAt(p);
    }
    this.total -= removed;
    return removed;
  }

  /** The runs in ascending order. */
  *[Symbol.iterator](): IterableIterator<readonly [number, number]> {
    for (const r of this.list) yield [r.start, r.end];
  }

  clear(): void {
    this.list.clear();
    this.total = 0;
  }
}

// Sets of frame numbers kept as sorted, disjoint, non-adjacent ranges [start, end), so that
// their cost follows the number of runs, not of pages (ENGINEERING.md: memory is modelled).
// Used for the dirty pages of a node and the frames a domain owns on a node.

export class RangeSet {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Frames in the set. */
  total = 0;

  /** Number of runs. */
  get runs(): number {
    return this.starts.length;
  }

  /** Index of the last run starting at or before x, or -1. */
  private floor(x: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= x) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  has(x: number): boolean {
    const i = this.floor(x);
    return i >= 0 && x < this.ends[i]!;
  }

  /** The run holding x, as [start, end), or null. */
  runAt(x: number): readonly [number, number] | null {
    const i = this.floor(x);
    return i >= 0 && x < this.ends[i]! ? [this.starts[i]!, this.ends[i]!] : null;
  }

  /** Frames of [start, end) in the set. */
  countIn(start: number, end: number): number {
    let i = Math.max(this.floor(start), 0);
    let n = 0;
    for (; i < this.starts.length && this.starts[i]! < end; i++) n += Math.max(0, Math.min(end, this.ends[i]!) - Math.max(start, this.starts[i]!));
    return n;
  }

  /** The first frame of [start, end) in the set, or -1. */
  firstIn(start: number, end: number): number {
    const i = this.floor(start);
    if (i >= 0 && start < this.ends[i]!) return start;
    const next = i + 1;
    return next < this.starts.length && this.starts[next]! < end ? this.starts[next]! : -1;
  }

  /** Adds [start, end), which must not overlap the set (callers own that invariant). */
  add(start: number, end: number): void {
    if (end <= start) return;
    if (this.countIn(start, end) !== 0) throw new RangeError(`RangeSet.add: [${start}, ${end}) overlaps the set`);
    const i = this.floor(start);
    const mergeLeft = i >= 0 && this.ends[i] === start;
    const j = i + 1;
    const mergeRight = j < this.starts.length && this.starts[j] === end;
    if (mergeLeft && mergeRight) {
      this.ends[i] = this.ends[j]!;
      this.starts.splice(j, 1);
      this.ends.splice(j, 1);
    } else if (mergeLeft) this.ends[i] = end;
    else if (mergeRight) this.starts[j] = start;
    else {
      this.starts.splice(j, 0, start);
      this.ends.splice(j, 0, end);
    }
    this.total += end - start;
  }

  /** Removes whatever of [start, end) is in the set; returns how many frames that was. */
  remove(start: number, end: number): number {
    if (end <= start) return 0;
    let i = Math.max(this.floor(start), 0);
    let removed = 0;
    while (i < this.starts.length && this.starts[i]! < end) {
      const s = this.starts[i]!;
      const e = this.ends[i]!;
      if (e <= start) {
        i++;
        continue;
      }
      const cutS = Math.max(s, start);
      const cutE = Math.min(e, end);
      removed += cutE - cutS;
      if (s < cutS && cutE < e) {
        // A hole in the middle of one run: split it.
        this.ends[i] = cutS;
        this.starts.splice(i + 1, 0, cutE);
        this.ends.splice(i + 1, 0, e);
        break;
      }
      if (s < cutS) {
        this.ends[i] = cutS;
        i++;
      } else if (cutE < e) {
        this.starts[i] = cutE;
        i++;
      } else {
        this.starts.splice(i, 1);
        this.ends.splice(i, 1);
      }
    }
    this.total -= removed;
    return removed;
  }

  /** The runs in ascending order. */
  *[Symbol.iterator](): IterableIterator<readonly [number, number]> {
    for (let i = 0; i < this.starts.length; i++) yield [this.starts[i]!, this.ends[i]!];
  }

  clear(): void {
    this.starts.length = 0;
    this.ends.length = 0;
    this.total = 0;
  }
}

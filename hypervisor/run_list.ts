// A sorted list of runs kept in chunks of at most CHUNK_MAX, so that inserting or removing a
// run costs a binary search and a splice of one chunk, not of the whole list: a guest that
// fragments its p2m or its frames one page at a time cannot make each update O(runs).

export interface Run {
  start: number;
  end: number;
}

/** A run's place, chunk * POS_STRIDE + index within the chunk (a number, so that walking
 *  the list allocates nothing); NO_RUN when there is none. */
export type RunPos = number;
export const NO_RUN = -1;

/** Runs per chunk before it splits in two (a splice of a few hundred slots is cheap). */
const CHUNK_MAX = 512;
const POS_STRIDE = 1024; // > CHUNK_MAX

export class RunList<R extends Run> {
  private readonly chunks: R[][] = [];
  /** Number of runs. */
  count = 0;

  /** The last run starting at or before x, or NO_RUN. */
  floor(x: number): RunPos {
    const cs = this.chunks;
    let lo = 0;
    let hi = cs.length - 1;
    let c = -1;
    if (hi <= 0) c = hi === 0 && cs[0]![0]!.start <= x ? 0 : -1; // one chunk: the common case
    else while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (cs[mid]![0]!.start <= x) {
        c = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (c < 0) return NO_RUN;
    const ch = cs[c]!;
    let i = 0;
    lo = 0;
    hi = ch.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (ch[mid]!.start <= x) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return c * POS_STRIDE + i;
  }

  /** The first run that ends after x (the one holding x, or the next), or NO_RUN. */
  from(x: number): RunPos {
    const p = this.floor(x);
    if (p === NO_RUN) return this.first();
    return this.get(p).end > x ? p : this.next(p);
  }

  first(): RunPos {
    return this.chunks.length === 0 ? NO_RUN : 0;
  }

  get(p: RunPos): R {
    return p < POS_STRIDE ? this.chunks[0]![p]! : this.chunks[Math.floor(p / POS_STRIDE)]![p % POS_STRIDE]!;
  }

  next(p: RunPos): RunPos {
    const c = Math.floor(p / POS_STRIDE);
    const i = p % POS_STRIDE;
    if (i + 1 < this.chunks[c]!.length) return p + 1;
    return c + 1 < this.chunks.length ? (c + 1) * POS_STRIDE : NO_RUN;
  }

  /** Inserts r in start order; the caller keeps runs disjoint. */
  insert(r: R): void {
    const p = this.floor(r.start);
    let c: number;
    if (p === NO_RUN) {
      if (this.chunks.length === 0) this.chunks.push([]);
      c = 0;
      this.chunks[0]!.unshift(r);
    } else {
      c = Math.floor(p / POS_STRIDE);
      this.chunks[c]!.splice((p % POS_STRIDE) + 1, 0, r);
    }
    this.count++;
    const ch = this.chunks[c]!;
    if (ch.length > CHUNK_MAX) this.chunks.splice(c + 1, 0, ch.splice(CHUNK_MAX / 2));
  }

  /** Removes the run at p; returns the position of the run that followed it, or NO_RUN. */
  removeAt(p: RunPos): RunPos {
    const c = Math.floor(p / POS_STRIDE);
    const i = p % POS_STRIDE;
    const ch = this.chunks[c]!;
    ch.splice(i, 1);
    this.count--;
    if (ch.length === 0) {
      this.chunks.splice(c, 1);
      return c < this.chunks.length ? c * POS_STRIDE : NO_RUN;
    }
    if (i < ch.length) return p;
    return c + 1 < this.chunks.length ? (c + 1) * POS_STRIDE : NO_RUN;
  }

  *[Symbol.iterator](): IterableIterator<R> {
    for (const ch of this.chunks) yield* ch;
  }

  clear(): void {
    this.chunks.length = 0;
    this.count = 0;
  }
}

// A sorted list of runs kept in chunks of at most CHUNK_MAX, so that inserting or removing a
// run costs a binary search and a splice of one chunk, not of the whole list: a guest that
// fragments its p2m or its frames one page at a time cannot make each update O(runs).

export interface Run {
  start: number;
  end: number;
}

/** A run's place: chunk index and index within the chunk. */
export type RunPos = readonly [number, number];

/** Runs per chunk before it splits in two (a splice of a few hundred slots is cheap). */
const CHUNK_MAX = 512;

export class RunList<R extends Run> {
  private readonly chunks: R[][] = [];
  /** Number of runs. */
  count = 0;

  /** The last run starting at or before x, or null. */
  floor(x: number): RunPos | null {
    const cs = this.chunks;
    let lo = 0;
    let hi = cs.length - 1;
    let c = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (cs[mid]![0]!.start <= x) {
        c = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (c < 0) return null;
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
    return [c, i];
  }

  /** The first run that ends after x (the one holding x, or the next), or null. */
  from(x: number): RunPos | null {
    const p = this.floor(x);
    if (p === null) return this.first();
    return this.get(p).end > x ? p : this.next(p);
  }

  first(): RunPos | null {
    return this.chunks.length === 0 ? null : [0, 0];
  }

  get(p: RunPos): R {
    return this.chunks[p[0]]![p[1]]!;
  }

  next(p: RunPos): RunPos | null {
    const [c, i] = p;
    if (i + 1 < this.chunks[c]!.length) return [c, i + 1];
    return c + 1 < this.chunks.length ? [c + 1, 0] : null;
  }

  /** Inserts r in start order; the caller keeps runs disjoint. */
  insert(r: R): void {
    const p = this.floor(r.start);
    let c: number;
    if (p === null) {
      if (this.chunks.length === 0) this.chunks.push([]);
      c = 0;
      this.chunks[0]!.unshift(r);
    } else {
      c = p[0];
      this.chunks[c]!.splice(p[1] + 1, 0, r);
    }
    this.count++;
    const ch = this.chunks[c]!;
    if (ch.length > CHUNK_MAX) this.chunks.splice(c + 1, 0, ch.splice(CHUNK_MAX / 2));
  }

  /** Removes the run at p; returns the position of the run that followed it, or null. */
  removeAt(p: RunPos): RunPos | null {
    const [c, i] = p;
    const ch = this.chunks[c]!;
    ch.splice(i, 1);
    this.count--;
    if (ch.length === 0) {
      this.chunks.splice(c, 1);
      return c < this.chunks.length ? [c, 0] : null;
    }
    if (i < ch.length) return [c, i];
    return c + 1 < this.chunks.length ? [c + 1, 0] : null;
  }

  *[Symbol.iterator](): IterableIterator<R> {
    for (const ch of this.chunks) yield* ch;
  }

  clear(): void {
    this.chunks.length = 0;
    this.count = 0;
  }
}

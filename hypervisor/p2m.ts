// The physical-to-machine map of a translated (HVM) guest (xen/arch/x86/mm/p2m.c), as runs
// of GFNs mapped to contiguous MFNs, so a 1 TiB guest populated with 1 GiB extents costs a
// handful of entries, and updates cost a search and a chunk splice whatever the guest does
// (Xen's p2m is a page-table tree). Only p2m_ram_rw entries exist here.
// Runs live in chunks of parallel Float64Arrays, not as objects: a guest built of single 4 KiB
// pages with no two MFNs adjacent has a run per page (millions), and objects would make every
// garbage collection walk them all.
import { gfn as toGfn, mfn as toMfn, type Gfn, type Mfn } from './ids.js';

export interface P2mRun {
  gfn: Gfn;
  mfn: Mfn;
  count: number;
}

/** Runs per chunk; a full chunk splits in two (a copyWithin of a few hundred slots is cheap). */
const CHUNK_MAX = 512;
/** A run's place, chunk * POS_STRIDE + index (a number: walking the runs allocates nothing). */
const POS_STRIDE = 1024; // > CHUNK_MAX
const NONE = -1;

/** GFNs [start[i], end[i]) mapped from mfn[i] up, sorted by start, disjoint. */
class Chunk {
  readonly start = new Float64Array(CHUNK_MAX);
  readonly end = new Float64Array(CHUNK_MAX);
  readonly mfn = new Float64Array(CHUNK_MAX);
  n = 0;
}

export class P2m {
  private readonly chunks: Chunk[] = [];
  /** Number of runs. */
  runs = 0;
  /** p2m->max_mapped_pfn: the highest GFN ever mapped; it never goes down. */
  max_mapped_pfn = 0;
  /** Mapped GFNs. */
  entries = 0;

  /** The mapping of g and how many following GFNs continue it contiguously, or null. */
  lookup(g: Gfn): P2mRun | null {
    const p = this.floor(g);
    if (p === NONE) return null;
    const ch = this.chunks[Math.floor(p / POS_STRIDE)]!;
    const i = p % POS_STRIDE;
    if (g >= ch.end[i]!) return null;
    return { gfn: g, mfn: toMfn(ch.mfn[i]! + (g - ch.start[i]!)), count: ch.end[i]! - g };
  }

  /** Unmaps [g, g + count); returns the runs that were mapped there (p2m_remove_page). */
  remove(g: Gfn, count: number): P2mRun[] {
    const end = g + count;
    const out: P2mRun[] = [];
    let p = this.floor(g);
    if (p === NONE) p = this.first();
    else if (this.chunkOf(p).end[p % POS_STRIDE]! <= g) p = this.next(p);
    // Bound: each step removes, trims or splits one run and moves on or stops.
    while (p !== NONE) {
      const ch = this.chunkOf(p);
      const i = p % POS_STRIDE;
      const s = ch.start[i]!;
      const e = ch.end[i]!;
      const m = ch.mfn[i]!;
      if (s >= end) break;
      const cutS = Math.max(s, g);
      const cutE = Math.min(e, end);
      out.push({ gfn: toGfn(cutS), mfn: toMfn(m + (cutS - s)), count: cutE - cutS });
      this.entries -= cutE - cutS;
      if (s < cutS && cutE < e) {
        ch.end[i] = cutS;
        this.insertAfter(p, cutE, e, m + (cutE - s));
        break;
      }
      if (s < cutS) {
        ch.end[i] = cutS;
        p = this.next(p);
      } else if (cutE < e) {
        ch.mfn[i] = m + (cutE - s);
        ch.start[i] = cutE;
        break;
      } else p = this.removeAt(p);
    }
    return out;
  }

  /** Maps [g, g + count) to [m, m + count), replacing what was there; returns the runs it
   *  displaced (p2m_add_page: their RAM is not freed, only unmapped). */
  add(g: Gfn, m: Mfn, count: number): P2mRun[] {
    const displaced = this.remove(g, count);
    const end = g + count;
    const lp = this.floor(g);
    const rp = lp === NONE ? this.first() : this.next(lp);
    const lc = lp === NONE ? null : this.chunkOf(lp);
    const li = lp % POS_STRIDE;
    const rc = rp === NONE ? null : this.chunkOf(rp);
    const ri = rp % POS_STRIDE;
    // Coalesce with a neighbour that continues both the GFN and the MFN run.
    const mergeLeft = lc !== null && lc.end[li] === g && lc.mfn[li]! + (g - lc.start[li]!) === m;
    const mergeRight = rc !== null && rc.start[ri] === end && rc.mfn[ri] === m + count;
    if (mergeLeft && mergeRight) {
      lc.end[li] = rc.end[ri]!;
      this.removeAt(rp);
    } else if (mergeLeft) lc.end[li] = end;
    else if (mergeRight) {
      rc.start[ri] = g;
      rc.mfn[ri] = m;
    } else if (lp === NONE) this.insertFirst(g, end, m);
    else this.insertAfter(lp, g, end, m);
    this.entries += count;
    this.max_mapped_pfn = Math.max(this.max_mapped_pfn, end - 1);
    return displaced;
  }

  *[Symbol.iterator](): IterableIterator<P2mRun> {
    for (const ch of this.chunks) for (let i = 0; i < ch.n; i++) yield { gfn: toGfn(ch.start[i]!), mfn: toMfn(ch.mfn[i]!), count: ch.end[i]! - ch.start[i]! };
  }

  clear(): void {
    this.chunks.length = 0;
    this.runs = 0;
    this.entries = 0;
  }

  private chunkOf(p: number): Chunk {
    return this.chunks[Math.floor(p / POS_STRIDE)]!;
  }

  private first(): number {
    return this.chunks.length === 0 ? NONE : 0;
  }

  private next(p: number): number {
    const c = Math.floor(p / POS_STRIDE);
    const i = p % POS_STRIDE;
    if (i + 1 < this.chunks[c]!.n) return p + 1;
    return c + 1 < this.chunks.length ? (c + 1) * POS_STRIDE : NONE;
  }

  /** The last run starting at or before x, or NONE. */
  private floor(x: number): number {
    const cs = this.chunks;
    let lo = 0;
    let hi = cs.length - 1;
    let c = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (cs[mid]!.start[0]! <= x) {
        c = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (c < 0) return NONE;
    const st = cs[c]!.start;
    let i = 0;
    lo = 0;
    hi = cs[c]!.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (st[mid]! <= x) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return c * POS_STRIDE + i;
  }

  private insertFirst(s: number, e: number, m: number): void {
    if (this.chunks.length === 0) this.chunks.push(new Chunk());
    this.insertAt(0, 0, s, e, m);
  }

  private insertAfter(p: number, s: number, e: number, m: number): void {
    this.insertAt(Math.floor(p / POS_STRIDE), (p % POS_STRIDE) + 1, s, e, m);
  }

  /** Puts a run at index i of chunk c, splitting the chunk first when it is full. */
  private insertAt(c: number, i: number, s: number, e: number, m: number): void {
    let ch = this.chunks[c]!;
    if (ch.n === CHUNK_MAX) {
      const half = CHUNK_MAX / 2;
      const upper = new Chunk();
      upper.start.set(ch.start.subarray(half, CHUNK_MAX));
      upper.end.set(ch.end.subarray(half, CHUNK_MAX));
      upper.mfn.set(ch.mfn.subarray(half, CHUNK_MAX));
      upper.n = CHUNK_MAX - half;
      ch.n = half;
      this.chunks.splice(c + 1, 0, upper);
      if (i > half) {
        ch = upper;
        i -= half;
      }
    }
    ch.start.copyWithin(i + 1, i, ch.n);
    ch.end.copyWithin(i + 1, i, ch.n);
    ch.mfn.copyWithin(i + 1, i, ch.n);
    ch.start[i] = s;
    ch.end[i] = e;
    ch.mfn[i] = m;
    ch.n++;
    this.runs++;
  }

  /** Removes the run at p; returns the position of the run that followed it, or NONE. */
  private removeAt(p: number): number {
    const c = Math.floor(p / POS_STRIDE);
    const i = p % POS_STRIDE;
    const ch = this.chunks[c]!;
    ch.start.copyWithin(i, i + 1, ch.n);
    ch.end.copyWithin(i, i + 1, ch.n);
    ch.mfn.copyWithin(i, i + 1, ch.n);
    ch.n--;
    this.runs--;
    if (ch.n === 0) {
      this.chunks.splice(c, 1);
      return c < this.chunks.length ? c * POS_STRIDE : NONE;
    }
    if (i < ch.n) return p;
    return c + 1 < this.chunks.length ? (c + 1) * POS_STRIDE : NONE;
  }
}

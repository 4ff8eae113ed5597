// The physical-to-machine map of a translated (HVM) guest (xen/arch/x86/mm/p2m.c), as runs
// of GFNs mapped to contiguous MFNs, so a 1 TiB guest populated with 1 GiB extents costs a
// handful of entries. Only p2m_ram_rw entries exist here.
import { gfn as toGfn, mfn as toMfn, type Gfn, type Mfn } from './ids.js';

export interface P2mRun {
  gfn: Gfn;
  mfn: Mfn;
  count: number;
}

export class P2m {
  private readonly gfns: number[] = [];
  private readonly mfns: number[] = [];
  private readonly counts: number[] = [];
  /** p2m->max_mapped_pfn: the highest GFN ever mapped; it never goes down. */
  max_mapped_pfn = 0;
  /** Mapped GFNs. */
  entries = 0;

  get runs(): number {
    return this.gfns.length;
  }

  private floor(g: number): number {
    let lo = 0;
    let hi = this.gfns.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.gfns[mid]! <= g) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The mapping of g and how many following GFNs continue it contiguously, or null. */
  lookup(g: Gfn): P2mRun | null {
    const i = this.floor(g);
    if (i < 0 || g >= this.gfns[i]! + this.counts[i]!) return null;
    const off = g - this.gfns[i]!;
    return { gfn: g, mfn: toMfn(this.mfns[i]! + off), count: this.counts[i]! - off };
  }

  /** Unmaps [g, g + count); returns the runs that were mapped there (p2m_remove_page). */
  remove(g: Gfn, count: number): P2mRun[] {
    const end = g + count;
    const out: P2mRun[] = [];
    let i = Math.max(this.floor(g), 0);
    while (i < this.gfns.length && this.gfns[i]! < end) {
      const s = this.gfns[i]!;
      const e = s + this.counts[i]!;
      const m = this.mfns[i]!;
      if (e <= g) {
        i++;
        continue;
      }
      const cutS = Math.max(s, g);
      const cutE = Math.min(e, end);
      out.push({ gfn: toGfn(cutS), mfn: toMfn(m + (cutS - s)), count: cutE - cutS });
      this.entries -= cutE - cutS;
      const pieces: [number, number, number][] = [];
      if (s < cutS) pieces.push([s, m, cutS - s]);
      if (cutE < e) pieces.push([cutE, m + (cutE - s), e - cutE]);
      this.gfns.splice(i, 1, ...pieces.map((p) => p[0]));
      this.mfns.splice(i, 1, ...pieces.map((p) => p[1]));
      this.counts.splice(i, 1, ...pieces.map((p) => p[2]));
      i += pieces.length;
    }
    return out;
  }

  /** Maps [g, g + count) to [m, m + count), replacing what was there; returns the runs it
   *  displaced (p2m_add_page: their RAM is not freed, only unmapped). */
  add(g: Gfn, m: Mfn, count: number): P2mRun[] {
    const displaced = this.remove(g, count);
    const i = this.floor(g) + 1;
    // Coalesce with a neighbour that continues both the GFN and MFN runs.
    const left = i - 1;
    if (left >= 0 && this.endsAt(left, g, m)) {
      this.counts[left]! += count;
      this.joinRight(left);
    } else {
      this.gfns.splice(i, 0, g);
      this.mfns.splice(i, 0, m);
      this.counts.splice(i, 0, count);
      this.joinRight(i);
    }
    this.entries += count;
    this.max_mapped_pfn = Math.max(this.max_mapped_pfn, g + count - 1);
    return displaced;
  }

  /** Run i ends just before GFN g and MFN m, so a run at (g, m) continues it. */
  private endsAt(i: number, g: number, m: number): boolean {
    const n = this.counts[i] ?? 0;
    return (this.gfns[i] ?? -1) + n === g && (this.mfns[i] ?? -1) + n === m;
  }

  private joinRight(i: number): void {
    const j = i + 1;
    if (j < this.gfns.length && this.endsAt(i, this.gfns[j]!, this.mfns[j]!)) {
      this.counts[i]! += this.counts[j]!;
      this.gfns.splice(j, 1);
      this.mfns.splice(j, 1);
      this.counts.splice(j, 1);
    }
  }

  *[Symbol.iterator](): IterableIterator<P2mRun> {
    for (let i = 0; i < this.gfns.length; i++) yield { gfn: toGfn(this.gfns[i]!), mfn: toMfn(this.mfns[i]!), count: this.counts[i]! };
  }

  clear(): void {
    this.gfns.length = 0;
    this.mfns.length = 0;
    this.counts.length = 0;
    this.entries = 0;
  }
}

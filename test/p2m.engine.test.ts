// The p2m's run store (hypervisor/p2m.ts) against a page-by-page model: random maps and unmaps
// across many chunks (more than 512 runs each), every lookup, the runs' order and coalescing.
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../hypervisor/clock.js';
import { gfn, mfn } from '../hypervisor/ids.js';
import { P2m } from '../hypervisor/p2m.js';

const SPAN = 6000; // GFNs in play: enough for ~12 chunks of single-page runs

function check(p: P2m, model: Map<number, number>): void {
  let prevEnd = -1;
  let entries = 0;
  for (const r of p) {
    expect(r.gfn).toBeGreaterThanOrEqual(prevEnd); // sorted, disjoint
    for (let k = 0; k < r.count; k++) expect(model.get(r.gfn + k)).toBe(r.mfn + k);
    prevEnd = r.gfn + r.count;
    entries += r.count;
  }
  expect(entries).toBe(model.size);
  expect(p.entries).toBe(model.size);
  for (let g = 0; g < SPAN; g += 7) {
    const l = p.lookup(gfn(g));
    const m = model.get(g);
    expect(l === null ? null : { gfn: l.gfn, mfn: l.mfn }).toEqual(m === undefined ? null : { gfn: g, mfn: m });
  }
}

describe('p2m runs', () => {
  it('single pages with descending MFNs: one run each, across chunk splits; a range unmapped across chunks', () => {
    const p = new P2m();
    const model = new Map<number, number>();
    for (let g = 0; g < 3000; g++) {
      p.add(gfn(g), mfn(1_000_000 - g), 1);
      model.set(g, 1_000_000 - g);
    }
    expect(p.runs).toBe(3000);
    const gone = p.remove(gfn(700), 1500);
    expect(gone).toHaveLength(1500);
    expect(gone[0]).toEqual({ gfn: 700, mfn: 1_000_000 - 700, count: 1 });
    for (let g = 700; g < 2200; g++) model.delete(g);
    expect(p.runs).toBe(1500);
    check(p, model);
  });

  it('adjacent GFNs with adjacent MFNs coalesce, from either side and in the middle', () => {
    const p = new P2m();
    p.add(gfn(10), mfn(100), 5);
    p.add(gfn(20), mfn(110), 5);
    expect(p.runs).toBe(2);
    p.add(gfn(15), mfn(105), 5); // joins both
    expect([...p]).toEqual([{ gfn: 10, mfn: 100, count: 15 }]);
    expect(p.max_mapped_pfn).toBe(24);
  });

  it('random maps and unmaps match a page-by-page model (seeded)', () => {
    const rng = new SeededRng(42);
    const p = new P2m();
    const model = new Map<number, number>();
    let maxRuns = 0;
    const unmapped: [got: number, want: number][] = [];
    for (let step = 0; step < 6000; step++) {
      const g = rng.next_u32() % SPAN;
      const count = 1 + (rng.next_u32() % (rng.next_u32() % 64 === 0 ? 300 : 3));
      if (rng.next_u32() % 4 === 0) {
        const gone = p.remove(gfn(g), count);
        let n = 0;
        for (let k = g; k < g + count; k++) if (model.delete(k)) n++;
        unmapped.push([gone.reduce((a, r) => a + r.count, 0), n]);
      } else {
        const m = rng.next_u32() % 8 === 0 ? 5_000_000 + g : rng.next_u32() % 10_000_000; // often contiguous with neighbours
        p.add(gfn(g), mfn(m), count);
        for (let k = 0; k < count; k++) model.set(g + k, m + k);
      }
      maxRuns = Math.max(maxRuns, p.runs);
      if (step % 500 === 499) check(p, model);
    }
    check(p, model);
    expect(unmapped.filter(([got, want]) => got !== want)).toEqual([]);
    expect(unmapped.length).toBeGreaterThan(1000);
    expect(maxRuns).toBeGreaterThan(1024); // several chunks were split and emptied
  });
});

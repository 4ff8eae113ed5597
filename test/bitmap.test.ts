// cpumask/nodemask helpers and the xenctl_bitmap conversions (xen/common/bitmap.c).
import { describe, expect, it } from 'vitest';
import { Bitmap, bitmapToXenctlBitmap, xenctlBitmapToBitmap, type XenctlBitmap } from '../hypervisor/bitmap.js';

const xb = (bytes: number[] | null, nr_bits: number): XenctlBitmap => ({ bitmap: bytes === null ? null : Uint8Array.from(bytes), nr_bits, written: null });

describe('Bitmap', () => {
  it('cycle wraps and first/next/last follow find_*_bit (cycle_node, cpumask_cycle)', () => {
    const m = Bitmap.of(64, [1, 5, 9]);
    expect([m.first(), m.next(2), m.last(), m.weight()]).toEqual([1, 5, 9, 3]);
    expect([m.cycle(1), m.cycle(5), m.cycle(9), m.cycle(0)]).toEqual([5, 9, 1, 1]);
    expect(new Bitmap(64).cycle(3)).toBe(64); // MAX_NUMNODES when empty
  });

  it('ignores bits at or beyond nbits', () => {
    const m = Bitmap.of(10, [3, 10, 200]);
    expect([...m.bits()]).toEqual([3]);
    expect(Bitmap.full(10).isFull()).toBe(true);
    expect(Bitmap.full(10).toBytes()).toEqual(Uint8Array.from([0xff, 0x03]));
  });
});

describe('xenctl_bitmap_to_bitmap', () => {
  it('nr_bits 0 gives an empty mask, even with a NULL handle', () => {
    const m = xenctlBitmapToBitmap(xb(null, 0), 64);
    expect(m).toBeInstanceOf(Bitmap);
    expect((m as Bitmap).isEmpty()).toBe(true);
  });

  it('clears guest bits above nr_bits when the guest map is not longer than Xen\'s', () => {
    const m = xenctlBitmapToBitmap(xb([0xff], 3), 64) as Bitmap;
    expect([...m.bits()]).toEqual([0, 1, 2]);
  });

  it('ignores guest bytes beyond Xen\'s width (cpus past nr_cpu_ids, the XSA-56 class)', () => {
    const m = xenctlBitmapToBitmap(xb([0x01, 0xff, 0xff], 24), 8) as Bitmap;
    expect([...m.bits()]).toEqual([0]);
  });

  it('zero-extends a shorter guest map', () => {
    const m = xenctlBitmapToBitmap(xb([0x80], 8), 64) as Bitmap;
    expect([...m.bits()]).toEqual([7]);
  });

  it('faults (-EFAULT) on a NULL or short buffer that Xen must read', () => {
    expect(xenctlBitmapToBitmap(xb(null, 8), 64)).toBe(-14);
    expect(xenctlBitmapToBitmap(xb([0xff], 16), 64)).toBe(-14);
  });
});

describe('bitmap_to_xenctl_bitmap', () => {
  it('writes min(guest, Xen) bytes and zero-fills the rest of the guest buffer', () => {
    const x = xb([], 64);
    expect(bitmapToXenctlBitmap(Bitmap.of(8, [0, 7]), x)).toBe(0);
    expect(x.written).toEqual(Uint8Array.from([0x81, 0, 0, 0, 0, 0, 0, 0]));
  });

  it('4.21+ quirk: a guest buffer shorter than Xen\'s gets Xen\'s final byte last', () => {
    const x = xb([], 8);
    expect(bitmapToXenctlBitmap(Bitmap.of(24, [0, 20]), x)).toBe(0);
    expect(x.written).toEqual(Uint8Array.from([0x10]));
  });

  it('faults on a NULL handle and writes nothing for nr_bits 0', () => {
    expect(bitmapToXenctlBitmap(Bitmap.of(8, [1]), xb(null, 8))).toBe(-14);
    const x = xb(null, 0);
    expect(bitmapToXenctlBitmap(Bitmap.of(8, [1]), x)).toBe(0);
    expect(x.written).toBeNull();
  });
});

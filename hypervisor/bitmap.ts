// cpumask_t / nodemask_t and the xenctl_bitmap conversions (xen/common/bitmap.c).
// Byte-granular little-endian bit order: bit n lives in byte n/8, mask 1 << (n % 8), the same
// layout as a xenctl_bitmap buffer, so conversion is a byte copy.
import { neg } from './errno.js';

export class Bitmap {
  readonly nbits: number;
  private readonly bytes: Uint8Array;

  constructor(nbits: number) {
    this.nbits = nbits;
    this.bytes = new Uint8Array((nbits + 7) >> 3);
  }

  static of(nbits: number, bits: Iterable<number>): Bitmap {
    const m = new Bitmap(nbits);
    for (const b of bits) m.set(b);
    return m;
  }

  static full(nbits: number): Bitmap {
    const m = new Bitmap(nbits);
    for (let i = 0; i < nbits; i++) m.set(i);
    return m;
  }

  clone(): Bitmap {
    const m = new Bitmap(this.nbits);
    m.bytes.set(this.bytes);
    return m;
  }

  /** Bits at or above nbits are ignored, as Xen's mask ops ignore them. */
  set(bit: number): void {
    if (bit >= 0 && bit < this.nbits) this.bytes[bit >> 3]! |= 1 << (bit & 7);
  }

  clear(bit: number): void {
    if (bit >= 0 && bit < this.nbits) this.bytes[bit >> 3]! &= ~(1 << (bit & 7));
  }

  test(bit: number): boolean {
    return bit >= 0 && bit < this.nbits && (this.bytes[bit >> 3]! & (1 << (bit & 7))) !== 0;
  }

  weight(): number {
    let w = 0;
    for (let byte of this.bytes) {
      for (; byte !== 0; byte &= byte - 1) w++;
    }
    return w;
  }

  isEmpty(): boolean {
    return this.bytes.every((b) => b === 0);
  }

  /** nodes_full / cpumask_full: every one of nbits bits set. */
  isFull(): boolean {
    return this.weight() === this.nbits;
  }

  /** find_next_bit: the first set bit at or after `from`, or nbits if none. */
  next(from: number): number {
    for (let i = Math.max(from, 0); i < this.nbits; i++) if (this.test(i)) return i;
    return this.nbits;
  }

  first(): number {
    return this.next(0);
  }

  /** The highest set bit, or -1 when empty. */
  last(): number {
    for (let i = this.nbits - 1; i >= 0; i--) if (this.test(i)) return i;
    return -1;
  }

  /** cycle_node / cpumask_cycle: the next set bit after n, wrapping; nbits if empty. */
  cycle(n: number): number {
    const nxt = this.next(n + 1);
    return nxt < this.nbits ? nxt : this.first();
  }

  *bits(): IterableIterator<number> {
    for (let i = this.next(0); i < this.nbits; i = this.next(i + 1)) yield i;
  }

  and(other: Bitmap): Bitmap {
    const m = this.clone();
    for (let i = 0; i < m.bytes.length; i++) m.bytes[i]! &= other.bytes[i] ?? 0;
    return m;
  }

  andNot(other: Bitmap): Bitmap {
    const m = this.clone();
    for (let i = 0; i < m.bytes.length; i++) m.bytes[i]! &= ~(other.bytes[i] ?? 0);
    return m;
  }

  /** Every bit of this is set in other (no allocation: the allocator asks this per extent). */
  isSubsetOf(other: Bitmap): boolean {
    for (let i = 0; i < this.bytes.length; i++) if ((this.bytes[i]! & ~(other.bytes[i] ?? 0)) !== 0) return false;
    return true;
  }

  intersects(other: Bitmap): boolean {
    const n = Math.min(this.bytes.length, other.bytes.length);
    for (let i = 0; i < n; i++) if ((this.bytes[i]! & other.bytes[i]!) !== 0) return true;
    return false;
  }

  /** A copy of the byte layout (xenctl_bitmap buffer order). */
  toBytes(): Uint8Array {
    return this.bytes.slice();
  }

  /** Bytes of a guest buffer; bytes or bits beyond nbits are dropped. */
  static fromBytes(nbits: number, src: Uint8Array): Bitmap {
    const m = new Bitmap(nbits);
    m.bytes.set(src.subarray(0, m.bytes.length));
    m.maskTail();
    return m;
  }

  private maskTail(): void {
    const rem = this.nbits & 7;
    if (rem !== 0) this.bytes[this.bytes.length - 1]! &= (1 << rem) - 1;
  }
}

/**
 * A guest's xenctl_bitmap as the engine sees it: `bitmap` is the caller's buffer (null = a
 * NULL handle); `written` is what Xen wrote into it, if anything.
 */
export interface XenctlBitmap {
  bitmap: Uint8Array | null;
  nr_bits: number;
  written: Uint8Array | null;
}

/** xenctl_bitmap_to_bitmap: Xen reads min(guest, Xen) bytes; nr_bits 0 gives an empty mask. */
export function xenctlBitmapToBitmap(x: XenctlBitmap, nbits: number): Bitmap | number {
  const guestBytes = Math.ceil(x.nr_bits / 8);
  const copyBytes = Math.min(guestBytes, (nbits + 7) >> 3);
  if (copyBytes === 0) return new Bitmap(nbits);
  if (x.bitmap === null || x.bitmap.length < copyBytes) return neg('EFAULT');
  const buf = x.bitmap.slice(0, copyBytes);
  // Guest bits above nr_bits are cleared when the guest map is not longer than Xen's.
  if ((x.nr_bits & 7) !== 0 && guestBytes === copyBytes) buf[guestBytes - 1]! &= ~(0xff << (x.nr_bits & 7));
  return Bitmap.fromBytes(nbits, buf);
}

/**
 * bitmap_to_xenctl_bitmap: writes min(guest, Xen) bytes and zero-fills the rest of the guest
 * buffer. 4.21+ quirk (derived in the reference, section 1.7): with a guest buffer shorter than
 * Xen's, the last byte written is Xen's final byte rather than byte guest_bytes-1.
 * Records the guest buffer as written in x.written; returns 0, or -EFAULT for a NULL handle.
 */
export function bitmapToXenctlBitmap(m: Bitmap, x: XenctlBitmap): number {
  const guestBytes = Math.ceil(x.nr_bits / 8);
  const src = m.toBytes();
  const copyBytes = Math.min(guestBytes, src.length);
  if (guestBytes === 0) return 0;
  if (x.bitmap === null) return neg('EFAULT');
  const out = new Uint8Array(guestBytes);
  out.set(src.subarray(0, copyBytes));
  if (copyBytes < src.length && copyBytes > 0) out[copyBytes - 1] = src[src.length - 1]!;
  x.written = out;
  return 0;
}

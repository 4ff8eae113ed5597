// Guest handles and xenctl_bitmaps between the wire and the engine.
import type { XenctlBitmap } from '../hypervisor/bitmap.js';
import { GuestHandle } from '../hypervisor/guest_handle.js';
import type { xen_vmemrange } from '../hypervisor/vnuma.js';
import type { xen_vmemrange__Output } from '../proto/generated/xen/xen_vmemrange.js';
import { str64, u64 } from './codec.js';
import type { xenctl_bitmap__Output } from '../proto/generated/xen/xenctl_bitmap.js';
import type { xenctl_bitmap } from '../proto/generated/xen/xenctl_bitmap.js';

/** An OUT-only buffer: Xen never reads it, so only its presence (non-NULL) matters. */
export function outOnly<T>(h: object | null | undefined): GuestHandle<T> {
  return h === null || h === undefined ? GuestHandle.null<T>() : new GuestHandle<T>([]);
}

/** An IN buffer: absent is a NULL handle, else its elements converted (conv also gets the index,
 *  for error messages). */
export function handleIn<W, T>(h: { buf: W[] } | null | undefined, conv: (w: W, i: number) => T): GuestHandle<T> {
  return h === null || h === undefined ? GuestHandle.null<T>() : new GuestHandle<T>(h.buf.map(conv));
}

/** The reply side: only a buffer Xen wrote appears. */
export function handleOut<T, W>(h: GuestHandle<T>, conv: (t: T) => W): { buf: W[] } | null {
  return h.written === null ? null : { buf: h.written.map(conv) };
}

export function bitmapIn(b: xenctl_bitmap__Output | null | undefined): XenctlBitmap {
  return {
    bitmap: b?.bitmap ? new Uint8Array(b.bitmap.buf) : null,
    nr_bits: b?.nr_bits ?? 0,
    written: null,
  };
}

export function bitmapOut(b: XenctlBitmap): xenctl_bitmap {
  return { nr_bits: b.nr_bits, bitmap: b.written === null ? null : { buf: Buffer.from(b.written) } };
}

/** struct xen_vmemrange between the wire and the engine (addresses are u64 bytes). */
export function vmemrangeIn(r: xen_vmemrange__Output, i: number): xen_vmemrange {
  return { start: u64(r.start, `vmemrange[${i}].start`), end: u64(r.end, `vmemrange[${i}].end`), flags: r.flags, nid: r.nid };
}

export function vmemrangeOut(r: xen_vmemrange): { start: string | number; end: string | number; flags: number; nid: number } {
  return { start: str64(r.start), end: str64(r.end), flags: r.flags, nid: r.nid };
}

// The part of struct xc_dom_image (tools/include/xenguest.h) that meminit_hvm and
// alloc_magic_pages_hvm read and write (tools/libs/guest/xg_dom_x86.c).
import type { xc_interface } from '../libxc/xc_private.js';
import type { xen_vmemrange_t } from '../libxc/xc_vnuma.js';

/**
 * struct xc_dom_image, HVM memory fields. Page counts are pages of 4 KiB; layout fields are bytes.
 * Byte fields are numbers, not bigints: a guest of 16 TiB (the largest host we model, preset
 * '64node') ends at 2^44 bytes, far below 2^53, so every address and size is exact in a double.
 * vmemranges keep xen_vmemrange_t's bigint bytes, as libxc hands them to Xen.
 */
export interface xc_dom_image {
  xch: xc_interface;
  guest_domid: number;
  /** Pages of RAM (xc_dom_mem_init: mem_mb << 8). */
  total_pages: number;
  /** PoD target in pages; total_pages > target_pages asks for populate-on-demand. */
  target_pages: number;
  /** Guest-physical layout, bytes: RAM below the MMIO hole ends at lowmem_end, above 4 GiB at highmem_end. */
  lowmem_end: number;
  highmem_end: number;
  mmio_start: number;
  mmio_size: number;
  /** Pages (0x20 with a device model); used only in the claim and PoD arithmetic. */
  vga_hole_size: number;
  /** A device model runs for the guest: the VGA hole is skipped and ioreq pages are added. */
  device_model: boolean;
  /** Claim target_pages - vga_hole_size before populating. */
  claim_enabled: boolean;
  /** Base XENMEMF_* flags of every populate (4.22, a7627801). */
  memflags: number;
  /** vNUMA ranges (nr_vmemranges = length); empty means one dummy vnode. */
  vmemranges: xen_vmemrange_t[];
  /** vnode -> pnode (nr_vnodes = length); XC_NUMA_NO_NODE means any node. */
  vnode_to_pnode: number[];
  /** OUT: one past the highest GFN of the ranges. */
  p2m_size: number;
  /** OUT: extents populated by meminit_hvm, of 1 GiB, 2 MiB and 4 KiB. */
  stat_1gb_pages: number;
  stat_2mb_pages: number;
  stat_normal_pages: number;
  /** Called after each populate with the pages placed so far (VGA hole included) and total_pages. */
  progress?: (done_pages: number, total_pages: number) => void;
  /** DOMPRINTF / DPRINTF lines; without it they are dropped. */
  log?: (line: string) => void;
}

/** An image with Xen's defaults for the fields a caller does not name (xc_dom_allocate zeroes them). */
export function xc_dom_image_init(
  xch: xc_interface,
  guest_domid: number,
  fields: Partial<Omit<xc_dom_image, 'xch' | 'guest_domid'>> & Pick<xc_dom_image, 'total_pages'>,
): xc_dom_image {
  return {
    xch,
    guest_domid,
    target_pages: fields.total_pages,
    lowmem_end: 0,
    highmem_end: 0,
    mmio_start: 0,
    mmio_size: 0,
    vga_hole_size: 0,
    device_model: false,
    claim_enabled: false,
    memflags: 0,
    vmemranges: [],
    vnode_to_pnode: [],
    p2m_size: 0,
    stat_1gb_pages: 0,
    stat_2mb_pages: 0,
    stat_normal_pages: 0,
    ...fields,
  };
}

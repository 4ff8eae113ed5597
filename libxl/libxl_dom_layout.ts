// The HVM memory layout libxl hands to libxenguest (tools/libs/light/libxl_dom.c:
// libxl__build_hvm, set_vnuma_info, libxl__build_dom's xc_dom_mem_init call). Pure: the
// fields of struct xc_dom_image are computed here and the hypercall is left to the caller,
// except libxl__set_vnuma_info which makes it.
import { xc_domain_setvnuma, type xen_vmemrange_t } from '../libxc/xenctrl.js';
import { HVM_BELOW_4G_MMIO_LENGTH as E820_MMIO_LENGTH, HVM_BELOW_4G_MMIO_START as E820_MMIO_START } from '../proto/public/hvm_e820.js';
import { X86_HVM_END_SPECIAL_REGION as XG_END_SPECIAL_REGION, X86_HVM_NR_SPECIAL_PAGES as XG_NR_SPECIAL_PAGES } from '../xenguest/alloc_magic_pages_hvm.js';
import { LibxlError } from './libxl_error.js';
import type { libxl_ctx } from './libxl.js';
import { libxl_bitmap_test } from './libxl_utils.js';
import { libxl__vnuma_build_vmemrange_hvm, libxl__vnuma_config_check_ctx, type LibxlVnumaLog, type libxl_vnuma_build_info } from './libxl_vnuma.js';

/** public/hvm/e820.h (proto/public/hvm_e820.ts), as the bigints this file computes in. */
export const HVM_BELOW_4G_MMIO_START = BigInt(E820_MMIO_START);
export const HVM_BELOW_4G_MMIO_LENGTH = BigInt(E820_MMIO_LENGTH);
/** libxl_internal.h: LIBXL_VGA_HOLE_SIZE, in pages (0xA0000-0xC0000). */
export const LIBXL_VGA_HOLE_SIZE = 0x20;
/** xenguest.h: X86_HVM_NR_SPECIAL_PAGES, X86_HVM_END_SPECIAL_REGION (a PFN), as bigints. */
export const X86_HVM_NR_SPECIAL_PAGES = BigInt(XG_NR_SPECIAL_PAGES);
export const X86_HVM_END_SPECIAL_REGION = BigInt(XG_END_SPECIAL_REGION);
/** libxl_arch.h: LAPIC_BASE_ADDRESS, ACPI_INFO_PHYSICAL_ADDRESS. */
export const LAPIC_BASE_ADDRESS = 0xfee00000n;
export const ACPI_INFO_PHYSICAL_ADDRESS = 0xfc000000n;

const XC_PAGE_SHIFT = 12n;
const GB4 = 1n << 32n;
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** The libxl_domain_build_info fields libxl__build_hvm reads for the layout (KiB). */
export interface libxl_hvm_layout_info {
  max_memkb: number;
  target_memkb: number;
  video_memkb: number;
  /** u.hvm.mmio_hole_memkb; 0 = unset. */
  mmio_hole_memkb: number;
  /** type == LIBXL_DOMAIN_TYPE_HVM (true) or PVH (false). */
  device_model: boolean;
  max_vcpus: number;
}

/** The struct xc_dom_image fields libxl__build_hvm and xc_dom_mem_init set (bytes unless _pages). */
export interface xc_dom_hvm_layout {
  mem_size: bigint;
  target_pages: bigint;
  mmio_size: bigint;
  mmio_start: bigint;
  lowmem_end: bigint;
  highmem_end: bigint;
  /** Pages (dom->vga_hole_size). */
  vga_hole_size: number;
  device_model: boolean;
  max_vcpus: number;
  /** xc_dom_mem_init(dom, mem_kb / 1024): whole MiB, << 8. */
  total_pages: bigint;
}

/** PVH without a device model: the hole covers the special pages, the LAPIC and the ACPI info. */
function pvh_mmio_size(): bigint {
  let start = (X86_HVM_END_SPECIAL_REGION - X86_HVM_NR_SPECIAL_PAGES) << XC_PAGE_SHIFT;
  if (LAPIC_BASE_ADDRESS < start) start = LAPIC_BASE_ADDRESS;
  if (ACPI_INFO_PHYSICAL_ADDRESS < start) start = ACPI_INFO_PHYSICAL_ADDRESS;
  return GB4 - start;
}

/**
 * Port of libxl__build_hvm's layout steps (before RDM, which may shrink lowmem and is not
 * modelled) and of xc_dom_mem_init's total_pages for mem_kb = max_memkb - video_memkb.
 */
export function libxl__build_hvm_layout(info: libxl_hvm_layout_info): xc_dom_hvm_layout {
  const mem_size = u64(BigInt(info.max_memkb) - BigInt(info.video_memkb)) << 10n;
  let target_pages = u64(BigInt(info.target_memkb) - BigInt(info.video_memkb)) >> 2n;
  let mmio_size = 0n;
  if (info.mmio_hole_memkb) {
    const hole = BigInt(info.mmio_hole_memkb) << 10n;
    const max_ram_below_4g = u64(GB4 - hole);
    if (max_ram_below_4g < HVM_BELOW_4G_MMIO_START) mmio_size = hole;
  }
  if (target_pages === 0n) target_pages = mem_size >> XC_PAGE_SHIFT;
  if (mmio_size === 0n) mmio_size = info.device_model ? HVM_BELOW_4G_MMIO_LENGTH : pvh_mmio_size();

  let lowmem_end = mem_size;
  let highmem_end = 0n;
  const mmio_start = GB4 - mmio_size;
  if (lowmem_end > mmio_start) {
    highmem_end = GB4 + (lowmem_end - mmio_start);
    lowmem_end = mmio_start;
  }
  const mem_mb = u64(BigInt(info.max_memkb) - BigInt(info.video_memkb)) / 1024n;
  return {
    mem_size, target_pages, mmio_size, mmio_start, lowmem_end, highmem_end,
    vga_hole_size: info.device_model ? LIBXL_VGA_HOLE_SIZE : 0,
    device_model: info.device_model,
    max_vcpus: info.max_vcpus,
    // xc_dom_mem_init takes an unsigned int mem_mb and shifts it in 32 bits: 16 TiB wraps to 0.
    total_pages: BigInt.asUintN(32, BigInt.asUintN(32, mem_mb) << (20n - XC_PAGE_SHIFT)),
  };
}

/** The arguments of xc_domain_setvnuma, as set_vnuma_info builds them. */
export interface xc_setvnuma_args {
  nr_vnodes: number;
  nr_vmemranges: number;
  nr_vcpus: number;
  vmemrange: xen_vmemrange_t[];
  vdistance: number[];
  vcpu_to_vnode: number[];
  vnode_to_pnode: number[];
}

/**
 * Port of set_vnuma_info's array building: vcpu_to_vnode from each vnode's vCPU bitmap (calloc'd,
 * so an unassigned vCPU reads 0; a bit at or past max_vcpus, which C would write out of bounds,
 * is dropped), vnode_to_pnode, and distances row-major (C asserts each row has num_vnodes entries).
 */
export function libxl__vnuma_setvnuma_args(info: libxl_vnuma_build_info, vmemranges: readonly xen_vmemrange_t[]): xc_setvnuma_args {
  const n = info.vnuma_nodes.length;
  const vcpu_to_vnode = new Array<number>(info.max_vcpus).fill(0);
  const vdistance: number[] = [];
  info.vnuma_nodes.forEach((v, i) => {
    for (let j = 0; j < Math.min(v.vcpus.size * 8, info.max_vcpus); j++) if (libxl_bitmap_test(v.vcpus, j)) vcpu_to_vnode[j] = i;
    if (v.distances.length !== n) throw new LibxlError('ERROR_INVAL', `vnode ${i} has ${v.distances.length} distances, not ${n} (set_vnuma_info asserts)`);
    vdistance.push(...v.distances);
  });
  return {
    nr_vnodes: n,
    nr_vmemranges: vmemranges.length,
    nr_vcpus: info.max_vcpus,
    vmemrange: vmemranges.map((r) => ({ ...r })),
    vdistance,
    vcpu_to_vnode,
    vnode_to_pnode: info.vnuma_nodes.map((v) => v.pnode),
  };
}

/** Port of set_vnuma_info: a libxc failure is logged and becomes ERROR_FAIL. */
export async function libxl__set_vnuma_info(ctx: libxl_ctx, domid: number, info: libxl_vnuma_build_info, vmemranges: readonly xen_vmemrange_t[], log: LibxlVnumaLog = () => {}): Promise<void> {
  const a = libxl__vnuma_setvnuma_args(info, vmemranges);
  try {
    await xc_domain_setvnuma(ctx.xch, domid, a.nr_vnodes, a.nr_vmemranges, a.nr_vcpus, a.vmemrange, a.vdistance, a.vcpu_to_vnode, a.vnode_to_pnode);
  } catch (e) {
    log('error', 'xc_domain_setvnuma failed');
    throw new LibxlError('ERROR_FAIL', 'xc_domain_setvnuma failed', { cause: e });
  }
}

/** What libxl__build_hvm copies into struct xc_dom_image after the vNUMA steps. */
export interface xc_dom_vnuma {
  vmemranges: xen_vmemrange_t[];
  nr_vnodes: number;
  vnode_to_pnode: number[];
}

/**
 * Port of libxl__build_hvm's vNUMA block: build the vmemranges ("hvm build vmemranges failed"
 * on error), libxl__vnuma_config_check against the live host, set_vnuma_info, then the
 * sorted ranges and vnode_to_pnode for libxenguest.
 */
export async function libxl__build_hvm_vnuma(ctx: libxl_ctx, domid: number, info: libxl_vnuma_build_info, dom: xc_dom_hvm_layout, log: LibxlVnumaLog = () => {}): Promise<xc_dom_vnuma> {
  let vmemranges: xen_vmemrange_t[];
  try {
    vmemranges = libxl__vnuma_build_vmemrange_hvm(info, dom, log);
  } catch (e) {
    log('error', 'hvm build vmemranges failed');
    throw e;
  }
  await libxl__vnuma_config_check_ctx(ctx, info, vmemranges, log);
  await libxl__set_vnuma_info(ctx, domid, info, vmemranges, log);
  return { vmemranges: vmemranges.map((r) => ({ ...r })), nr_vnodes: info.vnuma_nodes.length, vnode_to_pnode: info.vnuma_nodes.map((v) => v.pnode) };
}

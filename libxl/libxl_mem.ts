// Memory of domains in libxl (tools/libs/light/libxl_mem.c; the constants and
// libxl__get_targetmem_fudge of libxl_internal.h). libxl_get_free_memory lives in libxl.ts
// with the other host queries.
import { XBT_NULL } from '../libxenstore/xs.js';
import { xc_domain_setmaxmem } from '../libxc/xenctrl.js';
import { LibxlError } from './libxl_error.js';
import type { libxl_ctx } from './libxl.js';
import { LIBXL_DOMAIN_TYPE, LIBXL_MEMKB_DEFAULT, type libxl_domain_type } from './libxl_types.js';
import { libxl__xs_get_dompath, libxl__xs_read, libxl__xs_write_checked } from './libxl_xshelp.js';

/** LIBXL_MAXMEM_CONSTANT (libxl_internal.h): the slack libxl__arch_extra_memory adds on x86, KiB. */
export const LIBXL_MAXMEM_CONSTANT = 1024;
/** LIBXL_PV_EXTRA_MEMORY, LIBXL_HVM_EXTRA_MEMORY (libxl_internal.h), KiB. */
export const LIBXL_PV_EXTRA_MEMORY = 1024;
export const LIBXL_HVM_EXTRA_MEMORY = 2048;

/** The build-info fields the memory accounting reads (KiB). */
export interface libxl_mem_build_info {
  type: libxl_domain_type;
  max_memkb: number;
  target_memkb: number;
  video_memkb: number;
  shadow_memkb: number;
  iommu_memkb: number;
}

/**
 * Port of libxl__domain_need_memory_calculate: target + shadow + iommu, plus
 * LIBXL_HVM_EXTRA_MEMORY (HVM, PVH) or LIBXL_PV_EXTRA_MEMORY (PV), rounded up to 2 MiB.
 * Stub device-model domains (which would add stubdomain_memkb and video_memkb) are not
 * built by xenemu. Expects setdefault'ed values; an unknown type is ERROR_INVAL.
 */
export function libxl__domain_need_memory_calculate(b_info: libxl_mem_build_info): number {
  let need = b_info.target_memkb + b_info.shadow_memkb + b_info.iommu_memkb;
  switch (b_info.type) {
    case LIBXL_DOMAIN_TYPE.PVH:
    case LIBXL_DOMAIN_TYPE.HVM:
      need += LIBXL_HVM_EXTRA_MEMORY;
      break;
    case LIBXL_DOMAIN_TYPE.PV:
      need += LIBXL_PV_EXTRA_MEMORY;
      break;
    default:
      throw new LibxlError('ERROR_INVAL', 'invalid domain type');
  }
  if (need % 2048) need += 2048 - (need % 2048);
  return need;
}

/**
 * Port of libxl__get_targetmem_fudge: 1024 KiB for an HVM guest with max > target (PoD), plus
 * the video RAM when it is set. xenstore's memory/target is target_memkb minus this.
 */
export function libxl__get_targetmem_fudge(b_info: libxl_mem_build_info): number {
  let fudge = b_info.type === LIBXL_DOMAIN_TYPE.HVM && b_info.max_memkb > b_info.target_memkb ? LIBXL_MAXMEM_CONSTANT : 0;
  if (b_info.video_memkb !== LIBXL_MEMKB_DEFAULT) fudge += b_info.video_memkb;
  return fudge;
}

/** strtoull(s, &end, 10) with *end required to be '\0', as libxl reads memory/target. */
function parseMemkb(s: string): bigint | null {
  const m = /^\s*([+-]?)(\d*)$/.exec(s);
  if (m === null) return null;
  const digits = m[2]!;
  let v = digits === '' ? 0n : BigInt(digits);
  if (v > 0xffffffffffffffffn) v = 0xffffffffffffffffn; // ERANGE saturates
  return m[1] === '-' ? BigInt.asUintN(64, -v) : v;
}

/**
 * Port of libxl_domain_setmaxmem: refuses a maximum below memory/target ("memory_static_max
 * must be greater than or or equal to memory_dynamic_max", rc 1 as C returns it), sets Xen's
 * maximum to max_memkb + LIBXL_MAXMEM_CONSTANT and writes memory/static-max.
 *
 * xenemu deviation: a domain with no memory/target node (made by raw domctls, not by
 * libxl_domain_create_new) skips the check and the static-max write instead of failing with
 * "Cannot get memory info"; libxl's domain-configuration lookup (only used for the x86
 * constant) is not ported.
 */
export async function libxl_domain_setmaxmem(ctx: libxl_ctx, domid: number, max_memkb: number | bigint): Promise<void> {
  const maxkb = BigInt.asUintN(64, BigInt(max_memkb)); // uint64_t, as in C
  const dompath = await libxl__xs_get_dompath(ctx, domid);
  const mem = await libxl__xs_read(ctx, XBT_NULL, `${dompath}/memory/target`);
  if (mem !== null) {
    const memorykb = parseMemkb(mem);
    if (memorykb === null) throw new LibxlError('ERROR_NONSPECIFIC', `Domain ${domid}:Invalid memory ${mem} from ${dompath}/memory/target\n`);
    if (maxkb < memorykb) throw Object.assign(new LibxlError('ERROR_NONSPECIFIC', `Domain ${domid}:memory_static_max must be greater than or or equal to memory_dynamic_max`), { rc: 1 });
  }
  const memkb = BigInt.asUintN(64, maxkb + BigInt(LIBXL_MAXMEM_CONSTANT));
  try {
    await xc_domain_setmaxmem(ctx.xch, domid, memkb);
  } catch (e) {
    // C returns xc_domain_setmaxmem's -1, which reads as ERROR_NONSPECIFIC.
    throw new LibxlError('ERROR_NONSPECIFIC', `Domain ${domid}:xc_domain_setmaxmem domid=${domid} memkb=${memkb} failed rc=-1`, { cause: e });
  }
  if (mem !== null) await libxl__xs_write_checked(ctx, XBT_NULL, `${dompath}/memory/static-max`, maxkb.toString());
}

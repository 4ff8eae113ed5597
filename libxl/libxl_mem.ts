// Memory of domains in libxl (tools/libs/light/libxl_mem.c). libxl_get_free_memory lives in
// libxl.ts with the other host queries.
import { xc_domain_setmaxmem } from '../libxc/xenctrl.js';
import { LibxlError } from './libxl_error.js';
import type { libxl_ctx } from './libxl.js';

/** LIBXL_MAXMEM_CONSTANT (libxl_internal.h): the slack libxl__arch_extra_memory adds on x86, KiB. */
export const LIBXL_MAXMEM_CONSTANT = 1024;

/**
 * Port of libxl_domain_setmaxmem: Xen's maximum becomes max_memkb + LIBXL_MAXMEM_CONSTANT.
 *
 * Gap until xenstored exists: libxl first reads memory/target and refuses a max_memkb below it
 * ("memory_static_max must be greater than or or equal to memory_dynamic_max"), retrieves the
 * stored domain configuration, and afterwards writes memory/static-max. With no xenstore those
 * steps are skipped and only the hypervisor's limit is set.
 */
export async function libxl_domain_setmaxmem(ctx: libxl_ctx, domid: number, max_memkb: number | bigint): Promise<void> {
  const memkb = BigInt.asUintN(64, BigInt(max_memkb) + BigInt(LIBXL_MAXMEM_CONSTANT)); // uint64_t, as in C
  try {
    await xc_domain_setmaxmem(ctx.xch, domid, memkb);
  } catch (e) {
    // C returns xc_domain_setmaxmem's -1, which reads as ERROR_NONSPECIFIC.
    throw new LibxlError('ERROR_NONSPECIFIC', `Domain ${domid}:xc_domain_setmaxmem domid=${domid} memkb=${memkb} failed rc=-1`, { cause: e });
  }
}

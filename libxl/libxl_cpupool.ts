// Cpupools in libxl (tools/libs/light/libxl_cpupool.c) and libxl__domain_cpupool (libxl_dom.c).
import { isXenError, xc_cpupool_getinfo, xc_domain_getinfo_single } from '../libxc/xenctrl.js';
import { XBT_NULL } from '../libxenstore/xs.js';
import { LibxlError } from './libxl_error.js';
import type { libxl_ctx } from './libxl.js';
import { libxl_cpu_bitmap_alloc, type libxl_bitmap } from './libxl_utils.js';
import { libxl__xs_read } from './libxl_xshelp.js';

/** libxl_cpupoolinfo (libxl_types.idl); `sched` is the XEN_SCHEDULER_* id (libxl_scheduler). */
export interface libxl_cpupoolinfo {
  poolid: number;
  pool_name: string;
  sched: number;
  n_dom: number;
  cpumap: libxl_bitmap;
}

/** Port of libxl_cpupoolid_to_name (libxl_utils.c): xenstore's /local/pool/<id>/name, with
 *  "Pool-0" for pool 0 when the node cannot be read; NULL for any other pool without one. */
export async function libxl_cpupoolid_to_name(ctx: libxl_ctx, poolid: number): Promise<string | null> {
  const s = await libxl__xs_read(ctx, XBT_NULL, `/local/pool/${poolid | 0}/name`); // any xs_read failure is NULL
  return s === null && poolid === 0 ? 'Pool-0' : s;
}

/** Port of cpupool_info (exact): ERROR_FAIL with libxl's log text when the pool is not there. */
export async function libxl_cpupool_info(ctx: libxl_ctx, poolid: number): Promise<libxl_cpupoolinfo> {
  let xcinfo;
  try {
    xcinfo = await xc_cpupool_getinfo(ctx.xch, poolid);
  } catch (e) {
    throw new LibxlError('ERROR_FAIL', `failed to get info for cpupool${poolid}`, { cause: e });
  }
  if (xcinfo.cpupool_id !== poolid) throw new LibxlError('ERROR_FAIL', `got info for cpupool${xcinfo.cpupool_id}, wanted cpupool${poolid}`);
  const pool_name = await libxl_cpupoolid_to_name(ctx, xcinfo.cpupool_id);
  if (pool_name === null) throw new LibxlError('ERROR_FAIL', `no name for cpupool${xcinfo.cpupool_id}`);
  const cpumap = await libxl_cpu_bitmap_alloc(ctx);
  cpumap.map.set(xcinfo.cpumap.subarray(0, cpumap.size)); // memcpy of cpumap.size bytes
  return { poolid: xcinfo.cpupool_id, pool_name, sched: xcinfo.sched_id, n_dom: xcinfo.n_dom, cpumap };
}

/** Port of libxl__domain_cpupool: the domain's pool id; ERROR_FAIL "get domaininfo failed". */
export async function libxl__domain_cpupool(ctx: libxl_ctx, domid: number): Promise<number> {
  try {
    return (await xc_domain_getinfo_single(ctx.xch, domid)).cpupool;
  } catch (e) {
    const why = isXenError(e) ? `: ${e.code}` : '';
    throw new LibxlError('ERROR_FAIL', `Domain ${domid}:get domaininfo failed${why}`, { cause: e });
  }
}

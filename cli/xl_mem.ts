// `xl mem-max` (tools/xl/xl_mem.c: main_memmax, set_memory_max).
import type { libxl_ctx } from '../libxl/libxl.js';
import { LibxlError } from '../libxl/libxl_error.js';
import { libxl_domain_setmaxmem } from '../libxl/libxl_mem.js';
import type { Out } from './xl_info.js';
import { parse_mem_size_kb } from './xl_parse.js';
import { find_domain } from './xl_utils.js';

/** Port of set_memory_max: libxl's own error line, then xl's. */
async function set_memory_max(ctx: libxl_ctx, domid: number, mem: string, out: Out): Promise<number> {
  const memorykb = parse_mem_size_kb(mem);
  if (memorykb === -1n) {
    out.stderr(`invalid memory size: ${mem}\n`);
    return 1;
  }
  try {
    await libxl_domain_setmaxmem(ctx, domid, BigInt.asUintN(64, memorykb)); // int64_t into uint64_t
  } catch (e) {
    if (!(e instanceof LibxlError)) throw e;
    out.stderr(`libxl: error: ${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}\n`);
    out.stderr(`cannot set domid ${domid} static max memory to : ${mem}\n`);
    return 1;
  }
  return 0;
}

/** Port of main_memmax. */
export async function main_memmax(ctx: libxl_ctx, domain: string, mem: string, out: Out): Promise<number> {
  return set_memory_max(ctx, await find_domain(ctx, domain), mem, out);
}

// `xl dmesg [-c]` (tools/xl/xl_info.c: main_dmesg) and `xl debug-keys` (xl_misc.c).
import type { libxl_ctx } from '../libxl/libxl.js';
import { libxl_send_debug_keys, libxl_xen_console_read_line, libxl_xen_console_read_start } from '../libxl/libxl_console.js';
import { LibxlError } from '../libxl/libxl_error.js';
import type { Out } from './xl_info.js';

/** Bound on chunks read by one dmesg: the ring is 16 KiB and each chunk up to 16 KiB. */
const MAX_DMESG_CHUNKS = 64;

export async function main_dmesg(ctx: libxl_ctx, clear: boolean, out: Out): Promise<number> {
  const cr = libxl_xen_console_read_start(ctx, clear);
  for (let i = 0; i < MAX_DMESG_CHUNKS; i++) {
    const line = await libxl_xen_console_read_line(ctx, cr);
    if (line === null) break;
    out.stdout(line);
  }
  return 0;
}

export async function main_debug_keys(ctx: libxl_ctx, keys: string, out: Out): Promise<number> {
  try {
    await libxl_send_debug_keys(ctx, keys);
  } catch (e) {
    if (!(e instanceof LibxlError)) throw e;
    out.stderr(`cannot send debug keys: ${keys}\n`);
    return 1;
  }
  return 0;
}

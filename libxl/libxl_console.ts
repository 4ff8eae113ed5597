// The Xen console and debug keys in libxl (tools/libs/light/libxl_console.c, libxl.c).
import { xc_readconsolering, xc_send_debug_keys } from '../libxc/xenctrl.js';
import { xcOrFail } from './libxl_error.js';
import type { libxl_ctx } from './libxl.js';

/** libxl_xen_console_reader: a 16 KiB + 1 buffer read incrementally. */
export interface libxl_xen_console_reader {
  size: number;
  clear: boolean;
  index: number;
}

export function libxl_xen_console_read_start(_ctx: libxl_ctx, clear: boolean): libxl_xen_console_reader {
  return { size: 16385, clear, index: 0 };
}

/** Port of libxl_xen_console_read_line: the next chunk (size - 1 bytes at most), or null at the end. */
export async function libxl_xen_console_read_line(ctx: libxl_ctx, cr: libxl_xen_console_reader): Promise<string | null> {
  const r = await xcOrFail('reading console ring buffer', xc_readconsolering(ctx.xch, cr.size - 1, cr.clear, true, cr.index));
  cr.index = r.index;
  return r.data.length === 0 ? null : r.data.toString('latin1');
}

export async function libxl_send_debug_keys(ctx: libxl_ctx, keys: string): Promise<void> {
  await xcOrFail('sending debug keys', xc_send_debug_keys(ctx.xch, keys));
}

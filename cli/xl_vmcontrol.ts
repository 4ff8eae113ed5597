// `xl pause`, `xl unpause`, `xl destroy` (tools/xl/xl_vmcontrol.c).
import type { libxl_ctx } from '../libxl/libxl.js';
import { libxl_domain_destroy, libxl_domain_pause, libxl_domain_unpause } from '../libxl/libxl_domain.js';
import { LibxlError } from '../libxl/libxl_error.js';
import type { Out } from './xl_info.js';
import { find_domain } from './xl_utils.js';

export async function main_pause(ctx: libxl_ctx, domain: string): Promise<number> {
  await libxl_domain_pause(ctx, await find_domain(ctx, domain));
  return 0;
}

export async function main_unpause(ctx: libxl_ctx, domain: string): Promise<number> {
  await libxl_domain_unpause(ctx, await find_domain(ctx, domain));
  return 0;
}

/** Port of destroy_domain: domain 0 needs -f; a failure prints "destroy failed (rc=N)". */
export async function main_destroy(ctx: libxl_ctx, domain: string, force: boolean, out: Out): Promise<number> {
  const domid = await find_domain(ctx, domain);
  if (domid === 0 && !force) {
    out.stderr('Not destroying domain 0; use -f to force.\nThis can only be done when using a disaggregated hardware domain and toolstack.\n\n');
    return 1;
  }
  try {
    await libxl_domain_destroy(ctx, domid);
  } catch (e) {
    out.stderr(`destroy failed (rc=${e instanceof LibxlError ? e.rc : -3})\n`);
    return 1;
  }
  return 0;
}

// libxl_cpupoolid_to_name reads xenstore's /local/pool/<id>/name, falling back to "Pool-0" for
// pool 0 only (libxl_utils.c), and libxl_cpupool_info carries that name.
import { describe, expect, it } from 'vitest';
import { libxl_cpupool_info, libxl_cpupoolid_to_name } from '../libxl/libxl_cpupool.js';
import { XBT_NULL, xs_close, xs_open, xs_rm, xs_write } from '../libxenstore/xs.js';
import { useHost } from './harness.js';

const h = useHost('4node');

describe('cpupool names come from xenstore', () => {
  it('the boot skeleton names pool 0 Pool-0; a renamed node is what libxl reports', async () => {
    expect(await libxl_cpupoolid_to_name(h.ctx, 0)).toBe('Pool-0');
    await xs_write(h.ctx.xsh, XBT_NULL, '/local/pool/0/name', 'Pool-renamed');
    expect((await libxl_cpupool_info(h.ctx, 0)).pool_name).toBe('Pool-renamed');
  });

  it('without the node, pool 0 is still Pool-0 and any other pool has no name', async () => {
    await xs_rm(h.ctx.xsh, XBT_NULL, '/local/pool/0/name');
    expect(await libxl_cpupoolid_to_name(h.ctx, 0)).toBe('Pool-0');
    expect(await libxl_cpupoolid_to_name(h.ctx, 1)).toBeNull();
    await xs_write(h.ctx.xsh, XBT_NULL, '/local/pool/1/name', 'Pool-1');
    expect(await libxl_cpupoolid_to_name(h.ctx, 1)).toBe('Pool-1');
  });

  it('a read that fails otherwise (here: a closed xenstore handle) is NULL too, as xs_read answers', async () => {
    const xsh = await xs_open(h.address);
    xs_close(xsh);
    const ctx = { ...h.ctx, xsh };
    expect(await libxl_cpupoolid_to_name(ctx, 0)).toBe('Pool-0');
    expect(await libxl_cpupoolid_to_name(ctx, 1)).toBeNull();
  });
});

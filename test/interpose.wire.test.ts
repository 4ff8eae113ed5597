// The interpose hooks of xc_interface_open, xs_open and libxl_ctx_alloc: every call of the
// handle goes through the wrapped client (what the boot storm's scheduler relies on).
import { describe, expect, it } from 'vitest';
import { libxl_ctx_alloc, libxl_ctx_free, libxl_get_physinfo } from '../libxl/libxl.js';
import { xc_interface_close, xc_interface_open, xc_physinfo } from '../libxc/xenctrl.js';
import { XBT_NULL, xs_close, xs_open, xs_read } from '../libxenstore/xs.js';
import { useHost } from './harness.js';

const h = useHost('2node');

/** A Proxy counting the calls of `method`. */
function counting<C extends object>(method: string, seen: string[]): (c: C) => C {
  return (c) =>
    new Proxy(c, {
      get(target, prop) {
        const v = Reflect.get(target, prop) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]): unknown => {
          if (prop === method) seen.push(String(prop));
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
}

describe('interpose hooks', () => {
  it('libxc: each hypercall goes through the wrapped client', async () => {
    const seen: string[] = [];
    const xch = await xc_interface_open(h.address, { interpose: counting('sysctl', seen) });
    const p = await xc_physinfo(xch);
    expect(p.nr_nodes).toBe(2);
    expect(seen).toEqual(['sysctl']);
    xc_interface_close(xch);
  });

  it('libxenstore: each request goes through the wrapped client', async () => {
    const seen: string[] = [];
    const xsh = await xs_open(h.address, { interpose: counting('request', seen) });
    expect(await xs_read(xsh, XBT_NULL, '/local/domain/0/name')).toBe('Domain-0');
    expect(seen).toEqual(['request']);
    xs_close(xsh);
  });

  it('libxl: the ctx opens both handles with the given interposers', async () => {
    const xc: string[] = [];
    const xs: string[] = [];
    const ctx = await libxl_ctx_alloc({ address: h.address, interpose_xc: counting('sysctl', xc), interpose_xs: counting('request', xs) });
    await libxl_get_physinfo(ctx);
    expect(xc.length).toBeGreaterThanOrEqual(1);
    expect(xs).toEqual([]); // physinfo needs no xenstore
    expect(await xs_read(ctx.xsh, XBT_NULL, '/local/domain/0/name')).toBe('Domain-0');
    expect(xs).toEqual(['request']); // ctx.xsh goes through interpose_xs
    libxl_ctx_free(ctx);
  });
});

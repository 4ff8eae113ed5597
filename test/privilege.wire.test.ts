// The privilege ladder (xen/include/xsm/dummy.h: xsm_default_action) over the wire: requests
// made as another domain through the xen-caller-domid metadata.
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { isXenError, xc_domain_create, xc_domain_getinfo_single, xc_domain_getinfolist, xc_domain_pause, xc_interface_close, xc_interface_open, xc_physinfo } from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { useHost } from './harness.js';

const errnoOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (isXenError(e) ? e.code : String(e)));

describe('privilege ladder', () => {
  const h = useHost('2node');

  async function as<T>(caller: number, run: (xch: Awaited<ReturnType<typeof xc_interface_open>>) => Promise<T>): Promise<T> {
    const xch = await xc_interface_open(h.address, { caller });
    try {
      return await run(xch);
    } finally {
      xc_interface_close(xch);
    }
  }

  it('a guest gets -EPERM for sysctls, for domctls on others and on itself, and for missing domains', async () => {
    const guest = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 1 });
    await as(guest, async (g) => {
      expect(await errnoOf(xc_physinfo(g))).toBe('EPERM'); // every sysctl is XSM_PRIV
      expect(await errnoOf(xc_domain_getinfolist(g, 0, 10))).toBe('EPERM');
      expect(await errnoOf(xc_domain_getinfo_single(g, guest))).toBe('EPERM'); // XS_PRIV: not the target itself
      expect(await errnoOf(xc_domain_pause(g, 0))).toBe('EPERM');
      expect(await errnoOf(xc_domain_getinfo_single(g, 999))).toBe('EPERM'); // no probing for ids (4.22-rc3)
    });
    expect(await errnoOf(xc_domain_getinfo_single(h.xch, 999))).toBe('ESRCH'); // the control domain is told
  });

  it('a xenstore domain may read other domains\' info (XS_PRIV) but not make sysctls', async () => {
    const xs = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.xs_domain, max_vcpus: 1 });
    await as(xs, async (x) => {
      expect((await xc_domain_getinfo_single(x, 0)).domain).toBe(0);
      expect(await errnoOf(xc_physinfo(x))).toBe('EPERM');
    });
  });

  it('dom0 named explicitly is the control domain', async () => {
    await as(0, async (x) => expect((await xc_physinfo(x)).nr_nodes).toBe(2));
  });

  it('a caller claim naming no domain, or not a domid, is UNAUTHENTICATED', async () => {
    for (const claim of ['4242', 'dom0', '1,2']) {
      const md = new grpc.Metadata();
      md.set('xen-caller-domid', claim);
      const e = await new Promise<grpc.ServiceError>((resolve, reject) =>
        h.xch.client.sysctl({ cmd: 3, interface_version: 0x16 }, md, (err) => (err ? resolve(err) : reject(new Error('accepted')))),
      );
      expect(e.code).toBe(grpc.status.UNAUTHENTICATED);
    }
  });
});

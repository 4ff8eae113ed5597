// Domain lifecycle over the wire: createdomain, max_vcpus, getvcpuinfo, pause/unpause,
// destroydomain (xen/common/domctl.c: do_domctl; xen/common/domain.c: domain_create,
// sanitise_domain_config, domain_kill, _domain_pause_by_systemcontroller,
// domain_unpause_by_systemcontroller; xen/common/domid.c: domid_alloc).
import { describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import {
  isXenError,
  xc_domain_create,
  xc_domain_destroy,
  xc_domain_getinfo_single,
  xc_domain_max_vcpus,
  xc_domain_pause,
  xc_domain_unpause,
  xc_physinfo,
  xc_vcpu_getinfo,
  type xc_createdomain_config,
} from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF, XEN_DOMINF } from '../proto/public/domctl.js';
import { useHost } from './harness.js';

const HVM: xc_createdomain_config = { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 4, max_grant_frames: -1, max_maptrack_frames: -1 };
const errnoOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (isXenError(e) ? e.code : String(e)));

describe('createdomain (statements 4-10)', () => {
  const h = useHost('4node');

  it('a fresh domain is paused, has no pages and no vCPUs (statement 10)', async () => {
    const id = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    const info = await xc_domain_getinfo_single(h.xch, id);
    expect(info.flags & (XEN_DOMINF.paused | XEN_DOMINF.hvm_guest | XEN_DOMINF.hap)).toBe(XEN_DOMINF.paused | XEN_DOMINF.hvm_guest | XEN_DOMINF.hap);
    expect(info).toMatchObject({ tot_pages: 0, max_pages: 0, outstanding_pages: 0, nr_online_vcpus: 0, max_vcpu_id: 0xffffffff });
    await xc_domain_destroy(h.xch, id);
  });

  it('DOMID_ANY hands out ids after the last one and never repeats it (domid_alloc)', async () => {
    const a = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_destroy(h.xch, a);
    const b = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    expect(b).toBe(a + 1);
    await xc_domain_destroy(h.xch, b);
  });

  it('an explicit id is used exactly; a taken one, 0 while dom0 lives, or another reserved value is -EEXIST (statement 8)', async () => {
    expect(await xc_domain_create(h.xch, 4000, HVM)).toBe(4000);
    expect(await errnoOf(xc_domain_create(h.xch, 4000, HVM))).toBe('EEXIST');
    expect(await errnoOf(xc_domain_create(h.xch, 0, HVM))).toBe('EEXIST');
    expect(await errnoOf(xc_domain_create(h.xch, 0x7ff0, HVM))).toBe('EEXIST');
    await xc_domain_destroy(h.xch, 4000);
  });

  const invalid: [string, xc_createdomain_config][] = [
    ['max_vcpus 0 (statement 4)', { ...HVM, max_vcpus: 0 }],
    ['hap without hvm (statement 5)', { flags: XEN_DOMCTL_CDF.hap, max_vcpus: 1 }],
    ['a CDF bit above 0x100 (statement 6)', { ...HVM, flags: HVM.flags! | 0x200 }],
    ['an HVM guest with 129 vCPUs (statement 7)', { ...HVM, max_vcpus: 129 }],
    ['iommu_opts without the iommu flag', { ...HVM, iommu_opts: 1 }],
    ['unknown grant_opts bits', { ...HVM, grant_opts: 0x10 }],
    ['vpmu on a host without vPMU', { ...HVM, flags: HVM.flags! | XEN_DOMCTL_CDF.vpmu }],
  ];
  for (const [what, config] of invalid) {
    it(`refuses ${what} with -EINVAL and frees the id it took`, async () => {
      const before = (await xc_physinfo(h.xch)).free_pages;
      expect(await errnoOf(xc_domain_create(h.xch, 4100, config))).toBe('EINVAL');
      expect(await errnoOf(xc_domain_getinfo_single(h.xch, 4100))).toBe('ESRCH');
      expect(await xc_domain_create(h.xch, 4100, HVM)).toBe(4100); // the id was freed
      await xc_domain_destroy(h.xch, 4100);
      expect((await xc_physinfo(h.xch)).free_pages).toBe(before);
    });
  }

  it('a cpupool that does not exist is -ESRCH (cpupool_add_domain, statement 9)', async () => {
    expect(await errnoOf(xc_domain_create(h.xch, DOMID_ANY, { ...HVM, cpupool_id: 3 }))).toBe('ESRCH');
  });
});

describe('max_vcpus, getvcpuinfo, pause and destroy (statements 12, 32-34)', () => {
  const h = useHost('4node');

  it('max_vcpus must equal the creation value (statement 12); it creates offline vCPUs placed round-robin', async () => {
    const id = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    expect(await errnoOf(xc_domain_max_vcpus(h.xch, id, 3))).toBe('EINVAL');
    expect(await errnoOf(xc_vcpu_getinfo(h.xch, id, 0))).toBe('ENOENT');
    await xc_domain_max_vcpus(h.xch, id, 4);
    const vcpus = await Promise.all([0, 1, 2, 3].map((v) => xc_vcpu_getinfo(h.xch, id, v)));
    expect(vcpus.map((v) => [v.online, v.running, v.cpu])).toEqual([
      [0, 0, 0],
      [0, 0, 1],
      [0, 0, 2],
      [0, 0, 3],
    ]);
    expect(await errnoOf(xc_vcpu_getinfo(h.xch, id, 4))).toBe('ENOENT'); // statement 34
    const info = await xc_domain_getinfo_single(h.xch, id);
    expect([info.max_vcpu_id, info.nr_online_vcpus]).toEqual([3, 0]);
    await xc_domain_destroy(h.xch, id);
  });

  it('a new domain needs exactly one unpause; unpausing at 0 is -EINVAL (statement 33)', async () => {
    const id = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_unpause(h.xch, id);
    expect((await xc_domain_getinfo_single(h.xch, id)).flags & XEN_DOMINF.paused).toBe(0);
    expect(await errnoOf(xc_domain_unpause(h.xch, id))).toBe('EINVAL');
    await xc_domain_pause(h.xch, id);
    expect((await xc_domain_getinfo_single(h.xch, id)).flags & XEN_DOMINF.paused).toBe(XEN_DOMINF.paused);
    await xc_domain_destroy(h.xch, id);
  });

  it('the 256th outstanding pause is -EOVERFLOW; pausing or destroying yourself is -EINVAL (statement 32)', async () => {
    const id = await xc_domain_create(h.xch, DOMID_ANY, HVM); // count 1
    for (let i = 1; i < 255; i++) await xc_domain_pause(h.xch, id);
    expect(await errnoOf(xc_domain_pause(h.xch, id))).toBe('EOVERFLOW');
    expect(await errnoOf(xc_domain_pause(h.xch, 0))).toBe('EINVAL');
    expect(await errnoOf(xc_domain_destroy(h.xch, 0))).toBe('EINVAL');
    expect(await errnoOf(xc_domain_max_vcpus(h.xch, 0, 8))).toBe('EINVAL');
    await xc_domain_destroy(h.xch, id);
  });

  it('destroydomain removes the domain: later domctls on it are -ESRCH', async () => {
    const id = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_destroy(h.xch, id);
    expect(await errnoOf(xc_domain_getinfo_single(h.xch, id))).toBe('ESRCH');
    expect(await errnoOf(xc_domain_destroy(h.xch, id))).toBe('ESRCH');
  });
});

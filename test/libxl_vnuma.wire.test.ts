// libxl__build_hvm's vNUMA block over the wire (tools/libs/light/libxl_dom.c: vmemranges →
// libxl__vnuma_config_check against libxl_get_numainfo → set_vnuma_info → xc_domain_setvnuma),
// read back with xc_domain_getvnuma (XENMEM_get_vnumainfo).
import { describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { xc_domain_create, xc_domain_destroy, xc_domain_getvnuma, xc_domain_setmaxmem, type xen_vmemrange_t } from '../libxc/xenctrl.js';
import { libxl__build_hvm_layout, libxl__build_hvm_vnuma } from '../libxl/libxl_dom_layout.js';
import { libxl_bitmap_alloc, libxl_bitmap_set, type libxl_bitmap } from '../libxl/libxl_utils.js';
import type { libxl_vnuma_build_info } from '../libxl/libxl_vnuma.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { useHost } from './harness.js';

const GiB_kb = 1024 * 1024;
const bits = (set: number[]): libxl_bitmap => {
  const b = libxl_bitmap_alloc(4);
  for (const i of set) libxl_bitmap_set(b, i);
  return b;
};

function info(pnode1: number): libxl_vnuma_build_info {
  return {
    max_memkb: 6 * GiB_kb,
    video_memkb: 8 * 1024,
    max_vcpus: 4,
    vnuma_nodes: [
      { memkb: 3 * GiB_kb, pnode: 2, vcpus: bits([0, 2]), distances: [10, 21] },
      { memkb: 3 * GiB_kb, pnode: pnode1, vcpus: bits([1, 3]), distances: [21, 10] },
    ],
  };
}

describe('libxl__build_hvm vNUMA → xc_domain_setvnuma → xc_domain_getvnuma', () => {
  const h = useHost('4node');

  it('the hole-split ranges, distances and vCPU map arrive in Xen as libxl built them', async () => {
    const d = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 4 });
    await xc_domain_setmaxmem(h.xch, d, -1);
    const b = info(3);
    const layout = libxl__build_hvm_layout({ max_memkb: b.max_memkb, target_memkb: b.max_memkb, video_memkb: b.video_memkb, mmio_hole_memkb: 0, device_model: true, max_vcpus: 4 });
    const dom = await libxl__build_hvm_vnuma(h.ctx, d, b, layout);
    const want: xen_vmemrange_t[] = [
      { start: 0n, end: 0xbf800000n, flags: 0, nid: 0 },
      { start: 0xbf800000n, end: 0xf0000000n, flags: 0, nid: 1 },
      { start: 0x100000000n, end: 0x18f800000n, flags: 0, nid: 1 },
    ];
    expect(dom).toEqual({ vmemranges: want, nr_vnodes: 2, vnode_to_pnode: [2, 3] });
    const counts = { nr_vnodes: 2, nr_vmemranges: 3, nr_vcpus: 4 };
    const r: xen_vmemrange_t[] = [];
    const di: number[] = [];
    const c: number[] = [];
    await xc_domain_getvnuma(h.xch, d, counts, r, di, c);
    expect([counts, r, di, c]).toEqual([{ nr_vnodes: 2, nr_vmemranges: 3, nr_vcpus: 4 }, want, [10, 21, 21, 10], [0, 1, 0, 1]]);
    await xc_domain_destroy(h.xch, d);
  });

  it('a pnode past the host\'s 4 nodes stops at the config check; nothing reaches Xen', async () => {
    const d = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 4 });
    const lines: string[] = [];
    const layout = libxl__build_hvm_layout({ max_memkb: 6 * GiB_kb, target_memkb: 6 * GiB_kb, video_memkb: 8 * 1024, mmio_hole_memkb: 0, device_model: true, max_vcpus: 4 });
    await expect(libxl__build_hvm_vnuma(h.ctx, d, info(4), layout, (l, m) => lines.push(`${l}: ${m}`))).rejects.toMatchObject({ code: 'ERROR_VNUMA_CONFIG_INVALID', rc: -20 });
    expect(lines).toEqual(['error: Invalid pnode 4 specified']);
    const counts = { nr_vnodes: 0, nr_vmemranges: 0, nr_vcpus: 0 };
    await expect(xc_domain_getvnuma(h.xch, d, counts, [], [], [])).rejects.toMatchObject({ code: 'EOPNOTSUPP' });
    await xc_domain_destroy(h.xch, d);
  });

  it('vnode 0 below the video RAM logs the builder\'s line then libxl__build_hvm\'s; a failed hypercall is ERROR_FAIL', async () => {
    const layout = libxl__build_hvm_layout({ max_memkb: 6 * GiB_kb, target_memkb: 6 * GiB_kb, video_memkb: 8 * 1024, mmio_hole_memkb: 0, device_model: true, max_vcpus: 4 });
    const lines: string[] = [];
    const log = (l: string, m: string): number => lines.push(`${l}: ${m}`);
    const small = info(3);
    small.video_memkb = 4 * GiB_kb;
    await expect(libxl__build_hvm_vnuma(h.ctx, 4321, small, layout, log)).rejects.toMatchObject({ code: 'ERROR_INVAL' });
    expect(lines).toEqual(['error: vnode 0 too small to contain video ram', 'error: hvm build vmemranges failed']);
    lines.length = 0;
    await expect(libxl__build_hvm_vnuma(h.ctx, 4321, info(3), layout, log)).rejects.toMatchObject({ code: 'ERROR_FAIL', rc: -3, cause: { code: 'ESRCH' } });
    expect(lines).toEqual(['error: xc_domain_setvnuma failed']);
  });
});

// libxenguest's HVM memory build over the wire (tools/libs/guest/xg_dom_x86.c: meminit_hvm,
// check_mmio_hole, alloc_magic_pages_hvm), against the real server: extent statistics, the MMIO
// hole rule for 1 GiB pages, the 1 GiB -> 2 MiB -> 4 KiB fallback on a fragmented node, exact-node
// placement per vnode, the claim cancelled on every exit, PoD refused.
import { describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { symmetricHost } from '../hypervisor/presets.js';
import {
  XC_NUMA_NO_NODE,
  isXenError,
  xc_domain_create,
  xc_domain_decrease_reservation_exact,
  xc_domain_destroy,
  xc_domain_getinfo_single,
  xc_domain_maximum_gpfn,
  xc_domain_numa_get_node_pages,
  xc_domain_populate_physmap_exact,
  xc_domain_setmaxmem,
  xc_numa_meminfo,
  xc_physinfo,
  type xc_createdomain_config,
  type xc_node_meminfo_t,
  type xen_vmemrange_t,
} from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { XENMEMF_exact_node, XENMEMF_node } from '../proto/public/xenmem_flags.js';
import { alloc_magic_pages_hvm, ioreq_server_pfn, special_pfn } from '../xenguest/alloc_magic_pages_hvm.js';
import { check_mmio_hole, meminit_hvm } from '../xenguest/meminit_hvm.js';
import { xc_dom_image_init, type xc_dom_image } from '../xenguest/xc_dom.js';
import { useHost, type Host } from './harness.js';

const HVM: xc_createdomain_config = { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 1, max_grant_frames: -1, max_maptrack_frames: -1 };
const MiB = 2 ** 20;
const GiB = 2 ** 30;
const PAGES_1G = 1 << 18;
const PAGES_2M = 1 << 9;
/** libxl's default PCI hole: 256 MiB below 4 GiB. */
const MMIO_START = 0xf0000000;
const MMIO_SIZE = 0x10000000;

const failure = (p: Promise<unknown>): Promise<{ code: string; message: string }> =>
  p.then(
    () => ({ code: 'ok', message: '' }),
    (e: unknown) => (isXenError(e) ? { code: e.code, message: e.message } : { code: 'not a XenError', message: String(e) }),
  );

async function guest(h: Host, max_memkb: number = -1): Promise<number> {
  const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
  await xc_domain_setmaxmem(h.xch, d, max_memkb);
  return d;
}

/** libxl__build_hvm's layout of `mem_bytes` around the MMIO hole (lowmem up to mmio_start, the rest above 4 GiB). */
function hvmLayout(mem_bytes: number, device_model: boolean): Pick<xc_dom_image, 'total_pages' | 'lowmem_end' | 'highmem_end' | 'mmio_start' | 'mmio_size' | 'device_model' | 'vga_hole_size'> {
  const lowmem_end = Math.min(mem_bytes, MMIO_START);
  return {
    total_pages: mem_bytes / 4096,
    lowmem_end,
    highmem_end: mem_bytes > lowmem_end ? 2 ** 32 + (mem_bytes - lowmem_end) : 0,
    mmio_start: MMIO_START,
    mmio_size: MMIO_SIZE,
    device_model,
    vga_hole_size: device_model ? 0x20 : 0,
  };
}

const stats = (dom: xc_dom_image): [number, number, number] => [dom.stat_1gb_pages, dom.stat_2mb_pages, dom.stat_normal_pages];

async function nodePages(h: Host, domid: number): Promise<number[]> {
  const pages = new Array<number>(64).fill(0);
  const n = await xc_domain_numa_get_node_pages(h.xch, domid, 64, pages);
  return pages.slice(0, n);
}

async function outstanding(h: Host, domid: number): Promise<{ host: number; dom: number }> {
  return { host: (await xc_physinfo(h.xch)).outstanding_pages, dom: (await xc_domain_getinfo_single(h.xch, domid)).outstanding_pages };
}

describe('check_mmio_hole (xg_dom_x86.c)', () => {
  it('is an overlap test of half-open ranges: touching ends do not overlap; a zero-size hole inside the window does', () => {
    expect(check_mmio_hole(2 * GiB, GiB, 3 * GiB, GiB)).toBe(false); // ends where the hole starts
    expect(check_mmio_hole(4 * GiB, GiB, 3 * GiB, GiB)).toBe(false); // starts where the hole ends
    expect(check_mmio_hole(3 * GiB, GiB, MMIO_START, MMIO_SIZE)).toBe(true);
    expect(check_mmio_hole(3 * GiB, GiB, MMIO_START, 0)).toBe(true); // C's formula: start + memsize > mmio_start and start < mmio_start
    expect(check_mmio_hole(3 * GiB, GiB, 0, 0)).toBe(false); // xc_dom_image's zeroed fields: no hole
  });
});

describe('meminit_hvm: extent statistics', () => {
  const h = useHost('4node');

  it('a 4 GiB guest with a device model and a 256 MiB hole at 0xF0000000: 2 x 1G, 1023 x 2M, 0x200 x 4K', async () => {
    // Range [0, 0xF0000000): the VGA hole makes 0xC0 (counted) + 0x140 4K pages up to 2 MiB, then
    // 511 2M extents up to 1 GiB, 1 GiB at 1G and 2G, and [3G, 3.75G) is not a whole 1 GiB: 384 x 2M.
    // Range [4G, 4.25G): 256 MiB, 1G-aligned but short: 128 x 2M.
    const d = await guest(h);
    const lines: string[] = [];
    const progress: number[] = [];
    const dom = xc_dom_image_init(h.xch, d, { ...hvmLayout(4 * GiB, true), claim_enabled: true, log: (l) => lines.push(l), progress: (done) => progress.push(done) });
    await meminit_hvm(dom);
    expect(stats(dom)).toEqual([2, 511 + 384 + 128, 0x200]);
    expect(2 * PAGES_1G + 1023 * PAGES_2M + 0x200).toBe(dom.total_pages);
    expect(dom.p2m_size).toBe(0x110000);
    expect(lines).toEqual(['PHYSICAL MEMORY ALLOCATION:', '  4KB PAGES: 0x0000000000000200', '  2MB PAGES: 0x00000000000003ff', '  1GB PAGES: 0x0000000000000002']);
    expect(progress.at(-1)).toBe(dom.total_pages);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // the VGA hole 0xA0..0xBF is counted but never populated
    expect((await xc_domain_getinfo_single(h.xch, d)).tot_pages).toBe(dom.total_pages - 0x20);
    expect(await outstanding(h, d)).toEqual({ host: 0, dom: 0 });
    await alloc_magic_pages_hvm(dom);
    expect((await xc_domain_getinfo_single(h.xch, d)).tot_pages).toBe(dom.total_pages - 0x20 + 8 + 8);
    expect(special_pfn(0)).toBe(0xfeff8);
    expect(ioreq_server_pfn(0)).toBe(0xfeff0);
    await xc_domain_destroy(h.xch, d);
  });

  it('an unaligned 1 GiB + 6 MiB + 12 KiB guest without a device model: 1 x 1G, 3 x 2M, 3 x 4K', async () => {
    const d = await guest(h);
    const dom = xc_dom_image_init(h.xch, d, hvmLayout(GiB + 6 * MiB + 12 * 1024, false));
    await meminit_hvm(dom);
    expect(stats(dom)).toEqual([1, 3, 3]);
    expect((await xc_domain_getinfo_single(h.xch, d)).tot_pages).toBe(0x40603);
    await alloc_magic_pages_hvm(dom); // no ioreq pages without a device model
    expect((await xc_domain_getinfo_single(h.xch, d)).tot_pages).toBe(0x40603 + 8);
    expect(await xc_domain_maximum_gpfn(h.xch, d)).toBe(special_pfn(7)); // 0xfefff, above the RAM
    await xc_domain_destroy(h.xch, d);
  });

  it('the same size with a device model: no 1 GiB page (the first GiB starts at 0xC0), 514 x 2M, 0x203 x 4K', async () => {
    const d = await guest(h);
    const dom = xc_dom_image_init(h.xch, d, hvmLayout(GiB + 6 * MiB + 12 * 1024, true));
    await meminit_hvm(dom);
    expect(stats(dom)).toEqual([0, 511 + 3, 0x200 + 3]);
    expect((await xc_domain_getinfo_single(h.xch, d)).tot_pages).toBe(0x40603 - 0x20);
    await xc_domain_destroy(h.xch, d);
  });

  it('refuses a 1 GiB page whose window meets the MMIO hole, and takes it when the hole is elsewhere', async () => {
    // [3G, 4G) is 1G-aligned and whole; a 16 MiB hole at 3.5 GiB inside it forces 512 x 2M.
    const layout = { total_pages: 4 * PAGES_1G, lowmem_end: 4 * GiB, highmem_end: 0, device_model: false };
    const d1 = await guest(h);
    const near = xc_dom_image_init(h.xch, d1, { ...layout, mmio_start: 3.5 * GiB, mmio_size: 16 * MiB });
    await meminit_hvm(near);
    expect(stats(near)).toEqual([3, 512, 0]);
    const d2 = await guest(h);
    const touching = xc_dom_image_init(h.xch, d2, { ...layout, mmio_start: 4 * GiB, mmio_size: 16 * MiB }); // ends where the hole starts
    await meminit_hvm(touching);
    expect(stats(touching)).toEqual([4, 0, 0]);
    await xc_domain_destroy(h.xch, d1);
    await xc_domain_destroy(h.xch, d2);
  });
});

describe('meminit_hvm: vNUMA placement', () => {
  const h = useHost('4node');
  const ranges: xen_vmemrange_t[] = [
    { start: 0n, end: 1n << 30n, flags: 0, nid: 0 },
    { start: 1n << 30n, end: 3n << 30n, flags: 0, nid: 1 },
  ];

  it('each range lands on its vnode\'s pnode only (XENMEMF_exact_node), 1 GiB pages included', async () => {
    const d = await guest(h);
    const dom = xc_dom_image_init(h.xch, d, { total_pages: 3 * PAGES_1G, vmemranges: ranges, vnode_to_pnode: [2, 3], mmio_start: MMIO_START, mmio_size: MMIO_SIZE });
    await meminit_hvm(dom);
    expect(stats(dom)).toEqual([3, 0, 0]);
    expect(dom.p2m_size).toBe(3 * PAGES_1G);
    expect(await nodePages(h, d)).toEqual([0, 0, PAGES_1G, 2 * PAGES_1G]);
    await xc_domain_destroy(h.xch, d);
  });

  it('a node the caller put in memflags wins over the pnode; XC_NUMA_NO_NODE adds no node', async () => {
    const d = await guest(h);
    const dom = xc_dom_image_init(h.xch, d, { total_pages: 3 * PAGES_1G, vmemranges: ranges, vnode_to_pnode: [2, 3], memflags: XENMEMF_exact_node(1) });
    await meminit_hvm(dom);
    expect(await nodePages(h, d)).toEqual([0, 3 * PAGES_1G, 0, 0]);
    await xc_domain_destroy(h.xch, d);
    const d2 = await guest(h);
    const any = xc_dom_image_init(h.xch, d2, { total_pages: 3 * PAGES_1G, vmemranges: ranges, vnode_to_pnode: [XC_NUMA_NO_NODE, XC_NUMA_NO_NODE], memflags: XENMEMF_node(2) });
    await meminit_hvm(any);
    expect((await nodePages(h, d2))[2]).toBe(3 * PAGES_1G); // a preference only, and node 2 has room
    await xc_domain_destroy(h.xch, d2);
  });

  it('vNUMA with PoD is refused before any claim or populate, and the (absent) claim is still cancelled', async () => {
    const d = await guest(h);
    const lines: string[] = [];
    const dom = xc_dom_image_init(h.xch, d, { total_pages: 3 * PAGES_1G, target_pages: 2 * PAGES_1G, vmemranges: ranges, vnode_to_pnode: [2, 3], claim_enabled: true, log: (l) => lines.push(l) });
    const f = await failure(meminit_hvm(dom));
    expect(f.code).toBe('EINVAL');
    expect(f.message).toContain('Cannot enable vNUMA and PoD at the same time');
    expect(lines).toEqual(['Cannot enable vNUMA and PoD at the same time']);
    expect((await xc_domain_getinfo_single(h.xch, d)).tot_pages).toBe(0);
    expect(await outstanding(h, d)).toEqual({ host: 0, dom: 0 });
    await xc_domain_destroy(h.xch, d);
  });

  it('ranges not holding total_pages fail with Xen\'s message, the dummy layout included', async () => {
    const d = await guest(h);
    const f = await failure(meminit_hvm(xc_dom_image_init(h.xch, d, { total_pages: 3 * PAGES_1G + 1, vmemranges: ranges, vnode_to_pnode: [2, 3] })));
    expect(f.message).toContain('vNUMA memory pages mismatch (0xc0000 != 0xc0001)');
    const g = await failure(meminit_hvm(xc_dom_image_init(h.xch, d, { ...hvmLayout(GiB, true), total_pages: PAGES_1G - 1 })));
    expect(g.message).toContain('vNUMA memory pages mismatch (0x40000 != 0x3ffff)');
    expect((await xc_domain_getinfo_single(h.xch, d)).tot_pages).toBe(0);
    await xc_domain_destroy(h.xch, d);
  });
});

describe('meminit_hvm: PoD and the claim', () => {
  const h = useHost('4node');

  it('plain PoD (total > target) fails as not emulated, after the claim, which is cancelled; nothing populated', async () => {
    const d = await guest(h);
    const dom = xc_dom_image_init(h.xch, d, { ...hvmLayout(2 * GiB, true), target_pages: PAGES_1G, claim_enabled: true });
    const f = await failure(meminit_hvm(dom));
    expect(f.code).toBe('EOPNOTSUPP');
    expect(f.message).toContain('Could not set PoD target for HVM guest.');
    expect(f.message).toContain('populate-on-demand is not emulated');
    expect((await xc_domain_getinfo_single(h.xch, d)).tot_pages).toBe(0);
    expect(await outstanding(h, d)).toEqual({ host: 0, dom: 0 });
    await xc_domain_destroy(h.xch, d);
  });

  it('a claim larger than max_mem fails with Xen\'s message and nothing is populated', async () => {
    const d = await guest(h, 512 * 1024); // 512 MiB
    const f = await failure(meminit_hvm(xc_dom_image_init(h.xch, d, { ...hvmLayout(GiB, true), claim_enabled: true })));
    expect(f.code).toBe('EINVAL');
    expect(f.message).toContain('Could not allocate memory for HVM guest as we cannot claim memory!');
    expect((await xc_domain_getinfo_single(h.xch, d)).tot_pages).toBe(0);
    expect(await outstanding(h, d)).toEqual({ host: 0, dom: 0 });
    await xc_domain_destroy(h.xch, d);
  });

  it('a build that fails halfway (max_mem reached in the 4 KiB tail) still cancels the claim', async () => {
    // vga_hole_size 0x20 without a device model: the claim (total - 0x20) fits max_mem, the populate of total does not.
    const total = PAGES_1G + 0x123;
    const d = await guest(h, ((total - 0x20) * 4096) / 1024);
    const lines: string[] = [];
    const dom = xc_dom_image_init(h.xch, d, { total_pages: total, lowmem_end: total * 4096, vga_hole_size: 0x20, claim_enabled: true, log: (l) => lines.push(l) });
    const f = await failure(meminit_hvm(dom));
    expect(f.code).toBe('EBUSY'); // xc_domain_populate_physmap_exact's errno
    expect(f.message).toContain('Could not allocate memory for HVM guest.');
    expect(lines).toEqual(['Could not allocate memory for HVM guest.']);
    expect(stats(dom)).toEqual([1, 0, 0x123]); // the failed 4 KiB call is counted, as in C
    const info = await xc_domain_getinfo_single(h.xch, d);
    expect(info.tot_pages).toBeLessThan(total);
    expect(await outstanding(h, d)).toEqual({ host: 0, dom: 0 });
    await xc_domain_destroy(h.xch, d);
  });

  it('a claim on an exhausted node: the exact-node populate fails midway, the host-wide claim is cancelled', async () => {
    const d = await guest(h);
    const free = await nodeFree(h);
    const node = free.indexOf(Math.min(...free));
    const pages = free[node]! + PAGES_1G; // one GiB more than the node has
    const dom = xc_dom_image_init(h.xch, d, {
      total_pages: pages,
      vmemranges: [{ start: 0n, end: BigInt(pages) * 4096n, flags: 0, nid: 0 }],
      vnode_to_pnode: [node],
      claim_enabled: true,
    });
    const f = await failure(meminit_hvm(dom));
    expect(f.message).toContain('Could not allocate memory for HVM guest.');
    expect((await nodePages(h, d))[node]).toBe(free[node]);
    expect(await outstanding(h, d)).toEqual({ host: 0, dom: 0 });
    await xc_domain_destroy(h.xch, d);
  });
});

async function nodeFree(h: Host): Promise<number[]> {
  const n = await xc_numa_meminfo(h.xch, 0, null);
  const mi: xc_node_meminfo_t[] = Array.from({ length: n }, () => ({ size: 0n, free: 0n, claimed: 0n }));
  await xc_numa_meminfo(h.xch, n, mi);
  return mi.map((m) => Number(m.free / 4096n));
}

describe('meminit_hvm: fallback on a fragmented node', () => {
  // Three nodes of 2 GiB (two order-18 buddy chunks each, MAX_ORDER 18); dom0 takes 512 MiB.
  const h = useHost(
    symmetricHost({ name: '3x2g', sockets: 1, nodesPerSocket: 3, coresPerNode: 2, threadsPerCore: 1, memPerNodeGiB: 2, cpuKhz: 2000000, distance: () => 20 }),
    { dom0_mem: '512M' },
  );

  it('no 1 GiB chunk left: 1G -> 2M, and when 2M chunks run out mid-call the rest goes 4K in the same pass', async () => {
    const free = await nodeFree(h);
    const node = free.lastIndexOf(2 * PAGES_1G);
    expect(node).toBeGreaterThanOrEqual(0);
    // A filler domain takes one page of each 1 GiB chunk: one page (splitting chunk A), then all of
    // chunk B, of which it gives back everything but its first page, in buddy-aligned pieces.
    const filler = await guest(h);
    const flags = XENMEMF_exact_node(node);
    await xc_domain_populate_physmap_exact(h.xch, filler, 1, 0, flags, [0]);
    await xc_domain_populate_physmap_exact(h.xch, filler, 1, 18, flags, [PAGES_1G]);
    for (let k = 0; k < 18; k++) await xc_domain_decrease_reservation_exact(h.xch, filler, 1, k, [PAGES_1G + 2 ** k]);
    expect((await nodeFree(h))[node]).toBe(2 * PAGES_1G - 2);
    // Free now: orders 0..17 in each chunk = 1022 2M extents + 1022 4K pages. The guest takes all of it:
    // [0, 2G - 8K). Pass 1 tries 1 GiB (refused), then 2M four at a time; in the second GiB the pass of
    // three 2M extents gets two, its last 0x200 pages go 4K, and the 0x1FE tail is 4K.
    const d = await guest(h);
    const pages = 2 * PAGES_1G - 2;
    const dom = xc_dom_image_init(h.xch, d, { total_pages: pages, vmemranges: [{ start: 0n, end: BigInt(pages) * 4096n, flags: 0, nid: 0 }], vnode_to_pnode: [node] });
    await meminit_hvm(dom);
    expect(stats(dom)).toEqual([0, 1022, 0x200 + 0x1fe]);
    expect((await nodePages(h, d))[node]).toBe(pages);
    expect((await nodeFree(h))[node]).toBe(0);
    await xc_domain_destroy(h.xch, d);
    await xc_domain_destroy(h.xch, filler);
  });
});

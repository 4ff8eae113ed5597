// Memory over the wire through libxc and libxl: XEN_DOMCTL_max_mem, XENMEM_claim_pages,
// the reservation ops and populate, the page-count queries, XenServer's node claims,
// numa_meminfo and numa_op, and the proposed v7 claim sets (xen/common/domctl.c: do_domctl;
// xen/common/memory.c: do_memory_op, populate_physmap, increase_reservation,
// decrease_reservation, propagate_node; xen/common/page_alloc.c: domain_set_outstanding_pages;
// tools/libs/ctrl/xc_domain.c; tools/libs/light/libxl_mem.c; xenserver-next/xen
// 4.20-scm-claim-pages and 4.20-scm-domain-numa-get-node_pages).
import { describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { libxl_get_free_memory, libxl_get_physinfo } from '../libxl/libxl.js';
import { libxl_domain_info } from '../libxl/libxl_domain.js';
import { libxl_domain_setmaxmem } from '../libxl/libxl_mem.js';
import {
  XC_NUMA_NO_NODE,
  isXenError,
  xc_domain_claim_memory,
  xc_domain_claim_pages,
  xc_domain_claim_pages_node,
  xc_domain_create,
  xc_domain_current_reservation,
  xc_domain_decrease_reservation,
  xc_domain_decrease_reservation_exact,
  xc_domain_destroy,
  xc_domain_getinfo_single,
  xc_domain_increase_reservation,
  xc_domain_increase_reservation_exact,
  xc_domain_maximum_gpfn,
  xc_domain_maximum_reservation,
  xc_domain_nr_gpfns,
  xc_domain_numa_get_node_pages,
  xc_domain_populate_physmap,
  xc_domain_populate_physmap_exact,
  xc_domain_setmaxmem,
  xc_get_tot_pages,
  xc_interface_close,
  xc_interface_open,
  xc_maximum_ram_page,
  xc_numa_meminfo,
  xc_numainfo,
  xc_physinfo,
  type xc_createdomain_config,
  type xc_meminfo_t,
  type xc_node_meminfo_t,
  type xen_memory_claim_t,
} from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { XEN_DOMCTL_CLAIM_MEMORY_GET, XEN_DOMCTL_CLAIM_MEMORY_HOST, XEN_DOMCTL_CLAIM_MEMORY_SET } from '../proto/public/domctl_memory.js';
import { XENMEMF_exact_node, XENMEMF_exact_node_request, XENMEMF_get_node, XENMEMF_node } from '../proto/public/xenmem_flags.js';
import { useHost, type Host } from './harness.js';

const HVM: xc_createdomain_config = { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 1, max_grant_frames: -1, max_maptrack_frames: -1 };
const PV: xc_createdomain_config = { flags: 0, max_vcpus: 1, max_grant_frames: -1, max_maptrack_frames: -1 };
const errnoOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (isXenError(e) ? e.code : String(e)));
/** MB_PAGES of tools/tests/mem-claim. */
const MB_PAGES = (mb: number): number => (mb * 2 ** 20) / 4096;
const PAGE = 4096n;

async function outstanding(h: Host): Promise<number> {
  return (await xc_physinfo(h.xch)).outstanding_pages;
}

async function nodePages(h: Host, domid: number): Promise<number[]> {
  const pages = new Array<number>(256).fill(0);
  const n = await xc_domain_numa_get_node_pages(h.xch, domid, 256, pages); // xenopsd's capacity: NUMNODES_LIMIT + 1
  return pages.slice(0, n);
}

async function meminfo(h: Host): Promise<xc_node_meminfo_t[]> {
  const n = await xc_numa_meminfo(h.xch, 0, null);
  const mi: xc_node_meminfo_t[] = Array.from({ length: n }, () => ({ size: 0n, free: 0n, claimed: 0n }));
  const got = await xc_numa_meminfo(h.xch, n, mi);
  return mi.slice(0, got);
}

describe('XENMEMF_* encoding (public/memory.h)', () => {
  it('encodes nodes as n+1 in bits 8-15, so field 0 reads back as NUMA_NO_NODE', () => {
    expect(XENMEMF_node(0)).toBe(0x100);
    expect(XENMEMF_node(254)).toBe(0xff00);
    expect(XENMEMF_exact_node(3)).toBe(0x20400);
    expect(XENMEMF_get_node(XENMEMF_exact_node(3))).toBe(3);
    expect(XENMEMF_get_node(0)).toBe(0xff);
    expect(XENMEMF_get_node(XENMEMF_exact_node_request)).toBe(0xff);
  });
});

describe('XEN_DOMCTL_max_mem: xc_domain_setmaxmem and libxl_domain_setmaxmem (hypervisor statement 2.10)', () => {
  const h = useHost('4node');

  it('max_pages becomes max_memkb >> 2, read back by getdomaininfo, XENMEM_maximum_reservation and libxl', async () => {
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_setmaxmem(h.xch, d, 1048576);
    expect((await xc_domain_getinfo_single(h.xch, d)).max_pages).toBe(262144);
    expect(await xc_domain_maximum_reservation(h.xch, d)).toBe(262144);
    expect((await libxl_domain_info(h.ctx, d)).max_memkb).toBe(1048576);
    await xc_domain_setmaxmem(h.xch, d, 1023);
    expect((await xc_domain_getinfo_single(h.xch, d)).max_pages).toBe(255);
    await xc_domain_destroy(h.xch, d);
  });

  it('-1 (uint64 max, as tools/tests/mem-claim passes) caps max_pages at 2^32-1', async () => {
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_setmaxmem(h.xch, d, -1);
    expect((await xc_domain_getinfo_single(h.xch, d)).max_pages).toBe(0xffffffff);
    await xc_domain_destroy(h.xch, d);
  });

  it('never fails for a live domain, even below tot_pages; a missing domain is ESRCH', async () => {
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_setmaxmem(h.xch, d, 2048);
    await xc_domain_populate_physmap_exact(h.xch, d, 1, 9, 0, [0]);
    await xc_domain_setmaxmem(h.xch, d, 4);
    expect(await xc_domain_getinfo_single(h.xch, d)).toMatchObject({ tot_pages: 512, max_pages: 1 });
    // tot > max: every further counted allocation fails (assign_pages), so populate does nothing.
    expect(await xc_domain_populate_physmap(h.xch, d, 1, 0, 0, [0x1000])).toBe(0);
    expect(await errnoOf(xc_domain_setmaxmem(h.xch, 4321, 1024))).toBe('ESRCH');
    await xc_domain_destroy(h.xch, d);
  });

  it('libxl_domain_setmaxmem adds LIBXL_MAXMEM_CONSTANT (1024 KiB); a failure is rc -1 with the libxc error as cause', async () => {
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await libxl_domain_setmaxmem(h.ctx, d, 1048576);
    expect((await xc_domain_getinfo_single(h.xch, d)).max_pages).toBe((1048576 + 1024) / 4);
    expect((await libxl_domain_info(h.ctx, d)).max_memkb).toBe(1048576 + 1024);
    const e = await libxl_domain_setmaxmem(h.ctx, 4321, 1024).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ERROR_NONSPECIFIC', rc: -1, message: 'Domain 4321:xc_domain_setmaxmem domid=4321 memkb=2048 failed rc=-1' });
    expect(isXenError((e as Error).cause, 'ESRCH')).toBe(true);
    await xc_domain_destroy(h.xch, d);
  });
});

describe('tools/tests/mem-claim, ported', () => {
  const h = useHost('4node');

  it('claim 4 MiB, populate one order-9 extent, 2 MiB stay outstanding; destroy releases the rest', async () => {
    expect(await outstanding(h)).toBe(0); // a quiescent system
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_setmaxmem(h.xch, d, -1);
    expect(await outstanding(h)).toBe(0); // creating a domain does not change the claim
    await xc_domain_claim_pages(h.xch, d, MB_PAGES(4));
    expect(await outstanding(h)).toBe(MB_PAGES(4));
    expect((await xc_domain_getinfo_single(h.xch, d)).outstanding_pages).toBe(MB_PAGES(4));
    const ram = [0];
    await xc_domain_populate_physmap_exact(h.xch, d, ram.length, 9, 0, ram);
    expect(await outstanding(h)).toBe(MB_PAGES(2));
    expect(await libxl_domain_info(h.ctx, d)).toMatchObject({ outstanding_memkb: 2048, current_memkb: 2048 });
    await xc_domain_destroy(h.xch, d);
    expect(await outstanding(h)).toBe(0);
  });
});

describe('XENMEM_claim_pages rules (domain_set_outstanding_pages, hypervisor 4.7)', () => {
  const h = useHost('4node');

  async function guest(max_memkb: number | bigint = -1): Promise<number> {
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_setmaxmem(h.xch, d, max_memkb);
    return d;
  }

  it('a claim above max_pages is EINVAL, so max_mem must come first', async () => {
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    expect(await errnoOf(xc_domain_claim_pages(h.xch, d, 1024))).toBe('EINVAL');
    await xc_domain_setmaxmem(h.xch, d, 4096);
    expect(await errnoOf(xc_domain_claim_pages(h.xch, d, 1025))).toBe('EINVAL');
    await xc_domain_claim_pages(h.xch, d, 1024);
    await xc_domain_destroy(h.xch, d);
  });

  it('one claim per domain: a second is EINVAL until 0 cancels the first', async () => {
    const d = await guest();
    await xc_domain_claim_pages(h.xch, d, 1024);
    expect(await errnoOf(xc_domain_claim_pages(h.xch, d, 2048))).toBe('EINVAL');
    await xc_domain_claim_pages(h.xch, d, 0);
    expect(await outstanding(h)).toBe(0);
    await xc_domain_claim_pages(h.xch, d, 0); // cancelling nothing succeeds
    await xc_domain_claim_pages(h.xch, d, 2048);
    expect(await outstanding(h)).toBe(2048);
    await xc_domain_destroy(h.xch, d);
  });

  it('the claim is absolute: pages - tot_pages; at or below tot_pages is EINVAL', async () => {
    const d = await guest();
    await xc_domain_populate_physmap_exact(h.xch, d, 1, 9, 0, [0]);
    expect(await errnoOf(xc_domain_claim_pages(h.xch, d, 512))).toBe('EINVAL');
    await xc_domain_claim_pages(h.xch, d, 1024);
    expect((await xc_domain_getinfo_single(h.xch, d)).outstanding_pages).toBe(512);
    expect(await outstanding(h)).toBe(512);
    await xc_domain_destroy(h.xch, d);
  });

  it('more than the unclaimed free memory is ENOMEM; all of it succeeds and then starves another claim', async () => {
    const a = await guest();
    const b = await guest();
    const free = (await xc_physinfo(h.xch)).free_pages;
    expect(await errnoOf(xc_domain_claim_pages(h.xch, a, free + 1))).toBe('ENOMEM');
    await xc_domain_claim_pages(h.xch, a, free);
    expect(await errnoOf(xc_domain_claim_pages(h.xch, b, 1))).toBe('ENOMEM');
    // Nothing is left for b's allocations either (alloc_heap_pages' claim gate).
    expect(await xc_domain_populate_physmap(h.xch, b, 1, 0, 0, [0])).toBe(0);
    await xc_domain_claim_pages(h.xch, a, 0);
    await xc_domain_claim_pages(h.xch, b, 1);
    await xc_domain_destroy(h.xch, a);
    await xc_domain_destroy(h.xch, b);
    expect(await outstanding(h)).toBe(0);
  });

  it('a domain that does not exist is EINVAL, not ESRCH; mem_flags on upstream Xen are EINVAL', async () => {
    expect(await errnoOf(xc_domain_claim_pages(h.xch, 4321, 1))).toBe('EINVAL');
    const d = await guest();
    expect(await errnoOf(xc_domain_claim_pages_node(h.xch, d, 1, 1024))).toBe('EINVAL');
    await xc_domain_claim_pages_node(h.xch, d, XC_NUMA_NO_NODE, 1024); // flags 0: an ordinary claim
    expect(await outstanding(h)).toBe(1024);
    await xc_domain_destroy(h.xch, d);
  });

  it('only the control domain may claim (xsm_claim_pages is XSM_PRIV): a guest gets EPERM', async () => {
    const d = await guest();
    const asGuest = await xc_interface_open(h.address, { caller: d });
    try {
      expect(await errnoOf(xc_domain_claim_pages(asGuest, d, 1024))).toBe('EPERM');
    } finally {
      xc_interface_close(asGuest);
    }
    await xc_domain_destroy(h.xch, d);
  });

  it('xc_domain_claim_pages_node refuses nodes XENMEMF_node cannot encode with ERANGE, before any hypercall', async () => {
    expect(await errnoOf(xc_domain_claim_pages_node(h.xch, 4321, 0xff, 1))).toBe('ERANGE');
    expect(await errnoOf(xc_domain_claim_pages_node(h.xch, 4321, 0x100, 1))).toBe('ERANGE');
    expect(await errnoOf(xc_domain_claim_pages_node(h.xch, 4321, 0xfffffffe, 1))).toBe('ERANGE');
  });

  it('claims show in physinfo and xl info, not in libxl_get_free_memory (free + scrub pages)', async () => {
    const d = await guest();
    const before = await xc_physinfo(h.xch);
    await xc_domain_claim_pages(h.xch, d, MB_PAGES(1024));
    const p = await libxl_get_physinfo(h.ctx);
    expect(p.outstanding_pages).toBe(MB_PAGES(1024));
    expect(p.free_pages).toBe(before.free_pages);
    expect(p.scrub_pages).toBe(0);
    expect(await libxl_get_free_memory(h.ctx)).toBe(before.free_pages * 4);
    await xc_domain_destroy(h.xch, d);
  });
});

describe('populate_physmap, increase and decrease_reservation (hypervisor 4.4-4.6, 4.11)', () => {
  const h = useHost('4node');

  async function guest(config: xc_createdomain_config = HVM, max_memkb: number | bigint = -1): Promise<number> {
    const d = await xc_domain_create(h.xch, DOMID_ANY, config);
    await xc_domain_setmaxmem(h.xch, d, max_memkb);
    return d;
  }

  it('HVM populate maps GFNs and writes nothing back; tot_pages, current_reservation, maximum_gpfn follow', async () => {
    const d = await guest();
    const gfns = [0x1000, 0x2000];
    expect(await xc_domain_populate_physmap(h.xch, d, 2, 9, 0, gfns)).toBe(2);
    expect(gfns).toEqual([0x1000, 0x2000]);
    expect(await xc_get_tot_pages(h.xch, d)).toBe(1024);
    expect(await xc_domain_current_reservation(h.xch, d)).toBe(1024);
    expect(await xc_domain_maximum_gpfn(h.xch, d)).toBe(0x21ff);
    expect(await xc_domain_nr_gpfns(h.xch, d)).toBe(0x2200);
    await xc_domain_destroy(h.xch, d);
  });

  it('PV populate overwrites each GPFN with its extent\'s MFN: aligned, distinct, in RAM', async () => {
    const d = await guest(PV);
    const list = [0, 512, 1024];
    expect(await xc_domain_populate_physmap(h.xch, d, 3, 9, 0, list)).toBe(3);
    expect(new Set(list).size).toBe(3);
    for (const mfn of list) {
      expect(mfn % 512).toBe(0);
      expect(mfn + 511).toBeLessThan(h.xen.host.max_page);
    }
    // decrease_reservation takes a PV domain's MFNs back.
    await xc_domain_decrease_reservation_exact(h.xch, d, 3, 9, list);
    expect(await xc_get_tot_pages(h.xch, d)).toBe(0);
    await xc_domain_destroy(h.xch, d);
  });

  it('_exact turns a short count into EBUSY (populate), ENOMEM (increase), EINVAL (decrease)', async () => {
    const d = await guest(HVM, 512 * 4); // room for one order-9 extent
    expect(await xc_domain_populate_physmap(h.xch, d, 2, 9, 0, [0, 0x200])).toBe(1);
    expect(await errnoOf(xc_domain_populate_physmap_exact(h.xch, d, 1, 9, 0, [0x400]))).toBe('EBUSY');
    expect(await errnoOf(xc_domain_increase_reservation_exact(h.xch, d, 1, 0, 0, null))).toBe('ENOMEM');
    expect(await xc_domain_increase_reservation(h.xch, d, 1, 0, 0, null)).toBe(0);
    // GFN 0x200 was never populated: guest_remove_page's -ENOENT stops the loop at once.
    expect(await xc_domain_decrease_reservation(h.xch, d, 1, 9, [0x200])).toBe(0);
    expect(await errnoOf(xc_domain_decrease_reservation_exact(h.xch, d, 1, 9, [0x200]))).toBe('EINVAL');
    await xc_domain_decrease_reservation_exact(h.xch, d, 1, 9, [0]);
    expect(await xc_get_tot_pages(h.xch, d)).toBe(0);
    await xc_domain_destroy(h.xch, d);
  });

  it('decrease_reservation without a list is EINVAL in libxc, before any hypercall', async () => {
    expect(await errnoOf(xc_domain_decrease_reservation(h.xch, 4321, 1, 0, null))).toBe('EINVAL');
  });

  it('increase_reservation writes MFNs for PV, nothing for HVM, and counts the pages either way', async () => {
    const pv = await guest(PV);
    const mfns = [0, 0];
    expect(await xc_domain_increase_reservation(h.xch, pv, 2, 0, 0, mfns)).toBe(2);
    expect(mfns[0]).not.toBe(mfns[1]);
    expect(mfns.every((m) => m >= 0 && m < h.xen.host.max_page)).toBe(true);
    const hvm = await guest();
    const untouched = [7, 7];
    expect(await xc_domain_increase_reservation(h.xch, hvm, 2, 0, 0, untouched)).toBe(2);
    expect(untouched).toEqual([7, 7]);
    expect(await xc_get_tot_pages(h.xch, pv)).toBe(2);
    expect(await xc_get_tot_pages(h.xch, hvm)).toBe(2);
    await xc_domain_destroy(h.xch, pv);
    await xc_domain_destroy(h.xch, hvm);
  });

  it('a reservation op never fails: a missing domain, a bad node or too many extents answer 0 (statement 4.11)', async () => {
    expect(await xc_domain_populate_physmap(h.xch, 4321, 1, 0, 0, [0])).toBe(0);
    const d = await guest();
    expect(await xc_domain_populate_physmap(h.xch, d, 1, 0, XENMEMF_exact_node(64), [0])).toBe(0); // node >= MAX_NUMNODES
    expect(await xc_domain_populate_physmap(h.xch, d, 1, 0, 12, [0])).toBe(0); // address_bits <= PAGE_SHIFT
    expect(await xc_domain_populate_physmap(h.xch, d, 0x4000000, 0, 0, [0])).toBe(0); // nr_extents > UINT_MAX >> 6
    expect(await xc_get_tot_pages(h.xch, d)).toBe(0);
    await xc_domain_destroy(h.xch, d);
  });

  it('the order limit is the caller\'s: 18 for the control domain, 9 for a guest populating itself (XSA-31)', async () => {
    const d = await guest();
    expect(await xc_domain_populate_physmap(h.xch, d, 1, 19, 0, [0])).toBe(0);
    expect(await xc_domain_populate_physmap(h.xch, d, 1, 18, 0, [0])).toBe(1);
    const self = await xc_interface_open(h.address, { caller: d });
    try {
      expect(await xc_domain_populate_physmap(self, d, 1, 10, 0, [1 << 18])).toBe(0);
      expect(await xc_domain_populate_physmap(self, d, 1, 9, 0, [1 << 18])).toBe(1);
    } finally {
      xc_interface_close(self);
    }
    expect(await xc_get_tot_pages(h.xch, d)).toBe((1 << 18) + 512);
    await xc_domain_destroy(h.xch, d);
  });

  it('the exact bit alone, with no node, is ignored (propagate_node): the populate succeeds', async () => {
    const d = await guest();
    expect(await xc_domain_populate_physmap(h.xch, d, 1, 0, XENMEMF_exact_node_request, [0])).toBe(1);
    await xc_domain_destroy(h.xch, d);
  });

  it('XENMEMF_exact_node(n) from the control domain places every extent on node n (numa_op node pages)', async () => {
    const d = await guest();
    await xc_domain_populate_physmap_exact(h.xch, d, 4, 9, XENMEMF_exact_node(2), [0, 0x200, 0x400, 0x600]);
    expect(await nodePages(h, d)).toEqual([0, 0, 2048, 0]);
    await xc_domain_destroy(h.xch, d);
  });

  it('the simple queries: maximum_ram_page is max_page; a missing domain is ESRCH', async () => {
    expect(await xc_maximum_ram_page(h.xch)).toBe(h.xen.host.max_page);
    expect(await errnoOf(xc_domain_current_reservation(h.xch, 4321))).toBe('ESRCH');
    expect(await errnoOf(xc_domain_maximum_reservation(h.xch, 4321))).toBe('ESRCH');
    expect(await errnoOf(xc_domain_maximum_gpfn(h.xch, 4321))).toBe('ESRCH');
    expect(await errnoOf(xc_get_tot_pages(h.xch, 4321))).toBe('ESRCH');
    expect(await xc_domain_current_reservation(h.xch, 0)).toBe(MB_PAGES(4096)); // dom0_mem=4096M
  });
});

describe('XenServer per-node memory: XEN_SYSCTL_numa_meminfo and XEN_DOMCTL_numa_op on an upstream host', () => {
  const h = useHost('4node');

  it('numa_meminfo: present (not spanned) bytes, numainfo\'s free bytes, no claims; a null buffer asks for the count', async () => {
    const n = await xc_numainfo(h.xch, 0, null, null);
    const ni: xc_meminfo_t[] = Array.from({ length: n }, () => ({ memsize: 0n, memfree: 0n }));
    await xc_numainfo(h.xch, n, ni, null);
    expect(await xc_numa_meminfo(h.xch, 0, null)).toBe(4);
    const mi = await meminfo(h);
    const present = [0, 1, 2, 3].map((i) => BigInt(h.xen.host.node_data[i]!.node_present_pages) * PAGE);
    expect(mi.map((m) => [m.size, m.free, m.claimed])).toEqual(ni.map((m, i) => [present[i], m.memfree, 0n]));
    expect(mi[0]!.size).toBeLessThan(ni[0]!.memsize); // node 0 spans the hole below 4 GiB
  });

  it('a populate shows in numa_op node pages and in the node\'s free bytes', async () => {
    const before = await meminfo(h);
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_setmaxmem(h.xch, d, -1);
    expect(await nodePages(h, d)).toEqual([0, 0, 0, 0]);
    await xc_domain_populate_physmap_exact(h.xch, d, 1, 9, XENMEMF_exact_node(1), [0]);
    expect(await nodePages(h, d)).toEqual([0, 512, 0, 0]);
    expect((await meminfo(h))[1]!.free).toBe(before[1]!.free - 512n * PAGE);
    await xc_domain_destroy(h.xch, d);
    expect((await meminfo(h))[1]!.free).toBe(before[1]!.free);
  });

  it('dom0\'s pages per node add up to its tot_pages', async () => {
    const pages = await nodePages(h, 0);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(MB_PAGES(4096));
  });

  it('claim sets are off on an upstream host: XEN_DOMCTL_claim_memory is EOPNOTSUPP or ENOSYS', async () => {
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_setmaxmem(h.xch, d, -1);
    const set: xen_memory_claim_t[] = [{ pages: 1024, target: 0, cmd: 0 }];
    expect(['EOPNOTSUPP', 'ENOSYS']).toContain(await errnoOf(xc_domain_claim_memory(h.xch, d, XEN_DOMCTL_CLAIM_MEMORY_SET, { value: 1 }, set)));
    await xc_domain_destroy(h.xch, d);
  });
});

describe('XenServer node claims (xc_domain_claim_pages_node; 4.20-scm-claim-pages)', () => {
  const h = useHost('4node', { node_claims: 'xenserver' });

  async function guest(): Promise<number> {
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_setmaxmem(h.xch, d, -1);
    return d;
  }

  it('a node claim shows as claimed bytes of that node; allocations stay on the node and consume it', async () => {
    const d = await guest();
    await xc_domain_claim_pages_node(h.xch, d, 1, 1024);
    expect(await outstanding(h)).toBe(1024);
    expect((await meminfo(h)).map((m) => m.claimed)).toEqual([0n, 1024n * PAGE, 0n, 0n]);
    await xc_domain_populate_physmap_exact(h.xch, d, 1, 9, 0, [0]); // no node asked: the claim pins it
    expect(await nodePages(h, d)).toEqual([0, 512, 0, 0]);
    expect(await outstanding(h)).toBe(512);
    expect((await meminfo(h))[1]!.claimed).toBe(512n * PAGE);
    await xc_domain_destroy(h.xch, d);
    expect(await outstanding(h)).toBe(0);
    expect((await meminfo(h)).every((m) => m.claimed === 0n)).toBe(true);
  });

  it('more than the node\'s unclaimed free memory is ENOMEM even when the host has room', async () => {
    const d = await guest();
    const free_pages = Number((await meminfo(h))[2]!.free / PAGE);
    expect(await errnoOf(xc_domain_claim_pages_node(h.xch, d, 2, free_pages + 1))).toBe('ENOMEM');
    await xc_domain_claim_pages_node(h.xch, d, 2, free_pages);
    expect((await meminfo(h))[2]!.claimed).toBe(BigInt(free_pages) * PAGE);
    await xc_domain_destroy(h.xch, d);
  });

  it('a node that is not online is ENOENT; XC_NUMA_NO_NODE is a host-wide claim', async () => {
    const d = await guest();
    expect(await errnoOf(xc_domain_claim_pages_node(h.xch, d, 7, 1024))).toBe('ENOENT');
    expect(await errnoOf(xc_domain_claim_pages_node(h.xch, d, 64, 1024))).toBe('ENOENT');
    await xc_domain_claim_pages_node(h.xch, d, XC_NUMA_NO_NODE, 1024);
    expect(await outstanding(h)).toBe(1024);
    expect((await meminfo(h)).every((m) => m.claimed === 0n)).toBe(true);
    await xc_domain_destroy(h.xch, d);
  });
});

describe('v7 claim sets (XEN_DOMCTL_claim_memory, proposed)', () => {
  const h = useHost('4node', { node_claims: 'claim-sets' });

  async function guest(): Promise<number> {
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_setmaxmem(h.xch, d, -1);
    return d;
  }

  it('SET installs node and host claims; GET reports {HOST, rest} then each node, after an ERANGE size query', async () => {
    const d = await guest();
    const set: xen_memory_claim_t[] = [
      { pages: 1024, target: 2, cmd: 0 },
      { pages: 256, target: XEN_DOMCTL_CLAIM_MEMORY_HOST, cmd: 0 },
    ];
    await xc_domain_claim_memory(h.xch, d, XEN_DOMCTL_CLAIM_MEMORY_SET, { value: 2 }, set);
    expect((await xc_domain_getinfo_single(h.xch, d)).outstanding_pages).toBe(1280);
    expect((await meminfo(h))[2]!.claimed).toBe(1024n * PAGE);
    const nr = { value: 0 };
    expect(await errnoOf(xc_domain_claim_memory(h.xch, d, XEN_DOMCTL_CLAIM_MEMORY_GET, nr, null))).toBe('ERANGE');
    expect(nr.value).toBe(2);
    const got: xen_memory_claim_t[] = Array.from({ length: nr.value }, () => ({ pages: 0, target: 0, cmd: 0 }));
    await xc_domain_claim_memory(h.xch, d, XEN_DOMCTL_CLAIM_MEMORY_GET, nr, got);
    expect(got).toEqual([
      { pages: 256, target: XEN_DOMCTL_CLAIM_MEMORY_HOST, cmd: 0 },
      { pages: 1024, target: 2, cmd: 0 },
    ]);
    await xc_domain_destroy(h.xch, d);
    expect(await outstanding(h)).toBe(0);
  });

  it('refuses empty and oversized sets, offline nodes, a non-zero cmd and unknown modes', async () => {
    const d = await guest();
    const one = (c: Partial<xen_memory_claim_t>): xen_memory_claim_t[] => [{ pages: 1024, target: 0, cmd: 0, ...c }];
    expect(await errnoOf(xc_domain_claim_memory(h.xch, d, XEN_DOMCTL_CLAIM_MEMORY_SET, { value: 0 }, []))).toBe('EINVAL');
    expect(await errnoOf(xc_domain_claim_memory(h.xch, d, XEN_DOMCTL_CLAIM_MEMORY_SET, { value: 66 }, one({})))).toBe('E2BIG');
    expect(await errnoOf(xc_domain_claim_memory(h.xch, d, XEN_DOMCTL_CLAIM_MEMORY_SET, { value: 1 }, one({ target: 64 })))).toBe('ENOENT');
    expect(await errnoOf(xc_domain_claim_memory(h.xch, d, XEN_DOMCTL_CLAIM_MEMORY_SET, { value: 1 }, one({ cmd: 1 })))).toBe('EINVAL');
    expect(await errnoOf(xc_domain_claim_memory(h.xch, d, 2, { value: 1 }, one({})))).toBe('EOPNOTSUPP');
    expect(await outstanding(h)).toBe(0);
    await xc_domain_destroy(h.xch, d);
  });
});

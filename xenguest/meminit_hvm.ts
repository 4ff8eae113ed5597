// HVM guest memory population (tools/libs/guest/xg_dom_x86.c: meminit_hvm, check_mmio_hole).
// docs: /work/shared/reference/xen-userspace.md §3.2 gives the algorithm this follows.
import { XC_NUMA_NO_NODE, xc_domain_claim_pages, xc_domain_populate_physmap, xc_domain_populate_physmap_exact } from '../libxc/xc_memory.js';
import { XenError, isXenError } from '../libxc/xc_error.js';
import type { xen_vmemrange_t } from '../libxc/xc_vnuma.js';
import type { ErrnoName } from '../proto/public/errno.js';
import { XENMEMF_exact_node, XENMEMF_get_node, XENMEMF_populate_on_demand } from '../proto/public/xenmem_flags.js';
import type { xc_dom_image } from './xc_dom.js';

const PAGE_SHIFT = 12;
/** SUPERPAGE_1GB_SHIFT / _NR_PFNS and SUPERPAGE_2MB_* (xg_private.h). */
const SUPERPAGE_1GB_SHIFT = 18;
const SUPERPAGE_1GB_NR_PFNS = 1 << SUPERPAGE_1GB_SHIFT;
const SUPERPAGE_2MB_SHIFT = 9;
const SUPERPAGE_2MB_NR_PFNS = 1 << SUPERPAGE_2MB_SHIFT;
/** The 2 MiB path takes at most four extents (8 MiB) per iteration, as Xen's max_pages. */
const MAX_2MB_EXTENTS_PER_PASS = 4;
/** Pages below the VGA hole that a device-model guest gets populated first (0xA0000 bytes). */
const VGA_HOLE_START_PFN = 0xa0;
/** First page after the VGA hole (0xC0000 bytes); ranges starting at 0 resume here. */
const VGA_HOLE_END_PFN = 0xc0;
const FOUR_GIB = 2 ** 32;

const FN = 'meminit_hvm';

/** x & (n-1) and -x & (n-1) for a power of two n, without JavaScript's 32-bit bitwise operators (GFNs pass 2^32). */
const lowPart = (x: number, n: number): number => x % n;
const toBoundary = (x: number, n: number): number => (n - (x % n)) % n;

/** Port of check_mmio_hole: whether [start, start+memsize) meets [mmio_start, mmio_start+mmio_size). */
export function check_mmio_hole(start: number, memsize: number, mmio_start: number, mmio_size: number): boolean {
  return !(start + memsize <= mmio_start || start >= mmio_start + mmio_size);
}

const hex64 = (v: number): string => BigInt.asUintN(64, BigInt(v)).toString(16);
const hex016 = (v: number): string => hex64(v).padStart(16, '0');

/** What meminit_hvm does with its DOMPRINTF before `goto error_out`: log, then fail with the errno of the cause. */
function fail(dom: xc_dom_image, msg: string, name: ErrnoName, cause?: unknown): XenError {
  dom.log?.(msg);
  const errno = isXenError(cause) ? cause.errno : undefined;
  const e = errno === undefined ? XenError.of(FN, name, msg) : new XenError(FN, errno, msg);
  if (cause !== undefined) Object.assign(e, { cause });
  return e;
}

/** The dummy layout of a guest without vNUMA: one vnode, lowmem and (above 4 GiB) highmem, on any node. */
function dummyVnuma(dom: xc_dom_image): { ranges: xen_vmemrange_t[]; vnode_to_pnode: number[] } {
  const ranges: xen_vmemrange_t[] = [{ start: 0n, end: BigInt(dom.lowmem_end), flags: 0, nid: 0 }];
  if (dom.highmem_end > FOUR_GIB) ranges.push({ start: BigInt(FOUR_GIB), end: BigInt(dom.highmem_end), flags: 0, nid: 0 });
  return { ranges, vnode_to_pnode: [XC_NUMA_NO_NODE] };
}

const gpfnRun = (first: number, count: number, stride: number): number[] => Array.from({ length: count }, (_, i) => first + i * stride);

/** xc_domain_populate_physmap as meminit_hvm uses it: C's -1 (here a XenError) is 0 extents done. */
async function populateSome(dom: xc_dom_image, nr_extents: number, order: number, flags: number, first_gpfn: number): Promise<number> {
  try {
    return await xc_domain_populate_physmap(dom.xch, dom.guest_domid, nr_extents, order, flags, gpfnRun(first_gpfn, nr_extents, 1 << order));
  } catch (e) {
    if (isXenError(e)) return 0;
    throw e;
  }
}

function placedPages(dom: xc_dom_image): number {
  return dom.stat_1gb_pages * SUPERPAGE_1GB_NR_PFNS + dom.stat_2mb_pages * SUPERPAGE_2MB_NR_PFNS + dom.stat_normal_pages;
}

/**
 * One pass of the inner loop of meminit_hvm at `cur` (< end): at most 1 GiB, tried as one 1 GiB
 * extent, else up to four 2 MiB extents, and the rest as 4 KiB pages (_exact). Returns the new
 * cur and, if the 4 KiB populate failed, its error (cur is advanced anyway, as in C).
 */
async function populatePass(dom: xc_dom_image, flags: number, cur: number, end: number): Promise<{ cur: number; err?: unknown }> {
  let count = Math.min(end - cur, SUPERPAGE_1GB_NR_PFNS);
  const cur_pfn = cur; // stale below: the 2 MiB clipping uses the value before the 1 GiB attempt, as in C

  if (lowPart(cur_pfn, SUPERPAGE_1GB_NR_PFNS) !== 0 && count > toBoundary(cur_pfn, SUPERPAGE_1GB_NR_PFNS)) count = toBoundary(cur_pfn, SUPERPAGE_1GB_NR_PFNS);
  else if (lowPart(count, SUPERPAGE_1GB_NR_PFNS) !== 0 && count > SUPERPAGE_1GB_NR_PFNS) count -= lowPart(count, SUPERPAGE_1GB_NR_PFNS); // unreachable after the min, kept as C has it

  if (
    lowPart(count, SUPERPAGE_1GB_NR_PFNS) === 0 &&
    lowPart(cur_pfn, SUPERPAGE_1GB_NR_PFNS) === 0 &&
    !check_mmio_hole(cur_pfn * 2 ** PAGE_SHIFT, SUPERPAGE_1GB_NR_PFNS * 2 ** PAGE_SHIFT, dom.mmio_start, dom.mmio_size)
  ) {
    const done = await populateSome(dom, count / SUPERPAGE_1GB_NR_PFNS, SUPERPAGE_1GB_SHIFT, flags, cur);
    if (done > 0) {
      dom.stat_1gb_pages += done;
      cur += done * SUPERPAGE_1GB_NR_PFNS;
      count -= done * SUPERPAGE_1GB_NR_PFNS;
      dom.progress?.(placedPages(dom), dom.total_pages);
    }
  }

  if (count !== 0) {
    count = Math.min(count, MAX_2MB_EXTENTS_PER_PASS * SUPERPAGE_2MB_NR_PFNS);
    if (lowPart(cur_pfn, SUPERPAGE_2MB_NR_PFNS) !== 0 && count > toBoundary(cur_pfn, SUPERPAGE_2MB_NR_PFNS)) count = toBoundary(cur_pfn, SUPERPAGE_2MB_NR_PFNS);
    else if (lowPart(count, SUPERPAGE_2MB_NR_PFNS) !== 0 && count > SUPERPAGE_2MB_NR_PFNS) count -= lowPart(count, SUPERPAGE_2MB_NR_PFNS);

    if (lowPart(count, SUPERPAGE_2MB_NR_PFNS) === 0 && lowPart(cur_pfn, SUPERPAGE_2MB_NR_PFNS) === 0) {
      const done = await populateSome(dom, count / SUPERPAGE_2MB_NR_PFNS, SUPERPAGE_2MB_SHIFT, flags, cur);
      if (done > 0) {
        dom.stat_2mb_pages += done;
        cur += done * SUPERPAGE_2MB_NR_PFNS;
        count -= done * SUPERPAGE_2MB_NR_PFNS;
        dom.progress?.(placedPages(dom), dom.total_pages);
      }
    }
  }

  if (count === 0) return { cur };
  let err: unknown;
  try {
    await xc_domain_populate_physmap_exact(dom.xch, dom.guest_domid, count, 0, flags, gpfnRun(cur, count, 1));
  } catch (e) {
    if (!isXenError(e)) throw e;
    err = e;
  }
  dom.stat_normal_pages += count; // counted even when the populate failed, as in C
  dom.progress?.(placedPages(dom), dom.total_pages);
  return { cur: cur + count, err };
}

/** The allocation loop of meminit_hvm over one vmemrange; the 4 KiB populate's error ends it. */
async function populateRange(dom: xc_dom_image, r: xen_vmemrange_t, pnode: number, memflags: number): Promise<unknown> {
  let flags = memflags; // meminit_hvm's local memflags: the PoD bit included when set
  if (pnode !== XC_NUMA_NO_NODE && XENMEMF_get_node(flags) === XENMEMF_get_node(0)) flags = (flags | XENMEMF_exact_node(pnode)) >>> 0; // only if the caller chose no node

  const end = Number(r.end >> BigInt(PAGE_SHIFT));
  let cur: number;
  if (r.start === 0n && dom.device_model) {
    cur = VGA_HOLE_END_PFN; // the VGA hole is skipped, yet counted as 4 KiB pages (stat starts at 0xc0)
    dom.stat_normal_pages += VGA_HOLE_END_PFN;
  } else {
    cur = Number(r.start >> BigInt(PAGE_SHIFT));
  }
  while (end > cur) {
    const pass = await populatePass(dom, flags, cur, end);
    cur = pass.cur;
    if (pass.err !== undefined) return pass.err;
  }
  return undefined;
}

/** The populates of meminit_hvm once the claim is in place: the PoD target, the low pages, the ranges. */
async function populate(dom: xc_dom_image, ranges: readonly xen_vmemrange_t[], vnode_to_pnode: readonly number[], memflags: number, pod: boolean): Promise<void> {
  const { xch, guest_domid: domid } = dom;
  if (pod) {
    // xc_domain_set_pod_target(domid, target_pages - vga_hole_size) would go here; xenemu does not
    // emulate populate-on-demand and its libxc has no such call, so this is a failure, never a success.
    throw fail(dom, `Could not set PoD target for HVM guest. (populate-on-demand is not emulated by xenemu: total_pages 0x${hex64(dom.total_pages)} > target_pages 0x${hex64(dom.target_pages)})`, 'EOPNOTSUPP');
  }

  if (dom.device_model) {
    try {
      await xc_domain_populate_physmap_exact(xch, domid, VGA_HOLE_START_PFN, 0, memflags, gpfnRun(0, VGA_HOLE_START_PFN, 1)); // base memflags: no node for these
    } catch (e) {
      if (!isXenError(e)) throw e;
      throw fail(dom, 'Could not populate low memory (< 0xA0).', 'ENOMEM', e);
    }
  }

  for (const r of ranges) {
    const err = await populateRange(dom, r, vnode_to_pnode[r.nid] ?? XC_NUMA_NO_NODE, memflags);
    if (err !== undefined) throw fail(dom, 'Could not allocate memory for HVM guest.', 'ENOMEM', err);
  }

  dom.log?.('PHYSICAL MEMORY ALLOCATION:');
  dom.log?.(`  4KB PAGES: 0x${hex016(dom.stat_normal_pages)}`);
  dom.log?.(`  2MB PAGES: 0x${hex016(dom.stat_2mb_pages)}`);
  dom.log?.(`  1GB PAGES: 0x${hex016(dom.stat_1gb_pages)}`);
}

/**
 * Port of meminit_hvm: lays out the vNUMA ranges (a dummy vnode without vNUMA), checks they hold
 * total_pages, claims target_pages - vga_hole_size, and populates 1 GiB / 2 MiB / 4 KiB extents
 * per range on the range's pnode. The claim is cancelled on every exit path, as C's `out:` label
 * does. Throws a XenError carrying Xen's message; the stats are left as far as they got.
 */
export async function meminit_hvm(dom: xc_dom_image): Promise<void> {
  const { xch, guest_domid: domid } = dom;
  dom.stat_1gb_pages = 0;
  dom.stat_2mb_pages = 0;
  dom.stat_normal_pages = 0;
  try {
    let memflags = dom.memflags;
    const pod = dom.total_pages > dom.target_pages;
    if (pod) memflags = (memflags | XENMEMF_populate_on_demand) >>> 0;

    let ranges: readonly xen_vmemrange_t[];
    let vnode_to_pnode: readonly number[];
    if (dom.vmemranges.length === 0) {
      ({ ranges, vnode_to_pnode } = dummyVnuma(dom));
    } else {
      if (pod) throw fail(dom, 'Cannot enable vNUMA and PoD at the same time', 'EINVAL');
      ranges = dom.vmemranges;
      vnode_to_pnode = dom.vnode_to_pnode;
    }

    let total_pages = 0;
    let p2m_size = 0;
    for (const r of ranges) {
      total_pages += Number((r.end - r.start) >> BigInt(PAGE_SHIFT));
      p2m_size = Math.max(p2m_size, Number(r.end >> BigInt(PAGE_SHIFT)));
    }
    if (total_pages !== dom.total_pages) throw fail(dom, `vNUMA memory pages mismatch (0x${hex64(total_pages)} != 0x${hex64(dom.total_pages)})`, 'EINVAL');
    dom.p2m_size = p2m_size;

    if (dom.claim_enabled) {
      try {
        await xc_domain_claim_pages(xch, domid, dom.target_pages - dom.vga_hole_size);
      } catch (e) {
        if (!isXenError(e)) throw e;
        throw fail(dom, 'Could not allocate memory for HVM guest as we cannot claim memory!', 'ENOMEM', e);
      }
    }
    await populate(dom, ranges, vnode_to_pnode, memflags, pod);
  } finally {
    await cancelClaim(dom);
  }
}

/** `out:` of meminit_hvm: xc_domain_claim_pages(xch, domid, 0), its result ignored as in C. */
async function cancelClaim(dom: xc_dom_image): Promise<void> {
  try {
    await xc_domain_claim_pages(dom.xch, dom.guest_domid, 0);
  } catch (e) {
    if (!isXenError(e)) throw e;
    dom.log?.(`meminit_hvm: cancelling the claim failed: ${e.message}`);
  }
}

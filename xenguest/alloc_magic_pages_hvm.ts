// The special pages of an HVM guest (tools/libs/guest/xg_dom_x86.c: alloc_magic_pages_hvm;
// X86_HVM_* in tools/include/xenguest.h).
import { xc_domain_populate_physmap_exact } from '../libxc/xc_memory.js';
import type { xc_dom_image } from './xc_dom.js';

/** X86_HVM_NR_SPECIAL_PAGES and X86_HVM_END_SPECIAL_REGION (xenguest.h). */
export const X86_HVM_NR_SPECIAL_PAGES = 8;
export const X86_HVM_END_SPECIAL_REGION = 0xff000;
/** The ioreq-server pages a device-model guest gets below the special pages (NR_IOREQ_SERVER_PAGES). */
const NR_IOREQ_SERVER_PAGES = 8;

/** SPECIALPAGE_* indexes (xg_dom_x86.c). */
export const SPECIALPAGE = { PAGING: 0, ACCESS: 1, SHARING: 2, BUFIOREQ: 3, XENSTORE: 4, IOREQ: 5, IDENT_PT: 6, CONSOLE: 7 } as const;

/** special_pfn(x): 0xfeff8 + x. */
export const special_pfn = (x: number): number => X86_HVM_END_SPECIAL_REGION - X86_HVM_NR_SPECIAL_PAGES + x;
/** ioreq_server_pfn(x): 0xfeff0 + x. */
export const ioreq_server_pfn = (x: number): number => special_pfn(0) - NR_IOREQ_SERVER_PAGES + x;

const run = (first: number, n: number): number[] => Array.from({ length: n }, (_, i) => first + i);

/**
 * Port of alloc_magic_pages_hvm, the populates only: the 8 special pages and, with a device model,
 * the 8 ioreq-server pages, order 0, memflags 0 (no node), _exact. Runs after meminit_hvm, so
 * outside its claim. Not emulated: clearing the pages (xc_clear_domain_pages), the HVM params
 * (STORE_PFN, IOREQ_PFN, ..., IOREQ_SERVER_PFN), the identity page table and the start-info
 * segment; xenemu has no guest memory contents nor HVM params. A XenError propagates as C's -1.
 */
export async function alloc_magic_pages_hvm(dom: xc_dom_image): Promise<void> {
  const { xch, guest_domid: domid } = dom;
  await xc_domain_populate_physmap_exact(xch, domid, X86_HVM_NR_SPECIAL_PAGES, 0, 0, run(special_pfn(0), X86_HVM_NR_SPECIAL_PAGES));
  if (dom.device_model)
    await xc_domain_populate_physmap_exact(xch, domid, NR_IOREQ_SERVER_PAGES, 0, 0, run(ioreq_server_pfn(0), NR_IOREQ_SERVER_PAGES));
}

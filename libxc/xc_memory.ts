// Memory of domains (tools/libs/ctrl/xc_domain.c, xc_private.c): the maximum, claims,
// reservations and populate, and the page-count queries. XenServer's node claims and per-node
// counts (xenserver-next/xen 4.20-scm-claim-pages, 4.20-scm-domain-numa-get-node_pages;
// xen.pg tools-xc_numa_meminfo.patch) and the proposed v7 claim sets are here too.
import { XEN_DOMCTL } from '../proto/public/domctl.js';
import { XEN_DOMCTL_NUMA_OP_GET_NODE_PAGES } from '../proto/public/domctl_memory.js';
import { XENMEM } from '../proto/public/memory.js';
import { XEN_SYSCTL } from '../proto/public/sysctl.js';
import { XENMEMF_exact_node } from '../proto/public/xenmem_flags.js';
import type { xen_memory_reservation__Output } from '../proto/generated/xen/xen_memory_reservation.js';
import { xc_domain_getinfo_single } from './xc_domain.js';
import { XenError } from './xc_error.js';
import { do_domctl, do_domctl_rc, do_sysctl, rcOf, xc_memory_op, type xc_interface } from './xc_private.js';

/** XC_NUMA_NO_NODE (xenguest.h): no node; a claim on it is host-wide. */
export const XC_NUMA_NO_NODE = 0xffffffff;

/** XenServer's libxc refuses nodes XENMEMF_node cannot encode (0xFF would read as "no node"). */
const XENMEMF_NODE_LIMIT = 0xff;

/** A C uint64_t / unsigned long argument as it travels: -1 is 2^64-1, as C's conversion makes it. */
const u64 = (v: number | bigint): string => BigInt.asUintN(64, BigInt(v)).toString();

/** xc_domain_setmaxmem: XEN_DOMCTL_max_mem; max_pages becomes max_memkb / 4 (Xen caps it at 2^32-1, so -1 means no limit). */
export async function xc_domain_setmaxmem(xch: xc_interface, domid: number, max_memkb: number | bigint): Promise<void> {
  await do_domctl(xch, 'xc_domain_setmaxmem', { cmd: XEN_DOMCTL.max_mem, domain: domid, max_mem: { max_memkb: u64(max_memkb) } });
}

/** The claim as libxc issues it: no extent list, order 0, nr_extents = the absolute page target. */
async function claim(xch: xc_interface, fn: string, domid: number, nr_pages: number, mem_flags: number): Promise<void> {
  await xc_memory_op(xch, fn, {
    cmd: XENMEM.claim_pages,
    reservation: { extent_start: null, nr_extents: u64(nr_pages), extent_order: 0, mem_flags, domid },
  });
}

/**
 * xc_domain_claim_pages: XENMEM_claim_pages; 0 cancels. Since 4.22 (7672602d) an ENOSYS is an
 * error like any other, no longer taken for success.
 */
export async function xc_domain_claim_pages(xch: xc_interface, domid: number, nr_pages: number): Promise<void> {
  await claim(xch, 'xc_domain_claim_pages', domid, nr_pages, 0);
}

/**
 * xc_domain_claim_pages_node (XenServer): a claim on one node, or host-wide for XC_NUMA_NO_NODE.
 * A node from 0xFF up (other than XC_NUMA_NO_NODE) is ERANGE without a hypercall.
 */
export async function xc_domain_claim_pages_node(xch: xc_interface, domid: number, node: number, nr_pages: number): Promise<void> {
  const fn = 'xc_domain_claim_pages_node';
  const n = node >>> 0;
  if (n !== XC_NUMA_NO_NODE && n >= XENMEMF_NODE_LIMIT) throw XenError.of(fn, 'ERANGE', `node ${n}`);
  await claim(xch, fn, domid, nr_pages, n === XC_NUMA_NO_NODE ? 0 : XENMEMF_exact_node(n));
}

/** xen_memory_claim_t (v7 claim sets): target is a node, XEN_DOMCTL_CLAIM_MEMORY_HOST or _LEGACY. */
export interface xen_memory_claim_t {
  pages: number;
  target: number;
  cmd: number;
}

/**
 * xc_domain_claim_memory (proposed v7): SET installs `claim_set` (nr_entries entries) in place of
 * the domain's claims; GET fills it. nr_entries is IN/OUT as C's pointer: on a GET whose buffer
 * is too small Xen answers ERANGE and leaves the count needed in it (query with 0 and null).
 */
export async function xc_domain_claim_memory(
  xch: xc_interface,
  domid: number,
  mode: number,
  nr_entries: { value: number },
  claim_set: xen_memory_claim_t[] | null,
): Promise<void> {
  const fn = 'xc_domain_claim_memory';
  const r = await do_domctl_rc(xch, fn, {
    cmd: XEN_DOMCTL.claim_memory,
    domain: domid,
    claim_memory: {
      nr_entries: nr_entries.value,
      mode,
      claim_set: claim_set === null ? null : { buf: claim_set.slice(0, nr_entries.value).map((c) => ({ pages: u64(c.pages), target: c.target, cmd: c.cmd })) },
    },
  });
  const out = r.op.claim_memory;
  if (out) nr_entries.value = out.nr_entries;
  out?.claim_set?.buf.forEach((c, i) => {
    if (claim_set !== null && i < claim_set.length) claim_set[i] = { pages: Number(c.pages), target: c.target, cmd: c.cmd };
  });
  rcOf(fn, r.rc);
}

/** Copies the frame numbers Xen wrote back into the caller's array (the bounce-out of C). */
function unbounce(out: xen_memory_reservation__Output | null | undefined, extent_start: number[] | null): void {
  out?.extent_start?.buf.forEach((f, i) => {
    if (extent_start !== null && i < extent_start.length) extent_start[i] = Number(f);
  });
}

/** One reservation sub-op; the count of extents Xen completed. */
async function reservation(
  xch: xc_interface,
  fn: string,
  cmd: number,
  domid: number,
  nr_extents: number,
  extent_order: number,
  mem_flags: number,
  extent_start: number[] | null,
): Promise<number> {
  const r = await xc_memory_op(xch, fn, {
    cmd,
    reservation: {
      // Safe integers travel as numbers (protobufjs encodes them directly; a string is parsed into a Long first).
      extent_start: extent_start === null ? null : { buf: extent_start.map((f) => (Number.isSafeInteger(f) && f >= 0 ? f : u64(f))) },
      nr_extents: u64(nr_extents),
      extent_order,
      mem_flags,
      domid,
    },
  });
  unbounce(r.op.reservation, extent_start);
  return r.rc;
}

/**
 * xc_domain_increase_reservation: the number of extents allocated (possibly fewer than asked).
 * `extent_start` may be null; for a PV domain Xen writes each extent's MFN into it.
 */
export function xc_domain_increase_reservation(
  xch: xc_interface,
  domid: number,
  nr_extents: number,
  extent_order: number,
  mem_flags: number,
  extent_start: number[] | null,
): Promise<number> {
  return reservation(xch, 'xc_domain_increase_reservation', XENMEM.increase_reservation, domid, nr_extents, extent_order, mem_flags, extent_start);
}

/** xc_domain_increase_reservation_exact: all or ENOMEM. */
export async function xc_domain_increase_reservation_exact(
  xch: xc_interface,
  domid: number,
  nr_extents: number,
  extent_order: number,
  mem_flags: number,
  extent_start: number[] | null,
): Promise<void> {
  const done = await xc_domain_increase_reservation(xch, domid, nr_extents, extent_order, mem_flags, extent_start);
  if (done !== nr_extents)
    throw XenError.of('xc_domain_increase_reservation_exact', 'ENOMEM', `dom ${domid}: ${done} of ${nr_extents} extents of order ${extent_order}, mem_flags ${mem_flags.toString(16)}`);
}

/**
 * xc_domain_decrease_reservation: frees the extents at the frame numbers given (MFNs for PV,
 * GFNs for HVM); the number of extents freed. A null list is EINVAL without a hypercall.
 */
export async function xc_domain_decrease_reservation(
  xch: xc_interface,
  domid: number,
  nr_extents: number,
  extent_order: number,
  extent_start: number[] | null,
): Promise<number> {
  const fn = 'xc_domain_decrease_reservation';
  if (extent_start === null) throw XenError.of(fn, 'EINVAL', 'extent_start is NULL');
  return reservation(xch, fn, XENMEM.decrease_reservation, domid, nr_extents, extent_order, 0, extent_start);
}

/** xc_domain_decrease_reservation_exact: all or EINVAL. */
export async function xc_domain_decrease_reservation_exact(xch: xc_interface, domid: number, nr_extents: number, extent_order: number, extent_start: number[] | null): Promise<void> {
  const done = await xc_domain_decrease_reservation(xch, domid, nr_extents, extent_order, extent_start);
  if (done !== nr_extents) throw XenError.of('xc_domain_decrease_reservation_exact', 'EINVAL', `dom ${domid}: ${done} of ${nr_extents} extents of order ${extent_order}`);
}

/**
 * xc_domain_populate_physmap: backs the GFNs in `extent_start` with memory; the number of extents
 * done. For a PV domain Xen overwrites each done entry with its MFN; for HVM it writes nothing.
 */
export function xc_domain_populate_physmap(
  xch: xc_interface,
  domid: number,
  nr_extents: number,
  extent_order: number,
  mem_flags: number,
  extent_start: number[],
): Promise<number> {
  return reservation(xch, 'xc_domain_populate_physmap', XENMEM.populate_physmap, domid, nr_extents, extent_order, mem_flags, extent_start);
}

/** xc_domain_populate_physmap_exact: all or EBUSY. */
export async function xc_domain_populate_physmap_exact(
  xch: xc_interface,
  domid: number,
  nr_extents: number,
  extent_order: number,
  mem_flags: number,
  extent_start: number[],
): Promise<void> {
  const done = await xc_domain_populate_physmap(xch, domid, nr_extents, extent_order, mem_flags, extent_start);
  if (done !== nr_extents) throw XenError.of('xc_domain_populate_physmap_exact', 'EBUSY', `dom ${domid}: ${done} of ${nr_extents} extents of order ${extent_order}`);
}

/** xc_domain_maximum_gpfn: the highest GFN the domain has mapped. */
export async function xc_domain_maximum_gpfn(xch: xc_interface, domid: number): Promise<number> {
  return (await xc_memory_op(xch, 'xc_domain_maximum_gpfn', { cmd: XENMEM.maximum_gpfn, domain: { domid } })).rc;
}

/** xc_domain_nr_gpfns: maximum_gpfn + 1. */
export async function xc_domain_nr_gpfns(xch: xc_interface, domid: number): Promise<number> {
  return (await xc_domain_maximum_gpfn(xch, domid)) + 1;
}

/** xc_maximum_ram_page: Xen's max_page, one past the highest RAM MFN. */
export async function xc_maximum_ram_page(xch: xc_interface): Promise<number> {
  return (await xc_memory_op(xch, 'xc_maximum_ram_page', { cmd: XENMEM.maximum_ram_page })).rc;
}

/** xc_get_tot_pages: the domain's tot_pages, read through getdomaininfo as libxc does. */
export async function xc_get_tot_pages(xch: xc_interface, domid: number): Promise<number> {
  return (await xc_domain_getinfo_single(xch, domid)).tot_pages;
}

/**
 * XENMEM_current_reservation: the domain's tot_pages. libxc has no wrapper for this sub-op (guest
 * kernels issue it directly); a xenemu addition, named after the sub-op.
 */
export async function xc_domain_current_reservation(xch: xc_interface, domid: number): Promise<number> {
  return (await xc_memory_op(xch, 'xc_domain_current_reservation', { cmd: XENMEM.current_reservation, domain: { domid } })).rc;
}

/** XENMEM_maximum_reservation: the domain's max_pages. No libxc wrapper either; a xenemu addition. */
export async function xc_domain_maximum_reservation(xch: xc_interface, domid: number): Promise<number> {
  return (await xc_memory_op(xch, 'xc_domain_maximum_reservation', { cmd: XENMEM.maximum_reservation, domain: { domid } })).rc;
}

/** xen_sysctl_node_meminfo_t (XenServer): bytes, which can pass 2^53; ~0 on an offline node. */
export interface xc_node_meminfo_t {
  size: bigint;
  free: bigint;
  claimed: bigint;
}

/**
 * xc_numa_meminfo (XenServer, as xenopsd's Xenctrlext calls it): with a null array, the number of
 * nodes; otherwise fills up to max_nodes entries of {size, free, claimed} and returns the count
 * Xen wrote.
 */
export async function xc_numa_meminfo(xch: xc_interface, max_nodes: number, meminfo: xc_node_meminfo_t[] | null): Promise<number> {
  const op = await do_sysctl(xch, 'xc_numa_meminfo', {
    cmd: XEN_SYSCTL.numa_meminfo,
    numa_meminfo: { num_nodes: max_nodes, _rsvd: 0, meminfo: meminfo === null ? null : { buf: [] } },
  });
  const mi = op.numa_meminfo!;
  mi.meminfo?.buf.forEach((m, i) => {
    if (meminfo !== null && i < meminfo.length) meminfo[i] = { size: BigInt(m.size), free: BigInt(m.free), claimed: BigInt(m.claimed) };
  });
  return mi.num_nodes;
}

/**
 * xc_domain_numa_get_node_pages (XenServer): the pages the domain owns on each node, into
 * `node_tot_pages` (capacity nr_nodes); returns the node count Xen reports (last online node + 1).
 */
export async function xc_domain_numa_get_node_pages(xch: xc_interface, domid: number, nr_nodes: number, node_tot_pages: number[]): Promise<number> {
  const op = await do_domctl(xch, 'xc_domain_numa_get_node_pages', {
    cmd: XEN_DOMCTL.numa_op,
    domain: domid,
    numa_op: { op: XEN_DOMCTL_NUMA_OP_GET_NODE_PAGES, node_pages: { nr_nodes, node_tot_pages: { buf: [] } } },
  });
  const np = op.numa_op!.node_pages!;
  np.node_tot_pages?.buf.forEach((p, i) => {
    if (i < node_tot_pages.length) node_tot_pages[i] = Number(p);
  });
  return np.nr_nodes;
}

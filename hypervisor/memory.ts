// do_memory_op (xen/common/memory.c): reservations, claims and the simple queries.
import { CONTINUATION, PreemptMeter, type Continuation } from './continuation.js';
import type { Domain } from './domain.js';
import { alloc_domheap_pages, assign_pages, domain_set_outstanding_pages, free_domheap_pages } from './domheap.js';
import { neg } from './errno.js';
import { DOMID_SELF, domid, gfn, mfn as toMfn, nodeid, type DomId } from './ids.js';
import { MAX_NUMNODES, NUMA_NO_NODE } from './numa.js';
import { P2m } from './p2m.js';
import { MAX_ORDER, MEMF, memflags, flsl, type MemFlags } from './page_alloc.js';
import { MEMOP_CMD_MASK, MEMOP_EXTENT_SHIFT, XENMEM, type xen_memory_op, type xen_memory_reservation } from './public/memory.js';
import { MEMOP_MAX_EXTENTS } from '../proto/public/memory.js';
import { XENMEMF_exact_node_request, XENMEMF_get_address_bits, XENMEMF_get_node, XENMEMF_populate_on_demand, XENMEMF_vnode } from '../proto/public/xenmem_flags.js';
import type { Xen } from './xen.js';
import { get_vnumainfo } from './vnuma.js';
import { xsm_default_action } from './xsm.js';

/** memop-max-order= (xen/common/memory.c, x86 defaults): per caller class. */
export interface MemopMaxOrder {
  domu: number;
  ctldom: number;
  hwdom: number;
  ptdom: number;
}
export const DEFAULT_MEMOP_MAX_ORDER: MemopMaxOrder = { domu: 9, ctldom: MAX_ORDER, hwdom: 12, ptdom: 12 };

/** Guest physical frames an HVM p2m can map: 52 address bits (4-level HAP tables reach 2^40 GFNs). */
const P2M_MAX_GFNS = 2 ** 40;

/** Port of max_order: the largest order `d` may ask for, by what d is (the caller, not the target). */
export function max_order(xen: Xen, d: Domain): number {
  const o = xen.memop_max_order;
  let order = o.domu;
  if (d.is_privileged) order = Math.max(order, o.ctldom); // is_control_domain
  if (d.domain_id === 0) order = Math.max(order, o.hwdom); // is_hardware_domain
  return Math.min(order, MAX_ORDER);
}

/** rcu_lock_domain_by_any_id: DOMID_SELF is the caller. */
function lookupAny(xen: Xen, caller: Domain, id: number): Domain | undefined {
  return id === DOMID_SELF ? caller : xen.domain(domid(id));
}

/** The memop_args of Xen's reservation ops. */
interface MemopArgs {
  d: Domain;
  list: xen_memory_reservation['extent_start'];
  nr_extents: number;
  extent_order: number;
  mf: MemFlags;
  nr_done: number;
  preempted: boolean;
}

/**
 * Port of construct_memop_from_reservation with propagate_node: address bits (1..12 is an
 * error, values past the host's top are ignored), then vnode or node. Returns null on error.
 */
function construct_memop(xen: Xen, caller: Domain, d: Domain, r: xen_memory_reservation): MemFlags | null {
  const mf = memflags();
  const address_bits = XENMEMF_get_address_bits(r.mem_flags);
  // get_order_from_pages(max_page) + PAGE_SHIFT
  const topBits = flsl(Math.max(xen.host.max_page - 1, 1)) + 12;
  if (address_bits !== 0 && address_bits < topBits) {
    if (address_bits <= 12) return null;
    mf.bits = address_bits;
  }
  if ((r.mem_flags & XENMEMF_vnode) !== 0) {
    // A virtual node of d's vNUMA layout (no privilege needed); without vNUMA the bits are ignored.
    const v = d.vnuma;
    if (v === null) return mf;
    const vnode = XENMEMF_get_node(r.mem_flags);
    if (vnode >= v.nr_vnodes) return null;
    const pnode = v.vnode_to_pnode[vnode]!;
    if (pnode !== NUMA_NO_NODE) {
      mf.node = nodeid(pnode);
      if ((r.mem_flags & XENMEMF_exact_node_request) !== 0) mf.flags |= MEMF.exact_node;
    }
    return mf;
  }
  const node = XENMEMF_get_node(r.mem_flags);
  if (node === NUMA_NO_NODE) return mf;
  const exact = (r.mem_flags & XENMEMF_exact_node_request) !== 0;
  if (caller.domain_id === 0 || caller.is_privileged) {
    // Only the hardware and control domains may place memory; online-ness is not checked.
    if (node >= MAX_NUMNODES) return null;
    mf.node = nodeid(node);
    if (exact) mf.flags |= MEMF.exact_node;
    return mf;
  }
  return exact ? null : mf; // anyone else's hint is dropped, but an exact request fails
}

/** Port of the XENMEM_{increase,decrease}_reservation / populate_physmap case of do_memory_op. */
function reservation_op(xen: Xen, caller: Domain, op: xen_memory_op, sub: number, start_extent: number): number | Continuation {
  if (op.arg.kind !== 'reservation') return start_extent;
  const r = op.arg.op;
  if (r.nr_extents > MEMOP_MAX_EXTENTS) return start_extent; // too large to encode a continuation
  if (start_extent >= r.nr_extents) return start_extent;
  const d = lookupAny(xen, caller, r.domid);
  if (d === undefined) return start_extent;
  const mf = construct_memop(xen, caller, d, r);
  if (mf === null) return start_extent;
  if (sub === XENMEM.populate_physmap && (r.mem_flags & XENMEMF_populate_on_demand) !== 0) mf.flags |= MEMF.populate_on_demand;
  if (xsm_default_action('TARGET', caller, d) !== 0) return start_extent;
  const a: MemopArgs = { d, list: r.extent_start, nr_extents: r.nr_extents, extent_order: r.extent_order, mf, nr_done: start_extent, preempted: false };
  const meter = new PreemptMeter(xen.preempt_budget);
  if (sub === XENMEM.increase_reservation) increase_reservation(xen, caller, a, meter);
  else if (sub === XENMEM.decrease_reservation) decrease_reservation(xen, caller, a, meter);
  else populate_physmap(xen, caller, a, meter);
  if (!a.preempted) return a.nr_done;
  op.cmd = sub | (a.nr_done << MEMOP_EXTENT_SHIFT);
  return CONTINUATION;
}

/** hypercall_preempt_check at extent i, never on the first extent of a call; marks a as preempted. */
function preempt_check(a: MemopArgs, i: number, meter: PreemptMeter): boolean {
  if (i === a.nr_done || !meter.check()) return false;
  a.preempted = true;
  return true;
}

/** Port of increase_reservation: allocate and charge; a PV caller's list gets the MFNs. */
function increase_reservation(xen: Xen, caller: Domain, a: MemopArgs, meter: PreemptMeter): void {
  if (a.extent_order > max_order(xen, caller)) return;
  const pages = 1 << a.extent_order; // extent_order <= MAX_ORDER here
  let i = a.nr_done;
  for (; i < a.nr_extents; i++) {
    if (preempt_check(a, i, meter)) break;
    const pg = alloc_domheap_pages(xen, a.d, a.extent_order, a.mf);
    if (pg === null) break;
    // The MFN goes back into the caller's list; past its end the copy faults and the loop stops.
    if (!a.d.is_hvm && !a.list.isNull() && (i >= (a.list.input?.length ?? 0) || a.list.write(i, [pg.mfn]) !== 0)) break;
    meter.done(pages);
  }
  a.nr_done = i;
}

/**
 * Port of populate_physmap (4.22): the order limit of the caller (MAX_ORDER for PoD), then
 * per extent: read the GFN, allocate (before creation finishes without scrubbing, the dirty
 * pages being scrubbed here before assignment), map, and for PV write the MFN back.
 */
function populate_physmap(xen: Xen, caller: Domain, a: MemopArgs, meter: PreemptMeter): void {
  const pod = (a.mf.flags & MEMF.populate_on_demand) !== 0;
  if (a.extent_order > (pod ? MAX_ORDER : max_order(xen, caller))) return;
  const d = a.d;
  const mf: MemFlags = { ...a.mf };
  if (!d.creation_finished) mf.flags |= MEMF.no_tlbflush | MEMF.no_icache_flush | MEMF.no_scrub | MEMF.keep_scrub;
  const pages = 1 << a.extent_order; // extent_order <= MAX_ORDER here
  let i = a.nr_done;
  for (; i < a.nr_extents; i++) {
    if (preempt_check(a, i, meter)) break;
    const g = a.list.at(i);
    if (g < 0) break; // the copy faulted
    if (pod) {
      if (d === caller) break;
      // PoD entries are not emulated: for HVM, marking fails; for PV, Xen does nothing and counts.
      if (d.is_hvm) break;
      meter.done(pages);
      continue;
    }
    const pg = alloc_domheap_pages(xen, d, a.extent_order, mf);
    if (pg === null) break;
    if ((mf.flags & MEMF.keep_scrub) !== 0) {
      xen.heap.scrubbed_inline_pages += pg.dirty;
      if (assign_pages(d, pg, pages, mf.flags) !== 0) {
        xen.heap.free_heap_pages(pg.mfn, a.extent_order, pg.node, true);
        break;
      }
    }
    if (!guest_physmap_add_page(d, g, pg.mfn, pages)) break;
    if (!d.is_hvm && a.list.write(i, [pg.mfn]) !== 0) break;
    meter.done(pages);
  }
  a.nr_done = i;
}

/** guest_physmap_add_page: HVM maps the GFNs (p2m_add_page, old RAM there stays charged);
 *  PV only sets the M2P, which the emulator does not keep. */
function guest_physmap_add_page(d: Domain, g: number, m: number, count: number): boolean {
  if (!d.is_hvm) return true;
  if (g + count > P2M_MAX_GFNS) return false;
  d.p2m ??= new P2m();
  d.p2m.add(gfn(g), toMfn(m), count);
  return true;
}

/**
 * Port of decrease_reservation with guest_remove_page: every frame of each extent must be
 * mapped (HVM: a GFN in the p2m; PV: an MFN the domain owns); the first that is not stops
 * the loop, and frames of that extent already removed stay freed.
 */
function decrease_reservation(xen: Xen, caller: Domain, a: MemopArgs, meter: PreemptMeter): void {
  if (a.extent_order > max_order(xen, caller)) return;
  const pages = 1 << a.extent_order; // extent_order <= MAX_ORDER here
  let i = a.nr_done;
  for (; i < a.nr_extents; i++) {
    if (preempt_check(a, i, meter)) break;
    const first = a.list.at(i);
    if (first < 0) break; // the copy faulted
    if (!remove_frames(xen, a.d, first, pages)) break;
    meter.done(pages);
  }
  a.nr_done = i;
}

/** guest_remove_page over [first, first + count), run by run; false at the first failure. */
function remove_frames(xen: Xen, d: Domain, first: number, count: number): boolean {
  const end = first + count;
  // Bound: each step removes at least one frame.
  for (let f = first; f < end; ) {
    if (d.is_hvm) {
      const run = d.p2m?.lookup(gfn(f)) ?? null;
      if (run === null) return false; // -ENOENT, and no PoD entries to excuse it
      const n = Math.min(run.count, end - f);
      d.p2m!.remove(gfn(f), n);
      free_domheap_pages(xen, d, run.mfn, n);
      f += n;
    } else {
      if (f >= xen.host.max_page) return false; // !mfn_valid: -EINVAL
      const node = xen.host.mfn_to_nid(f);
      const run = node === NUMA_NO_NODE ? null : d.owned[node]!.runAt(f);
      if (run === null) return false; // get_page fails: -ENXIO
      const n = Math.min(run[1], end) - f;
      free_domheap_pages(xen, d, f, n);
      f += n;
    }
  }
  return true;
}

/**
 * The XENMEM_claim_pages case (4.22 order of checks), with the XenServer node variant when
 * the host enables it: mem_flags may then carry XENMEMF_exact_node(n).
 */
function claim_pages(xen: Xen, caller: Domain, op: xen_memory_op, start_extent: number): number {
  if (start_extent !== 0) return neg('EINVAL');
  const r = op.arg.kind === 'reservation' ? op.arg.op : null;
  if (r === null) return neg('EFAULT'); // unreachable: the codec gives an absent argument as a zero struct
  if (!r.extent_start.isNull()) return neg('EINVAL');
  if (r.extent_order !== 0) return neg('EINVAL');
  let node = NUMA_NO_NODE;
  if (xen.heap.node_claims_mode === 'xenserver') {
    if ((r.mem_flags & ~(0xff00 | XENMEMF_exact_node_request)) !== 0) return neg('EINVAL');
    if ((r.mem_flags & XENMEMF_exact_node_request) !== 0) {
      node = XENMEMF_get_node(r.mem_flags);
      if (node === NUMA_NO_NODE) return neg('EINVAL');
    }
  } else if (r.mem_flags !== 0) return neg('EINVAL');
  const d = r.domid === DOMID_SELF ? undefined : xen.domain(domid(r.domid));
  if (d === undefined) return neg('EINVAL'); // rcu_lock_domain_by_id: -EINVAL, not -ESRCH
  const denied = xsm_default_action('PRIV', caller, d);
  if (denied !== 0) return denied;
  if (d.is_dying !== 'alive') return neg('EINVAL');
  return domain_set_outstanding_pages(xen, d, Math.min(r.nr_extents, Number.MAX_SAFE_INTEGER), nodeid(node));
}

/** The current_reservation, maximum_reservation and maximum_gpfn cases of do_memory_op:
 *  DOMID_SELF allowed, XSM_TARGET. */
function domain_query(xen: Xen, caller: Domain, op: xen_memory_op, sub: number, start_extent: number): number {
  if (start_extent !== 0) return neg('EINVAL');
  const id = op.arg.kind === 'domain' ? op.arg.op.domid : 0;
  const d = lookupAny(xen, caller, id as DomId);
  if (d === undefined) return neg('ESRCH');
  const denied = xsm_default_action('TARGET', caller, d);
  if (denied !== 0) return denied;
  if (sub === XENMEM.current_reservation) return d.tot_pages;
  if (sub === XENMEM.maximum_reservation) return d.max_pages;
  return domain_get_maximum_gpfn(d);
}

/**
 * The XENMEM_get_vnumainfo case: start_extent and pad are -EINVAL, an unknown domain -ESRCH
 * (DOMID_SELF allowed), XSM_TARGET -EPERM, then the vNUMA data itself (vnuma.ts).
 */
function get_vnumainfo_op(xen: Xen, caller: Domain, op: xen_memory_op, start_extent: number): number {
  if (start_extent !== 0) return neg('EINVAL');
  if (op.arg.kind !== 'vnuma') return neg('EFAULT'); // unreachable: the codec always decodes it
  const t = op.arg.op;
  if (t.pad !== 0) return neg('EINVAL');
  const d = lookupAny(xen, caller, t.domid);
  if (d === undefined) return neg('ESRCH');
  const denied = xsm_default_action('TARGET', caller, d);
  if (denied !== 0) return denied;
  return get_vnumainfo(d, t);
}

/** Port of domain_get_maximum_gpfn (x86): the p2m's max_mapped_pfn for HVM; for PV
 *  (arch_get_max_pfn(d) ?: 1) - 1, and no PV guest here has published a max_pfn. */
function domain_get_maximum_gpfn(d: Domain): number {
  return d.is_hvm ? (d.p2m?.max_mapped_pfn ?? 0) : 0;
}

/**
 * Port of do_memory_op. Reservation ops answer a count of extents (start_extent on any early
 * failure, never an errno) and may be preempted into a continuation; the others answer 0, a
 * value or -errno. Sub-ops not emulated (exchange, vNUMA, PoD targets, ...) answer -ENOSYS.
 */
export function do_memory_op(xen: Xen, caller: Domain, op: xen_memory_op): number | Continuation {
  const sub = op.cmd & MEMOP_CMD_MASK;
  const start_extent = op.cmd >>> MEMOP_EXTENT_SHIFT;
  switch (sub) {
    case XENMEM.increase_reservation:
    case XENMEM.decrease_reservation:
    case XENMEM.populate_physmap:
      return reservation_op(xen, caller, op, sub, start_extent);
    case XENMEM.claim_pages:
      return claim_pages(xen, caller, op, start_extent);
    case XENMEM.maximum_ram_page:
      return start_extent !== 0 ? neg('EINVAL') : xen.host.max_page;
    case XENMEM.current_reservation:
    case XENMEM.maximum_reservation:
    case XENMEM.maximum_gpfn:
      return domain_query(xen, caller, op, sub, start_extent);
    case XENMEM.get_vnumainfo:
      return get_vnumainfo_op(xen, caller, op, start_extent);
    default:
      return neg('ENOSYS');
  }
}

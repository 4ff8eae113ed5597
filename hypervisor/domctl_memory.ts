// The memory domctls: XEN_DOMCTL_max_mem (xen/common/domctl.c), XenServer's
// XEN_DOMCTL_numa_op, and the proposed v7 XEN_DOMCTL_claim_memory (claim sets).
import type { Domain } from './domain.js';
import { domain_node_pages } from './domain.js';
import { release_claim } from './domheap.js';
import { neg } from './errno.js';
import type { GuestHandle } from './guest_handle.js';
import { MAX_NUMNODES } from './numa.js';
import {
  XEN_DOMCTL_CLAIM_MEMORY_GET,
  XEN_DOMCTL_CLAIM_MEMORY_HOST,
  XEN_DOMCTL_CLAIM_MEMORY_LEGACY,
  XEN_DOMCTL_CLAIM_MEMORY_SET,
  XEN_DOMCTL_NUMA_OP_GET_NODE_PAGES,
} from '../proto/public/domctl_memory.js';
import { domain_set_outstanding_pages } from './domheap.js';
import { nodeid } from './ids.js';
import type { Xen } from './xen.js';

export interface xen_memory_claim {
  pages: number;
  target: number;
  cmd: number;
}

export interface xen_domctl_claim_memory {
  claim_set: GuestHandle<xen_memory_claim>;
  nr_entries: number;
  mode: number;
}

export interface xen_domctl_numa_op {
  op: number;
  nr_nodes: number;
  node_tot_pages: GuestHandle<number>;
}

/** The XEN_DOMCTL_max_mem case: max_pages = min(max_memkb >> 2, 0xFFFFFFFF); never fails,
 *  even below tot_pages (further counted allocations then fail in assign_pages). */
export function max_mem(d: Domain, max_memkb: bigint): number {
  const pages = max_memkb >> 2n;
  d.max_pages = pages > 0xffffffffn ? 0xffffffff : Number(pages);
  return 0;
}

/**
 * XenServer's XEN_DOMCTL_numa_op GET_NODE_PAGES (domain_get_node_tot_pages, xenserver-next
 * 4.20): the pages d owns on each node, for min(capacity, last online node + 1) nodes; a short
 * capacity is clamped, not an error, and 0 writes nothing. Another op is -EINVAL.
 */
export function numa_op(xen: Xen, d: Domain, op: xen_domctl_numa_op): number {
  if (op.op !== XEN_DOMCTL_NUMA_OP_GET_NODE_PAGES) return neg('EINVAL');
  const n = Math.min(op.nr_nodes, xen.host.node_online_map.last() + 1);
  const rc = op.node_tot_pages.write(0, Array.from({ length: n }, (_, i) => domain_node_pages(d, i)));
  if (rc !== 0) return rc;
  op.nr_nodes = n;
  return 0;
}

/** XEN_DOMCTL_MAX_CLAIMS of v7: one entry per node plus the host entry. */
export const MAX_CLAIM_ENTRIES = MAX_NUMNODES + 1;

/**
 * The proposed XEN_DOMCTL_claim_memory (v7 claim sets, section 10.5), on hosts that enable
 * it: SET installs a claim set atomically, GET reads it back (host entry first).
 */
export function claim_memory(xen: Xen, d: Domain, op: xen_domctl_claim_memory): number {
  if (op.mode === XEN_DOMCTL_CLAIM_MEMORY_GET) return get_claim_entries(d, op);
  if (op.mode !== XEN_DOMCTL_CLAIM_MEMORY_SET) return neg('EOPNOTSUPP');
  if (op.nr_entries === 0) return neg('EINVAL');
  if (op.nr_entries > MAX_CLAIM_ENTRIES) return neg('E2BIG');
  if (d.is_dying !== 'alive') return neg('ESRCH');
  const entries = op.claim_set.read(op.nr_entries);
  if (typeof entries === 'number') return entries;
  return set_claim_entries(xen, d, entries);
}

/** domain_get_claim_entries: {HOST, host part}, then each node with a claim; -ERANGE and the
 *  count needed when the caller has room for fewer, with nothing copied. */
function get_claim_entries(d: Domain, op: xen_domctl_claim_memory): number {
  const nodeSum = d.node_claims.reduce((s, c) => s + c, 0);
  const out: xen_memory_claim[] = [{ pages: d.outstanding_pages - nodeSum, target: XEN_DOMCTL_CLAIM_MEMORY_HOST, cmd: 0 }];
  d.node_claims.forEach((c, n) => {
    if (c > 0) out.push({ pages: c, target: n, cmd: 0 });
  });
  const room = Math.min(op.nr_entries, MAX_CLAIM_ENTRIES);
  op.nr_entries = out.length;
  if (room < out.length) return neg('ERANGE');
  return op.claim_set.write(0, out);
}

/** Port of domain_set_claim_entries (v7): validate every entry, then replace d's claims. */
function set_claim_entries(xen: Xen, d: Domain, entries: readonly xen_memory_claim[]): number {
  const heap = xen.heap;
  let host = 0;
  let special = 0;
  let legacy: number | null = null;
  const perNode = new Map<number, number>();
  for (const e of entries) {
    if (e.cmd !== 0) return neg('EINVAL');
    if (e.target === XEN_DOMCTL_CLAIM_MEMORY_HOST || e.target === XEN_DOMCTL_CLAIM_MEMORY_LEGACY) {
      if (++special > 1) return neg('EINVAL');
      if (e.target === XEN_DOMCTL_CLAIM_MEMORY_HOST) host = e.pages;
      else legacy = e.pages;
      continue;
    }
    if (e.target >= MAX_NUMNODES || !xen.host.node_online_map.test(e.target)) return neg('ENOENT');
    if (perNode.has(e.target)) return neg('EINVAL');
    if (e.pages > heap.node_avail_pages[e.target]! - heap.node_claimed_pages[e.target]! + d.node_claims[e.target]!) return neg('ENOMEM');
    perNode.set(e.target, e.pages);
  }
  if (legacy !== null) {
    // The old XENMEM_claim_pages rules: an absolute target, 0 releases.
    if (perNode.size > 0) return neg('EINVAL');
    return domain_set_outstanding_pages(xen, d, legacy, nodeid(0xff));
  }
  const nodeSum = [...perNode.values()].reduce((s, p) => s + p, 0);
  if (host === 0 && nodeSum === 0) {
    release_claim(xen, d);
    return 0;
  }
  if (nodeSum + host + d.tot_pages > d.max_pages) return neg('EINVAL');
  if (nodeSum + host > heap.total_avail_pages - heap.outstanding_claims + d.outstanding_pages) return neg('ENOMEM');
  release_claim(xen, d);
  d.outstanding_pages = host + nodeSum;
  heap.outstanding_claims += d.outstanding_pages;
  for (const [n, p] of perNode) {
    d.node_claims[n] = p;
    heap.node_claimed_pages[n]! += p;
  }
  return 0;
}

// The engine's view of xen/include/public/memory.h (do_memory_op).
import type { GuestHandle } from '../guest_handle.js';
import type { xen_vnuma_topology_info } from '../vnuma.js';
export { XENMEM, MEMOP_EXTENT_SHIFT, MEMOP_CMD_MASK } from '../../proto/public/memory.js';

/** struct xen_memory_reservation. Frame numbers past 2^53 arrive clamped to 2^53 - 1. */
export interface xen_memory_reservation {
  extent_start: GuestHandle<number>;
  nr_extents: number;
  extent_order: number;
  mem_flags: number;
  domid: number;
}

/** The argument of each sub-op, tagged; `none` for sub-ops that take none or are not served. */
export type MemoryOpArg =
  | { kind: 'reservation'; op: xen_memory_reservation }
  | { kind: 'domain'; op: { domid: number } }
  | { kind: 'vnuma'; op: xen_vnuma_topology_info }
  | { kind: 'none' };

export interface xen_memory_op {
  /** sub-op | start_extent << MEMOP_EXTENT_SHIFT; a continuation rewrites it. */
  cmd: number;
  arg: MemoryOpArg;
}

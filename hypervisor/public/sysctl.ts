// The engine's view of xen/include/public/sysctl.h: the structs the sysctl handlers take and
// fill. Scalars are plain numbers; byte sizes that can pass 2^53 are bigint.
export { XEN_SYSCTL_INTERFACE_VERSION, XEN_SYSCTL, XEN_SYSCTL_CPUPOOL_OP } from '../../proto/public/sysctl.js';
import type { xen_sysctl_cputopo, xen_sysctl_meminfo, xen_sysctl_physinfo } from '../../proto/public/sysctl.js';
export type { xen_sysctl_cputopo, xen_sysctl_meminfo, xen_sysctl_physinfo };
import type { GuestHandle } from '../guest_handle.js';
import type { XenctlBitmap } from '../bitmap.js';
import type { xen_domctl_getdomaininfo } from './domctl.js';

export interface xen_sysctl_numainfo {
  num_nodes: number;
  meminfo: GuestHandle<xen_sysctl_meminfo>;
  distance: GuestHandle<number>;
}

export interface xen_sysctl_cputopoinfo {
  num_cpus: number;
  cputopo: GuestHandle<xen_sysctl_cputopo>;
}

export interface xen_sysctl_getdomaininfolist {
  first_domain: number;
  max_domains: number;
  buffer: GuestHandle<xen_domctl_getdomaininfo>;
  num_domains: number;
}

/** XenServer's struct xen_sysctl_node_meminfo: bytes, ~0 in every field for an offline node. */
export interface xen_sysctl_node_meminfo {
  size: bigint;
  free: bigint;
  claimed: bigint;
}

export interface xen_sysctl_numa_meminfo {
  num_nodes: number;
  /** _rsvd on the wire: must be 0. */
  rsvd: number;
  meminfo: GuestHandle<xen_sysctl_node_meminfo>;
}

export interface xen_sysctl_sched_id {
  sched_id: number;
}

export interface xen_sysctl_cpupool_op {
  op: number;
  cpupool_id: number;
  sched_id: number;
  domid: number;
  cpu: number;
  n_dom: number;
  cpumap: XenctlBitmap;
}

export type { xen_sysctl_readconsole } from '../console.js';
import type { xen_sysctl_readconsole } from '../console.js';

export interface xen_sysctl_debug_keys {
  keys: GuestHandle<number>;
  nr_keys: number;
}

/** The sub-op payloads the engine implements, tagged by the union member Xen would use. */
export type SysctlPayload =
  | { kind: 'readconsole'; op: xen_sysctl_readconsole }
  | { kind: 'debug_keys'; op: xen_sysctl_debug_keys }
  | { kind: 'physinfo'; op: xen_sysctl_physinfo }
  | { kind: 'numainfo'; op: xen_sysctl_numainfo }
  | { kind: 'cputopoinfo'; op: xen_sysctl_cputopoinfo }
  | { kind: 'getdomaininfolist'; op: xen_sysctl_getdomaininfolist }
  | { kind: 'sched_id'; op: xen_sysctl_sched_id }
  | { kind: 'cpupool_op'; op: xen_sysctl_cpupool_op }
  | { kind: 'numa_meminfo'; op: xen_sysctl_numa_meminfo }
  /** A sub-op the engine does not implement yet: the payload is not decoded. */
  | { kind: 'other' };

export interface xen_sysctl {
  cmd: number;
  interface_version: number;
  u: SysctlPayload;
}

// The engine's view of xen/include/public/domctl.h.
export { XEN_DOMCTL_INTERFACE_VERSION, XEN_DOMCTL, XEN_DOMINF, XEN_INVALID_MAX_VCPU_ID, XEN_VCPUAFFINITY } from '../../proto/public/domctl.js';
import type { xen_arch_domainconfig, xen_domctl_createdomain, xen_domctl_getdomaininfo, xen_domctl_getvcpuinfo } from '../../proto/public/domctl.js';
import type { XenctlBitmap } from '../bitmap.js';
import type { xen_domctl_claim_memory, xen_domctl_numa_op } from '../domctl_memory.js';
import type { xen_domctl_vnuma } from '../vnuma.js';
export type { xen_arch_domainconfig, xen_domctl_createdomain, xen_domctl_getdomaininfo, xen_domctl_getvcpuinfo };

export interface xen_domctl_vcpuaffinity {
  vcpu: number;
  flags: number;
  cpumap_hard: XenctlBitmap;
  cpumap_soft: XenctlBitmap;
}

export interface xen_domctl_nodeaffinity {
  nodemap: XenctlBitmap;
}

export interface xen_domctl_max_vcpus {
  max: number;
}

/** The sub-ops the engine implements, tagged by their union member; `none` for commands
 *  without a payload (destroydomain, pausedomain, unpausedomain). */
export type DomctlPayload =
  | { kind: 'getdomaininfo'; op: xen_domctl_getdomaininfo }
  | { kind: 'createdomain'; op: xen_domctl_createdomain }
  | { kind: 'max_vcpus'; op: xen_domctl_max_vcpus }
  | { kind: 'getvcpuinfo'; op: xen_domctl_getvcpuinfo }
  | { kind: 'vcpuaffinity'; op: xen_domctl_vcpuaffinity }
  | { kind: 'nodeaffinity'; op: xen_domctl_nodeaffinity }
  | { kind: 'set_target'; op: { target: number } }
  | { kind: 'max_mem'; op: { max_memkb: bigint } }
  | { kind: 'numa_op'; op: xen_domctl_numa_op }
  | { kind: 'claim_memory'; op: xen_domctl_claim_memory }
  | { kind: 'vnuma'; op: xen_domctl_vnuma }
  | { kind: 'none' }
  | { kind: 'other' };

export interface xen_domctl {
  cmd: number;
  interface_version: number;
  domain: number;
  u: DomctlPayload;
  /** Set by a handler whose failure still copies the struct back (Xen's per-case copyback). */
  copyback?: boolean;
}

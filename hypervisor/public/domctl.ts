// The engine's view of xen/include/public/domctl.h.
export { XEN_DOMCTL_INTERFACE_VERSION, XEN_DOMCTL, XEN_DOMINF, XEN_INVALID_MAX_VCPU_ID } from '../../proto/public/domctl.js';
export interface xen_arch_domainconfig {
  emulation_flags: number;
  misc_flags: number;
}

export interface xen_domctl_getdomaininfo {
  domain: number;
  flags: number;
  tot_pages: number;
  max_pages: number;
  outstanding_pages: number;
  shr_pages: number;
  paged_pages: number;
  shared_info_frame: number;
  cpu_time: bigint;
  nr_online_vcpus: number;
  max_vcpu_id: number;
  ssidref: number;
  handle: Uint8Array;
  cpupool: number;
  gpaddr_bits: number;
  arch_config: xen_arch_domainconfig;
}

export type DomctlPayload = { kind: 'getdomaininfo'; op: xen_domctl_getdomaininfo } | { kind: 'other' };

export interface xen_domctl {
  cmd: number;
  interface_version: number;
  domain: number;
  u: DomctlPayload;
}

// The engine's view of xen/include/public/domctl.h.
export { XEN_DOMCTL_INTERFACE_VERSION, XEN_DOMCTL, XEN_DOMINF, XEN_INVALID_MAX_VCPU_ID } from '../../proto/public/domctl.js';
import type { xen_arch_domainconfig, xen_domctl_getdomaininfo } from '../../proto/public/domctl.js';
export type { xen_arch_domainconfig, xen_domctl_getdomaininfo };
export type DomctlPayload = { kind: 'getdomaininfo'; op: xen_domctl_getdomaininfo } | { kind: 'other' };

export interface xen_domctl {
  cmd: number;
  interface_version: number;
  domain: number;
  u: DomctlPayload;
}

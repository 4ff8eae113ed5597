// Original file: proto/xen/sysctl.proto

import type { xen_domctl_getdomaininfo as _xen_xen_domctl_getdomaininfo, xen_domctl_getdomaininfo__Output as _xen_xen_domctl_getdomaininfo__Output } from '../xen/xen_domctl_getdomaininfo.js';

export interface guest_handle_getdomaininfo {
  'buf'?: (_xen_xen_domctl_getdomaininfo)[];
}

export interface guest_handle_getdomaininfo__Output {
  'buf': (_xen_xen_domctl_getdomaininfo__Output)[];
}

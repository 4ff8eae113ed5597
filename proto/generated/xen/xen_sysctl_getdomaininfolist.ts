// Original file: proto/xen/sysctl.proto

import type { guest_handle_getdomaininfo as _xen_guest_handle_getdomaininfo, guest_handle_getdomaininfo__Output as _xen_guest_handle_getdomaininfo__Output } from '../xen/guest_handle_getdomaininfo.js';

export interface xen_sysctl_getdomaininfolist {
  'first_domain'?: (number);
  'max_domains'?: (number);
  'buffer'?: (_xen_guest_handle_getdomaininfo | null);
  'num_domains'?: (number);
}

export interface xen_sysctl_getdomaininfolist__Output {
  'first_domain': (number);
  'max_domains': (number);
  'buffer': (_xen_guest_handle_getdomaininfo__Output | null);
  'num_domains': (number);
}

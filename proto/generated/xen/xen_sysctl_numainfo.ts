// Original file: proto/xen/sysctl.proto

import type { guest_handle_meminfo as _xen_guest_handle_meminfo, guest_handle_meminfo__Output as _xen_guest_handle_meminfo__Output } from '../xen/guest_handle_meminfo.js';
import type { guest_handle_uint32 as _xen_guest_handle_uint32, guest_handle_uint32__Output as _xen_guest_handle_uint32__Output } from '../xen/guest_handle_uint32.js';

export interface xen_sysctl_numainfo {
  'num_nodes'?: (number);
  'meminfo'?: (_xen_guest_handle_meminfo | null);
  'distance'?: (_xen_guest_handle_uint32 | null);
}

export interface xen_sysctl_numainfo__Output {
  'num_nodes': (number);
  'meminfo': (_xen_guest_handle_meminfo__Output | null);
  'distance': (_xen_guest_handle_uint32__Output | null);
}

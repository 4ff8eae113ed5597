// Original file: proto/xen/sysctl.proto

import type { guest_handle_uint8 as _xen_guest_handle_uint8, guest_handle_uint8__Output as _xen_guest_handle_uint8__Output } from '../xen/guest_handle_uint8.js';

export interface xen_sysctl_debug_keys {
  'keys'?: (_xen_guest_handle_uint8 | null);
  'nr_keys'?: (number);
}

export interface xen_sysctl_debug_keys__Output {
  'keys': (_xen_guest_handle_uint8__Output | null);
  'nr_keys': (number);
}

// Original file: proto/xen/sysctl.proto

import type { guest_handle_uint8 as _xen_guest_handle_uint8, guest_handle_uint8__Output as _xen_guest_handle_uint8__Output } from '../xen/guest_handle_uint8.js';

export interface xen_sysctl_readconsole {
  'clear'?: (number);
  'incremental'?: (number);
  'pad'?: (number);
  'index'?: (number);
  'buffer'?: (_xen_guest_handle_uint8 | null);
  'count'?: (number);
}

export interface xen_sysctl_readconsole__Output {
  'clear': (number);
  'incremental': (number);
  'pad': (number);
  'index': (number);
  'buffer': (_xen_guest_handle_uint8__Output | null);
  'count': (number);
}

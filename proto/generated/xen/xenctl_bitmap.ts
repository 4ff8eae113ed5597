// Original file: proto/xen/types.proto

import type { guest_handle_uint8 as _xen_guest_handle_uint8, guest_handle_uint8__Output as _xen_guest_handle_uint8__Output } from '../xen/guest_handle_uint8.js';

export interface xenctl_bitmap {
  'bitmap'?: (_xen_guest_handle_uint8 | null);
  'nr_bits'?: (number);
}

export interface xenctl_bitmap__Output {
  'bitmap': (_xen_guest_handle_uint8__Output | null);
  'nr_bits': (number);
}

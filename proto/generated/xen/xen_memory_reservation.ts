// Original file: proto/xen/memory.proto

import type { guest_handle_uint64 as _xen_guest_handle_uint64, guest_handle_uint64__Output as _xen_guest_handle_uint64__Output } from '../xen/guest_handle_uint64.js';
import type { Long } from '@grpc/proto-loader';

export interface xen_memory_reservation {
  'extent_start'?: (_xen_guest_handle_uint64 | null);
  'nr_extents'?: (number | string | Long);
  'extent_order'?: (number);
  'mem_flags'?: (number);
  'domid'?: (number);
}

export interface xen_memory_reservation__Output {
  'extent_start': (_xen_guest_handle_uint64__Output | null);
  'nr_extents': (string);
  'extent_order': (number);
  'mem_flags': (number);
  'domid': (number);
}

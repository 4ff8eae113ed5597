// Original file: proto/xen/domctl.proto

import type { guest_handle_uint64 as _xen_guest_handle_uint64, guest_handle_uint64__Output as _xen_guest_handle_uint64__Output } from '../xen/guest_handle_uint64.js';

export interface xen_domctl_numa_op {
  'cmd'?: (number);
  'nr_nodes'?: (number);
  'node_pages'?: (_xen_guest_handle_uint64 | null);
}

export interface xen_domctl_numa_op__Output {
  'cmd': (number);
  'nr_nodes': (number);
  'node_pages': (_xen_guest_handle_uint64__Output | null);
}

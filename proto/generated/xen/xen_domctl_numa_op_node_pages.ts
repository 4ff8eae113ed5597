// Original file: proto/xen/domctl.proto

import type { guest_handle_uint64 as _xen_guest_handle_uint64, guest_handle_uint64__Output as _xen_guest_handle_uint64__Output } from '../xen/guest_handle_uint64.js';

export interface xen_domctl_numa_op_node_pages {
  'nr_nodes'?: (number);
  'node_tot_pages'?: (_xen_guest_handle_uint64 | null);
}

export interface xen_domctl_numa_op_node_pages__Output {
  'nr_nodes': (number);
  'node_tot_pages': (_xen_guest_handle_uint64__Output | null);
}

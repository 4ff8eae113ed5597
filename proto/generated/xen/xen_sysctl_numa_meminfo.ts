// Original file: proto/xen/sysctl.proto

import type { guest_handle_node_meminfo as _xen_guest_handle_node_meminfo, guest_handle_node_meminfo__Output as _xen_guest_handle_node_meminfo__Output } from '../xen/guest_handle_node_meminfo.js';

export interface xen_sysctl_numa_meminfo {
  'num_nodes'?: (number);
  '_rsvd'?: (number);
  'meminfo'?: (_xen_guest_handle_node_meminfo | null);
}

export interface xen_sysctl_numa_meminfo__Output {
  'num_nodes': (number);
  '_rsvd': (number);
  'meminfo': (_xen_guest_handle_node_meminfo__Output | null);
}

// Original file: proto/xen/sysctl.proto

import type { xen_sysctl_node_meminfo as _xen_xen_sysctl_node_meminfo, xen_sysctl_node_meminfo__Output as _xen_xen_sysctl_node_meminfo__Output } from '../xen/xen_sysctl_node_meminfo.js';

export interface guest_handle_node_meminfo {
  'buf'?: (_xen_xen_sysctl_node_meminfo)[];
}

export interface guest_handle_node_meminfo__Output {
  'buf': (_xen_xen_sysctl_node_meminfo__Output)[];
}

// Original file: proto/xen/domctl.proto

import type { xen_domctl_numa_op_node_pages as _xen_xen_domctl_numa_op_node_pages, xen_domctl_numa_op_node_pages__Output as _xen_xen_domctl_numa_op_node_pages__Output } from '../xen/xen_domctl_numa_op_node_pages.js';

export interface xen_domctl_numa_op {
  'op'?: (number);
  'node_pages'?: (_xen_xen_domctl_numa_op_node_pages | null);
  'u'?: "node_pages";
}

export interface xen_domctl_numa_op__Output {
  'op': (number);
  'node_pages'?: (_xen_xen_domctl_numa_op_node_pages__Output | null);
  'u'?: "node_pages";
}

// Original file: proto/xen/hypervisor.proto

import type { xen_memory_op as _xen_xen_memory_op, xen_memory_op__Output as _xen_xen_memory_op__Output } from '../xen/xen_memory_op.js';
import type { Long } from '@grpc/proto-loader';

export interface memory_op_ret {
  'rc'?: (number | string | Long);
  'op'?: (_xen_xen_memory_op | null);
}

export interface memory_op_ret__Output {
  'rc': (string);
  'op': (_xen_xen_memory_op__Output | null);
}

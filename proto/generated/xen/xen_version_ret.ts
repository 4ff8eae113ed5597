// Original file: proto/xen/version.proto

import type { xen_version_op as _xen_xen_version_op, xen_version_op__Output as _xen_xen_version_op__Output } from '../xen/xen_version_op.js';
import type { Long } from '@grpc/proto-loader';

export interface xen_version_ret {
  'rc'?: (number | string | Long);
  'op'?: (_xen_xen_version_op | null);
}

export interface xen_version_ret__Output {
  'rc': (string);
  'op': (_xen_xen_version_op__Output | null);
}

// Original file: proto/xen/hypervisor.proto

import type { xen_domctl as _xen_xen_domctl, xen_domctl__Output as _xen_xen_domctl__Output } from '../xen/xen_domctl.js';
import type { Long } from '@grpc/proto-loader';

export interface domctl_ret {
  'rc'?: (number | string | Long);
  'op'?: (_xen_xen_domctl | null);
}

export interface domctl_ret__Output {
  'rc': (string);
  'op': (_xen_xen_domctl__Output | null);
}

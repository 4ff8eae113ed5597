// Original file: proto/xen/hypervisor.proto

import type { xen_sysctl as _xen_xen_sysctl, xen_sysctl__Output as _xen_xen_sysctl__Output } from '../xen/xen_sysctl.js';
import type { Long } from '@grpc/proto-loader';

export interface sysctl_ret {
  'rc'?: (number | string | Long);
  'op'?: (_xen_xen_sysctl | null);
}

export interface sysctl_ret__Output {
  'rc': (string);
  'op': (_xen_xen_sysctl__Output | null);
}

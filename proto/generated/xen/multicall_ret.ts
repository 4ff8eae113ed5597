// Original file: proto/xen/hypervisor.proto

import type { multicall_entry as _xen_multicall_entry, multicall_entry__Output as _xen_multicall_entry__Output } from '../xen/multicall_entry.js';
import type { Long } from '@grpc/proto-loader';

export interface multicall_ret {
  'rc'?: (number | string | Long);
  'call_list'?: (_xen_multicall_entry)[];
}

export interface multicall_ret__Output {
  'rc': (string);
  'call_list': (_xen_multicall_entry__Output)[];
}

// Original file: proto/xen/hypervisor.proto

import type { multicall_entry as _xen_multicall_entry, multicall_entry__Output as _xen_multicall_entry__Output } from '../xen/multicall_entry.js';

export interface multicall_list {
  'call_list'?: (_xen_multicall_entry)[];
}

export interface multicall_list__Output {
  'call_list': (_xen_multicall_entry__Output)[];
}

// Original file: proto/xen/hypervisor.proto

import type { xen_domctl as _xen_xen_domctl, xen_domctl__Output as _xen_xen_domctl__Output } from '../xen/xen_domctl.js';
import type { xen_sysctl as _xen_xen_sysctl, xen_sysctl__Output as _xen_xen_sysctl__Output } from '../xen/xen_sysctl.js';
import type { xen_memory_op as _xen_xen_memory_op, xen_memory_op__Output as _xen_xen_memory_op__Output } from '../xen/xen_memory_op.js';
import type { multicall_list as _xen_multicall_list, multicall_list__Output as _xen_multicall_list__Output } from '../xen/multicall_list.js';
import type { xen_version_op as _xen_xen_version_op, xen_version_op__Output as _xen_xen_version_op__Output } from '../xen/xen_version_op.js';
import type { Long } from '@grpc/proto-loader';

export interface multicall_entry {
  'op'?: (number);
  'result'?: (number | string | Long);
  'domctl'?: (_xen_xen_domctl | null);
  'sysctl'?: (_xen_xen_sysctl | null);
  'memory_op'?: (_xen_xen_memory_op | null);
  'multicall'?: (_xen_multicall_list | null);
  'xen_version'?: (_xen_xen_version_op | null);
  'args'?: "domctl"|"sysctl"|"memory_op"|"multicall"|"xen_version";
}

export interface multicall_entry__Output {
  'op': (number);
  'result': (string);
  'domctl'?: (_xen_xen_domctl__Output | null);
  'sysctl'?: (_xen_xen_sysctl__Output | null);
  'memory_op'?: (_xen_xen_memory_op__Output | null);
  'multicall'?: (_xen_multicall_list__Output | null);
  'xen_version'?: (_xen_xen_version_op__Output | null);
  'args'?: "domctl"|"sysctl"|"memory_op"|"multicall"|"xen_version";
}

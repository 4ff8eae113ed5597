// Original file: proto/xen/domctl.proto

import type { xen_domctl_createdomain as _xen_xen_domctl_createdomain, xen_domctl_createdomain__Output as _xen_xen_domctl_createdomain__Output } from '../xen/xen_domctl_createdomain.js';
import type { xen_domctl_getdomaininfo as _xen_xen_domctl_getdomaininfo, xen_domctl_getdomaininfo__Output as _xen_xen_domctl_getdomaininfo__Output } from '../xen/xen_domctl_getdomaininfo.js';
import type { xen_domctl_vcpuaffinity as _xen_xen_domctl_vcpuaffinity, xen_domctl_vcpuaffinity__Output as _xen_xen_domctl_vcpuaffinity__Output } from '../xen/xen_domctl_vcpuaffinity.js';
import type { xen_domctl_max_mem as _xen_xen_domctl_max_mem, xen_domctl_max_mem__Output as _xen_xen_domctl_max_mem__Output } from '../xen/xen_domctl_max_mem.js';
import type { xen_domctl_getvcpuinfo as _xen_xen_domctl_getvcpuinfo, xen_domctl_getvcpuinfo__Output as _xen_xen_domctl_getvcpuinfo__Output } from '../xen/xen_domctl_getvcpuinfo.js';
import type { xen_domctl_max_vcpus as _xen_xen_domctl_max_vcpus, xen_domctl_max_vcpus__Output as _xen_xen_domctl_max_vcpus__Output } from '../xen/xen_domctl_max_vcpus.js';
import type { xen_domctl_nodeaffinity as _xen_xen_domctl_nodeaffinity, xen_domctl_nodeaffinity__Output as _xen_xen_domctl_nodeaffinity__Output } from '../xen/xen_domctl_nodeaffinity.js';
import type { xen_domctl_vnuma as _xen_xen_domctl_vnuma, xen_domctl_vnuma__Output as _xen_xen_domctl_vnuma__Output } from '../xen/xen_domctl_vnuma.js';
import type { xen_domctl_claim_memory as _xen_xen_domctl_claim_memory, xen_domctl_claim_memory__Output as _xen_xen_domctl_claim_memory__Output } from '../xen/xen_domctl_claim_memory.js';
import type { xen_domctl_numa_op as _xen_xen_domctl_numa_op, xen_domctl_numa_op__Output as _xen_xen_domctl_numa_op__Output } from '../xen/xen_domctl_numa_op.js';
import type { xen_domctl_set_target as _xen_xen_domctl_set_target, xen_domctl_set_target__Output as _xen_xen_domctl_set_target__Output } from '../xen/xen_domctl_set_target.js';

export interface xen_domctl {
  'cmd'?: (number);
  'interface_version'?: (number);
  'domain'?: (number);
  'createdomain'?: (_xen_xen_domctl_createdomain | null);
  'getdomaininfo'?: (_xen_xen_domctl_getdomaininfo | null);
  'vcpuaffinity'?: (_xen_xen_domctl_vcpuaffinity | null);
  'max_mem'?: (_xen_xen_domctl_max_mem | null);
  'getvcpuinfo'?: (_xen_xen_domctl_getvcpuinfo | null);
  'max_vcpus'?: (_xen_xen_domctl_max_vcpus | null);
  'nodeaffinity'?: (_xen_xen_domctl_nodeaffinity | null);
  'vnuma'?: (_xen_xen_domctl_vnuma | null);
  'claim_memory'?: (_xen_xen_domctl_claim_memory | null);
  'numa_op'?: (_xen_xen_domctl_numa_op | null);
  'set_target'?: (_xen_xen_domctl_set_target | null);
  'u'?: "createdomain"|"getdomaininfo"|"vcpuaffinity"|"max_mem"|"getvcpuinfo"|"max_vcpus"|"nodeaffinity"|"vnuma"|"claim_memory"|"numa_op"|"set_target";
}

export interface xen_domctl__Output {
  'cmd': (number);
  'interface_version': (number);
  'domain': (number);
  'createdomain'?: (_xen_xen_domctl_createdomain__Output | null);
  'getdomaininfo'?: (_xen_xen_domctl_getdomaininfo__Output | null);
  'vcpuaffinity'?: (_xen_xen_domctl_vcpuaffinity__Output | null);
  'max_mem'?: (_xen_xen_domctl_max_mem__Output | null);
  'getvcpuinfo'?: (_xen_xen_domctl_getvcpuinfo__Output | null);
  'max_vcpus'?: (_xen_xen_domctl_max_vcpus__Output | null);
  'nodeaffinity'?: (_xen_xen_domctl_nodeaffinity__Output | null);
  'vnuma'?: (_xen_xen_domctl_vnuma__Output | null);
  'claim_memory'?: (_xen_xen_domctl_claim_memory__Output | null);
  'numa_op'?: (_xen_xen_domctl_numa_op__Output | null);
  'set_target'?: (_xen_xen_domctl_set_target__Output | null);
  'u'?: "createdomain"|"getdomaininfo"|"vcpuaffinity"|"max_mem"|"getvcpuinfo"|"max_vcpus"|"nodeaffinity"|"vnuma"|"claim_memory"|"numa_op"|"set_target";
}

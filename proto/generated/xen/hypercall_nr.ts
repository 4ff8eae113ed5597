// Original file: proto/xen/types.proto

export const hypercall_nr = {
  HYPERVISOR_none: 'HYPERVISOR_none',
  HYPERVISOR_memory_op: 'HYPERVISOR_memory_op',
  HYPERVISOR_multicall: 'HYPERVISOR_multicall',
  HYPERVISOR_xen_version: 'HYPERVISOR_xen_version',
  HYPERVISOR_sysctl: 'HYPERVISOR_sysctl',
  HYPERVISOR_domctl: 'HYPERVISOR_domctl',
} as const;

export type hypercall_nr =
  | 'HYPERVISOR_none'
  | 0
  | 'HYPERVISOR_memory_op'
  | 12
  | 'HYPERVISOR_multicall'
  | 13
  | 'HYPERVISOR_xen_version'
  | 17
  | 'HYPERVISOR_sysctl'
  | 35
  | 'HYPERVISOR_domctl'
  | 36

export type hypercall_nr__Output = typeof hypercall_nr[keyof typeof hypercall_nr]

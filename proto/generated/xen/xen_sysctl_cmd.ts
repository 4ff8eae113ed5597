// Original file: proto/xen/sysctl.proto

export const xen_sysctl_cmd = {
  XEN_SYSCTL_none: 'XEN_SYSCTL_none',
  XEN_SYSCTL_readconsole: 'XEN_SYSCTL_readconsole',
  XEN_SYSCTL_physinfo: 'XEN_SYSCTL_physinfo',
  XEN_SYSCTL_sched_id: 'XEN_SYSCTL_sched_id',
  XEN_SYSCTL_getdomaininfolist: 'XEN_SYSCTL_getdomaininfolist',
  XEN_SYSCTL_debug_keys: 'XEN_SYSCTL_debug_keys',
  XEN_SYSCTL_cputopoinfo: 'XEN_SYSCTL_cputopoinfo',
  XEN_SYSCTL_numainfo: 'XEN_SYSCTL_numainfo',
  XEN_SYSCTL_cpupool_op: 'XEN_SYSCTL_cpupool_op',
  XEN_SYSCTL_numa_meminfo: 'XEN_SYSCTL_numa_meminfo',
} as const;

export type xen_sysctl_cmd =
  | 'XEN_SYSCTL_none'
  | 0
  | 'XEN_SYSCTL_readconsole'
  | 1
  | 'XEN_SYSCTL_physinfo'
  | 3
  | 'XEN_SYSCTL_sched_id'
  | 4
  | 'XEN_SYSCTL_getdomaininfolist'
  | 6
  | 'XEN_SYSCTL_debug_keys'
  | 7
  | 'XEN_SYSCTL_cputopoinfo'
  | 16
  | 'XEN_SYSCTL_numainfo'
  | 17
  | 'XEN_SYSCTL_cpupool_op'
  | 18
  | 'XEN_SYSCTL_numa_meminfo'
  | 1117

export type xen_sysctl_cmd__Output = typeof xen_sysctl_cmd[keyof typeof xen_sysctl_cmd]

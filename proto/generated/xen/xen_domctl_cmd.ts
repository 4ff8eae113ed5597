// Original file: proto/xen/domctl.proto

export const xen_domctl_cmd = {
  XEN_DOMCTL_none: 'XEN_DOMCTL_none',
  XEN_DOMCTL_createdomain: 'XEN_DOMCTL_createdomain',
  XEN_DOMCTL_destroydomain: 'XEN_DOMCTL_destroydomain',
  XEN_DOMCTL_pausedomain: 'XEN_DOMCTL_pausedomain',
  XEN_DOMCTL_unpausedomain: 'XEN_DOMCTL_unpausedomain',
  XEN_DOMCTL_getdomaininfo: 'XEN_DOMCTL_getdomaininfo',
  XEN_DOMCTL_setvcpuaffinity: 'XEN_DOMCTL_setvcpuaffinity',
  XEN_DOMCTL_max_mem: 'XEN_DOMCTL_max_mem',
  XEN_DOMCTL_getvcpuinfo: 'XEN_DOMCTL_getvcpuinfo',
  XEN_DOMCTL_max_vcpus: 'XEN_DOMCTL_max_vcpus',
  XEN_DOMCTL_getvcpuaffinity: 'XEN_DOMCTL_getvcpuaffinity',
  XEN_DOMCTL_set_target: 'XEN_DOMCTL_set_target',
  XEN_DOMCTL_setnodeaffinity: 'XEN_DOMCTL_setnodeaffinity',
  XEN_DOMCTL_getnodeaffinity: 'XEN_DOMCTL_getnodeaffinity',
  XEN_DOMCTL_setvnumainfo: 'XEN_DOMCTL_setvnumainfo',
  XEN_DOMCTL_claim_memory: 'XEN_DOMCTL_claim_memory',
  XEN_DOMCTL_numa_op: 'XEN_DOMCTL_numa_op',
} as const;

export type xen_domctl_cmd =
  | 'XEN_DOMCTL_none'
  | 0
  | 'XEN_DOMCTL_createdomain'
  | 1
  | 'XEN_DOMCTL_destroydomain'
  | 2
  | 'XEN_DOMCTL_pausedomain'
  | 3
  | 'XEN_DOMCTL_unpausedomain'
  | 4
  | 'XEN_DOMCTL_getdomaininfo'
  | 5
  | 'XEN_DOMCTL_setvcpuaffinity'
  | 9
  | 'XEN_DOMCTL_max_mem'
  | 11
  | 'XEN_DOMCTL_getvcpuinfo'
  | 14
  | 'XEN_DOMCTL_max_vcpus'
  | 15
  | 'XEN_DOMCTL_getvcpuaffinity'
  | 25
  | 'XEN_DOMCTL_set_target'
  | 46
  | 'XEN_DOMCTL_setnodeaffinity'
  | 68
  | 'XEN_DOMCTL_getnodeaffinity'
  | 69
  | 'XEN_DOMCTL_setvnumainfo'
  | 74
  | 'XEN_DOMCTL_claim_memory'
  | 91
  | 'XEN_DOMCTL_numa_op'
  | 1101

export type xen_domctl_cmd__Output = typeof xen_domctl_cmd[keyof typeof xen_domctl_cmd]

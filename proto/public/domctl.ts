// Constants of xen/include/public/domctl.h, shared by the hypervisor and the tools.
export const XEN_DOMCTL_INTERFACE_VERSION = 0x18; // Xen 4.22

export const XEN_DOMCTL = {
  createdomain: 1,
  destroydomain: 2,
  pausedomain: 3,
  unpausedomain: 4,
  getdomaininfo: 5,
  setvcpuaffinity: 9,
  max_mem: 11,
  getvcpuinfo: 14,
  max_vcpus: 15,
  getvcpuaffinity: 25,
  set_target: 46,
  setnodeaffinity: 68,
  getnodeaffinity: 69,
  setvnumainfo: 74,
  claim_memory: 91,
  numa_op: 1101, // XenServer
} as const;

/** XEN_DOMINF_* flags of getdomaininfo. */
export const XEN_DOMINF = {
  dying: 1 << 0,
  hvm_guest: 1 << 1,
  shutdown: 1 << 2,
  paused: 1 << 3,
  blocked: 1 << 4,
  running: 1 << 5,
  debugged: 1 << 6,
  xs_domain: 1 << 7,
  hap: 1 << 8,
} as const;

export const XEN_INVALID_MAX_VCPU_ID = 0xffffffff;

// Structs both sides read the same way (xc_domaininfo_t is a typedef of this in xenctrl.h).
export interface xen_arch_domainconfig {
  emulation_flags: number;
  misc_flags: number;
}

export interface xen_domctl_getdomaininfo {
  domain: number;
  flags: number;
  tot_pages: number;
  max_pages: number;
  outstanding_pages: number;
  shr_pages: number;
  paged_pages: number;
  shared_info_frame: number;
  cpu_time: bigint;
  nr_online_vcpus: number;
  max_vcpu_id: number;
  ssidref: number;
  handle: Uint8Array;
  cpupool: number;
  gpaddr_bits: number;
  arch_config: xen_arch_domainconfig;
}

/** XEN_DOMCTL_CDF_* createdomain flags. */
export const XEN_DOMCTL_CDF = {
  hvm: 1 << 0,
  hap: 1 << 1,
  s3_integrity: 1 << 2,
  oos_off: 1 << 3,
  xs_domain: 1 << 4,
  iommu: 1 << 5,
  nested_virt: 1 << 6,
  vpmu: 1 << 7,
  trap_unmapped_accesses: 1 << 8,
} as const;
/** Every defined CDF bit; anything above is refused. */
export const XEN_DOMCTL_CDF_MASK = (1 << 9) - 1;
export const XEN_DOMCTL_IOMMU_no_sharept = 1;
/** grant_opts bits 0-3: the maximum grant table version. */
export const XEN_DOMCTL_GRANT_version_mask = 0xf;

/** struct xen_domctl_createdomain. */
export interface xen_domctl_createdomain {
  ssidref: number;
  handle: Uint8Array;
  flags: number;
  iommu_opts: number;
  max_vcpus: number;
  max_evtchn_port: number;
  max_grant_frames: number;
  max_maptrack_frames: number;
  grant_opts: number;
  altp2m_opts: number;
  altp2m_nr: number;
  vmtrace_size: number;
  cpupool_id: number;
  arch: xen_arch_domainconfig;
}

/** struct xen_domctl_getvcpuinfo. */
export interface xen_domctl_getvcpuinfo {
  vcpu: number;
  online: number;
  blocked: number;
  running: number;
  cpu_time: bigint;
  cpu: number;
}

/** XEN_VCPUAFFINITY_* flags of xen_domctl_vcpuaffinity. */
export const XEN_VCPUAFFINITY = { HARD: 1 << 0, SOFT: 1 << 1, FORCE: 1 << 2 } as const;

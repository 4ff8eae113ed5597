// Constants of xen/include/public/sysctl.h, shared by the hypervisor and the tools.
export const XEN_SYSCTL_INTERFACE_VERSION = 0x16; // Xen 4.21, 4.22

export const XEN_SYSCTL = {
  readconsole: 1,
  physinfo: 3,
  sched_id: 4,
  getdomaininfolist: 6,
  debug_keys: 7,
  cputopoinfo: 16,
  numainfo: 17,
  cpupool_op: 18,
  numa_meminfo: 1117, // XenServer
} as const;

export const XEN_SYSCTL_CPUPOOL_OP = { CREATE: 1, DESTROY: 2, INFO: 3, ADDCPU: 4, RMCPU: 5, MOVEDOMAIN: 6, FREEINFO: 7 } as const;

/** XEN_SCHEDULER_* ids (sched_id, cpupool_op). */
export const XEN_SCHEDULER = { credit: 5, credit2: 6, arinc653: 7, rtds: 8, null: 9 } as const;

// Invalid markers reported by numainfo and cputopoinfo.
export const XEN_INVALID_MEM_SZ = 0xffffffffn; // ~0U stored in a u64
export const XEN_INVALID_NODE_DIST = 0xffffffff;
export const XEN_INVALID_CORE_ID = 0xffffffff;
export const XEN_INVALID_SOCKET_ID = 0xffffffff;
export const XEN_INVALID_NODE_ID = 0xffffffff;

// The structs both sides read the same way (xc_physinfo_t, xc_meminfo_t, xc_cputopo_t are
// typedefs of these in xenctrl.h). Page counts are numbers; byte sizes bigint.
export interface xen_sysctl_physinfo {
  threads_per_core: number;
  cores_per_socket: number;
  nr_cpus: number;
  max_cpu_id: number;
  nr_nodes: number;
  max_node_id: number;
  cpu_khz: number;
  capabilities: number;
  arch_capabilities: number;
  pad: number;
  total_pages: number;
  free_pages: number;
  scrub_pages: number;
  outstanding_pages: number;
  max_mfn: number;
  hw_cap: number[];
}

export interface xen_sysctl_meminfo {
  memsize: bigint;
  memfree: bigint;
}

export interface xen_sysctl_cputopo {
  core: number;
  socket: number;
  node: number;
}

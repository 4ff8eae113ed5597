// NUMA constants (xen/include/xen/numa.h, xen/include/public/sysctl.h).
export const MAX_NUMNODES = 64; // CONFIG_NR_NUMA_NODES default
export const NUMA_NO_NODE = 0xff;
export const NUMA_NO_DISTANCE = 0xff;
export const NR_CPUS_DEFAULT = 256; // x86 Kconfig default
export const NR_CPUS_MAX = 16383; // Kconfig range 1-16383
export const LOCAL_DISTANCE = 10;
export const REMOTE_DISTANCE = 20; // without a SLIT (__node_distance)

export { XEN_INVALID_MEM_SZ, XEN_INVALID_NODE_DIST, XEN_INVALID_CORE_ID, XEN_INVALID_SOCKET_ID, XEN_INVALID_NODE_ID } from '../proto/public/sysctl.js';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

// Constants of the memory domctls that are not upstream (xen/include/public/domctl.h of the
// series that carry them), shared by the hypervisor and the tools.

/**
 * XEN_DOMCTL_claim_memory (91), proposed v7 claim sets (2026-05): an entry's `target` is a node
 * id, or one of these; `mode` is SET or GET.
 */
export const XEN_DOMCTL_CLAIM_MEMORY_HOST = 0x80000000;
export const XEN_DOMCTL_CLAIM_MEMORY_LEGACY = 0x40000000;
export const XEN_DOMCTL_CLAIM_MEMORY_SET = 0;
export const XEN_DOMCTL_CLAIM_MEMORY_GET = 1;

/** XEN_DOMCTL_numa_op (1101, XenServer) sub-ops. */
export const XEN_DOMCTL_NUMA_OP_GET_NODE_PAGES = 0;

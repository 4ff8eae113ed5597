// The XENMEMF_* encoding of xen_memory_reservation.mem_flags (xen/include/public/memory.h),
// shared by the hypervisor and the tools. Values are u32, as in C.

/** Bits 0-7: the highest address bit the pages may use; 0 = no restriction. */
export const XENMEMF_address_bits = (x: number): number => x >>> 0;
export const XENMEMF_get_address_bits = (f: number): number => f & 0xff;

/** Bits 8-15: node + 1; a field of 0 decodes to 0xFF (NUMA_NO_NODE), so nodes 0..254 encode. */
export const XENMEMF_node = (n: number): number => ((n + 1) << 8) >>> 0;
export const XENMEMF_get_node = (f: number): number => ((f >>> 8) - 1) & 0xff;

/** Bit 16: populate-on-demand (populate_physmap only). */
export const XENMEMF_populate_on_demand = 1 << 16;
/** Bit 17: the node is a requirement, not a preference. */
export const XENMEMF_exact_node_request = 1 << 17;
export const XENMEMF_exact_node = (n: number): number => (XENMEMF_node(n) | XENMEMF_exact_node_request) >>> 0;
/** Bit 18: the node field names a virtual node of the domain's vNUMA layout. */
export const XENMEMF_vnode = 1 << 18;

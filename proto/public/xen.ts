// Hypercall numbers served (xen/include/public/xen.h).
export const HYPERVISOR = {
  memory_op: 12,
  multicall: 13,
  xen_version: 17,
  sysctl: 35,
  domctl: 36,
} as const;

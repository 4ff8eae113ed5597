// Constants of xen/include/public/memory.h, shared by the hypervisor and the tools.
export const XENMEM = {
  increase_reservation: 0,
  decrease_reservation: 1,
  maximum_ram_page: 2,
  current_reservation: 3,
  maximum_reservation: 4,
  populate_physmap: 6,
  exchange: 11,
  maximum_gpfn: 14,
  claim_pages: 24,
  get_vnumainfo: 26,
} as const;

export const MEMOP_EXTENT_SHIFT = 6;

export const MEMOP_CMD_MASK = (1 << MEMOP_EXTENT_SHIFT) - 1;

/** nr_extents above UINT_MAX >> MEMOP_EXTENT_SHIFT cannot be continued (do_memory_op). */
export const MEMOP_MAX_EXTENTS = 0xffffffff >>> 6;

// Original file: proto/xen/memory.proto

export const xen_memory_cmd = {
  XENMEM_increase_reservation: 'XENMEM_increase_reservation',
  XENMEM_decrease_reservation: 'XENMEM_decrease_reservation',
  XENMEM_maximum_ram_page: 'XENMEM_maximum_ram_page',
  XENMEM_current_reservation: 'XENMEM_current_reservation',
  XENMEM_maximum_reservation: 'XENMEM_maximum_reservation',
  XENMEM_populate_physmap: 'XENMEM_populate_physmap',
  XENMEM_exchange: 'XENMEM_exchange',
  XENMEM_maximum_gpfn: 'XENMEM_maximum_gpfn',
  XENMEM_claim_pages: 'XENMEM_claim_pages',
  XENMEM_get_vnumainfo: 'XENMEM_get_vnumainfo',
} as const;

export type xen_memory_cmd =
  | 'XENMEM_increase_reservation'
  | 0
  | 'XENMEM_decrease_reservation'
  | 1
  | 'XENMEM_maximum_ram_page'
  | 2
  | 'XENMEM_current_reservation'
  | 3
  | 'XENMEM_maximum_reservation'
  | 4
  | 'XENMEM_populate_physmap'
  | 6
  | 'XENMEM_exchange'
  | 11
  | 'XENMEM_maximum_gpfn'
  | 14
  | 'XENMEM_claim_pages'
  | 24
  | 'XENMEM_get_vnumainfo'
  | 26

export type xen_memory_cmd__Output = typeof xen_memory_cmd[keyof typeof xen_memory_cmd]

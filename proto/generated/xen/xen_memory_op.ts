// Original file: proto/xen/memory.proto

import type { xen_memory_reservation as _xen_xen_memory_reservation, xen_memory_reservation__Output as _xen_xen_memory_reservation__Output } from '../xen/xen_memory_reservation.js';
import type { xen_memory_domain as _xen_xen_memory_domain, xen_memory_domain__Output as _xen_xen_memory_domain__Output } from '../xen/xen_memory_domain.js';
import type { xen_vnuma_topology_info as _xen_xen_vnuma_topology_info, xen_vnuma_topology_info__Output as _xen_xen_vnuma_topology_info__Output } from '../xen/xen_vnuma_topology_info.js';
import type { xen_memory_exchange as _xen_xen_memory_exchange, xen_memory_exchange__Output as _xen_xen_memory_exchange__Output } from '../xen/xen_memory_exchange.js';

export interface xen_memory_op {
  'cmd'?: (number);
  'reservation'?: (_xen_xen_memory_reservation | null);
  'domain'?: (_xen_xen_memory_domain | null);
  'vnuma'?: (_xen_xen_vnuma_topology_info | null);
  'exchange'?: (_xen_xen_memory_exchange | null);
  'arg'?: "reservation"|"domain"|"vnuma"|"exchange";
}

export interface xen_memory_op__Output {
  'cmd': (number);
  'reservation'?: (_xen_xen_memory_reservation__Output | null);
  'domain'?: (_xen_xen_memory_domain__Output | null);
  'vnuma'?: (_xen_xen_vnuma_topology_info__Output | null);
  'exchange'?: (_xen_xen_memory_exchange__Output | null);
  'arg'?: "reservation"|"domain"|"vnuma"|"exchange";
}

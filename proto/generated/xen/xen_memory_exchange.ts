// Original file: proto/xen/memory.proto

import type { xen_memory_reservation as _xen_xen_memory_reservation, xen_memory_reservation__Output as _xen_xen_memory_reservation__Output } from '../xen/xen_memory_reservation.js';
import type { Long } from '@grpc/proto-loader';

export interface xen_memory_exchange {
  'in'?: (_xen_xen_memory_reservation | null);
  'out'?: (_xen_xen_memory_reservation | null);
  'nr_exchanged'?: (number | string | Long);
}

export interface xen_memory_exchange__Output {
  'in': (_xen_xen_memory_reservation__Output | null);
  'out': (_xen_xen_memory_reservation__Output | null);
  'nr_exchanged': (string);
}

// Original file: proto/xen/domctl.proto

import type { xen_memory_claim as _xen_xen_memory_claim, xen_memory_claim__Output as _xen_xen_memory_claim__Output } from '../xen/xen_memory_claim.js';

export interface guest_handle_memory_claim {
  'buf'?: (_xen_xen_memory_claim)[];
}

export interface guest_handle_memory_claim__Output {
  'buf': (_xen_xen_memory_claim__Output)[];
}

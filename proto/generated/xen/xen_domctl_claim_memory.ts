// Original file: proto/xen/domctl.proto

import type { guest_handle_memory_claim as _xen_guest_handle_memory_claim, guest_handle_memory_claim__Output as _xen_guest_handle_memory_claim__Output } from '../xen/guest_handle_memory_claim.js';

export interface xen_domctl_claim_memory {
  'claim_set'?: (_xen_guest_handle_memory_claim | null);
  'nr_entries'?: (number);
  'mode'?: (number);
}

export interface xen_domctl_claim_memory__Output {
  'claim_set': (_xen_guest_handle_memory_claim__Output | null);
  'nr_entries': (number);
  'mode': (number);
}

// Original file: proto/xen/domctl.proto

import type { guest_handle_uint32 as _xen_guest_handle_uint32, guest_handle_uint32__Output as _xen_guest_handle_uint32__Output } from '../xen/guest_handle_uint32.js';
import type { guest_handle_vmemrange as _xen_guest_handle_vmemrange, guest_handle_vmemrange__Output as _xen_guest_handle_vmemrange__Output } from '../xen/guest_handle_vmemrange.js';

export interface xen_domctl_vnuma {
  'nr_vnodes'?: (number);
  'nr_vmemranges'?: (number);
  'nr_vcpus'?: (number);
  'pad'?: (number);
  'vdistance'?: (_xen_guest_handle_uint32 | null);
  'vcpu_to_vnode'?: (_xen_guest_handle_uint32 | null);
  'vnode_to_pnode'?: (_xen_guest_handle_uint32 | null);
  'vmemrange'?: (_xen_guest_handle_vmemrange | null);
}

export interface xen_domctl_vnuma__Output {
  'nr_vnodes': (number);
  'nr_vmemranges': (number);
  'nr_vcpus': (number);
  'pad': (number);
  'vdistance': (_xen_guest_handle_uint32__Output | null);
  'vcpu_to_vnode': (_xen_guest_handle_uint32__Output | null);
  'vnode_to_pnode': (_xen_guest_handle_uint32__Output | null);
  'vmemrange': (_xen_guest_handle_vmemrange__Output | null);
}

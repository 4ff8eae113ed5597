// Original file: proto/xen/domctl.proto

import type { xen_vmemrange as _xen_xen_vmemrange, xen_vmemrange__Output as _xen_xen_vmemrange__Output } from '../xen/xen_vmemrange.js';

export interface guest_handle_vmemrange {
  'buf'?: (_xen_xen_vmemrange)[];
}

export interface guest_handle_vmemrange__Output {
  'buf': (_xen_xen_vmemrange__Output)[];
}

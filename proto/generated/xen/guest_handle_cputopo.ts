// Original file: proto/xen/sysctl.proto

import type { xen_sysctl_cputopo as _xen_xen_sysctl_cputopo, xen_sysctl_cputopo__Output as _xen_xen_sysctl_cputopo__Output } from '../xen/xen_sysctl_cputopo.js';

export interface guest_handle_cputopo {
  'buf'?: (_xen_xen_sysctl_cputopo)[];
}

export interface guest_handle_cputopo__Output {
  'buf': (_xen_xen_sysctl_cputopo__Output)[];
}

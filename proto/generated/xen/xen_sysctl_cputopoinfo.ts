// Original file: proto/xen/sysctl.proto

import type { guest_handle_cputopo as _xen_guest_handle_cputopo, guest_handle_cputopo__Output as _xen_guest_handle_cputopo__Output } from '../xen/guest_handle_cputopo.js';

export interface xen_sysctl_cputopoinfo {
  'num_cpus'?: (number);
  'cputopo'?: (_xen_guest_handle_cputopo | null);
}

export interface xen_sysctl_cputopoinfo__Output {
  'num_cpus': (number);
  'cputopo': (_xen_guest_handle_cputopo__Output | null);
}

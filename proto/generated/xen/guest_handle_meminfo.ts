// Original file: proto/xen/sysctl.proto

import type { xen_sysctl_meminfo as _xen_xen_sysctl_meminfo, xen_sysctl_meminfo__Output as _xen_xen_sysctl_meminfo__Output } from '../xen/xen_sysctl_meminfo.js';

export interface guest_handle_meminfo {
  'buf'?: (_xen_xen_sysctl_meminfo)[];
}

export interface guest_handle_meminfo__Output {
  'buf': (_xen_xen_sysctl_meminfo__Output)[];
}

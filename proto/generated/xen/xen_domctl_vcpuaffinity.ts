// Original file: proto/xen/domctl.proto

import type { xenctl_bitmap as _xen_xenctl_bitmap, xenctl_bitmap__Output as _xen_xenctl_bitmap__Output } from '../xen/xenctl_bitmap.js';

export interface xen_domctl_vcpuaffinity {
  'vcpu'?: (number);
  'flags'?: (number);
  'cpumap_hard'?: (_xen_xenctl_bitmap | null);
  'cpumap_soft'?: (_xen_xenctl_bitmap | null);
}

export interface xen_domctl_vcpuaffinity__Output {
  'vcpu': (number);
  'flags': (number);
  'cpumap_hard': (_xen_xenctl_bitmap__Output | null);
  'cpumap_soft': (_xen_xenctl_bitmap__Output | null);
}

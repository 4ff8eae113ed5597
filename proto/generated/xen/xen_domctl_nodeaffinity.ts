// Original file: proto/xen/domctl.proto

import type { xenctl_bitmap as _xen_xenctl_bitmap, xenctl_bitmap__Output as _xen_xenctl_bitmap__Output } from '../xen/xenctl_bitmap.js';

export interface xen_domctl_nodeaffinity {
  'nodemap'?: (_xen_xenctl_bitmap | null);
}

export interface xen_domctl_nodeaffinity__Output {
  'nodemap': (_xen_xenctl_bitmap__Output | null);
}

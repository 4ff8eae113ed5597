// Original file: proto/xen/domctl.proto

import type { Long } from '@grpc/proto-loader';

export interface xen_domctl_max_mem {
  'max_memkb'?: (number | string | Long);
}

export interface xen_domctl_max_mem__Output {
  'max_memkb': (string);
}

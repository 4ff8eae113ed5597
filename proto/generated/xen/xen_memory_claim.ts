// Original file: proto/xen/domctl.proto

import type { Long } from '@grpc/proto-loader';

export interface xen_memory_claim {
  'pages'?: (number | string | Long);
  'target'?: (number);
  'cmd'?: (number);
}

export interface xen_memory_claim__Output {
  'pages': (string);
  'target': (number);
  'cmd': (number);
}

// Original file: proto/xen/sysctl.proto

import type { Long } from '@grpc/proto-loader';

export interface xen_sysctl_node_meminfo {
  'memsize'?: (number | string | Long);
  'memfree'?: (number | string | Long);
  'claimed'?: (number | string | Long);
}

export interface xen_sysctl_node_meminfo__Output {
  'memsize': (string);
  'memfree': (string);
  'claimed': (string);
}

// Original file: proto/xen/sysctl.proto

import type { Long } from '@grpc/proto-loader';

export interface xen_sysctl_node_meminfo {
  'size'?: (number | string | Long);
  'free'?: (number | string | Long);
  'claimed'?: (number | string | Long);
}

export interface xen_sysctl_node_meminfo__Output {
  'size': (string);
  'free': (string);
  'claimed': (string);
}

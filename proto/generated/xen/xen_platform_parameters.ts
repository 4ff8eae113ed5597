// Original file: proto/xen/version.proto

import type { Long } from '@grpc/proto-loader';

export interface xen_platform_parameters {
  'virt_start'?: (number | string | Long);
}

export interface xen_platform_parameters__Output {
  'virt_start': (string);
}

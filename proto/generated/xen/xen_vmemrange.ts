// Original file: proto/xen/domctl.proto

import type { Long } from '@grpc/proto-loader';

export interface xen_vmemrange {
  'start'?: (number | string | Long);
  'end'?: (number | string | Long);
  'flags'?: (number);
  'nid'?: (number);
}

export interface xen_vmemrange__Output {
  'start': (string);
  'end': (string);
  'flags': (number);
  'nid': (number);
}

// Original file: proto/xen/domctl.proto

import type { Long } from '@grpc/proto-loader';

export interface xen_domctl_getvcpuinfo {
  'vcpu'?: (number);
  'online'?: (number);
  'blocked'?: (number);
  'running'?: (number);
  'cpu_time'?: (number | string | Long);
  'cpu'?: (number);
}

export interface xen_domctl_getvcpuinfo__Output {
  'vcpu': (number);
  'online': (number);
  'blocked': (number);
  'running': (number);
  'cpu_time': (string);
  'cpu': (number);
}

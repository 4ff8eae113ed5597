// Original file: proto/xen/sysctl.proto

import type { xenctl_bitmap as _xen_xenctl_bitmap, xenctl_bitmap__Output as _xen_xenctl_bitmap__Output } from '../xen/xenctl_bitmap.js';

export interface xen_sysctl_cpupool_op {
  'op'?: (number);
  'cpupool_id'?: (number);
  'sched_id'?: (number);
  'domid'?: (number);
  'cpu'?: (number);
  'n_dom'?: (number);
  'cpumap'?: (_xen_xenctl_bitmap | null);
}

export interface xen_sysctl_cpupool_op__Output {
  'op': (number);
  'cpupool_id': (number);
  'sched_id': (number);
  'domid': (number);
  'cpu': (number);
  'n_dom': (number);
  'cpumap': (_xen_xenctl_bitmap__Output | null);
}

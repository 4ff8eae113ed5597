// Original file: proto/xen/sysctl.proto


export interface xen_sysctl_sched_id {
  'sched_id'?: (number);
}

export interface xen_sysctl_sched_id__Output {
  'sched_id': (number);
}

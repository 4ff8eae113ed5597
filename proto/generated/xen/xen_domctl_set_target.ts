// Original file: proto/xen/domctl.proto


export interface xen_domctl_set_target {
  'target'?: (number);
}

export interface xen_domctl_set_target__Output {
  'target': (number);
}

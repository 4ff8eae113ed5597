// Original file: proto/xen/domctl.proto


export interface xen_domctl_max_vcpus {
  'max'?: (number);
}

export interface xen_domctl_max_vcpus__Output {
  'max': (number);
}

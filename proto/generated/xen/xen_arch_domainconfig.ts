// Original file: proto/xen/domctl.proto


export interface xen_arch_domainconfig {
  'emulation_flags'?: (number);
  'misc_flags'?: (number);
}

export interface xen_arch_domainconfig__Output {
  'emulation_flags': (number);
  'misc_flags': (number);
}

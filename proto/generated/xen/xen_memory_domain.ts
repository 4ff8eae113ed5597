// Original file: proto/xen/memory.proto


export interface xen_memory_domain {
  'domid'?: (number);
}

export interface xen_memory_domain__Output {
  'domid': (number);
}

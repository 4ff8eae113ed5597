// Original file: proto/xen/sysctl.proto


export interface xen_sysctl_cputopo {
  'core'?: (number);
  'socket'?: (number);
  'node'?: (number);
}

export interface xen_sysctl_cputopo__Output {
  'core': (number);
  'socket': (number);
  'node': (number);
}

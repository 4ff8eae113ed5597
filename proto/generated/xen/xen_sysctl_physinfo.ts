// Original file: proto/xen/sysctl.proto

import type { Long } from '@grpc/proto-loader';

export interface xen_sysctl_physinfo {
  'threads_per_core'?: (number);
  'cores_per_socket'?: (number);
  'nr_cpus'?: (number);
  'max_cpu_id'?: (number);
  'nr_nodes'?: (number);
  'max_node_id'?: (number);
  'cpu_khz'?: (number);
  'capabilities'?: (number);
  'arch_capabilities'?: (number);
  'pad'?: (number);
  'total_pages'?: (number | string | Long);
  'free_pages'?: (number | string | Long);
  'scrub_pages'?: (number | string | Long);
  'outstanding_pages'?: (number | string | Long);
  'max_mfn'?: (number | string | Long);
  'hw_cap'?: (number)[];
}

export interface xen_sysctl_physinfo__Output {
  'threads_per_core': (number);
  'cores_per_socket': (number);
  'nr_cpus': (number);
  'max_cpu_id': (number);
  'nr_nodes': (number);
  'max_node_id': (number);
  'cpu_khz': (number);
  'capabilities': (number);
  'arch_capabilities': (number);
  'pad': (number);
  'total_pages': (string);
  'free_pages': (string);
  'scrub_pages': (string);
  'outstanding_pages': (string);
  'max_mfn': (string);
  'hw_cap': (number)[];
}

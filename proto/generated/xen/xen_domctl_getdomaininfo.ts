// Original file: proto/xen/domctl.proto

import type { xen_arch_domainconfig as _xen_xen_arch_domainconfig, xen_arch_domainconfig__Output as _xen_xen_arch_domainconfig__Output } from '../xen/xen_arch_domainconfig.js';
import type { Long } from '@grpc/proto-loader';

export interface xen_domctl_getdomaininfo {
  'domain'?: (number);
  'flags'?: (number);
  'tot_pages'?: (number | string | Long);
  'max_pages'?: (number | string | Long);
  'outstanding_pages'?: (number | string | Long);
  'shr_pages'?: (number | string | Long);
  'paged_pages'?: (number | string | Long);
  'shared_info_frame'?: (number | string | Long);
  'cpu_time'?: (number | string | Long);
  'nr_online_vcpus'?: (number);
  'max_vcpu_id'?: (number);
  'ssidref'?: (number);
  'handle'?: (Buffer | Uint8Array | string);
  'cpupool'?: (number);
  'gpaddr_bits'?: (number);
  'arch_config'?: (_xen_xen_arch_domainconfig | null);
}

export interface xen_domctl_getdomaininfo__Output {
  'domain': (number);
  'flags': (number);
  'tot_pages': (string);
  'max_pages': (string);
  'outstanding_pages': (string);
  'shr_pages': (string);
  'paged_pages': (string);
  'shared_info_frame': (string);
  'cpu_time': (string);
  'nr_online_vcpus': (number);
  'max_vcpu_id': (number);
  'ssidref': (number);
  'handle': (Buffer);
  'cpupool': (number);
  'gpaddr_bits': (number);
  'arch_config': (_xen_xen_arch_domainconfig__Output | null);
}

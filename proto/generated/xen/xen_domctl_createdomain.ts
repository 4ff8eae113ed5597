// Original file: proto/xen/domctl.proto

import type { xen_arch_domainconfig as _xen_xen_arch_domainconfig, xen_arch_domainconfig__Output as _xen_xen_arch_domainconfig__Output } from '../xen/xen_arch_domainconfig.js';

export interface xen_domctl_createdomain {
  'ssidref'?: (number);
  'handle'?: (Buffer | Uint8Array | string);
  'flags'?: (number);
  'iommu_opts'?: (number);
  'max_vcpus'?: (number);
  'max_evtchn_port'?: (number);
  'max_grant_frames'?: (number);
  'max_maptrack_frames'?: (number);
  'grant_opts'?: (number);
  'altp2m_opts'?: (number);
  'altp2m_nr'?: (number);
  'vmtrace_size'?: (number);
  'cpupool_id'?: (number);
  'arch'?: (_xen_xen_arch_domainconfig | null);
}

export interface xen_domctl_createdomain__Output {
  'ssidref': (number);
  'handle': (Buffer);
  'flags': (number);
  'iommu_opts': (number);
  'max_vcpus': (number);
  'max_evtchn_port': (number);
  'max_grant_frames': (number);
  'max_maptrack_frames': (number);
  'grant_opts': (number);
  'altp2m_opts': (number);
  'altp2m_nr': (number);
  'vmtrace_size': (number);
  'cpupool_id': (number);
  'arch': (_xen_xen_arch_domainconfig__Output | null);
}

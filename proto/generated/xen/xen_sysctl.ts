// Original file: proto/xen/sysctl.proto

import type { xen_sysctl_readconsole as _xen_xen_sysctl_readconsole, xen_sysctl_readconsole__Output as _xen_xen_sysctl_readconsole__Output } from '../xen/xen_sysctl_readconsole.js';
import type { xen_sysctl_physinfo as _xen_xen_sysctl_physinfo, xen_sysctl_physinfo__Output as _xen_xen_sysctl_physinfo__Output } from '../xen/xen_sysctl_physinfo.js';
import type { xen_sysctl_getdomaininfolist as _xen_xen_sysctl_getdomaininfolist, xen_sysctl_getdomaininfolist__Output as _xen_xen_sysctl_getdomaininfolist__Output } from '../xen/xen_sysctl_getdomaininfolist.js';
import type { xen_sysctl_debug_keys as _xen_xen_sysctl_debug_keys, xen_sysctl_debug_keys__Output as _xen_xen_sysctl_debug_keys__Output } from '../xen/xen_sysctl_debug_keys.js';
import type { xen_sysctl_cputopoinfo as _xen_xen_sysctl_cputopoinfo, xen_sysctl_cputopoinfo__Output as _xen_xen_sysctl_cputopoinfo__Output } from '../xen/xen_sysctl_cputopoinfo.js';
import type { xen_sysctl_numainfo as _xen_xen_sysctl_numainfo, xen_sysctl_numainfo__Output as _xen_xen_sysctl_numainfo__Output } from '../xen/xen_sysctl_numainfo.js';
import type { xen_sysctl_numa_meminfo as _xen_xen_sysctl_numa_meminfo, xen_sysctl_numa_meminfo__Output as _xen_xen_sysctl_numa_meminfo__Output } from '../xen/xen_sysctl_numa_meminfo.js';
import type { xen_sysctl_sched_id as _xen_xen_sysctl_sched_id, xen_sysctl_sched_id__Output as _xen_xen_sysctl_sched_id__Output } from '../xen/xen_sysctl_sched_id.js';
import type { xen_sysctl_cpupool_op as _xen_xen_sysctl_cpupool_op, xen_sysctl_cpupool_op__Output as _xen_xen_sysctl_cpupool_op__Output } from '../xen/xen_sysctl_cpupool_op.js';

export interface xen_sysctl {
  'cmd'?: (number);
  'interface_version'?: (number);
  'readconsole'?: (_xen_xen_sysctl_readconsole | null);
  'physinfo'?: (_xen_xen_sysctl_physinfo | null);
  'getdomaininfolist'?: (_xen_xen_sysctl_getdomaininfolist | null);
  'debug_keys'?: (_xen_xen_sysctl_debug_keys | null);
  'cputopoinfo'?: (_xen_xen_sysctl_cputopoinfo | null);
  'numainfo'?: (_xen_xen_sysctl_numainfo | null);
  'numa_meminfo'?: (_xen_xen_sysctl_numa_meminfo | null);
  'sched_id'?: (_xen_xen_sysctl_sched_id | null);
  'cpupool_op'?: (_xen_xen_sysctl_cpupool_op | null);
  'u'?: "readconsole"|"physinfo"|"getdomaininfolist"|"debug_keys"|"cputopoinfo"|"numainfo"|"numa_meminfo"|"sched_id"|"cpupool_op";
}

export interface xen_sysctl__Output {
  'cmd': (number);
  'interface_version': (number);
  'readconsole'?: (_xen_xen_sysctl_readconsole__Output | null);
  'physinfo'?: (_xen_xen_sysctl_physinfo__Output | null);
  'getdomaininfolist'?: (_xen_xen_sysctl_getdomaininfolist__Output | null);
  'debug_keys'?: (_xen_xen_sysctl_debug_keys__Output | null);
  'cputopoinfo'?: (_xen_xen_sysctl_cputopoinfo__Output | null);
  'numainfo'?: (_xen_xen_sysctl_numainfo__Output | null);
  'numa_meminfo'?: (_xen_xen_sysctl_numa_meminfo__Output | null);
  'sched_id'?: (_xen_xen_sysctl_sched_id__Output | null);
  'cpupool_op'?: (_xen_xen_sysctl_cpupool_op__Output | null);
  'u'?: "readconsole"|"physinfo"|"getdomaininfolist"|"debug_keys"|"cputopoinfo"|"numainfo"|"numa_meminfo"|"sched_id"|"cpupool_op";
}

// do_memory_op (xen/common/memory.c). The sub-ops arrive with the memory issue; until then
// every one answers -ENOSYS, as Xen answers a sub-op it does not know (arch_memory_op).
import type { Domain } from './domain.js';
import { neg } from './errno.js';
import type { xen_memory_op } from './public/memory.js';
import type { Xen } from './xen.js';

export function do_memory_op(_xen: Xen, _caller: Domain, _op: xen_memory_op): number {
  return neg('ENOSYS');
}

// do_multicall (xen/common/multicall.c).
import type { Domain } from './domain.js';
import { neg } from './errno.js';
import { hypercall, type MulticallEntry } from './hypercall.js';
import type { Xen } from './xen.js';

/**
 * Port of do_multicall: entries run in order, each result written into its own entry; a
 * multicall issued from inside a multicall fails with -EINVAL. Returns 0: the list itself
 * cannot fault here (the server has already decoded it).
 */
export function do_multicall(xen: Xen, caller: Domain, entries: MulticallEntry[]): number {
  if (xen.in_multicall) return neg('EINVAL');
  xen.in_multicall = true;
  try {
    for (const e of entries) e.result = hypercall(xen, caller, e.call);
  } finally {
    xen.in_multicall = false;
  }
  return 0;
}

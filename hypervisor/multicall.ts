// do_multicall (xen/common/multicall.c).
import { CONTINUATION, type Continuation } from './continuation.js';
import type { Domain } from './domain.js';
import { neg } from './errno.js';
import { hypercall_slice, type MulticallEntry } from './hypercall.js';
import type { Xen } from './xen.js';

/**
 * Port of do_multicall: entries run in order, each result written into its own entry; a
 * multicall issued from inside a multicall fails with -EINVAL. Like Xen it is preemptible,
 * between entries (after the slice budget's count of entries) and inside a preempted entry,
 * and continues from the first entry not done. Returns 0: the list itself cannot fault here
 * (the server has already decoded it).
 */
export function do_multicall(xen: Xen, caller: Domain, entries: MulticallEntry[]): number | Continuation {
  if (xen.in_multicall) return neg('EINVAL');
  xen.in_multicall = true;
  try {
    let ran = 0;
    for (const e of entries) {
      if (e.done === true) continue;
      if (ran > 0 && ran >= xen.preempt_budget.extents) return CONTINUATION;
      const r = hypercall_slice(xen, caller, e.call);
      if (r === CONTINUATION) return CONTINUATION;
      e.result = r;
      e.done = true;
      ran++;
    }
  } finally {
    xen.in_multicall = false;
  }
  return 0;
}

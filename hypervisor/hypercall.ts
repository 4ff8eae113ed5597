// The hypercall table (xen/arch/x86/hypercall.c): one typed call per served hypercall.
import { CONTINUATION, type Continuation } from './continuation.js';
import type { Domain } from './domain.js';
import { do_domctl } from './domctl.js';
import { neg } from './errno.js';
import { do_memory_op } from './memory.js';
import { do_multicall } from './multicall.js';
import type { xen_domctl } from './public/domctl.js';
import type { xen_memory_op } from './public/memory.js';
import type { XenVersionOut } from './public/version.js';
import type { xen_sysctl } from './public/sysctl.js';
import { HYPERVISOR } from './public/xen.js';
import { do_sysctl } from './sysctl.js';
import { do_xen_version } from './version.js';
import type { Xen } from './xen.js';

export interface xen_version_op {
  cmd: number;
  out: XenVersionOut;
}

/** A hypercall and its argument; handlers write OUT fields into the argument in place. */
export type Hypercall =
  | { op: typeof HYPERVISOR.domctl; args: xen_domctl }
  | { op: typeof HYPERVISOR.sysctl; args: xen_sysctl }
  | { op: typeof HYPERVISOR.memory_op; args: xen_memory_op }
  | { op: typeof HYPERVISOR.xen_version; args: xen_version_op }
  | { op: typeof HYPERVISOR.multicall; args: MulticallEntry[] }
  /** Any other hypercall number: not served, -ENOSYS. */
  | { op: number; args: null };

/** struct multicall_entry: the call and, once run, its result. */
export interface MulticallEntry {
  call: Hypercall;
  result: number;
  /** Set once the entry has run (a continued multicall resumes after the done ones). */
  done?: boolean;
}

/**
 * Runs one hypercall as `caller` to completion (continuations re-issued at once, as within a
 * multicall); returns what Xen returns in rax.
 */
export function hypercall(xen: Xen, caller: Domain, c: Hypercall): number {
  // Bound: each slice completes at least one extent, and a call has at most 2^26 of them.
  for (;;) {
    const r = hypercall_slice(xen, caller, c);
    if (r !== CONTINUATION) return r;
  }
}

/** Runs one slice of a hypercall: its result, or CONTINUATION with its arguments rewritten. */
export function hypercall_slice(xen: Xen, caller: Domain, c: Hypercall): number | Continuation {
  if (c.args === null) return neg('ENOSYS');
  switch (c.op) {
    case HYPERVISOR.domctl:
      return copyBackOnSuccess(c.args as xen_domctl, (a) => do_domctl(xen, caller, a));
    case HYPERVISOR.sysctl:
      return copyBackOnSuccess(c.args as xen_sysctl, (a) => do_sysctl(xen, caller, a));
    case HYPERVISOR.memory_op:
      return do_memory_op(xen, caller, c.args as xen_memory_op);
    case HYPERVISOR.xen_version: {
      const a = c.args as xen_version_op;
      const r = do_xen_version(a.cmd, xen.commandline);
      a.out = r.out;
      return r.rc;
    }
    case HYPERVISOR.multicall:
      return do_multicall(xen, caller, c.args as MulticallEntry[]);
    default:
      return neg('ENOSYS');
  }
}

/**
 * do_domctl and do_sysctl copy the op struct back to the caller only on success; on failure
 * the caller's struct is as it was (guest buffers already written stay written).
 */
function copyBackOnSuccess<T extends { u: { kind: string; op?: object }; copyback?: boolean }>(args: T, run: (a: T) => number): number {
  const payload = 'op' in args.u ? (args.u.op as Record<string, unknown>) : null;
  const saved = payload === null ? null : { ...payload };
  const rc = run(args);
  if (rc !== 0 && args.copyback !== true && payload !== null && saved !== null) Object.assign(payload, saved);
  return rc;
}

// multicall_entry between the wire and the engine (also the unit of hypercall_stream).
import type { Hypercall, MulticallEntry, xen_version_op } from '../hypervisor/hypercall.js';
import type { xen_domctl } from '../hypervisor/public/domctl.js';
import type { xen_memory_op } from '../hypervisor/public/memory.js';
import type { xen_sysctl } from '../hypervisor/public/sysctl.js';
import { HYPERVISOR } from '../hypervisor/public/xen.js';
import type { multicall_entry as Wire, multicall_entry__Output as WireIn } from '../proto/generated/xen/multicall_entry.js';
import { domctlIn, domctlOut } from './codec_domctl.js';
import { memoryOpIn, memoryOpOut } from './codec_memory.js';
import { sysctlIn, sysctlOut } from './codec_sysctl.js';
import { versionIn, versionOut } from './codec_version.js';
import { fail } from './codec.js';
import { MAX_MULTICALL_ENTRIES } from './limits.js';

const ARGS_FOR_OP: Record<number, NonNullable<WireIn['args']>> = {
  [HYPERVISOR.domctl]: 'domctl',
  [HYPERVISOR.sysctl]: 'sysctl',
  [HYPERVISOR.memory_op]: 'memory_op',
  [HYPERVISOR.multicall]: 'multicall',
  [HYPERVISOR.xen_version]: 'xen_version',
};

/** An all-zero argument, as a caller that never filled it would pass. */
const ZERO = { cmd: 0, interface_version: 0, domain: 0 };

/**
 * One entry into a typed call. `insideMulticall`: a multicall entry inside a multicall list is
 * refused by Xen with -EINVAL before its own entries are read, so they are not decoded.
 */
export function entryIn(w: WireIn, insideMulticall = false): Hypercall {
  const expected = ARGS_FOR_OP[w.op];
  if (w.args !== undefined && w.args !== expected) fail(`multicall entry op ${w.op} carries '${w.args}' arguments`);
  switch (w.op) {
    case HYPERVISOR.domctl:
      return { op: w.op, args: domctlIn(w.domctl ?? ZERO) };
    case HYPERVISOR.sysctl:
      return { op: w.op, args: sysctlIn(w.sysctl ?? ZERO) };
    case HYPERVISOR.memory_op:
      return { op: w.op, args: memoryOpIn(w.memory_op ?? { cmd: 0 }) };
    case HYPERVISOR.xen_version:
      return { op: w.op, args: versionIn(w.xen_version ?? { cmd: 0 }) };
    case HYPERVISOR.multicall:
      return { op: w.op, args: insideMulticall ? [] : entriesIn(w.multicall?.call_list ?? []) };
    default:
      return { op: w.op, args: null };
  }
}

export function entriesIn(list: WireIn[]): MulticallEntry[] {
  if (list.length > MAX_MULTICALL_ENTRIES) fail(`multicall of ${list.length} entries; at most ${MAX_MULTICALL_ENTRIES} are accepted`);
  return list.map((w) => ({ call: entryIn(w, true), result: 0 }));
}

export function entryOut(e: MulticallEntry): Wire {
  const c = e.call;
  const out: Wire = { op: c.op, result: e.result };
  if (c.args === null) return out;
  switch (c.op) {
    case HYPERVISOR.domctl:
      return { ...out, domctl: domctlOut(c.args as xen_domctl) };
    case HYPERVISOR.sysctl:
      return { ...out, sysctl: sysctlOut(c.args as xen_sysctl) };
    case HYPERVISOR.memory_op:
      return { ...out, memory_op: memoryOpOut(c.args as xen_memory_op) };
    case HYPERVISOR.xen_version:
      return { ...out, xen_version: versionOut(c.args as xen_version_op) };
    case HYPERVISOR.multicall:
      return { ...out, multicall: { call_list: (c.args as MulticallEntry[]).map(entryOut) } };
    default:
      return out;
  }
}

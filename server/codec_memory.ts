// xen_memory_op between the wire and the engine.
import { MEMOP_CMD_MASK, type xen_memory_op } from '../hypervisor/public/memory.js';
import type { xen_memory_op as Wire, xen_memory_op__Output as WireIn } from '../proto/generated/xen/xen_memory_op.js';
import { checkPayload } from './codec.js';

/** The argument each XENMEM_* sub-op takes (by bits 0-5 of cmd); sub-ops absent take none. */
const ARG: Record<number, NonNullable<WireIn['arg']>> = {
  0: 'reservation',
  1: 'reservation',
  3: 'domain',
  4: 'domain',
  6: 'reservation',
  11: 'exchange',
  14: 'domain',
  24: 'reservation',
  26: 'vnuma',
};

export function memoryOpIn(w: WireIn): xen_memory_op {
  checkPayload(w.arg, ARG[w.cmd & MEMOP_CMD_MASK], `memory_op cmd ${w.cmd & MEMOP_CMD_MASK}`);
  return { cmd: w.cmd };
}

export function memoryOpOut(m: xen_memory_op): Wire {
  return { cmd: m.cmd };
}

// xen_memory_op between the wire and the engine.
import { MEMOP_CMD_MASK, type MemoryOpArg, type xen_memory_op } from '../hypervisor/public/memory.js';
import type { xen_memory_op as Wire, xen_memory_op__Output as WireIn } from '../proto/generated/xen/xen_memory_op.js';
import type { xen_memory_reservation__Output as WireRes } from '../proto/generated/xen/xen_memory_reservation.js';
import { checkPayload, str64, u64n, width } from './codec.js';
import { handleIn, handleOut, outOnly, vmemrangeOut } from './codec_handle.js';

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

function reservationIn(r: WireRes | null | undefined): MemoryOpArg {
  return {
    kind: 'reservation',
    op: {
      extent_start: handleIn(r?.extent_start, (v, i) => u64n(v, `reservation.extent_start[${i}]`)),
      nr_extents: u64n(r?.nr_extents, 'reservation.nr_extents'),
      extent_order: r?.extent_order ?? 0,
      mem_flags: r?.mem_flags ?? 0,
      domid: width(r?.domid, 16, 'reservation.domid'),
    },
  };
}

/** An absent argument is an all-zero struct, as for every family (xen/types.proto). */
export function memoryOpIn(w: WireIn): xen_memory_op {
  const member = ARG[w.cmd & MEMOP_CMD_MASK];
  checkPayload(w.arg, member, `memory_op cmd ${w.cmd & MEMOP_CMD_MASK}`);
  let arg: MemoryOpArg = { kind: 'none' };
  if (member === 'reservation') arg = reservationIn(w.reservation);
  else if (member === 'domain') arg = { kind: 'domain', op: { domid: width(w.domain?.domid, 16, 'domain.domid') } };
  else if (member === 'vnuma') {
    const v = w.vnuma;
    arg = {
      kind: 'vnuma',
      op: {
        domid: width(v?.domid, 16, 'vnuma.domid'), pad: v?.pad ?? 0,
        nr_vnodes: v?.nr_vnodes ?? 0, nr_vcpus: v?.nr_vcpus ?? 0, nr_vmemranges: v?.nr_vmemranges ?? 0,
        vdistance: outOnly(v?.vdistance), vcpu_to_vnode: outOnly(v?.vcpu_to_vnode), vmemrange: outOnly(v?.vmemrange),
      },
    };
  }
  return { cmd: w.cmd, arg };
}

/** The caller's view: a list Xen wrote holds its IN values overlaid with what Xen wrote. */
export function memoryOpOut(m: xen_memory_op): Wire {
  const out: Wire = { cmd: m.cmd };
  if (m.arg.kind === 'reservation') {
    const r = m.arg.op;
    const h = r.extent_start;
    let list: { buf: (number | string)[] } | null = null;
    if (h.written !== null) {
      const n = h.input?.length ?? 0; // Xen never writes past the caller's list
      list = { buf: Array.from({ length: n }, (_, i) => str64(h.written![i] ?? h.input?.[i] ?? 0)) };
    }
    out.reservation = { extent_start: list, nr_extents: str64(r.nr_extents), extent_order: r.extent_order, mem_flags: r.mem_flags, domid: r.domid };
  } else if (m.arg.kind === 'domain') out.domain = { domid: m.arg.op.domid };
  else if (m.arg.kind === 'vnuma') {
    const t = m.arg.op;
    out.vnuma = {
      domid: t.domid, pad: t.pad, nr_vnodes: t.nr_vnodes, nr_vcpus: t.nr_vcpus, nr_vmemranges: t.nr_vmemranges,
      vdistance: handleOut(t.vdistance, (x) => x), vcpu_to_vnode: handleOut(t.vcpu_to_vnode, (x) => x),
      vmemrange: handleOut(t.vmemrange, vmemrangeOut),
    };
  }
  return out;
}

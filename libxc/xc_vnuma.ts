// vNUMA (tools/libs/ctrl/xc_domain.c: xc_domain_setvnuma, xc_domain_getvnuma).
import { XEN_DOMCTL } from '../proto/public/domctl.js';
import { XENMEM } from '../proto/public/memory.js';
import type { memory_op_ret__Output } from '../proto/generated/xen/memory_op_ret.js';
import type { xen_memory_op } from '../proto/generated/xen/xen_memory_op.js';
import { XenError } from './xc_error.js';
import { call, do_domctl, rcOf, type xc_interface } from './xc_private.js';

/** xen_vmemrange_t (public/memory.h): guest physical bytes [start, end) on virtual node nid. */
export interface xen_vmemrange_t {
  start: bigint;
  end: bigint;
  flags: number;
  nid: number;
}

const rangeOut = (r: xen_vmemrange_t): { start: string; end: string; flags: number; nid: number } => ({ start: r.start.toString(), end: r.end.toString(), flags: r.flags, nid: r.nid });

/**
 * Port of xc_domain_setvnuma: EINVAL without a hypercall if a count is 0 or an array is
 * missing; otherwise XEN_DOMCTL_setvnumainfo with the arrays cut to nr_vmemranges,
 * nr_vnodes², nr_vcpus (the domain's max_vcpus) and nr_vnodes entries.
 */
export async function xc_domain_setvnuma(
  xch: xc_interface, domid: number, nr_vnodes: number, nr_vmemranges: number, nr_vcpus: number,
  vmemrange: readonly xen_vmemrange_t[] | null, vdistance: readonly number[] | null, vcpu_to_vnode: readonly number[] | null, vnode_to_pnode: readonly number[] | null,
): Promise<void> {
  const fn = 'xc_domain_setvnuma';
  if (nr_vnodes === 0 || nr_vmemranges === 0 || nr_vcpus === 0 || vmemrange === null || vdistance === null || vcpu_to_vnode === null || vnode_to_pnode === null)
    throw XenError.of(fn, 'EINVAL', 'a count is 0 or an array is NULL');
  await do_domctl(xch, fn, {
    cmd: XEN_DOMCTL.setvnumainfo,
    domain: domid,
    vnuma: {
      nr_vnodes, nr_vmemranges, nr_vcpus, pad: 0,
      vdistance: { buf: vdistance.slice(0, nr_vnodes * nr_vnodes) },
      vcpu_to_vnode: { buf: vcpu_to_vnode.slice(0, nr_vcpus) },
      vnode_to_pnode: { buf: vnode_to_pnode.slice(0, nr_vnodes) },
      vmemrange: { buf: vmemrange.slice(0, nr_vmemranges).map(rangeOut) },
    },
  });
}

/** The IN/OUT counts of xc_domain_getvnuma (uint32_t * in C). */
export interface xc_vnuma_counts {
  nr_vnodes: number;
  nr_vmemranges: number;
  nr_vcpus: number;
}

/**
 * Port of xc_domain_getvnuma: XENMEM_get_vnumainfo with the caller's capacities. The counts
 * are written back whatever the result, so a caller can size its arrays after ENOBUFS and
 * retry; on success the arrays are filled. EOPNOTSUPP: the domain has no vNUMA.
 */
export async function xc_domain_getvnuma(xch: xc_interface, domid: number, counts: xc_vnuma_counts, vmemrange: xen_vmemrange_t[], vdistance: number[], vcpu_to_vnode: number[]): Promise<void> {
  const fn = 'xc_domain_getvnuma';
  const req: xen_memory_op = {
    cmd: XENMEM.get_vnumainfo,
    vnuma: { domid, pad: 0, ...counts, vdistance: { buf: [] }, vcpu_to_vnode: { buf: [] }, vmemrange: { buf: [] } },
  };
  const r = await call<xen_memory_op, memory_op_ret__Output>(fn, xch.client.memory_op.bind(xch.client), xch.metadata, req);
  const t = r.op?.vnuma;
  if (t) Object.assign(counts, { nr_vnodes: t.nr_vnodes, nr_vmemranges: t.nr_vmemranges, nr_vcpus: t.nr_vcpus });
  rcOf(fn, r.rc);
  (t?.vmemrange?.buf ?? []).forEach((m, i) => (vmemrange[i] = { start: BigInt(m.start), end: BigInt(m.end), flags: m.flags, nid: m.nid }));
  (t?.vdistance?.buf ?? []).forEach((x, i) => (vdistance[i] = x));
  (t?.vcpu_to_vnode?.buf ?? []).forEach((x, i) => (vcpu_to_vnode[i] = x));
}

// Virtual NUMA (xen/common/domctl.c: vnuma_alloc, vnuma_init, vnuma_replace; the
// XENMEM_get_vnumainfo case of xen/common/memory.c: do_memory_op).
import type { Domain } from './domain.js';
import { neg } from './errno.js';
import type { GuestHandle } from './guest_handle.js';
import { MAX_NUMNODES } from './numa.js';

/** struct xen_vmemrange: guest physical bytes [start, end) on virtual node nid. */
export interface xen_vmemrange {
  start: bigint;
  end: bigint;
  flags: number;
  nid: number;
}

/** struct vnuma_info (xen/include/xen/domain.h). */
export interface VnumaInfo {
  nr_vnodes: number;
  nr_vmemranges: number;
  vdistance: number[];
  vcpu_to_vnode: number[];
  vnode_to_pnode: number[];
  vmemrange: xen_vmemrange[];
}

/** struct xen_domctl_vnuma (XEN_DOMCTL_setvnumainfo): every field IN. */
export interface xen_domctl_vnuma {
  nr_vnodes: number;
  nr_vmemranges: number;
  nr_vcpus: number;
  pad: number;
  vdistance: GuestHandle<number>;
  vcpu_to_vnode: GuestHandle<number>;
  vnode_to_pnode: GuestHandle<number>;
  vmemrange: GuestHandle<xen_vmemrange>;
}

/** struct xen_vnuma_topology_info (XENMEM_get_vnumainfo): counts IN/OUT, arrays OUT. */
export interface xen_vnuma_topology_info {
  domid: number;
  pad: number;
  nr_vnodes: number;
  nr_vcpus: number;
  nr_vmemranges: number;
  vdistance: GuestHandle<number>;
  vcpu_to_vnode: GuestHandle<number>;
  vmemrange: GuestHandle<xen_vmemrange>;
}

/** vnuma_alloc's bounds: nr_vnodes² distances in a page of u32 (so 32 vnodes), and as many
 *  vmemranges as fit a page (4096 / 24 = 170). */
const MAX_VNUMA_DISTANCES = 1024;
const MAX_VMEMRANGES = 170;

/**
 * Port of the XEN_DOMCTL_setvnumainfo case (vnuma_init, then vnuma_replace): checks in
 * Xen's order, then d's vNUMA is replaced whole. vmemrange nids, distances, overlaps and
 * whether pnodes are online are not checked.
 */
export function setvnumainfo(d: Domain, v: xen_domctl_vnuma): number {
  if (v.nr_vcpus !== d.max_vcpus || v.pad !== 0) return neg('EINVAL');
  if (v.nr_vnodes === 0 || v.nr_vnodes * v.nr_vnodes > MAX_VNUMA_DISTANCES) return neg('EINVAL');
  if (v.nr_vmemranges > MAX_VMEMRANGES) return neg('EINVAL');
  // vnuma_init's order: copy distances, ranges and the vCPU map; check the vCPU map; then copy
  // and check vnode_to_pnode.
  const vdistance = v.vdistance.read(v.nr_vnodes * v.nr_vnodes);
  const vmemrange = v.vmemrange.read(v.nr_vmemranges);
  const vcpu_to_vnode = v.vcpu_to_vnode.read(v.nr_vcpus);
  if (typeof vdistance === 'number' || typeof vcpu_to_vnode === 'number' || typeof vmemrange === 'number') return neg('EFAULT');
  if (vcpu_to_vnode.some((n) => n >= v.nr_vnodes)) return neg('E2BIG');
  // vnode_to_pnode is copied and checked one entry at a time: a bad pnode before the end of a
  // short buffer is -E2BIG, not -EFAULT.
  const vnode_to_pnode: number[] = [];
  for (let i = 0; i < v.nr_vnodes; i++) {
    const p = v.vnode_to_pnode.at(i);
    if (p < 0) return neg('EFAULT');
    if (p >= MAX_NUMNODES) return neg('E2BIG');
    vnode_to_pnode.push(p);
  }
  if (vmemrange.some((r) => r.flags !== 0)) return neg('EINVAL');
  d.vnuma = {
    nr_vnodes: v.nr_vnodes,
    nr_vmemranges: v.nr_vmemranges,
    vdistance: [...vdistance],
    vcpu_to_vnode: [...vcpu_to_vnode],
    vnode_to_pnode,
    vmemrange: vmemrange.map((r) => ({ ...r })),
  };
  return 0;
}

/**
 * The XENMEM_get_vnumainfo case past the domain and XSM checks: -EOPNOTSUPP without vNUMA;
 * counts below the domain's get the required counts and -ENOBUFS; otherwise the ranges,
 * distances and vCPU map are copied and the actual counts written. vnode_to_pnode stays hidden.
 */
export function get_vnumainfo(d: Domain, t: xen_vnuma_topology_info): number {
  const v = d.vnuma;
  if (v === null) return neg('EOPNOTSUPP');
  const short = t.nr_vnodes < v.nr_vnodes || t.nr_vcpus < d.max_vcpus || t.nr_vmemranges < v.nr_vmemranges;
  const counts = (): void => {
    t.nr_vnodes = v.nr_vnodes;
    t.nr_vcpus = d.max_vcpus;
    t.nr_vmemranges = v.nr_vmemranges;
  };
  if (short) {
    counts();
    return neg('ENOBUFS');
  }
  // A fault part way returns -EFAULT without the struct copied back.
  if (t.vmemrange.write(0, v.vmemrange.map((r) => ({ ...r }))) !== 0) return neg('EFAULT');
  if (t.vdistance.write(0, v.vdistance) !== 0) return neg('EFAULT');
  if (t.vcpu_to_vnode.write(0, v.vcpu_to_vnode) !== 0) return neg('EFAULT');
  counts();
  return 0;
}

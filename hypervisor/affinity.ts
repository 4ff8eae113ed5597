// vCPU and node affinity (xen/common/sched/core.c: vcpu_affinity_domctl, vcpu_set_affinity,
// vcpu_set_hard_affinity, sched_set_affinity; xen/common/domain.c: domain_set_node_affinity).
import { Bitmap, bitmapToXenctlBitmap, xenctlBitmapToBitmap, type XenctlBitmap } from './bitmap.js';
import type { Domain, Vcpu } from './domain.js';
import { neg } from './errno.js';
import { cpuid } from './ids.js';
import { MAX_NUMNODES } from './numa.js';
import { XEN_DOMCTL, XEN_VCPUAFFINITY, type xen_domctl_nodeaffinity, type xen_domctl_vcpuaffinity } from './public/domctl.js';
import { domain_update_node_aff } from './sched.js';
import type { Xen } from './xen.js';

/** sched_set_affinity: store a mask and recompute soft_aff_effective. */
function sched_set_affinity(v: Vcpu, hard: Bitmap | null, soft: Bitmap | null): void {
  if (hard !== null) v.cpu_hard_affinity = hard;
  if (soft !== null) v.cpu_soft_affinity = soft;
  const h = v.cpu_hard_affinity;
  const s = v.cpu_soft_affinity;
  v.soft_aff_effective = !h.andNot(s).isEmpty() && h.intersects(s);
}

/**
 * The end of vcpu_set_affinity (sched_unit_migrate_start/finish): a vCPU whose CPU is no longer
 * allowed moves. The scheduler's pick is modelled deterministically: stay if the CPU is in the
 * preferred set (soft & hard & pool when soft is effective, else hard & pool), otherwise take
 * the next CPU of that set after the current one.
 */
function vcpu_migrate(v: Vcpu, pool: Bitmap): void {
  const hard = v.cpu_hard_affinity.and(pool);
  if (hard.isEmpty()) return;
  const soft = v.soft_aff_effective ? hard.and(v.cpu_soft_affinity) : hard;
  const preferred = soft.isEmpty() ? hard : soft;
  if (!preferred.test(v.processor)) v.processor = cpuid(preferred.cycle(v.processor));
}

/**
 * Port of vcpu_affinity_domctl. Validation order: vcpu >= max_vcpus (-EINVAL), vCPU not created
 * (-ESRCH), vcpuaffinity_params_invalid (-EINVAL). set: HARD must meet the pool's CPUs, and on
 * failure nothing is written; SOFT is not checked, and if it fails after HARD succeeded hard
 * reverts. The maps written back are the effective ones; get writes the raw masks.
 * SCHEDOP_pin_override is not emulated, so FORCE has nothing to undo and -EBUSY cannot arise.
 */
export function vcpu_affinity_domctl(xen: Xen, d: Domain, cmd: number, op: xen_domctl_vcpuaffinity): number {
  if (op.vcpu >= d.max_vcpus) return neg('EINVAL');
  const v = d.vcpu[op.vcpu];
  if (v === undefined) return neg('ESRCH');
  const hardFlag = (op.flags & XEN_VCPUAFFINITY.HARD) !== 0;
  const softFlag = (op.flags & XEN_VCPUAFFINITY.SOFT) !== 0;
  // vcpuaffinity_params_invalid
  if ((op.flags & (XEN_VCPUAFFINITY.HARD | XEN_VCPUAFFINITY.SOFT)) === 0) return neg('EINVAL');
  if ((hardFlag && op.cpumap_hard.bitmap === null) || (softFlag && op.cpumap_soft.bitmap === null)) return neg('EINVAL');
  const nbits = xen.host.nr_cpu_ids;
  if (cmd === XEN_DOMCTL.getvcpuaffinity) {
    if (hardFlag) {
      const rc = bitmapToXenctlBitmap(v.cpu_hard_affinity, op.cpumap_hard);
      if (rc !== 0) return rc;
    }
    return softFlag ? bitmapToXenctlBitmap(v.cpu_soft_affinity, op.cpumap_soft) : 0;
  }
  const online = xen.cpupool0_cpus;
  const old = v.cpu_hard_affinity;
  if (hardFlag) {
    const hard = xenctlBitmapToBitmap(op.cpumap_hard, nbits);
    if (typeof hard === 'number') return hard;
    if (!hard.intersects(online)) return neg('EINVAL'); // vcpu_set_hard_affinity
    sched_set_affinity(v, hard, null);
    domain_update_node_aff(xen.host, online, d);
    const rc = bitmapToXenctlBitmap(online.and(hard), op.cpumap_hard);
    if (rc !== 0) return rc;
  }
  if (softFlag) {
    const soft = xenctlBitmapToBitmap(op.cpumap_soft, nbits);
    if (typeof soft === 'number') {
      if (hardFlag) {
        sched_set_affinity(v, old, null);
        domain_update_node_aff(xen.host, online, d);
      }
      return soft;
    }
    sched_set_affinity(v, null, soft);
    vcpu_migrate(v, online);
    domain_update_node_aff(xen.host, online, d);
    return bitmapToXenctlBitmap(soft.and(online).and(v.cpu_hard_affinity), op.cpumap_soft);
  }
  vcpu_migrate(v, online);
  return 0;
}

/**
 * Port of the setnodeaffinity case with domain_set_node_affinity: the mask (64 bits) must meet
 * node_online_map (-EINVAL, nothing changes); all 64 bits set turns automatic mode back on;
 * anything else is kept exactly as given, offline nodes included.
 */
export function setnodeaffinity(xen: Xen, d: Domain, op: xen_domctl_nodeaffinity): number {
  const mask = xenctlBitmapToBitmap(op.nodemap, MAX_NUMNODES);
  if (typeof mask === 'number') return mask;
  if (!mask.intersects(xen.host.node_online_map)) return neg('EINVAL');
  if (mask.isFull()) d.auto_node_affinity = true;
  else {
    d.auto_node_affinity = false;
    d.node_affinity = mask;
  }
  domain_update_node_aff(xen.host, xen.cpupool0_cpus, d);
  return 0;
}

/** The getnodeaffinity case: d->node_affinity into the caller's map (64 bits). */
export function getnodeaffinity(d: Domain, map: XenctlBitmap): number {
  return bitmapToXenctlBitmap(d.node_affinity, map);
}

// do_domctl (xen/common/domctl.c, xen/arch/x86/domctl.c).
import type { Domain } from './domain.js';
import { neg } from './errno.js';
import { domid } from './ids.js';
import { XEN_DOMCTL, XEN_DOMCTL_INTERFACE_VERSION, XEN_DOMINF, XEN_INVALID_MAX_VCPU_ID, type xen_domctl, type xen_domctl_getdomaininfo, type xen_domctl_getvcpuinfo } from './public/domctl.js';
import { getnodeaffinity, setnodeaffinity, vcpu_affinity_domctl } from './affinity.js';
import { domain_create, domain_kill } from './domain_create.js';
import { claim_memory, max_mem, numa_op } from './domctl_memory.js';
import { setvnumainfo } from './vnuma.js';
import { domain_set_running, domain_update_node_aff, sched_init_vcpu, vcpu_runtime } from './sched.js';
import type { Xen } from './xen.js';
import { xsm_default_action } from './xsm.js';

/** XEN_DOMCTL_get_domain_state: the one "stable" domctl, which requires version 0. */
const XEN_DOMCTL_get_domain_state = 90;

/** is_stable_domctl (xen/common/domctl.c). */
function interfaceVersionFor(cmd: number): number {
  return cmd === XEN_DOMCTL_get_domain_state ? 0 : XEN_DOMCTL_INTERFACE_VERSION;
}

/**
 * Port of do_domctl: the version check, the domain lookup (-ESRCH to the control domain,
 * -EPERM to anyone else, so that others cannot probe for ids), XSM, then the sub-op.
 * Commands the engine does not implement yet answer -ENOSYS, as arch_do_domctl does.
 */
export function do_domctl(xen: Xen, caller: Domain, op: xen_domctl): number {
  if (op.interface_version !== interfaceVersionFor(op.cmd)) return neg('EACCES');
  if (op.cmd === XEN_DOMCTL.createdomain) {
    const denied = xsm_default_action('PRIV', caller, null);
    return denied !== 0 ? denied : createdomain(xen, op);
  }
  const d = xen.domain(domid(op.domain));
  if (d === undefined) return caller.is_privileged ? neg('ESRCH') : neg('EPERM');
  const denied = xsm_default_action(op.u.kind === 'getdomaininfo' ? 'XS_PRIV' : 'PRIV', caller, d);
  if (denied !== 0) return denied;
  const u = op.u;
  switch (u.kind) {
    case 'getdomaininfo':
      Object.assign(u.op, getdomaininfo(xen, d));
      return 0;
    case 'max_vcpus':
      return max_vcpus(xen, caller, d, u.op.max);
    case 'getvcpuinfo':
      return getvcpuinfo(xen, d, u.op);
    case 'vcpuaffinity':
      return vcpu_affinity_domctl(xen, d, op.cmd, u.op);
    case 'nodeaffinity':
      return op.cmd === XEN_DOMCTL.setnodeaffinity ? setnodeaffinity(xen, d, u.op) : getnodeaffinity(d, u.op.nodemap);
    case 'none':
      return op.cmd === XEN_DOMCTL.destroydomain
        ? destroydomain(xen, caller, d)
        : op.cmd === XEN_DOMCTL.pausedomain
          ? pause_by_systemcontroller(xen, caller, d)
          : unpause_by_systemcontroller(xen, d);
    case 'set_target':
      return set_target(xen, d, u.op.target);
    case 'max_mem':
      return max_mem(d, u.op.max_memkb);
    case 'vnuma':
      return setvnumainfo(d, u.op);
    case 'numa_op':
      return numa_op(xen, d, u.op);
    case 'claim_memory':
      // Only hosts that emulate the v7 claim-set series know this command.
      if (xen.heap.node_claims_mode !== 'claim-sets') return neg('ENOSYS');
      op.copyback = true; // GET's -ERANGE returns the entries needed
      return claim_memory(xen, d, u.op);
    case 'createdomain':
    case 'other':
      return neg('ENOSYS');
  }
}

/** The XEN_DOMCTL_createdomain case: domid_alloc first (-EEXIST), then domain_create. */
function createdomain(xen: Xen, op: xen_domctl): number {
  if (op.u.kind !== 'createdomain') return neg('EINVAL');
  const id = xen.domids.alloc(op.domain);
  if (id === null) return neg('EEXIST');
  const d = domain_create(xen, id, op.u.op);
  if (typeof d === 'number') {
    xen.domids.free(id);
    return d;
  }
  xen.add_domain(d);
  op.domain = id;
  return 0;
}

/** The XEN_DOMCTL_max_vcpus case: `max` must be the creation value; creates the missing
 *  vCPUs in order, then runs the first real automatic node-affinity computation. */
function max_vcpus(xen: Xen, caller: Domain, d: Domain, max: number): number {
  if (d === caller || max !== d.max_vcpus) return neg('EINVAL');
  for (let k = d.vcpu.length; k < max; k++) d.vcpu.push(sched_init_vcpu(xen.host, xen.cpupool0_cpus, d, k));
  domain_update_node_aff(xen.host, xen.cpupool0_cpus, d);
  return 0;
}

/** The XEN_DOMCTL_getvcpuinfo case: -ENOENT for a vCPU out of range or not created (domain_vcpu). */
function getvcpuinfo(xen: Xen, d: Domain, op: xen_domctl_getvcpuinfo): number {
  const v = d.vcpu[op.vcpu];
  if (v === undefined) return neg('ENOENT');
  Object.assign(op, { online: v.online ? 1 : 0, blocked: v.blocked ? 1 : 0, running: v.is_running ? 1 : 0, cpu_time: vcpu_runtime(v, xen.clock.now_ns()), cpu: v.processor });
  return 0;
}

/** The XEN_DOMCTL_set_target case: d becomes the device model of `target` (once, not itself). */
function set_target(xen: Xen, d: Domain, target: number): number {
  const e = xen.domain(domid(target));
  if (e === undefined) return neg('ESRCH');
  if (e === d || d.target !== null) return neg('EINVAL');
  d.target = e; // xsm_set_target is XSM_HOOK
  return 0;
}

/** The XEN_DOMCTL_destroydomain case: a domain may not destroy itself; then domain_kill. */
function destroydomain(xen: Xen, caller: Domain, d: Domain): number {
  if (d === caller) return neg('EINVAL');
  domain_kill(xen, d);
  return 0;
}

/** Upper bound of controller_pause_count (_domain_pause_by_systemcontroller). */
const MAX_CONTROLLER_PAUSE = 255;

/** Port of _domain_pause_by_systemcontroller: not yourself, at most 255 outstanding pauses. */
function pause_by_systemcontroller(xen: Xen, caller: Domain, d: Domain): number {
  if (d === caller) return neg('EINVAL');
  if (d.controller_pause_count >= MAX_CONTROLLER_PAUSE) return neg('EOVERFLOW');
  d.controller_pause_count++;
  domain_set_running(d, false, xen.clock.now_ns());
  return 0;
}

/** Port of domain_unpause_by_systemcontroller: the first drop to 0 finishes creation. */
function unpause_by_systemcontroller(xen: Xen, d: Domain): number {
  if (d.controller_pause_count === 0) return neg('EINVAL');
  d.controller_pause_count--;
  if (d.controller_pause_count === 0) {
    d.creation_finished = true;
    domain_set_running(d, true, xen.clock.now_ns());
  }
  return 0;
}

/** Port of getdomaininfo (xen/common/domctl.c) with arch_get_domain_info (x86). */
export function getdomaininfo(xen: Xen, d: Domain): xen_domctl_getdomaininfo {
  const online = d.vcpu.filter((v) => v.online);
  let flags = 0;
  if (online.length > 0) {
    // blocked only if every online vCPU is; running if any is.
    if (online.every((v) => v.blocked)) flags |= XEN_DOMINF.blocked;
    if (online.some((v) => v.is_running)) flags |= XEN_DOMINF.running;
  }
  if (d.is_dying === 'dead') flags |= XEN_DOMINF.dying;
  if (d.is_hvm) flags |= XEN_DOMINF.hvm_guest;
  if (d.controller_pause_count > 0) flags |= XEN_DOMINF.paused;
  if (d.hap) flags |= XEN_DOMINF.hap;
  return {
    domain: d.domain_id,
    flags,
    tot_pages: d.tot_pages,
    max_pages: d.max_pages,
    outstanding_pages: d.outstanding_pages,
    shr_pages: 0,
    paged_pages: 0,
    shared_info_frame: xen.shared_info_frame(d),
    cpu_time: d.vcpu.reduce((s, v) => s + vcpu_runtime(v, xen.clock.now_ns()), 0n),
    nr_online_vcpus: online.length,
    max_vcpu_id: d.vcpu.length === 0 ? XEN_INVALID_MAX_VCPU_ID : d.vcpu.length - 1,
    ssidref: d.ssidref,
    handle: d.handle.slice(),
    cpupool: d.cpupool,
    gpaddr_bits: d.gpaddr_bits,
    arch_config: { emulation_flags: 0, misc_flags: 0 },
  };
}

// do_domctl (xen/common/domctl.c, xen/arch/x86/domctl.c).
import type { Domain } from './domain.js';
import { neg } from './errno.js';
import { domid } from './ids.js';
import { XEN_DOMCTL, XEN_DOMCTL_INTERFACE_VERSION, XEN_DOMINF, XEN_INVALID_MAX_VCPU_ID, type xen_domctl, type xen_domctl_getdomaininfo } from './public/domctl.js';
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
  let d: Domain | null = null;
  if (op.cmd !== XEN_DOMCTL.createdomain) {
    d = xen.domain(domid(op.domain)) ?? null;
    if (d === null) return caller.is_privileged ? neg('ESRCH') : neg('EPERM');
  }
  const u = op.u;
  switch (u.kind) {
    case 'getdomaininfo': {
      const denied = xsm_default_action('XS_PRIV', caller, d);
      if (denied !== 0) return denied;
      Object.assign(u.op, getdomaininfo(xen, d!));
      return 0;
    }
    case 'other': {
      const denied = xsm_default_action('PRIV', caller, d);
      return denied !== 0 ? denied : neg('ENOSYS');
    }
  }
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
    cpu_time: d.vcpu.reduce((s, v) => s + v.cpu_time, 0n),
    nr_online_vcpus: online.length,
    max_vcpu_id: d.vcpu.length === 0 ? XEN_INVALID_MAX_VCPU_ID : d.vcpu.length - 1,
    ssidref: d.ssidref,
    handle: d.handle.slice(),
    cpupool: d.cpupool,
    gpaddr_bits: d.gpaddr_bits,
    arch_config: { emulation_flags: 0, misc_flags: 0 },
  };
}

// Domains (tools/libs/ctrl/xc_domain.c): queries and the lifecycle. Affinity and memory
// calls arrive with the rest of the domains and memory issues.
import { XEN_DOMCTL, type xen_domctl_createdomain, type xen_domctl_getdomaininfo, type xen_domctl_getvcpuinfo } from '../proto/public/domctl.js';
import { XEN_SYSCTL } from '../proto/public/sysctl.js';
import type { xen_domctl_getdomaininfo__Output } from '../proto/generated/xen/xen_domctl_getdomaininfo.js';
import { do_domctl, do_sysctl, type xc_interface } from './xc_private.js';

/** xc_domaininfo_t: typedef of xen_domctl_getdomaininfo_t (xenctrl.h). */
export type xc_domaininfo_t = xen_domctl_getdomaininfo;

function infoOf(i: xen_domctl_getdomaininfo__Output): xc_domaininfo_t {
  return {
    domain: i.domain,
    flags: i.flags,
    tot_pages: Number(i.tot_pages),
    max_pages: Number(i.max_pages),
    outstanding_pages: Number(i.outstanding_pages),
    shr_pages: Number(i.shr_pages),
    paged_pages: Number(i.paged_pages),
    shared_info_frame: Number(i.shared_info_frame),
    cpu_time: BigInt(i.cpu_time),
    nr_online_vcpus: i.nr_online_vcpus,
    max_vcpu_id: i.max_vcpu_id,
    ssidref: i.ssidref,
    handle: new Uint8Array(i.handle),
    cpupool: i.cpupool,
    gpaddr_bits: i.gpaddr_bits,
    arch_config: { emulation_flags: i.arch_config?.emulation_flags ?? 0, misc_flags: i.arch_config?.misc_flags ?? 0 },
  };
}

/** xc_domain_getinfo_single: exact domid; ESRCH if there is no such domain. */
export async function xc_domain_getinfo_single(xch: xc_interface, domid: number): Promise<xc_domaininfo_t> {
  const op = await do_domctl(xch, 'xc_domain_getinfo_single', { cmd: XEN_DOMCTL.getdomaininfo, domain: domid, getdomaininfo: {} });
  return infoOf(op.getdomaininfo!);
}

/** xc_domain_getinfolist: up to max_domains domains with id >= first_domain, ascending. */
export async function xc_domain_getinfolist(xch: xc_interface, first_domain: number, max_domains: number): Promise<xc_domaininfo_t[]> {
  const op = await do_sysctl(xch, 'xc_domain_getinfolist', {
    cmd: XEN_SYSCTL.getdomaininfolist,
    getdomaininfolist: { first_domain, max_domains, buffer: { buf: [] } },
  });
  return (op.getdomaininfolist!.buffer?.buf ?? []).map(infoOf);
}

/** The createdomain config a caller fills; unset fields are 0, as a memset struct is. */
export type xc_createdomain_config = Partial<Omit<xen_domctl_createdomain, 'handle' | 'arch'>> & {
  handle?: Uint8Array;
  arch?: { emulation_flags?: number; misc_flags?: number };
};

/**
 * xc_domain_create: creates a domain with id `domid` (DOMID_ANY = 0x7FF5 lets Xen choose) and
 * returns the id it got.
 */
export async function xc_domain_create(xch: xc_interface, domid: number, config: xc_createdomain_config): Promise<number> {
  const { handle, ...rest } = config;
  const op = await do_domctl(xch, 'xc_domain_create', {
    cmd: XEN_DOMCTL.createdomain,
    domain: domid,
    createdomain: { ...rest, ...(handle === undefined ? {} : { handle: Buffer.from(handle) }) },
  });
  return op.domain;
}

/** xc_domain_destroy: one XEN_DOMCTL_destroydomain, no retry loop. */
export async function xc_domain_destroy(xch: xc_interface, domid: number): Promise<void> {
  await do_domctl(xch, 'xc_domain_destroy', { cmd: XEN_DOMCTL.destroydomain, domain: domid });
}

/** xc_domain_max_vcpus: `max` must equal the createdomain max_vcpus; creates the vCPUs. */
export async function xc_domain_max_vcpus(xch: xc_interface, domid: number, max: number): Promise<void> {
  await do_domctl(xch, 'xc_domain_max_vcpus', { cmd: XEN_DOMCTL.max_vcpus, domain: domid, max_vcpus: { max } });
}

export async function xc_domain_pause(xch: xc_interface, domid: number): Promise<void> {
  await do_domctl(xch, 'xc_domain_pause', { cmd: XEN_DOMCTL.pausedomain, domain: domid });
}

export async function xc_domain_unpause(xch: xc_interface, domid: number): Promise<void> {
  await do_domctl(xch, 'xc_domain_unpause', { cmd: XEN_DOMCTL.unpausedomain, domain: domid });
}

/** xc_vcpuinfo_t = xen_domctl_getvcpuinfo_t. */
export type xc_vcpuinfo_t = xen_domctl_getvcpuinfo;

/** xc_vcpu_getinfo: ENOENT for a vCPU that does not exist. */
export async function xc_vcpu_getinfo(xch: xc_interface, domid: number, vcpu: number): Promise<xc_vcpuinfo_t> {
  const op = await do_domctl(xch, 'xc_vcpu_getinfo', { cmd: XEN_DOMCTL.getvcpuinfo, domain: domid, getvcpuinfo: { vcpu } });
  const v = op.getvcpuinfo!;
  return { vcpu: v.vcpu, online: v.online, blocked: v.blocked, running: v.running, cpu_time: BigInt(v.cpu_time), cpu: v.cpu };
}

/** xc_domain_set_target: `domid` becomes the device model of `target`. */
export async function xc_domain_set_target(xch: xc_interface, domid: number, target: number): Promise<void> {
  await do_domctl(xch, 'xc_domain_set_target', { cmd: XEN_DOMCTL.set_target, domain: domid, set_target: { target } });
}

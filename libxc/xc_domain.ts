// Domain queries (tools/libs/ctrl/xc_domain.c). The rest of xc_domain.c arrives with the
// domains and memory issues.
import { XEN_DOMCTL, type xen_domctl_getdomaininfo } from '../proto/public/domctl.js';
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

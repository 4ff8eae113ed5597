// xen_domctl between the wire and the engine.
import type { DomctlPayload, xen_domctl, xen_domctl_getdomaininfo } from '../hypervisor/public/domctl.js';
import type { xen_domctl as Wire, xen_domctl__Output as WireIn } from '../proto/generated/xen/xen_domctl.js';
import type { xen_domctl_getdomaininfo as WireInfo } from '../proto/generated/xen/xen_domctl_getdomaininfo.js';
import { checkPayload, str64, width } from './codec.js';

/** The union member that belongs to each XEN_DOMCTL_* command. */
const MEMBER: Record<number, NonNullable<WireIn['u']>> = {
  1: 'createdomain',
  5: 'getdomaininfo',
  9: 'vcpuaffinity',
  11: 'max_mem',
  14: 'getvcpuinfo',
  15: 'max_vcpus',
  25: 'vcpuaffinity',
  68: 'nodeaffinity',
  69: 'nodeaffinity',
  74: 'vnuma',
  91: 'claim_memory',
  92: 'numa_op',
};

const zeroInfo = (): xen_domctl_getdomaininfo => ({
  domain: 0, flags: 0, tot_pages: 0, max_pages: 0, outstanding_pages: 0, shr_pages: 0, paged_pages: 0,
  shared_info_frame: 0, cpu_time: 0n, nr_online_vcpus: 0, max_vcpu_id: 0, ssidref: 0, handle: new Uint8Array(16),
  cpupool: 0, gpaddr_bits: 0, arch_config: { emulation_flags: 0, misc_flags: 0 },
});

function payload(member: string | undefined): DomctlPayload {
  return member === 'getdomaininfo' ? { kind: 'getdomaininfo', op: zeroInfo() } : { kind: 'other' };
}

export function domctlIn(w: WireIn): xen_domctl {
  const member = MEMBER[w.cmd];
  checkPayload(w.u, member, `domctl cmd ${w.cmd}`);
  return { cmd: w.cmd, interface_version: w.interface_version, domain: width(w.domain, 16, 'domctl.domain'), u: payload(member) };
}

export function getdomaininfoOut(i: xen_domctl_getdomaininfo): WireInfo {
  return {
    ...i,
    tot_pages: str64(i.tot_pages), max_pages: str64(i.max_pages), outstanding_pages: str64(i.outstanding_pages),
    shr_pages: str64(i.shr_pages), paged_pages: str64(i.paged_pages), shared_info_frame: str64(i.shared_info_frame),
    cpu_time: str64(i.cpu_time), handle: Buffer.from(i.handle),
  };
}

export function domctlOut(d: xen_domctl): Wire {
  const out: Wire = { cmd: d.cmd, interface_version: d.interface_version, domain: d.domain };
  if (d.u.kind === 'getdomaininfo') out.getdomaininfo = getdomaininfoOut(d.u.op);
  return out;
}

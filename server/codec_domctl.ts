// xen_domctl between the wire and the engine.
import type { DomctlPayload, xen_domctl, xen_domctl_createdomain, xen_domctl_getdomaininfo } from '../hypervisor/public/domctl.js';
import type { xen_domctl as Wire, xen_domctl__Output as WireIn } from '../proto/generated/xen/xen_domctl.js';
import type { xen_domctl_getdomaininfo as WireInfo } from '../proto/generated/xen/xen_domctl_getdomaininfo.js';
import { bitmapIn, bitmapOut, handleIn, handleOut, outOnly, vmemrangeIn } from './codec_handle.js';
import { checkPayload, fail, str64, u64, u64n, width } from './codec.js';

/** The union member that belongs to each XEN_DOMCTL_* command. */
const MEMBER: Record<number, NonNullable<WireIn['u']>> = {
  1: 'createdomain',
  5: 'getdomaininfo',
  9: 'vcpuaffinity',
  11: 'max_mem',
  14: 'getvcpuinfo',
  15: 'max_vcpus',
  25: 'vcpuaffinity',
  46: 'set_target',
  68: 'nodeaffinity',
  69: 'nodeaffinity',
  74: 'vnuma',
  91: 'claim_memory',
  1101: 'numa_op',
};

const zeroInfo = (): xen_domctl_getdomaininfo => ({
  domain: 0, flags: 0, tot_pages: 0, max_pages: 0, outstanding_pages: 0, shr_pages: 0, paged_pages: 0,
  shared_info_frame: 0, cpu_time: 0n, nr_online_vcpus: 0, max_vcpu_id: 0, ssidref: 0, handle: new Uint8Array(16),
  cpupool: 0, gpaddr_bits: 0, arch_config: { emulation_flags: 0, misc_flags: 0 },
});

/** Commands whose union Xen does not read (destroydomain, pausedomain, unpausedomain). */
const NO_PAYLOAD = new Set([2, 3, 4]);

function createdomainIn(c: WireIn['createdomain']): xen_domctl_createdomain {
  return {
    ssidref: c?.ssidref ?? 0,
    handle: new Uint8Array(c?.handle ?? []),
    flags: c?.flags ?? 0,
    iommu_opts: c?.iommu_opts ?? 0,
    max_vcpus: c?.max_vcpus ?? 0,
    max_evtchn_port: c?.max_evtchn_port ?? 0,
    max_grant_frames: c?.max_grant_frames ?? 0,
    max_maptrack_frames: c?.max_maptrack_frames ?? 0,
    grant_opts: c?.grant_opts ?? 0,
    altp2m_opts: width(c?.altp2m_opts, 16, 'createdomain.altp2m_opts'),
    altp2m_nr: width(c?.altp2m_nr, 16, 'createdomain.altp2m_nr'),
    vmtrace_size: c?.vmtrace_size ?? 0,
    cpupool_id: c?.cpupool_id ?? 0,
    arch: { emulation_flags: c?.arch?.emulation_flags ?? 0, misc_flags: c?.arch?.misc_flags ?? 0 },
  };
}

function payload(w: WireIn, member: string | undefined): DomctlPayload {
  if (NO_PAYLOAD.has(w.cmd)) return { kind: 'none' };
  switch (member) {
    case 'getdomaininfo':
      return { kind: 'getdomaininfo', op: zeroInfo() };
    case 'createdomain':
      if (w.createdomain?.handle && w.createdomain.handle.length > 16) fail('createdomain.handle is longer than 16 bytes');
      return { kind: 'createdomain', op: createdomainIn(w.createdomain) };
    case 'max_vcpus':
      return { kind: 'max_vcpus', op: { max: w.max_vcpus?.max ?? 0 } };
    case 'getvcpuinfo':
      return { kind: 'getvcpuinfo', op: { vcpu: w.getvcpuinfo?.vcpu ?? 0, online: 0, blocked: 0, running: 0, cpu_time: 0n, cpu: 0 } };
    case 'vcpuaffinity': {
      const a = w.vcpuaffinity;
      return { kind: 'vcpuaffinity', op: { vcpu: a?.vcpu ?? 0, flags: a?.flags ?? 0, cpumap_hard: bitmapIn(a?.cpumap_hard), cpumap_soft: bitmapIn(a?.cpumap_soft) } };
    }
    case 'nodeaffinity':
      return { kind: 'nodeaffinity', op: { nodemap: bitmapIn(w.nodeaffinity?.nodemap) } };
    case 'set_target':
      return { kind: 'set_target', op: { target: width(w.set_target?.target, 16, 'set_target.target') } };
    case 'max_mem':
      return { kind: 'max_mem', op: { max_memkb: u64(w.max_mem?.max_memkb, 'max_mem.max_memkb') } };
    case 'numa_op': {
      const n = w.numa_op;
      return { kind: 'numa_op', op: { op: n?.op ?? 0, nr_nodes: n?.node_pages?.nr_nodes ?? 0, node_tot_pages: outOnly(n?.node_pages?.node_tot_pages) } };
    }
    case 'vnuma': {
      const v = w.vnuma;
      const u32 = (x: number): number => x;
      return {
        kind: 'vnuma',
        op: {
          nr_vnodes: v?.nr_vnodes ?? 0, nr_vmemranges: v?.nr_vmemranges ?? 0, nr_vcpus: v?.nr_vcpus ?? 0, pad: v?.pad ?? 0,
          vdistance: handleIn(v?.vdistance, u32), vcpu_to_vnode: handleIn(v?.vcpu_to_vnode, u32), vnode_to_pnode: handleIn(v?.vnode_to_pnode, u32),
          vmemrange: handleIn(v?.vmemrange, vmemrangeIn),
        },
      };
    }
    case 'claim_memory': {
      const c = w.claim_memory;
      return {
        kind: 'claim_memory',
        op: {
          claim_set: handleIn(c?.claim_set, (e, i) => ({ pages: u64n(e.pages, `claim_set[${i}].pages`), target: e.target, cmd: e.cmd })),
          nr_entries: c?.nr_entries ?? 0,
          mode: c?.mode ?? 0,
        },
      };
    }
    default:
      return { kind: 'other' };
  }
}

export function domctlIn(w: WireIn): xen_domctl {
  const member = MEMBER[w.cmd];
  checkPayload(w.u, member, `domctl cmd ${w.cmd}`);
  return { cmd: w.cmd, interface_version: w.interface_version, domain: width(w.domain, 16, 'domctl.domain'), u: payload(w, member) };
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
  const u = d.u;
  switch (u.kind) {
    case 'getdomaininfo':
      out.getdomaininfo = getdomaininfoOut(u.op);
      break;
    case 'createdomain':
      out.createdomain = { ...u.op, handle: Buffer.from(u.op.handle) };
      break;
    case 'max_vcpus':
      out.max_vcpus = u.op;
      break;
    case 'getvcpuinfo':
      out.getvcpuinfo = { ...u.op, cpu_time: str64(u.op.cpu_time) };
      break;
    case 'vcpuaffinity':
      out.vcpuaffinity = { vcpu: u.op.vcpu, flags: u.op.flags, cpumap_hard: bitmapOut(u.op.cpumap_hard), cpumap_soft: bitmapOut(u.op.cpumap_soft) };
      break;
    case 'nodeaffinity':
      out.nodeaffinity = { nodemap: bitmapOut(u.op.nodemap) };
      break;
    case 'max_mem':
      out.max_mem = { max_memkb: str64(u.op.max_memkb) };
      break;
    case 'numa_op':
      out.numa_op = { op: u.op.op, node_pages: { nr_nodes: u.op.nr_nodes, node_tot_pages: handleOut(u.op.node_tot_pages, str64) } };
      break;
    case 'claim_memory':
      out.claim_memory = {
        nr_entries: u.op.nr_entries, mode: u.op.mode,
        claim_set: handleOut(u.op.claim_set, (e) => ({ pages: str64(e.pages), target: e.target, cmd: e.cmd })),
      };
      break;
    default:
      break;
  }
  return out;
}

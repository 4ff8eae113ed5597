// xen_sysctl between the wire and the engine.
import type { SysctlPayload, xen_sysctl } from '../hypervisor/public/sysctl.js';
import type { xen_sysctl as Wire, xen_sysctl__Output as WireIn } from '../proto/generated/xen/xen_sysctl.js';
import { getdomaininfoOut } from './codec_domctl.js';
import { GuestHandle } from '../hypervisor/guest_handle.js';
import { bitmapIn, bitmapOut, handleOut, outOnly } from './codec_handle.js';
import { checkPayload, str64, width } from './codec.js';

/** The union member that belongs to each XEN_SYSCTL_* command. */
const MEMBER: Record<number, NonNullable<WireIn['u']>> = {
  1: 'readconsole',
  3: 'physinfo',
  4: 'sched_id',
  6: 'getdomaininfolist',
  7: 'debug_keys',
  16: 'cputopoinfo',
  17: 'numainfo',
  18: 'cpupool_op',
  1117: 'numa_meminfo',
};

const ZERO_PHYSINFO = {
  threads_per_core: 0, cores_per_socket: 0, nr_cpus: 0, max_cpu_id: 0, nr_nodes: 0, max_node_id: 0, cpu_khz: 0,
  capabilities: 0, arch_capabilities: 0, pad: 0, total_pages: 0, free_pages: 0, scrub_pages: 0, outstanding_pages: 0,
  max_mfn: 0, hw_cap: [0, 0, 0, 0, 0, 0, 0, 0],
};

function payload(w: WireIn, member: string | undefined): SysctlPayload {
  switch (member) {
    case 'readconsole': {
      const r = w.readconsole;
      return {
        kind: 'readconsole',
        op: {
          clear: width(r?.clear, 8, 'readconsole.clear'), incremental: width(r?.incremental, 8, 'readconsole.incremental'),
          pad: r?.pad ?? 0, index: r?.index ?? 0, buffer: outOnly(r?.buffer), count: r?.count ?? 0,
        },
      };
    }
    case 'debug_keys': {
      const k = w.debug_keys;
      return { kind: 'debug_keys', op: { keys: k?.keys ? new GuestHandle([...k.keys.buf]) : GuestHandle.null(), nr_keys: k?.nr_keys ?? 0 } };
    }
    case 'physinfo':
      return { kind: 'physinfo', op: { ...ZERO_PHYSINFO, hw_cap: [...ZERO_PHYSINFO.hw_cap] } };
    case 'numainfo': {
      const ni = w.numainfo;
      return {
        kind: 'numainfo',
        op: { num_nodes: ni?.num_nodes ?? 0, meminfo: outOnly(ni?.meminfo), distance: outOnly(ni?.distance) },
      };
    }
    case 'cputopoinfo': {
      const ti = w.cputopoinfo;
      return { kind: 'cputopoinfo', op: { num_cpus: ti?.num_cpus ?? 0, cputopo: outOnly(ti?.cputopo) } };
    }
    case 'getdomaininfolist': {
      const l = w.getdomaininfolist;
      return {
        kind: 'getdomaininfolist',
        op: {
          first_domain: width(l?.first_domain, 16, 'getdomaininfolist.first_domain'),
          max_domains: l?.max_domains ?? 0,
          buffer: outOnly(l?.buffer),
          num_domains: l?.num_domains ?? 0,
        },
      };
    }
    case 'sched_id':
      return { kind: 'sched_id', op: { sched_id: 0 } };
    case 'cpupool_op': {
      const c = w.cpupool_op;
      return {
        kind: 'cpupool_op',
        op: {
          op: c?.op ?? 0, cpupool_id: c?.cpupool_id ?? 0, sched_id: c?.sched_id ?? 0, domid: c?.domid ?? 0,
          cpu: c?.cpu ?? 0, n_dom: c?.n_dom ?? 0, cpumap: bitmapIn(c?.cpumap),
        },
      };
    }
    case 'numa_meminfo': {
      const m = w.numa_meminfo;
      // oxlint-disable-next-line no-underscore-dangle -- XenServer's field name
      return { kind: 'numa_meminfo', op: { num_nodes: m?.num_nodes ?? 0, rsvd: m?._rsvd ?? 0, meminfo: outOnly(m?.meminfo) } };
    }
    default:
      return { kind: 'other' };
  }
}

export function sysctlIn(w: WireIn): xen_sysctl {
  const member = MEMBER[w.cmd];
  checkPayload(w.u, member, `sysctl cmd ${w.cmd}`);
  return { cmd: w.cmd, interface_version: w.interface_version, u: payload(w, member) };
}

/** The caller's view after the call: the struct as copied back, buffers as written. */
export function sysctlOut(s: xen_sysctl): Wire {
  const out: Wire = { cmd: s.cmd, interface_version: s.interface_version };
  const u = s.u;
  switch (u.kind) {
    case 'physinfo': {
      const p = u.op;
      out.physinfo = {
        ...p,
        total_pages: str64(p.total_pages), free_pages: str64(p.free_pages), scrub_pages: str64(p.scrub_pages),
        outstanding_pages: str64(p.outstanding_pages), max_mfn: str64(p.max_mfn),
      };
      break;
    }
    case 'numainfo':
      out.numainfo = {
        num_nodes: u.op.num_nodes,
        meminfo: handleOut(u.op.meminfo, (m) => ({ memsize: str64(m.memsize), memfree: str64(m.memfree) })),
        distance: handleOut(u.op.distance, (d) => d),
      };
      break;
    case 'cputopoinfo':
      out.cputopoinfo = { num_cpus: u.op.num_cpus, cputopo: handleOut(u.op.cputopo, (c) => c) };
      break;
    case 'getdomaininfolist':
      out.getdomaininfolist = {
        first_domain: u.op.first_domain, max_domains: u.op.max_domains, num_domains: u.op.num_domains,
        buffer: handleOut(u.op.buffer, getdomaininfoOut),
      };
      break;
    case 'sched_id':
      out.sched_id = { sched_id: u.op.sched_id };
      break;
    case 'readconsole':
      out.readconsole = { ...u.op, buffer: u.op.buffer.written === null ? null : { buf: Buffer.from(u.op.buffer.written) } };
      break;
    case 'debug_keys':
      out.debug_keys = { nr_keys: u.op.nr_keys };
      break;
    case 'cpupool_op':
      out.cpupool_op = { ...u.op, cpumap: bitmapOut(u.op.cpumap) };
      break;
    case 'numa_meminfo':
      out.numa_meminfo = {
        num_nodes: u.op.num_nodes, _rsvd: u.op.rsvd,
        meminfo: handleOut(u.op.meminfo, (r) => ({ size: str64(r.size), free: str64(r.free), claimed: str64(r.claimed) })),
      };
      break;
    case 'other':
      break;
  }
  return out;
}

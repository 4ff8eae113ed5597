// do_sysctl (xen/common/sysctl.c, xen/arch/x86/sysctl.c).
import { bitmapToXenctlBitmap } from './bitmap.js';
import type { Domain } from './domain.js';
import { getdomaininfo } from './domctl.js';
import { neg } from './errno.js';
import { cpuid, nodeid } from './ids.js';
import { MAX_NUMNODES, NUMA_NO_DISTANCE, NUMA_NO_NODE, PAGE_SHIFT, XEN_INVALID_CORE_ID, XEN_INVALID_MEM_SZ, XEN_INVALID_NODE_DIST, XEN_INVALID_NODE_ID, XEN_INVALID_SOCKET_ID } from './numa.js';
import {
  XEN_SYSCTL_CPUPOOL_OP,
  XEN_SYSCTL_INTERFACE_VERSION,
  type xen_sysctl,
  type xen_sysctl_cpupool_op,
  type xen_sysctl_cputopo,
  type xen_sysctl_cputopoinfo,
  type xen_sysctl_getdomaininfolist,
  type xen_sysctl_meminfo,
  type xen_sysctl_numainfo,
  type xen_sysctl_numa_meminfo,
  type xen_sysctl_node_meminfo,
  type xen_sysctl_physinfo,
} from './public/sysctl.js';
import { XEN_SCHEDULER } from '../proto/public/sysctl.js';
import type { Xen } from './xen.js';
import { handle_keypresses } from './keyhandler.js';
import { xsm_default_action } from './xsm.js';


/** Port of do_sysctl: version check, XSM_PRIV, then the sub-op; unknown sub-ops -ENOSYS. */
export function do_sysctl(xen: Xen, caller: Domain, op: xen_sysctl): number {
  if (op.interface_version !== XEN_SYSCTL_INTERFACE_VERSION) return neg('EACCES');
  const denied = xsm_default_action('PRIV', caller, null);
  if (denied !== 0) return denied;
  const u = op.u;
  switch (u.kind) {
    case 'physinfo':
      return physinfo(xen, u.op);
    case 'numainfo':
      return numainfo(xen, u.op);
    case 'cputopoinfo':
      return cputopoinfo(xen, u.op);
    case 'getdomaininfolist':
      return getdomaininfolist(xen, caller, u.op);
    case 'sched_id':
      u.op.sched_id = XEN_SCHEDULER.credit2; // the default scheduler (xen/common/sched/Kconfig)
      return 0;
    case 'cpupool_op':
      return cpupool_op(xen, u.op);
    case 'numa_meminfo':
      return numa_meminfo(xen, u.op);
    case 'readconsole':
      return xen.console.read(u.op);
    case 'debug_keys': {
      // Port of the XEN_SYSCTL_debug_keys case: each key in turn; a short buffer is -EFAULT.
      const keys = u.op.keys.read(u.op.nr_keys);
      if (typeof keys === 'number') return keys;
      handle_keypresses(xen, keys);
      return 0;
    }
    case 'other':
      return neg('ENOSYS');
  }
}

/** Port of the XEN_SYSCTL_physinfo case and arch_do_physinfo (x86). */
export function physinfo(xen: Xen, pi: xen_sysctl_physinfo): number {
  const host = xen.host;
  Object.assign(pi, {
    threads_per_core: host.threads_per_core, // weight of CPU 0's cpu_sibling_mask
    cores_per_socket: host.cores_per_socket, // weight of its cpu_core_mask / threads_per_core
    nr_cpus: host.cpu_online_map.weight(),
    max_cpu_id: host.nr_cpu_ids - 1,
    nr_nodes: host.node_online_map.weight(),
    max_node_id: MAX_NUMNODES - 1, // a build constant, not the highest online node
    cpu_khz: host.topology.cpu_khz,
    capabilities: host.topology.capabilities,
    arch_capabilities: 0,
    pad: 0,
    total_pages: host.total_pages,
    free_pages: xen.heap.total_avail_pages,
    scrub_pages: 0, // hard-coded 0 in do_sysctl
    outstanding_pages: xen.heap.outstanding_claims,
    max_mfn: host.max_mfn,
    hw_cap: [...host.topology.hw_cap],
  } satisfies xen_sysctl_physinfo);
  return 0;
}

/** Port of the XEN_SYSCTL_numainfo case. */
function numainfo(xen: Xen, ni: xen_sysctl_numainfo): number {
  const host = xen.host;
  const N = host.node_online_map.last() + 1;
  if (ni.meminfo.isNull() && ni.distance.isNull()) {
    ni.num_nodes = N;
    return 0;
  }
  const n = Math.min(N, ni.num_nodes);
  for (let i = 0; i < n; i++) {
    const online = host.node_online_map.test(i);
    const row: xen_sysctl_meminfo = online
      ? {
          memsize: BigInt(host.node_data[i]?.node_spanned_pages ?? 0) << BigInt(PAGE_SHIFT),
          memfree: BigInt(xen.heap.avail_node_heap_pages(nodeid(i))) << BigInt(PAGE_SHIFT),
        }
      : { memsize: XEN_INVALID_MEM_SZ, memfree: XEN_INVALID_MEM_SZ };
    if (!ni.meminfo.isNull() && ni.meminfo.write(i, [row]) !== 0) return neg('EFAULT');
    if (!ni.distance.isNull()) {
      const dist = Array.from({ length: n }, (_, j) => {
        const d = host.node_distance(nodeid(i), nodeid(j));
        return d === NUMA_NO_DISTANCE ? XEN_INVALID_NODE_DIST : d;
      });
      if (ni.distance.write(i * n, dist) !== 0) return neg('EFAULT');
    }
  }
  ni.num_nodes = n; // a short buffer gets partial data and num_nodes is NOT raised
  return 0;
}

/**
 * XenServer's XEN_SYSCTL_numa_meminfo: per node present size, free and claimed bytes up to
 * the last online node; a NULL buffer asks for the count, a short one is filled partially.
 */
function numa_meminfo(xen: Xen, mi: xen_sysctl_numa_meminfo): number {
  if (mi.rsvd !== 0) return neg('EINVAL');
  const host = xen.host;
  const N = host.node_online_map.last() + 1;
  if (mi.meminfo.isNull()) {
    mi.num_nodes = N;
    return 0;
  }
  const n = Math.min(N, mi.num_nodes);
  const bytes = (pages: number): bigint => BigInt(pages) << BigInt(PAGE_SHIFT);
  const rows = Array.from({ length: n }, (_, i): xen_sysctl_node_meminfo =>
    host.node_online_map.test(i)
      ? { size: bytes(host.node_data[i]?.node_present_pages ?? 0), free: bytes(xen.heap.avail_node_heap_pages(nodeid(i))), claimed: bytes(xen.heap.node_claimed_pages[i]!) }
      : { size: XEN_INVALID_MEM_SZ, free: XEN_INVALID_MEM_SZ, claimed: XEN_INVALID_MEM_SZ },
  );
  const rc = mi.meminfo.write(0, rows);
  if (rc !== 0) return rc;
  mi.num_nodes = n;
  return 0;
}

/** Port of the XEN_SYSCTL_cputopoinfo case. */
function cputopoinfo(xen: Xen, ti: xen_sysctl_cputopoinfo): number {
  const host = xen.host;
  const N = host.cpu_present_map.last() + 1;
  if (ti.cputopo.isNull()) {
    ti.num_cpus = N;
    return 0;
  }
  const n = Math.min(N, ti.num_cpus);
  for (let i = 0; i < n; i++) {
    const c = host.cpu(cpuid(i));
    const row: xen_sysctl_cputopo =
      c === undefined
        ? { core: XEN_INVALID_CORE_ID, socket: XEN_INVALID_SOCKET_ID, node: XEN_INVALID_NODE_ID }
        : { core: c.core, socket: c.socket, node: c.node === null || c.node === NUMA_NO_NODE ? XEN_INVALID_NODE_ID : c.node };
    if (ti.cputopo.write(i, [row]) !== 0) return neg('EFAULT');
  }
  ti.num_cpus = n;
  return 0;
}

/** Port of the XEN_SYSCTL_getdomaininfolist case: ascending domid, XS_PRIV per entry. */
function getdomaininfolist(xen: Xen, caller: Domain, l: xen_sysctl_getdomaininfolist): number {
  let num = 0;
  for (const d of xen.domains_in_order()) {
    if (d.domain_id < l.first_domain) continue;
    if (num === l.max_domains) break;
    if (xsm_default_action('XS_PRIV', caller, d) !== 0) continue;
    if (l.buffer.write(num, [getdomaininfo(xen, d)]) !== 0) {
      l.num_domains = num;
      return neg('EFAULT');
    }
    num++;
  }
  l.num_domains = num;
  return 0;
}

/** Port of cpupool_do_sysctl (xen/common/sched/cpupool.c) for the one pool the emulator has,
 * Pool-0 (id 0, every online CPU): INFO and FREEINFO. Pool management (create, destroy,
 * add/remove CPUs, move domains) is not emulated: -ENOSYS as for an unknown sub-op. */
function cpupool_op(xen: Xen, op: xen_sysctl_cpupool_op): number {
  switch (op.op) {
    case XEN_SYSCTL_CPUPOOL_OP.INFO:
      // cpupool_get_next_by_id: the first pool whose id is >= cpupool_id; only Pool-0 exists.
      if (op.cpupool_id !== 0) return neg('ENOENT');
      op.cpupool_id = 0;
      op.sched_id = XEN_SCHEDULER.credit2; // c->sched->ops->sched_id: Pool-0 runs the default scheduler
      op.n_dom = xen.domains_in_order().filter((d) => d.cpupool === 0).length; // cpupool_add_domain/_rm_domain count
      return bitmapToXenctlBitmap(xen.cpupool0_cpus, op.cpumap); // c->cpu_valid
    case XEN_SYSCTL_CPUPOOL_OP.FREEINFO:
      return bitmapToXenctlBitmap(xen.host.cpu_online_map.andNot(xen.cpupool0_cpus), op.cpumap);
    default:
      return neg('ENOSYS');
  }
}

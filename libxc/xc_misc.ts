// Host queries (tools/libs/ctrl/xc_misc.c).
import { XEN_SYSCTL, XEN_SYSCTL_CPUPOOL_OP, type xen_sysctl_cputopo, type xen_sysctl_meminfo, type xen_sysctl_physinfo } from '../proto/public/sysctl.js';
import { XENVER } from '../proto/public/version.js';
import type { xc_cpumap_t, xc_nodemap_t } from './xc_bitmap.js';
import { XenError, isXenError } from './xc_error.js';
import { do_sysctl, do_xen_version, xc_memory_op, type xc_interface } from './xc_private.js';

/** xc_physinfo_t: typedef of xen_sysctl_physinfo_t (xenctrl.h). */
export type xc_physinfo_t = xen_sysctl_physinfo;

/** xc_meminfo_t: typedef of xen_sysctl_meminfo_t; bytes, which can pass 2^53. */
export type xc_meminfo_t = xen_sysctl_meminfo;

export type xc_cputopo_t = xen_sysctl_cputopo;

export async function xc_physinfo(xch: xc_interface): Promise<xc_physinfo_t> {
  const op = await do_sysctl(xch, 'xc_physinfo', { cmd: XEN_SYSCTL.physinfo });
  const p = op.physinfo!;
  return {
    threads_per_core: p.threads_per_core,
    cores_per_socket: p.cores_per_socket,
    nr_cpus: p.nr_cpus,
    max_cpu_id: p.max_cpu_id,
    nr_nodes: p.nr_nodes,
    max_node_id: p.max_node_id,
    cpu_khz: p.cpu_khz,
    capabilities: p.capabilities,
    arch_capabilities: p.arch_capabilities,
    pad: 0,
    total_pages: Number(p.total_pages),
    free_pages: Number(p.free_pages),
    scrub_pages: Number(p.scrub_pages),
    outstanding_pages: Number(p.outstanding_pages),
    max_mfn: Number(p.max_mfn),
    hw_cap: [...p.hw_cap],
  };
}

/** xc_get_max_cpus: physinfo.max_cpu_id + 1, cached after the first success. */
export async function xc_get_max_cpus(xch: xc_interface): Promise<number> {
  xch.max_cpus ??= (await xc_physinfo(xch)).max_cpu_id + 1;
  return xch.max_cpus;
}

/** xc_get_max_nodes: physinfo.max_node_id + 1 (64 on x86: max_node_id is MAX_NUMNODES-1). */
export async function xc_get_max_nodes(xch: xc_interface): Promise<number> {
  xch.max_nodes ??= (await xc_physinfo(xch)).max_node_id + 1;
  return xch.max_nodes;
}

/** xc_get_online_cpus: physinfo.nr_cpus, not cached. */
export async function xc_get_online_cpus(xch: xc_interface): Promise<number> {
  return (await xc_physinfo(xch)).nr_cpus;
}

export async function xc_get_cpumap_size(xch: xc_interface): Promise<number> {
  return ((await xc_get_max_cpus(xch)) + 7) >> 3;
}

export async function xc_get_nodemap_size(xch: xc_interface): Promise<number> {
  return ((await xc_get_max_nodes(xch)) + 7) >> 3;
}

export async function xc_cpumap_alloc(xch: xc_interface): Promise<xc_cpumap_t> {
  return new Uint8Array(await xc_get_cpumap_size(xch));
}

export async function xc_nodemap_alloc(xch: xc_interface): Promise<xc_nodemap_t> {
  return new Uint8Array(await xc_get_nodemap_size(xch));
}

/**
 * xc_numainfo: with both arrays null, returns the number of nodes Xen has; otherwise fills
 * up to max_nodes rows of meminfo and max_nodes^2 distances (row-major by the count Xen
 * returns) and returns that count. Arrays are filled in place, as C fills its buffers.
 */
export async function xc_numainfo(xch: xc_interface, max_nodes: number, meminfo: xc_meminfo_t[] | null, distance: number[] | null): Promise<number> {
  const op = await do_sysctl(xch, 'xc_numainfo', {
    cmd: XEN_SYSCTL.numainfo,
    numainfo: { num_nodes: max_nodes, meminfo: meminfo === null ? null : { buf: [] }, distance: distance === null ? null : { buf: [] } },
  });
  const ni = op.numainfo!;
  ni.meminfo?.buf.forEach((m, i) => {
    if (meminfo !== null && i < meminfo.length) meminfo[i] = { memsize: BigInt(m.memsize), memfree: BigInt(m.memfree) };
  });
  ni.distance?.buf.forEach((d, i) => {
    if (distance !== null && i < distance.length) distance[i] = d;
  });
  return ni.num_nodes;
}

/** xc_cputopoinfo: as xc_numainfo, for CPUs. */
export async function xc_cputopoinfo(xch: xc_interface, max_cpus: number, cputopo: xc_cputopo_t[] | null): Promise<number> {
  const op = await do_sysctl(xch, 'xc_cputopoinfo', {
    cmd: XEN_SYSCTL.cputopoinfo,
    cputopoinfo: { num_cpus: max_cpus, cputopo: cputopo === null ? null : { buf: [] } },
  });
  const ti = op.cputopoinfo!;
  ti.cputopo?.buf.forEach((c, i) => {
    if (cputopo !== null && i < cputopo.length) cputopo[i] = { core: c.core, socket: c.socket, node: c.node };
  });
  return ti.num_cpus;
}

/** xc_sched_id: the scheduler of the default pool (XEN_SCHEDULER_*). */
export async function xc_sched_id(xch: xc_interface): Promise<number> {
  const op = await do_sysctl(xch, 'xc_sched_id', { cmd: XEN_SYSCTL.sched_id });
  return op.sched_id!.sched_id;
}

/** xc_cpupool_freeinfo: the CPUs in no cpupool, as a cpumap. */
export async function xc_cpupool_freeinfo(xch: xc_interface): Promise<xc_cpumap_t> {
  const nr_bits = (await xc_get_cpumap_size(xch)) * 8;
  const op = await do_sysctl(xch, 'xc_cpupool_freeinfo', {
    cmd: XEN_SYSCTL.cpupool_op,
    cpupool_op: { op: XEN_SYSCTL_CPUPOOL_OP.FREEINFO, cpumap: { nr_bits, bitmap: { buf: Buffer.alloc(0) } } },
  });
  return new Uint8Array(op.cpupool_op!.cpumap!.bitmap!.buf);
}

/** xc_cpupoolinfo_t (xenctrl.h). */
export interface xc_cpupoolinfo_t {
  cpupool_id: number;
  sched_id: number;
  n_dom: number;
  cpumap: xc_cpumap_t;
}

/**
 * Port of xc_cpupool_getinfo (xc_cpupool.c): the first pool whose id is >= poolid, so callers
 * iterate with the returned id + 1 until ENOENT (thrown as a XenError, where C returns NULL).
 */
export async function xc_cpupool_getinfo(xch: xc_interface, poolid: number): Promise<xc_cpupoolinfo_t> {
  // Bound: poolid is a uint32_t in C; anything else never reaches Xen.
  if (!Number.isInteger(poolid) || poolid < 0 || poolid > 0xffffffff) throw XenError.of('xc_cpupool_getinfo', 'EINVAL', `poolid ${poolid} is not a uint32`);
  const local_size = await xc_get_cpumap_size(xch);
  const op = await do_sysctl(xch, 'xc_cpupool_getinfo', {
    cmd: XEN_SYSCTL.cpupool_op,
    cpupool_op: { op: XEN_SYSCTL_CPUPOOL_OP.INFO, cpupool_id: poolid, cpumap: { nr_bits: local_size * 8, bitmap: { buf: Buffer.alloc(0) } } },
  });
  const c = op.cpupool_op!;
  const cpumap = new Uint8Array(local_size); // xc_cpumap_alloc, then memcpy of local_size bytes
  cpumap.set((c.cpumap?.bitmap?.buf ?? Buffer.alloc(0)).subarray(0, local_size));
  return { cpupool_id: c.cpupool_id, sched_id: c.sched_id, n_dom: c.n_dom, cpumap };
}

/** XENMEM_get_sharing_freed_pages (18); xc_sharing_freed_pages. */
export async function xc_sharing_freed_pages(xch: xc_interface): Promise<number> {
  return (await xc_memory_op(xch, 'xc_sharing_freed_pages', { cmd: 18 })).rc;
}

/** XENMEM_get_sharing_shared_pages (19); xc_sharing_used_frames. */
export async function xc_sharing_used_frames(xch: xc_interface): Promise<number> {
  return (await xc_memory_op(xch, 'xc_sharing_used_frames', { cmd: 19 })).rc;
}

export interface xc_version_info {
  major: number;
  minor: number;
  extra: string;
  capabilities: string;
  changeset: string;
  commandline: string;
  virt_start: bigint;
  pagesize: number;
  compiler: string;
  compile_by: string;
  compile_domain: string;
  compile_date: string;
  build_id: Uint8Array;
}

/** The XENVER_* queries libxl_get_version_info makes, in one place (each is its own xc_version call in C). */
export async function xc_version_all(xch: xc_interface): Promise<xc_version_info> {
  const v = (cmd: number) => do_xen_version(xch, 'xc_version', cmd);
  const [ver, extra, caps, cs, cl, pp, ps, ci, bid] = await Promise.all([
    v(XENVER.version), v(XENVER.extraversion), v(XENVER.capabilities), v(XENVER.changeset), v(XENVER.commandline),
    v(XENVER.platform_parameters), v(XENVER.pagesize), v(XENVER.compile_info), v(XENVER.build_id),
  ]);
  const info = ci.op.compile_info;
  return {
    major: ver.rc >> 16,
    minor: ver.rc & 0xffff,
    extra: extra.op.extraversion ?? '',
    capabilities: caps.op.capabilities ?? '',
    changeset: cs.op.changeset ?? '',
    commandline: cl.op.commandline ?? '',
    virt_start: BigInt(pp.op.platform_parameters?.virt_start ?? '0'),
    pagesize: ps.rc,
    compiler: info?.compiler ?? '',
    compile_by: info?.compile_by ?? '',
    compile_domain: info?.compile_domain ?? '',
    compile_date: info?.compile_date ?? '',
    build_id: new Uint8Array(bid.op.build_id ?? []),
  };
}

export { XenError, isXenError };

/**
 * xc_readconsolering: reads up to `max_chars` of the console ring. With `incremental`, starts
 * from `index` and the returned index says where to continue; `clear` consumes what was read.
 */
export async function xc_readconsolering(xch: xc_interface, max_chars: number, clear: boolean, incremental: boolean, index = 0): Promise<{ data: Buffer; index: number }> {
  const op = await do_sysctl(xch, 'xc_readconsolering', {
    cmd: XEN_SYSCTL.readconsole,
    readconsole: { clear: clear ? 1 : 0, incremental: incremental ? 1 : 0, index, count: max_chars, buffer: { buf: Buffer.alloc(0) } },
  });
  const r = op.readconsole!;
  return { data: r.buffer?.buf ?? Buffer.alloc(0), index: r.index };
}

/** xc_send_debug_keys: the keys as Xen's debug-key handlers receive them. */
export async function xc_send_debug_keys(xch: xc_interface, keys: string): Promise<void> {
  const buf = Buffer.from(keys, 'latin1');
  await do_sysctl(xch, 'xc_send_debug_keys', { cmd: XEN_SYSCTL.debug_keys, debug_keys: { keys: { buf }, nr_keys: buf.length } });
}

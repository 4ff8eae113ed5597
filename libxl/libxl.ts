// libxl context and host queries (tools/libs/light/libxl.c, libxl_mem.c, libxl_utils.c).
import {
  isXenError,
  xc_cpupool_freeinfo,
  xc_cputopoinfo,
  xc_interface_close,
  xc_interface_open,
  xc_numainfo,
  xc_physinfo,
  xc_sched_id,
  xc_sharing_freed_pages,
  xc_sharing_used_frames,
  xc_version_all,
  type xc_cputopo_t,
  type xc_interface,
  type xc_interface_open_opts,
  type xc_meminfo_t,
} from '../libxc/xenctrl.js';
import { randomBytes } from 'node:crypto';
import { xs_close, xs_open, type xs_handle, type xs_open_opts } from '../libxenstore/xs.js';
import { XEN_SYSCTL_PHYSCAP } from '../proto/public/physcap.js';
import { XEN_INVALID_CORE_ID, XEN_INVALID_MEM_SZ, XEN_INVALID_NODE_DIST, XEN_INVALID_NODE_ID, XEN_INVALID_SOCKET_ID, XEN_SCHEDULER } from '../proto/public/sysctl.js';
import { LibxlError, xcOrFail } from './libxl_error.js';
import { libxl_bitmap_alloc, type libxl_bitmap } from './libxl_utils.js';

/** LIBXL_CPUTOPOLOGY_INVALID_ENTRY, LIBXL_NUMAINFO_INVALID_ENTRY (libxl.h): ~(uint32_t)0. */
export const LIBXL_CPUTOPOLOGY_INVALID_ENTRY = 0xffffffff;
export const LIBXL_NUMAINFO_INVALID_ENTRY = 0xffffffff;

export interface libxl_ctx {
  xch: xc_interface;
  /** ctx->xsh: the xenstore connection libxl_ctx_alloc opens. */
  xsh: xs_handle;
  /** libxl__random_bytes (RANDOM_DOMID, UUIDs): /dev/urandom in C; injectable for tests. */
  random_bytes: (n: number) => Uint8Array;
  /** libxl caches the version info in the ctx (ctx->xen_version_info). */
  version_info?: libxl_version_info;
}

export interface libxl_ctx_alloc_opts {
  address?: string;
  random_bytes?: (n: number) => Uint8Array;
  /** xenemu extension: interposers for the libxc and xenstore clients (see xc_interface_open). */
  interpose_xc?: xc_interface_open_opts['interpose'];
  interpose_xs?: xs_open_opts['interpose'];
}

/** libxl_ctx_alloc: opens libxc and xenstore; fails with ERROR_FAIL when either cannot be opened. */
export async function libxl_ctx_alloc(opts: libxl_ctx_alloc_opts = {}): Promise<libxl_ctx> {
  const xch = await xcOrFail('cannot open libxc handle', xc_interface_open(opts.address, opts.interpose_xc === undefined ? {} : { interpose: opts.interpose_xc }));
  let xsh: xs_handle;
  try {
    xsh = await xs_open(xch.address, opts.interpose_xs === undefined ? {} : { interpose: opts.interpose_xs }); // the address libxc resolved
  } catch (e) {
    xc_interface_close(xch);
    throw new LibxlError('ERROR_FAIL', 'cannot connect to xenstore', { cause: e });
  }
  return { xch, xsh, random_bytes: opts.random_bytes ?? ((n) => new Uint8Array(randomBytes(n))) };
}

export function libxl_ctx_free(ctx: libxl_ctx): void {
  xs_close(ctx.xsh);
  xc_interface_close(ctx.xch);
}

/** libxl_physinfo (libxl_types.idl). */
export interface libxl_physinfo {
  threads_per_core: number;
  cores_per_socket: number;
  max_cpu_id: number;
  nr_cpus: number;
  cpu_khz: number;
  total_pages: number;
  free_pages: number;
  scrub_pages: number;
  outstanding_pages: number;
  sharing_freed_pages: number;
  sharing_used_frames: number;
  max_possible_mfn: number;
  nr_nodes: number;
  hw_cap: number[];
  cap_hvm: boolean;
  cap_pv: boolean;
  cap_hvm_directio: boolean;
  cap_hap: boolean;
  cap_shadow: boolean;
  cap_iommu_hap_pt_share: boolean;
  cap_vmtrace: boolean;
  cap_vpmu: boolean;
  cap_gnttab_v1: boolean;
  cap_gnttab_v2: boolean;
  arch_capabilities: number;
}

/** xc_sharing_* answer ENOSYS without memory sharing; libxl reads that as 0. */
async function zeroIfNosys(what: string, p: Promise<number>): Promise<number> {
  try {
    return await p;
  } catch (e) {
    if (isXenError(e, 'ENOSYS')) return 0;
    throw new LibxlError('ERROR_FAIL', what, { cause: e });
  }
}

/** Port of libxl_get_physinfo. */
export async function libxl_get_physinfo(ctx: libxl_ctx): Promise<libxl_physinfo> {
  const p = await xcOrFail('getting physinfo', xc_physinfo(ctx.xch));
  const cap = (bit: number): boolean => (p.capabilities & bit) !== 0;
  return {
    threads_per_core: p.threads_per_core,
    cores_per_socket: p.cores_per_socket,
    max_cpu_id: p.max_cpu_id,
    nr_cpus: p.nr_cpus,
    cpu_khz: p.cpu_khz,
    total_pages: p.total_pages,
    free_pages: p.free_pages,
    scrub_pages: p.scrub_pages,
    outstanding_pages: p.outstanding_pages,
    sharing_freed_pages: await zeroIfNosys('getting sharing freed pages', xc_sharing_freed_pages(ctx.xch)),
    sharing_used_frames: await zeroIfNosys('getting sharing used frames', xc_sharing_used_frames(ctx.xch)),
    max_possible_mfn: p.max_mfn,
    nr_nodes: p.nr_nodes,
    hw_cap: p.hw_cap,
    cap_hvm: cap(XEN_SYSCTL_PHYSCAP.hvm),
    cap_pv: cap(XEN_SYSCTL_PHYSCAP.pv),
    cap_hvm_directio: cap(XEN_SYSCTL_PHYSCAP.directio),
    cap_hap: cap(XEN_SYSCTL_PHYSCAP.hap),
    cap_shadow: cap(XEN_SYSCTL_PHYSCAP.shadow),
    cap_iommu_hap_pt_share: cap(XEN_SYSCTL_PHYSCAP.iommu_hap_pt_share),
    cap_vmtrace: cap(XEN_SYSCTL_PHYSCAP.vmtrace),
    cap_vpmu: cap(XEN_SYSCTL_PHYSCAP.vpmu),
    cap_gnttab_v1: cap(XEN_SYSCTL_PHYSCAP.gnttab_v1),
    cap_gnttab_v2: cap(XEN_SYSCTL_PHYSCAP.gnttab_v2),
    arch_capabilities: p.arch_capabilities,
  };
}

/** libxl_numainfo: sizes in bytes; invalid entries as LIBXL_NUMAINFO_INVALID_ENTRY. */
export interface libxl_numainfo {
  size: bigint;
  free: bigint;
  dists: number[];
}

/** Port of libxl_get_numainfo: count query, then the data. */
export async function libxl_get_numainfo(ctx: libxl_ctx): Promise<libxl_numainfo[]> {
  const n = await xcOrFail('Unable to determine number of nodes', xc_numainfo(ctx.xch, 0, null, null));
  const meminfo: xc_meminfo_t[] = Array.from({ length: n }, () => ({ memsize: 0n, memfree: 0n }));
  const distance = new Array<number>(n * n).fill(0);
  const got = await xcOrFail('getting numainfo', xc_numainfo(ctx.xch, n, meminfo, distance));
  const inv = (v: bigint): bigint => (v === XEN_INVALID_MEM_SZ ? BigInt(LIBXL_NUMAINFO_INVALID_ENTRY) : v);
  return meminfo.slice(0, got).map((m, i) => ({
    size: inv(m.memsize),
    free: inv(m.memfree),
    dists: distance.slice(i * got, (i + 1) * got).map((d) => (d === XEN_INVALID_NODE_DIST ? LIBXL_NUMAINFO_INVALID_ENTRY : d)),
  }));
}

export interface libxl_cputopology {
  core: number;
  socket: number;
  node: number;
}

/** Port of libxl_get_cpu_topology: count query, then the data. */
export async function libxl_get_cpu_topology(ctx: libxl_ctx): Promise<libxl_cputopology[]> {
  const n = await xcOrFail('Unable to determine number of CPUS', xc_cputopoinfo(ctx.xch, 0, null));
  const topo: xc_cputopo_t[] = Array.from({ length: n }, () => ({ core: 0, socket: 0, node: 0 }));
  const got = await xcOrFail('CPU topology info hypercall failed', xc_cputopoinfo(ctx.xch, n, topo));
  const inv = (v: number, marker: number): number => (v === marker ? LIBXL_CPUTOPOLOGY_INVALID_ENTRY : v);
  return topo.slice(0, got).map((t) => ({
    core: inv(t.core, XEN_INVALID_CORE_ID),
    socket: inv(t.socket, XEN_INVALID_SOCKET_ID),
    node: inv(t.node, XEN_INVALID_NODE_ID),
  }));
}

/** Port of libxl_get_free_memory (libxl_mem.c): (free + scrub) pages in KiB; claims not subtracted. */
export async function libxl_get_free_memory(ctx: libxl_ctx): Promise<number> {
  const p = await xcOrFail('getting physinfo', xc_physinfo(ctx.xch));
  return (p.free_pages + p.scrub_pages) * 4;
}

/** libxl_version_info. */
export interface libxl_version_info {
  xen_version_major: number;
  xen_version_minor: number;
  xen_version_extra: string;
  compiler: string;
  compile_by: string;
  compile_domain: string;
  compile_date: string;
  capabilities: string;
  changeset: string;
  virt_start: bigint;
  pagesize: number;
  commandline: string;
  build_id: string;
}

/** Port of libxl_get_version_info (cached in the ctx, as libxl does). */
export async function libxl_get_version_info(ctx: libxl_ctx): Promise<libxl_version_info> {
  if (ctx.version_info !== undefined) return ctx.version_info;
  const v = await xcOrFail('getting version info', xc_version_all(ctx.xch));
  ctx.version_info = {
    xen_version_major: v.major,
    xen_version_minor: v.minor,
    xen_version_extra: v.extra,
    compiler: v.compiler,
    compile_by: v.compile_by,
    compile_domain: v.compile_domain,
    compile_date: v.compile_date,
    capabilities: v.capabilities,
    changeset: v.changeset,
    virt_start: v.virt_start,
    pagesize: v.pagesize,
    commandline: v.commandline,
    build_id: [...v.build_id].map((b) => b.toString(16).padStart(2, '0')).join(''),
  };
  return ctx.version_info;
}

/** libxl_scheduler names (libxl_types.idl), by XEN_SCHEDULER_* id. */
const SCHEDULERS: Record<number, string> = {
  [XEN_SCHEDULER.credit]: 'credit',
  [XEN_SCHEDULER.credit2]: 'credit2',
  [XEN_SCHEDULER.arinc653]: 'arinc653',
  [XEN_SCHEDULER.rtds]: 'rtds',
  [XEN_SCHEDULER.null]: 'null',
};

/** libxl_get_scheduler + libxl_scheduler_to_string. */
export async function libxl_get_scheduler(ctx: libxl_ctx): Promise<string> {
  const id = await xcOrFail('getting domain info list', xc_sched_id(ctx.xch));
  return SCHEDULERS[id] ?? 'unknown';
}

/** Port of libxl_get_freecpus: the CPUs in no cpupool. */
export async function libxl_get_freecpus(ctx: libxl_ctx): Promise<libxl_bitmap> {
  const map = await xcOrFail('getting free cpu info', xc_cpupool_freeinfo(ctx.xch));
  const b = libxl_bitmap_alloc(map.length * 8);
  b.map.set(map);
  return b;
}

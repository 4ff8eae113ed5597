// Domains in libxl: listing, info, pause/unpause/destroy (tools/libs/light/libxl_domain.c),
// names (libxl_utils.c) and affinity (libxl_sched.c).
import {
  isXenError,
  xc_domain_destroy,
  xc_domain_getinfo_single,
  xc_domain_getinfolist,
  xc_domain_node_getaffinity,
  xc_domain_node_setaffinity,
  xc_domain_pause,
  xc_domain_unpause,
  xc_vcpu_getaffinity,
  xc_vcpu_getinfo,
  xc_vcpu_setaffinity,
  type xc_domaininfo_t,
} from '../libxc/xenctrl.js';
import { XEN_DOMINF, XEN_INVALID_MAX_VCPU_ID, XEN_VCPUAFFINITY } from '../proto/public/domctl.js';
import { XBT_NULL, xs_release_domain } from '../libxenstore/xs.js';
import { LibxlError, xcOrFail } from './libxl_error.js';
import type { libxl_ctx } from './libxl.js';
import type { libxl_logger } from './libxl_types.js';
import { libxl__xs_get_dompath, libxl__xs_libxl_path, libxl__xs_read, xs_rm_ignored } from './libxl_xshelp.js';
import { libxl__strtoul_u32, libxl_bitmap_alloc, libxl_cpu_bitmap_alloc, libxl_bitmap_is_empty, libxl_get_max_cpus, type libxl_bitmap } from './libxl_utils.js';

/** LIBXL_SHUTDOWN_REASON_UNKNOWN */
export const LIBXL_SHUTDOWN_REASON_UNKNOWN = -1;
/** xc_getinfolist batch size of libxl_list_domain. */
const LIST_BATCH = 1024;

/** libxl_dominfo (libxl_types.idl), the fields libxl__xcinfo2xlinfo fills. */
export interface libxl_dominfo {
  uuid: Uint8Array;
  domid: number;
  ssidref: number;
  running: boolean;
  blocked: boolean;
  paused: boolean;
  shutdown: boolean;
  dying: boolean;
  never_stop: boolean;
  shutdown_reason: number;
  outstanding_memkb: number;
  current_memkb: number;
  shared_memkb: number;
  paged_memkb: number;
  max_memkb: number;
  cpu_time: bigint;
  vcpu_max_id: number;
  vcpu_online: number;
  cpupool: number;
  gpaddr_bits: number;
  domain_type: 'hvm' | 'pv';
}

/** Port of libxl__xcinfo2xlinfo. */
export function xcinfo2xlinfo(x: xc_domaininfo_t): libxl_dominfo {
  const f = (bit: number): boolean => (x.flags & bit) !== 0;
  const shutdown = f(XEN_DOMINF.shutdown);
  return {
    uuid: x.handle,
    domid: x.domain,
    ssidref: x.ssidref,
    running: f(XEN_DOMINF.running),
    blocked: f(XEN_DOMINF.blocked),
    paused: f(XEN_DOMINF.paused),
    shutdown,
    dying: f(XEN_DOMINF.dying),
    never_stop: f(XEN_DOMINF.xs_domain),
    shutdown_reason: shutdown ? (x.flags >>> 16) & 0xff : LIBXL_SHUTDOWN_REASON_UNKNOWN,
    outstanding_memkb: x.outstanding_pages * 4,
    current_memkb: x.tot_pages * 4,
    shared_memkb: x.shr_pages * 4,
    paged_memkb: x.paged_pages * 4,
    max_memkb: x.max_pages * 4,
    cpu_time: x.cpu_time,
    vcpu_max_id: x.max_vcpu_id,
    vcpu_online: x.nr_online_vcpus,
    cpupool: x.cpupool,
    gpaddr_bits: x.gpaddr_bits,
    domain_type: f(XEN_DOMINF.hvm_guest) ? 'hvm' : 'pv', // PVH reads as HVM here, as in libxl
  };
}

/** Port of libxl_list_domain: getinfolist in batches from domid 0 upwards. */
export async function libxl_list_domain(ctx: libxl_ctx): Promise<libxl_dominfo[]> {
  const out: libxl_dominfo[] = [];
  // Bound: each batch advances past the last domid, and domids end at 0x7FF0.
  for (let first = 0; ; ) {
    const batch = await xcOrFail('getting domain info list', xc_domain_getinfolist(ctx.xch, first, LIST_BATCH));
    if (batch.length === 0) return out;
    out.push(...batch.map(xcinfo2xlinfo));
    first = batch[batch.length - 1]!.domain + 1;
  }
}

/** Port of libxl_domain_info: ESRCH is ERROR_DOMAIN_NOTFOUND. */
export async function libxl_domain_info(ctx: libxl_ctx, domid: number): Promise<libxl_dominfo> {
  try {
    return xcinfo2xlinfo(await xc_domain_getinfo_single(ctx.xch, domid));
  } catch (e) {
    if (isXenError(e, 'ESRCH')) throw new LibxlError('ERROR_DOMAIN_NOTFOUND', `domain ${domid} does not exist`, { cause: e });
    throw new LibxlError('ERROR_FAIL', 'getting domain info list', { cause: e });
  }
}

export async function libxl_domain_pause(ctx: libxl_ctx, domid: number): Promise<void> {
  await xcOrFail('pausing domain', xc_domain_pause(ctx.xch, domid));
}

export async function libxl_domain_unpause(ctx: libxl_ctx, domid: number): Promise<void> {
  await xcOrFail('unpausing domain', xc_domain_unpause(ctx.xch, domid));
}

/**
 * Port of libxl_domain_destroy for a domain without devices (libxl__destroy_domid,
 * destroy_domid_pci_done, devices_destroy_cb, domain_destroy_domid_cb): pause, remove
 * /vm/<uuid> (from <dompath>/vm), <dompath>, /libxl/<domid> and <dompath>/hvmloader from
 * xenstore (failures only logged, as libxl), XEN_DOMCTL_destroydomain, and release the domain
 * in xenstored (which real xenstored does itself on @releaseDomain).
 */
export async function libxl_domain_destroy(ctx: libxl_ctx, domid: number, log: libxl_logger = () => {}): Promise<void> {
  try {
    await libxl_domain_info(ctx, domid);
  } catch (e) {
    if (e instanceof LibxlError && e.code === 'ERROR_DOMAIN_NOTFOUND') log('error', `Domain ${domid}:Non-existant domain`);
    throw e;
  }
  try {
    await xc_domain_pause(ctx.xch, domid);
  } catch {
    log('error', `Domain ${domid}:xc_domain_pause failed`);
  }
  const dom_path = await libxl__xs_get_dompath(ctx, domid);
  const vm_path = await libxl__xs_read(ctx, XBT_NULL, `${dom_path}/vm`);
  if (vm_path !== null && !(await xs_rm_ignored(ctx, XBT_NULL, vm_path))) log('error', `Domain ${domid}:xs_rm failed for ${vm_path}`);
  if (!(await xs_rm_ignored(ctx, XBT_NULL, dom_path))) log('error', `Domain ${domid}:xs_rm failed for ${dom_path}`);
  await xs_rm_ignored(ctx, XBT_NULL, libxl__xs_libxl_path(domid));
  await xs_rm_ignored(ctx, XBT_NULL, `/local/domain/${domid}/hvmloader`);
  try {
    await xc_domain_destroy(ctx.xch, domid);
  } catch (e) {
    log('error', `Domain ${domid}:xc_domain_destroy failed`);
    throw new LibxlError('ERROR_FAIL', 'xc_domain_destroy failed', { cause: e });
  }
  try {
    await xs_release_domain(ctx.xsh, domid);
  } catch {
    // Never introduced (creation failed before libxl__build_post): nothing to release.
  }
}

/** libxl_vcpuinfo. */
export interface libxl_vcpuinfo {
  vcpuid: number;
  cpu: number;
  online: boolean;
  blocked: boolean;
  running: boolean;
  vcpu_time: bigint;
  cpumap: libxl_bitmap;
  cpumap_soft: libxl_bitmap;
}

/** Port of libxl_list_vcpu: null when the domain has no vCPUs (max_vcpu_id invalid). */
export async function libxl_list_vcpu(ctx: libxl_ctx, domid: number): Promise<libxl_vcpuinfo[] | null> {
  const info = await libxl_domain_info(ctx, domid);
  if (info.vcpu_max_id === XEN_INVALID_MAX_VCPU_ID) return null;
  const out: libxl_vcpuinfo[] = [];
  for (let v = 0; v <= info.vcpu_max_id; v++) {
    const vi = await xcOrFail('getting vcpu info', xc_vcpu_getinfo(ctx.xch, domid, v));
    const cpumap = await libxl_cpu_bitmap_alloc(ctx);
    const cpumap_soft = await libxl_cpu_bitmap_alloc(ctx);
    await xcOrFail('getting vcpu affinity', xc_vcpu_getaffinity(ctx.xch, domid, v, cpumap.map, cpumap_soft.map, XEN_VCPUAFFINITY.HARD | XEN_VCPUAFFINITY.SOFT));
    out.push({ vcpuid: v, cpu: vi.cpu, online: vi.online !== 0, blocked: vi.blocked !== 0, running: vi.running !== 0, vcpu_time: vi.cpu_time, cpumap, cpumap_soft });
  }
  return out;
}

/** Logs of the affinity calls (libxl's LOG(WARN/DEBUG)), for callers that show them. */
export type LibxlLog = (level: 'warn' | 'debug', message: string) => void;

async function set_vcpuaffinity(ctx: libxl_ctx, domid: number, vcpuid: number, hard: libxl_bitmap | null, soft: libxl_bitmap | null, force: boolean, log: LibxlLog): Promise<void> {
  if (hard === null && soft === null) throw new LibxlError('ERROR_INVAL', 'neither hard nor soft affinity given');
  const n = await libxl_get_max_cpus(ctx);
  const copy = (b: libxl_bitmap | null): libxl_bitmap | null => {
    if (b === null) return null;
    const c = libxl_bitmap_alloc(n); // libxl__bitmap_copy_best_effort into a max-CPU map
    c.map.set(b.map.subarray(0, c.size));
    return c;
  };
  const h = copy(hard);
  const s = copy(soft);
  const flags = (h ? XEN_VCPUAFFINITY.HARD : 0) | (s ? XEN_VCPUAFFINITY.SOFT : 0) | (force ? XEN_VCPUAFFINITY.FORCE : 0);
  await xcOrFail('Setting vcpu affinity', xc_vcpu_setaffinity(ctx.xch, domid, vcpuid, h?.map ?? null, s?.map ?? null, flags));
  const differs = (eff: libxl_bitmap | null, req: libxl_bitmap | null): boolean => eff !== null && req !== null && !eff.map.every((b, i) => b === (req.map[i] ?? 0));
  if (differs(h, hard)) log('debug', `New hard affinity for vcpu ${vcpuid} has unreachable cpus`);
  if (differs(s, soft)) log('debug', `New soft affinity for vcpu ${vcpuid} has unreachable cpus`);
  if (s !== null && libxl_bitmap_is_empty(s))
    log('warn', `All cpus in soft affinity of vcpu ${vcpuid} are unreachable. Only hard affinity will be considered for scheduling`);
}

const noLog: LibxlLog = () => {};

/** Port of libxl_set_vcpuaffinity; hard and/or soft may be null (left unchanged). */
export function libxl_set_vcpuaffinity(ctx: libxl_ctx, domid: number, vcpuid: number, hard: libxl_bitmap | null, soft: libxl_bitmap | null, log: LibxlLog = noLog): Promise<void> {
  return set_vcpuaffinity(ctx, domid, vcpuid, hard, soft, false, log);
}

/** Port of libxl_set_vcpuaffinity_force: adds XEN_VCPUAFFINITY_FORCE. */
export function libxl_set_vcpuaffinity_force(ctx: libxl_ctx, domid: number, vcpuid: number, hard: libxl_bitmap | null, soft: libxl_bitmap | null, log: LibxlLog = noLog): Promise<void> {
  return set_vcpuaffinity(ctx, domid, vcpuid, hard, soft, true, log);
}

/** Port of libxl_set_vcpuaffinity_all: every vCPU, carrying on after failures. */
export async function libxl_set_vcpuaffinity_all(ctx: libxl_ctx, domid: number, max_vcpus: number, hard: libxl_bitmap | null, soft: libxl_bitmap | null, log: LibxlLog = noLog): Promise<void> {
  let failed = false;
  for (let v = 0; v < max_vcpus; v++) {
    try {
      await set_vcpuaffinity(ctx, domid, v, hard, soft, false, log);
    } catch {
      log('warn', `Failed to set affinity for ${v}`);
      failed = true;
    }
  }
  if (failed) throw new LibxlError('ERROR_FAIL', 'setting affinity for every vcpu');
}

export async function libxl_domain_set_nodeaffinity(ctx: libxl_ctx, domid: number, nodemap: libxl_bitmap): Promise<void> {
  await xcOrFail('Setting node affinity', xc_domain_node_setaffinity(ctx.xch, domid, nodemap.map));
}

export async function libxl_domain_get_nodeaffinity(ctx: libxl_ctx, domid: number, nodemap: libxl_bitmap): Promise<void> {
  await xcOrFail('Getting node affinity', xc_domain_node_getaffinity(ctx.xch, domid, nodemap.map));
}

/** Port of libxl_domid_to_name: /local/domain/<domid>/name, null when there is none. */
export function libxl_domid_to_name(ctx: libxl_ctx, domid: number): Promise<string | null> {
  return libxl__xs_read(ctx, XBT_NULL, `/local/domain/${domid}/name`);
}

/** Port of libxl_name_to_domid: the first listed domain with that name; ERROR_INVAL if none. */
export async function libxl_name_to_domid(ctx: libxl_ctx, name: string): Promise<number> {
  let list: libxl_dominfo[];
  try {
    list = await libxl_list_domain(ctx);
  } catch (e) {
    throw new LibxlError('ERROR_NOMEM', 'listing domains', { cause: e }); // C: NULL list is ERROR_NOMEM
  }
  for (const d of list) if ((await libxl_domid_to_name(ctx, d.domid)) === name) return d.domid;
  throw new LibxlError('ERROR_INVAL', `no domain named ${name}`);
}

/** Port of libxl_domain_qualifier_to_domid: all digits is a domid (strtoul), else a name. */
export async function libxl_domain_qualifier_to_domid(ctx: libxl_ctx, name: string): Promise<number> {
  if (/^\d*$/.test(name)) return libxl__strtoul_u32(name); // "" is domid 0, as in C
  return libxl_name_to_domid(ctx, name);
}

/** LIBXL_UUID_FMT: 8-4-4-4-12 lowercase hex. */
export function libxl_uuid_fmt(uuid: Uint8Array): string {
  const h = [...uuid].map((b) => b.toString(16).padStart(2, '0')).join('').padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * libxl_retrieve_domain_configuration: the configuration libxl stored when it created the
 * domain ("libxl-json" userdata). Domains not created through libxl_domain_create_new (dom0,
 * domains made with raw domctls) have none, and this fails as libxl does: "Fail to get domain
 * configuration", ERROR_FAIL. The store itself arrives with domain creation (xl create).
 */
export function libxl_retrieve_domain_configuration(_ctx: libxl_ctx, domid: number): Promise<never> {
  return Promise.reject(new LibxlError('ERROR_FAIL', `Domain ${domid}:Fail to get domain configuration`));
}

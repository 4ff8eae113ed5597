// Domain creation in libxl (tools/libs/light/libxl_create.c): the defaulting rules, the
// domain and its xenstore skeleton (libxl__domain_make), and the domcreate flow up to
// "done" for HVM and PVH guests. docs: /work/shared/reference/xen-userspace.md §2.4, §2.5, §2.8.
import { XBT_NULL, XS_PERM, XsError, xs_write, type xs_permissions } from '../libxenstore/xs.js';
import { isXenError, xc_domain_create } from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF, XEN_DOMCTL_GRANT_version_mask } from '../proto/public/domctl.js';
import { libxl_get_physinfo, type libxl_ctx, type libxl_physinfo } from './libxl.js';
import { libxl_cpupool_info, libxl_cpupoolid_to_name } from './libxl_cpupool.js';
import { libxl__build_hvm, libxl__build_post, libxl__build_pre, libxl__domain_build_state_init, typed_build_info, type libxl__domain_build_state } from './libxl_dom.js';
import { libxl_domain_destroy, libxl_domain_info, libxl_name_to_domid, libxl_uuid_fmt } from './libxl_domain.js';
import { LibxlError } from './libxl_error.js';
import { libxl__domain_need_memory_calculate } from './libxl_mem.js';
import {
  INVALID_DOMID,
  LIBXL_DOMAIN_TYPE,
  LIBXL_MEMKB_DEFAULT,
  LIBXL_VGA_INTERFACE_TYPE,
  RANDOM_DOMID,
  libxl_defbool_setdefault,
  libxl_defbool_val,
  libxl_domain_type_to_string,
  type libxl_domain_config,
  type libxl_domain_type,
  type libxl_logger,
} from './libxl_types.js';
import { libxl__strtoul_u32, libxl_bitmap_alloc, libxl_bitmap_set, libxl_get_max_cpus } from './libxl_utils.js';
import { libxl__xs_get_dompath, libxl__xs_libxl_path, libxl__xs_mknod, libxl__xs_transaction, libxl__xs_write_checked, libxl__xs_writev, xs_rm_ignored } from './libxl_xshelp.js';

/** HVM_MAX_VCPUS (public/hvm/hvm_info_table.h); libxl compares avail_vcpus' size in bytes with it. */
export const HVM_MAX_VCPUS = 128;
/** SECINITSID_DOMU (xen/xsm/flask/policy/initial_sids: the 12th initial SID). */
export const SECINITSID_DOMU = 12;
/** EXTRA_DEFAULT_PAGING_MEM_MB on x86. */
const EXTRA_DEFAULT_PAGING_MEM_MB = 0;
/** DOMID_FIRST_RESERVED, DOMID_ANY, DOMID_MASK (public/xen.h). */
const DOMID_FIRST_RESERVED = 0x7ff0;
const DOMID_ANY = 0x7ff5;
const DOMID_MASK = 0x7fff;
/** Bound on RANDOM_DOMID draws (C loops until a free one turns up). */
export const RANDOM_DOMID_MAX_TRIES = 65536;
/** xen/include/public/arch-x86/xen.h: XEN_X86_EMU_*. */
const XEN_X86_EMU_LAPIC = 1 << 0;
const XEN_X86_EMU_USE_PIRQ = 1 << 9;
const XEN_X86_EMU_VPCI = 1 << 10;
const XEN_X86_EMU_ALL = (1 << 11) - 1;
/** libxl_device_model_version_to_string(LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN). */
const DM_VERSION_QEMU_XEN = 'qemu_xen';

const U64_MAX = 0xffffffffffffffffn;
/** A KiB field as the uint64 C holds: LIBXL_MEMKB_DEFAULT is ~0ULL. */
const u64kb = (v: number): bigint => (v === LIBXL_MEMKB_DEFAULT ? U64_MAX : BigInt(v));

export const libxl_domid_valid_guest = (domid: number): boolean => domid > 0 && domid < DOMID_FIRST_RESERVED;

/**
 * Port of libxl__get_required_paging_memory: 4 * (256 * vcpus + ((type != PV) + !hap) *
 * (maxmem_kb / 1024) + EXTRA_DEFAULT_PAGING_MEM_MB) KiB, unsigned long arithmetic. Given an
 * unset max_memkb (~0ULL: config_setdefault computes this before build_info_setdefault fills
 * it), the result is enormous, as in C; it is returned as the nearest double.
 */
export function libxl__get_required_paging_memory(maxmem_kb: number, smp_cpus: number, type: libxl_domain_type, hap: boolean): number {
  const factor = BigInt((type !== LIBXL_DOMAIN_TYPE.PV ? 1 : 0) + (hap ? 0 : 1));
  const v = 4n * (256n * BigInt(smp_cpus) + factor * (u64kb(maxmem_kb) / 1024n) + BigInt(EXTRA_DEFAULT_PAGING_MEM_MB));
  return Number(BigInt.asUintN(64, v));
}

/** What the defaulting rules read of the host. */
export interface libxl_setdefault_host {
  physinfo: Pick<libxl_physinfo, 'cap_hap' | 'cap_shadow' | 'cap_hvm_directio' | 'cap_vpmu' | 'cap_gnttab_v1' | 'cap_gnttab_v2'>;
  /** libxl_get_max_cpus: the size in bits of a CPU bitmap. */
  max_cpus: number;
  /** libxl_cpupoolid_is_valid for the pool the config resolves to. */
  cpupool_valid: (poolid: number) => boolean;
}

const noLog: libxl_logger = () => {};
const dlog = (domid: number): string => (domid === INVALID_DOMID ? '' : `Domain ${domid}:`);

function fail(log: libxl_logger, code: 'ERROR_INVAL' | 'ERROR_FAIL', message: string): never {
  log('error', message);
  throw new LibxlError(code, message);
}

/** Port of libxl__domain_create_info_setdefault: hap from the host, oos true, ssidref. */
export function libxl__domain_create_info_setdefault(d_config: libxl_domain_config, physinfo: libxl_setdefault_host['physinfo'], log: libxl_logger = noLog): void {
  const c_info = d_config.c_info;
  if ((c_info.type as number) === 0) fail(log, 'ERROR_INVAL', 'domain type unspecified'); // !c_info->type: INVALID (-1) passes
  if (c_info.type !== LIBXL_DOMAIN_TYPE.PV) {
    if (physinfo.cap_hap) c_info.hap = libxl_defbool_setdefault(c_info.hap, true);
    else if (physinfo.cap_shadow) c_info.hap = libxl_defbool_setdefault(c_info.hap, false);
    else fail(log, 'ERROR_INVAL', 'neither hap nor shadow paging available');
    c_info.oos = libxl_defbool_setdefault(c_info.oos, true);
  }
}

/**
 * Port of libxl__domain_build_info_setdefault (the fields xenemu models): vCPUs, avail_vcpus,
 * the legacy cpumap copied into vcpu_hard_affinity, numa_placement (true), memory (32 MiB,
 * target = max), claim_mode (false), event channels (1023), and per type the shadow, MMIO-hole,
 * VGA kind and video RAM defaults with their minimums.
 */
export function libxl__domain_build_info_setdefault(d_config: libxl_domain_config, host: libxl_setdefault_host, log: libxl_logger = noLog): void {
  const type = d_config.c_info.type;
  const b = d_config.b_info;
  if (type !== LIBXL_DOMAIN_TYPE.HVM && type !== LIBXL_DOMAIN_TYPE.PV && type !== LIBXL_DOMAIN_TYPE.PVH) fail(log, 'ERROR_INVAL', 'invalid domain type');

  if (!b.max_vcpus) b.max_vcpus = 1;
  if (!b.avail_vcpus.size) {
    b.avail_vcpus = libxl_bitmap_alloc(1); // libxl_cpu_bitmap_alloc(CTX, &avail_vcpus, 1)
    libxl_bitmap_set(b.avail_vcpus, 0);
  } else if (b.avail_vcpus.size > HVM_MAX_VCPUS) {
    fail(log, 'ERROR_FAIL', 'avail_vcpus bitmap contains too many VCPUS'); // size is in bytes, as in C
  }

  // "In libxl internals, we want to deal with vcpu_hard_affinity only!"; cpumap itself stays.
  if (b.cpumap.size && b.vcpu_hard_affinity.length === 0) {
    b.vcpu_hard_affinity = Array.from({ length: b.max_vcpus }, () => {
      const m = libxl_bitmap_alloc(host.max_cpus);
      m.map.set(b.cpumap.map.subarray(0, m.size)); // libxl_bitmap_copy asserts equal sizes; xl allocates them so
      return m;
    });
  }

  b.numa_placement = libxl_defbool_setdefault(b.numa_placement, true);
  if (b.max_memkb === LIBXL_MEMKB_DEFAULT) b.max_memkb = 32 * 1024;
  if (b.target_memkb === LIBXL_MEMKB_DEFAULT) b.target_memkb = b.max_memkb;
  b.claim_mode = libxl_defbool_setdefault(b.claim_mode, false);
  if (!b.event_channels) b.event_channels = 1023;
  if (b.iommu_memkb === LIBXL_MEMKB_DEFAULT) b.iommu_memkb = 0;

  switch (type) {
    case LIBXL_DOMAIN_TYPE.HVM: {
      if (b.shadow_memkb === LIBXL_MEMKB_DEFAULT) b.shadow_memkb = 0;
      if (b.u.hvm.mmio_hole_memkb === LIBXL_MEMKB_DEFAULT) b.u.hvm.mmio_hole_memkb = 0;
      if (b.u.hvm.vga.kind === LIBXL_VGA_INTERFACE_TYPE.UNKNOWN) b.u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE.CIRRUS;
      switch (b.u.hvm.vga.kind) {
        case LIBXL_VGA_INTERFACE_TYPE.NONE:
          if (b.video_memkb === LIBXL_MEMKB_DEFAULT) b.video_memkb = 0;
          break;
        case LIBXL_VGA_INTERFACE_TYPE.QXL:
          if (b.video_memkb === LIBXL_MEMKB_DEFAULT) b.video_memkb = 128 * 1024;
          else if (b.video_memkb < 128 * 1024) fail(log, 'ERROR_INVAL', '128 Mib videoram is the minimum for qxl default');
          break;
        case LIBXL_VGA_INTERFACE_TYPE.STD:
          if (b.video_memkb === LIBXL_MEMKB_DEFAULT) b.video_memkb = 16 * 1024;
          if (b.video_memkb < 16 * 1024) fail(log, 'ERROR_INVAL', 'videoram must be at least 16 MB for STDVGA on QEMU_XEN');
          break;
        default:
          if (b.video_memkb === LIBXL_MEMKB_DEFAULT) b.video_memkb = 8 * 1024;
          if (b.video_memkb < 8 * 1024) fail(log, 'ERROR_INVAL', 'videoram must be at least 8 MB for CIRRUS on QEMU_XEN');
      }
      break;
    }
    case LIBXL_DOMAIN_TYPE.PV:
      if (b.video_memkb === LIBXL_MEMKB_DEFAULT) b.video_memkb = 0;
      if (b.shadow_memkb === LIBXL_MEMKB_DEFAULT) b.shadow_memkb = 0;
      break;
    case LIBXL_DOMAIN_TYPE.PVH:
      if (b.video_memkb === LIBXL_MEMKB_DEFAULT) b.video_memkb = 0;
      break;
  }
}

/**
 * The pure part of libxl__domain_config_setdefault, after the pool is resolved: create-info
 * defaults, the PoD checks (PoD = not PV and target < max, compared as C's uint64 before the
 * memory defaults are filled), shadow and IOMMU memory, then the build-info defaults.
 */
export function libxl__domain_config_setdefault_host(d_config: libxl_domain_config, host: libxl_setdefault_host, domid: number = INVALID_DOMID, log: libxl_logger = noLog): void {
  const c_info = d_config.c_info;
  const b = d_config.b_info;
  const d = dlog(domid);
  if (!host.cpupool_valid(c_info.poolid)) fail(log, 'ERROR_INVAL', `${d}Illegal pool specified: ${c_info.pool_name ?? '(null)'}`);
  try {
    libxl__domain_create_info_setdefault(d_config, host.physinfo, log);
  } catch (e) {
    log('error', `${d}Unable to set domain create info defaults`);
    throw e;
  }

  const pod_enabled = c_info.type !== LIBXL_DOMAIN_TYPE.PV && u64kb(b.target_memkb) < u64kb(b.max_memkb);
  if (pod_enabled && b.vnuma_nodes.length) fail(log, 'ERROR_INVAL', `${d}Cannot enable PoD and vNUMA at the same time`);
  if (c_info.type === LIBXL_DOMAIN_TYPE.PV && b.vnuma_nodes.length) fail(log, 'ERROR_INVAL', `${d}PV vNUMA is not yet supported`);

  if (b.shadow_memkb === LIBXL_MEMKB_DEFAULT) {
    const hap = c_info.type !== LIBXL_DOMAIN_TYPE.PV && libxl_defbool_val(c_info.hap);
    b.shadow_memkb = libxl__get_required_paging_memory(b.max_memkb, b.max_vcpus, c_info.type, hap);
  }
  if (b.iommu_memkb === LIBXL_MEMKB_DEFAULT) b.iommu_memkb = 0; // no passthrough, so never sync_pt

  try {
    libxl__domain_build_info_setdefault(d_config, host, log);
  } catch (e) {
    log('error', `${d}Unable to set domain build info defaults`);
    throw e;
  }
}

/** Port of libxl_cpupool_qualifier_to_cpupoolid: one or more digits is an id (qualifier_to_id), else a pool name (only Pool-0 exists). */
async function cpupool_qualifier_to_id(ctx: libxl_ctx, p: string): Promise<number | null> {
  if (/^\d+$/.test(p)) return libxl__strtoul_u32(p);
  for (const id of [0]) if ((await libxl_cpupoolid_to_name(ctx, id)) === p) return id;
  return null;
}

/** b_info.max_grant_version as setdefault chose it from the host (the IDL field is not in libxl_types.ts). */
const max_grant_versions = new WeakMap<libxl_domain_config, number>();

/** Port of libxl__domain_config_setdefault: resolves pool_name, then the rules above against the live host. */
export async function libxl__domain_config_setdefault(ctx: libxl_ctx, d_config: libxl_domain_config, domid: number = INVALID_DOMID, log: libxl_logger = noLog): Promise<void> {
  const physinfo = await libxl_get_physinfo(ctx);
  const c_info = d_config.c_info;
  if (c_info.pool_name !== null) c_info.poolid = (await cpupool_qualifier_to_id(ctx, c_info.pool_name)) ?? -1;
  let pool_ok = false;
  try {
    await libxl_cpupool_info(ctx, c_info.poolid >>> 0);
    pool_ok = true;
  } catch (e) {
    if (!(e instanceof LibxlError)) throw e;
  }
  const max_cpus = await libxl_get_max_cpus(ctx);
  libxl__domain_config_setdefault_host(d_config, { physinfo, max_cpus, cpupool_valid: () => pool_ok }, domid, log);
  max_grant_versions.set(d_config, physinfo.cap_gnttab_v2 ? 2 : physinfo.cap_gnttab_v1 ? 1 : 0); // LIBXL_MAX_GRANT_DEFAULT
}

/** Port of libxl_domain_need_memory: setdefault (on a copy), then libxl__domain_need_memory_calculate, KiB. */
export async function libxl_domain_need_memory(ctx: libxl_ctx, d_config: libxl_domain_config): Promise<number> {
  const copy = structuredClone(d_config);
  await libxl__domain_config_setdefault(ctx, copy);
  return libxl__domain_need_memory_calculate(typed_build_info(copy));
}

/** The xen_domctl_createdomain libxl__domain_make fills from c_info and b_info. */
function createdomain_config(d_config: libxl_domain_config): Parameters<typeof xc_domain_create>[2] {
  const { c_info, b_info } = d_config;
  let flags = 0;
  if (c_info.type !== LIBXL_DOMAIN_TYPE.PV) {
    flags |= XEN_DOMCTL_CDF.hvm;
    if (libxl_defbool_val(c_info.hap)) flags |= XEN_DOMCTL_CDF.hap;
    if (!libxl_defbool_val(c_info.oos)) flags |= XEN_DOMCTL_CDF.oos_off;
  }
  const max_grant_version = max_grant_versions.get(d_config) ?? 0;
  // libxl__arch_domain_prepare_config (x86): HVM emulates all but vPCI and (pirq off) PIRQs.
  const emulation_flags = c_info.type === LIBXL_DOMAIN_TYPE.HVM ? XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI & ~XEN_X86_EMU_USE_PIRQ : c_info.type === LIBXL_DOMAIN_TYPE.PVH ? XEN_X86_EMU_LAPIC : 0;
  return {
    ssidref: SECINITSID_DOMU,
    max_vcpus: b_info.max_vcpus,
    max_evtchn_port: b_info.event_channels,
    max_grant_frames: b_info.max_grant_frames,
    max_maptrack_frames: b_info.max_maptrack_frames,
    grant_opts: max_grant_version & XEN_DOMCTL_GRANT_version_mask,
    altp2m_opts: 0,
    altp2m_nr: 0,
    vmtrace_size: 0,
    cpupool_id: c_info.poolid,
    flags,
    handle: c_info.uuid,
    arch: { emulation_flags, misc_flags: 0 },
  };
}

/** libxl__random_bytes for a uint16_t (host byte order: little-endian). */
function random_u16(ctx: libxl_ctx): number {
  const b = ctx.random_bytes(2);
  return (b[0] ?? 0) | ((b[1] ?? 0) << 8);
}

/**
 * Port of libxl__domain_rename(domid, old_name = NULL, new_name, t) as domain creation calls
 * it: a non-empty name must not belong to another domain ("Domain with name "%s" already
 * exists."), then <dompath>/name and /vm/<uuid>/name.
 */
async function domain_rename_new(ctx: libxl_ctx, domid: number, new_name: string | null, t: number, log: libxl_logger): Promise<void> {
  if (new_name === null) fail(log, 'ERROR_INVAL', `Domain ${domid}:New domain name not specified`);
  if (new_name !== '') {
    let existing: number | null = null;
    try {
      existing = await libxl_name_to_domid(ctx, new_name);
    } catch (e) {
      if (!(e instanceof LibxlError)) throw e;
      if (e.code !== 'ERROR_INVAL') {
        log('error', `Domain ${domid}:Unexpected error checking for existing domain`);
        throw e;
      }
    }
    if (existing !== null && existing !== domid) fail(log, 'ERROR_INVAL', `Domain ${domid}:Domain with name "${new_name}" already exists.`);
  }
  const dom_path = await libxl__xs_get_dompath(ctx, domid);
  try {
    await xs_write(ctx.xsh, t, `${dom_path}/name`, new_name);
  } catch (e) {
    log('error', `Domain ${domid}:Failed to write new name \`${new_name}' for domain previously named \`(null)'`);
    throw new LibxlError('ERROR_FAIL', `Failed to write new name \`${new_name}'`, { cause: e });
  }
  const info = await libxl_domain_info(ctx, domid);
  await libxl__xs_write_checked(ctx, t, `/vm/${libxl_uuid_fmt(info.uuid)}/name`, new_name);
}

/**
 * Port of libxl__domain_make (not a soft reset): XEN_DOMCTL_createdomain with the chosen domid
 * (an explicit valid one, RANDOM_DOMID drawn again on EEXIST, else DOMID_ANY), then in one
 * xenstore transaction the skeleton: <dompath> and /vm/<uuid> readable by the domain,
 * /libxl/<domid> (and its device/) dom0's only, <dompath>/{vm,name}, cpu, memory, device,
 * device/suspend/event-channel, control/* and data, drivers, feature, attr, error (the domain
 * may write those), /vm/<uuid>/{uuid,name}, xsdata, platform data, the two platform features
 * and /libxl/<domid>/type. `out.domid` is set as soon as the domain exists, so the caller can
 * destroy it when a later step fails. libxl__is_domid_recent is not emulated.
 */
export async function libxl__domain_make(ctx: libxl_ctx, d_config: libxl_domain_config, out: { domid: number }, log: libxl_logger = noLog): Promise<void> {
  const { c_info: info } = d_config;
  const uuid_string = libxl_uuid_fmt(info.uuid);
  const create = createdomain_config(d_config);

  for (let tries = 0; ; tries++) {
    let local_domid: number;
    if (info.domid === RANDOM_DOMID) {
      if (tries >= RANDOM_DOMID_MAX_TRIES) fail(log, 'ERROR_FAIL', `no free random domid after ${RANDOM_DOMID_MAX_TRIES} draws`);
      const v = random_u16(ctx) & DOMID_MASK;
      if (!libxl_domid_valid_guest(v)) continue;
      local_domid = v;
    } else if (libxl_domid_valid_guest(info.domid)) {
      local_domid = info.domid;
    } else {
      local_domid = DOMID_ANY;
    }
    try {
      out.domid = await xc_domain_create(ctx.xch, local_domid, create);
      break;
    } catch (e) {
      if (isXenError(e, 'EEXIST') && info.domid === RANDOM_DOMID) continue;
      log('error', `Domain ${local_domid}:domain creation fail`);
      throw new LibxlError('ERROR_FAIL', 'domain creation fail', { cause: e });
    }
  }
  const domid = out.domid;

  const dom_path = await libxl__xs_get_dompath(ctx, domid);
  const vm_path = `/vm/${uuid_string}`;
  const libxl_path = libxl__xs_libxl_path(domid);
  const noperm: xs_permissions[] = [{ id: 0, perms: XS_PERM.NONE }];
  const roperm: xs_permissions[] = [{ id: 0, perms: XS_PERM.NONE }, { id: domid, perms: XS_PERM.READ }];
  const rwperm: xs_permissions[] = [{ id: domid, perms: XS_PERM.NONE }];
  const hvm = info.type === LIBXL_DOMAIN_TYPE.HVM;

  // As in C, only the rename and the commit are checked; a failed mknod or write is logged and skipped.
  const unchecked = async (p: Promise<unknown>): Promise<void> => {
    try {
      await p;
    } catch (e) {
      if (!(e instanceof LibxlError) && !(e instanceof XsError)) throw e;
      log('error', e.message);
    }
  };
  const mknod = (t: number, path: string, perms: readonly xs_permissions[]): Promise<void> => unchecked(libxl__xs_mknod(ctx, t, path, perms));
  const write = (t: number, path: string, value: string): Promise<void> => unchecked(xs_write(ctx.xsh, t, path, value));

  await libxl__xs_transaction(
    ctx,
    async (t) => {
      await xs_rm_ignored(ctx, t, dom_path);
      await mknod(t, dom_path, roperm);
      await xs_rm_ignored(ctx, t, vm_path);
      await mknod(t, vm_path, roperm);
      await xs_rm_ignored(ctx, t, libxl_path);
      await mknod(t, libxl_path, noperm);
      await mknod(t, `${libxl_path}/device`, noperm);

      await write(t, `${dom_path}/vm`, vm_path);
      await domain_rename_new(ctx, domid, info.name, t, log);

      await mknod(t, `${dom_path}/cpu`, roperm);
      await mknod(t, `${dom_path}/memory`, roperm);
      // xend_suspend_evtchn_compat is false: the suspend event channel node is the domain's.
      await mknod(t, `${dom_path}/device`, roperm);
      await mknod(t, `${dom_path}/device/suspend/event-channel`, rwperm);
      await mknod(t, `${dom_path}/control`, roperm);
      if (hvm) await mknod(t, `${dom_path}/hvmloader`, roperm);
      const rw = ['control/shutdown', 'control/feature-poweroff', 'control/feature-reboot', 'control/feature-suspend'];
      if (hvm) rw.push('control/feature-s3', 'control/feature-s4');
      rw.push('control/sysrq', 'data', 'drivers', 'feature', 'attr', 'error');
      for (const p of rw) await mknod(t, `${dom_path}/${p}`, rwperm);

      await write(t, `${vm_path}/uuid`, uuid_string);
      await write(t, `${vm_path}/name`, info.name ?? '');
      await unchecked(libxl__xs_writev(ctx, t, dom_path, info.xsdata));
      await unchecked(libxl__xs_writev(ctx, t, `${dom_path}/platform`, info.platformdata));
      await write(t, `${dom_path}/control/platform-feature-multiprocessor-suspend`, '1');
      await write(t, `${dom_path}/control/platform-feature-xs_reset_watches`, '1');
      await write(t, `${libxl_path}/type`, libxl_domain_type_to_string(info.type));
    },
    `Domain ${domid}:domain creation xenstore transaction commit failed`,
  );
}

/** Port of libxl__domain_build: build_pre, build_hvm (HVM and PVH), build_post with the type's /vm and local entries. */
async function libxl__domain_build(ctx: libxl_ctx, d_config: libxl_domain_config, domid: number, state: libxl__domain_build_state, log: libxl_logger, opts: libxl_domain_create_opts): Promise<void> {
  const info = d_config.b_info;
  await libxl__build_pre(ctx, domid, d_config, state, log);
  const start = Date.now(); // gettimeofday, for /vm/<uuid>/start_time
  const start_time = `${Math.floor(start / 1000)}.${String(Math.floor((start % 1000) / 10)).padStart(2, '0')}`;
  await libxl__build_hvm(ctx, domid, d_config, state, log, opts.progress === undefined ? {} : { progress: opts.progress });
  let vments: [string, string][];
  let localents: [string, string][] | null = null;
  if (d_config.c_info.type === LIBXL_DOMAIN_TYPE.HVM) {
    vments = [
      ['rtc/timeoffset', ''],
      ['image/ostype', 'hvm'],
      ['start_time', start_time],
    ];
    localents = [
      ['platform/acpi', '1'],
      ['platform/acpi_s3', '1'],
      ['platform/acpi_s4', '1'],
      ['platform/acpi_laptop_slate', '0'],
    ];
    if (info.u.hvm.mmio_hole_memkb) {
      const max_ram_below_4g = BigInt.asUintN(64, (1n << 32n) - (BigInt(info.u.hvm.mmio_hole_memkb) << 10n));
      if (max_ram_below_4g <= 0xf0000000n) localents.push(['platform/mmio_hole_size', String(BigInt(info.u.hvm.mmio_hole_memkb) << 10n)]);
    }
    localents.push(['platform/device-model', DM_VERSION_QEMU_XEN]);
  } else {
    vments = [['start_time', start_time]];
  }
  await libxl__build_post(ctx, domid, d_config, state, vments, localents, log);
}

/** libxl_uuid_generate (uuid_generate): a random RFC 4122 version 4 UUID. */
export function libxl_uuid_generate(ctx: libxl_ctx): Uint8Array {
  const u = new Uint8Array(16);
  u.set(ctx.random_bytes(16).subarray(0, 16));
  u[6] = (u[6]! & 0x0f) | 0x40;
  u[8] = (u[8]! & 0x3f) | 0x80;
  return u;
}

export interface libxl_domain_create_opts {
  log?: libxl_logger;
  progress?: (done_pages: number, total_pages: number) => void;
}

/**
 * Port of libxl_domain_create_new (initiate_domain_create → domcreate_bootloader_done →
 * libxl__domain_build → domcreate_complete) for HVM and PVH guests without devices: builds
 * the domain and leaves it paused (xl unpauses), returning its domid. d_config is defaulted
 * in place, as libxl does (numa_placement ends false once placement ran). A nil UUID is
 * replaced by a random one (xl does that in parse_config_data).
 *
 * Errors: a failure before the domain exists throws its own LibxlError (setdefault's
 * ERROR_INVAL, ...). Once it exists, any failure destroys it (its memory, claim and xenstore
 * nodes) and, as domcreate_destruction_cb does, throws ERROR_FAIL, whose cause is the error
 * that stopped the build.
 */
export async function libxl_domain_create_new(ctx: libxl_ctx, d_config: libxl_domain_config, opts: libxl_domain_create_opts = {}): Promise<number> {
  const log = opts.log ?? noLog;
  if (d_config.c_info.uuid.every((b) => b === 0)) d_config.c_info.uuid = libxl_uuid_generate(ctx);
  await libxl__domain_config_setdefault(ctx, d_config, INVALID_DOMID, log);
  if (d_config.c_info.type === LIBXL_DOMAIN_TYPE.PV) fail(log, 'ERROR_INVAL', 'xenemu builds HVM/PVH only');

  const made = { domid: INVALID_DOMID };
  try {
    try {
      await libxl__domain_make(ctx, d_config, made, log);
    } catch (e) {
      log('error', `${dlog(made.domid)}cannot make domain: ${e instanceof LibxlError ? e.rc : -3}`);
      throw e;
    }
    const domid = made.domid;
    try {
      await libxl__xs_write_checked(ctx, XBT_NULL, `${libxl__xs_libxl_path(domid)}/dm-version`, DM_VERSION_QEMU_XEN); // store_libxl_entry
    } catch (e) {
      if (!(e instanceof LibxlError)) throw e;
      log('error', e.message); // unchecked in C
    }
    const state = libxl__domain_build_state_init();
    await libxl__domain_build(ctx, d_config, domid, state, log, opts);
    return domid;
  } catch (e) {
    if (made.domid !== INVALID_DOMID) {
      try {
        await libxl_domain_destroy(ctx, made.domid, log);
      } catch {
        log('error', `Domain ${made.domid}:unable to destroy domain following failed creation`);
      }
    }
    throw new LibxlError('ERROR_FAIL', e instanceof Error ? e.message : String(e), { cause: e });
  }
}

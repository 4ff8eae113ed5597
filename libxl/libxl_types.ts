// The libxl IDL types domain creation reads (tools/libs/light/libxl_types.idl): the subset
// of libxl_domain_config that xl.cfg parsing fills and libxl_domain_create_new consumes.
// Field names are the IDL's; memory sizes are KiB as plain numbers (far below 2^53), with
// LIBXL_MEMKB_DEFAULT standing for the IDL's ~0ULL "unset" marker.
import type { libxl_bitmap } from './libxl_utils.js';
import type { libxl_vnode_info } from './libxl_vnuma.js';

/** libxl's LOG levels (xentoollog), as used by a libxl_logger callback. */
export type libxl_log_level = 'error' | 'warn' | 'notice' | 'info' | 'detail' | 'debug';
/** Where libxl's LOG(level, ...) lines go; the caller (xl) decides what to print. */
export type libxl_logger = (level: libxl_log_level, message: string) => void;

/**
 * xenemu extension, not in libxl: which candidate libxl__get_numa_candidate keeps. 'libxl' is
 * libxl's own numa_cmpf; the others are the placement RFC's first/best/worst fit (set from the
 * xl.conf key documented in docs/).
 */
export type libxl_numa_placement_policy = 'libxl' | 'first-fit' | 'best-fit' | 'worst-fit';

/** libxl_defbool: unset ("default") until libxl__*_setdefault fills it. */
export type libxl_defbool = 'default' | boolean;

/** libxl_defbool_setdefault: fill an unset defbool. */
export const libxl_defbool_setdefault = (b: libxl_defbool, v: boolean): boolean => (b === 'default' ? v : b);
/** libxl_defbool_val: the value of a set defbool (libxl asserts it is set). */
export function libxl_defbool_val(b: libxl_defbool): boolean {
  if (b === 'default') throw new Error('libxl_defbool_val of an unset defbool');
  return b;
}

/** libxl.h LIBXL_MEMKB_DEFAULT (~0ULL): "not given", replaced by setdefault. */
export const LIBXL_MEMKB_DEFAULT = -1;
/** libxl.h INVALID_DOMID (~0 as uint32) and RANDOM_DOMID. */
export const INVALID_DOMID = 0xffffffff;
export const RANDOM_DOMID = INVALID_DOMID - 1;

/** libxl_domain_type. */
export const LIBXL_DOMAIN_TYPE = { INVALID: -1, HVM: 1, PV: 2, PVH: 3 } as const;
export type libxl_domain_type = (typeof LIBXL_DOMAIN_TYPE)[keyof typeof LIBXL_DOMAIN_TYPE];
/** libxl_domain_type_to_string (generated from the IDL with the enum). */
export function libxl_domain_type_to_string(t: libxl_domain_type): string {
  switch (t) {
    case LIBXL_DOMAIN_TYPE.HVM:
      return 'hvm';
    case LIBXL_DOMAIN_TYPE.PV:
      return 'pv';
    case LIBXL_DOMAIN_TYPE.PVH:
      return 'pvh';
    default:
      return 'invalid';
  }
}

/** libxl_vga_interface_type. */
export const LIBXL_VGA_INTERFACE_TYPE = { UNKNOWN: 0, CIRRUS: 1, STD: 2, NONE: 3, QXL: 4 } as const;
export type libxl_vga_interface_type = (typeof LIBXL_VGA_INTERFACE_TYPE)[keyof typeof LIBXL_VGA_INTERFACE_TYPE];

/** libxl_domain_create_info (the fields creation reads). */
export interface libxl_domain_create_info {
  type: libxl_domain_type;
  hap: libxl_defbool;
  oos: libxl_defbool;
  name: string | null;
  /** Requested domid: INVALID_DOMID lets Xen choose (DOMID_ANY), RANDOM_DOMID a random one. */
  domid: number;
  /** 16 bytes; all zero = generate one. */
  uuid: Uint8Array;
  /** xenstore entries under /local/domain/<domid>/ (xl.cfg has no key for them here). */
  xsdata: Map<string, string>;
  platformdata: Map<string, string>;
  poolid: number;
  pool_name: string | null;
}

/** libxl_domain_build_info.u.hvm (the fields creation reads). */
export interface libxl_domain_build_info_hvm {
  /** LIBXL_MEMKB_DEFAULT until setdefault; libxl__build_hvm uses it when non-zero. */
  mmio_hole_memkb: number;
  vga: { kind: libxl_vga_interface_type };
}

/** libxl_domain_build_info (the NUMA, memory and vCPU subset). */
export interface libxl_domain_build_info {
  max_vcpus: number;
  /** Online vCPUs at boot; size 0 = unset. */
  avail_vcpus: libxl_bitmap;
  /** Legacy all-vCPU hard affinity; size 0 = unset. */
  cpumap: libxl_bitmap;
  /** Node affinity; size 0 = unset. */
  nodemap: libxl_bitmap;
  vcpu_hard_affinity: libxl_bitmap[];
  vcpu_soft_affinity: libxl_bitmap[];
  numa_placement: libxl_defbool;
  /** xenemu extension (see libxl_numa_placement_policy); default 'libxl'. */
  numa_placement_policy: libxl_numa_placement_policy;
  max_memkb: number;
  target_memkb: number;
  video_memkb: number;
  shadow_memkb: number;
  iommu_memkb: number;
  claim_mode: libxl_defbool;
  /** 0 = default (libxl__domain_make uses 1023). */
  event_channels: number;
  max_grant_frames: number;
  max_maptrack_frames: number;
  vnuma_nodes: libxl_vnode_info[];
  /** Only the domain type's own member is meaningful. */
  u: { hvm: libxl_domain_build_info_hvm };
}

/** libxl_domain_config (no devices: xenemu builds no backends). */
export interface libxl_domain_config {
  c_info: libxl_domain_create_info;
  b_info: libxl_domain_build_info;
}

const emptyBitmap = (): libxl_bitmap => ({ size: 0, map: new Uint8Array(0) });

/** libxl_domain_config_init: every field at its IDL init value ("unset"). */
export function libxl_domain_config_init(): libxl_domain_config {
  return {
    c_info: {
      type: LIBXL_DOMAIN_TYPE.INVALID,
      hap: 'default',
      oos: 'default',
      name: null,
      domid: INVALID_DOMID,
      uuid: new Uint8Array(16),
      xsdata: new Map(),
      platformdata: new Map(),
      poolid: 0,
      pool_name: null,
    },
    b_info: {
      max_vcpus: 0,
      avail_vcpus: emptyBitmap(),
      cpumap: emptyBitmap(),
      nodemap: emptyBitmap(),
      vcpu_hard_affinity: [],
      vcpu_soft_affinity: [],
      numa_placement: 'default',
      numa_placement_policy: 'libxl',
      max_memkb: LIBXL_MEMKB_DEFAULT,
      target_memkb: LIBXL_MEMKB_DEFAULT,
      video_memkb: LIBXL_MEMKB_DEFAULT,
      shadow_memkb: LIBXL_MEMKB_DEFAULT,
      iommu_memkb: LIBXL_MEMKB_DEFAULT,
      claim_mode: 'default',
      event_channels: 0,
      max_grant_frames: -1,
      max_maptrack_frames: -1,
      vnuma_nodes: [],
      u: { hvm: { mmio_hole_memkb: LIBXL_MEMKB_DEFAULT, vga: { kind: LIBXL_VGA_INTERFACE_TYPE.UNKNOWN } } },
    },
  };
}

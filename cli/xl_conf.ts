// xl's global configuration, xl.conf (tools/xl/xl.c: parse_global_config, the xl.c globals it
// sets), and apply_global_affinity_masks (tools/xl/xl_vcpu.c). The xenemu extension key
// `numa_placement_policy` picks the placement policy libxl uses (docs/xl.md).
import { readFileSync } from 'node:fs';
import type { libxl_ctx } from '../libxl/libxl.js';
import { LIBXL_DOMAIN_TYPE, type libxl_domain_type, type libxl_numa_placement_policy } from '../libxl/libxl_types.js';
import { libxl_bitmap_and, libxl_bitmap_is_empty, libxl_bitmap_set_any, libxl_cpu_bitmap_alloc, type libxl_bitmap } from '../libxl/libxl_utils.js';
import { ok, strerror, xlu_cfg_get_long, xlu_cfg_get_string, xlu_cfg_init, xlu_cfg_readdata, XLU_CFG_MAX_BYTES, EFBIG } from '../libxlutil/libxlu_cfg.js';
import { CpurangeError, parse_cpurange } from './xl_parse.js';

/** XL_GLOBAL_CONFIG (XEN_CONFIG_DIR "/xl.conf"). */
export const XL_GLOBAL_CONFIG = '/etc/xen/xl.conf';
/** xenemu: the environment variable naming another xl.conf (the `--xl-conf` flag wins over it). */
export const XL_CONF_ENV = 'XENEMU_XL_CONF';

export type OutputFormat = 'json' | 'sxp';

/** The xl.c globals parse_global_config sets (the subset xenemu uses). */
export interface XlGlobalConfig {
  /** -1 auto, 0 off, 1 on; parsed only (xenemu does not balloon dom0). */
  autoballoon: number;
  claim_mode: number;
  output_format: OutputFormat;
  run_hotplug_scripts: number;
  global_vm_affinity_mask: libxl_bitmap;
  global_hvm_affinity_mask: libxl_bitmap;
  global_pv_affinity_mask: libxl_bitmap;
  numa_placement_policy: libxl_numa_placement_policy;
}

const NUMA_PLACEMENT_POLICIES: readonly libxl_numa_placement_policy[] = ['libxl', 'first-fit', 'best-fit', 'worst-fit'];

/** A fatal error xl prints and exits 1 on (the message is printed already). */
export class XlExit extends Error {
  constructor(readonly code: number) {
    super(`xl exit ${code}`);
  }
}

/** strerror(errno) for the failures reading a file can have; Node's own message otherwise. */
const readErrorText = (e: NodeJS.ErrnoException): string => (e.code === 'ENOENT' ? 'No such file or directory' : e.code === 'EACCES' ? 'Permission denied' : e.message);

/**
 * libxl_read_file_contents as xl calls it for a config file, bounded by XLU_CFG_MAX_BYTES: the
 * text, or xl's "Failed to read config file: <path>: <strerror>" line and the errno name.
 */
export function read_config_file(path: string): { data: string } | { error: string; code: string | undefined } {
  try {
    const buf = readFileSync(path);
    if (buf.length > XLU_CFG_MAX_BYTES) return { error: `Failed to read config file: ${path}: ${strerror(EFBIG)}\n`, code: 'EFBIG' };
    return { data: buf.toString('utf8') };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { error: `Failed to read config file: ${path}: ${readErrorText(err)}\n`, code: err.code };
  }
}

/**
 * The xl.conf text xl reads: path from `--xl-conf`, else $XENEMU_XL_CONF, else /etc/xen/xl.conf.
 * A missing default file is silent (most machines running xenemu have no /etc/xen); a named
 * file that cannot be read gets xl's "Failed to read config file" and xl goes on without it.
 */
export function read_global_config(flag: string | undefined, env: NodeJS.ProcessEnv, stderr: (s: string) => void): { path: string; data: string } {
  const named = flag ?? env[XL_CONF_ENV];
  const path = named ?? XL_GLOBAL_CONFIG;
  const r = read_config_file(path);
  if ('data' in r) return { path, data: r.data };
  if (named !== undefined || r.code !== 'ENOENT') stderr(r.error);
  return { path, data: '' };
}

/** Port of parse_global_config for the keys xenemu honours; throws XlExit(1) where xl exits. */
export async function parse_global_config(ctx: libxl_ctx, configfile: string, data: string, stderr: (s: string) => void): Promise<XlGlobalConfig> {
  const config = xlu_cfg_init(stderr, configfile);
  const e = xlu_cfg_readdata(config, data);
  if (e) {
    stderr(`Failed to parse config file: ${strerror(e)}\n`);
    throw new XlExit(1);
  }
  const g: XlGlobalConfig = {
    autoballoon: -1,
    claim_mode: 1,
    output_format: 'json',
    run_hotplug_scripts: 1,
    global_vm_affinity_mask: await libxl_cpu_bitmap_alloc(ctx),
    global_hvm_affinity_mask: await libxl_cpu_bitmap_alloc(ctx),
    global_pv_affinity_mask: await libxl_cpu_bitmap_alloc(ctx),
    numa_placement_policy: 'libxl',
  };
  const ab = ok(xlu_cfg_get_string(config, 'autoballoon'));
  if (ab !== undefined) {
    if (ab === 'on' || ab === '1') g.autoballoon = 1;
    else if (ab === 'off' || ab === '0') g.autoballoon = 0;
    else if (ab === 'auto') g.autoballoon = -1;
    else stderr('invalid autoballoon option');
  }
  const rhs = ok(xlu_cfg_get_long(config, 'run_hotplug_scripts'));
  if (rhs !== undefined) g.run_hotplug_scripts = rhs;
  const of = ok(xlu_cfg_get_string(config, 'output_format'));
  if (of !== undefined) {
    if (of === 'json' || of === 'sxp') g.output_format = of;
    else stderr(`invalid default output format "${of}"\n`);
  }
  const cm = ok(xlu_cfg_get_long(config, 'claim_mode'));
  if (cm !== undefined) g.claim_mode = cm;
  // parse_cpurange failures are printed and otherwise ignored, keeping what was parsed.
  for (const [key, map] of [
    ['vm.cpumask', g.global_vm_affinity_mask],
    ['vm.hvm.cpumask', g.global_hvm_affinity_mask],
    ['vm.pv.cpumask', g.global_pv_affinity_mask],
  ] as const) {
    const s = ok(xlu_cfg_get_string(config, key));
    if (s === undefined) libxl_bitmap_set_any(map);
    else {
      try {
        await parse_cpurange(ctx, s, map);
      } catch (err) {
        if (!(err instanceof CpurangeError)) throw err;
        stderr(`${err.message}\n`);
      }
    }
  }
  // xenemu extension: which candidate libxl's NUMA placement keeps.
  const pol = ok(xlu_cfg_get_string(config, 'numa_placement_policy'));
  if (pol !== undefined) {
    if ((NUMA_PLACEMENT_POLICIES as readonly string[]).includes(pol)) g.numa_placement_policy = pol as libxl_numa_placement_policy;
    else {
      stderr(`invalid numa_placement_policy "${pol}" (expected ${NUMA_PLACEMENT_POLICIES.map((p) => `"${p}"`).join(', ')})\n`);
      throw new XlExit(1);
    }
  }
  return g;
}

/** Port of apply_global_affinity_masks: AND every map with vm.cpumask and the type's mask. */
export function apply_global_affinity_masks(g: XlGlobalConfig, type: libxl_domain_type, maps: libxl_bitmap[], stderr: (s: string) => void): void {
  let type_mask: libxl_bitmap;
  if (type === LIBXL_DOMAIN_TYPE.HVM || type === LIBXL_DOMAIN_TYPE.PVH) type_mask = g.global_hvm_affinity_mask;
  else if (type === LIBXL_DOMAIN_TYPE.PV) type_mask = g.global_pv_affinity_mask;
  else {
    stderr('Unknown guest type\n');
    throw new XlExit(1);
  }
  for (let i = 0; i < maps.length; i++) {
    const b2 = libxl_bitmap_and(libxl_bitmap_and(maps[i]!, g.global_vm_affinity_mask), type_mask);
    if (libxl_bitmap_is_empty(b2)) {
      stderr('vcpu hard affinity map is empty\n');
      throw new XlExit(1);
    }
    maps[i] = b2;
  }
}

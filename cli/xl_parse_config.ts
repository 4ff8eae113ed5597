// xl.cfg to libxl_domain_config (tools/xl/xl_parse.c: parse_config_data, parse_vcpu_affinity,
// parse_vnuma_config), for the keys xenemu models: name, type, builder, hap, oos, uuid, pool,
// memory, maxmem, vcpus, maxvcpus, vnuma, cpus, cpus_soft, shadow_memory, videoram,
// max_event_channels, mmio_hole, vga/stdvga, kernel/bootloader/firmware (checked only), plus
// claim_mode and the placement policy from xl.conf. Where xl prints and exits, the
// port prints the same text and throws XlExit with xl's code.
import { libxl_get_physinfo, type libxl_ctx } from '../libxl/libxl.js';
import { libxl_uuid_generate } from '../libxl/libxl_create.js';
import { HVM_BELOW_4G_MMIO_LENGTH, HVM_BELOW_4G_MMIO_START } from '../libxl/libxl_dom_layout.js';
import { LIBXL_DOMAIN_TYPE, LIBXL_MEMKB_DEFAULT, LIBXL_VGA_INTERFACE_TYPE, type libxl_domain_config } from '../libxl/libxl_types.js';
import { libxl_bitmap_alloc, libxl_bitmap_set, libxl_cpu_bitmap_alloc, libxl_get_online_cpus, type libxl_bitmap } from '../libxl/libxl_utils.js';
import type { libxl_vnode_info } from '../libxl/libxl_vnuma.js';
import {
  ok,
  strerror,
  xlu_cfg_get_defbool,
  xlu_cfg_get_list,
  xlu_cfg_get_listitem,
  xlu_cfg_get_listitem2,
  xlu_cfg_get_long,
  xlu_cfg_get_string,
  xlu_cfg_init,
  xlu_cfg_readdata,
  xlu_cfg_value_get_list,
  xlu_cfg_value_get_string,
  type XLU_Config,
  type XLU_ConfigList,
} from '../libxlutil/libxlu_cfg.js';
import { XlExit, type XlGlobalConfig } from './xl_conf.js';
import { CpurangeError, parse_cpurange, strtoul10, ULONG_MAX } from './xl_parse.js';

/** xenemu bound on vcpus/maxvcpus for the bitmaps xl allocates (libxl then allows 128 for HVM). */
const XL_MAX_VCPUS = 4096;
/** xenemu bound on one vnuma `vcpus=` range (C would loop until it wraps). */
const XL_MAX_VNUMA_RANGE = 1 << 20;

/** xenemu bound on the MiB keys (memory, maxmem, shadow_memory, videoram): libxl's KiB fields
 *  are doubles here, exact below 2^53; C's l * 1024 wraps into a uint64 instead. */
const XL_MAX_MEMORY_MB = 2 ** 43 - 1;

export interface ParseConfigOpts {
  stderr: (s: string) => void;
  /** libxl_uuid_generate; injectable so dry-run output can be pinned. */
  uuid_generate?: () => Uint8Array;
}

/** What xl reads besides libxl_domain_config (no field for them in xenemu's subset). */
export interface ParsedExtras {
  kernel: string | null;
  bootloader: string | null;
}

const die = (stderr: (s: string) => void, msg: string, code = 1): never => {
  stderr(msg);
  throw new XlExit(code);
};

/** `key` (MiB) as the KiB xl stores (l * 1024), within XL_MAX_MEMORY_MB. */
function mib_to_kib(stderr: (s: string) => void, key: string, l: number): number {
  if (l < 0 || l > XL_MAX_MEMORY_MB) die(stderr, `xl: ${key}=${l} is outside xenemu's bound of 0..${XL_MAX_MEMORY_MB} MiB\n`, 1);
  return l * 1024;
}

/** Port of parse_ulong: "xl: failed to convert \"%s\" to number" when no digits or ULONG_MAX. */
function parse_ulong(str: string, stderr: (s: string) => void): bigint {
  const r = strtoul10(str);
  if (r.rest === str || r.value === ULONG_MAX) die(stderr, `xl: failed to convert "${str}" to number\n`, 1);
  return r.value;
}

/** parse_range as parse_vnuma_config uses it: the bounds it leaves behind, whatever it returns. */
function parse_range_values(str: string): [bigint, bigint] {
  const a = strtoul10(str);
  if (a.rest === str || a.value === ULONG_MAX) return [a.value, a.value];
  if (a.rest.startsWith('-')) {
    const b = strtoul10(a.rest.slice(1));
    return [a.value, b.value];
  }
  return [a.value, a.value];
}

/** split_string_into_string_list: strtok on the delimiter (empty pieces vanish). */
const split_list = (s: string, delim: string): string[] => s.split(delim).filter((x) => x.length > 0);

const isspace = (c: string): boolean => ' \t\n\v\f\r'.includes(c);
function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isspace(s[a]!)) a++;
  while (b > a && isspace(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Port of split_string_into_pair with isspace trimming; null where it returns ERROR_INVAL. */
function split_pair(str: string, delim: string): [string, string] | null {
  const i = str.indexOf(delim);
  if (i < 0) return null;
  const rest = str.slice(i + 1);
  if (rest.length === 0) return null;
  return [trim(str.slice(0, i)), trim(rest)];
}

/** libxl_uuid_from_string: 8-4-4-4-12 hex digits. */
function uuid_from_string(s: string): Uint8Array | null {
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s)) return null;
  return Uint8Array.from(Buffer.from(s.replaceAll('-', ''), 'hex'));
}

/** xlu_cfg_replace_string: the string, or undefined (with the list warning) when absent or a list. */
const get_string = (config: XLU_Config, n: string): string | undefined => ok(xlu_cfg_get_string(config, n));

async function cpurange(ctx: libxl_ctx, s: string, map: libxl_bitmap, stderr: (s: string) => void): Promise<void> {
  try {
    await parse_cpurange(ctx, s, map);
  } catch (e) {
    if (!(e instanceof CpurangeError)) throw e;
    die(stderr, `${e.message}\n`, 1);
  }
}

/** Port of parse_vcpu_affinity: a string applies to every vCPU, a list entry i to vCPU i. */
async function parse_vcpu_affinity(
  ctx: libxl_ctx,
  d: libxl_domain_config,
  cpus: XLU_ConfigList | null,
  buf: string | null,
  num_cpus: number,
  is_hard: boolean,
  stderr: (s: string) => void,
): Promise<void> {
  const b = d.b_info;
  if (buf !== null || num_cpus > b.max_vcpus) num_cpus = b.max_vcpus;
  if (num_cpus > XL_MAX_VCPUS) die(stderr, 'Unable to allocate cpumap for vcpu 0\n', 1);
  // Entries C leaves uninitialised (a sublist stops the loop) stay empty maps here.
  const arr: libxl_bitmap[] = Array.from({ length: num_cpus }, () => libxl_bitmap_alloc(0));
  if (is_hard) b.vcpu_hard_affinity = arr;
  else b.vcpu_soft_affinity = arr;
  if (buf === null) {
    for (let j = 0; j < num_cpus; j++) {
      const item = xlu_cfg_get_listitem(cpus!, j);
      if (item === null) break;
      arr[j] = await libxl_cpu_bitmap_alloc(ctx);
      await cpurange(ctx, item, arr[j]!, stderr);
    }
    // A list of cpumaps always disables automatic placement.
    b.numa_placement = false;
  } else {
    if (num_cpus === 0) return;
    const first = await libxl_cpu_bitmap_alloc(ctx);
    await cpurange(ctx, buf, first, stderr);
    arr[0] = first;
    for (let i = 1; i < num_cpus; i++) arr[i] = { size: first.size, map: first.map.slice() };
    // Soft affinity given: no automatic placement.
    if (!is_hard) b.numa_placement = false;
  }
}

/** Port of parse_vnuma_config; nr_nodes is the physinfo parse_config_data read. */
async function parse_vnuma_config(ctx: libxl_ctx, config: XLU_Config, d: libxl_domain_config, nr_nodes: number, stderr: (s: string) => void): Promise<void> {
  const b = d.b_info;
  const vl = xlu_cfg_get_list(config, 'vnuma', true);
  if (vl.e !== 0 || !('value' in vl)) return;
  const vnuma = vl.value;
  const num_vnuma = vnuma.values.length;
  if (num_vnuma === 0) return;
  const vcpu_parsed: libxl_bitmap[] = [];
  for (let i = 0; i < num_vnuma; i++) vcpu_parsed.push(await libxl_cpu_bitmap_alloc(ctx, b.max_vcpus));
  const nodes: libxl_vnode_info[] = Array.from({ length: num_vnuma }, () => ({
    memkb: LIBXL_MEMKB_DEFAULT,
    distances: new Array<number>(num_vnuma).fill(0),
    pnode: 0,
    vcpus: libxl_bitmap_alloc(0),
  }));
  b.vnuma_nodes = nodes;
  let max_vcpus = 0n;
  let max_memkb = 0n;
  for (let i = 0; i < num_vnuma; i++) {
    const p = nodes[i]!;
    const spec = xlu_cfg_get_listitem2(vnuma, i)!;
    const list = xlu_cfg_value_get_list(config, spec);
    if (list === null) die(stderr, 'xl: cannot get vnode config option list\n', 1);
    for (const opt of list!.values) {
      if (opt.type !== 'string') continue;
      const buf = xlu_cfg_value_get_string(config, opt)!;
      const pair = split_pair(buf, '=');
      if (pair === null) die(stderr, `xl: failed to split "${buf}" into pair\n`, 1);
      const [option, value] = pair!;
      if (option === 'pnode') {
        const val = parse_ulong(value, stderr);
        if (val >= BigInt(nr_nodes)) die(stderr, `xl: invalid pnode number: ${val}\n`, 1);
        p.pnode = Number(val);
        b.numa_placement = false;
      } else if (option === 'size') {
        const kb = BigInt.asUintN(64, parse_ulong(value, stderr) << 10n);
        p.memkb = Number(kb);
        max_memkb = BigInt.asUintN(64, max_memkb + kb);
      } else if (option === 'vcpus') {
        for (const r of split_list(value, ',')) {
          const [s, e] = parse_range_values(r);
          if (s > e) continue;
          if (e - s >= BigInt(XL_MAX_VNUMA_RANGE)) die(stderr, `xl: vnuma vcpus range "${r}" is over xenemu's bound of ${XL_MAX_VNUMA_RANGE} vcpus\n`, 1);
          // Bits past the map are no-ops, as libxl_bitmap_set is; every one is still counted.
          for (let v = s; v <= e && v < BigInt(vcpu_parsed[i]!.size * 8); v++) libxl_bitmap_set(vcpu_parsed[i]!, Number(v));
          max_vcpus += e - s + 1n;
        }
      } else if (option === 'vdistances') {
        const vd = split_list(value, ',');
        // C writes past distances[] for extra entries; xenemu ignores them.
        for (let j = 0; j < vd.length; j++) {
          const val = parse_ulong(vd[j]!, stderr);
          if (j < p.distances.length) p.distances[j] = Number(BigInt.asUintN(32, val));
        }
      }
    }
  }
  if (b.max_vcpus !== 0) {
    if (BigInt(b.max_vcpus) !== max_vcpus) die(stderr, 'xl: vnuma vcpus and maxvcpus= mismatch\n', 1);
  } else {
    let host_cpus: number;
    try {
      host_cpus = await libxl_get_online_cpus(ctx);
    } catch {
      return die(stderr, 'Failed to get online cpus\n', 1);
    }
    if (BigInt(host_cpus) < max_vcpus) die(stderr, 'xl: vnuma specifies more vcpus than pcpus, use maxvcpus= to override this check.\n', 1);
    b.max_vcpus = Number(max_vcpus);
  }
  if (b.max_memkb !== LIBXL_MEMKB_DEFAULT && BigInt(b.max_memkb) !== max_memkb) die(stderr, 'xl: maxmem and vnuma memory size mismatch\n', 1);
  b.max_memkb = Number(max_memkb);
  nodes.forEach((n, i) => (n.vcpus = vcpu_parsed[i]!));
}

/** `s` is a prefix of `word` (strncmp(s, word, strlen(s)) == 0): how xl matches type names. */
const prefixOf = (s: string, word: string): boolean => word.startsWith(s);

/** Port of parse_config_data for xenemu's keys; fills d_config. */
export async function parse_config_data(
  ctx: libxl_ctx,
  config_source: string,
  config_data: string,
  d: libxl_domain_config,
  g: XlGlobalConfig,
  opts: ParseConfigOpts,
): Promise<ParsedExtras> {
  const { stderr } = opts;
  const c = d.c_info;
  const b = d.b_info;
  // C asks for physinfo again in parse_vnuma_config; one answer serves both (the host does not change in between).
  let nr_nodes: number;
  try {
    nr_nodes = (await libxl_get_physinfo(ctx)).nr_nodes;
  } catch {
    return die(stderr, 'libxl_get_physinfo failed\n', 1);
  }
  const config = xlu_cfg_init(stderr, config_source);
  const e = xlu_cfg_readdata(config, config_data);
  if (e) die(stderr, `Failed to parse config: ${strerror(e)}\n`, 1);

  const type = get_string(config, 'type');
  if (type !== undefined) {
    if (prefixOf(type, 'hvm')) c.type = LIBXL_DOMAIN_TYPE.HVM;
    else if (prefixOf(type, 'pv')) c.type = LIBXL_DOMAIN_TYPE.PV;
    else if (prefixOf(type, 'pvh')) c.type = LIBXL_DOMAIN_TYPE.PVH;
    else die(stderr, `Invalid domain type ${type}.\n`, 1);
  }
  const builder = get_string(config, 'builder');
  if (builder !== undefined) {
    let bt: number = LIBXL_DOMAIN_TYPE.INVALID;
    if (prefixOf(builder, 'hvm')) bt = LIBXL_DOMAIN_TYPE.HVM;
    else if (prefixOf(builder, 'generic')) bt = LIBXL_DOMAIN_TYPE.PV;
    else die(stderr, `Invalid domain type ${builder}.\n`, 1);
    if (c.type !== LIBXL_DOMAIN_TYPE.INVALID && c.type !== bt) die(stderr, 'Contradicting "builder" and "type" options specified.\n', 1);
    c.type = bt as typeof c.type;
  }
  // x86 xl defaults to PV.
  if (c.type === LIBXL_DOMAIN_TYPE.INVALID) c.type = LIBXL_DOMAIN_TYPE.PV;

  const hap = ok(xlu_cfg_get_defbool(config, 'hap'));
  if (hap !== undefined) c.hap = hap;

  const name = get_string(config, 'name');
  if (name === undefined) die(stderr, 'Domain name must be specified.\n', 1);
  c.name = name!;

  const uuid = get_string(config, 'uuid');
  if (uuid !== undefined) {
    const u = uuid_from_string(uuid);
    if (u === null) die(stderr, `Failed to parse UUID: ${uuid}\n`, 1);
    c.uuid = u!;
  } else c.uuid = opts.uuid_generate?.() ?? libxl_uuid_generate(ctx);

  const oos = ok(xlu_cfg_get_defbool(config, 'oos'));
  if (oos !== undefined) c.oos = oos;

  const pool = get_string(config, 'pool');
  if (pool !== undefined) c.pool_name = pool;

  const memory = ok(xlu_cfg_get_long(config, 'memory'));
  if (memory !== undefined) b.target_memkb = mib_to_kib(stderr, 'memory', memory);
  const maxmem = ok(xlu_cfg_get_long(config, 'maxmem'));
  if (maxmem !== undefined) b.max_memkb = mib_to_kib(stderr, 'maxmem', maxmem);

  let vcpus = ok(xlu_cfg_get_long(config, 'vcpus')) ?? 0;
  // Default to 1 vCPU, as libxl assumes for 0.
  if (vcpus < 1) vcpus = 1;
  if (vcpus > XL_MAX_VCPUS) die(stderr, 'Unable to allocate cpumap\n', 1);
  b.avail_vcpus = await libxl_cpu_bitmap_alloc(ctx, vcpus);
  for (let v = 0; v < vcpus; v++) libxl_bitmap_set(b.avail_vcpus, v);

  const maxvcpus = ok(xlu_cfg_get_long(config, 'maxvcpus'));
  if (maxvcpus !== undefined) b.max_vcpus = maxvcpus;

  await parse_vnuma_config(ctx, config, d, nr_nodes, stderr);

  // max_memkb and max_vcpus default to memory and vcpus when neither the key nor vnuma set them.
  if (b.max_memkb === LIBXL_MEMKB_DEFAULT) b.max_memkb = b.target_memkb;
  if (b.max_vcpus === 0) b.max_vcpus = vcpus;
  if (b.max_vcpus < vcpus) die(stderr, 'xl: maxvcpus < vcpus\n', 1);

  for (const [key, hard] of [
    ['cpus', true],
    ['cpus_soft', false],
  ] as const) {
    const asList = xlu_cfg_get_list(config, key, true);
    if (asList.e === 0 && 'value' in asList) await parse_vcpu_affinity(ctx, d, asList.value, null, asList.value.values.length, hard, stderr);
    else {
      const s = get_string(config, key);
      if (s !== undefined) await parse_vcpu_affinity(ctx, d, null, s, 0, hard, stderr);
    }
  }

  b.claim_mode = g.claim_mode !== 0;
  b.numa_placement_policy = g.numa_placement_policy;

  const shadow = ok(xlu_cfg_get_long(config, 'shadow_memory'));
  if (shadow !== undefined) b.shadow_memkb = mib_to_kib(stderr, 'shadow_memory', shadow);
  const videoram = ok(xlu_cfg_get_long(config, 'videoram'));
  if (videoram !== undefined) b.video_memkb = mib_to_kib(stderr, 'videoram', videoram);
  const evtchn = ok(xlu_cfg_get_long(config, 'max_event_channels'));
  if (evtchn !== undefined) b.event_channels = evtchn;

  const extras: ParsedExtras = { kernel: get_string(config, 'kernel') ?? null, bootloader: get_string(config, 'bootloader') ?? null };
  if (c.type === LIBXL_DOMAIN_TYPE.HVM) {
    const hole = ok(xlu_cfg_get_long(config, 'mmio_hole'));
    if (hole !== undefined) {
      b.u.hvm.mmio_hole_memkb = hole * 1024;
      const bytes = BigInt(hole) * 1024n * 1024n;
      if (bytes < HVM_BELOW_4G_MMIO_LENGTH || bytes > HVM_BELOW_4G_MMIO_START) die(stderr, `ERROR: invalid value ${hole} for "mmio_hole"\n`, 1);
    }
  }
  if (c.type === LIBXL_DOMAIN_TYPE.PV || c.type === LIBXL_DOMAIN_TYPE.PVH) {
    const fw = get_string(config, 'firmware');
    if (fw !== undefined) {
      if (extras.kernel !== null) die(stderr, 'ERROR: both kernel and firmware specified\n', 1);
      if (!prefixOf(fw, 'pvgrub32') && !prefixOf(fw, 'pvgrub64')) die(stderr, 'ERROR: only pvgrub{32|64} supported as firmware options\n', 1);
      extras.kernel = `/usr/lib/xen/boot/${fw}.bin`;
    }
    if (extras.bootloader === null && extras.kernel === null) die(stderr, 'Neither kernel nor bootloader specified\n', 1);
  }
  // The device-model section: the emulated graphics card (libxl sizes video memory from it).
  if (c.type === LIBXL_DOMAIN_TYPE.HVM) {
    const vga = get_string(config, 'vga');
    const kinds: Record<string, number> = { stdvga: LIBXL_VGA_INTERFACE_TYPE.STD, cirrus: LIBXL_VGA_INTERFACE_TYPE.CIRRUS, none: LIBXL_VGA_INTERFACE_TYPE.NONE, qxl: LIBXL_VGA_INTERFACE_TYPE.QXL };
    if (vga !== undefined) {
      const k = kinds[vga];
      if (k === undefined) die(stderr, `Unknown vga "${vga}" specified\n`, 1);
      b.u.hvm.vga.kind = k as typeof b.u.hvm.vga.kind;
    } else {
      const std = ok(xlu_cfg_get_long(config, 'stdvga'));
      if (std !== undefined) b.u.hvm.vga.kind = std ? LIBXL_VGA_INTERFACE_TYPE.STD : LIBXL_VGA_INTERFACE_TYPE.CIRRUS;
    }
  }
  return extras;
}

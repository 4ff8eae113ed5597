// `xl create`, `xl pause`, `xl unpause`, `xl destroy` (tools/xl/xl_vmcontrol.c).
import type { libxl_ctx } from '../libxl/libxl.js';
import { libxl_domain_create_new } from '../libxl/libxl_create.js';
import { libxl_domain_destroy, libxl_domain_pause, libxl_domain_unpause } from '../libxl/libxl_domain.js';
import { LIBXL_ERROR, LibxlError } from '../libxl/libxl_error.js';
import { libxl_domain_config_to_json } from '../libxl/libxl_json.js';
import { LIBXL_DOMAIN_TYPE, libxl_domain_config_init, type libxl_log_level, type libxl_logger } from '../libxl/libxl_types.js';
import { libxl_bitmap_is_full, libxl_bitmap_set_any, libxl_cpu_bitmap_alloc } from '../libxl/libxl_utils.js';
import { apply_global_affinity_masks, parse_global_config, read_config_file, read_global_config, XlExit } from './xl_conf.js';
import { createProgressBar } from './xl_create_progress.js';
import { parse_config_data } from './xl_parse_config.js';
import type { Out } from './xl_info.js';
import { find_domain } from './xl_utils.js';

export async function main_pause(ctx: libxl_ctx, domain: string): Promise<number> {
  await libxl_domain_pause(ctx, await find_domain(ctx, domain));
  return 0;
}

export async function main_unpause(ctx: libxl_ctx, domain: string): Promise<number> {
  await libxl_domain_unpause(ctx, await find_domain(ctx, domain));
  return 0;
}

/** Port of destroy_domain: domain 0 needs -f; a failure prints "destroy failed (rc=N)". */
export async function main_destroy(ctx: libxl_ctx, domain: string, force: boolean, out: Out): Promise<number> {
  const domid = await find_domain(ctx, domain);
  if (domid === 0 && !force) {
    out.stderr('Not destroying domain 0; use -f to force.\nThis can only be done when using a disaggregated hardware domain and toolstack.\n\n');
    return 1;
  }
  try {
    await libxl_domain_destroy(ctx, domid);
  } catch (e) {
    out.stderr(`destroy failed (rc=${e instanceof LibxlError ? e.rc : -3})\n`);
    return 1;
  }
  return 0;
}

/** What `xl create` takes from its command line (main_create). */
export interface CreateOptions {
  config_file: string | undefined;
  /** The key=value arguments, in order. */
  extra: string[];
  paused: boolean;
  dryrun: boolean;
  quiet: boolean;
  ignore_global_affinity_masks: boolean;
  /** Count of global -v flags: each lowers xl's minimum log level by one. */
  verbose: number;
  /** --xl-conf (xenemu): the xl.conf to read instead of $XENEMU_XL_CONF or /etc/xen/xl.conf. */
  xl_conf: string | undefined;
}

/** The process around `xl create`: streams, environment, and the injectable bits tests pin. */
export interface CreateEnv {
  out: Out;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (the progress bar is drawn only then). */
  stderrIsTTY: boolean;
  uuid_generate?: () => Uint8Array;
}

/** xentoollog levels (xentoollog.h) and xl's default minimum, XTL_PROGRESS. */
const XTL_LEVEL: Record<libxl_log_level, number> = { debug: 1, detail: 3, info: 5, notice: 6, warn: 7, error: 8 };
const XTL_NAME: Record<libxl_log_level, string> = { debug: 'debug', detail: 'detail', info: 'info', notice: 'notice', warn: 'warning', error: 'error' };
const XTL_PROGRESS = 4;

/** Port of main_create and create_domain (no restore, console, VNC or daemonised monitor). */
export async function main_create(ctx: libxl_ctx, o: CreateOptions, env: CreateEnv): Promise<number> {
  const stderr = (s: string): void => env.out.stderr(s);
  if (o.config_file === undefined) {
    stderr('Config file not specified and none in save file\n');
    return -LIBXL_ERROR.ERROR_INVAL;
  }
  const r = read_config_file(o.config_file);
  if (!('data' in r)) {
    stderr(r.error);
    return -LIBXL_ERROR.ERROR_FAIL;
  }
  let data = r.data;
  // Extra key=value settings go after the file, so the last assignment (theirs) wins.
  if (o.extra.length > 0) data += `\n${o.extra.map((x) => `${x}\n`).join('')}\n`;

  try {
    const conf = read_global_config(o.xl_conf, env.env, stderr);
    const g = await parse_global_config(ctx, conf.path, conf.data, stderr);
    if (!o.quiet) stderr(`Parsing config from ${o.config_file}\n`);
    const d = libxl_domain_config_init();
    await parse_config_data(ctx, o.config_file, data, d, g, { stderr, ...(env.uuid_generate ? { uuid_generate: env.uuid_generate } : {}) });
    const b = d.b_info;
    if (!o.ignore_global_affinity_masks) {
      const pv = d.c_info.type === LIBXL_DOMAIN_TYPE.PV;
      // No hard affinity given but a mask is not full: start every vCPU from all CPUs.
      if (
        b.vcpu_hard_affinity.length === 0 &&
        (!libxl_bitmap_is_full(g.global_vm_affinity_mask) || (pv && !libxl_bitmap_is_full(g.global_pv_affinity_mask)) || (!pv && !libxl_bitmap_is_full(g.global_hvm_affinity_mask)))
      ) {
        for (let i = 0; i < b.max_vcpus; i++) {
          const m = await libxl_cpu_bitmap_alloc(ctx);
          libxl_bitmap_set_any(m);
          b.vcpu_hard_affinity.push(m);
        }
      }
      apply_global_affinity_masks(g, d.c_info.type, b.vcpu_hard_affinity, stderr);
    }
    if (o.dryrun) {
      env.out.stdout(libxl_domain_config_to_json(d, { run_hotplug_scripts: g.run_hotplug_scripts !== 0 }));
      return 0;
    }
    if (d.c_info.type === LIBXL_DOMAIN_TYPE.PV) {
      stderr('xenemu: PV guests are not emulated; xenemu builds HVM and PVH guests only (type = "hvm" or "pvh")\n');
      return 1;
    }
    const minlevel = Math.max(0, XTL_PROGRESS - o.verbose);
    const bar = createProgressBar(`Building ${d.c_info.name ?? ''}`, stderr, env.stderrIsTTY && !o.quiet);
    const log: libxl_logger = (level, message) => {
      if (XTL_LEVEL[level] < minlevel) return;
      bar.clear();
      stderr(`libxl: ${XTL_NAME[level]}: ${message}\n`);
    };
    let domid: number;
    try {
      domid = await libxl_domain_create_new(ctx, d, { log, progress: (done, total) => bar.update(done, total) });
    } catch (e) {
      bar.clear();
      if (!(e instanceof LibxlError)) throw e;
      return -e.rc;
    }
    bar.clear();
    // libxl leaves the new domain paused; xl unpauses it unless asked not to.
    if (!o.paused) await libxl_domain_unpause(ctx, domid);
    return 0;
  } catch (e) {
    if (e instanceof XlExit) return e.code;
    throw e;
  }
}

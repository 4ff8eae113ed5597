// Building a domain in libxl (tools/libs/light/libxl_dom.c): libxl__build_pre with automatic
// NUMA placement, libxl__build_hvm on libxenguest, libxl__build_post's xenstore entries.
// docs: /work/shared/reference/xen-userspace.md §2.6, §2.9, §2.10.
import { XBT_NULL, xs_introduce_domain } from '../libxenstore/xs.js';
import { xc_domain_max_vcpus, xc_domain_setmaxmem } from '../libxc/xenctrl.js';
import { alloc_magic_pages_hvm, SPECIALPAGE, special_pfn } from '../xenguest/alloc_magic_pages_hvm.js';
import { meminit_hvm } from '../xenguest/meminit_hvm.js';
import { xc_dom_image_init } from '../xenguest/xc_dom.js';
import { libxl__build_hvm_layout, libxl__build_hvm_vnuma, type xc_dom_vnuma } from './libxl_dom_layout.js';
import { libxl_domain_set_nodeaffinity, libxl_set_vcpuaffinity, libxl_set_vcpuaffinity_all } from './libxl_domain.js';
import { LibxlError } from './libxl_error.js';
import type { libxl_ctx } from './libxl.js';
import { libxl__domain_cpupool, libxl_cpupool_info } from './libxl_cpupool.js';
import { LIBXL_MAXMEM_CONSTANT, libxl__domain_need_memory_calculate, libxl__get_targetmem_fudge } from './libxl_mem.js';
import { libxl__get_numa_candidate, placement_cmpf } from './libxl_numa.js';
import { LIBXL_DOMAIN_TYPE, libxl_defbool_val, type libxl_domain_config, type libxl_logger, type libxl_domain_build_info, type libxl_domain_type } from './libxl_types.js';
import {
  libxl_bitmap_and,
  libxl_bitmap_is_empty,
  libxl_bitmap_reset,
  libxl_bitmap_set_any,
  libxl_bitmap_test,
  libxl_cpu_bitmap_alloc,
  libxl_cpumap_to_nodemap,
  libxl_for_each_set_bit,
  libxl_node_bitmap_alloc,
  libxl_node_to_cpumap,
  libxl_nodemap_to_cpumap,
} from './libxl_utils.js';
import { LIBXL_XS_TRANSACTION_MAX_RETRIES, libxl__xs_get_dompath, libxl__xs_read, libxl__xs_transaction_commit, libxl__xs_transaction_start, libxl__xs_writev } from './libxl_xshelp.js';

/** libxl__domain_build_state, the fields xenemu's build carries from step to step. */
export interface libxl__domain_build_state {
  store_domid: number;
  console_domid: number;
  /** xc_evtchn_alloc_unbound's ports (see libxl__build_pre). */
  store_port: number;
  console_port: number;
  /** dom->xenstore_pfn once alloc_magic_pages_hvm ran. */
  store_mfn: number;
}

/** The first port evtchn_alloc_unbound returns in a new domain (get_free_port skips port 0). */
const XENEMU_FIRST_UNBOUND_PORT = 1;

export const libxl__domain_build_state_init = (): libxl__domain_build_state => ({ store_domid: 0, console_domid: 0, store_port: 0, console_port: 0, store_mfn: 0 });

/** b_info with its type, as the C struct carries it (b_info->type; here c_info.type): a read-only view. */
export const typed_build_info = (d: libxl_domain_config): Readonly<libxl_domain_build_info> & { type: libxl_domain_type } => ({ ...d.b_info, type: d.c_info.type });

/**
 * Port of numa_place_domain: the candidate search over the domain's cpupool (the whole pool
 * even with a hard affinity, which only has to meet the pool: xen-userspace.md §0.4), needing
 * libxl__domain_need_memory_calculate KiB and max_vcpus CPUs. A found candidate becomes
 * info.nodemap, minus nodes with no CPU in the pool; none leaves the nodemap as it was.
 */
async function numa_place_domain(ctx: libxl_ctx, domid: number, d_config: libxl_domain_config, log: libxl_logger): Promise<void> {
  const info = d_config.b_info;
  const cpupool = await libxl__domain_cpupool(ctx, domid);
  const cpupool_info = await libxl_cpupool_info(ctx, cpupool);
  const map = cpupool_info.cpumap;
  if (info.vcpu_hard_affinity.length !== 0) {
    const cpumap = libxl_bitmap_and(info.vcpu_hard_affinity[0]!, cpupool_info.cpumap);
    if (libxl_bitmap_is_empty(cpumap)) {
      log('error', "Hard affinity completely outside of domain's cpupool!");
      throw new LibxlError('ERROR_INVAL', "Hard affinity completely outside of domain's cpupool!");
    }
  }
  const memkb = libxl__domain_need_memory_calculate(typed_build_info(d_config));
  const cpupool_nodemap = await libxl_node_bitmap_alloc(ctx);
  const candidate = await libxl__get_numa_candidate(ctx, memkb, info.max_vcpus, 0, 0, map, placement_cmpf(info.numa_placement_policy), log);
  if (candidate === null) return;
  info.nodemap.map.set(candidate.nodemap.map.subarray(0, info.nodemap.size)); // libxl_bitmap_copy (equal sizes)
  await libxl_cpumap_to_nodemap(ctx, cpupool_info.cpumap, cpupool_nodemap);
  for (const i of libxl_for_each_set_bit(info.nodemap)) if (!libxl_bitmap_test(cpupool_nodemap, i)) libxl_bitmap_reset(info.nodemap, i);
  log('detail', `NUMA placement candidate with ${candidate.nr_nodes} nodes, ${candidate.nr_cpus} cpus and ${Math.floor(candidate.free_memkb / 1024)} KB free selected`);
}

/**
 * Port of libxl__build_pre, in Xen's order: max_vcpus; automatic NUMA placement (skipped with
 * a WARN when a soft affinity, the legacy cpumap, or a nodemap was given), whose result becomes
 * the node affinity and every vCPU's soft affinity; the explicit nodemap; per-vCPU hard/soft
 * affinity; setmaxmem(target + LIBXL_MAXMEM_CONSTANT). As in C, the results of
 * libxl_set_vcpuaffinity_all and libxl_domain_set_nodeaffinity are not checked.
 *
 * Not emulated: event channels (xc_evtchn_alloc_unbound: the store and console ports are the
 * ones a fresh domain would get, 1 and 2), the arch domain create and the legacy CPUID policy.
 */
export async function libxl__build_pre(ctx: libxl_ctx, domid: number, d_config: libxl_domain_config, state: libxl__domain_build_state, log: libxl_logger): Promise<void> {
  const info = d_config.b_info;
  try {
    await xc_domain_max_vcpus(ctx.xch, domid, info.max_vcpus);
  } catch (e) {
    log('error', "Couldn't set max vcpu count");
    throw new LibxlError('ERROR_FAIL', "Couldn't set max vcpu count", { cause: e });
  }

  if (libxl_defbool_val(info.numa_placement)) {
    if (info.cpumap.size !== 0 || info.vcpu_soft_affinity.length !== 0) {
      log('warn', "Can't run NUMA placement, as a soft affinity has been specified explicitly");
    } else if (info.nodemap.size !== 0) {
      log('warn', "Can't run NUMA placement, as the domain has NUMA node affinity set already");
    } else {
      info.nodemap = await libxl_node_bitmap_alloc(ctx);
      libxl_bitmap_set_any(info.nodemap);
      const cpumap_soft = await libxl_cpu_bitmap_alloc(ctx);
      await numa_place_domain(ctx, domid, d_config, log);
      try {
        await libxl_nodemap_to_cpumap(ctx, info.nodemap, cpumap_soft);
        await libxl_set_vcpuaffinity_all(ctx, domid, info.max_vcpus, null, cpumap_soft, log);
      } catch (e) {
        if (!(e instanceof LibxlError)) throw e; // unchecked in C
      }
      info.numa_placement = false; // placement ran: a reused config is not placed again
    }
  }

  if (info.nodemap.size !== 0) {
    try {
      await libxl_domain_set_nodeaffinity(ctx, domid, info.nodemap);
    } catch (e) {
      if (!(e instanceof LibxlError)) throw e; // unchecked in C
      log('error', 'Setting node affinity');
    }
  }

  const n_hard = info.vcpu_hard_affinity.length;
  const n_soft = info.vcpu_soft_affinity.length;
  for (let i = 0; i < Math.max(n_hard, n_soft); i++) {
    try {
      await libxl_set_vcpuaffinity(ctx, domid, i, info.vcpu_hard_affinity[i] ?? null, info.vcpu_soft_affinity[i] ?? null, log);
    } catch (e) {
      log('error', `setting affinity failed on vcpu \`${i}'`);
      throw new LibxlError('ERROR_FAIL', `setting affinity failed on vcpu \`${i}'`, { cause: e });
    }
  }

  try {
    await xc_domain_setmaxmem(ctx.xch, domid, info.target_memkb + LIBXL_MAXMEM_CONSTANT); // libxl__arch_extra_memory on x86
  } catch (e) {
    log('error', "Couldn't set max memory");
    throw new LibxlError('ERROR_FAIL', "Couldn't set max memory", { cause: e });
  }

  const xs_domid = await libxl__xs_read(ctx, XBT_NULL, '/tool/xenstored/domid');
  state.store_domid = xs_domid === null ? 0 : atoi(xs_domid);
  const con_domid = await libxl__xs_read(ctx, XBT_NULL, '/tool/xenconsoled/domid');
  state.console_domid = con_domid === null ? 0 : atoi(con_domid);
  // xenemu emulates no event channels: these are the ports Xen's evtchn_alloc_unbound hands a
  // fresh domain (port 0 is reserved), so xenstored gets a valid store port at introduction.
  state.store_port = XENEMU_FIRST_UNBOUND_PORT;
  state.console_port = XENEMU_FIRST_UNBOUND_PORT + 1;
}

/** C's atoi: leading blanks, a sign, digits; anything else is 0. */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number.parseInt(m[1]!, 10) | 0;
}

/** Options of the HVM memory build that do not come from the config. */
export interface libxl__build_hvm_opts {
  progress?: (done_pages: number, total_pages: number) => void;
}

/**
 * Port of libxl__build_hvm for HVM (device model) and PVH (none): the layout, vNUMA
 * (vmemranges, config check, xc_domain_setvnuma), then libxl__build_dom's memory steps on
 * libxenguest — meminit_hvm with claim_enabled = claim_mode (xc_dom_boot_mem_init) and
 * alloc_magic_pages_hvm (xc_dom_build_image). Firmware, RDM, HVM params and the xenstore
 * values hvmloader reads are not emulated.
 */
export async function libxl__build_hvm(ctx: libxl_ctx, domid: number, d_config: libxl_domain_config, state: libxl__domain_build_state, log: libxl_logger, opts: libxl__build_hvm_opts = {}): Promise<void> {
  const info = d_config.b_info;
  const device_model = d_config.c_info.type === LIBXL_DOMAIN_TYPE.HVM;
  const mmio_hole_memkb = device_model ? info.u.hvm.mmio_hole_memkb : 0; // u.hvm is HVM's union member
  const layout = libxl__build_hvm_layout({ max_memkb: info.max_memkb, target_memkb: info.target_memkb, video_memkb: info.video_memkb, mmio_hole_memkb, device_model, max_vcpus: info.max_vcpus });

  let vnuma: xc_dom_vnuma = { vmemranges: [], nr_vnodes: 0, vnode_to_pnode: [] };
  if (info.vnuma_nodes.length !== 0) vnuma = await libxl__build_hvm_vnuma(ctx, domid, info, layout, log);

  const dom = xc_dom_image_init(ctx.xch, domid, {
    total_pages: Number(layout.total_pages),
    target_pages: Number(layout.target_pages),
    lowmem_end: Number(layout.lowmem_end),
    highmem_end: Number(layout.highmem_end),
    mmio_start: Number(layout.mmio_start),
    mmio_size: Number(layout.mmio_size),
    vga_hole_size: layout.vga_hole_size,
    device_model,
    claim_enabled: libxl_defbool_val(info.claim_mode),
    vmemranges: vnuma.vmemranges,
    vnode_to_pnode: vnuma.vnode_to_pnode,
    log: (line) => log('debug', line),
    ...(opts.progress === undefined ? {} : { progress: opts.progress }),
  });
  try {
    await meminit_hvm(dom);
  } catch (e) {
    log('error', 'xc_dom_boot_mem_init failed');
    throw new LibxlError('ERROR_FAIL', `xc_dom_boot_mem_init failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  try {
    await alloc_magic_pages_hvm(dom);
  } catch (e) {
    log('error', 'xc_dom_build_image failed');
    throw new LibxlError('ERROR_FAIL', 'xc_dom_build_image failed', { cause: e });
  }
  state.store_mfn = special_pfn(SPECIALPAGE.XENSTORE); // dom->xenstore_pfn
}

/** Port of set_vnuma_affinity: each vnode's vCPUs get the CPUs of its pnode as soft affinity. */
async function set_vnuma_affinity(ctx: libxl_ctx, domid: number, info: libxl_domain_build_info, log: libxl_logger): Promise<void> {
  const cpumap = await libxl_cpu_bitmap_alloc(ctx);
  for (const [i, v] of info.vnuma_nodes.entries()) {
    try {
      await libxl_node_to_cpumap(ctx, v.pnode, cpumap);
    } catch (e) {
      log('error', `Can't get cpumap for vnode ${i}`);
      throw e;
    }
    for (let j = 0; j < v.vcpus.size * 8; j++) {
      if (!libxl_bitmap_test(v.vcpus, j)) continue;
      try {
        await libxl_set_vcpuaffinity(ctx, domid, j, null, cpumap, log);
      } catch (e) {
        log('error', `Can't set cpu affinity for ${j}`);
        throw e;
      }
    }
  }
}

/**
 * Port of libxl__build_post: vNUMA soft affinity when no soft affinity was given; in one
 * transaction <dompath>/memory/{static-max,target,videoram}, domid, store/{port,ring-ref},
 * cpu/N/availability, the caller's local entries, and the /vm entries; then introduces the
 * domain to xenstored. memory/target is target_memkb - libxl__get_targetmem_fudge. The
 * scheduler parameters keep Xen's defaults (not set here).
 */
export async function libxl__build_post(
  ctx: libxl_ctx,
  domid: number,
  d_config: libxl_domain_config,
  state: libxl__domain_build_state,
  vms_ents: readonly (readonly [string, string])[] | null,
  local_ents: readonly (readonly [string, string])[] | null,
  log: libxl_logger,
): Promise<void> {
  const info = d_config.b_info;
  if (info.vnuma_nodes.length !== 0 && info.vcpu_soft_affinity.length === 0) await set_vnuma_affinity(ctx, domid, info, log);

  const ents: [string, string][] = [
    ['memory/static-max', String(info.max_memkb)],
    ['memory/target', String(info.target_memkb - libxl__get_targetmem_fudge(typed_build_info(d_config)))],
    ['memory/videoram', String(info.video_memkb)],
    ['domid', String(domid)],
    ['store/port', String(state.store_port)],
    ['store/ring-ref', String(state.store_mfn)],
  ];
  for (let i = 0; i < info.max_vcpus; i++) ents.push([`cpu/${i}/availability`, libxl_bitmap_test(info.avail_vcpus, i) ? 'online' : 'offline']);

  const dom_path = await libxl__xs_get_dompath(ctx, domid);
  const vm_path = await libxl__xs_read(ctx, XBT_NULL, `${dom_path}/vm`);
  // C checks neither the writes nor a commit failure other than EAGAIN (which starts again).
  for (let attempt = 0; ; attempt++) {
    const t = await libxl__xs_transaction_start(ctx);
    for (const [dir, kvs] of [[dom_path, ents], [dom_path, local_ents], [vm_path, vms_ents]] as const) {
      if (dir === null) continue; // xs_read of <dompath>/vm failed: C writes under "(null)"; skipped here
      try {
        await libxl__xs_writev(ctx, t, dir, kvs);
      } catch (e) {
        if (!(e instanceof LibxlError)) throw e;
        log('error', e.message);
      }
    }
    try {
      if ((await libxl__xs_transaction_commit(ctx, t)) === 0) break;
    } catch (e) {
      if (!(e instanceof LibxlError)) throw e;
      log('error', e.message);
      break;
    }
    if (attempt + 1 >= LIBXL_XS_TRANSACTION_MAX_RETRIES) {
      log('error', 'could not commit xenstore transaction');
      break;
    }
  }

  try {
    await xs_introduce_domain(ctx.xsh, domid, state.store_mfn, state.store_port);
  } catch (e) {
    // C ignores xs_introduce_domain's result.
    log('error', `Domain ${domid}:xs_introduce_domain failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

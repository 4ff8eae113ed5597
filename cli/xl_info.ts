// `xl info [-n] [name]` (tools/xl/xl_info.c: main_info, print_info and the output_* helpers).
import {
  LIBXL_CPUTOPOLOGY_INVALID_ENTRY,
  LIBXL_NUMAINFO_INVALID_ENTRY,
  libxl_get_cpu_topology,
  libxl_get_freecpus,
  libxl_get_numainfo,
  libxl_get_physinfo,
  libxl_get_scheduler,
  libxl_get_version_info,
  type libxl_ctx,
} from '../libxl/libxl.js';
import { libxl_bitmap_count_set } from '../libxl/libxl_utils.js';
import { hex08, rpad } from './printf.js';

/** struct utsname: xl runs in dom0 and reports the kernel it runs on. */
export interface Uname {
  nodename: string;
  release: string;
  version: string;
  machine: string;
}

export interface Out {
  stdout(s: string): void;
  stderr(s: string): void;
}

/**
 * maybe_printf: with a name, print only the value part (after ": ") of lines whose text
 * starts with that name, so `xl info free` prints free_memory and free_cpus both.
 */
function maybePrintf(out: Out, name: string | undefined): (line: string) => void {
  return (line) => {
    if (name === undefined) return out.stdout(line);
    const colon = line.indexOf(':');
    if (line.startsWith(name) && colon >= 0 && line[colon + 1] === ' ') out.stdout(line.slice(colon + 2));
  };
}

/** xl pads every key to 23 characters. */
const kv = (key: string, value: string | number | bigint): string => `${key.padEnd(23)}: ${value}\n`;

function output_nodeinfo(p: (s: string) => void, u: Uname): void {
  p(kv('host', u.nodename));
  p(kv('release', u.release));
  p(kv('version', u.version));
  p(kv('machine', u.machine));
}

async function output_physinfo(ctx: libxl_ctx, p: (s: string) => void, out: Out): Promise<void> {
  let info;
  try {
    info = await libxl_get_physinfo(ctx);
  } catch {
    out.stderr('libxl_physinfo failed.\n');
    return;
  }
  p(kv('nr_cpus', info.nr_cpus));
  p(kv('max_cpu_id', info.max_cpu_id));
  p(kv('nr_nodes', info.nr_nodes));
  p(kv('cores_per_socket', info.cores_per_socket));
  p(kv('threads_per_core', info.threads_per_core));
  p(kv('cpu_mhz', `${Math.floor(info.cpu_khz / 1000)}.${String(info.cpu_khz % 1000).padStart(3, '0')}`));
  p(kv('hw_caps', info.hw_cap.map(hex08).join(':')));
  const caps = [
    info.cap_pv && ' pv',
    info.cap_hvm && ' hvm',
    info.cap_hvm && info.cap_hvm_directio && ' hvm_directio',
    info.cap_pv && info.cap_hvm_directio && ' pv_directio',
    info.cap_hap && ' hap',
    info.cap_shadow && ' shadow',
    info.cap_iommu_hap_pt_share && ' iommu_hap_pt_share',
    info.cap_vmtrace && ' vmtrace',
    info.cap_vpmu && ' vpmu',
    info.cap_gnttab_v1 && ' gnttab-v1',
    info.cap_gnttab_v2 && ' gnttab-v2',
  ];
  p(`${'virt_caps'.padEnd(23)}:${caps.filter((c) => c !== false).join('')}\n`);
  try {
    const v = await libxl_get_version_info(ctx);
    const i = (1 << 20) / v.pagesize;
    const mib = (pages: number): bigint => BigInt.asUintN(64, BigInt(pages)) / BigInt(i);
    p(kv('total_memory', mib(info.total_pages)));
    // Unsigned, as the C computes it: free below outstanding wraps.
    p(kv('free_memory', mib(info.free_pages - info.outstanding_pages)));
    p(kv('sharing_freed_memory', mib(info.sharing_freed_pages)));
    p(kv('sharing_used_memory', mib(info.sharing_used_frames)));
    p(kv('outstanding_claims', mib(info.outstanding_pages)));
  } catch {
    // the memory lines are skipped when libxl_get_version_info fails
  }
  try {
    p(kv('free_cpus', libxl_bitmap_count_set(await libxl_get_freecpus(ctx))));
  } catch {
    // free_cpus is skipped when libxl_get_freecpus fails
  }
}

async function output_topologyinfo(ctx: libxl_ctx, out: Out): Promise<void> {
  let cpus;
  try {
    cpus = await libxl_get_cpu_topology(ctx);
  } catch {
    out.stderr('libxl_get_cpu_topology failed.\n');
    return;
  }
  out.stdout('cpu_topology           :\n');
  out.stdout('cpu:    core    socket     node\n');
  const s32 = (v: number): number => v | 0; // %d of a uint32: the invalid marker prints as -1
  cpus.forEach((c, i) => {
    if (c.core !== LIBXL_CPUTOPOLOGY_INVALID_ENTRY) out.stdout(`${rpad(i, 3)}:    ${rpad(s32(c.core), 4)}     ${rpad(s32(c.socket), 4)}     ${rpad(s32(c.node), 4)}\n`);
  });
  // libxl_get_pci_topology: the emulated host has no PCI devices to place.
  out.stdout('device topology        :\n');
  out.stdout('device           node\n');
  out.stdout('No device topology data available\n');
}

async function output_numainfo(ctx: libxl_ctx, out: Out): Promise<void> {
  let nodes;
  try {
    nodes = await libxl_get_numainfo(ctx);
  } catch {
    out.stderr('libxl_get_numainfo failed.\n');
    return;
  }
  out.stdout('numa_info              :\n');
  out.stdout('node:    memsize    memfree    distances\n');
  nodes.forEach((n, i) => {
    if (n.size === BigInt(LIBXL_NUMAINFO_INVALID_ENTRY)) return;
    const dists = n.dists.map((d) => d | 0).join(',');
    out.stdout(`${rpad(i, 4)}:    ${rpad(n.size >> 20n, 6)}     ${rpad(n.free >> 20n, 6)}      ${dists}\n`);
  });
}

async function output_xeninfo(ctx: libxl_ctx, p: (s: string) => void, out: Out): Promise<void> {
  let v;
  let sched;
  try {
    v = await libxl_get_version_info(ctx);
  } catch {
    out.stderr('libxl_get_version_info failed.\n');
    return;
  }
  try {
    sched = await libxl_get_scheduler(ctx);
  } catch {
    out.stderr('get_scheduler sysctl failed.\n');
    return;
  }
  p(kv('xen_major', v.xen_version_major));
  p(kv('xen_minor', v.xen_version_minor));
  p(kv('xen_extra', v.xen_version_extra));
  p(kv('xen_version', `${v.xen_version_major}.${v.xen_version_minor}${v.xen_version_extra}`));
  p(kv('xen_caps', v.capabilities));
  p(kv('xen_scheduler', sched));
  p(kv('xen_pagesize', v.pagesize));
  p(kv('platform_params', `virt_start=0x${v.virt_start.toString(16)}`));
  p(kv('xen_changeset', v.changeset));
  p(kv('xen_commandline', v.commandline));
  p(kv('cc_compiler', v.compiler));
  p(kv('cc_compile_by', v.compile_by));
  p(kv('cc_compile_domain', v.compile_domain));
  p(kv('cc_compile_date', v.compile_date));
  p(kv('build_id', v.build_id));
}

/** Port of main_info / print_info: `name` filters lines unless -n is given. Returns the exit code. */
export async function main_info(ctx: libxl_ctx, opts: { numa: boolean; name?: string | undefined }, out: Out, uname: Uname): Promise<number> {
  const p = maybePrintf(out, opts.numa ? undefined : opts.name);
  output_nodeinfo(p, uname);
  await output_physinfo(ctx, p, out);
  if (opts.numa) {
    await output_topologyinfo(ctx, out);
    await output_numainfo(ctx, out);
  }
  await output_xeninfo(ctx, p, out);
  p(kv('xend_config_format', 4));
  return 0;
}

// `xl vcpu-list` and `xl vcpu-pin` (tools/xl/xl_vcpu.c: vcpulist, print_vcpuinfo, main_vcpupin).
import { libxl_get_physinfo, type libxl_ctx } from '../libxl/libxl.js';
import { libxl_domid_to_name, libxl_list_domain, libxl_list_vcpu, libxl_set_vcpuaffinity, libxl_set_vcpuaffinity_all, libxl_set_vcpuaffinity_force } from '../libxl/libxl_domain.js';
import { libxl_cpu_bitmap_alloc, type libxl_bitmap } from '../libxl/libxl_utils.js';
import { lpad, rpad } from './printf.js';
import type { Out } from './xl_info.js';
import { CpurangeError, parse_cpurange } from './xl_parse.js';
import { find_domain, print_bitmap } from './xl_utils.js';

/** Port of vcpulist / print_domain_vcpuinfo. */
export async function main_vcpulist(ctx: libxl_ctx, domains: string[], out: Out): Promise<number> {
  const maplen = (await libxl_get_physinfo(ctx)).max_cpu_id + 1;
  out.stdout(`${lpad('Name', 32)} ${rpad('ID', 5)} ${rpad('VCPU', 5)} ${rpad('CPU', 5)} ${rpad('State', 5)} ${rpad('Time(s)', 9)} Affinity (Hard / Soft)\n`);
  const ids = domains.length === 0 ? (await libxl_list_domain(ctx)).map((d) => d.domid) : await Promise.all(domains.map((d) => find_domain(ctx, d)));
  for (const domid of ids) {
    const vcpus = await libxl_list_vcpu(ctx, domid);
    if (vcpus === null) continue;
    const name = (await libxl_domid_to_name(ctx, domid)) ?? '(null)';
    for (const v of vcpus) {
      // The CPU column has no space before it: "%-32s %5u %5u" then "%5u %3c%c- ".
      const where = v.online ? `${rpad(v.cpu, 5)} ${rpad(v.running ? 'r' : '-', 3)}${v.blocked ? 'b' : '-'}- ` : `${rpad('-', 5)} ${rpad('-', 3)}-p `;
      out.stdout(
        `${lpad(name, 32)} ${rpad(domid, 5)} ${rpad(v.vcpuid, 5)}${where}${rpad((Number(v.vcpu_time) / 1e9).toFixed(1), 9)}  ${print_bitmap(v.cpumap.map, maplen)} / ${print_bitmap(v.cpumap_soft.map, maplen)}\n`,
      );
    }
  }
  return 0;
}

export interface VcpuPinOpts {
  force: boolean;
  domain: string;
  vcpu: string;
  hard: string;
  soft?: string | undefined;
}

/** Port of main_vcpupin (the xl.conf global masks are all-ones by default, so they change nothing). */
export async function main_vcpupin(ctx: libxl_ctx, o: VcpuPinOpts, out: Out): Promise<number> {
  const domid = await find_domain(ctx, o.domain);
  let vcpuid: number;
  if (o.vcpu === 'all') vcpuid = -1;
  else if (/^\d+$/.test(o.vcpu)) vcpuid = Number(o.vcpu);
  else {
    out.stderr(`Error: Invalid argument ${o.vcpu} as VCPU.\n`);
    return 1;
  }
  if (o.force && vcpuid === -1) {
    out.stderr("Error: --force and 'all' as VCPU not allowed.\n");
    return 1;
  }
  const parse = async (s: string | undefined): Promise<libxl_bitmap | null> => {
    if (s === undefined || s === '-') return null;
    const m = await libxl_cpu_bitmap_alloc(ctx);
    await parse_cpurange(ctx, s, m);
    return m;
  };
  let hard: libxl_bitmap | null;
  let soft: libxl_bitmap | null;
  try {
    hard = await parse(o.hard);
    soft = await parse(o.soft);
  } catch (e) {
    if (!(e instanceof CpurangeError)) throw e;
    out.stderr(`${e.message}\n`);
    return 1;
  }
  const warn = (level: 'warn' | 'debug', m: string): void => {
    if (level === 'warn') out.stderr(`libxl: warning: ${m}\n`);
  };
  if (vcpuid !== -1) {
    try {
      await (o.force ? libxl_set_vcpuaffinity_force : libxl_set_vcpuaffinity)(ctx, domid, vcpuid, hard, soft, warn);
    } catch {
      out.stderr(`Could not set affinity for vcpu \`${vcpuid}'.\n`);
      return 1;
    }
    return 0;
  }
  const vcpus = await libxl_list_vcpu(ctx, domid);
  if (vcpus === null) {
    out.stderr('libxl_list_vcpu failed.\n');
    return 1;
  }
  try {
    await libxl_set_vcpuaffinity_all(ctx, domid, vcpus.length, hard, soft, warn);
  } catch {
    out.stderr('Could not set affinity.\n'); // and xl still exits 0
  }
  return 0;
}

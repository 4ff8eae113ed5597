// xl's CPU list and memory size syntax (tools/xl/xl_parse.c: parse_cpurange, parse_range,
// parse_mem_size_kb).
import type { libxl_ctx } from '../libxl/libxl.js';
import { libxl_bitmap_reset, libxl_bitmap_set, libxl_bitmap_set_any, libxl_bitmap_set_none, libxl_node_bitmap_alloc, libxl_nodemap_to_cpumap, libxl_cpu_bitmap_alloc, type libxl_bitmap } from '../libxl/libxl_utils.js';

/** A parse failure, carrying xl's message. */
export class CpurangeError extends Error {}

export const ULONG_MAX = (1n << 64n) - 1n;

/**
 * strtoul(s, &endptr, 10): leading white space, an optional sign (a '-' negates modulo 2^64),
 * decimal digits; saturates at ULONG_MAX. Without digits the value is 0 and nothing is consumed.
 */
export function strtoul10(s: string): { value: bigint; rest: string } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(s);
  if (m === null) return { value: 0n, rest: s };
  let v = BigInt(m[2]!);
  if (v > ULONG_MAX) v = ULONG_MAX;
  else if (m[1] === '-') v = BigInt.asUintN(64, -v);
  return { value: v, rest: s.slice(m[0].length) };
}

/** Port of parse_range (xl_parse.c): "N" or "N-M" (strtoul each), M >= N, nothing trailing. */
function parse_range(str: string): [bigint, bigint] | null {
  const a = strtoul10(str);
  if (a.rest === str || a.value === ULONG_MAX) return null;
  let b = a;
  if (a.rest.startsWith('-')) {
    const nstr = a.rest.slice(1);
    b = strtoul10(nstr);
    if (b.rest === nstr || b.value === ULONG_MAX || b.value < a.value) return null;
  }
  return b.rest === '' ? [a.value, b.value] : null;
}

/** min(v, cap) as a number: ids past a map are no-ops in C (which still loops up to them). */
const clamp = (v: bigint, cap: number): number => (v < BigInt(cap) ? Number(v) : cap);

/**
 * Port of parse_cpurange: comma-separated items applied in order to an empty map; `^` removes,
 * `node:`/`nodes:` names NUMA nodes (expanded to their CPUs), `all` sets everything.
 */
export async function parse_cpurange(ctx: libxl_ctx, cpu: string, cpumap: libxl_bitmap): Promise<void> {
  libxl_bitmap_set_none(cpumap);
  // strtok_r on ",": empty items (",,", a leading or trailing comma) are skipped.
  for (const item of cpu.split(',')) if (item !== '') await update_cpumap_range(ctx, item, cpumap);
}

/** Port of update_cpumap_range: one item; the message names it after its ^ and node: prefixes. */
async function update_cpumap_range(ctx: libxl_ctx, item: string, cpumap: libxl_bitmap): Promise<void> {
  let str = item;
  const remove = str.startsWith('^');
  if (remove) str = str.slice(1);
  let isNodes = false;
  if (str.startsWith('node:')) [isNodes, str] = [true, str.slice(5)];
  else if (str.startsWith('nodes:')) [isNodes, str] = [true, str.slice(6)];
  if (str === 'all') {
    if (remove) throw new CpurangeError(`Can't combine "^" and "all".`);
    libxl_bitmap_set_any(cpumap);
    return;
  }
  const r = parse_range(str);
  if (r === null) throw new CpurangeError(`Invalid pcpu range: ${str}.`);
  const apply = (bit: number): void => (remove ? libxl_bitmap_reset(cpumap, bit) : libxl_bitmap_set(cpumap, bit));
  if (!isNodes) {
    // Bound: the loop stops at the map's end.
    for (let c = clamp(r[0], cpumap.size * 8), end = clamp(r[1], cpumap.size * 8 - 1); c <= end; c++) apply(c);
    return;
  }
  const nodemap = await libxl_node_bitmap_alloc(ctx);
  for (let n = clamp(r[0], nodemap.size * 8), end = clamp(r[1], nodemap.size * 8 - 1); n <= end; n++) libxl_bitmap_set(nodemap, n);
  const cpus = await libxl_cpu_bitmap_alloc(ctx);
  await libxl_nodemap_to_cpumap(ctx, nodemap, cpus);
  for (let c = 0; c < cpus.size * 8; c++) if (cpus.map[c >> 3]! & (1 << (c & 7))) apply(c);
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * strtoll(s, &endptr, 10): leading white space, an optional sign, decimal digits; saturates at
 * the int64 limits. Without digits the value is 0 and the rest is the whole string.
 */
export function strtoll10(s: string): { value: bigint; rest: string } {
  const m = /^([ \t\n\v\f\r]*)([+-]?)(\d+)/.exec(s);
  if (m === null) return { value: 0n, rest: s };
  let v = BigInt(m[3]!);
  if (m[2] === '-') v = -v;
  v = v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : v;
  return { value: v, rest: s.slice(m[0].length) };
}

/**
 * Port of parse_mem_size_kb: a decimal number with at most one suffix letter, b/k/m/g/t in
 * either case, no suffix meaning MiB; the size in KiB, or -1 when it does not parse. Arithmetic
 * is int64_t's, shifts wrapping as the C's do on x86; "-1k" is -1 and so reads as invalid.
 */
export function parse_mem_size_kb(mem: string): bigint {
  const { value, rest } = strtoll10(mem);
  if (rest.length > 1) return -1n;
  const shl = (v: bigint, n: bigint): bigint => BigInt.asIntN(64, v << n);
  switch (rest.toLowerCase()) {
    case 't':
      return shl(value, 30n);
    case 'g':
      return shl(value, 20n);
    case '':
    case 'm':
      return shl(value, 10n);
    case 'k':
      return value;
    case 'b':
      return value >> 10n;
    default:
      return -1n;
  }
}

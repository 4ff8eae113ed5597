// xl's CPU list and memory size syntax (tools/xl/xl_parse.c: parse_cpurange, parse_range,
// parse_mem_size_kb).
import type { libxl_ctx } from '../libxl/libxl.js';
import { libxl_bitmap_reset, libxl_bitmap_set, libxl_bitmap_set_any, libxl_bitmap_set_none, libxl_node_bitmap_alloc, libxl_nodemap_to_cpumap, libxl_cpu_bitmap_alloc, type libxl_bitmap } from '../libxl/libxl_utils.js';

/** A parse failure, carrying xl's message. */
export class CpurangeError extends Error {}

/** Port of parse_range: "N" or "N-M" with M >= N, decimal, nothing trailing. */
function parse_range(s: string): [number, number] | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (m === null) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  return b >= a ? [a, b] : null;
}

/**
 * Port of parse_cpurange: comma-separated items applied in order to an empty map; `^` removes,
 * `node:`/`nodes:` names NUMA nodes (expanded to their CPUs), `all` sets everything.
 */
export async function parse_cpurange(ctx: libxl_ctx, cpu: string, cpumap: libxl_bitmap): Promise<void> {
  libxl_bitmap_set_none(cpumap);
  if (cpu.length === 0) return;
  for (const raw of cpu.split(',')) {
    let item = raw;
    const remove = item.startsWith('^');
    if (remove) item = item.slice(1);
    let isNodes = false;
    if (item.startsWith('nodes:')) [isNodes, item] = [true, item.slice(6)];
    else if (item.startsWith('node:')) [isNodes, item] = [true, item.slice(5)];
    if (item === 'all') {
      if (remove) throw new CpurangeError(`Can't combine "^" and "all".`);
      libxl_bitmap_set_any(cpumap);
      continue;
    }
    const r = parse_range(item);
    if (r === null) throw new CpurangeError(`Invalid pcpu range: ${raw}.`);
    const apply = (bit: number): void => (remove ? libxl_bitmap_reset(cpumap, bit) : libxl_bitmap_set(cpumap, bit));
    if (!isNodes) {
      // Bound: bits past the map are no-ops, so stop at its end.
      for (let c = r[0]; c <= Math.min(r[1], cpumap.size * 8 - 1); c++) apply(c);
      continue;
    }
    const nodemap = await libxl_node_bitmap_alloc(ctx);
    for (let n = r[0]; n <= Math.min(r[1], nodemap.size * 8 - 1); n++) libxl_bitmap_set(nodemap, n);
    const cpus = await libxl_cpu_bitmap_alloc(ctx);
    await libxl_nodemap_to_cpumap(ctx, nodemap, cpus);
    for (let c = 0; c < cpus.size * 8; c++) if (cpus.map[c >> 3]! & (1 << (c & 7))) apply(c);
  }
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * strtoll(s, &endptr, 10): leading white space, an optional sign, decimal digits; saturates at
 * the int64 limits. Without digits the value is 0 and the rest is the whole string.
 */
function strtoll10(s: string): { value: bigint; rest: string } {
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

// libxl_bitmap and host-size helpers (tools/libs/light/libxl_utils.c).
import { xc_get_max_cpus, xc_get_max_nodes, xc_get_online_cpus } from '../libxc/xenctrl.js';
import { xcOrFail } from './libxl_error.js';
import { libxl_get_cpu_topology, type libxl_ctx, type libxl_cputopology } from './libxl.js';

/** libxl_bitmap: `size` bytes; bit n in map[n/8], mask 1 << (n%8). */
export interface libxl_bitmap {
  size: number;
  map: Uint8Array;
}

export function libxl_bitmap_alloc(n_bits: number): libxl_bitmap {
  const size = (n_bits + 7) >> 3;
  return { size, map: new Uint8Array(size) };
}

/** Setting or testing a bit beyond the map is a silent no-op (libxl_bitmap_set / _test). */
export function libxl_bitmap_set(b: libxl_bitmap, bit: number): void {
  if (bit >= 0 && bit < b.size * 8) b.map[bit >> 3]! |= 1 << (bit & 7);
}

export function libxl_bitmap_reset(b: libxl_bitmap, bit: number): void {
  if (bit >= 0 && bit < b.size * 8) b.map[bit >> 3]! &= ~(1 << (bit & 7));
}

export function libxl_bitmap_test(b: libxl_bitmap, bit: number): boolean {
  return bit >= 0 && bit < b.size * 8 && (b.map[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

export function libxl_bitmap_set_any(b: libxl_bitmap): void {
  b.map.fill(0xff);
}

export function libxl_bitmap_set_none(b: libxl_bitmap): void {
  b.map.fill(0);
}

/** libxl_for_each_set_bit (libxl_utils.h): every set bit below size * 8, ascending. */
export function* libxl_for_each_set_bit(b: libxl_bitmap): Generator<number> {
  for (let i = 0; i < b.size * 8; i++) if (libxl_bitmap_test(b, i)) yield i;
}

export function libxl_bitmap_count_set(b: libxl_bitmap): number {
  let n = 0;
  for (const _ of libxl_for_each_set_bit(b)) n++;
  return n;
}

export function libxl_bitmap_is_full(b: libxl_bitmap): boolean {
  return b.map.every((x) => x === 0xff);
}

export function libxl_bitmap_is_empty(b: libxl_bitmap): boolean {
  return b.map.every((x) => x === 0);
}

/** Port of libxl_bitmap_and: sized for the larger map, the bits set in both. */
export function libxl_bitmap_and(a: libxl_bitmap, b: libxl_bitmap): libxl_bitmap {
  const r = libxl_bitmap_alloc(Math.max(a.size, b.size) * 8);
  for (let i = 0; i < Math.min(a.size, b.size); i++) r.map[i] = a.map[i]! & b.map[i]!;
  return r;
}

/** "0x" then the bytes from most to least significant, %02x each. */
export function libxl_bitmap_to_hex_string(b: libxl_bitmap): string {
  return `0x${[...b.map].reverse().map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** strtoul(digits, NULL, 10) stored in a uint32_t, as libxl's qualifier parsers do: saturates at ULONG_MAX, then truncates. */
export function libxl__strtoul_u32(digits: string): number {
  const v = BigInt(digits === '' ? '0' : digits);
  return Number(BigInt.asUintN(32, v > 0xffffffffffffffffn ? 0xffffffffffffffffn : v));
}

/** libxl_get_max_cpus / _nodes / _online_cpus: a libxc failure is ERROR_FAIL. */
export function libxl_get_max_cpus(ctx: libxl_ctx): Promise<number> {
  return xcOrFail('libxl_get_max_cpus', xc_get_max_cpus(ctx.xch));
}

export function libxl_get_max_nodes(ctx: libxl_ctx): Promise<number> {
  return xcOrFail('libxl_get_max_nodes', xc_get_max_nodes(ctx.xch));
}

export function libxl_get_online_cpus(ctx: libxl_ctx): Promise<number> {
  return xcOrFail('libxl_get_online_cpus', xc_get_online_cpus(ctx.xch));
}

/** libxl_cpu_bitmap_alloc(ctx, map, 0): sized for every possible CPU. */
export async function libxl_cpu_bitmap_alloc(ctx: libxl_ctx, max_cpus = 0): Promise<libxl_bitmap> {
  return libxl_bitmap_alloc(max_cpus > 0 ? max_cpus : await libxl_get_max_cpus(ctx));
}

/** libxl_node_bitmap_alloc(ctx, map, 0): sized for MAX_NUMNODES (64 on x86). */
export async function libxl_node_bitmap_alloc(ctx: libxl_ctx, max_nodes = 0): Promise<libxl_bitmap> {
  return libxl_bitmap_alloc(max_nodes > 0 ? max_nodes : await libxl_get_max_nodes(ctx));
}


/** Port of libxl_nodemap_to_cpumap: every CPU whose node is in the nodemap. */
export async function libxl_nodemap_to_cpumap(ctx: libxl_ctx, nodemap: libxl_bitmap, cpumap: libxl_bitmap): Promise<void> {
  const tinfo = await libxl_get_cpu_topology(ctx);
  libxl_bitmap_set_none(cpumap);
  tinfo.forEach((t, cpu) => {
    if (libxl_bitmap_test(nodemap, t.node)) libxl_bitmap_set(cpumap, cpu);
  });
}

/** Port of libxl_node_to_cpumap: the CPUs of one node. */
export async function libxl_node_to_cpumap(ctx: libxl_ctx, node: number, cpumap: libxl_bitmap): Promise<void> {
  const nodemap = await libxl_node_bitmap_alloc(ctx);
  libxl_bitmap_set(nodemap, node);
  await libxl_nodemap_to_cpumap(ctx, nodemap, cpumap);
}

/** Port of libxl_cpumap_to_nodemap: the node of every set CPU (an invalid node is a silent no-op). */
export async function libxl_cpumap_to_nodemap(ctx: libxl_ctx, cpumap: libxl_bitmap, nodemap: libxl_bitmap): Promise<void> {
  cpumap_to_nodemap_topo(await libxl_get_cpu_topology(ctx), cpumap, nodemap);
}

/** libxl_cpumap_to_nodemap's work on a topology already read (libxl_numa.ts searches a snapshot). */
export function cpumap_to_nodemap_topo(tinfo: readonly libxl_cputopology[], cpumap: libxl_bitmap, nodemap: libxl_bitmap): void {
  libxl_bitmap_set_none(nodemap);
  tinfo.forEach((t, cpu) => {
    if (libxl_bitmap_test(cpumap, cpu)) libxl_bitmap_set(nodemap, t.node);
  });
}

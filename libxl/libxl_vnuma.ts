// vNUMA in libxl (tools/libs/light/libxl_vnuma.c): the configuration check and the vmemrange
// builders. The checks are pure over a snapshot of the host (node count and CPU-to-node map);
// libxl__vnuma_config_check_ctx takes that snapshot from a live ctx the way C libxl does.
import type { xen_vmemrange_t } from '../libxc/xenctrl.js';
import { LibxlError } from './libxl_error.js';
import { libxl_get_cpu_topology, libxl_get_numainfo, type libxl_ctx } from './libxl.js';
import { libxl_bitmap_alloc, libxl_bitmap_count_set, libxl_bitmap_set, libxl_bitmap_test, libxl_for_each_set_bit, libxl_get_max_nodes, type libxl_bitmap } from './libxl_utils.js';

/** libxl_vnode_info (libxl_types.idl): one virtual node; num_distances is distances.length. */
export interface libxl_vnode_info {
  memkb: number;
  distances: number[];
  pnode: number;
  vcpus: libxl_bitmap;
}

/** The parts of libxl_domain_build_info that vNUMA reads; num_* are the arrays' lengths. */
export interface libxl_vnuma_build_info {
  max_memkb: number;
  video_memkb: number;
  max_vcpus: number;
  vnuma_nodes: libxl_vnode_info[];
  vcpu_hard_affinity?: libxl_bitmap[];
  vcpu_soft_affinity?: libxl_bitmap[];
}

/** What libxl__vnuma_config_check asks of the host: libxl_get_numainfo's count, the node of each CPU. */
export interface libxl_vnuma_host {
  nr_nodes: number;
  /** libxl_get_max_nodes: the size of a node bitmap (libxl_node_bitmap_alloc(ctx, map, 0)). */
  max_nodes: number;
  /** libxl_get_cpu_topology()[cpu].node; LIBXL_CPUTOPOLOGY_INVALID_ENTRY for an absent CPU. */
  cpu_to_node: readonly number[] | null;
}

/** The fields of struct xc_dom_image that libxl__vnuma_build_vmemrange_hvm reads (bytes). */
export interface libxl_vnuma_hvm_layout {
  lowmem_end: bigint;
  mmio_start: bigint;
  mmio_size: bigint;
}

/** libxl's LOG(ERROR/WARN, …) lines, as a callback. */
export type LibxlVnumaLog = (level: 'error' | 'warn', message: string) => void;

const noLog: LibxlVnumaLog = () => {};
const GB4 = 1n << 32n;
const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/** Port of check_vnuma_affinity: warn only, when the CPUs' nodes are not exactly {pnode}. */
function check_vnuma_affinity(host: libxl_vnuma_host, vcpu: number, pnode: number, affinity: libxl_bitmap, kind: string, log: LibxlVnumaLog): void {
  if (host.cpu_to_node === null) {
    // libxl_cpumap_to_nodemap could not read the CPU topology: logged, and the check skipped.
    log('error', `Can't convert Vcpu ${vcpu} affinity to nodemap`);
    return;
  }
  const nodemap = libxl_bitmap_alloc(host.max_nodes);
  host.cpu_to_node.forEach((node, cpu) => {
    if (libxl_bitmap_test(affinity, cpu)) libxl_bitmap_set(nodemap, node); // libxl_cpumap_to_nodemap
  });
  if (libxl_bitmap_count_set(nodemap) !== 1 || !libxl_bitmap_test(nodemap, pnode)) log('warn', `Vcpu ${vcpu} ${kind} affinity and vnuma info mismatch`);
}

function invalid(log: LibxlVnumaLog, message: string): never {
  log('error', message);
  throw new LibxlError('ERROR_VNUMA_CONFIG_INVALID', message);
}

/**
 * Port of libxl__vnuma_config_check: pnodes, memory sum, vCPU mapping, (warning) affinities,
 * vmemranges (sorted by start in place, as C's qsort does to state->vmemranges), distances.
 * Throws ERROR_VNUMA_CONFIG_INVALID after logging the first failure.
 */
export function libxl__vnuma_config_check(host: libxl_vnuma_host, b_info: libxl_vnuma_build_info, vmemranges: xen_vmemrange_t[], log: LibxlVnumaLog = noLog): void {
  const nodes = b_info.vnuma_nodes;
  let total_memkb = 0n;
  for (const v of nodes) {
    if (v.pnode >= host.nr_nodes) invalid(log, `Invalid pnode ${v.pnode} specified`);
    total_memkb += BigInt(v.memkb);
  }
  if (total_memkb !== BigInt(b_info.max_memkb)) invalid(log, `Amount of memory mismatch (${hex(total_memkb)} != ${hex(b_info.max_memkb)})`);

  // A vCPU at or beyond max_vcpus rounded up to a byte is never seen twice: the bitmap ignores it.
  const cpumap = libxl_bitmap_alloc(b_info.max_vcpus);
  for (const v of nodes) {
    for (const j of libxl_for_each_set_bit(v.vcpus)) {
      if (libxl_bitmap_test(cpumap, j)) invalid(log, `Vcpu ${j} assigned more than once`);
      libxl_bitmap_set(cpumap, j);
    }
  }
  for (let i = 0; i < b_info.max_vcpus; i++) if (!libxl_bitmap_test(cpumap, i)) invalid(log, `Vcpu ${i} is not assigned to any vnode`);

  const hard = b_info.vcpu_hard_affinity ?? [];
  const soft = b_info.vcpu_soft_affinity ?? [];
  for (const v of nodes) {
    for (const j of libxl_for_each_set_bit(v.vcpus)) {
      if (hard.length > j) check_vnuma_affinity(host, j, v.pnode, hard[j]!, 'hard', log);
      if (soft.length > j) check_vnuma_affinity(host, j, v.pnode, soft[j]!, 'soft', log);
    }
  }

  vmemranges.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  for (const r of vmemranges) if (r.end < r.start) invalid(log, 'Vmemrange end < start');
  // C loops to num_vmemranges - 1 unsigned, which wraps for zero ranges; none is simply accepted here.
  for (let i = 0; i + 1 < vmemranges.length; i++) {
    const a = vmemranges[i]!;
    const b = vmemranges[i + 1]!;
    if (a.end > b.start) invalid(log, `Vmemranges overlapped, ${hex(a.start)}-${hex(a.end)}, ${hex(b.start)}-${hex(b.end)}`);
  }

  nodes.forEach((v, i) => {
    // C reads distances[i] even when num_distances <= i; here a missing local distance compares false.
    const local = v.distances[i];
    if (local === undefined) return;
    v.distances.forEach((remote, j) => {
      if (i !== j && local > remote) invalid(log, `Distance from ${i} to ${j} smaller than ${i}'s local distance`);
    });
  });
}

/** libxl__vnuma_config_check against a live host: libxl_get_numainfo, max nodes, CPU topology. */
export async function libxl__vnuma_config_check_ctx(ctx: libxl_ctx, b_info: libxl_vnuma_build_info, vmemranges: xen_vmemrange_t[], log: LibxlVnumaLog = noLog): Promise<void> {
  let nr_nodes: number;
  try {
    nr_nodes = (await libxl_get_numainfo(ctx)).length;
  } catch (e) {
    log('error', 'libxl_get_numainfo failed');
    throw new LibxlError('ERROR_VNUMA_CONFIG_INVALID', 'libxl_get_numainfo failed', { cause: e });
  }
  // Only numainfo is fatal; the topology serves the affinity warning, which a failure skips.
  let max_nodes = 0;
  let cpu_to_node: number[] | null = null;
  try {
    max_nodes = await libxl_get_max_nodes(ctx);
    cpu_to_node = (await libxl_get_cpu_topology(ctx)).map((t) => t.node);
  } catch {
    cpu_to_node = null;
  }
  libxl__vnuma_config_check({ nr_nodes, max_nodes, cpu_to_node }, b_info, vmemranges, log);
}

/** Port of libxl__vnuma_build_vmemrange_pv_generic: one contiguous range per vnode from 0. */
export function libxl__vnuma_build_vmemrange_pv_generic(b_info: libxl_vnuma_build_info): xen_vmemrange_t[] {
  let next = 0n;
  return b_info.vnuma_nodes.map((p, nid) => {
    const start = next;
    next += BigInt(p.memkb) << 10n;
    return { start, end: next, flags: 0, nid };
  });
}

/**
 * Port of libxl__vnuma_build_vmemrange_hvm: vnodes laid out from 0 in order, skipping
 * [min(lowmem_end, mmio_start), max(mmio_start + mmio_size, 4G)); a vnode reaching the hole
 * is split in two ranges of the same nid. Video RAM comes out of vnode 0. No alignment.
 */
export function libxl__vnuma_build_vmemrange_hvm(b_info: libxl_vnuma_build_info, dom: libxl_vnuma_hvm_layout, log: LibxlVnumaLog = noLog): xen_vmemrange_t[] {
  const hole_start = dom.lowmem_end < dom.mmio_start ? dom.lowmem_end : dom.mmio_start;
  const mmio_end = dom.mmio_start + dom.mmio_size;
  const hole_end = mmio_end > GB4 ? mmio_end : GB4;
  const ranges: xen_vmemrange_t[] = [];
  let next = 0n;
  b_info.vnuma_nodes.forEach((p, nid) => {
    let remaining = BigInt(p.memkb) << 10n;
    if (nid === 0) {
      if (p.memkb < b_info.video_memkb) {
        const message = 'vnode 0 too small to contain video ram';
        log('error', message);
        throw new LibxlError('ERROR_INVAL', message);
      }
      remaining -= BigInt(b_info.video_memkb) << 10n;
    }
    while (remaining > 0n) {
      let count = remaining;
      if (next >= hole_start && next < hole_end) next = hole_end;
      if (next < hole_start && next + remaining >= hole_start) count = hole_start - next;
      ranges.push({ start: next, end: next + count, flags: 0, nid });
      remaining -= count;
      next += count;
    }
  });
  return ranges;
}

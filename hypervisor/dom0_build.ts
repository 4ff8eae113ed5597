// Building domain 0 at boot (xen/arch/x86/dom0_build.c, xen/common/domain.c).
import { newDomain, type Domain } from './domain.js';
import { domain_update_node_aff, sched_init_vcpu } from './sched.js';
import { flsl, MAX_ORDER, MEMF, memflags } from './page_alloc.js';
import { alloc_domheap_pages } from './domheap.js';
import type { Xen } from './xen.js';
import { domid, nodeid } from './ids.js';

const PAGES_PER_MIB = 256;

/** Sizes as parse_size_and_unit reads them: suffix B, K, M, G or T; no suffix means KiB. */
export function parseSizeToPages(text: string): number | null {
  const m = /^(\d+)([bBkKmMgGtT]?)$/.exec(text.trim());
  if (m === null) return null;
  const n = Number(m[1]);
  const shift = { b: -12, k: -2, m: 8, g: 18, t: 28, '': -2 }[m[2]!.toLowerCase()]!;
  const pages = shift >= 0 ? n * 2 ** shift : Math.floor(n / 2 ** -shift);
  return Number.isSafeInteger(pages) ? pages : null;
}

export interface Dom0Mem {
  pages: number;
  max_pages: number | null;
}

/**
 * parse_dom0_mem: `[<size>][,max:<size>]` (the min: form is accepted and ignored here, as
 * the emulated host never needs to shrink dom0 below its target). Returns null if malformed.
 */
export function parseDom0Mem(text: string): Dom0Mem | null {
  let pages: number | null = null;
  let max: number | null = null;
  for (const part of text.split(',')) {
    if (part.startsWith('max:')) max = parseSizeToPages(part.slice(4));
    else if (part.startsWith('min:')) {
      if (parseSizeToPages(part.slice(4)) === null) return null;
    } else pages = parseSizeToPages(part);
    if ((part.startsWith('max:') && max === null) || (!part.includes(':') && pages === null)) return null;
  }
  if (pages === null && max !== null) pages = max;
  return pages === null ? null : { pages, max_pages: max };
}

export const DOM0_MEM_DEFAULT = '4096M';
export const DOM0_MAX_VCPUS_CAP_DEFAULT = 8;

export interface Dom0Options {
  mem: Dom0Mem;
  max_vcpus: number;
}

/**
 * Creates dom0: privileged, PV, unpaused, one online vCPU per pCPU in order (vCPU k on the
 * k-th online pCPU, the round-robin of sched_select_initial_cpu), and its memory allocated
 * from the heap as dom0_construct_pv does: the largest orders first, without scrubbing, each
 * block on the node after the last one used (round-robin over its node affinity).
 * Returns a message instead if the host cannot hold it.
 */
export function construct_dom0(xen: Xen, o: Dom0Options): Domain | string {
  const host = xen.host;
  const online = host.online_cpus();
  if (o.max_vcpus < 1 || o.max_vcpus > online.length)
    return `dom0_max_vcpus must be 1..${online.length} (the online CPUs), got ${o.max_vcpus}`;
  const d = newDomain(domid(0), o.max_vcpus, nodeid(0));
  d.is_privileged = true;
  d.creation_finished = true;
  d.gpaddr_bits = 52;
  for (let k = 0; k < o.max_vcpus; k++) {
    const v = sched_init_vcpu(host, xen.cpupool0_cpus, d, k);
    v.online = true;
    v.blocked = k !== 0; // vCPU 0 is the one running the toolstack; the rest idle
    v.is_running = k === 0;
    d.vcpu.push(v);
  }
  // With hard = soft = all: the nodes owning a CPU of the pool.
  domain_update_node_aff(host, xen.cpupool0_cpus, d);
  d.max_pages = o.mem.max_pages ?? 0xffffffff;
  if (o.mem.pages > xen.heap.total_avail_pages)
    return `dom0_mem of ${o.mem.pages / PAGES_PER_MIB} MiB does not fit the host's ${Math.floor(xen.heap.total_avail_pages / PAGES_PER_MIB)} MiB`;
  // Bound: each allocation takes at least one page, or lowers the order (19 orders).
  let order = MAX_ORDER;
  while (d.tot_pages < o.mem.pages) {
    order = Math.min(order, flsl(o.mem.pages - d.tot_pages) - 1);
    if (alloc_domheap_pages(xen, d, order, memflags(MEMF.no_scrub)) !== null) continue;
    if (order === 0) return `dom0_mem of ${o.mem.pages / PAGES_PER_MIB} MiB does not fit the host's free memory`;
    order--;
  }
  return d;
}

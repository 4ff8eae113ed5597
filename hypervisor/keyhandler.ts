// Debug keys (xen/common/keyhandler.c: handle_keypress) and their dumps.
import type { Xen } from './xen.js';
import { cpuid, nodeid } from './ids.js';
import { domain_node_pages } from './domain.js';
import { MAX_NUMNODES, NUMA_NO_NODE } from './numa.js';
import type { VnumaInfo } from './vnuma.js';
import { dump_domains } from './keyhandler_domains.js';

/** Port of dump_numa (xen/common/numa.c), the 'u' key, with the vNUMA of each domain that has one. */
function dump_numa(xen: Xen): void {
  const h = xen.host;
  const p = (s: string): void => xen.console.printk(`${s}\n`);
  p(`'u' pressed -> dumping numa info (now = ${xen.clock.now_ns()})`);
  for (const n of h.node_online_map.bits()) {
    const nd = h.node_data[n];
    p(`NODE${n} start->${nd?.node_start_pfn ?? 0} size->${nd?.node_spanned_pages ?? 0} free->${xen.heap.avail_node_heap_pages(nodeid(n))}`);
  }
  // Online CPUs in runs of consecutive ids on the same node.
  const cpus = h.online_cpus();
  for (let i = 0; i < cpus.length; ) {
    const first = cpus[i]!;
    const node = h.cpu_to_node(first);
    let last = first;
    while (i + 1 < cpus.length && cpus[i + 1] === last + 1 && h.cpu_to_node(cpuid(last + 1)) === node) last = cpus[++i]!;
    i++;
    const nodeText = node === NUMA_NO_NODE ? -1 : node;
    p(first === last ? `CPU${first} -> NODE${nodeText}` : `CPU${first}...${last} -> NODE${nodeText}`);
  }
  p('Memory location of each domain:');
  for (const d of xen.domains_in_order()) {
    p(`d${d.domain_id} (total: ${d.tot_pages}):`); // %pd (total: %u), 4.18+
    for (const n of h.node_online_map.bits()) p(`    Node ${n}: ${domain_node_pages(d, n)}`);
    if (d.vnuma !== null) for (const line of dump_vnuma(d.vnuma, d.max_vcpus)) p(line);
  }
}

/** Port of dump_heap (xen/common/page_alloc.c), the 'H' key; x86 has no LLC colouring heap. */
function dump_heap(xen: Xen): void {
  const p = (s: string): void => xen.console.printk(`${s}\n`);
  p(`'H' pressed -> dumping heap info (now = ${xen.clock.now_ns()})`);
  // Nodes without heap metadata (avail[node] NULL) are skipped; every zone of the others is listed.
  for (let n = 0; n < MAX_NUMNODES; n++) xen.heap.avail[n]?.forEach((pages, zone) => p(`heap[node=${n}][zone=${zone}] -> ${pages} pages`));
  for (let n = 0; n < MAX_NUMNODES; n++) {
    const dirty = xen.heap.node_need_scrub(n);
    if (dirty !== 0) p(`Node ${n} has ${dirty} unscrubbed pages`);
  }
}

/** The vNUMA part of dump_numa: each vnode's pnode, its vCPUs as runs ("a-b " or "a "; the
 *  last run gets no trailing space, and a last lone vCPU nothing after it), then its ranges. */
function dump_vnuma(v: VnumaInfo, max_vcpus: number): string[] {
  const lines = [`     ${v.nr_vnodes} vnodes, ${max_vcpus} vcpus, guest physical layout:`];
  const pad3 = (n: number): string => String(n).padStart(3, ' ');
  const hex16 = (b: bigint): string => b.toString(16).padStart(16, '0');
  for (let i = 0; i < v.nr_vnodes; i++) {
    const pnode = v.vnode_to_pnode[i]!;
    let line = `       ${pad3(i)}: pnode ${pnode === NUMA_NO_NODE ? '???' : pad3(pnode)}, vcpus `;
    let start = -1;
    let j = 0;
    for (; j < max_vcpus; j++) {
      if (v.vcpu_to_vnode[j] === i) {
        if (start < 0) {
          line += `${j}`;
          start = j;
        }
      } else if (start >= 0) {
        line += j - 1 !== start ? `-${j - 1} ` : ' ';
        start = -1;
      }
    }
    if (start >= 0 && start !== j - 1) line += `-${j - 1}`;
    lines.push(line);
    for (const r of v.vmemrange) if (r.nid === i) lines.push(`           ${hex16(r.start)} - ${hex16(r.end)}`);
  }
  return lines;
}

const HANDLERS: Record<string, (xen: Xen) => void> = {
  H: dump_heap,
  q: dump_domains,
  u: dump_numa,
};

/** Port of handle_keypress for each key in order; keys without a handler are ignored. */
export function handle_keypresses(xen: Xen, keys: readonly number[]): void {
  for (const k of keys) HANDLERS[String.fromCharCode(k)]?.(xen);
}

// Reads the host's NUMA state for the locality report: node sizes and free memory
// (xc_numainfo), CPUs per node (xc_cputopoinfo), every domain's pages per node
// (xc_domain_numa_get_node_pages), its vCPU 0 soft affinity and its xenstore name.
import { isXenError, xc_cpumap_alloc, xc_cpumap_testcpu, xc_cputopoinfo, xc_domain_getinfolist, xc_domain_numa_get_node_pages, xc_numainfo, xc_vcpu_getaffinity, type xc_cputopo_t, type xc_interface, type xc_meminfo_t } from '../../libxc/xenctrl.js';
import { xs_read, XBT_NULL, type xs_handle } from '../../libxenstore/xs.js';
import { XEN_VCPUAFFINITY } from '../../proto/public/domctl.js';
import type { DomainState, HostState, NodeState } from './report.js';

/** Bounds: domains listed per getdomaininfolist batch and in all; names longer than this are cut. */
const DOMAINS_PER_BATCH = 256;
const MAX_DOMAINS = 32768;
const MAX_NAME = 128;
const INVALID_NODE = 0xff;

async function readNodes(xch: xc_interface): Promise<NodeState[]> {
  const n = await xc_numainfo(xch, 0, null, null);
  const meminfo: xc_meminfo_t[] = new Array(n).fill(null).map(() => ({ memsize: 0n, memfree: 0n }));
  await xc_numainfo(xch, n, meminfo, null);
  const ncpus = await xc_cputopoinfo(xch, 0, null);
  const topo: xc_cputopo_t[] = new Array(ncpus).fill(null).map(() => ({ core: 0, socket: 0, node: INVALID_NODE }));
  await xc_cputopoinfo(xch, ncpus, topo);
  return meminfo.map((m, node) => ({
    node,
    size_pages: Number(m.memsize / 4096n),
    free_pages: Number(m.memfree / 4096n),
    cpus: topo.flatMap((t, cpu) => (t.node === node ? [cpu] : [])),
  }));
}

/** The node whose CPUs contain every CPU of `cpus`, when `cpus` is not every CPU of the host. */
export function nodeOfCpus(cpus: readonly number[], nodes: readonly NodeState[]): number | null {
  const all = nodes.reduce((s, n) => s + n.cpus.length, 0);
  if (cpus.length === 0 || cpus.length >= all) return null;
  const home = nodes.find((n) => cpus.every((c) => n.cpus.includes(c)));
  return home === undefined ? null : home.node;
}

async function softCpus(xch: xc_interface, domid: number): Promise<number[]> {
  const soft = await xc_cpumap_alloc(xch);
  try {
    await xc_vcpu_getaffinity(xch, domid, 0, null, soft, XEN_VCPUAFFINITY.SOFT);
  } catch (e) {
    if (isXenError(e)) return []; // no vCPU 0 yet (a domain still being built)
    throw e;
  }
  return Array.from({ length: soft.length * 8 }, (_, i) => i).filter((i) => xc_cpumap_testcpu(i, soft));
}

async function readDomain(xch: xc_interface, xsh: xs_handle | null, domid: number, tot_pages: number, nodes: readonly NodeState[]): Promise<DomainState> {
  const pages = new Array<number>(nodes.length).fill(0);
  await xc_domain_numa_get_node_pages(xch, domid, nodes.length, pages);
  const name = xsh === null ? null : await xs_read(xsh, XBT_NULL, `/local/domain/${domid}/name`).catch(() => null);
  return { domid, name: name === null ? null : name.slice(0, MAX_NAME), tot_pages, node_pages: pages, affinity_node: nodeOfCpus(await softCpus(xch, domid), nodes) };
}

/** Every domain, ascending domid; `only` limits the per-domain queries to those domids. */
export async function readHostState(xch: xc_interface, xsh: xs_handle | null, only?: ReadonlySet<number>): Promise<HostState> {
  const nodes = await readNodes(xch);
  const domains: DomainState[] = [];
  for (let first = 0; domains.length < MAX_DOMAINS; ) {
    const batch = await xc_domain_getinfolist(xch, first, DOMAINS_PER_BATCH);
    for (const d of batch) {
      if (only !== undefined && !only.has(d.domain)) continue;
      try {
        domains.push(await readDomain(xch, xsh, d.domain, d.tot_pages, nodes));
      } catch (e) {
        if (!isXenError(e) || e.code !== 'ESRCH') throw e; // gone meanwhile
      }
    }
    if (batch.length < DOMAINS_PER_BATCH) break;
    first = batch[batch.length - 1]!.domain + 1;
  }
  return { nodes, domains };
}

// The per-domain, per-node locality report of `xenemu boot-storm` and `xenemu numa`: pure
// functions from a snapshot of the host (storm/host_state.ts reads it) to rows, totals and text.
// Definitions (docs/boot-storm.md): optimised as Xenctrlext.DomainNuma.state (xapi), spilled =
// pages off the node the toolstack intended.

/** One NUMA node of the host: size and free memory in pages, its CPUs. */
export interface NodeState {
  node: number;
  size_pages: number;
  free_pages: number;
  cpus: number[];
}

/** One domain as the host shows it: pages per node (xc_domain_numa_get_node_pages), the node its vCPU 0 soft affinity names. */
export interface DomainState {
  domid: number;
  name: string | null;
  tot_pages: number;
  node_pages: number[];
  /** The single node whose CPUs hold vCPU 0's whole soft affinity, when it is narrower than the host; else null. */
  affinity_node: number | null;
}

export interface HostState {
  nodes: NodeState[];
  domains: DomainState[];
}

/** A node counts toward xapi's "nodes" of a domain when it holds more than this many pages (Xenctrlext.DomainNuma.state). */
const XAPI_NODE_PAGES_THRESHOLD = 4096;

export interface DomainRow {
  domid: number | null;
  name: string;
  /** Nodes holding any page of the domain. */
  nodes: number[];
  node_pages: number[];
  pages: number;
  /** xapi's definition: nodes with > 4096 pages number one, or fewer than the host has. */
  optimised: boolean;
  /** Every page on one node. */
  single_node: boolean;
  /** The node the toolstack meant the domain for (its plan, else its soft affinity), or null. */
  intended_node: number | null;
  /** Pages not on intended_node (0 when there is none). */
  spilled_pages: number;
}

export interface VmRow extends DomainRow {
  memory_mib: number;
  vcpus: number;
  /** Why the VM did not start, or null. */
  error: string | null;
}

export interface Summary {
  vms: number;
  started: number;
  failed: number;
  on_one_node: number;
  optimised: number;
  spread: number;
  spilled_vms: number;
  spilled_pages: number;
  without_intended_node: number;
}

/** The row of a domain the host shows; `intended` overrides its soft-affinity node (the toolstack's own plan). */
export function domainRow(d: DomainState, hostNodes: number, intended: number | null = d.affinity_node): DomainRow {
  const nodes = d.node_pages.flatMap((p, n) => (p > 0 ? [n] : []));
  const pages = d.node_pages.reduce((s, p) => s + p, 0);
  const xapiNodes = d.node_pages.filter((p) => p > XAPI_NODE_PAGES_THRESHOLD).length;
  const on = intended === null ? 0 : (d.node_pages[intended] ?? 0);
  return {
    domid: d.domid,
    name: d.name ?? `Domain-${d.domid}`,
    nodes,
    node_pages: [...d.node_pages],
    pages,
    optimised: xapiNodes === 1 || xapiNodes < hostNodes,
    single_node: nodes.length === 1,
    intended_node: intended,
    spilled_pages: intended === null ? 0 : pages - on,
  };
}

/** A VM that failed to start: no pages anywhere. */
export function failedRow(name: string, memory_mib: number, vcpus: number, hostNodes: number, intended: number | null, error: string): VmRow {
  return { domid: null, name, nodes: [], node_pages: new Array<number>(hostNodes).fill(0), pages: 0, optimised: false, single_node: false, intended_node: intended, spilled_pages: 0, memory_mib, vcpus, error };
}

export function summarize(rows: readonly VmRow[]): Summary {
  const ok = rows.filter((r) => r.error === null);
  return {
    vms: rows.length,
    started: ok.length,
    failed: rows.length - ok.length,
    on_one_node: ok.filter((r) => r.single_node).length,
    optimised: ok.filter((r) => r.optimised).length,
    spread: ok.filter((r) => r.nodes.length > 1).length,
    spilled_vms: ok.filter((r) => r.spilled_pages > 0).length,
    spilled_pages: ok.reduce((s, r) => s + r.spilled_pages, 0),
    without_intended_node: ok.filter((r) => r.intended_node === null).length,
  };
}

/** Pages as MiB: whole numbers bare, else one decimal. */
export const mib = (pages: number): string => (pages / 256).toFixed(pages % 256 === 0 ? 0 : 1);

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i <= 1 ? c.padEnd(w[i]!) : c.padStart(w[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** The per-domain table: pages per node in MiB, the intended node, spill, and the verdicts. */
export function formatRows(rows: readonly (DomainRow & { error?: string | null })[], hostNodes: number): string {
  const header = ['ID', 'Name', ...Array.from({ length: hostNodes }, (_, n) => `node${n} MiB`), 'intended', 'spilled MiB', 'on nodes', 'optimised'];
  const body = rows.map((r) => {
    if (r.error !== undefined && r.error !== null) return [r.domid === null ? '-' : String(r.domid), r.name, ...r.node_pages.map(() => '-'), r.intended_node === null ? '-' : String(r.intended_node), '-', '-', `FAILED: ${r.error}`];
    return [
      String(r.domid),
      r.name,
      ...Array.from({ length: hostNodes }, (_, n) => mib(r.node_pages[n] ?? 0)),
      r.intended_node === null ? '-' : String(r.intended_node),
      mib(r.spilled_pages),
      r.nodes.join(',') || '-',
      r.optimised ? 'yes' : 'no',
    ];
  });
  return table(header, body);
}

export function formatSummary(s: Summary, wall_ms: number): string {
  return [
    `VMs: ${s.vms}; started ${s.started}, failed ${s.failed}`,
    `on one node: ${s.on_one_node} of ${s.started}; spread over several nodes: ${s.spread}; NUMA-optimised (xapi): ${s.optimised}`,
    `spilled off the intended node: ${s.spilled_pages} pages (${mib(s.spilled_pages)} MiB) in ${s.spilled_vms} VM(s); started with no intended node: ${s.without_intended_node}`,
    `wall time: ${(wall_ms / 1000).toFixed(2)} s`,
    '',
  ].join('\n');
}

/** Node sizes and free memory, one line each. */
export function formatNodes(nodes: readonly NodeState[]): string {
  return nodes.map((n) => `node${n.node}: ${mib(n.size_pages)} MiB, ${mib(n.free_pages)} MiB free, CPUs ${n.cpus.length}`).join('\n') + '\n';
}

// Shapes a storm's result (or a host snapshot) for people and machines: the terminal text, the
// JSON document, and the picture's input. Pure.
import { domainRow, formatNodes, formatRows, formatSummary, type DomainRow, type HostState, type NodeState, type Summary, type VmRow } from './report.js';
import type { SvgInput } from './svg.js';

/** What bootStorm returns, as far as output needs it. */
export interface StormOutputInput {
  host: string;
  toolstack: string;
  claims: string;
  seed: number;
  concurrency: number;
  nodes: NodeState[];
  vms: VmRow[];
  /** Every other domain (dom0, VMs from before) with pages, for the picture. */
  others: { domid: number; name: string; node_pages: number[] }[];
  summary: Summary;
  wall_ms: number;
  steps: number;
}

export function stormTitle(s: StormOutputInput): string {
  return `boot storm on ${s.host}: ${s.vms.length} VMs via ${s.toolstack}, claims ${s.claims}, concurrency ${s.concurrency}, seed ${s.seed}`;
}

export function stormText(s: StormOutputInput): string {
  return `${stormTitle(s)}\n\n${formatRows(s.vms, s.nodes.length)}\n${formatNodes(s.nodes)}\n${formatSummary(s.summary, s.wall_ms)}`;
}

/** The JSON document of `boot-storm --json` (docs/boot-storm.md lists the fields). */
export function stormJson(s: StormOutputInput): object {
  return {
    host: s.host,
    toolstack: s.toolstack,
    claims: s.claims,
    seed: s.seed,
    concurrency: s.concurrency,
    nodes: s.nodes,
    vms: s.vms,
    others: s.others,
    summary: s.summary,
    wall_ms: Math.round(s.wall_ms),
    steps: s.steps,
  };
}

export function stormSvgInput(s: StormOutputInput): SvgInput {
  const ok = s.vms.filter((v) => v.error === null && v.domid !== null);
  return {
    title: stormTitle(s),
    subtitle: `on one node ${s.summary.on_one_node}/${s.summary.started}; spilled ${(s.summary.spilled_pages / 256).toFixed(0)} MiB in ${s.summary.spilled_vms} VM(s); failed ${s.summary.failed}`,
    nodes: s.nodes,
    domains: [
      ...s.others.map((o) => ({ domid: o.domid, name: o.name, node_pages: o.node_pages, intended_node: null, kind: 'other' as const })),
      ...ok.map((v) => ({ domid: v.domid!, name: v.name, node_pages: v.node_pages, intended_node: v.intended_node, kind: 'vm' as const })),
    ],
  };
}

/** `xenemu numa`: every domain's row, the intended node read from its vCPU 0 soft affinity. */
function numaRows(h: HostState): DomainRow[] {
  return h.domains.map((d) => domainRow(d, h.nodes.length));
}

export function numaText(h: HostState): string {
  return `${formatRows(numaRows(h), h.nodes.length)}\n${formatNodes(h.nodes)}`;
}

export function numaJson(h: HostState): object {
  return { nodes: h.nodes, domains: numaRows(h) };
}

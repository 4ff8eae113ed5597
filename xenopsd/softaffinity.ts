// xenopsd's NUMA plan (xapi-project/xen-api ocaml/xenopsd/lib/softaffinity.ml): the first node sets, in
// candidate order, that satisfy a VM, narrowed to the same average distance, then NUMA.choose by usage.
import { type CPUSet, InvalidArgument, NUMARequest, NUMAResource, type NUMA, type NUMACandidate } from './topology.js';

/** A plan that satisfies the request: its average distance, nodes in DESCENDING order (as OCaml's
 *  picked list is built by consing), and the union of their resources. */
export interface ValidPlan {
  readonly avg: number;
  readonly picked: number[];
  readonly allocated: NUMAResource;
}

/** Port of plan_valid (Softaffinity.plan): allocate the candidate's nodes in ascending order, shrinking
 *  the request; valid iff nothing remains (fits remaining empty). */
export function plan_valid(nodes: readonly NUMAResource[], vm: NUMARequest, cand: NUMACandidate): ValidPlan | null {
  let allocated = NUMAResource.empty;
  const picked: number[] = [];
  let remaining = vm;
  for (const node of cand.nodes) {
    const r = nodes[node];
    if (r === undefined) throw new InvalidArgument('index out of bounds'); // nodes.(nodeidx) in OCaml
    remaining = NUMARequest.shrink(remaining, r);
    allocated = NUMAResource.union(allocated, r);
    picked.unshift(node);
  }
  if (!NUMARequest.fits(remaining, NUMAResource.empty)) return null;
  return { avg: cand.avg, picked, allocated };
}

/** The average-distance window of take_same_distance. */
export const SAME_DISTANCE_EPSILON = 1e-3;

/** Port of take_same_distance (Softaffinity.plan): the first plan, then following plans while their avg is
 *  within 1e-3 of the first one's, stopping at the first that is not. Lazy, as the OCaml Seq. */
export function* take_same_distance(plans: Iterable<ValidPlan>): Generator<readonly [number[], NUMAResource]> {
  let first: number | undefined;
  for (const p of plans) {
    if (first === undefined) first = p.avg;
    else if (!(Math.abs(p.avg - first) < SAME_DISTANCE_EPSILON)) return;
    yield [p.picked, p.allocated] as const;
  }
}

/** Port of the candidate filter in Softaffinity.plan (NUMA.candidates |> Seq.filter_map plan_valid), lazily. */
function* valid_plans(host: NUMA, nodes: readonly NUMAResource[], vm: NUMARequest): Generator<ValidPlan> {
  for (const c of host.candidates()) {
    const p = plan_valid(nodes, vm, c);
    if (p !== null) yield p;
  }
}

/** Port of Softaffinity.plan host nodes ~vm: nodes[i] is node i's resource now (not mutated). Returns the
 *  chosen CPU set and the nodes (descending), or null when no candidate fits; bumps the chosen nodes' usage. */
export function plan(host: NUMA, nodes: readonly NUMAResource[], vm: NUMARequest): { affinity: CPUSet; nodes: number[] } | null {
  const chosen = host.choose(take_same_distance(valid_plans(host, nodes, vm)));
  if (chosen === null) return null;
  // OCaml asserts this; it fails only if the given resources share CPUs (union then counts them once).
  if (!NUMARequest.fits(vm, chosen.resource)) throw new Error('Assert_failure: Softaffinity.plan: NUMARequest.fits vm allocated');
  return { affinity: chosen.resource.affinity, nodes: chosen.nodes };
}

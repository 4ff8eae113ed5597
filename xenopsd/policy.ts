// xenopsd's host NUMA affinity policy (xapi-project/xen-api ocaml/xapi-idl/xen/xenops_interface.ml
// Host.numa_affinity_policy; ocaml/xenopsd/lib/xenops_server.ml and xc/xenops_server_xen.ml for the rest).
import { InvalidArgument } from './topology.js';

/** Port of Host.numa_affinity_policy (xenops_interface.ml). */
export type numa_affinity_policy = 'Any' | 'Best_effort' | 'Best_effort_hard' | 'Prio_mem_only';

/** Port of Xenops_server.affinity: how the planned CPU set is applied to the vCPUs. */
export type affinity = 'Soft' | 'Hard';

export const NUMA_AFFINITY_POLICIES: readonly numa_affinity_policy[] = ['Any', 'Best_effort', 'Best_effort_hard', 'Prio_mem_only'];

const NAMES: Readonly<Record<numa_affinity_policy, string>> = {
  Any: 'any',
  Best_effort: 'best-effort',
  Best_effort_hard: 'best-effort-hard',
  Prio_mem_only: 'prio-mem-only',
};

/** Port of string_of_numa_affinity_policy (xenops_server.ml). */
export function string_of_numa_affinity_policy(p: numa_affinity_policy): string {
  return NAMES[p];
}

/** The inverse of string_of_numa_affinity_policy (xenopsd has none; ours, for configuration and the CLI). */
export function numa_affinity_policy_of_string(s: string): numa_affinity_policy {
  const p = NUMA_AFFINITY_POLICIES.find((q) => NAMES[q] === s);
  if (p === undefined) throw new InvalidArgument(`unknown NUMA affinity policy ${JSON.stringify(s.slice(0, 64))} (expected one of ${Object.values(NAMES).join(', ')})`);
  return p;
}

/** Port of affinity_of_numa_affinity_policy: hard pinning only for Best_effort_hard. */
export function affinity_of_numa_affinity_policy(p: numa_affinity_policy): affinity {
  return p === 'Best_effort_hard' ? 'Hard' : 'Soft';
}

/** Port of cores_of_numa_affinity_policy: a physical core per vCPU, except for Any and Prio_mem_only. */
export function cores_of_numa_affinity_policy(p: numa_affinity_policy, vcpus: number): number {
  return p === 'Any' || p === 'Prio_mem_only' ? 0 : vcpus;
}

/** xenopsd.conf knobs numa-placement (default true) and numa-best-effort-prio-mem-only (default false), xenopsd.ml. */
export interface NumaPolicyConfig {
  numa_placement_compat: boolean;
  numa_best_effort_prio_mem_only: boolean;
}

/** Port of the default policy set at startup (xenops_server_xen.ml init): compat ⇒ Best_effort (or Prio_mem_only), else Any. */
export function default_numa_affinity_policy(
  conf: NumaPolicyConfig = { numa_placement_compat: true, numa_best_effort_prio_mem_only: false },
): numa_affinity_policy {
  if (!conf.numa_placement_compat) return 'Any';
  return conf.numa_best_effort_prio_mem_only ? 'Prio_mem_only' : 'Best_effort';
}

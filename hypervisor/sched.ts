// vCPU placement and the automatic node affinity (xen/common/sched/core.c).
import { Bitmap } from './bitmap.js';
import type { Domain, Vcpu } from './domain.js';
import type { Host } from './host.js';
import { cpuid } from './ids.js';
import { MAX_NUMNODES } from './numa.js';

/**
 * Port of sched_init_vcpu with sched_select_initial_cpu: hard = soft = all, and the vCPU goes
 * on the first CPU (vCPU 0) or the next after the previous vCPU's (cpumask_cycle), among the
 * pool's CPUs on the domain's affinity nodes, or among all the pool's if there are none. The
 * scheduler's own re-pick at insertion (csched2_unit_insert) is not modelled.
 */
export function sched_init_vcpu(host: Host, pool: Bitmap, d: Domain, vcpu_id: number): Vcpu {
  const onNodes = new Bitmap(host.nr_cpu_ids);
  for (const n of d.node_affinity.bits()) for (const c of host.node_to_cpumask[n]?.bits() ?? []) onNodes.set(c);
  let candidates = onNodes.and(pool);
  if (candidates.isEmpty()) candidates = pool;
  const prev = d.vcpu[vcpu_id - 1];
  const processor = prev === undefined ? candidates.first() : candidates.cycle(prev.processor);
  return {
    vcpu_id,
    processor: cpuid(processor),
    cpu_hard_affinity: Bitmap.full(host.nr_cpu_ids),
    cpu_soft_affinity: Bitmap.full(host.nr_cpu_ids),
    soft_aff_effective: false,
    online: false, // VPF_down until the guest brings it up (vcpu_create)
    blocked: false,
    is_running: false,
    cpu_time: 0n,
    running_since: 0n,
  };
}

/** The vCPU's running time at `now` (runstate RUNSTATE_running time, ns). */
export function vcpu_runtime(v: Vcpu, now: bigint): bigint {
  return v.cpu_time + (v.is_running ? now - v.running_since : 0n);
}

/**
 * The domain's vCPUs start or stop running with the controller pause count. There is no guest
 * to bring vCPUs up, so at the first unpause every vCPU comes online (a guest that boots all
 * its CPUs at once), and while unpaused every online vCPU runs, one pCPU each: the emulator
 * models no contention.
 */
export function domain_set_running(d: Domain, running: boolean, now: bigint): void {
  for (const v of d.vcpu) {
    if (running) {
      v.online = true;
      if (!v.is_running) {
        v.is_running = true;
        v.blocked = false;
        v.running_since = now;
      }
    } else if (v.is_running) {
      v.cpu_time = vcpu_runtime(v, now);
      v.is_running = false;
    }
  }
}

/**
 * Port of domain_update_node_aff: in automatic mode the node affinity becomes the nodes of the
 * CPUs the vCPUs may use (soft within hard within the pool; hard alone if soft misses).
 * Without vCPUs, or in explicit mode, nothing changes.
 */
export function domain_update_node_aff(host: Host, pool: Bitmap, d: Domain): void {
  if (d.vcpu.length === 0 || !d.auto_node_affinity) return;
  const hard = new Bitmap(host.nr_cpu_ids);
  const soft = new Bitmap(host.nr_cpu_ids);
  for (const v of d.vcpu) {
    for (const c of v.cpu_hard_affinity.bits()) hard.set(c);
    for (const c of v.cpu_soft_affinity.bits()) soft.set(c);
  }
  const H = hard.and(pool);
  const S = soft.and(H);
  const D = S.isEmpty() ? H : S;
  const nodes = new Bitmap(MAX_NUMNODES);
  for (const c of D.bits()) nodes.set(host.cpu_to_node(cpuid(c)));
  d.node_affinity = nodes;
}


// struct domain and struct vcpu (xen/include/xen/sched.h), as far as this issue needs them.
import { Bitmap } from './bitmap.js';
import type { CpuId, DomId, NodeId } from './ids.js';
import { MAX_NUMNODES } from './numa.js';

export type DomDying = 'alive' | 'dying' | 'dead';

export interface Vcpu {
  vcpu_id: number;
  processor: CpuId;
  /** The sched unit's masks (one unit per vCPU with sched-gran=cpu), nr_cpu_ids bits. */
  cpu_hard_affinity: Bitmap;
  cpu_soft_affinity: Bitmap;
  /** hard is not a subset of soft, and soft and hard intersect (sched_set_affinity). */
  soft_aff_effective: boolean;
  /** !VPF_down */
  online: boolean;
  /** VPF_blocked */
  blocked: boolean;
  is_running: boolean;
  /** Running time accumulated up to running_since, ns. */
  cpu_time: bigint;
  /** NOW() when the vCPU last started running (meaningful while is_running). */
  running_since: bigint;
}

export interface Domain {
  domain_id: DomId;
  handle: Uint8Array;
  ssidref: number;
  is_privileged: boolean;
  /** The domain this one is device model for (d->target, XEN_DOMCTL_set_target), if any. */
  target: Domain | null;
  is_hvm: boolean;
  hap: boolean;
  max_vcpus: number;
  vcpu: Vcpu[];
  /** XEN_DOMCTL_CDF_* the domain was created with. */
  cdf: number;
  tot_pages: number;
  max_pages: number;
  outstanding_pages: number;
  /** Pages the domain owns on each node (what debug key 'u' walks page_list for). */
  node_pages: number[];
  node_affinity: Bitmap;
  auto_node_affinity: boolean;
  last_alloc_node: NodeId;
  cpupool: number;
  is_dying: DomDying;
  controller_pause_count: number;
  creation_finished: boolean;
  gpaddr_bits: number;
}

export function newDomain(id: DomId, max_vcpus: number, last_alloc_node: NodeId): Domain {
  return {
    domain_id: id,
    handle: new Uint8Array(16),
    ssidref: 0,
    is_privileged: false,
    target: null,
    is_hvm: false,
    hap: false,
    max_vcpus,
    vcpu: [],
    cdf: 0,
    tot_pages: 0,
    max_pages: 0,
    outstanding_pages: 0,
    node_pages: new Array<number>(MAX_NUMNODES).fill(0),
    node_affinity: Bitmap.full(MAX_NUMNODES), // NODE_MASK_ALL (domain_create)
    auto_node_affinity: true,
    last_alloc_node,
    cpupool: 0,
    is_dying: 'alive',
    controller_pause_count: 0,
    creation_finished: false,
    gpaddr_bits: 0,
  };
}

// struct domain and struct vcpu (xen/include/xen/sched.h), as far as this issue needs them.
import { Bitmap } from './bitmap.js';
import { nodeid, type CpuId, type DomId, type NodeId } from './ids.js';
import { MAX_NUMNODES, NUMA_NO_NODE } from './numa.js';
import type { P2m } from './p2m.js';
import { RangeSet } from './rangeset.js';
import type { VnumaInfo } from './vnuma.js';

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
  /** domain_tot_pages(d): pages the domain owns and is charged for. */
  tot_pages: number;
  max_pages: number;
  /** The domain's claim (d->outstanding_pages). */
  outstanding_pages: number;
  /** XenServer node claims: the claimed node, NUMA_NO_NODE for a host-wide claim. */
  claim_node: NodeId;
  /** Claim sets: the part of the claim on each node (d->claims[]). */
  node_claims: number[];
  /** The frames the domain owns on each node (its page_list, as runs). */
  owned: RangeSet[];
  /** GFN -> MFN for a translated (HVM) guest; null for PV, whose GMFNs are MFNs. */
  p2m: P2m | null;
  /** d->vnuma: set by XEN_DOMCTL_setvnumainfo, dropped at death. */
  vnuma: VnumaInfo | null;
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
    claim_node: nodeid(NUMA_NO_NODE),
    node_claims: new Array<number>(MAX_NUMNODES).fill(0),
    owned: Array.from({ length: MAX_NUMNODES }, () => new RangeSet()),
    p2m: null,
    vnuma: null,
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

/** The pages d owns on `node` (what dump_numa counts walking d->page_list). */
export function domain_node_pages(d: Domain, node: number): number {
  return d.owned[node]?.total ?? 0;
}

// Seeded simulation of the memory subsystem, in the engine (no gRPC): random mixes of domctl
// (createdomain, max_mem, setnodeaffinity, unpausedomain, destroydomain) and memory_op
// (populate_physmap, increase/decrease_reservation, claim_pages) hypercalls, continuations
// interleaved with other calls, and clock advances that run the idle scrubber; hosts booted with
// node_claims 'claim-sets' also get XEN_DOMCTL_claim_memory (the proposed v7 claim sets,
// reference 10.5) SET/GET calls, checked against domain_set_claim_entries and with the per-node
// claim accounting checked after every step. After every step
// it checks the heap's and the domains' invariants, and each transition against the Xen rule
// that governs it (ENGINEERING.md "Seeded simulation"). "Reference n.m" cites a section of the
// project's Xen ABI reference (xen-hypervisor.md: 2 domctl, 4 memory_op, 7 page allocator,
// 10.5 claim sets).
// A failure names its seed, step and op so that it replays.
//
// Used by test/memory.sim.test.ts (a bounded number of seeds in CI) and run directly by
// `npm run sim` (node bin/run-ts.js test/memory_sim.ts) for many more:
//   SIM_SEEDS=500 SIM_STEPS=2000 npm run sim        # seeds 1..500, presets by seed
//   SIM_SEED=42 SIM_PRESET=2node SIM_STEPS=300 npm run sim   # replay one seed
//   SIM_SEED=42 SIM_MINIMIZE=1 npm run sim           # and shrink its failing op list
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ManualClock, SeededRng } from '../hypervisor/clock.js';
import { CONTINUATION } from '../hypervisor/continuation.js';
import type { Domain } from '../hypervisor/domain.js';
import { GuestHandle } from '../hypervisor/guest_handle.js';
import type { xen_domctl_claim_memory, xen_memory_claim } from '../hypervisor/domctl_memory.js';
import type { Hypercall } from '../hypervisor/hypercall.js';
import { DOMID_ANY, DOMID_FIRST_RESERVED, DOMID_SELF, domid } from '../hypervisor/ids.js';
import { MAX_NUMNODES, NUMA_NO_NODE } from '../hypervisor/numa.js';
import type { NodeClaimsMode } from '../hypervisor/page_alloc.js';
import { presetTopology } from '../hypervisor/presets.js';
import { XEN_DOMCTL, XEN_DOMCTL_INTERFACE_VERSION, type xen_domctl } from '../hypervisor/public/domctl.js';
import type { xen_memory_op } from '../hypervisor/public/memory.js';
import { HYPERVISOR } from '../hypervisor/public/xen.js';
import { DEFAULT_SCRUB_RATE_PAGES_PER_S, IDLE_SCRUB_TICK_NS, Xen, type XenBootOptions } from '../hypervisor/xen.js';
import type { xen_domctl_createdomain } from '../proto/public/domctl.js';
import { errnoName, neg } from '../proto/public/errno.js';
import { XEN_DOMCTL_CLAIM_MEMORY_GET, XEN_DOMCTL_CLAIM_MEMORY_HOST, XEN_DOMCTL_CLAIM_MEMORY_LEGACY, XEN_DOMCTL_CLAIM_MEMORY_SET } from '../proto/public/domctl_memory.js';
import { MEMOP_EXTENT_SHIFT, MEMOP_MAX_EXTENTS, XENMEM } from '../proto/public/memory.js';
import {
  XENMEMF_exact_node,
  XENMEMF_exact_node_request,
  XENMEMF_get_address_bits,
  XENMEMF_get_node,
  XENMEMF_node,
  XENMEMF_populate_on_demand,
  XENMEMF_vnode,
} from '../proto/public/xenmem_flags.js';

// ---------------------------------------------------------------------------------------------
// Constants (each with where it comes from)

/** MAX_ORDER on x86 (CONFIG_PAGEALLOC_MAX_ORDER, reference 7.1). */
const MAX_ORDER = 18;
/** NR_ZONES on x86 (reference 7.1); MEMZONE_XEN (zone 0) is empty. */
const NR_ZONES = 41;
/** GFNs a p2m can map in the engine (hypervisor/memory.ts P2M_MAX_GFNS: 52 address bits). */
const P2M_MAX_GFNS = 2 ** 40;
/** struct domain's max_pages is 32-bit: XEN_DOMCTL_max_mem caps at 0xFFFFFFFF (reference 2.10). */
const MAX_PAGES_CAP = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;
/** Ours: how many extents one increase_reservation may be generated to allocate, so that a
 *  huge nr_extents with a NULL list (nothing bounds the loop but memory) stays fast. */
const INCREASE_WORK_CAP = 2048;
/** Ours: live domUs beyond which createdomain becomes rare (the checks walk every domain). */
const SOFT_DOMAIN_LIMIT = 16;
/** Ours: the longest guest list a generated call carries. */
const MAX_LIST = 64;
/** Ours: the ops kept for a failure report. */
const HISTORY = 12;
/** XEN_DOMCTL_MAX_CLAIMS of the v7 claim sets: one entry per node plus the host entry
 *  (reference 10.5: SET with more is -E2BIG, GET clamps to it). */
const MAX_CLAIM_ENTRIES = MAX_NUMNODES + 1;

// ---------------------------------------------------------------------------------------------
// Randomness

/** Draws on mulberry32 (hypervisor/clock.ts SeededRng): integers, picks, weights, biases. */
export class Draw {
  private readonly rng: SeededRng;

  constructor(seed: number) {
    this.rng = new SeededRng(seed);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.rng.next_u32() / 2 ** 32;
  }

  /** Uniform integer in [0, n) for n up to 2^53. */
  int(n: number): number {
    if (n <= 1) return 0;
    if (n <= 2 ** 32) return Math.floor(this.float() * n);
    return Math.floor((this.rng.next_u32() * 2 ** 21 + (this.rng.next_u32() >>> 11)) / 2 ** 53 * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** A key of `w` with probability proportional to its weight (all zero: the first key). */
  weighted<K extends string>(w: Readonly<Record<K, number>>): K {
    const keys = Object.keys(w) as K[];
    const total = keys.reduce((s, k) => s + w[k], 0);
    let x = this.float() * total;
    for (const k of keys) {
      x -= w[k];
      if (x < 0) return k;
    }
    return keys[0]!;
  }

  /** 2^k, 2^k - 1 or 2^k + 1 for k in [0, maxBits], within [0, 2^53 - 1]. */
  pow2ish(maxBits: number): number {
    const p = 2 ** this.int(maxBits + 1);
    const v = this.pick([p, p, p - 1, p + 1]);
    return Math.min(Math.max(v, 0), Number.MAX_SAFE_INTEGER);
  }
}

// ---------------------------------------------------------------------------------------------
// Configuration

export const SMALL_PRESETS = ['1node', '2node', '4node', '8node-amd'] as const;

const OP_KINDS = ['create', 'destroy', 'max_mem', 'claim', 'populate', 'increase', 'decrease', 'nodeaff', 'unpause', 'clock', 'slice', 'cont'] as const;
/** XEN_DOMCTL_claim_memory (v7 claim sets): only on hosts booted with node_claims 'claim-sets'.
 *  Weighed after OP_KINDS so that the other seeds' plans draw as before. */
type OpKind = (typeof OP_KINDS)[number] | 'claimset';
const BASE_WEIGHTS: Record<OpKind, number> = {
  create: 6,
  destroy: 3,
  max_mem: 5,
  claim: 5,
  populate: 12,
  increase: 4,
  decrease: 8,
  nodeaff: 3,
  unpause: 1,
  clock: 4,
  slice: 3,
  cont: 3,
  claimset: 6,
};

export interface SimConfig {
  seed: number;
  steps: number;
  /** A preset name (hypervisor/presets.ts); default: chosen by the seed among SMALL_PRESETS. */
  preset?: string;
  /** Print each step (SIM_TRACE=1). */
  trace?: boolean;
}

/** Everything the seed decides before the first step. */
export interface SimPlan {
  seed: number;
  preset: string;
  boot: {
    node_claims: NodeClaimsMode;
    dom0_mem: string;
    bootscrub: 'idle' | 'on' | 'off';
    scrub_rate_pages_per_s: number;
    preempt_budget: { extents: number; pages: number } | null;
    memop_max_order_domu: number | null;
  };
  /** Memory pressure: more 1 GiB extents, so that hosts run out and claims gate allocations. */
  pressure: boolean;
  weights: Record<OpKind, number>;
}

/** The boot options and op mix of a seed: each seed weighs the ops differently. */
export function planFor(cfg: SimConfig): SimPlan {
  const r = new Draw(cfg.seed ^ 0x5eed5eed);
  // Drawn even when the preset is given, so that a seed replays the same plan either way.
  const drawn = r.pick(SMALL_PRESETS);
  const preset = cfg.preset ?? drawn;
  const weights: Record<OpKind, number> = { ...BASE_WEIGHTS, claimset: 0 };
  for (const k of OP_KINDS) {
    const f = r.pick([0, 0.25, 0.5, 1, 1, 2, 4]);
    // Without creates, max_mem and populates nothing happens: those never drop to 0.
    weights[k] = BASE_WEIGHTS[k] * (f === 0 && (k === 'populate' || k === 'create' || k === 'max_mem') ? 0.25 : f);
  }
  const plan: SimPlan = {
    seed: cfg.seed,
    preset,
    boot: {
      node_claims: r.chance(0.2) ? 'xenserver' : 'off',
      dom0_mem: r.pick(['4096M', '4096M', '1G', '256M']),
      bootscrub: r.pick(['idle', 'idle', 'idle', 'on', 'off'] as const),
      scrub_rate_pages_per_s: r.pick([DEFAULT_SCRUB_RATE_PAGES_PER_S, DEFAULT_SCRUB_RATE_PAGES_PER_S, 1 << 10, 1 << 24]),
      preempt_budget: r.chance(0.5) ? null : { extents: r.pick([1, 2, 3, 8]), pages: 2 ** r.pick([0, 4, 9, 12, 18]) },
      memop_max_order_domu: r.chance(0.1) ? r.pick([0, 12, 18]) : null,
    },
    weights,
    pressure: r.chance(0.4),
  };
  // Drawn last, so that the earlier draws of every seed stay as they were: some upstream-mode
  // hosts emulate the v7 claim sets instead (reference 10.5), and only they get claim-set ops.
  if (plan.boot.node_claims === 'off' && r.chance(0.3)) plan.boot.node_claims = 'claim-sets';
  const f = r.pick([0.5, 1, 2]);
  weights.claimset = plan.boot.node_claims === 'claim-sets' ? BASE_WEIGHTS.claimset * f : 0;
  return plan;
}

function bootXen(plan: SimPlan, clock: ManualClock): Xen {
  const topology = presetTopology(plan.preset);
  if (topology === undefined) throw new Error(`memory sim: no preset ${plan.preset}`);
  const b = plan.boot;
  const o: XenBootOptions = {
    topology,
    clock,
    rng: new SeededRng(plan.seed),
    dom0_mem: b.dom0_mem,
    bootscrub: b.bootscrub,
    scrub_rate_pages_per_s: b.scrub_rate_pages_per_s,
    node_claims: b.node_claims,
  };
  if (b.preempt_budget !== null) o.preempt_budget = b.preempt_budget;
  if (b.memop_max_order_domu !== null) o.memop_max_order = { domu: b.memop_max_order_domu };
  return new Xen(o);
}

// ---------------------------------------------------------------------------------------------
// Ops: concrete, so that a recorded list replays without the generator

interface ResArgs {
  caller: number;
  domid: number;
  nr_extents: number;
  extent_order: number;
  mem_flags: number;
  /** extent_start: null = a NULL handle. */
  list: number[] | null;
}

export type SimOp =
  | { kind: 'create'; caller: number; domid: number; flags: number; max_vcpus: number }
  | { kind: 'destroy'; caller: number; domid: number }
  | { kind: 'max_mem'; caller: number; domid: number; max_memkb: bigint }
  | { kind: 'nodeaff'; caller: number; domid: number; nr_bits: number; bitmap: number[] | null }
  | { kind: 'unpause'; caller: number; domid: number }
  | ({ kind: 'claim' } & ResArgs)
  /** A reservation op; with `ref` it runs one slice at a time (see 'cont'). */
  | ({ kind: 'res'; sub: number; ref: number | null } & ResArgs)
  | { kind: 'cont'; ref: number }
  | { kind: 'clock'; ns: bigint }
  /** XEN_DOMCTL_claim_memory; entries: the claim_set buffer, null = a NULL handle. */
  | { kind: 'claimset'; caller: number; domid: number; mode: number; nr_entries: number; entries: xen_memory_claim[] | null };

const SUB_NAME: Record<number, string> = { [XENMEM.increase_reservation]: 'increase', [XENMEM.decrease_reservation]: 'decrease', [XENMEM.populate_physmap]: 'populate' };

export function describeOp(op: SimOp): string {
  const json = JSON.stringify(op, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return op.kind === 'res' ? `${SUB_NAME[op.sub] ?? op.sub} ${json}` : json;
}

// ---------------------------------------------------------------------------------------------
// Failures

export class SimFailure extends Error {
  /** The ops generated up to the failure (set by runSim), for replay and minimize. */
  ops: SimOp[] = [];

  constructor(
    readonly invariant: string,
    readonly detail: string,
    readonly plan: SimPlan,
    readonly step: number,
    readonly op: SimOp | null,
    readonly history: readonly string[],
  ) {
    super(
      `memory sim: ${invariant}: ${detail}\n` +
        `  seed=${plan.seed} preset=${plan.preset} step=${step} op=${op === null ? '(boot)' : describeOp(op)}\n` +
        `  boot=${JSON.stringify(plan.boot)}\n` +
        `  last ops:\n${history.map((h) => `    ${h}`).join('\n')}\n` +
        `  replay: SIM_SEED=${plan.seed} SIM_PRESET=${plan.preset} SIM_STEPS=${step + 1} npm run sim` +
        ` (or the same variables with npx vitest run test/memory.sim.test.ts); add SIM_MINIMIZE=1 to shrink`,
    );
  }
}

/** A broken invariant inside a check; the runner turns it into a SimFailure. */
class Broken extends Error {
  constructor(
    readonly invariant: string,
    readonly detail: string,
  ) {
    super(`${invariant}: ${detail}`);
  }
}

function ensure(cond: boolean, invariant: string, detail: () => string): void {
  if (!cond) throw new Broken(invariant, detail());
}

function fail(invariant: string, detail: string): never {
  throw new Broken(invariant, detail);
}

// ---------------------------------------------------------------------------------------------
// Small helpers over the engine's state (read only)

/** xen_domctl_createdomain as a toolstack sends it: `flags`, `max_vcpus`, every limit at its default. */
export const createdomainConfig = (flags: number, max_vcpus: number): xen_domctl_createdomain => ({
  ssidref: 0,
  handle: new Uint8Array(16),
  flags,
  iommu_opts: 0,
  max_vcpus,
  max_evtchn_port: 0,
  max_grant_frames: -1,
  max_maptrack_frames: -1,
  grant_opts: 0,
  altp2m_opts: 0,
  altp2m_nr: 0,
  vmtrace_size: 0,
  cpupool_id: 0,
  arch: { emulation_flags: 0, misc_flags: 0 },
});

const domctl = (cmd: number, domain: number, u: xen_domctl['u']): Hypercall & { args: xen_domctl } => ({
  op: HYPERVISOR.domctl,
  args: { cmd, interface_version: XEN_DOMCTL_INTERFACE_VERSION, domain, u },
});

const memop = (sub: number, a: ResArgs): Hypercall & { args: xen_memory_op } => ({
  op: HYPERVISOR.memory_op,
  args: {
    cmd: sub,
    arg: {
      kind: 'reservation',
      op: {
        extent_start: a.list === null ? GuestHandle.null<number>() : new GuestHandle<number>(a.list),
        nr_extents: a.nr_extents,
        extent_order: a.extent_order,
        mem_flags: a.mem_flags,
        domid: a.domid,
      },
    },
  },
});

/** The zone of an MFN (pfn_to_zone on x86: flsl(mfn), reference 7.1), computed exactly. */
function zoneOf(mfn: number): number {
  const hi = Math.floor(mfn / 2 ** 32);
  const fls = hi > 0 ? 64 - Math.clz32(hi) : 32 - Math.clz32(mfn >>> 0);
  return Math.min(Math.max(fls, 1), NR_ZONES - 1);
}

const ownedTotal = (d: Domain): number => d.owned.reduce((s, r) => s + r.total, 0);

/** Frames d owns at or above `mfn`. */
const ownedFrom = (d: Domain, mfn: number): number => d.owned.reduce((s, r) => s + r.countIn(mfn, Number.MAX_SAFE_INTEGER), 0);

/** Frames d owns outside `node`. */
const ownedOffNode = (d: Domain, node: number): number => d.owned.reduce((s, r, n) => s + (n === node ? 0 : r.total), 0);

/** Port of max_order (xen/common/memory.c) over the host's memop-max-order, for the caller. */
function maxOrderOf(xen: Xen, caller: Domain): number {
  const o = xen.memop_max_order;
  let order = o.domu;
  if (caller.is_privileged) order = Math.max(order, o.ctldom);
  if (caller.domain_id === 0) order = Math.max(order, o.hwdom);
  return Math.min(order, MAX_ORDER);
}

/** get_order_from_pages(max_page) + PAGE_SHIFT: address widths at or above it are ignored. */
function topAddressBits(xen: Xen): number {
  const p = xen.host.max_page;
  let order = 0;
  while (2 ** order < p) order++;
  return order + 12;
}

interface DomSnap {
  tot: number;
  max: number;
  outstanding: number;
  /** d.node_claims[] on claim-set hosts (null elsewhere). */
  claims: number[] | null;
}

function snapDomains(xen: Xen): Map<number, DomSnap> {
  const m = new Map<number, DomSnap>();
  const sets = xen.heap.node_claims_mode === 'claim-sets';
  for (const d of xen.domains_in_order()) m.set(d.domain_id, { tot: d.tot_pages, max: d.max_pages, outstanding: d.outstanding_pages, claims: sets ? d.node_claims.slice() : null });
  return m;
}

/** The heap's claim counters (outstanding_claims, node_claimed_pages[]). */
interface ClaimCounters {
  total: number;
  nodes: number[];
}

const snapClaimCounters = (xen: Xen): ClaimCounters => ({ total: xen.heap.outstanding_claims, nodes: xen.heap.node_claimed_pages.slice() });

const sumOf = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0);

/** The first index where two arrays differ, or -1. */
function firstDiff(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Invariants of the heap and the domains (after every step)

/** A run of frames and who holds it: a free block (owner -1, with its order) or a domain's run.
 *  Descriptions are built only when a check fails (the 16 TiB host has ~16k free blocks). */
interface Interval {
  s: number;
  e: number;
  owner: number;
  node: number;
}

const describeRun = (iv: Interval): string =>
  iv.owner < 0 ? `free block [${iv.s}, ${iv.e}) (order ${Math.log2(iv.e - iv.s)}) node ${iv.node}` : `d${iv.owner} owned [${iv.s}, ${iv.e}) node ${iv.node}`;

/** The node whose RAM holds all of [s, e), or -1 (binary search of the sorted RAM ranges). */
function ramNodeOf(xen: Xen, s: number, e: number): number {
  const rs = xen.host.ram_ranges;
  let lo = 0;
  let hi = rs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = rs[mid]!;
    if (s < r.start_mfn) hi = mid - 1;
    else if (s >= r.end_mfn) lo = mid + 1;
    else return e <= r.end_mfn ? r.node : -1;
  }
  return -1;
}

/** Pages each node keeps out of the heap at boot: only MFN 0 (init_heap_pages keeps it away
 *  from the buddy allocator so that no merge crosses a zone boundary, reference 7.1). */
function keptOutPages(xen: Xen): number[] {
  const out = new Array<number>(MAX_NUMNODES).fill(0);
  const n0 = xen.host.mfn_to_nid(0);
  if (n0 !== NUMA_NO_NODE) out[n0]! += 1;
  return out;
}

export function checkInvariants(xen: Xen): void {
  const heap = xen.heap;
  const host = xen.host;
  const kept = keptOutPages(xen);
  const doms = xen.domains_in_order();
  const freePerNode = new Array<number>(MAX_NUMNODES).fill(0);
  const freePerZone = new Array<number>(MAX_NUMNODES * NR_ZONES).fill(0);
  // Free blocks as mfn * 64 + order in a typed array (sorted natively: ~16k blocks on 64node).
  const freeKeys = new Float64Array(heap.free_blocks);
  const owned: Interval[] = [];
  let blocks = 0;

  for (const [mfn, order, node] of heap.blocks()) {
    const size = 2 ** order;
    const iv: Interval = { s: mfn, e: mfn + size, owner: -1, node };
    if (blocks < freeKeys.length) freeKeys[blocks] = mfn * 64 + order;
    blocks++;
    const zone = zoneOf(mfn);
    if (!Number.isSafeInteger(mfn) || !(order >= 0 && order <= MAX_ORDER)) fail('free block shape', describeRun(iv));
    if (mfn % size !== 0) fail('free blocks are naturally aligned (free_heap_pages)', describeRun(iv));
    if (mfn === 0) fail('MFN 0 never enters the heap (init_heap_pages)', describeRun(iv));
    if (ramNodeOf(xen, mfn, mfn + size) !== node) fail('a free block lies in RAM of its own node', describeRun(iv));
    if (zone !== zoneOf(mfn + size - 1)) fail('no free block crosses a zone boundary', describeRun(iv));
    freePerNode[node]! += size;
    const zk = node * NR_ZONES + zone;
    freePerZone[zk]! += size;
  }
  ensure(blocks === heap.free_blocks, 'blocks() yields every free block', () => `${blocks} yielded, free_blocks ${heap.free_blocks}`);

  // Domains: each owns what it is charged for, within RAM of the node it is recorded under.
  let claims = 0;
  const ownedPerNode = new Array<number>(MAX_NUMNODES).fill(0);
  const ids = new Set<number>();
  for (const d of doms) {
    const id = d.domain_id;
    ensure(!ids.has(id), 'domain ids are unique', () => `d${id} twice`);
    ids.add(id);
    ensure(d.is_dying === 'alive', 'listed domains are alive (domain_kill drops them at once here)', () => `d${id} ${d.is_dying}`);
    for (const [k, v] of [['tot_pages', d.tot_pages], ['max_pages', d.max_pages], ['outstanding_pages', d.outstanding_pages]] as const)
      ensure(Number.isSafeInteger(v) && v >= 0, `${k} is a non-negative integer`, () => `d${id} ${k}=${v}`);
    ensure(d.max_pages <= MAX_PAGES_CAP, 'max_pages fits 32 bits (XEN_DOMCTL_max_mem)', () => `d${id} max_pages=${d.max_pages}`);
    ensure(d.tot_pages === ownedTotal(d), 'tot_pages = pages the domain owns (assign_pages / free_domheap_pages)', () => `d${id} tot_pages=${d.tot_pages} owned=${ownedTotal(d)}`);
    d.owned.forEach((set, node) => {
      checkRuns(set, `d${id}.owned[${node}]`);
      ownedPerNode[node]! += set.total;
      for (const [s, e] of set) {
        const iv: Interval = { s, e, owner: id, node };
        if (ramNodeOf(xen, s, e) !== node) fail('owned frames lie in RAM of the node they are recorded under', describeRun(iv));
        if (s === 0) fail('MFN 0 is never a domain page', describeRun(iv));
        owned.push(iv);
      }
    });
    claims += d.outstanding_pages;
    checkP2m(d);
  }
  ensure(doms.some((d) => d.domain_id === 0), 'dom0 is alive', () => 'no domain 0');

  // No page has two owners: free blocks and every domain's runs are pairwise disjoint. One
  // sweep over both, in MFN order, also merges each node's free runs for the dirty check.
  freeKeys.sort();
  owned.sort((a, b) => a.s - b.s);
  const freeByNode: [number, number][][] = Array.from({ length: MAX_NUMNODES }, () => []);
  let prev: Interval | null = null;
  for (let i = 0, j = 0; i < freeKeys.length || j < owned.length; ) {
    let cur: Interval;
    if (j >= owned.length || (i < freeKeys.length && Math.floor(freeKeys[i]! / 64) < owned[j]!.s)) {
      const key = freeKeys[i++]!;
      const mfn = Math.floor(key / 64);
      const node = ramNodeOf(xen, mfn, mfn + 1);
      cur = { s: mfn, e: mfn + 2 ** (key % 64), owner: -1, node };
      const runs = freeByNode[node]!;
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === cur.s) last[1] = cur.e;
      else runs.push([cur.s, cur.e]);
    } else cur = owned[j++]!;
    if (prev !== null && prev.e > cur.s) fail('no page has two owners (heap free lists and domain page lists are disjoint)', `${describeRun(prev)} overlaps ${describeRun(cur)}`);
    prev = cur;
  }

  // Per-node and per-zone accounting.
  let sumNodeAvail = 0;
  for (let n = 0; n < MAX_NUMNODES; n++) {
    const nd = host.node_data[n];
    const avail = heap.avail[n];
    const nap = heap.node_avail_pages[n]!;
    sumNodeAvail += nap;
    if (nd === undefined) {
      ensure(avail === undefined && nap === 0 && freePerNode[n] === 0 && heap.node_need_scrub(n) === 0, 'a node without memory has no heap', () => `node ${n} node_avail_pages=${nap}`);
      continue;
    }
    ensure(avail !== undefined, 'a node with memory has avail[node]', () => `node ${n}`);
    const zones = avail!;
    const zoneSum = zones.reduce((s, v) => s + v, 0);
    ensure(zones[0] === 0, 'MEMZONE_XEN is empty on x86', () => `node ${n} avail[0]=${zones[0]}`);
    ensure(zoneSum === nap, 'sum of avail[node][zone] = node_avail_pages[node]', () => `node ${n}: zones ${zoneSum}, node_avail_pages ${nap}`);
    for (let z = 0; z < NR_ZONES; z++) {
      const listed = freePerZone[n * NR_ZONES + z]!;
      ensure(zones[z] === listed, 'avail[node][zone] = pages on that zone\'s free lists', () => `node ${n} zone ${z}: avail ${zones[z]}, on lists ${listed}`);
    }
    ensure(freePerNode[n] === nap, 'node_avail_pages = pages on the node\'s free lists', () => `node ${n}: lists ${freePerNode[n]}, node_avail_pages ${nap}`);
    const present = nd.node_present_pages - kept[n]!;
    ensure(
      (nap + ownedPerNode[n]!) === present,
      'free + allocated = present pages (less MFN 0), per node',
      () => `node ${n}: free ${nap} + allocated ${ownedPerNode[n]} = ${nap + ownedPerNode[n]!}, present ${nd.node_present_pages} - kept out ${kept[n]} = ${present}`,
    );
    const dirty = heap.node_need_scrub(n);
    ensure(dirty <= nap, 'node_need_scrub <= node_avail_pages', () => `node ${n}: need_scrub ${dirty}, avail ${nap}`);
    checkDirtyInFree(xen, n, freeByNode[n]!);
  }
  ensure(heap.total_avail_pages === sumNodeAvail, 'total_avail_pages = sum of node_avail_pages', () => `total ${heap.total_avail_pages}, sum ${sumNodeAvail}`);
  ensure(heap.outstanding_claims === claims, 'outstanding_claims = sum of domains\' outstanding_pages', () => `global ${heap.outstanding_claims}, sum ${claims}`);
  ensure(heap.outstanding_claims <= heap.total_avail_pages, 'outstanding_claims <= total_avail_pages (claims are staked on free memory)', () => `claims ${heap.outstanding_claims}, free ${heap.total_avail_pages}`);
  if (heap.node_claims_mode === 'xenserver') checkNodeClaims(xen, doms);
  else if (heap.node_claims_mode === 'claim-sets') checkClaimSets(xen, doms);
  else {
    for (let n = 0; n < MAX_NUMNODES; n++) ensure(heap.node_claimed_pages[n] === 0, 'no per-node claims on an upstream host', () => `node ${n}: ${heap.node_claimed_pages[n]}`);
    for (const d of doms) ensure(d.node_claims.every((c) => c === 0), 'no per-node claims on an upstream host', () => `d${d.domain_id}: ${JSON.stringify(d.node_claims)}`);
  }
}

/** v7 claim sets (reference 10.5): claimed_pages[node] holds the per-node totals of the
 *  domains' d->claims[node]; each is a non-negative part of the domain's outstanding_pages
 *  (the rest is the host part); and a node's claims are staked on its free memory. */
function checkClaimSets(xen: Xen, doms: Domain[]): void {
  const heap = xen.heap;
  const perNode = new Array<number>(MAX_NUMNODES).fill(0);
  for (const d of doms) {
    ensure(d.node_claims.length === MAX_NUMNODES, 'd->claims[] has MAX_NUMNODES entries', () => `d${d.domain_id}: ${d.node_claims.length}`);
    let sum = 0;
    d.node_claims.forEach((c, n) => {
      ensure(Number.isSafeInteger(c) && c >= 0, 'a node claim is a non-negative integer', () => `d${d.domain_id} node ${n}: ${c}`);
      ensure(c === 0 || xen.host.node_online_map.test(n), 'node claims are on online nodes', () => `d${d.domain_id} node ${n}: ${c}`);
      sum += c;
      perNode[n]! += c;
    });
    ensure(sum <= d.outstanding_pages, 'sum of a domain\'s node claims <= its outstanding_pages (the rest is the host part)', () => `d${d.domain_id}: node claims ${sum}, outstanding ${d.outstanding_pages} (${JSON.stringify(claimsOf(d))})`);
  }
  for (let n = 0; n < MAX_NUMNODES; n++) {
    ensure(heap.node_claimed_pages[n] === perNode[n], 'claimed_pages[node] = sum over domains of d->claims[node]', () => `node ${n}: claimed_pages ${heap.node_claimed_pages[n]}, domains ${perNode[n]}`);
    ensure(perNode[n]! <= heap.node_avail_pages[n]!, 'claimed_pages[node] <= node_avail_pages[node] (claims are staked on the node\'s free memory)', () => `node ${n}: claimed ${perNode[n]}, free ${heap.node_avail_pages[n]}`);
  }
}

/** d's non-zero node claims, as {node: pages}, for messages. */
function claimsOf(d: Domain): Record<number, number> {
  const o: Record<number, number> = {};
  d.node_claims.forEach((c, n) => {
    if (c !== 0) o[n] = c;
  });
  return o;
}

/** Dirty pages are free pages: every run of heap.dirty[node] lies inside the node's free
 *  blocks (`merged`: the node's free runs, merged and in MFN order). */
function checkDirtyInFree(xen: Xen, node: number, merged: [number, number][]): void {
  const set = xen.heap.dirty_runs(node);
  checkRuns(set, `heap.dirty_runs(${node})`);
  for (const [s, e] of set) {
    let lo = 0;
    let hi = merged.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (merged[mid]![0] <= s) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const m = at < 0 ? undefined : merged[at];
    if (m === undefined || e > m[1]) fail('pages needing scrub are free pages (node_need_scrub counts free pages)', `node ${node} dirty run [${s}, ${e}) is not inside the free blocks`);
  }
}

/** A RangeSet's runs are non-empty, sorted, apart (not even adjacent) and add up to total. */
function checkRuns(set: Iterable<readonly [number, number]> & { total: number }, what: string): void {
  let sum = 0;
  let prevEnd = -1;
  for (const [s, e] of set) {
    if (!(s < e) || s <= prevEnd) fail('range sets keep sorted, disjoint, non-adjacent runs', `${what}: [${s}, ${e}) after end ${prevEnd}`);
    sum += e - s;
    prevEnd = e;
  }
  if (sum !== set.total) fail('a range set\'s total is the sum of its runs', `${what}: total ${set.total}, runs ${sum}`);
}

/** An HVM p2m maps only frames its domain owns, each frame once, below the GFN limit. */
function checkP2m(d: Domain): void {
  if (!d.is_hvm) {
    ensure(d.p2m === null, 'a PV domain has no p2m', () => `d${d.domain_id}`);
    return;
  }
  const p2m = d.p2m;
  if (p2m === null) return;
  const mfns: Interval[] = [];
  let entries = 0;
  let prevEnd = -1;
  for (const run of p2m) {
    if (run.gfn < prevEnd) fail('p2m runs are sorted and disjoint by GFN', `d${d.domain_id}: gfn ${run.gfn} before end ${prevEnd}`);
    prevEnd = run.gfn + run.count;
    const what = (): string => `d${d.domain_id} gfn ${run.gfn} -> mfn ${run.mfn} x${run.count}`;
    ensure(run.count > 0 && run.gfn + run.count <= P2M_MAX_GFNS, 'p2m runs are non-empty and below the GFN limit', what);
    const owned = d.owned.reduce((s, set) => s + set.countIn(run.mfn, run.mfn + run.count), 0);
    ensure(owned === run.count, 'the p2m maps only frames the domain owns', () => `${what()}: owns ${owned} of them`);
    mfns.push({ s: run.mfn, e: run.mfn + run.count, owner: run.gfn, node: d.domain_id });
    entries += run.count;
  }
  ensure(entries === p2m.entries, 'p2m.entries = mapped GFNs', () => `d${d.domain_id}: entries ${p2m.entries}, runs ${entries}`);
  ensure(entries <= d.tot_pages, 'mapped GFNs <= tot_pages', () => `d${d.domain_id}: mapped ${entries}, tot ${d.tot_pages}`);
  mfns.sort((a, b) => a.s - b.s);
  for (let i = 1; i < mfns.length; i++)
    ensure(mfns[i - 1]!.e <= mfns[i]!.s, 'no MFN is mapped at two GFNs', () => `d${d.domain_id}: gfn ${mfns[i - 1]!.owner} and gfn ${mfns[i]!.owner} both map mfn ${mfns[i]!.s}`);
}

/** XenServer node claims: the per-node totals add up, and never exceed the node's free memory. */
function checkNodeClaims(xen: Xen, doms: Domain[]): void {
  const heap = xen.heap;
  for (let n = 0; n < MAX_NUMNODES; n++) {
    const sum = doms.reduce((s, d) => s + (d.claim_node === n ? d.outstanding_pages : 0), 0);
    ensure(heap.node_claimed_pages[n] === sum, 'per-node claimed pages = sum of the node claims on it', () => `node ${n}: ${heap.node_claimed_pages[n]} vs ${sum}`);
    ensure(sum <= heap.node_avail_pages[n]!, 'a node\'s claims fit its free memory', () => `node ${n}: claimed ${sum}, free ${heap.node_avail_pages[n]}`);
  }
}

/** Per step, for every domain: tot_pages may exceed max_pages only if max_mem lowered it and the
 *  domain has not grown since (assign_pages: reaching max_pages is allowed, passing it is not).
 *  A domain that is not the target of the op does not change at all. */
function checkDomainTransitions(xen: Xen, before: Map<number, DomSnap>, touched: Set<number>): void {
  for (const d of xen.domains_in_order()) {
    const b = before.get(d.domain_id);
    const grew = b === undefined ? d.tot_pages > 0 : d.tot_pages > b.tot;
    if (grew) ensure(d.tot_pages <= d.max_pages, 'a domain grows only up to max_pages (assign_pages)', () => `d${d.domain_id}: tot ${b?.tot ?? 0} -> ${d.tot_pages}, max_pages ${d.max_pages}`);
    if (b !== undefined && !touched.has(d.domain_id)) {
      ensure(d.tot_pages === b.tot && d.max_pages === b.max, 'an op changes no other domain\'s pages', () => `d${d.domain_id}: tot ${b.tot} -> ${d.tot_pages}, max ${b.max} -> ${d.max_pages}`);
      ensure(d.outstanding_pages === b.outstanding, 'an op changes no other domain\'s claim', () => `d${d.domain_id}: outstanding ${b.outstanding} -> ${d.outstanding_pages}`);
      if (b.claims !== null) {
        const at = firstDiff(b.claims, d.node_claims);
        ensure(at < 0, 'an op changes no other domain\'s node claims', () => `d${d.domain_id} node ${at}: ${b.claims![at]} -> ${d.node_claims[at]}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The driver: generation (needs the engine's state) and execution (needs only the op)

interface Pending {
  call: Hypercall & { args: xen_memory_op };
  sub: number;
  a: ResArgs;
}

export interface SimStats {
  steps: number;
  ops: Record<string, number>;
  results: Record<string, number>;
  continuations: number;
  /** Reservation calls that had to do nothing, by reason. */
  early: Record<string, number>;
  /** Why populates and increases stopped short (list end, max_pages, claim gate, no block). */
  stops: Record<string, number>;
  max_domains: number;
  pages_populated: number;
}

export class Sim {
  readonly clock = new ManualClock();
  readonly xen: Xen;
  readonly plan: SimPlan;
  readonly stats: SimStats = { steps: 0, ops: {}, results: {}, continuations: 0, early: {}, stops: {}, max_domains: 0, pages_populated: 0 };
  private readonly pending = new Map<number, Pending>();
  private nextRef = 1;
  /** Mirror of Xen.idle's private scrubbed_until_ns: the scrub budget each idle() has. */
  private scrubbedUntil: bigint;
  private readonly history: string[] = [];
  private readonly topBits: number;

  constructor(plan: SimPlan) {
    this.plan = plan;
    this.xen = bootXen(plan, this.clock);
    this.scrubbedUntil = this.clock.now_ns();
    this.topBits = topAddressBits(this.xen);
  }

  // ----- execution -------------------------------------------------------------------------

  /** Runs one op and checks everything; throws SimFailure. */
  step(i: number, op: SimOp): void {
    this.history.push(`#${i} ${describeOp(op)}`);
    if (this.history.length > HISTORY) this.history.shift();
    this.stats.steps++;
    const kind = op.kind === 'res' ? `${op.ref === null ? '' : 'slice '}${SUB_NAME[op.sub]}` : op.kind;
    this.stats.ops[kind] = (this.stats.ops[kind] ?? 0) + 1;
    try {
      const before = snapDomains(this.xen);
      const touched = this.exec(op, before);
      checkDomainTransitions(this.xen, before, touched);
      checkInvariants(this.xen);
    } catch (e) {
      if (e instanceof Broken) throw new SimFailure(e.invariant, e.detail, this.plan, i, op, [...this.history]);
      const err = e as Error;
      throw new SimFailure('the engine threw', `${err.name}: ${err.message}\n${err.stack ?? ''}`, this.plan, i, op, [...this.history]);
    }
    this.stats.max_domains = Math.max(this.stats.max_domains, this.xen.domains_in_order().length);
  }

  private note(kind: string, rc: number): void {
    const key = `${kind} ${rc < 0 ? errnoName(-rc) : rc === 0 ? '0' : '>0'}`;
    this.stats.results[key] = (this.stats.results[key] ?? 0) + 1;
  }

  /** Xen.hypercall and hypercall_slice run idle() first: keep the mirror of its budget. */
  private idleMirror(): number {
    const now = this.clock.now_ns();
    if (now - this.scrubbedUntil < IDLE_SCRUB_TICK_NS) return 0;
    const budget = Number(((now - this.scrubbedUntil) * BigInt(this.xen.scrub_rate_pages_per_s)) / 1_000_000_000n);
    if (budget <= 0) return 0;
    this.scrubbedUntil = now;
    return budget;
  }

  private call(caller: number, c: Hypercall): number {
    this.idleMirror();
    return this.xen.hypercall(domid(caller), c);
  }

  /** Executes `op`; returns the domains it may change. */
  private exec(op: SimOp, before: Map<number, DomSnap>): Set<number> {
    const xen = this.xen;
    // A replayed (minimized) list may name a caller that no longer exists: nothing to issue.
    if ('caller' in op && xen.domain(domid(op.caller)) === undefined) return new Set();
    switch (op.kind) {
      case 'create':
        return this.execCreate(op, before);
      case 'destroy':
        return this.execDestroy(op, before);
      case 'max_mem': {
        const d = xen.domain(domid(op.domid));
        const caller = xen.domain(domid(op.caller))!;
        const rc = this.call(op.caller, domctl(XEN_DOMCTL.max_mem, op.domid, { kind: 'max_mem', op: { max_memkb: op.max_memkb } }));
        this.note('max_mem', rc);
        ensure(rc === expectDomctlLookup(caller, d), 'domctl lookup and XSM (do_domctl)', () => `max_mem rc ${rc}`);
        if (rc === 0) {
          const want = op.max_memkb >> 2n > BigInt(MAX_PAGES_CAP) ? MAX_PAGES_CAP : Number(op.max_memkb >> 2n);
          ensure(d!.max_pages === want, 'max_mem sets max_pages = min(max_memkb >> 2, 0xFFFFFFFF) (reference 2.10)', () => `max_pages ${d!.max_pages}, want ${want}`);
        }
        return new Set([op.domid]);
      }
      case 'nodeaff': {
        const d = xen.domain(domid(op.domid));
        const caller = xen.domain(domid(op.caller))!;
        const nodemap = { bitmap: op.bitmap === null ? null : Uint8Array.from(op.bitmap), nr_bits: op.nr_bits, written: null };
        const rc = this.call(op.caller, domctl(XEN_DOMCTL.setnodeaffinity, op.domid, { kind: 'nodeaffinity', op: { nodemap } }));
        this.note('setnodeaffinity', rc);
        const lookup = expectDomctlLookup(caller, d);
        if (lookup !== 0) ensure(rc === lookup, 'domctl lookup and XSM (do_domctl)', () => `setnodeaffinity rc ${rc}, want ${lookup}`);
        else ensure(rc === 0 || rc === neg('EINVAL') || rc === neg('EFAULT'), 'setnodeaffinity answers 0, -EINVAL or -EFAULT', () => `rc ${rc}`);
        if (rc === 0) ensure(d!.node_affinity.intersects(xen.host.node_online_map), 'a node affinity meets the online nodes (domain_set_node_affinity)', () => `d${op.domid}`);
        return new Set([op.domid]);
      }
      case 'unpause': {
        const d = xen.domain(domid(op.domid));
        const lookup = expectDomctlLookup(xen.domain(domid(op.caller))!, d);
        const want = lookup !== 0 ? lookup : d!.controller_pause_count === 0 ? neg('EINVAL') : 0;
        const rc = this.call(op.caller, domctl(XEN_DOMCTL.unpausedomain, op.domid, { kind: 'none' }));
        this.note('unpause', rc);
        ensure(rc === want, 'unpausedomain: lookup, XSM, and -EINVAL below a count of 0 (reference 2.6)', () => `rc ${rc}, want ${want}`);
        if (rc === 0) ensure(d!.creation_finished, 'the first unpause finishes creation', () => `d${op.domid}`);
        return new Set([op.domid]);
      }
      case 'claim':
        return this.execClaim(op);
      case 'claimset':
        return this.execClaimSet(op);
      case 'res': {
        const call = memop(op.sub, op);
        if (op.ref === null) {
          const rc = this.reservationSlice(op.caller, op.sub, op, call, false);
          this.note(SUB_NAME[op.sub]!, rc);
        } else {
          this.pending.set(op.ref, { call, sub: op.sub, a: op });
          this.continuePending(op.ref);
        }
        return new Set([op.domid === DOMID_SELF ? op.caller : op.domid]);
      }
      case 'cont': {
        const p = this.pending.get(op.ref);
        if (p === undefined) return new Set();
        this.continuePending(op.ref);
        return new Set([p.a.domid === DOMID_SELF ? p.a.caller : p.a.domid]);
      }
      case 'clock':
        this.execClock(op.ns);
        return new Set();
    }
  }

  private execCreate(op: Extract<SimOp, { kind: 'create' }>, before: Map<number, DomSnap>): Set<number> {
    const xen = this.xen;
    const c = domctl(XEN_DOMCTL.createdomain, op.domid, { kind: 'createdomain', op: createdomainConfig(op.flags, op.max_vcpus) });
    const rc = this.call(op.caller, c);
    this.note('create', rc);
    const priv = xen.domain(domid(op.caller))!.is_privileged;
    if (!priv) ensure(rc === neg('EPERM'), 'createdomain needs the control domain (XSM PRIV)', () => `rc ${rc}`);
    if (op.domid < DOMID_FIRST_RESERVED && before.has(op.domid) && priv)
      ensure(rc === neg('EEXIST'), 'createdomain with a taken id is -EEXIST (domid_alloc)', () => `d${op.domid} exists, rc ${rc}`);
    if (rc !== 0) return new Set();
    const id = c.args.domain;
    const d = xen.domain(domid(id));
    ensure(!before.has(id) && d !== undefined, 'createdomain answers a new, listed domain', () => `id ${id}`);
    ensure(op.domid === DOMID_ANY || op.domid === id, 'createdomain honours a requested id', () => `asked ${op.domid}, got ${id}`);
    ensure(d!.tot_pages === 0 && d!.max_pages === 0 && d!.outstanding_pages === 0, 'a new domain has tot = max = outstanding = 0 (reference 2.2)', () => `d${id}`);
    return new Set([id]);
  }

  private execDestroy(op: Extract<SimOp, { kind: 'destroy' }>, before: Map<number, DomSnap>): Set<number> {
    const xen = this.xen;
    const heap = xen.heap;
    const d = xen.domain(domid(op.domid));
    const caller = xen.domain(domid(op.caller))!;
    const freeBefore = heap.total_avail_pages;
    const claimsBefore = heap.outstanding_claims;
    const rc = this.call(op.caller, domctl(XEN_DOMCTL.destroydomain, op.domid, { kind: 'none' }));
    this.note('destroy', rc);
    const lookup = expectDomctlLookup(caller, d);
    const want = lookup !== 0 ? lookup : d === caller ? neg('EINVAL') : 0;
    ensure(rc === want, 'destroydomain: lookup, XSM, not yourself (reference 2.3)', () => `rc ${rc}, want ${want}`);
    if (rc === 0) {
      const b = before.get(op.domid)!;
      ensure(xen.domain(domid(op.domid)) === undefined, 'a destroyed domain leaves the list', () => `d${op.domid}`);
      ensure(heap.total_avail_pages === freeBefore + b.tot, 'domain_kill returns every page to the heap', () => `free ${freeBefore} + tot ${b.tot} != ${heap.total_avail_pages}`);
      ensure(heap.outstanding_claims === claimsBefore - b.outstanding, 'domain_kill releases the claim', () => `claims ${claimsBefore} - ${b.outstanding} != ${heap.outstanding_claims}`);
      // The calling vCPU of a pending continuation is gone with its domain.
      for (const [ref, p] of this.pending) if (p.a.caller === op.domid) this.pending.delete(ref);
    }
    return new Set([op.domid]);
  }

  /** XENMEM_claim_pages against the 4.22 rules in order (reference 4.7), in upstream mode. */
  private execClaim(op: Extract<SimOp, { kind: 'claim' }>): Set<number> {
    const xen = this.xen;
    const heap = xen.heap;
    const caller = xen.domain(domid(op.caller))!;
    const d = op.domid === DOMID_SELF ? undefined : xen.domain(domid(op.domid));
    const pre = d === undefined ? null : { tot: d.tot_pages, max: d.max_pages, out: d.outstanding_pages };
    const avail = heap.total_avail_pages;
    const claims = heap.outstanding_claims;
    const rc = this.call(op.caller, memop(XENMEM.claim_pages, op));
    this.note('claim', rc);
    // Claim-set hosts take XENMEM_claim_pages as one LEGACY entry: the 4.22 rules (reference 10.5).
    if (heap.node_claims_mode !== 'xenserver') {
      const want = expectClaim(op, caller, d, pre, avail, claims);
      ensure(rc === want, 'claim_pages follows domain_set_outstanding_pages (reference 4.7)', () => `rc ${rc} (${rc < 0 ? errnoName(-rc) : rc}), want ${want} (${want < 0 ? errnoName(-want) : want}); pre ${JSON.stringify(pre)} free ${avail} claimed ${claims}`);
    } else {
      ensure([0, neg('EINVAL'), neg('ENOMEM'), neg('ENOENT'), neg('EPERM')].includes(rc), 'claim_pages answers 0 or a claim errno', () => `rc ${rc}`);
    }
    if (rc === 0 && d !== undefined && pre !== null) {
      const want = op.nr_extents === 0 ? 0 : op.nr_extents - pre.tot;
      ensure(d.outstanding_pages === want, 'a claim is absolute: outstanding = pages - tot_pages; 0 cancels', () => `outstanding ${d.outstanding_pages}, want ${want}`);
    }
    if (rc !== 0 && d !== undefined && pre !== null) ensure(d.outstanding_pages === pre.out, 'a failed claim changes nothing', () => `outstanding ${pre.out} -> ${d.outstanding_pages}`);
    if (rc === 0 && d !== undefined && heap.node_claims_mode === 'claim-sets')
      ensure(d.node_claims.every((c) => c === 0), 'a LEGACY claim (XENMEM_claim_pages) leaves no node claims', () => `d${d.domain_id}: ${JSON.stringify(claimsOf(d))}`);
    return new Set(d === undefined ? [] : [d.domain_id]);
  }

  /**
   * XEN_DOMCTL_claim_memory (v7 claim sets, reference 10.5) against the rules: SET answers as
   * domain_set_claim_entries does; a failed SET, and any GET, change no claim anywhere; a
   * successful one installs exactly the requested per-node amounts, with the host part =
   * outstanding - node sum, moves the heap's counters by the difference, and reads back by GET;
   * GET answers the host entry then the claimed nodes, or -ERANGE with the count and nothing
   * copied.
   */
  private execClaimSet(op: Extract<SimOp, { kind: 'claimset' }>): Set<number> {
    const xen = this.xen;
    const heap = xen.heap;
    const caller = xen.domain(domid(op.caller))!;
    const d = xen.domain(domid(op.domid));
    const doms = snapDomains(xen);
    const counters = snapClaimCounters(xen);
    const pre = d === undefined ? null : { out: d.outstanding_pages, claims: d.node_claims.slice(), entries: expectClaimEntries(d), tot: d.tot_pages, max: d.max_pages };
    const set = op.mode === XEN_DOMCTL_CLAIM_MEMORY_SET;
    const want = set ? expectClaimSet(xen, caller, d, op) : null;
    const arg: xen_domctl_claim_memory = {
      claim_set: op.entries === null ? GuestHandle.null<xen_memory_claim>() : new GuestHandle<xen_memory_claim>(op.entries.map((e) => ({ ...e }))),
      nr_entries: op.nr_entries,
      mode: op.mode,
    };
    const rc = this.call(op.caller, domctl(XEN_DOMCTL.claim_memory, op.domid, { kind: 'claim_memory', op: arg }));
    const modeName = set ? 'SET' : op.mode === XEN_DOMCTL_CLAIM_MEMORY_GET ? 'GET' : 'mode?';
    this.note(`claimset ${modeName}`, rc);
    const ctx = (): string => `d${op.domid} before: out ${pre?.out} claims ${JSON.stringify(pre === null ? null : Object.fromEntries(pre.claims.flatMap((c, n) => (c === 0 ? [] : [[n, c]]))))} tot ${pre?.tot} max ${pre?.max}; heap free ${heap.total_avail_pages} claimed ${counters.total}`;
    const unchanged = (why: string): void => {
      ensure(heap.outstanding_claims === counters.total, `${why} changes no claim (outstanding_claims)`, () => `${counters.total} -> ${heap.outstanding_claims}`);
      const at = firstDiff(counters.nodes, heap.node_claimed_pages);
      ensure(at < 0, `${why} changes no claim (claimed_pages[node])`, () => `node ${at}: ${counters.nodes[at]} -> ${heap.node_claimed_pages[at]}`);
      for (const e of xen.domains_in_order()) {
        const b = doms.get(e.domain_id)!;
        ensure(e.outstanding_pages === b.outstanding, `${why} changes no claim (outstanding_pages)`, () => `d${e.domain_id}: ${b.outstanding} -> ${e.outstanding_pages}`);
        const n = firstDiff(b.claims!, e.node_claims);
        ensure(n < 0, `${why} changes no claim (d->claims[node])`, () => `d${e.domain_id} node ${n}: ${b.claims![n]} -> ${e.node_claims[n]}`);
      }
    };
    if (want !== null) {
      ensure(rc === want.rc, 'claim-set SET answers as domain_set_claim_entries (reference 10.5)', () => `rc ${rcName(rc)}, want ${rcName(want.rc)}; ${ctx()}`);
      if (rc !== 0) unchanged('a failed SET');
      else this.checkInstalled(d!, pre!, counters, want, ctx);
    } else if (!set && op.mode !== XEN_DOMCTL_CLAIM_MEMORY_GET) {
      const lookup = expectDomctlLookup(caller, d);
      const w = lookup !== 0 ? lookup : neg('EOPNOTSUPP');
      ensure(rc === w, 'claim_memory: lookup, XSM, then -EOPNOTSUPP for another mode (reference 10.5)', () => `mode ${op.mode}: rc ${rcName(rc)}, want ${rcName(w)}`);
      unchanged('an unknown mode');
    } else {
      unchanged('GET');
      const lookup = expectDomctlLookup(caller, d);
      let w = lookup;
      if (lookup === 0) {
        const need = pre!.entries.length;
        if (Math.min(op.nr_entries, MAX_CLAIM_ENTRIES) < need) {
          w = neg('ERANGE');
          ensure(arg.nr_entries === need && arg.claim_set.written === null, 'GET with too few entries: -ERANGE, nr_entries = the count needed, nothing copied', () => `nr_entries ${op.nr_entries} -> ${arg.nr_entries}, need ${need}; written ${JSON.stringify(arg.claim_set.written)}`);
        } else if (op.entries === null) w = neg('EFAULT');
        else {
          w = 0;
          ensure(arg.nr_entries === need && JSON.stringify(arg.claim_set.written) === JSON.stringify(pre!.entries), 'GET answers {HOST, outstanding - node claims}, then each claimed node', () => `nr_entries ${arg.nr_entries}, got ${JSON.stringify(arg.claim_set.written)}, want ${JSON.stringify(pre!.entries)}`);
        }
      }
      ensure(rc === w, 'claim-set GET answers as domain_get_claim_entries (reference 10.5)', () => `nr_entries ${op.nr_entries}: rc ${rcName(rc)}, want ${rcName(w)}; ${ctx()}`);
    }
    return new Set(d === undefined ? [] : [d.domain_id]);
  }

  /** A successful SET: exactly the requested claims, the heap counters moved by the change,
   *  and GET reads the set back. */
  private checkInstalled(d: Domain, pre: { out: number; claims: number[] }, counters: ClaimCounters, want: ClaimSetWant, ctx: () => string): void {
    const heap = this.xen.heap;
    const nodes = want.nodes!;
    ensure(d.outstanding_pages === want.out, 'a successful SET: outstanding_pages = host + node sum (legacy: target - tot_pages)', () => `outstanding ${d.outstanding_pages}, want ${want.out}; ${ctx()}`);
    for (let n = 0; n < MAX_NUMNODES; n++) {
      const w = nodes.get(n) ?? 0;
      ensure(d.node_claims[n] === w, 'a successful SET installs exactly the requested per-node claims (and drops the old ones)', () => `node ${n}: ${d.node_claims[n]}, want ${w}; ${ctx()}`);
      const g = counters.nodes[n]! - pre.claims[n]! + w;
      ensure(heap.node_claimed_pages[n] === g, 'a successful SET moves claimed_pages[node] by the change of d->claims[node]', () => `node ${n}: ${counters.nodes[n]} -> ${heap.node_claimed_pages[n]}, want ${g}`);
    }
    const host = d.outstanding_pages - sumOf(d.node_claims);
    const wantHost = want.out! - sumOf([...nodes.values()]);
    ensure(host === wantHost, 'a successful SET: host part = outstanding - node sum', () => `host part ${host}, want ${wantHost}`);
    ensure(heap.outstanding_claims === counters.total - pre.out + want.out!, 'a successful SET moves outstanding_claims by the change of the claim', () => `${counters.total} -> ${heap.outstanding_claims}, d ${pre.out} -> ${want.out}`);
    // Round trip: GET (room for every entry) reads back what was installed.
    const get: xen_domctl_claim_memory = { claim_set: new GuestHandle<xen_memory_claim>(new Array(MAX_CLAIM_ENTRIES).fill({ pages: 0, target: 0, cmd: 0 })), nr_entries: MAX_CLAIM_ENTRIES, mode: XEN_DOMCTL_CLAIM_MEMORY_GET };
    const rc = this.call(0, domctl(XEN_DOMCTL.claim_memory, d.domain_id, { kind: 'claim_memory', op: get }));
    const back = expectClaimEntries(d);
    ensure(rc === 0 && get.nr_entries === back.length && JSON.stringify(get.claim_set.written) === JSON.stringify(back), 'GET reads back the claim set just installed', () => `rc ${rcName(rc)} nr ${get.nr_entries}: ${JSON.stringify(get.claim_set.written)}, want ${JSON.stringify(back)}`);
    ensure(back[0]!.pages === wantHost && back.length === 1 + [...nodes.values()].filter((p) => p > 0).length, 'GET reads back the requested host part and nodes', () => `${JSON.stringify(back)}`);
  }

  /** Advances the clock, runs the idle scrubber and checks that it scrubbed min(budget, dirty)
   *  on every node (scrub_free_pages reaches every dirty free page, reference 7.7). */
  private execClock(ns: bigint): void {
    const xen = this.xen;
    this.clock.advance(ns);
    const dirtyBefore = Array.from({ length: MAX_NUMNODES }, (_, n) => xen.heap.node_need_scrub(n));
    const freeBefore = xen.heap.total_avail_pages;
    const budget = this.idleMirror();
    xen.idle();
    ensure(xen.heap.total_avail_pages === freeBefore, 'scrubbing does not change free memory', () => `${freeBefore} -> ${xen.heap.total_avail_pages}`);
    for (let n = 0; n < MAX_NUMNODES; n++) {
      const want = Math.max(0, dirtyBefore[n]! - budget);
      const got = xen.heap.node_need_scrub(n);
      ensure(got === want, 'the idle scrubber cleans min(budget, node_need_scrub) pages on each node', () => `node ${n}: dirty ${dirtyBefore[n]} - budget ${budget} -> ${got}, want ${want}`);
    }
  }

  private continuePending(ref: number): void {
    const p = this.pending.get(ref)!;
    if (this.xen.domain(domid(p.a.caller)) === undefined) {
      this.pending.delete(ref); // the calling vCPU is gone with its domain
      return;
    }
    const rc = this.reservationSlice(p.a.caller, p.sub, p.a, p.call, true);
    if (rc === CONTINUATION_RC) {
      this.stats.continuations++;
      return;
    }
    this.note(`slice ${SUB_NAME[p.sub]}`, rc);
    this.pending.delete(ref);
  }

  /**
   * One reservation hypercall (to completion, or one slice) and its oracle (reference 4.4-4.6,
   * 4.11, 7.3-7.6): never negative; within [start_extent, nr_extents]; early failures do
   * nothing; the target's tot_pages moves by exactly the extents done (populate: plus one
   * extent if a mapping failed; decrease: minus a partial extent); exact-node and address-width
   * requests are honoured; claims are consumed only by allocation, never by frees.
   */
  private reservationSlice(callerId: number, sub: number, a: ResArgs, call: Hypercall & { args: xen_memory_op }, sliced: boolean): number {
    const xen = this.xen;
    const caller = xen.domain(domid(callerId))!;
    const start = call.args.cmd >>> MEMOP_EXTENT_SHIFT;
    const d = a.domid === DOMID_SELF ? caller : xen.domain(domid(a.domid));
    const pre = d === undefined ? null : { tot: d.tot_pages, out: d.outstanding_pages, claim_node: d.claim_node, owned: d.owned.map((s) => s.total), above: ownedFrom(d, addressLimit(a.mem_flags, this.topBits)), claims: d.node_claims.slice() };
    const freeBefore = xen.heap.total_avail_pages;
    const early = earlyFailure(xen, caller, d, sub, a, this.topBits);
    if (early !== null && start === 0) this.stats.early[early] = (this.stats.early[early] ?? 0) + 1;
    let raw: number | typeof CONTINUATION;
    this.idleMirror();
    if (sliced) raw = xen.hypercall_slice(domid(callerId), call);
    else raw = xen.hypercall(domid(callerId), call);
    const rc = raw === CONTINUATION ? CONTINUATION_RC : raw;
    const end = raw === CONTINUATION ? call.args.cmd >>> MEMOP_EXTENT_SHIFT : raw;
    const name = SUB_NAME[sub]!;
    ensure(end >= 0, 'reservation ops never return a negative value (reference 4.11)', () => `${name} returned ${end}`);
    ensure(Number.isSafeInteger(end) && end >= start && (end <= a.nr_extents || end === start), 'a reservation op answers a count in [start_extent, nr_extents]', () => `${name} start ${start} -> ${end}, nr_extents ${a.nr_extents}`);
    if (raw === CONTINUATION) ensure(end > start && end < a.nr_extents, 'a continuation has made progress and has work left', () => `start ${start} -> ${end} of ${a.nr_extents}`);
    const done = end - start;
    if (early !== null) {
      ensure(done === 0, `an early failure returns start_extent (reference 4.11): ${early}`, () => `${name} returned ${end}`);
      ensure(xen.heap.total_avail_pages === freeBefore, `an early failure changes nothing: ${early}`, () => `free ${freeBefore} -> ${xen.heap.total_avail_pages}`);
    }
    if (d === undefined || pre === null || xen.domain(d.domain_id) !== d) return rc;
    const per = 2 ** a.extent_order;
    const delta = d.tot_pages - pre.tot;
    const pod = sub === XENMEM.populate_physmap && (a.mem_flags & XENMEMF_populate_on_demand) !== 0;
    const what = (): string => `${name} d${d.domain_id} order ${a.extent_order} done ${done}: tot ${pre.tot} -> ${d.tot_pages}`;
    if (sub === XENMEM.decrease_reservation) {
      const hi = done === 0 ? 0 : -done * per;
      ensure(delta <= hi && delta >= hi - (per - 1), 'decrease frees the extents done, plus at most a partial extent (reference 4.6)', what);
      ensure(d.outstanding_pages === pre.out, 'frees never touch claims (4.22, reference 7.6)', () => `outstanding ${pre.out} -> ${d.outstanding_pages}`);
      const at = firstDiff(pre.claims, d.node_claims);
      ensure(at < 0, 'frees never touch node claims (reference 7.6, 10.5)', () => `node ${at}: ${pre.claims[at]} -> ${d.node_claims[at]}`);
    } else if (pod) {
      ensure(delta === 0, 'populate-on-demand allocates nothing here (reference 4.5)', what);
    } else {
      const exact = done === 0 ? delta === 0 : delta === done * per;
      const mapFail = sub === XENMEM.populate_physmap && d.is_hvm && delta === (done + 1) * per && mapWouldFail(a, end, per);
      // increase_reservation for PV: past the end of the caller's list the MFN cannot be written
      // back; that extent is allocated and charged but not counted (reference 4.4).
      const copyFail = sub === XENMEM.increase_reservation && !d.is_hvm && a.list !== null && end >= a.list.length && delta === (done + 1) * per;
      ensure(exact || mapFail || copyFail, `${name} charges exactly the extents done (populate: plus one whose mapping failed; increase: plus one whose MFN had no room in the list)`, what);
      if (delta > 0) this.stats.pages_populated += delta;
      ensure(d.outstanding_pages <= pre.out, 'allocations only consume claims', () => `outstanding ${pre.out} -> ${d.outstanding_pages}`);
      if (xen.heap.node_claims_mode === 'claim-sets') this.checkClaimRedeem(d, pre, per, delta, what);
      if (xen.heap.node_claims_mode !== 'xenserver') {
        const allocs = delta / per;
        const want = Math.max(0, pre.out - allocs * per);
        ensure(allocs === 0 || d.outstanding_pages === want || d.outstanding_pages === Math.max(0, want - per), 'each allocation consumes min(claim, 2^order) (4.22, reference 7.3 step 6)', () => `outstanding ${pre.out} -> ${d.outstanding_pages} after ${allocs} extents of ${per}`);
      }
      checkPlacement(xen, caller, d, a, pre, this.topBits, what);
      if (!d.is_hvm && a.list !== null) checkWrittenMfns(d, call.args, start, end, per, what);
      if (raw !== CONTINUATION && early === null && end < a.nr_extents && !mapFail) this.checkNoSpuriousFailure(caller, d, sub, a, end, what);
    }
    return rc;
  }

  /**
   * Claim sets at allocation (reference 10.5): node claims only shrink; and when the call made
   * exactly one allocation, on node m, that no refused assign_pages followed (it would have
   * consumed claims too), it redeemed k = min(outstanding, 2^order) first from d->claims[m],
   * then from the host part, then from other nodes' claims.
   */
  private checkClaimRedeem(d: Domain, pre: { out: number; claims: number[]; owned: number[] }, per: number, delta: number, what: () => string): void {
    d.node_claims.forEach((c, n) => ensure(c <= pre.claims[n]!, 'allocations only shrink node claims', () => `${what()}: node ${n} claim ${pre.claims[n]} -> ${c}`));
    if (delta !== per || d.tot_pages > d.max_pages || d.max_pages - d.tot_pages < per) return;
    const grew = d.owned.map((s, n) => s.total - (pre.owned[n] ?? 0));
    const m = grew.findIndex((g) => g !== 0);
    if (m < 0 || grew[m] !== per || grew.some((g, n) => n !== m && g !== 0)) return;
    const k = pre.out - d.outstanding_pages;
    ensure(k === Math.min(pre.out, per), 'an allocation redeems min(outstanding, 2^order)', () => `${what()}: outstanding ${pre.out} -> ${d.outstanding_pages}`);
    const fromNode = Math.min(k, pre.claims[m]!);
    const hostPart = pre.out - sumOf(pre.claims);
    const fromOthers = Math.max(0, k - fromNode - hostPart);
    ensure(d.node_claims[m] === pre.claims[m]! - fromNode, 'an allocation redeems the allocation node\'s claim first', () => `${what()}: on node ${m}, its claim ${pre.claims[m]} -> ${d.node_claims[m]}, want ${pre.claims[m]! - fromNode} (k ${k})`);
    const others = sumOf(pre.claims) - pre.claims[m]! - (sumOf(d.node_claims) - d.node_claims[m]!);
    ensure(others === fromOthers, 'an allocation redeems the host part before other nodes\' claims', () => `${what()}: on node ${m}, k ${k}, host part ${hostPart}, other nodes lost ${others}, want ${fromOthers}; claims ${JSON.stringify(pre.claims.filter((c) => c > 0))} -> ${JSON.stringify(claimsOf(d))}`);
  }

  /**
   * A populate or increase that stopped at extent `end` for want of memory stopped rightly:
   * unless the copy faulted, assign_pages refused (max_pages) or the claim gate held, no free
   * block of the order is left in the zones and nodes the request allows (alloc_heap_pages
   * tries clean then dirty blocks; get_free_buddy falls back to every online node unless the
   * node is exact; reference 7.2-7.4). Not for the XenServer variant, whose node claims hide
   * nodes.
   */
  private checkNoSpuriousFailure(caller: Domain, d: Domain, sub: number, a: ResArgs, end: number, what: () => string): void {
    const heap = this.xen.heap;
    const per = 2 ** a.extent_order;
    const stop = (why: string): void => {
      this.stats.stops[why] = (this.stats.stops[why] ?? 0) + 1;
    };
    if (sub === XENMEM.populate_physmap && (a.list === null || end >= a.list.length)) return stop('list end'); // the copy faulted
    if (sub === XENMEM.increase_reservation && !d.is_hvm && a.list !== null && end >= a.list.length) return stop('list end'); // the MFN copy-back faulted
    if (d.tot_pages > d.max_pages || per > d.max_pages - d.tot_pages || d.tot_pages + per >= 2 ** 32) return stop('max_pages'); // assign_pages
    if (heap.outstanding_claims + per > heap.total_avail_pages && d.outstanding_pages < per) return stop('claim gate');
    stop('no block');
    if (heap.node_claims_mode !== 'off') return;
    const bits = XENMEMF_get_address_bits(a.mem_flags);
    const zoneHi = Math.min(Math.max((bits !== 0 && bits < this.topBits ? bits : 64 + 12) - 12, 1), NR_ZONES - 1);
    const node = XENMEMF_get_node(a.mem_flags);
    const only =
      (a.mem_flags & XENMEMF_vnode) === 0 && node !== NUMA_NO_NODE && (a.mem_flags & XENMEMF_exact_node_request) !== 0 && (caller.domain_id === 0 || caller.is_privileged) ? node : -1;
    for (const [mfn, order, n] of heap.blocks())
      if (order >= a.extent_order && zoneOf(mfn) <= zoneHi && (only < 0 || n === only))
        fail('an allocation fails only when no free block fits (alloc_heap_pages, get_free_buddy)', `${what()}: extent ${end} failed, yet free block mfn ${mfn} order ${order} node ${n} zone ${zoneOf(mfn)} fits (zone_hi ${zoneHi}, node ${only < 0 ? 'any' : only}); claims ${heap.outstanding_claims}, free ${heap.total_avail_pages}`);
  }

  // ----- generation ------------------------------------------------------------------------

  /** The next op for the current state. */
  generate(r: Draw): SimOp {
    const w = { ...this.plan.weights };
    const domUs = this.domUs();
    if (domUs.length >= SOFT_DOMAIN_LIMIT) w.create *= 0.1;
    if (domUs.length === 0) w.create *= 4;
    if (this.pending.size === 0) w.cont = 0;
    const kind = r.weighted(w);
    const caller = r.chance(0.85) || domUs.length === 0 ? 0 : r.pick(domUs).domain_id;
    switch (kind) {
      case 'create':
        return {
          kind: 'create',
          caller: r.chance(0.97) ? 0 : caller,
          domid: this.genCreateId(r),
          flags: r.pick([3, 3, 3, 0, 0, 0, 1, 2, 0x200]),
          max_vcpus: r.pick([1, 2, 4, 0]),
        };
      case 'destroy':
        return { kind: 'destroy', caller: r.chance(0.95) ? 0 : caller, domid: this.genTarget(r) };
      case 'max_mem':
      {
        const target = this.genTarget(r);
        return { kind: 'max_mem', caller: r.chance(0.95) ? 0 : caller, domid: target, max_memkb: this.genMaxMemKb(r, target) };
      }
      case 'nodeaff':
        return { kind: 'nodeaff', caller: r.chance(0.95) ? 0 : caller, domid: this.genTarget(r), ...this.genNodemap(r) };
      case 'unpause':
        return { kind: 'unpause', caller: 0, domid: this.genTarget(r) };
      case 'claim':
        return this.genClaim(r, r.chance(0.95) ? 0 : caller);
      case 'claimset':
        return this.genClaimSet(r, r.chance(0.95) ? 0 : caller);
      case 'populate':
        return this.genRes(r, XENMEM.populate_physmap, caller, null);
      case 'increase':
        return this.genRes(r, XENMEM.increase_reservation, caller, null);
      case 'decrease':
        return this.genRes(r, XENMEM.decrease_reservation, caller, null);
      case 'slice':
        return this.genRes(r, r.pick([XENMEM.populate_physmap, XENMEM.populate_physmap, XENMEM.decrease_reservation, XENMEM.increase_reservation]), caller, this.nextRef++);
      case 'cont': {
        const ref = r.pick([...this.pending.keys()]);
        const p = this.pending.get(ref)!;
        // An increase continued after max_mem was raised could run for millions of extents.
        if (p.sub === XENMEM.increase_reservation && this.increaseWork(p.a, p.call.args.cmd >>> MEMOP_EXTENT_SHIFT) > INCREASE_WORK_CAP) {
          this.pending.delete(ref);
          return { kind: 'clock', ns: 0n };
        }
        return { kind: 'cont', ref };
      }
      case 'clock':
        return { kind: 'clock', ns: r.pick([0n, 1n, 1000n, 1_000_000n, 100_000_000n, 1_000_000_000n, 10_000_000_000n, 1_000_000_000_000n]) };
    }
  }

  private domUs(): Domain[] {
    return this.xen.domains_in_order().filter((d) => d.domain_id !== 0);
  }

  private genCreateId(r: Draw): number {
    const live = this.domUs();
    const x = r.float();
    if (x < 0.7) return DOMID_ANY;
    if (x < 0.82) return r.range(1, 16);
    if (x < 0.9 && live.length > 0) return r.pick(live).domain_id;
    if (x < 0.94) return 0;
    return r.pick([0x7fef, DOMID_SELF, 0x7ff4, 0xffff]);
  }

  /** A target domid: mostly a live domU (half the time one that `prefer`s, if any), sometimes
   *  dom0, DOMID_SELF, a free or a reserved id. */
  private genTarget(r: Draw, prefer?: (d: Domain) => boolean): number {
    const live = this.domUs();
    const liked = prefer === undefined ? [] : live.filter(prefer);
    if (liked.length > 0 && r.chance(0.6)) return r.pick(liked).domain_id;
    const x = r.float();
    if (x < 0.72 && live.length > 0) return r.pick(live).domain_id;
    if (x < 0.8) return 0;
    if (x < 0.88) return DOMID_SELF;
    if (x < 0.95) return r.range(1, 24);
    return r.pick([0x7fef, 0x7ff4, DOMID_ANY, 0xffff]);
  }

  private genMaxMemKb(r: Draw, target: number): bigint {
    const tot = BigInt(this.xen.domain(domid(target))?.tot_pages ?? 0);
    const free = BigInt(this.xen.heap.total_avail_pages);
    const x = r.float();
    if (x < 0.3) return U64_MAX; // libxc's "no limit"
    if (x < 0.4) return 0n;
    if (x < 0.55) return r.pick([tot * 4n, tot > 0n ? tot * 4n - 4n : 0n, tot * 4n + 4n, tot * 4n + 3n, tot * 2n, tot * 4n + (1n << 20n)]);
    if (x < 0.7) return BigInt(r.int(Number(free) + 1)) * 4n;
    if (x < 0.85) return 1n << BigInt(r.int(64));
    return r.pick([1n, 3n, 4n, 5n, (1n << 34n) - 4n, (1n << 34n) - 1n, 1n << 34n, 1n << 63n, U64_MAX - 3n]);
  }

  /** A xenctl_bitmap for setnodeaffinity: one online node, a subset, all, none, offline only,
   *  odd sizes and a NULL buffer. */
  private genNodemap(r: Draw): { nr_bits: number; bitmap: number[] | null } {
    const online = [...this.xen.host.node_online_map.bits()];
    const nr_bits = r.chance(0.85) ? 64 : r.pick([0, 1, 3, 8, 65, 128, 512]);
    const bytes = new Array<number>(Math.max(8, Math.ceil(nr_bits / 8))).fill(0);
    const set = (n: number): void => {
      bytes[n >> 3]! |= 1 << (n & 7);
    };
    const x = r.float();
    if (x < 0.4) set(r.pick(online));
    else if (x < 0.6) for (const n of online) if (r.chance(0.5)) set(n);
    else if (x < 0.75) bytes.fill(0xff);
    else if (x < 0.85) set(r.range(online.length, MAX_NUMNODES - 1));
    // else: empty
    if (r.chance(0.03)) return { nr_bits: Math.max(nr_bits, 8), bitmap: null };
    return { nr_bits, bitmap: bytes.slice(0, Math.ceil(nr_bits / 8) + (r.chance(0.1) ? 0 : 1)) };
  }

  private genOrder(r: Draw): number {
    const x = r.float();
    if (this.plan.pressure && r.chance(0.3)) return MAX_ORDER;
    if (x < 0.3) return 0;
    if (x < 0.45) return 9;
    if (x < 0.52) return 18;
    if (x < 0.8) return r.range(0, MAX_ORDER);
    if (x < 0.92) return r.pick([10, 12, 19, 20]);
    return r.pick([31, 32, 63, 64, 0x7fffffff, 0xffffffff]);
  }

  /** XENMEMF_* flags: none, a node, an exact node, invalid nodes, and stray bits. */
  private genMemFlags(r: Draw, pod: boolean): number {
    const nodes = [...this.xen.host.node_online_map.bits()];
    const x = r.float();
    let f = 0;
    if (x < 0.4) f = 0;
    else if (x < 0.7) f = XENMEMF_node(r.pick(nodes));
    else if (x < 0.85) f = XENMEMF_exact_node(r.pick(nodes));
    else {
      const n = r.pick([nodes.length, MAX_NUMNODES - 1, MAX_NUMNODES, 100, 254]);
      f = r.chance(0.5) ? XENMEMF_exact_node(n) : XENMEMF_node(n);
      if (r.chance(0.1)) f = XENMEMF_node(255); // (255 + 1) << 8 spills into the PoD bit
    }
    if (pod && r.chance(0.04)) f |= XENMEMF_populate_on_demand;
    if (r.chance(0.03)) f |= XENMEMF_vnode;
    if (r.chance(0.06)) f |= r.pick([1, 12, 13, 14, 20, 31, 32, 33, this.topBits - 1, this.topBits, 255]);
    return f >>> 0;
  }

  /** nr_extents: the list length mostly; 0, short of or past the list, and the edges. */
  private genNr(r: Draw, len: number): number {
    const x = r.float();
    if (x < 0.55) return len;
    if (x < 0.7) return r.int(len + 1);
    if (x < 0.78) return len + r.range(1, 8);
    return r.pick([0, 1, 2, MEMOP_MAX_EXTENTS, MEMOP_MAX_EXTENTS + 1, 0xffffffff, 2 ** 32, Number.MAX_SAFE_INTEGER, r.pow2ish(26)]);
  }

  private genRes(r: Draw, sub: number, callerId: number, ref: number | null): SimOp {
    const prefer =
      sub === XENMEM.decrease_reservation ? (d: Domain): boolean => d.tot_pages > 0 && (!d.is_hvm || (d.p2m?.entries ?? 0) > 0) : (d: Domain): boolean => d.max_pages > d.tot_pages;
    const domidArg = callerId !== 0 && r.chance(0.5) ? r.pick([DOMID_SELF, callerId]) : this.genTarget(r, prefer);
    const caller = this.xen.domain(domid(callerId))!;
    const d = domidArg === DOMID_SELF ? caller : this.xen.domain(domid(domidArg));
    // Guests mostly give back what they were given: 4 KiB pages and 2 MiB superpages.
    const order = sub === XENMEM.decrease_reservation && r.chance(0.5) ? r.pick([0, 0, 9]) : this.genOrder(r);
    const mem_flags = this.genMemFlags(r, sub === XENMEM.populate_physmap);
    const len = r.pick([1, 1, 2, 4, 8, r.range(1, 32), MAX_LIST]);
    let list: number[] | null;
    if (sub === XENMEM.increase_reservation) list = r.chance(0.6) ? null : new Array<number>(len).fill(0);
    else if (r.chance(0.04)) list = null;
    else if (sub === XENMEM.populate_physmap) list = this.genGfns(r, d, order, len);
    else list = d?.is_hvm === true ? this.genGfns(r, d, order, len, true) : this.genMfns(r, d, order, len);
    let nr_extents = this.genNr(r, list?.length ?? len);
    const a: ResArgs = { caller: callerId, domid: domidArg, nr_extents, extent_order: order, mem_flags, list };
    if (sub === XENMEM.increase_reservation && this.increaseWork(a, 0) > INCREASE_WORK_CAP) {
      nr_extents = r.range(1, MAX_LIST);
      a.nr_extents = nr_extents;
    }
    return { kind: 'res', sub, ref, ...a };
  }

  /** An upper bound on the extents an increase_reservation from `start` would allocate. */
  private increaseWork(a: ResArgs, start: number): number {
    const caller = this.xen.domain(domid(a.caller));
    const d = a.domid === DOMID_SELF ? caller : this.xen.domain(domid(a.domid));
    if (caller === undefined || d === undefined || a.extent_order > MAX_ORDER) return 0;
    const per = 2 ** a.extent_order;
    const room = Math.max(d.max_pages - d.tot_pages, 0);
    return Math.min(a.nr_extents - start, Math.floor(room / per) + 1, Math.floor(this.xen.heap.total_avail_pages / per) + 1);
  }

  /** GFNs: a run from a base (fresh, already populated, 0, powers of two, near and past the
   *  p2m limit), with some entries repeated or replaced. */
  private genGfns(r: Draw, d: Domain | undefined, order: number, len: number, mappedFirst = false): number[] {
    const stride = order <= 40 ? 2 ** order : 1;
    const p2m = d?.p2m ?? null;
    const mapped = p2m === null ? [] : [...p2m];
    const x = mappedFirst && r.chance(0.6) ? 0.5 : r.float();
    let base: number;
    if (x < 0.35) base = r.int(2 ** 20) * stride;
    else if (x < 0.6 && mapped.length > 0) {
      const run = r.pick(mapped);
      base = run.gfn + r.int(run.count);
      if (r.chance(0.7)) base -= base % stride;
    } else if (x < 0.7) base = 0;
    else if (x < 0.82) base = r.pow2ish(52);
    else if (x < 0.95) base = r.pick([P2M_MAX_GFNS - stride * len, P2M_MAX_GFNS - stride, P2M_MAX_GFNS - 1, P2M_MAX_GFNS]);
    else base = Number.MAX_SAFE_INTEGER;
    const out: number[] = [];
    for (let i = 0; i < len; i++) {
      let g = Math.min(Math.max(base + i * stride, 0), Number.MAX_SAFE_INTEGER);
      if (r.chance(0.05) && out.length > 0) g = r.pick(out);
      else if (r.chance(0.03)) g = r.pow2ish(40);
      out.push(g);
    }
    return out;
  }

  /** MFNs for a PV decrease: the target's own frames (aligned or not), another domain's,
   *  free ones, MFN 0, the top of RAM and beyond, and the PCI hole. */
  private genMfns(r: Draw, d: Domain | undefined, order: number, len: number): number[] {
    const stride = order <= 40 ? 2 ** order : 1;
    const runsOf = (e: Domain | undefined): [number, number][] => (e === undefined ? [] : e.owned.flatMap((s) => [...s].map(([a, b]) => [a, b] as [number, number])));
    const mine = runsOf(d);
    const others = this.xen.domains_in_order().filter((e) => e !== d).flatMap(runsOf);
    const free = [...this.xen.heap.blocks()].slice(0, 256);
    const maxPage = this.xen.host.max_page;
    const from = (runs: [number, number][]): number => {
      const [s, e] = r.pick(runs);
      return s + r.int(e - s);
    };
    const x = r.float();
    let base: number;
    if (x < 0.6 && mine.length > 0) base = from(mine);
    else if (x < 0.7 && others.length > 0) base = from(others);
    else if (x < 0.78 && free.length > 0) base = r.pick(free)[0];
    else base = r.pick([0, 1, maxPage - 1, maxPage, 3 * 2 ** 18 + 5, Number.MAX_SAFE_INTEGER - 64]);
    if (r.chance(0.6)) base -= base % stride;
    const out: number[] = [];
    for (let i = 0; i < len; i++) {
      let m = Math.min(base + i * stride, Number.MAX_SAFE_INTEGER);
      if (r.chance(0.05) && mine.length > 0) m = from(mine);
      out.push(m);
    }
    return out;
  }

  /** XEN_DOMCTL_claim_memory against a domain that has room to claim, mostly. */
  private genClaimSet(r: Draw, callerId: number): SimOp {
    return genClaimSetOp(this, r, callerId, this.genTarget(r, (d) => d.max_pages > d.tot_pages));
  }

  /** Claims: 0 (cancel), around tot and max_pages, what fits the free memory, and edges. */
  private genClaim(r: Draw, callerId: number): SimOp {
    const domidArg = this.genTarget(r, (d) => d.max_pages > d.tot_pages);
    const d = domidArg === DOMID_SELF ? undefined : this.xen.domain(domid(domidArg));
    const heap = this.xen.heap;
    const tot = d?.tot_pages ?? 0;
    const max = d?.max_pages ?? 0;
    const unclaimed = Math.max(heap.total_avail_pages - heap.outstanding_claims, 0);
    const x = r.float();
    let pages: number;
    if (x < 0.22) pages = 0;
    else if (x < 0.55) pages = tot + 1 + r.int(Math.min(unclaimed, Math.max(max - tot, 1)));
    else if (x < 0.75) pages = r.pick([tot, tot + 1, max, max + 1, tot + unclaimed, tot + unclaimed + 1]);
    else if (x < 0.9) pages = r.pow2ish(40);
    else pages = r.pick([1, 0xffffffff, 2 ** 32, Number.MAX_SAFE_INTEGER]);
    let mem_flags = 0;
    const nodes = [...this.xen.host.node_online_map.bits()];
    if (heap.node_claims_mode === 'xenserver') {
      const y = r.float();
      if (y < 0.4) mem_flags = XENMEMF_exact_node(r.pick(nodes));
      else if (y < 0.5) mem_flags = XENMEMF_exact_node(r.pick([nodes.length, MAX_NUMNODES, 254]));
      else if (y < 0.55) mem_flags = XENMEMF_node(r.pick(nodes));
    } else if (r.chance(0.08)) mem_flags = r.pick([XENMEMF_node(0), XENMEMF_exact_node(0), 1]);
    return {
      kind: 'claim',
      caller: callerId,
      domid: domidArg,
      nr_extents: pages,
      extent_order: r.chance(0.95) ? 0 : r.pick([1, 9, 0xffffffff]),
      mem_flags: mem_flags >>> 0,
      list: r.chance(0.97) ? null : [0],
    };
  }
}

/** XEN_DOMCTL_claim_memory on a claim-set host: mostly SET, some GET and other modes. */
function genClaimSetOp(sim: { xen: Xen }, r: Draw, callerId: number, domidArg: number): SimOp {
  const xen = sim.xen;
  const heap = xen.heap;
  const d = xen.domain(domid(domidArg));
  const m = r.float();
  if (m >= 0.75) {
    const mode = m < 0.96 ? XEN_DOMCTL_CLAIM_MEMORY_GET : r.pick([2, 3, 0xffffffff]);
    const nr = r.pick([0, 1, 1, 2, 3, 4, r.int(8), MAX_CLAIM_ENTRIES, MAX_CLAIM_ENTRIES + 1, 0xffffffff]);
    const entries = r.chance(0.05) ? null : Array.from({ length: Math.min(nr, MAX_CLAIM_ENTRIES) }, () => ({ pages: 0, target: 0, cmd: 0 }));
    return { kind: 'claimset', caller: callerId, domid: domidArg, mode, nr_entries: nr, entries };
  }
  const online = [...xen.host.node_online_map.bits()];
  const tot = d?.tot_pages ?? 0;
  const room = Math.max((d?.max_pages ?? 0) - tot, 0);
  const unclaimed = Math.max(heap.total_avail_pages - heap.outstanding_claims + (d?.outstanding_pages ?? 0), 0);
  const nodeFree = (n: number): number => Math.max(heap.node_avail_pages[n]! - heap.node_claimed_pages[n]! + (d?.node_claims[n] ?? 0), 0);
  const entries: xen_memory_claim[] = [];
  // Pages: 0 often, a share of what fits (free memory, max_pages), the edges, and huge values.
  const amount = (cap: number, parts: number): number => {
    const y = r.float();
    if (y < 0.25) return 0;
    if (y < 0.65) return r.int(Math.min(cap, Math.floor(room / parts), unclaimed) + 1);
    if (y < 0.8) return r.pick([cap, cap + 1, room, room + 1, unclaimed, unclaimed + 1, 1]);
    if (y < 0.92) return r.pow2ish(40);
    return r.pick([0xffffffff, 2 ** 32, 2 ** 52, Number.MAX_SAFE_INTEGER]);
  };
  const shape = r.float();
  if (shape < 0.1) entries.push({ pages: 0, target: r.pick([XEN_DOMCTL_CLAIM_MEMORY_HOST, XEN_DOMCTL_CLAIM_MEMORY_LEGACY, r.pick(online)]), cmd: 0 });
  else if (shape < 0.2) {
    const y = r.float();
    const pages = y < 0.5 ? tot + 1 + r.int(Math.max(Math.min(unclaimed, room), 1)) : y < 0.7 ? 0 : r.pick([tot, tot + 1, tot + room, tot + room + 1, tot + unclaimed + 1]);
    entries.push({ pages, target: XEN_DOMCTL_CLAIM_MEMORY_LEGACY, cmd: 0 });
  } else {
    const k = Math.min(r.pick([1, 1, 2, 3, online.length]), online.length);
    const pool = [...online];
    const parts = k + 1;
    if (r.chance(0.55)) entries.push({ pages: amount(unclaimed, parts), target: XEN_DOMCTL_CLAIM_MEMORY_HOST, cmd: 0 });
    for (let i = 0; i < k; i++) {
      const n = pool.splice(r.int(pool.length), 1)[0]!;
      entries.push({ pages: amount(nodeFree(n), parts), target: n, cmd: 0 });
    }
  }
  // Bad values: an offline or out-of-range node, a duplicate node, a second HOST/LEGACY
  // entry, LEGACY with a node, and a reserved cmd.
  const b = r.float();
  const nodeEntries = entries.filter((e) => e.target < MAX_NUMNODES);
  if (b < 0.05) {
    const offline = Array.from({ length: MAX_NUMNODES }, (_, n) => n).filter((n) => !xen.host.node_online_map.test(n));
    const target = offline.length > 0 && r.chance(0.6) ? r.pick(offline) : r.pick([MAX_NUMNODES, 255, 0x7fffffff, 0xc0000000, 0xffffffff]);
    entries.splice(r.int(entries.length + 1), 0, { pages: amount(unclaimed, 2), target, cmd: 0 });
  } else if (b < 0.09 && nodeEntries.length > 0) {
    const e = r.pick(nodeEntries);
    entries.push({ pages: r.chance(0.5) ? e.pages : amount(nodeFree(e.target), 2), target: e.target, cmd: 0 });
  } else if (b < 0.12) entries.push({ pages: amount(unclaimed, 2), target: r.pick([XEN_DOMCTL_CLAIM_MEMORY_HOST, XEN_DOMCTL_CLAIM_MEMORY_LEGACY]), cmd: 0 });
  else if (b < 0.14) entries.push({ pages: 0, target: XEN_DOMCTL_CLAIM_MEMORY_LEGACY, cmd: 0 }, { pages: 0, target: r.pick(online), cmd: 0 });
  else if (b < 0.17) r.pick(entries).cmd = r.pick([1, 2, 0x80000000, 0xffffffff]);
  if (r.chance(0.2)) for (let i = entries.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  // nr_entries: the list mostly; 0, one short (the tail unread), one past it (-EFAULT), too many.
  const x = r.float();
  let nr = entries.length;
  if (x < 0.04) nr = 0;
  else if (x < 0.07) nr = Math.max(entries.length - 1, 0);
  else if (x < 0.1) nr = entries.length + 1;
  else if (x < 0.14) nr = r.pick([MAX_CLAIM_ENTRIES + 1, 0xffffffff, 2 ** 31]);
  else if (x < 0.16) {
    // A full set of 65 entries, or 66: within the limit only when every node appears once.
    while (entries.length < MAX_CLAIM_ENTRIES + r.int(2)) entries.push({ pages: 0, target: r.int(MAX_NUMNODES), cmd: 0 });
    nr = entries.length;
  }
  return { kind: 'claimset', caller: callerId, domid: domidArg, mode: XEN_DOMCTL_CLAIM_MEMORY_SET, nr_entries: nr, entries: r.chance(0.02) ? null : entries };
}

/** What hypercall_slice's CONTINUATION becomes in the stats and the return of a slice. */
const CONTINUATION_RC = -0x7fffffff;

/** do_domctl's lookup and XSM: -ESRCH (control domain) or -EPERM for an unknown domain;
 *  -EPERM for anyone but the control domain (XSM PRIV). */
function expectDomctlLookup(caller: Domain, d: Domain | undefined): number {
  if (d === undefined) return caller.is_privileged ? neg('ESRCH') : neg('EPERM');
  return caller.is_privileged ? 0 : neg('EPERM');
}

/** The XENMEM_claim_pages answer by the 4.22 rules (reference 4.7), upstream mode. */
function expectClaim(a: ResArgs, caller: Domain, d: Domain | undefined, pre: { tot: number; max: number; out: number } | null, avail: number, claims: number): number {
  if (a.list !== null || a.extent_order !== 0 || a.mem_flags !== 0) return neg('EINVAL');
  if (d === undefined || pre === null) return neg('EINVAL'); // not -ESRCH; DOMID_SELF is not accepted
  if (!caller.is_privileged) return neg('EPERM');
  if (a.nr_extents === 0) return 0;
  if (pre.out !== 0) return neg('EINVAL');
  if (a.nr_extents <= pre.tot || a.nr_extents > pre.max) return neg('EINVAL');
  if (a.nr_extents - pre.tot > avail - claims) return neg('ENOMEM');
  return 0;
}

/** What a claim-set SET must answer, and on success the claim it installs. */
interface ClaimSetWant {
  rc: number;
  /** On success: d->outstanding_pages and d->claims[] afterwards. */
  out?: number;
  nodes?: Map<number, number>;
}

/**
 * XEN_DOMCTL_claim_memory SET by the v7 rules in their order (reference 10.5: the handler,
 * then domain_set_claim_entries), from the state before the call: the answer, and what a
 * success installs. `avail`/`claims`: total_avail_pages and outstanding_claims.
 */
function expectClaimSet(xen: Xen, caller: Domain, d: Domain | undefined, op: Extract<SimOp, { kind: 'claimset' }>): ClaimSetWant {
  const lookup = expectDomctlLookup(caller, d);
  if (lookup !== 0) return { rc: lookup };
  const heap = xen.heap;
  if (op.nr_entries === 0) return { rc: neg('EINVAL') };
  if (op.nr_entries > MAX_CLAIM_ENTRIES) return { rc: neg('E2BIG') };
  if (op.entries === null || op.entries.length < op.nr_entries) return { rc: neg('EFAULT') }; // copy_from_guest
  const dom = d!;
  let specials = 0;
  let host = 0;
  let legacy: number | null = null;
  const nodes = new Map<number, number>();
  for (const e of op.entries.slice(0, op.nr_entries)) {
    if (e.cmd !== 0) return { rc: neg('EINVAL') };
    if (e.target === XEN_DOMCTL_CLAIM_MEMORY_HOST || e.target === XEN_DOMCTL_CLAIM_MEMORY_LEGACY) {
      specials++;
      if (specials > 1) return { rc: neg('EINVAL') };
      if (e.target === XEN_DOMCTL_CLAIM_MEMORY_HOST) host = e.pages;
      else legacy = e.pages;
      continue;
    }
    if (e.target >= MAX_NUMNODES || !xen.host.node_online_map.test(e.target)) return { rc: neg('ENOENT') };
    if (nodes.has(e.target)) return { rc: neg('EINVAL') };
    const room = heap.node_avail_pages[e.target]! - heap.node_claimed_pages[e.target]! + dom.node_claims[e.target]!;
    if (e.pages > room) return { rc: neg('ENOMEM') };
    nodes.set(e.target, e.pages);
  }
  const unclaimed = heap.total_avail_pages - heap.outstanding_claims;
  if (legacy !== null) {
    if (nodes.size > 0) return { rc: neg('EINVAL') };
    // The 4.22 XENMEM_claim_pages rules (reference 4.7): an absolute target, 0 releases.
    if (legacy === 0) return { rc: 0, out: 0, nodes: new Map() };
    if (dom.outstanding_pages !== 0) return { rc: neg('EINVAL') };
    if (legacy <= dom.tot_pages || legacy > dom.max_pages) return { rc: neg('EINVAL') };
    if (legacy - dom.tot_pages > unclaimed) return { rc: neg('ENOMEM') };
    return { rc: 0, out: legacy - dom.tot_pages, nodes: new Map() };
  }
  const nodeSum = sumOf([...nodes.values()]);
  if (host === 0 && nodeSum === 0) return { rc: 0, out: 0, nodes: new Map() };
  if (nodeSum + host + dom.tot_pages > dom.max_pages) return { rc: neg('EINVAL') };
  if (nodeSum + host > unclaimed + dom.outstanding_pages) return { rc: neg('ENOMEM') };
  return { rc: 0, out: host + nodeSum, nodes };
}

/** domain_get_claim_entries' answer for d (reference 10.5): {HOST, outstanding - node claims},
 *  then one entry per node with a claim, in node order. */
function expectClaimEntries(d: Domain): xen_memory_claim[] {
  const out: xen_memory_claim[] = [{ pages: d.outstanding_pages - sumOf(d.node_claims), target: XEN_DOMCTL_CLAIM_MEMORY_HOST, cmd: 0 }];
  d.node_claims.forEach((c, n) => {
    if (c > 0) out.push({ pages: c, target: n, cmd: 0 });
  });
  return out;
}

const rcName = (rc: number): string => (rc < 0 ? `-${errnoName(-rc)}` : `${rc}`);

/** Why a reservation op must do nothing at all, or null (reference 4.3, 4.11). */
function earlyFailure(xen: Xen, caller: Domain, d: Domain | undefined, sub: number, a: ResArgs, topBits: number): string | null {
  if (a.nr_extents > MEMOP_MAX_EXTENTS) return 'nr_extents > UINT_MAX >> 6';
  if (a.nr_extents === 0) return 'nr_extents = 0';
  if (d === undefined) return 'no such domain';
  const bits = XENMEMF_get_address_bits(a.mem_flags);
  if (bits !== 0 && bits < topBits && bits <= 12) return 'address_bits <= PAGE_SHIFT';
  if ((a.mem_flags & XENMEMF_vnode) === 0) {
    const node = XENMEMF_get_node(a.mem_flags);
    const exact = (a.mem_flags & XENMEMF_exact_node_request) !== 0;
    const placer = caller.domain_id === 0 || caller.is_privileged;
    if (node !== NUMA_NO_NODE && placer && node >= MAX_NUMNODES) return 'node >= MAX_NUMNODES';
    if (node !== NUMA_NO_NODE && !placer && exact) return 'exact node from a domain that may not place memory';
  }
  if (!caller.is_privileged && d !== caller && caller.target !== d) return 'XSM denies';
  const pod = sub === XENMEM.populate_physmap && (a.mem_flags & XENMEMF_populate_on_demand) !== 0;
  if (a.extent_order > (pod ? MAX_ORDER : maxOrderOf(xen, caller))) return 'extent_order > max_order(caller)';
  if (a.list === null && sub !== XENMEM.increase_reservation) return 'NULL list';
  return null;
}

/** The populate extent after the last one done would have been mapped past the GFN limit. */
function mapWouldFail(a: ResArgs, end: number, per: number): boolean {
  const g = a.list?.[end];
  return g !== undefined && g + per > P2M_MAX_GFNS;
}

/** A PV guest's list gets, for each extent done, the first MFN of a naturally aligned extent
 *  it now owns (increase_reservation, populate_physmap: "for PV it is overwritten with MFNs"). */
function checkWrittenMfns(d: Domain, op: xen_memory_op, start: number, end: number, per: number, what: () => string): void {
  if (op.arg.kind !== 'reservation') return;
  const written = op.arg.op.extent_start.written;
  for (let i = start; i < end; i++) {
    const m = written?.[i];
    const owns = m !== undefined && d.owned.reduce((s, set) => s + set.countIn(m, m + per), 0) === per;
    ensure(m !== undefined && m % per === 0 && owns, 'a PV list gets the MFN of each extent done, which the domain owns', () => `${what()}: extent ${i} -> ${m}`);
  }
}

/** The first MFN an address width in mem_flags excludes (zone_hi = bits_to_zone(bits) =
 *  bits - PAGE_SHIFT, so frames below 2^(bits - 12)); past the end of RAM when there is none. */
function addressLimit(mem_flags: number, topBits: number): number {
  const bits = XENMEMF_get_address_bits(mem_flags);
  return bits > 12 && bits < topBits ? 2 ** (bits - 12) : Number.MAX_SAFE_INTEGER;
}

/** Exact-node requests never fall back, and an address width bounds the frames allocated
 *  (get_free_buddy, alloc_domheap_pages; reference 4.3, 7.2, 7.4). Populate and increase free
 *  nothing, so frames off the node, or above the limit, may not grow in number. */
function checkPlacement(xen: Xen, caller: Domain, d: Domain, a: ResArgs, pre: { out: number; claim_node: number; owned: number[]; above: number }, topBits: number, what: () => string): void {
  if (ownedTotal(d) <= pre.owned.reduce((s, v) => s + v, 0)) return;
  const node = XENMEMF_get_node(a.mem_flags);
  const exact = (a.mem_flags & XENMEMF_exact_node_request) !== 0 && (a.mem_flags & XENMEMF_vnode) === 0 && node !== NUMA_NO_NODE;
  // XenServer node claims pin a covered request to the claimed node instead (reference 10.2).
  const pinned = xen.heap.node_claims_mode === 'xenserver' && pre.out > 0 && pre.claim_node !== NUMA_NO_NODE;
  if (exact && !pinned && (caller.domain_id === 0 || caller.is_privileged)) {
    const offBefore = pre.owned.reduce((s, v, n) => s + (n === node ? 0 : v), 0);
    ensure(ownedOffNode(d, node) === offBefore, 'an exact-node request allocates only on that node (get_free_buddy)', () => `${what()}: node ${node}, frames elsewhere ${offBefore} -> ${ownedOffNode(d, node)}`);
  }
  const limit = addressLimit(a.mem_flags, topBits);
  ensure(ownedFrom(d, limit) === pre.above, 'an address width bounds the frames allocated (alloc_domheap_pages)', () => `${what()}: frames at or above MFN ${limit}: ${pre.above} -> ${ownedFrom(d, limit)}`);
}

// ---------------------------------------------------------------------------------------------
// Running seeds

export interface SimResult {
  plan: SimPlan;
  stats: SimStats;
  ops: SimOp[];
  ms: number;
}

/** Boots the seed's host and runs `steps` generated ops, checking after each. */
export function runSim(cfg: SimConfig): SimResult {
  const t0 = performance.now();
  const plan = planFor(cfg);
  const sim = new Sim(plan);
  const ops: SimOp[] = [];
  try {
    checkInvariants(sim.xen);
  } catch (e) {
    if (e instanceof Broken) throw new SimFailure(e.invariant, e.detail, plan, -1, null, []);
    throw e;
  }
  const r = new Draw(cfg.seed);
  for (let i = 0; i < cfg.steps; i++) {
    const op = sim.generate(r);
    ops.push(op);
    if (cfg.trace === true) process.stdout.write(`#${i} ${describeOp(op)}\n`);
    try {
      sim.step(i, op);
    } catch (e) {
      if (e instanceof SimFailure) e.ops = ops;
      throw e;
    }
  }
  return { plan, stats: sim.stats, ops, ms: performance.now() - t0 };
}

/** Replays concrete ops on the seed's host; the failure, or null. */
export function replay(plan: SimPlan, ops: readonly SimOp[]): SimFailure | null {
  const sim = new Sim(plan);
  try {
    ops.forEach((op, i) => sim.step(i, op));
  } catch (e) {
    if (e instanceof SimFailure) return e;
    throw e;
  }
  return null;
}

/** ddmin over the op list: the smallest list found that still breaks the same invariant. */
export function minimize(plan: SimPlan, ops: readonly SimOp[], invariant: string): SimOp[] {
  const fails = (xs: readonly SimOp[]): boolean => replay(plan, xs)?.invariant === invariant;
  let cur = [...ops];
  let n = 2;
  // Bound: each round either shrinks the list or doubles n up to its length.
  while (cur.length >= 2) {
    const chunk = Math.ceil(cur.length / n);
    let reduced = false;
    for (let i = 0; i < cur.length; i += chunk) {
      const without = [...cur.slice(0, i), ...cur.slice(i + chunk)];
      if (without.length > 0 && fails(without)) {
        cur = without;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= cur.length) break;
      n = Math.min(n * 2, cur.length);
    }
  }
  return cur;
}

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${v}`);
  return n;
}

/** `npm run sim`: SIM_SEEDS seeds (from SIM_FIRST_SEED) of SIM_STEPS steps, presets by seed
 *  unless SIM_PRESET; or one seed with SIM_SEED; SIM_MINIMIZE=1 shrinks a failure. */
function main(): number {
  const steps = envInt('SIM_STEPS', 1000);
  const one = process.env.SIM_SEED;
  const first = envInt('SIM_FIRST_SEED', 1);
  const seeds = one !== undefined && one !== '' ? [envInt('SIM_SEED', 0)] : Array.from({ length: envInt('SIM_SEEDS', 200) }, (_, i) => first + i);
  const presetEnv = process.env.SIM_PRESET;
  const t0 = performance.now();
  let failed = 0;
  for (const seed of seeds) {
    const preset = presetEnv !== undefined && presetEnv !== '' ? presetEnv : seed % 10 === 0 ? '64node' : undefined;
    const cfg: SimConfig = { seed, steps, trace: process.env.SIM_TRACE === '1', ...(preset === undefined ? {} : { preset }) };
    try {
      const res = runSim(cfg);
      if (seeds.length === 1 || process.env.SIM_VERBOSE === '1')
        process.stdout.write(`seed ${seed} ${res.plan.preset}: ${steps} steps in ${res.ms.toFixed(0)} ms ${JSON.stringify(res.stats)}\n`);
    } catch (e) {
      if (!(e instanceof SimFailure)) throw e;
      failed++;
      process.stdout.write(`FAIL ${e.message}\n`);
      if (process.env.SIM_MINIMIZE === '1') {
        const min = minimize(e.plan, e.ops.slice(0, e.step + 1), e.invariant);
        const again = replay(e.plan, min);
        process.stdout.write(`minimal reproduction (${min.length} ops on seed ${seed}'s host ${JSON.stringify(e.plan.boot)} ${e.plan.preset}):\n`);
        for (const op of min) process.stdout.write(`  ${describeOp(op)}\n`);
        process.stdout.write(`  -> ${again?.invariant}: ${again?.detail}\n`);
      }
    }
  }
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  process.stdout.write(`memory sim: ${seeds.length - failed}/${seeds.length} seeds passed, ${steps} steps each, ${s} s\n`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) process.exitCode = main();

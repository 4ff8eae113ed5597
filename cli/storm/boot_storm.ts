// `xenemu boot-storm`: N VMs built concurrently through xenopsd (legacy or current) or libxl,
// every round trip through the seeded StormScheduler, then the locality report of what landed
// where. I/O only; the report, table and picture are pure (report.ts, svg.ts).
import { SeededRng } from '../../hypervisor/clock.js';
import { libxl_ctx_alloc, libxl_ctx_free, type libxl_ctx } from '../../libxl/libxl.js';
import { libxl_domain_create_new } from '../../libxl/libxl_create.js';
import { libxl_domain_destroy } from '../../libxl/libxl_domain.js';
import { LIBXL_DOMAIN_TYPE, libxl_domain_config_init, type libxl_domain_config } from '../../libxl/libxl_types.js';
import { libxl_bitmap_alloc, libxl_bitmap_set, libxl_bitmap_test, type libxl_bitmap } from '../../libxl/libxl_utils.js';
import { isXenError, xc_domain_claim_pages_node, xc_domain_destroy, xc_interface_close, xc_interface_open, type xc_interface } from '../../libxc/xenctrl.js';
import { xs_close, xs_open, xs_write, XBT_NULL, type xs_handle } from '../../libxenstore/xs.js';
import type { HypervisorClient } from '../../proto/generated/xen/Hypervisor.js';
import type { XenstoreClient } from '../../proto/generated/xen/Xenstore.js';
import { Xenopsd, type Generation } from '../../xenopsd/domain.js';
import { HVM } from '../../xenopsd/memory_model.js';
import { readHostState } from './host_state.js';
import type { StormOutputInput } from './output.js';
import { domainRow, failedRow, summarize, type VmRow } from './report.js';
import { HYPERVISOR_METHODS, StormScheduler, XENSTORE_METHODS, builderOf, scheduledClient } from './scheduler.js';
import type { VmSpec } from './workload.js';

export type Toolstack = 'xenopsd-legacy' | 'xenopsd' | 'libxl';
export type Claims = 'none' | 'global' | 'node';
export const TOOLSTACKS: readonly Toolstack[] = ['xenopsd-legacy', 'xenopsd', 'libxl'];
export const CLAIMS: readonly Claims[] = ['none', 'global', 'node'];

/** The claims a toolstack runs with when --claims is not given. */
export const DEFAULT_CLAIMS: Record<Toolstack, Claims> = { 'xenopsd-legacy': 'none', xenopsd: 'node', libxl: 'global' };

export class StormError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StormError';
  }
}

/**
 * What each toolstack can do: legacy xenopsd never claimed; current xenopsd claims per node with
 * XenServer's libxc (node) and cannot claim at all with upstream's, where Xenctrlext's one claim
 * stub is ENOSYS (none); it has no host-wide-only mode; libxl's claim_mode is host-wide (global).
 */
export function checkClaims(toolstack: Toolstack, claims: Claims): void {
  if (toolstack === 'xenopsd-legacy' && claims !== 'none') throw new StormError(`--claims ${claims}: legacy xenopsd makes no claims (use --claims none, or --toolstack xenopsd)`);
  if (toolstack === 'xenopsd' && claims === 'global')
    throw new StormError('--claims global: current xenopsd claims per node with XenServer\'s libxc (--claims node; host-wide only as its fallback) and cannot claim with upstream libxc (--claims none)');
  if (toolstack === 'libxl' && claims === 'node') throw new StormError('--claims node: libxl has no per-node claim (claim_mode is host-wide: use --claims global or none)');
}

export interface StormOptions {
  address: string;
  toolstack: Toolstack;
  claims: Claims;
  concurrency: number;
  seed: number;
  vms: readonly VmSpec[];
  /** Called after every VM finishes (progress). */
  onVmDone?: (done: number, total: number) => void;
  /** Keep the scheduler's step trace in the result (tests). */
  keepTrace?: boolean;
  /** Called after every scheduled step (an embedded host advances its clock here). */
  onStep?: (steps: number) => void;
}

export interface StormResult extends Omit<StormOutputInput, 'host' | 'toolstack' | 'claims'> {
  toolstack: Toolstack;
  claims: Claims;
  trace: { builder: number; what: string }[];
}

interface Outcome {
  domid: number | null;
  intended: number | null;
  error: string | null;
}

const errText = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const c = cause instanceof Error && !e.message.includes(cause.message) ? `: ${cause.message}` : '';
  return `${e.name}: ${e.message}${c}`;
};

/** Whether the server takes XenServer's per-node claims: a zero-page node claim for dom0 succeeds only there. */
async function supportsNodeClaims(xch: xc_interface): Promise<boolean> {
  try {
    await xc_domain_claim_pages_node(xch, 0, 0, 0);
    return true;
  } catch (e) {
    if (isXenError(e)) return false;
    throw e;
  }
}

/** Deterministic bytes for libxl's UUIDs. */
const seededBytes = (rng: SeededRng) => (n: number): Uint8Array => Uint8Array.from({ length: n }, () => rng.next_u32() & 0xff);

type Build = (slot: number, vm: VmSpec) => Promise<Outcome>;

interface Toolkit {
  build: Build;
  destroy: (domid: number) => Promise<void>;
  close: () => void;
}

/** Routes a client's calls to the calling builder's own client (by async context), the shared one outside any builder. */
function routedClient<C extends object>(shared: C, perSlot: readonly C[], methods: readonly string[]): C {
  return new Proxy(shared, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && methods.includes(prop)) {
        return (...args: unknown[]): unknown => {
          const b = builderOf();
          const c = (b === undefined ? target : perSlot[b]!) as Record<string, (...a: unknown[]) => unknown>;
          return c[prop]!(...args);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** The interposers that put the scheduler in front of a libxc or xenstore handle's client. */
const scheduledXc = (sched: StormScheduler) => (c: HypervisorClient): HypervisorClient => scheduledClient(c, sched, HYPERVISOR_METHODS, builderOf);
const scheduledXs = (sched: StormScheduler) => (c: XenstoreClient): XenstoreClient => scheduledClient(c, sched, XENSTORE_METHODS, builderOf);

/** xenopsd: one Xenopsd (one numa_mutex, one NUMA.choose usage), each builder with its own libxc and xenstore handles. */
async function xenopsdKit(o: StormOptions, sched: StormScheduler, slots: number): Promise<Toolkit> {
  const own: xc_interface[] = [];
  const xsh: xs_handle[] = [];
  let shared: xc_interface;
  try {
    for (let i = 0; i < slots; i++) {
      own.push(await xc_interface_open(o.address, { interpose: scheduledXc(sched) }));
      xsh.push(await xs_open(o.address, { interpose: scheduledXs(sched) }));
    }
    // The one handle the shared Xenopsd holds sends each call through the calling builder's own.
    shared = await xc_interface_open(o.address, { interpose: (c) => routedClient(c, own.map((x) => x.client), HYPERVISOR_METHODS) });
  } catch (e) {
    own.forEach(xc_interface_close);
    xsh.forEach(xs_close);
    throw e;
  }
  const generation: Generation = o.toolstack === 'xenopsd-legacy' ? 'legacy' : 'current';
  const x = new Xenopsd({
    xch: shared,
    generation,
    policy: 'Best_effort',
    node_claims_api: o.claims === 'node',
    sleep: () => sched.sleep(builderOf() ?? 0),
  });
  return {
    build: async (slot, vm) => {
      const req = { vcpus: vm.vcpus, memory: HVM.full_config(vm.memory_mib, 0, vm.memory_mib, vm.vcpus, 1.0), hard_affinity: [] };
      let domid: number | null = null;
      let intended: number | null = null;
      try {
        domid = await x.make_hvm(vm.vcpus, req.memory);
        await xs_write(xsh[slot]!, XBT_NULL, `/local/domain/${domid}/name`, vm.name); // Domain.make writes the name
        const r = await x.domain_build(domid, req, {
          after_build_pre: async (node) => {
            intended = node;
          },
        });
        return { domid, intended: r.node, error: null };
      } catch (e) {
        // xapi's VM.start cleans up after a failed build.
        if (domid !== null) await xc_domain_destroy(shared, domid).catch(() => undefined);
        return { domid: null, intended, error: errText(e) };
      }
    },
    destroy: (domid) => xc_domain_destroy(shared, domid),
    close: () => {
      own.forEach(xc_interface_close);
      xsh.forEach(xs_close);
      xc_interface_close(shared);
    },
  };
}

function libxlConfig(vm: VmSpec, claims: Claims): libxl_domain_config {
  const d = libxl_domain_config_init();
  d.c_info.type = LIBXL_DOMAIN_TYPE.HVM;
  d.c_info.name = vm.name;
  d.b_info.max_vcpus = vm.vcpus;
  d.b_info.avail_vcpus = libxl_bitmap_alloc(vm.vcpus);
  for (let i = 0; i < vm.vcpus; i++) libxl_bitmap_set(d.b_info.avail_vcpus, i);
  d.b_info.max_memkb = d.b_info.target_memkb = vm.memory_mib * 1024;
  d.b_info.claim_mode = claims === 'global';
  return d;
}

/** The one node set in a nodemap, or null. */
function singleNode(map: libxl_bitmap, nodes: number): number | null {
  const set = Array.from({ length: nodes }, (_, n) => n).filter((n) => libxl_bitmap_test(map, n));
  return set.length === 1 ? set[0]! : null;
}

/** libxl: each builder its own ctx (libxc and xenstore handles), as concurrent `xl create`s have. */
async function libxlKit(o: StormOptions, sched: StormScheduler, slots: number, nodes: number): Promise<Toolkit> {
  const ctxs: libxl_ctx[] = [];
  try {
    for (let i = 0; i < slots; i++) {
      const ctx = await libxl_ctx_alloc({
        address: o.address,
        random_bytes: seededBytes(new SeededRng((o.seed + i * 0x9e3779b9) >>> 0)),
        interpose_xc: scheduledXc(sched),
        interpose_xs: scheduledXs(sched),
      });
      ctxs.push(ctx);
    }
  } catch (e) {
    ctxs.forEach(libxl_ctx_free);
    throw e;
  }
  return {
    build: async (slot, vm) => {
      const d = libxlConfig(vm, o.claims);
      try {
        const domid = await libxl_domain_create_new(ctxs[slot]!, d);
        return { domid, intended: singleNode(d.b_info.nodemap, nodes), error: null };
      } catch (e) {
        return { domid: null, intended: singleNode(d.b_info.nodemap, nodes), error: errText(e) };
      }
    },
    destroy: (domid) => libxl_domain_destroy(ctxs[0]!, domid),
    close: () => ctxs.forEach(libxl_ctx_free),
  };
}

/** Bound on the storm-N- prefixes tried before giving up on a free one. */
const MAX_PREFIXES = 1000;

/** The VMs renamed storm<k>-<i> with the first k (storm, storm2, ...) no domain name uses: libxl refuses a name that exists. */
export function uniqueNames(vms: readonly VmSpec[], taken: ReadonlySet<string>): VmSpec[] {
  for (let k = 1; k <= MAX_PREFIXES; k++) {
    const prefix = k === 1 ? 'storm' : `storm${k}`;
    if ([...taken].some((n) => n.startsWith(`${prefix}-`))) continue;
    return vms.map((v, i) => ({ ...v, name: `${prefix}-${i + 1}` }));
  }
  throw new StormError(`no free VM name prefix among storm-, storm2- ... storm${MAX_PREFIXES}-`);
}

/** Runs the storm against the server at o.address; the VMs stay unless `destroy`. */
export async function bootStorm(o: StormOptions & { destroy?: boolean }): Promise<StormResult> {
  checkClaims(o.toolstack, o.claims);
  const probe = await xc_interface_open(o.address);
  let xsh: xs_handle | null = null;
  let kit: Toolkit | undefined;
  try {
    xsh = await xs_open(o.address);
    if (o.claims === 'node' && !(await supportsNodeClaims(probe))) throw new StormError(`--claims node: the server at ${o.address} has no per-node claims (start it with --node-claims xenserver)`);
    const before = await readHostState(probe, xsh);
    const existing = new Set(before.domains.map((d) => d.domid));
    const vms = uniqueNames(o.vms, new Set(before.domains.flatMap((d) => (d.name === null ? [] : [d.name]))));
    const sched = new StormScheduler(o.seed, { keepTrace: o.keepTrace ?? false });
    if (o.onStep !== undefined) sched.onStep = o.onStep;
    const slots = Math.min(o.concurrency, vms.length);
    kit = o.toolstack === 'libxl' ? await libxlKit(o, sched, slots, before.nodes.length) : await xenopsdKit(o, sched, slots);
    const k = kit;
    let done = 0;
    const t0 = performance.now();
    const outcomes = await sched.run(vms, o.concurrency, async (slot, vm) => {
      const r = await k.build(slot, vm);
      o.onVmDone?.(++done, vms.length);
      return r;
    });
    const wall_ms = performance.now() - t0;
    const after = await readHostState(probe, xsh);
    const byId = new Map(after.domains.map((d) => [d.domid, d]));
    const hostNodes = after.nodes.length;
    const mine = new Set<number>();
    const rows = vms.map((vm, i): VmRow => {
      const r = outcomes[i]!;
      const out: Outcome = r.status === 'fulfilled' ? r.value : { domid: null, intended: null, error: errText(r.reason) };
      const d = out.domid === null ? undefined : byId.get(out.domid);
      if (out.error !== null || d === undefined) return failedRow(vm.name, vm.memory_mib, vm.vcpus, hostNodes, out.intended, out.error ?? 'the domain vanished');
      mine.add(d.domid);
      return { ...domainRow({ ...d, name: vm.name }, hostNodes, out.intended ?? d.affinity_node), memory_mib: vm.memory_mib, vcpus: vm.vcpus, error: null };
    });
    const others = after.domains.filter((d) => !mine.has(d.domid) && (existing.has(d.domid) || d.domid === 0)).map((d) => ({ domid: d.domid, name: d.name ?? `Domain-${d.domid}`, node_pages: d.node_pages }));
    if (o.destroy === true) for (const id of mine) await kit.destroy(id);
    return {
      toolstack: o.toolstack,
      claims: o.claims,
      seed: o.seed,
      concurrency: o.concurrency,
      nodes: after.nodes,
      vms: rows,
      others,
      summary: summarize(rows),
      wall_ms,
      steps: sched.steps,
      trace: [...sched.trace()],
    };
  } finally {
    kit?.close();
    if (xsh !== null) xs_close(xsh);
    xc_interface_close(probe);
  }
}

// xenopsd's Domain build path, NUMA part (xapi-project/xen-api ocaml/xenopsd/xc/domain.ml):
// numa_hierarchy, numa_init, numa_placement, wait_xen_free_mem, build_pre, then the xenguest
// HVM build. Two generations: 'current' (claims under the mutex, e2ee48d6; xen-userspace.md §5.6)
// and 'legacy' (a810aeb2^: no claims, soft affinity from the plan, the numa_resources minimum; §5.7).
import {
  isXenError,
  xc_domain_create,
  xc_domain_getinfo_single,
  xc_domain_max_vcpus,
  xc_domain_setmaxmem,
  xc_physinfo,
  type xc_createdomain_config,
  type xc_interface,
} from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import type { MemoryConfig } from './memory_model.js';
import { Mutex } from './mutex.js';
import { affinity_of_numa_affinity_policy, cores_of_numa_affinity_policy, default_numa_affinity_policy, type affinity, type numa_affinity_policy } from './policy.js';
import { plan } from './softaffinity.js';
import { InvalidArgument, NUMARequest, NUMAResource, numa_hierarchy as make_hierarchy, type CPUSet, type NUMA } from './topology.js';
import {
  NumaNode,
  Unix_error,
  cputopoinfo,
  domain_claim_pages,
  error_message,
  get_handle,
  get_max_nr_cpus,
  handle_outcome,
  numa_get_meminfo,
  numainfo,
  vcpu_setaffinity_hard,
  vcpu_setaffinity_soft,
  vcpu_setaffinity_soft_legacy,
  type Logger,
  type XenctrlextHandle,
} from './xenctrlext.js';
import { hvm_build, type MemPnodeHandling } from './xenguest.js';
import { Domain_build_failed, Domain_build_pre_failed, Not_enough_memory } from './xenopsd_error.js';
import type { xc_dom_image } from '../xenguest/xc_dom.js';

/** Which xenopsd: 'current' (§5.6) or 'legacy' (§5.7, before a810aeb2). */
export type Generation = 'current' | 'legacy';

export interface XenopsdOptions {
  xch: xc_interface;
  generation: Generation;
  /** Host.numa_affinity_policy; default as xenopsd.conf's defaults give (Best_effort). */
  policy?: numa_affinity_policy;
  log?: Logger;
  /** Thread.delay of wait_xen_free_mem; inject one that advances a test clock. Default: a real sleep. */
  sleep?: (seconds: number) => Promise<void>;
  /** Whether Xenctrlext was built against XenServer's libxc (node claims, node pages); default true. */
  node_claims_api?: boolean;
  /** What xenguest does with -mem_pnode (xenguest.ts); default 'exact_node'. */
  mem_pnode?: MemPnodeHandling;
  /** Xenctrl.physinfo as wait_xen_free_mem reads it; default xc_physinfo. Xen 4.22 always reports
   *  scrub_pages 0, so only a substitute can show the waiting loop. */
  physinfo?: () => Promise<{ free_pages: number; scrub_pages: number }>;
}

/** A VM to build: its vCPUs, Memory_model figures and VCPUs-params:mask (one CPU list per vCPU). */
export interface BuildRequest {
  vcpus: number;
  memory: MemoryConfig;
  hard_affinity: readonly (readonly number[])[];
}

/** Bounds on a build request: HVM guests have at most 128 vCPUs in Xen; masks at most that many lists of at most 2^20 CPUs. */
export const MAX_BUILD_VCPUS = 128;
export const MAX_MASK_CPUS = 1 << 20;

const MiB = 1 << 20;
const PAGE = 4096;
/** DOMID_ANY (public/xen.h): Xen picks the domid. */
const DOMID_ANY = 0x7ff5;

/** Port of Memory.is_power_of_2 (memory.ml): n > 0 && n land (-n) = n. */
const is_power_of_2 = (n: number): boolean => n > 0 && (n & -n) === n;

/** Fmt.Dump.seq int, as CPUSet.pp_dump prints: [0; 1; 2]. */
const dumpSeq = (xs: readonly number[]): string => `[${xs.join('; ')}]`;
const dumpArray = (xs: readonly string[]): string => `[|${xs.join('; ')}|]`;

function uuidOf(handle: Uint8Array): string {
  const h = Buffer.from(handle).toString('hex').padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function checkRequest(r: BuildRequest): void {
  if (!Number.isInteger(r.vcpus) || r.vcpus < 1 || r.vcpus > MAX_BUILD_VCPUS) throw new InvalidArgument(`vcpus must be an integer in [1, ${MAX_BUILD_VCPUS}]: ${r.vcpus}`);
  if (r.hard_affinity.length > MAX_BUILD_VCPUS) throw new InvalidArgument(`hard_affinity: at most ${MAX_BUILD_VCPUS} masks: ${r.hard_affinity.length}`);
  for (const m of r.hard_affinity) {
    if (m.length > MAX_MASK_CPUS) throw new InvalidArgument(`hard_affinity: a mask of ${m.length} CPUs (bound ${MAX_MASK_CPUS})`);
    for (const c of m) if (!Number.isInteger(c)) throw new InvalidArgument(`hard_affinity: CPU ${c} is not an integer`);
  }
  const mem = r.memory;
  for (const k of ['build_max_mib', 'build_start_mib', 'xen_max_mib', 'required_host_free_mib', 'build_claim_pages'] as const)
    if (!Number.isSafeInteger(mem[k]) || mem[k] < 0) throw new InvalidArgument(`memory.${k} must be a non-negative integer: ${mem[k]}`);
}

/** The masks of the vCPUs as build_pre's apply_hard_vcpu_map takes them: the first repeated past the list, `vcpus` of them. */
function vcpuMasks(hard: BuildRequest['hard_affinity'], vcpus: number): (readonly number[])[] {
  const first = hard[0];
  if (first === undefined) return [];
  return Array.from({ length: vcpus }, (_, i) => hard[i] ?? first);
}

/** One xenopsd process's view of the host: the hierarchy is built once, placements serialize on numa_mutex. */
export class Xenopsd {
  readonly xch: xc_interface;
  readonly generation: Generation;
  policy: numa_affinity_policy;
  private readonly log: Logger;
  private readonly sleep: (seconds: number) => Promise<void>;
  private readonly mem_pnode: MemPnodeHandling;
  private readonly physinfo: () => Promise<{ free_pages: number; scrub_pages: number }>;
  readonly xcext: XenctrlextHandle;
  /** Port of numa_mutex: every placement of this instance runs under it. */
  private readonly numa_mutex = new Mutex();
  private hierarchy: Promise<{ host: NUMA | null; dump: string }> | undefined;
  /** Port of the legacy numa_resources ref: per-node resources that only ever shrink. */
  private numaResources: NUMAResource[] | null = null;

  constructor(o: XenopsdOptions) {
    this.xch = o.xch;
    this.generation = o.generation;
    this.policy = o.policy ?? default_numa_affinity_policy();
    this.log = o.log ?? (() => {});
    this.sleep = o.sleep ?? ((s) => new Promise((resolve) => setTimeout(resolve, s * 1000)));
    this.mem_pnode = o.mem_pnode ?? 'exact_node';
    this.physinfo = o.physinfo ?? (() => xc_physinfo(o.xch));
    this.xcext = get_handle(o.xch, this.log, o.node_claims_api ?? true);
  }

  private debug(s: string): void {
    this.log('debug', s);
  }

  /** The legacy numa_resources (a copy), null before the first placement. */
  numa_resources(): NUMAResource[] | null {
    return this.numaResources === null ? null : [...this.numaResources];
  }

  /**
   * Port of numa_hierarchy (lazy, once per instance): distances from numainfo, cpu_to_node from
   * cputopoinfo, node_cores = distinct core ids per node. A failure is remembered, as a raising Lazy is.
   */
  numa_hierarchy(): Promise<NUMA | null> {
    this.hierarchy ??= (async () => {
      const distances = (await numainfo(this.xcext)).distances;
      const topo = await cputopoinfo(this.xcext);
      const host = make_hierarchy(distances, topo);
      if (host === null) return { host, dump: 'None' };
      const cores = distances.map((_, n) => host.coreset_of_node(n));
      const dump =
        `Some {distances = ${dumpArray(distances.map((r) => dumpArray(r.map(String))))}; ` +
        `cpu2node = ${dumpArray(topo.map((t) => String(t.node)))}; ` +
        `node_cpus = ${dumpArray(distances.map((_, n) => dumpSeq(host.cpuset_of_node(n).elements())))}; ` +
        `node_cores = ${dumpArray(cores.map(String))}}`;
      return { host, dump };
    })();
    return this.hierarchy.then((h) => h.host);
  }

  /** Port of numa_init: the hierarchy and each node's free/size(/claimed) memory, at debug. */
  async numa_init(): Promise<void> {
    await this.numa_hierarchy();
    this.debug(`Host NUMA information: ${(await this.hierarchy!).dump}`);
    if (this.generation === 'legacy') {
      (await numainfo(this.xcext)).memory.forEach((m, i) => this.debug(`NUMA node ${i}: ${m.memfree}/${m.memsize} memory free`));
      return;
    }
    const mi = await numa_get_meminfo(this.xcext);
    if (mi.ok) mi.value.forEach((m, i) => this.debug(`NUMA node ${i}: ${m.free}/${m.size}/${m.claimed} memory free`));
  }

  /**
   * Port of wait_xen_free_mem: polls physinfo once a second (on the injected sleep) until
   * free_pages covers `required_memory_kib`; gives up at once when nothing is being scrubbed,
   * and after `maximum_wait_time_seconds`. Logs at t = 0 (current only) and at powers of two.
   */
  async wait_xen_free_mem(required_memory_kib: number, maximum_wait_time_seconds = 64): Promise<boolean> {
    if (!Number.isSafeInteger(required_memory_kib) || required_memory_kib < 0) throw new InvalidArgument(`wait_xen_free_mem: bad KiB ${required_memory_kib}`);
    if (!Number.isInteger(maximum_wait_time_seconds) || maximum_wait_time_seconds < 0 || maximum_wait_time_seconds > 3600) throw new InvalidArgument(`wait_xen_free_mem: wait must be in [0, 3600] s: ${maximum_wait_time_seconds}`);
    for (let waited = 0; ; waited++) {
      const info = await this.physinfo();
      const free_memory_kib = info.free_pages * 4;
      const scrub_memory_kib = info.scrub_pages * 4;
      // Logged at exponentially growing intervals; t = 0 only since the claims rework (legacy: powers of two only).
      if ((waited === 0 && this.generation === 'current') || is_power_of_2(waited))
        this.debug(`Waited ${waited} second(s) for memory to become available: ${free_memory_kib} KiB free, ${scrub_memory_kib} KiB scrub, ${required_memory_kib} KiB required`);
      if (free_memory_kib >= required_memory_kib) return true;
      if (scrub_memory_kib === 0) return false; // "We'll never have enough memory."
      if (waited >= maximum_wait_time_seconds) return false;
      await this.sleep(1);
    }
  }

  /** Port of set_affinity: Hard raises on failure, Soft only warns (Xenctrlext wraps it). */
  private async set_affinity(a: affinity, domid: number, vcpu: number, mask: boolean[]): Promise<void> {
    if (a === 'Hard') await vcpu_setaffinity_hard(this.xcext, domid, vcpu, mask);
    else await vcpu_setaffinity_soft(this.xcext, domid, vcpu, mask);
  }

  /**
   * Port of numa_placement (current): under numa_mutex, resources from each node's free − claimed
   * memory, Softaffinity.plan, single-node plans only, a claim on that node; ENOMEM → no affinity,
   * another claim error → affinity anyway. Some (node, memory) only when the node claim holds.
   */
  numa_placement(domid: number, vcpus: number, cores: number, memory: number, aff: affinity): Promise<{ node: number; memory: number } | null> {
    const fn = 'Domain.numa_placement';
    return this.numa_mutex.with_lock(async () => {
      const host = await this.numa_hierarchy();
      if (host === null) return null;
      const mi = await numa_get_meminfo(this.xcext);
      if (!mi.ok) return null;
      const nodes = host.nodes();
      // Seq.map2 stops at the shorter sequence.
      const nodea = nodes.slice(0, Math.min(nodes.length, mi.value.length)).map((node) => {
        const m = mi.value[node]!;
        const available = m.free - m.claimed;
        this.debug(`mem_claimable_for_new_vm: NUMA nodeid=${node}, domid=${domid}: memfree=${m.free} memsize=${m.size} claimed=${m.claimed}: available=${available}`);
        return host.resource(node, available);
      });
      const vm = NUMARequest.make({ memory, vcpus, cores });
      const p = plan(host, nodea, vm);
      if (p === null) this.debug(`NUMA-aware placement failed for domid ${domid}`);
      // Xen only allows a single node when using memory claims, or none at all.
      const node = p?.nodes.length === 1 ? p.nodes[0] : undefined;
      if (p === null || node === undefined) {
        this.debug(`${fn}: domain ${domid} can't fit a single NUMA node, falling back to default behaviour`);
        return null;
      }
      // set_vcpu_affinity: its None case ("not setting vcpu affinity") needs a failed plan, which never gets here.
      const set_vcpu_affinity = async (cpus: CPUSet): Promise<void> => {
        this.debug(`${fn}: setting vcpu affinity for domain ${domid}: ${dumpSeq(cpus.elements())}`);
        const mask = cpus.toMask();
        for (let i = 0; i < vcpus; i++) await this.set_affinity(aff, domid, i, mask);
      };
      const nr_pages = Math.ceil(memory / PAGE);
      this.debug(`NUMAClaim domid ${domid}: local claim on node ${node}: ${nr_pages} pages`);
      const r = await domain_claim_pages(this.xcext, domid, nr_pages, NumaNode.from(node));
      if (r.ok) {
        await set_vcpu_affinity(p.affinity);
        return { node, memory };
      }
      if (r.error.code === 'ENOMEM') {
        this.log('info', `${fn}: unable to claim enough memory, domain ${domid} won't be hosted in a single NUMA node.`);
        return null;
      }
      this.debug(`NUMAClaim domid ${domid}: local claim not available: ${r.error.fn}: ${error_message(r.error.code)}`);
      await set_vcpu_affinity(p.affinity);
      return null;
    });
  }

  /**
   * Port of the legacy numa_placement (a810aeb2^): under numa_mutex, resources from numainfo's
   * free memory, each node's the minimum of now and the previous call (numa_resources, never
   * raised again), Softaffinity.plan; outside it, soft affinity of every vCPU to the plan's CPUs.
   */
  async numa_placement_legacy(domid: number, vcpus: number, memory: number): Promise<void> {
    const hint = await this.numa_mutex.with_lock(async () => {
      const host = await this.numa_hierarchy();
      if (host === null) return null;
      const mem = (await numainfo(this.xcext)).memory;
      const ids = host.nodes();
      if (ids.length !== mem.length) throw new InvalidArgument('List.map2'); // ListLabels.map2 on lists of different lengths
      const nodes = ids.map((node) => host.resource(node, mem[node]!.memfree));
      const vm = NUMARequest.make({ memory, vcpus, cores: 0 });
      const prev = this.numaResources;
      if (prev !== null && prev.length !== nodes.length) throw new InvalidArgument('Array.map2: arrays must have the same length');
      const nodea = prev === null ? nodes : nodes.map((r, i) => NUMAResource.min_memory(r, prev[i]!));
      this.numaResources = nodea;
      return plan(host, nodea, vm)?.affinity ?? null;
    });
    if (hint === null) {
      this.debug(`NUMA-aware placement failed for domid ${domid}`);
      return;
    }
    const mask = hint.toMask();
    // The stub raised then (wrapped only since the claims rework): a failure fails build_pre.
    for (let i = 0; i < vcpus; i++) await vcpu_setaffinity_soft_legacy(this.xcext, domid, i, mask);
  }

  /** Port of get_uuid: the domain handle as a UUID. */
  private async get_uuid(domid: number): Promise<string> {
    return uuidOf((await xc_domain_getinfo_single(this.xch, domid)).handle);
  }

  /** Port of apply_hard_vcpu_map (current build_pre): CPUs outside [0, max_nr_cpus) dropped, one mask per vCPU. */
  private async apply_hard_vcpu_map(domid: number, req: BuildRequest): Promise<void> {
    const masks = vcpuMasks(req.hard_affinity, req.vcpus);
    if (masks.length === 0) return;
    const pcpus = await get_max_nr_cpus(this.xcext);
    for (const [vcpu, cpus] of masks.entries()) {
      const bitmap = new Array<boolean>(pcpus).fill(false);
      for (const c of cpus) if (c >= 0 && c < pcpus) bitmap[c] = true;
      await vcpu_setaffinity_hard(this.xcext, domid, vcpu, bitmap);
    }
  }

  /**
   * Port of build_pre: wait_xen_free_mem (Not_enough_memory), domain_max_vcpus, the hard masks,
   * then per policy the NUMA placement and, in the current generation, the global-claim fallback.
   * Returns the node passed to xenguest as -mem_pnode, or null. Not modelled: platform/timer_mode,
   * shadow_allocation_set and the store/console event channels (xenemu's libxc has none of them).
   */
  async build_pre(domid: number, req: BuildRequest): Promise<number | null> {
    checkRequest(req);
    const m = req.memory;
    const uuid = await this.get_uuid(domid);
    if (this.generation === 'current')
      this.debug(
        `VM = ${uuid}, build_max_mib = ${m.build_max_mib}, build_start_mib = ${m.build_start_mib}, xen_max_mib =\n    ${m.xen_max_mib}, shadow_mib = ${m.shadow_mib}, required_host_free_mib = ${m.required_host_free_mib}, overhead_mib = ${m.overhead_mib}`,
      );
    this.debug(`VM = ${uuid}; domid = ${domid}; waiting for ${m.required_host_free_mib} MiB of free host memory`);
    // CA-39743: wait, if necessary, for the Xen scrubber to catch up.
    if (!(await this.wait_xen_free_mem(m.required_host_free_mib * 1024))) {
      this.log('error', `VM = ${uuid}; domid = ${domid}; Failed waiting for Xen to free ${m.required_host_free_mib} MiB`);
      throw new Not_enough_memory(m.required_host_free_mib * MiB);
    }
    const log_reraise = async <T>(call_str: string, f: () => Promise<T>): Promise<T> => {
      this.debug(`VM = ${uuid}; domid = ${domid}; ${call_str}`);
      try {
        return await f();
      } catch (e) {
        const err_msg = `Calling '${call_str}' failed: ${e instanceof Error ? e.message : String(e)}`;
        this.log('error', `VM = ${uuid}; domid = ${domid}; ${err_msg}`);
        throw new Domain_build_pre_failed(err_msg, e);
      }
    };
    await log_reraise(`domain_max_vcpus ${req.vcpus}`, () => xc_domain_max_vcpus(this.xch, domid, req.vcpus));
    if (this.generation === 'legacy') {
      // Hard affinity went to xenguest through xenstore then (build applies it); only Best_effort existed.
      if (this.policy !== 'Any')
        await log_reraise('NUMA placement', async () => {
          if (req.hard_affinity.length > 0) this.debug('VM has hard affinity set, skipping NUMA optimization');
          else await this.numa_placement_legacy(domid, req.vcpus, m.xen_max_mib * MiB);
        });
      return null;
    }
    await this.apply_hard_vcpu_map(domid, req);
    const pin = this.policy;
    if (pin === 'Any') return null;
    return log_reraise('NUMA placement', async () => {
      if (req.hard_affinity.length > 0) {
        this.debug('VM has hard affinity set, skipping NUMA optimization');
        return null;
      }
      const aff = affinity_of_numa_affinity_policy(pin);
      const cores = cores_of_numa_affinity_policy(pin, req.vcpus);
      const build_claim_bytes = m.build_claim_pages * PAGE;
      this.debug(`VM = ${uuid}; domid = ${domid}; will claim ${build_claim_bytes} bytes = ${m.build_claim_pages} pages`);
      const placed = await this.numa_placement(domid, req.vcpus, cores, build_claim_bytes, aff);
      if (placed !== null) return placed.node;
      // A global claim whenever node placement is on and the node claim failed or was unavailable.
      const nr_pages = Math.ceil(build_claim_bytes / PAGE);
      this.debug(`NUMAClaim domid ${domid}: global claim: ${nr_pages} pages`);
      const r = await domain_claim_pages(this.xcext, domid, nr_pages, NumaNode.none);
      if (!r.ok && r.error.code === 'ENOMEM') throw new Unix_error('ENOMEM', r.error.fn);
      handle_outcome(this.xcext, r, undefined); // anything else: continue as if NUMA placement were off
      return null;
    });
  }

  /**
   * The xenguest HVM build xenopsd runs after build_pre: -mem_max_mib build_max_mib,
   * -mem_start_mib build_start_mib, [-mem_pnode node]; legacy xenguest also applies the
   * platform/vcpu/<n>/affinity strings (all pCPUs when no mask is given). Libxenguest failures
   * become Domain_build_failed.
   */
  async build(domid: number, req: BuildRequest, node: number | null): Promise<xc_dom_image> {
    checkRequest(req);
    let vcpu_affinity: string[] = [];
    if (this.generation === 'legacy') {
      const pcpus = await get_max_nr_cpus(this.xcext);
      const masks = req.hard_affinity.length === 0 ? Array.from({ length: req.vcpus }, () => Array.from({ length: pcpus }, (_, i) => i)) : vcpuMasks(req.hard_affinity, req.vcpus);
      vcpu_affinity = masks.map((cpus) => {
        const s = new Array<string>(pcpus).fill('0');
        for (const c of cpus) if (c >= 0 && c < pcpus) s[c] = '1';
        return s.join('');
      });
    }
    try {
      return await hvm_build(
        this.xch,
        domid,
        { mem_max_mib: req.memory.build_max_mib, mem_start_mib: req.memory.build_start_mib, mem_pnode: node, vcpus: req.vcpus, vcpu_affinity },
        { mem_pnode: this.mem_pnode, log: (l) => this.debug(`xenguest: ${l}`) },
      );
    } catch (e) {
      if (!isXenError(e) && !(e instanceof RangeError)) throw e;
      this.log('error', `xenguest: domid ${domid}: ${e.message}`);
      throw new Domain_build_failed(e.message, e);
    }
  }

  /** build_pre then build, with a hook between them (a test's barrier, to pin an interleaving). */
  async domain_build(domid: number, req: BuildRequest, hooks: { after_build_pre?: (node: number | null) => Promise<void> } = {}): Promise<{ node: number | null; dom: xc_dom_image }> {
    const node = await this.build_pre(domid, req);
    await hooks.after_build_pre?.(node);
    return { node, dom: await this.build(domid, req, node) };
  }

  /**
   * The parts of Domain.make and the squeezed-less memory reservation the build relies on:
   * an HVM (HAP) domain with `vcpus` vCPUs and max memory xen_max_mib ("No ballooning daemon.
   * Manually setting domain maxmem"). Returns the domid.
   */
  async make_hvm(vcpus: number, memory: MemoryConfig, handle?: Uint8Array): Promise<number> {
    if (!Number.isInteger(vcpus) || vcpus < 1 || vcpus > MAX_BUILD_VCPUS) throw new InvalidArgument(`vcpus must be an integer in [1, ${MAX_BUILD_VCPUS}]: ${vcpus}`);
    const config: xc_createdomain_config = {
      flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap,
      max_vcpus: vcpus,
      max_grant_frames: -1,
      max_maptrack_frames: -1,
      ...(handle === undefined ? {} : { handle }),
    };
    const domid = await xc_domain_create(this.xch, DOMID_ANY, config);
    this.log('info', `No ballooning daemon. Manually setting domain maxmem for domid = ${domid} to ${memory.xen_max_mib * 1024} KiB`);
    await xc_domain_setmaxmem(this.xch, domid, memory.xen_max_mib * 1024);
    return domid;
  }
}

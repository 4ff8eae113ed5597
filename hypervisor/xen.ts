// The emulated hypervisor: host, heap, domains, clock, and the hypercall entry point.
import { Bitmap } from './bitmap.js';
import type { Clock, Rng } from './clock.js';
import { ManualClock, SeededRng } from './clock.js';
import { construct_dom0, DOM0_MAX_VCPUS_CAP_DEFAULT, DOM0_MEM_DEFAULT, parseDom0Mem } from './dom0_build.js';
import type { Domain } from './domain.js';
import { hypercall, hypercall_slice, type Hypercall } from './hypercall.js';
import { DEFAULT_PREEMPT_BUDGET, type Continuation, type PreemptBudget } from './continuation.js';
import { DEFAULT_MEMOP_MAX_ORDER, type MemopMaxOrder } from './memory.js';
import { Host } from './host.js';
import type { DomId } from './ids.js';
import { Heap, type NodeClaimsMode } from './page_alloc.js';
import { MAX_NUMNODES } from './numa.js';
import { Conring } from './console.js';
import { XEN_CHANGESET, XEN_COMPILE_INFO, XEN_EXTRAVERSION, XEN_MAJOR, XEN_MINOR } from './version.js';
import { DomidAllocator } from './domid.js';
import { TopologyError, type HostTopology } from './topology.js';

export interface XenBootOptions {
  topology: HostTopology;
  /** Xen's dom0_mem= syntax, e.g. "4096M" or "4G,max:8G". */
  dom0_mem?: string;
  /** Default: the online CPUs, at most 8. */
  dom0_max_vcpus?: number;
  clock?: Clock;
  rng?: Rng;
  /** bootscrub=: 'idle' (Xen's default) leaves boot memory for the idle scrubber. */
  bootscrub?: 'idle' | 'on' | 'off';
  /** Pages per second the idle scrubber cleans on each node (on the injected clock). */
  scrub_rate_pages_per_s?: number;
  /** Per-node claims, off as in upstream 4.22: 'xenserver' (XENMEM_claim_pages with
   *  XENMEMF_exact_node, 4.20 SCM patches) or 'claim-sets' (XEN_DOMCTL_claim_memory, v7). */
  node_claims?: NodeClaimsMode;
  /** Work per hypercall slice before a reservation op is continued. */
  preempt_budget?: PreemptBudget;
  /** memop-max-order=. */
  memop_max_order?: Partial<MemopMaxOrder>;
}

/** The idle scrubber runs once this much time has passed since its last run (the same pages
 *  get scrubbed in total; only the bookkeeping per hypercall is saved). */
export const IDLE_SCRUB_TICK_NS = 1_000_000n;

/** Default idle scrub rate: 1 GiB/s per node. */
export const DEFAULT_SCRUB_RATE_PAGES_PER_S = 1 << 18;

export class Xen {
  readonly host: Host;
  readonly heap: Heap;
  readonly clock: Clock;
  readonly rng: Rng;
  /** The Xen command line the emulated host "booted" with (XENVER_commandline). */
  readonly commandline: string;
  /** Pool-0's CPUs: every online CPU. */
  readonly cpupool0_cpus: Bitmap;
  /** The console ring printk writes to (sysctl readconsole reads it). */
  readonly console = new Conring();
  readonly preempt_budget: PreemptBudget;
  readonly memop_max_order: MemopMaxOrder;
  readonly scrub_rate_pages_per_s: number;
  /** NOW() up to which the idle scrubber has run. */
  private scrubbed_until_ns: bigint;
  /** Set while a multicall runs (per-CPU mc_state in Xen). */
  in_multicall = false;
  private readonly domains = new Map<number, Domain>();
  readonly domids = new DomidAllocator();

  constructor(o: XenBootOptions) {
    this.host = new Host(o.topology);
    this.heap = new Heap(this.host, { bootscrub: o.bootscrub ?? 'idle', node_claims: o.node_claims ?? 'off' });
    this.clock = o.clock ?? new ManualClock();
    this.preempt_budget = o.preempt_budget ?? DEFAULT_PREEMPT_BUDGET;
    this.memop_max_order = { ...DEFAULT_MEMOP_MAX_ORDER, ...o.memop_max_order };
    this.scrub_rate_pages_per_s = o.scrub_rate_pages_per_s ?? DEFAULT_SCRUB_RATE_PAGES_PER_S;
    this.scrubbed_until_ns = this.clock.now_ns();
    this.rng = o.rng ?? new SeededRng(0);
    this.cpupool0_cpus = this.host.cpu_online_map.clone();
    const memText = o.dom0_mem ?? DOM0_MEM_DEFAULT;
    const mem = parseDom0Mem(memText);
    if (mem === null) throw new TopologyError(`dom0_mem '${memText}' is not [<size>][,max:<size>] with sizes like 4096M or 4G`);
    const maxVcpus = o.dom0_max_vcpus ?? Math.min(this.host.cpu_online_map.weight(), DOM0_MAX_VCPUS_CAP_DEFAULT);
    const dom0 = construct_dom0(this, { mem, max_vcpus: maxVcpus });
    if (typeof dom0 === 'string') throw new TopologyError(dom0);
    this.domains.set(0, dom0);
    this.domids.reserve(dom0.domain_id);
    this.commandline = `dom0_mem=${memText} dom0_max_vcpus=${maxVcpus} console=com1 sched=credit2`;
    // The first lines of a real boot log (xen/arch/x86/setup.c: __start_xen).
    this.console.printk(`Xen version ${XEN_MAJOR}.${XEN_MINOR}${XEN_EXTRAVERSION} (${XEN_COMPILE_INFO.compile_by}@${XEN_COMPILE_INFO.compile_domain}) (${XEN_COMPILE_INFO.compiler}) debug=n ${XEN_COMPILE_INFO.compile_date}\n`);
    this.console.printk(`Latest ChangeSet: ${XEN_CHANGESET}\n`);
    this.console.printk(`Command line: ${this.commandline}\n`);
  }

  domain(id: DomId): Domain | undefined {
    return this.domains.get(id);
  }

  /** The domain list in ascending domid order (domlist_insert keeps it sorted). */
  domains_in_order(): Domain[] {
    return [...this.domains.values()].sort((a, b) => a.domain_id - b.domain_id);
  }

  /** domlist_insert: the domain becomes visible to lookups. */
  add_domain(d: Domain): void {
    this.domains.set(d.domain_id, d);
  }

  /** The last reference is gone: off the list, its id free again (domid_free). */
  remove_domain(d: Domain): void {
    this.domains.delete(d.domain_id);
    this.domids.free(d.domain_id);
  }

  control_domain(): Domain {
    return this.domains.get(0)!;
  }

  /** The shared info frame: the emulator has no xenheap, so each domain gets a stable frame
   *  number just above RAM (max_page + domid) that nothing else uses. */
  shared_info_frame(d: Domain): number {
    return this.host.max_page + d.domain_id;
  }

  /** Issues one hypercall as domain `caller` (a domain that exists; the server only names
   *  existing ones), continuations included. */
  hypercall(caller: DomId, call: Hypercall): number {
    const d = this.domains.get(caller);
    if (d === undefined) throw new RangeError(`no domain ${caller} to issue a hypercall`);
    this.idle();
    return hypercall(this, d, call);
  }

  /** One slice of a hypercall: the result, or CONTINUATION (issue it again to go on). */
  hypercall_slice(caller: DomId, call: Hypercall): number | Continuation {
    const d = this.domains.get(caller);
    if (d === undefined) throw new RangeError(`no domain ${caller} to issue a hypercall`);
    this.idle();
    return hypercall_slice(this, d, call);
  }

  /** What the idle vCPUs did since the last call: scrub dirty free pages at the configured
   *  rate on every node (idle_loop -> scrub_free_pages). */
  idle(): void {
    const now = this.clock.now_ns();
    // Scrub in ticks: back-to-back hypercalls should not each pay a walk of every node's lists.
    if (now - this.scrubbed_until_ns < IDLE_SCRUB_TICK_NS) return;
    const budget = Number(((now - this.scrubbed_until_ns) * BigInt(this.scrub_rate_pages_per_s)) / 1_000_000_000n);
    if (budget <= 0) return;
    this.scrubbed_until_ns = now;
    for (let n = 0; n < MAX_NUMNODES; n++) if (this.heap.node_need_scrub(n) > 0) this.heap.scrub_free_pages(n, budget);
  }
}


// Engine-side helpers of the memory benchmark (bench/memory.bench.ts, bench/memory_profile.ts):
// a booted host, a toolstack-created HVM domain, and the two timed patterns. Everything goes
// through xen.hypercall as the control domain (no gRPC), so what is timed is the engine:
// do_memory_op -> populate_physmap -> alloc_domheap_pages -> alloc_heap_pages -> p2m.
import { GuestHandle } from '../hypervisor/guest_handle.js';
import { domid as toDomId, type DomId } from '../hypervisor/ids.js';
import { presetTopology } from '../hypervisor/presets.js';
import type { xen_domctl } from '../hypervisor/public/domctl.js';
import type { xen_memory_op } from '../hypervisor/public/memory.js';
import { HYPERVISOR } from '../hypervisor/public/xen.js';
import { Xen } from '../hypervisor/xen.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { createdomainConfig } from '../test/memory_sim.js';

const DOMCTL_V = 0x18; // XEN_DOMCTL_INTERFACE_VERSION
const DOMID_ANY = 0x7ff5;
const CONTROL_DOMAIN: DomId = toDomId(0);
const DOMCTL = { createdomain: 1, destroydomain: 2, max_mem: 11 } as const;
const XENMEM = { decrease_reservation: 1, populate_physmap: 6 } as const;
/** max_memkb that never limits a benchmark domain (max_pages saturates at 2^32 - 1). */
const MAX_MEMKB_UNLIMITED = 1n << 50n;

/** Extents per populate_physmap call, the same for every order and host, so that every case
 *  has the same call shape (and order 18 x 64 = 64 GiB still fits the 2node host). */
export const EXTENTS_PER_CALL = 64;

/**
 * Extents one domain build populates, per order: 8192 extents of 4 KiB (32 MiB) and of 2 MiB
 * (16 GiB), and 64 of 1 GiB (64 GiB, all the 2node host can give in whole 1 GiB blocks with
 * some margin: ~120 GiB free, node 0's first GiB lost to MFN 0).
 */
export const BUILD_EXTENTS: Readonly<Record<number, number>> = { 0: 8192, 9: 8192, 18: 64 };

/** Domain builds per "build" round, per order, so that every round times a millisecond or more
 *  (a round of one 64-extent order-18 build times only ~0.1 ms, which one scheduler tick or
 *  young-generation GC would swamp). */
export const BUILDS_PER_ROUND: Readonly<Record<number, number>> = { 0: 1, 9: 1, 18: 16 };

/** Populate/decrease cycles in one "cycle" round (each one call of EXTENTS_PER_CALL extents). */
export const CYCLES_PER_ROUND = 16;

export const ORDERS = [0, 9, 18] as const;
export type Order = (typeof ORDERS)[number];
export type Pattern = 'build' | 'cycle';

/** xen_domctl_createdomain as `xl create` sends it for an HVM guest with HAP, one vCPU. */
const HVM_CONFIG = createdomainConfig(XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, 1);

export function bootHost(preset: string): Xen {
  const topology = presetTopology(preset);
  if (topology === undefined) throw new Error(`no preset ${preset}`);
  return new Xen({ topology });
}

function domctl(xen: Xen, cmd: number, domain: number, u: xen_domctl['u']): { rc: number; args: xen_domctl } {
  const args: xen_domctl = { cmd, interface_version: DOMCTL_V, domain, u };
  return { rc: xen.hypercall(CONTROL_DOMAIN, { op: HYPERVISOR.domctl, args }), args };
}

/** XEN_DOMCTL_createdomain (DOMID_ANY) then max_mem without limit; returns the new domid.
 *  The domain stays paused and not creation_finished, as during a domain build. */
export function createHvmDomain(xen: Xen): number {
  const created = domctl(xen, DOMCTL.createdomain, DOMID_ANY, { kind: 'createdomain', op: { ...HVM_CONFIG } });
  if (created.rc !== 0) throw new Error(`createdomain: rc ${created.rc}`);
  const domid = created.args.domain;
  const rc = domctl(xen, DOMCTL.max_mem, domid, { kind: 'max_mem', op: { max_memkb: MAX_MEMKB_UNLIMITED } }).rc;
  if (rc !== 0) throw new Error(`max_mem d${domid}: rc ${rc}`);
  return domid;
}

export function destroyDomain(xen: Xen, domid: number): void {
  const rc = domctl(xen, DOMCTL.destroydomain, domid, { kind: 'none' }).rc;
  if (rc !== 0) throw new Error(`destroydomain d${domid}: rc ${rc}`);
}

/** A reservation memory_op; the argument is built fresh per call (a continuation rewrites cmd). */
function reservation(xen: Xen, cmd: number, domid: number, gfns: number[], order: number): number {
  const args: xen_memory_op = { cmd, arg: { kind: 'reservation', op: { extent_start: new GuestHandle(gfns), nr_extents: gfns.length, extent_order: order, mem_flags: 0, domid } } };
  return xen.hypercall(CONTROL_DOMAIN, { op: HYPERVISOR.memory_op, args });
}

/** GFN lists of `calls` consecutive calls of EXTENTS_PER_CALL extents each, naturally aligned. */
export function gfnBatches(order: number, calls: number): number[][] {
  return Array.from({ length: calls }, (_c, c) => Array.from({ length: EXTENTS_PER_CALL }, (_i, i) => (c * EXTENTS_PER_CALL + i) * 2 ** order));
}

/** Per-order GFN lists, made once so that building them is never timed. */
export function makeBatches(): Record<Pattern, Record<Order, number[][]>> {
  const build = {} as Record<Order, number[][]>;
  const cycle = {} as Record<Order, number[][]>;
  for (const o of ORDERS) {
    build[o] = gfnBatches(o, BUILD_EXTENTS[o]! / EXTENTS_PER_CALL);
    cycle[o] = gfnBatches(o, 1);
  }
  return { build, cycle };
}

/** One timed round: the populate calls' wall time and process CPU time (user + system, all
 *  threads, so GC helper threads count; time the process spent descheduled does not), in ns,
 *  and the extents populated. */
export interface RoundTime {
  wall_ns: number;
  cpu_ns: number;
  extents: number;
}

/** Times one call; adds its wall and CPU time to `t`. */
function timed(t: RoundTime, f: () => number): number {
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  const r = f();
  const w1 = process.hrtime.bigint();
  const c = process.cpuUsage(c0);
  t.wall_ns += Number(w1 - w0);
  t.cpu_ns += (c.user + c.system) * 1000;
  return r;
}

/**
 * "build": BUILDS_PER_ROUND[order] times, a fresh domain (untimed) is populated with
 * BUILD_EXTENTS[order] extents in calls of EXTENTS_PER_CALL (each call timed), then destroyed
 * (untimed; its pages go back to the heap dirty, as after any domain's life).
 */
export function buildRound(xen: Xen, order: Order, batches: number[][]): RoundTime {
  const t: RoundTime = { wall_ns: 0, cpu_ns: 0, extents: 0 };
  for (let b = 0; b < BUILDS_PER_ROUND[order]!; b++) {
    const domid = createHvmDomain(xen);
    for (const gfns of batches) {
      const done = timed(t, () => reservation(xen, XENMEM.populate_physmap, domid, gfns, order));
      if (done !== gfns.length) throw new Error(`populate_physmap order ${order}: ${done} of ${gfns.length} extents`);
      t.extents += done;
    }
    destroyDomain(xen, domid);
  }
  return t;
}

/**
 * "cycle": one live domain populates EXTENTS_PER_CALL extents (timed) and hands them back with
 * decrease_reservation (untimed), CYCLES_PER_ROUND times, like a balloon inflating and
 * deflating. Nothing stays allocated between calls, so every populate starts from the same heap.
 */
export function cycleRound(xen: Xen, domid: number, order: Order, gfns: number[]): RoundTime {
  const t: RoundTime = { wall_ns: 0, cpu_ns: 0, extents: 0 };
  for (let c = 0; c < CYCLES_PER_ROUND; c++) {
    const done = timed(t, () => reservation(xen, XENMEM.populate_physmap, domid, gfns, order));
    if (done !== gfns.length) throw new Error(`populate_physmap order ${order}: ${done} of ${gfns.length} extents`);
    t.extents += done;
    const back = reservation(xen, XENMEM.decrease_reservation, domid, gfns, order);
    if (back !== gfns.length) throw new Error(`decrease_reservation order ${order}: ${back} of ${gfns.length} extents`);
  }
  return t;
}

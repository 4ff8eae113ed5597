// Where populate_physmap spends its time in one case of the memory benchmark, for whoever
// optimises the engine:
//   node bin/run-ts.js bench/memory_profile.ts <preset> <build|cycle> <0|9|18> [seconds=6] [--stalls|--time] [--alone]
// The host is brought to the benchmark's steady state (the warm-up passes of
// bench/memory.bench.ts), then every pass runs all six cases in the benchmark's order, as the
// benchmark does; the state a case meets depends on the cases before it. --alone: after the
// warm-up, only the chosen case runs.
// Default mode: the inspector's CPU profiler (100 us sampling) runs around the chosen case's
// rounds only; the summary gives, for samples under populate_physmap, self and inclusive time
// per engine function in us per extent and as a share. GC is given apart (V8 files it under no
// stack). Untimed work of the round (createdomain, destroydomain, decrease_reservation) is
// excluded by the populate_physmap filter.
// --stalls: no profiler; Heap.prototype.insert and unlink (private methods of
// hypervisor/page_alloc.ts, wrapped here for the measurement only) are timed call by call inside
// populate_physmap of every case, and the calls over STALL_NS are counted with the host's free
// block count (heap.free_blocks) when they happened; and the calls per extent of the chosen case.
// --time: neither; the case's populate time per extent, as the benchmark measures it.
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { Heap } from '../hypervisor/page_alloc.js';
import type { Xen } from '../hypervisor/xen.js';
import { bootHost, buildRound, createHvmDomain, cycleRound, makeBatches, ORDERS, type Order, type Pattern, type RoundTime } from './memory_engine.js';

const WARMUP_PASSES = 10;
const SAMPLING_INTERVAL_US = 100;
const ROOT = 'populate_physmap';
const TOP = 20;
/** A call of insert/unlink longer than this is a stall (their median is ~0.1-0.3 us). */
const STALL_NS = 300_000;
const PATTERNS: readonly Pattern[] = ['build', 'cycle'];

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const stallsMode = process.argv.includes('--stalls');
const alone = process.argv.includes('--alone');
const timeMode = process.argv.includes('--time');
const [preset, patternArg, orderArg, secondsArg] = args;
if (preset === undefined || (patternArg !== 'build' && patternArg !== 'cycle') || !ORDERS.includes(Number(orderArg) as Order)) {
  throw new Error('usage: memory_profile.ts <preset> <build|cycle> <0|9|18> [seconds] [--stalls|--time] [--alone]');
}
const chosen = { pattern: patternArg as Pattern, order: Number(orderArg) as Order };
const seconds = Number(secondsArg ?? 6);

const xen = bootHost(preset);
const batches = makeBatches();
const cycleDomain = createHvmDomain(xen);
const round = (p: Pattern, o: Order): RoundTime => (p === 'build' ? buildRound(xen, o, batches.build[o]) : cycleRound(xen, cycleDomain, o, batches.cycle[o][0]!));
for (let i = 0; i < WARMUP_PASSES; i++) for (const p of PATTERNS) for (const o of ORDERS) round(p, o);

/** Runs passes of all cases for `seconds`; `around` wraps the chosen case's rounds. */
async function passes(around: (run: () => RoundTime) => Promise<RoundTime>): Promise<RoundTime> {
  const total: RoundTime = { wall_ns: 0, cpu_ns: 0, extents: 0 };
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (const p of PATTERNS) {
      for (const o of ORDERS) {
        if (p !== chosen.pattern || o !== chosen.order) {
          if (!alone) round(p, o);
          continue;
        }
        const r = await around(() => round(p, o));
        total.wall_ns += r.wall_ns;
        total.cpu_ns += r.cpu_ns;
        total.extents += r.extents;
      }
    }
  }
  return total;
}

const perExtent = (t: RoundTime): string => `${(t.cpu_ns / t.extents / 1000).toFixed(2)} us CPU / ${(t.wall_ns / t.extents / 1000).toFixed(2)} us wall per extent`;
const title = `${preset} ${chosen.pattern} order ${chosen.order}${alone ? ' (alone)' : ''}`;

if (stallsMode) await measureStalls(xen);
else if (timeMode) console.log(`${title}: populate_physmap ${perExtent(await passes(async (run) => run()))}`);
else await profile();

async function profile(): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  const selfUs = new Map<string, number>();
  const inclUs = new Map<string, number>();
  let rootUs = 0;
  let gcUs = 0;
  let sampledUs = 0;
  const total = await passes(async (run) => {
    await session.post('Profiler.start');
    const r = run();
    const { profile: p } = await session.post('Profiler.stop');
    const s = summarise(p);
    rootUs += s.rootUs;
    gcUs += s.gcUs;
    sampledUs += s.sampledUs;
    for (const [k, v] of s.selfUs) selfUs.set(k, (selfUs.get(k) ?? 0) + v);
    for (const [k, v] of s.inclUs) inclUs.set(k, (inclUs.get(k) ?? 0) + v);
    return r;
  });
  session.disconnect();
  const table = (m: Map<string, number>): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([l, t]) => `  ${((t * 1000) / total.extents / 1000).toFixed(3).padStart(7)} us ${((100 * t) / rootUs).toFixed(1).padStart(5)} %  ${l}`)
      .join('\n');
  console.log(`${title}: ${total.extents} extents timed; populate_physmap ${perExtent(total)} (profiler on)
sampled during the case's rounds: ${(sampledUs / 1000).toFixed(0)} ms, of which under ${ROOT} ${(rootUs / 1000).toFixed(0)} ms and (garbage collector), filed under no stack, ${(gcUs / 1000).toFixed(0)} ms
self time under ${ROOT} (us per extent, share):
${table(selfUs)}
inclusive time under ${ROOT}:
${table(inclUs)}`);
}

/** Self and inclusive time per file:function of the samples under ROOT, and GC time. */
function summarise(p: Profiler.Profile): { selfUs: Map<string, number>; inclUs: Map<string, number>; rootUs: number; gcUs: number; sampledUs: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: Profiler.ProfileNode): string => `${n.callFrame.url.replace(/^.*\/(hypervisor|bench)\//, '$1/') || '(native)'}:${n.callFrame.functionName || '(anonymous)'}`;
  const out = { selfUs: new Map<string, number>(), inclUs: new Map<string, number>(), rootUs: 0, gcUs: 0, sampledUs: 0 };
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const dt = deltas[i + 1] ?? 0; // the time until the next sample is spent where this one is
    out.sampledUs += dt;
    const stack: Profiler.ProfileNode[] = [];
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) stack.push(byId.get(id)!);
    if (stack[0]?.callFrame.functionName === '(garbage collector)') out.gcUs += dt;
    const rootAt = stack.findIndex((n) => n.callFrame.functionName === ROOT);
    if (rootAt < 0) continue;
    out.rootUs += dt;
    const leaf = label(stack[0]!);
    out.selfUs.set(leaf, (out.selfUs.get(leaf) ?? 0) + dt);
    const seen = new Set<string>();
    for (const n of stack.slice(0, rootAt + 1)) {
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      out.inclUs.set(l, (out.inclUs.get(l) ?? 0) + dt);
    }
  }
  return out;
}

async function measureStalls(host: Xen): Promise<void> {
  type Method = (this: Heap, ...a: unknown[]) => unknown;
  const proto = Heap.prototype as unknown as Record<'insert' | 'unlink', Method>;
  const calls = { insert: [] as number[], unlink: [] as number[] };
  const stallSizes = new Map<number, number>();
  const chosenCalls = { insert: 0, unlink: 0 };
  let inPopulate = false;
  let inChosen = false;
  for (const name of ['insert', 'unlink'] as const) {
    const original = proto[name];
    proto[name] = function (this: Heap, ...a: unknown[]): unknown {
      if (!inPopulate) return original.apply(this, a);
      const t0 = process.hrtime.bigint();
      const r = original.apply(this, a);
      const ns = Number(process.hrtime.bigint() - t0);
      calls[name].push(ns);
      if (inChosen) chosenCalls[name]++;
      if (ns > STALL_NS) stallSizes.set(this.free_blocks, (stallSizes.get(this.free_blocks) ?? 0) + 1);
      return r;
    };
  }
  // Only populate_physmap is measured: the flag is up while a populate memory_op runs.
  const hypercall = host.hypercall.bind(host);
  host.hypercall = (caller, call) => {
    inPopulate = call.op === 12 && call.args !== null && (call.args as { cmd: number }).cmd % 64 === 6;
    try {
      return hypercall(caller, call);
    } finally {
      inPopulate = false;
    }
  };
  const total = await passes(async (run) => {
    inChosen = true;
    try {
      return run();
    } finally {
      inChosen = false;
    }
  });
  console.log(`${title}: populate_physmap ${perExtent(total)} (insert/unlink timed call by call)
calls per extent in this case's populates: insert ${(chosenCalls.insert / total.extents).toFixed(2)}, unlink ${(chosenCalls.unlink / total.extents).toFixed(2)}
insert and unlink inside populate_physmap, in ${seconds} s of passes (${alone ? "the chosen case only" : "all six cases"}):`);
  for (const [name, xs] of Object.entries(calls)) {
    const sorted = [...xs].sort((a, b) => a - b);
    const sum = xs.reduce((a, b) => a + b, 0);
    const stalled = xs.filter((x) => x > STALL_NS);
    const stalledSum = stalled.reduce((a, b) => a + b, 0);
    console.log(
      `  Heap.${name}: ${xs.length} calls, median ${sorted[sorted.length >> 1] ?? 0} ns, mean ${(sum / Math.max(xs.length, 1)).toFixed(0)} ns; ${stalled.length} calls over ${STALL_NS / 1000} us (max ${((sorted[sorted.length - 1] ?? 0) / 1e6).toFixed(1)} ms) hold ${((100 * stalledSum) / Math.max(sum, 1)).toFixed(0)} % of its time`,
    );
  }
  const sizes = [...stallSizes].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(`  heap.free_blocks when a stall happened: ${sizes.map(([s, n]) => `${s} (x${n})`).join(', ') || 'none'}`);
}

// Seeded simulation of the memory subsystem (ENGINEERING.md "Seeded simulation"): random mixes
// of createdomain, max_mem, claim_pages, populate_physmap, increase/decrease_reservation,
// setnodeaffinity, destroydomain, the v7 claim sets (XEN_DOMCTL_claim_memory, on the seeds that
// boot with node_claims 'claim-sets'), continuations and clock advances with the idle scrubber, in
// the engine, with the heap's and the domains' invariants checked after every step
// (xen/common/page_alloc.c, xen/common/memory.c; reference sections 4, 7 and 10.5). The driver is
// test/memory_sim.ts; a failure prints its seed, step and op, and replays with
//   SIM_SEED=<seed> SIM_PRESET=<preset> SIM_STEPS=<n> npx vitest run test/memory.sim.test.ts
// or `npm run sim` with the same variables (SIM_MINIMIZE=1 there shrinks the op list).
import { describe, expect, it } from 'vitest';
import { planFor, runSim, SMALL_PRESETS, type SimConfig, type SimStats } from './memory_sim.js';

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
}

/** CI's bound: 20 seeds x 300 steps on the small presets, 3 x 200 on the 16 TiB one (~7 s). */
const SEEDS = envInt('SIM_SEEDS', 20);
const STEPS = envInt('SIM_STEPS', 300);
const BIG_SEEDS = envInt('SIM_BIG_SEEDS', 3);
const BIG_STEPS = envInt('SIM_BIG_STEPS', 200);
const ONE = process.env.SIM_SEED;
const PRESET = process.env.SIM_PRESET;

/** What the seeds run so far did (for the coverage test at the end). */
const seen: SimStats[] = [];

/** Runs a seed (throwing SimFailure, with its seed, step and op, on any broken invariant) and
 *  answers how many steps were checked. */
function run(cfg: SimConfig): number {
  const res = runSim(cfg);
  seen.push(res.stats);
  return res.stats.steps;
}

const total = (pick: (s: SimStats) => Record<string, number>, key: string): number => seen.reduce((n, s) => n + (pick(s)[key] ?? 0), 0);

/** One replayed seed (SIM_SEED), or CI's seeds: small presets in turn, then 64node. */
const CASES: { seed: number; steps: number; preset: string }[] =
  ONE !== undefined && ONE !== ''
    ? [{ seed: Number(ONE), steps: STEPS, preset: planFor({ seed: Number(ONE), steps: STEPS, ...(PRESET === undefined || PRESET === '' ? {} : { preset: PRESET }) }).preset }]
    : [
        ...Array.from({ length: SEEDS }, (_, i) => ({ seed: i + 1, steps: STEPS, preset: SMALL_PRESETS[i % SMALL_PRESETS.length]! as string })),
        ...Array.from({ length: BIG_SEEDS }, (_, i) => ({ seed: 1001 + i, steps: BIG_STEPS, preset: '64node' })),
      ];

describe('memory subsystem, seeded simulation (page_alloc.c, memory.c invariants after every step)', () => {
  it.each(CASES)('seed $seed on $preset, $steps steps', (cfg) => expect(run(cfg)).toBe(cfg.steps));

  // Guards the generator: a mix that stopped reaching these paths would pass vacuously.
  it.skipIf(ONE !== undefined && ONE !== '')('the CI seeds reach populate, decrease, claims, claim sets, the claim gate, exhaustion and continuations', () => {
    const results = (s: SimStats): Record<string, number> => s.results;
    const stops = (s: SimStats): Record<string, number> => s.stops;
    const results_never = [
      ...['populate >0', 'increase >0', 'decrease >0', 'claim 0', 'claim ENOMEM', 'destroy 0', 'create 0', 'max_mem 0', 'setnodeaffinity 0'],
      // Claim sets (reference 10.5): installs, each refusal of domain_set_claim_entries, GET.
      ...['claimset SET 0', 'claimset SET ENOMEM', 'claimset SET EINVAL', 'claimset SET ENOENT', 'claimset SET E2BIG', 'claimset GET 0', 'claimset GET ERANGE'],
    ].filter((k) => total(results, k) === 0);
    const stops_never = ['claim gate', 'no block', 'max_pages', 'list end'].filter((k) => total(stops, k) === 0);
    expect(results_never).toEqual([]);
    expect(stops_never).toEqual([]);
    expect(seen.reduce((n, s) => n + s.continuations, 0)).toBeGreaterThan(0);
  });

  it('is deterministic: a seed replays to the same ops and the same outcome', () => {
    const a = runSim({ seed: 7, preset: '2node', steps: 150 });
    const b = runSim({ seed: 7, preset: '2node', steps: 150 });
    expect(b.ops).toEqual(a.ops);
    expect(b.stats).toEqual(a.stats);
  });

  it('varies the op mix per seed', () => {
    const weights = [1, 2, 3, 4].map((seed) => JSON.stringify(planFor({ seed, steps: 1 }).weights));
    expect(new Set(weights).size).toBeGreaterThan(1);
  });
});

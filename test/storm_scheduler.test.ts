// The boot storm's scheduler (cli/storm/scheduler.ts): one round trip at a time, the next
// builder picked by the seed once all are quiescent; same seed, same interleaving.
import { describe, expect, it } from 'vitest';
import { symmetricHost } from '../hypervisor/presets.js';
import { bootStorm } from '../cli/storm/boot_storm.js';
import { StormScheduler, builderOf, scheduledClient, type StormStep } from '../cli/storm/scheduler.js';
import { expand, uniform } from '../cli/storm/workload.js';
import { Mutex } from '../xenopsd/mutex.js';
import { startHost } from './harness.js';

/** A fake round trip: waits for the turn, "replies" on a later macrotask (as I/O does), then releases it. */
async function call(s: StormScheduler, b: number, what: string, log: string[]): Promise<void> {
  const done = await s.turn(b, what);
  log.push(`${b}:${what}`);
  await new Promise<void>((r) => setImmediate(r));
  done();
}

/** Three builders of four calls each; the middle two of each under one shared mutex. */
async function runFake(seed: number, concurrency = 3, jobs = 3): Promise<{ log: string[]; trace: readonly StormStep[] }> {
  const s = new StormScheduler(seed);
  const m = new Mutex();
  const log: string[] = [];
  await s.run(Array.from({ length: jobs }, (_, i) => i), concurrency, async (slot, job) => {
    expect(builderOf()).toBe(slot);
    await call(s, slot, `j${job}.a`, log);
    await m.with_lock(async () => {
      await call(s, slot, `j${job}.b`, log);
      await s.sleep(slot);
      await call(s, slot, `j${job}.c`, log);
    });
    await call(s, slot, `j${job}.d`, log);
  });
  return { log, trace: s.trace() };
}

describe('StormScheduler (no I/O)', () => {
  it('same seed: the same order of calls; every call made once; the mutex sections never interleave', async () => {
    const a = await runFake(7);
    const b = await runFake(7);
    expect(a.log).toEqual(b.log);
    expect(a.trace).toEqual(b.trace);
    expect([...a.log].sort()).toEqual(['0:j0.a', '0:j0.b', '0:j0.c', '0:j0.d', '1:j1.a', '1:j1.b', '1:j1.c', '1:j1.d', '2:j2.a', '2:j2.b', '2:j2.c', '2:j2.d']);
    expect(a.trace.filter((t) => t.what === 'sleep')).toHaveLength(3);
    // Between a builder's .b and its .c nobody else's .b or .c runs.
    const locked = a.log.filter((l) => /\.(b|c)$/.test(l));
    const firsts = locked.filter((_, i) => i % 2 === 0);
    const seconds = locked.filter((_, i) => i % 2 === 1);
    expect(seconds).toEqual(firsts.map((l) => l.replace('.b', '.c')));
  });

  it('different seeds: different orders', async () => {
    const orders = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5]) orders.add((await runFake(seed)).log.join(' '));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('concurrency 1: jobs run one after another, in queue order', async () => {
    const { log } = await runFake(9, 1, 3);
    expect(log.map((l) => l.split(':')[1]!.slice(0, 2))).toEqual(['j0', 'j0', 'j0', 'j0', 'j1', 'j1', 'j1', 'j1', 'j2', 'j2', 'j2', 'j2']);
    expect(log.every((l) => l.startsWith('0:'))).toBe(true); // one slot
  });

  it('a builder that blocks on something nobody will release is reported as a deadlock', async () => {
    const s = new StormScheduler(1);
    const never = new Promise<void>(() => {});
    await expect(s.run([0], 1, async () => never)).rejects.toThrow(/deadlock/);
  });

  it('a builder woken by something outside the scheduler while a call is in flight stops the run (its place would depend on timing)', async () => {
    const s = new StormScheduler(1);
    const turns = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
    };
    const run = s.run([0, 1], 2, async (slot) => {
      if (slot === 0) {
        const done = await s.turn(0, 'slow');
        await turns(20); // a round trip whose reply takes a while
        done();
      } else {
        await turns(6); // not a scheduled wait: the scheduler cannot see it
        (await s.turn(1, 'late'))();
      }
    });
    await expect(run).rejects.toThrow(/builder 1 asked for a turn \(late\) while another call was in flight/);
  });

  it('a wrapped call that throws before it is sent ends its turn: the caller gets the error, the run finishes', async () => {
    const s = new StormScheduler(1);
    const client = {
      domctl: (): void => {
        throw new Error('Channel has been shut down');
      },
    };
    const wrapped = scheduledClient(client, s, ['domctl'], builderOf);
    const run = s.run([0], 1, async () => new Promise<unknown>((resolve) => (wrapped.domctl as unknown as (...a: unknown[]) => void)({ cmd: 1 }, null, {}, (err: unknown) => resolve(err))));
    let turnsLeft = 1000; // event-loop turns, not time: a hang shows as 'hung'
    const hung = (async (): Promise<string> => {
      while (turnsLeft-- > 0) await new Promise<void>((r) => setImmediate(r));
      return 'hung';
    })();
    const r = await Promise.race([run, hung]);
    turnsLeft = 0;
    expect(r).not.toBe('hung');
    const [outcome] = r as PromiseSettledResult<unknown>[];
    expect(outcome?.status === 'fulfilled' && (outcome.value as Error).message).toBe('Channel has been shut down');
  });

  it('bounds: seed and concurrency', async () => {
    expect(() => new StormScheduler(-1)).toThrow(/seed/);
    expect(() => new StormScheduler(2 ** 32)).toThrow(/seed/);
    await expect(new StormScheduler(1).run([1], 0, async () => 0)).rejects.toThrow(/concurrency/);
    await expect(new StormScheduler(1).run([1], 257, async () => 0)).rejects.toThrow(/concurrency/);
  });
});

describe('StormScheduler over the wire (xenopsd builds on a 2-node host)', () => {
  const synth = symmetricHost({ name: 'synth2', sockets: 2, nodesPerSocket: 1, coresPerNode: 2, threadsPerCore: 1, memPerNodeGiB: 2, cpuKhz: 2000000, distance: (a, b) => 10 + 11 * Math.abs(a - b) });

  async function hypercallOrder(seed: number): Promise<StormStep[]> {
    const h = await startHost(synth, { dom0_mem: '1G', node_claims: 'xenserver' });
    try {
      const r = await bootStorm({ address: h.address, toolstack: 'xenopsd', claims: 'node', concurrency: 4, seed, vms: expand(uniform(4, 600, 1)), keepTrace: true });
      expect(r.summary.started).toBe(4);
      return r.trace;
    } finally {
      await h.close();
    }
  }

  it('same seed: the identical hypercall order on two runs; another seed: another order', async () => {
    const a = await hypercallOrder(11);
    const b = await hypercallOrder(11);
    expect(a.length).toBeGreaterThan(40);
    expect(a).toEqual(b);
    expect(new Set(a.map((s) => s.builder))).toEqual(new Set([0, 1, 2, 3]));
    expect(a.some((s) => s.what.startsWith('domctl:')) && a.some((s) => s.what.startsWith('memory_op:')) && a.some((s) => s.what.startsWith('request:'))).toBe(true);
    const c = await hypercallOrder(12);
    expect(c.map((s) => s.builder)).not.toEqual(a.map((s) => s.builder));
  });
});

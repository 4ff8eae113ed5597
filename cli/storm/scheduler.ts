// The boot storm's deterministic scheduler: concurrent builders, one round trip in flight at a
// time, the next caller picked by a seeded RNG once every live builder is quiescent. It sits at
// the client edge (a Proxy over each handle's gRPC client), never in the engine. Design and
// limits: docs/boot-storm.md.
import { AsyncLocalStorage } from 'node:async_hooks';
import { SeededRng } from '../../hypervisor/clock.js';
import { CALL_DEADLINE_MS } from '../../proto/endpoint.js';

/** One scheduled step: which builder, and what (a gRPC method with its command, or a virtual sleep). */
export interface StormStep {
  builder: number;
  what: string;
}

/** Bounds: builders alive at once, jobs queued, steps before the run is declared runaway. */
export const MAX_BUILDERS = 256;
export const MAX_JOBS = 4096;
export const MAX_STEPS = 50_000_000;
/** setImmediate turns allowed for a resumed builder to settle before the scheduler decides. */
const SETTLE_TURNS = 2;
/** Further turns allowed when live builders all wait on something the scheduler cannot see. */
const STALL_TURNS = 100;

interface Pending {
  builder: number;
  what: string;
  go: () => void;
}

/** Which builder the running code belongs to (async context survives awaits and mutex queues). */
const currentBuilder = new AsyncLocalStorage<number>();

/** The builder whose async context is running now, or undefined outside any builder. */
export function builderOf(): number | undefined {
  return currentBuilder.getStore();
}

export class StormScheduler {
  private readonly rng: SeededRng;
  private readonly pending = new Map<number, Pending>();
  private inFlight = false;
  /** Set when a builder woke while a call was in flight (see turn). */
  private unseenWake: Error | undefined;
  private readonly log: StormStep[] = [];
  private readonly keepTrace: boolean;
  /** Called after each step with the number of steps so far (progress, virtual clocks). */
  onStep: ((steps: number) => void) | undefined;

  constructor(seed: number, opts: { keepTrace?: boolean } = {}) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in [0, 2^32-1]: ${seed}`);
    this.rng = new SeededRng(seed);
    this.keepTrace = opts.keepTrace ?? true;
  }

  /** The steps taken so far, in order (empty when keepTrace is off). */
  trace(): readonly StormStep[] {
    return this.log;
  }

  get steps(): number {
    return this.stepCount;
  }

  private stepCount = 0;

  /**
   * Asks for the right to make one round trip (or a virtual sleep) as `builder`; resolves when
   * the scheduler picks it. The caller must call the returned `done` once its reply is delivered.
   */
  turn(builder: number, what: string): Promise<() => void> {
    if (this.pending.has(builder)) return Promise.reject(new Error(`storm scheduler: builder ${builder} asked for two turns at once`));
    // While a call is in flight every other builder is quiescent; one that asks now was woken by a timer or
    // I/O the scheduler does not see, so where it joins would depend on timing: stop rather than guess.
    if (this.inFlight) this.unseenWake ??= new Error(`storm scheduler: builder ${builder} asked for a turn (${what}) while another call was in flight: it was woken by something outside the scheduler (a timer or I/O), so the interleaving would depend on timing`);
    return new Promise((resolve) => {
      this.pending.set(builder, {
        builder,
        what,
        go: () =>
          resolve(() => {
            this.inFlight = false;
          }),
      });
    });
  }

  /** A Thread.delay for builder code: a scheduled step that takes no time (the clock is virtual). */
  sleep(builder: number): Promise<void> {
    return this.turn(builder, 'sleep').then((done) => done());
  }

  /**
   * Runs `jobs` with at most `concurrency` builders alive; builder slot i runs job after job
   * through `work(slot, job)`, in its own async context so wrapped handles can tell who calls.
   * Resolves with each job's outcome once all have finished.
   */
  async run<J, R>(jobs: readonly J[], concurrency: number, work: (slot: number, job: J, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_BUILDERS) throw new RangeError(`concurrency must be an integer in [1, ${MAX_BUILDERS}]: ${concurrency}`);
    if (jobs.length > MAX_JOBS) throw new RangeError(`at most ${MAX_JOBS} jobs: ${jobs.length}`);
    const results: PromiseSettledResult<R>[] = new Array(jobs.length);
    let next = 0;
    let live = 0;
    let failure: unknown;
    const startSlot = (slot: number): void => {
      const index = next++;
      const job = jobs[index]!;
      live++;
      currentBuilder.run(slot, () => {
        void (async () => {
          try {
            results[index] = { status: 'fulfilled', value: await work(slot, job, index) };
          } catch (e) {
            results[index] = { status: 'rejected', reason: e };
          } finally {
            live--;
            // The next queued job starts on the freed slot at once: a deterministic point (within the settle).
            if (next < jobs.length) startSlot(slot);
          }
        })();
      });
    };
    for (let s = 0; s < Math.min(concurrency, jobs.length); s++) startSlot(s);
    for (;;) {
      await settle();
      if (this.inFlight) {
        failure = new Error('storm scheduler: a round trip did not finish before the builders settled');
        break;
      }
      if (this.pending.size === 0) {
        if (live === 0) break;
        // Live builders, none waiting for a turn: a few more event-loop turns (no timers), then call it a deadlock.
        let woke = false;
        for (let i = 0; i < STALL_TURNS && !woke; i++) {
          await new Promise<void>((r) => setImmediate(r));
          woke = this.pending.size > 0 || live === 0 || this.inFlight;
        }
        if (!woke) {
          failure = new Error(`storm scheduler: ${live} builder(s) blocked with nothing to run (deadlock)`);
          break;
        }
        continue;
      }
      if (this.stepCount >= MAX_STEPS) {
        failure = new Error(`storm scheduler: more than ${MAX_STEPS} steps`);
        break;
      }
      const ids = [...this.pending.keys()].sort((a, b) => a - b);
      const pick = ids.length === 1 ? ids[0]! : ids[this.rng.next_u32() % ids.length]!;
      const p = this.pending.get(pick)!;
      this.pending.delete(pick);
      this.inFlight = true;
      this.stepCount++;
      if (this.keepTrace) this.log.push({ builder: p.builder, what: p.what });
      this.onStep?.(this.stepCount);
      p.go();
      await this.waitIdle();
      if (this.unseenWake !== undefined) {
        failure = this.unseenWake;
        break;
      }
    }
    if (failure !== undefined) throw failure;
    return results;
  }

  /** Waits until the in-flight round trip has delivered its reply (its I/O is real). */
  private async waitIdle(): Promise<void> {
    while (this.inFlight) await new Promise<void>((r) => setImmediate(r));
  }
}

/** Lets every microtask and pending immediate run, so each builder reaches its next turn or a block. */
async function settle(): Promise<void> {
  for (let i = 0; i < SETTLE_TURNS; i++) await new Promise<void>((r) => setImmediate(r));
}

type Callback = (err: unknown, res?: unknown) => void;
type UnaryFn = (req: unknown, md: unknown, opts: unknown, cb: Callback) => unknown;

/** The command a request carries, for the trace: domctl/sysctl/memory_op cmd, xenstore type. */
function describe(method: string, req: unknown): string {
  const r = req as { cmd?: unknown; type?: unknown } | null;
  const c = r?.cmd ?? r?.type;
  return c === undefined ? method : `${method}:${String(c)}`;
}

/**
 * A Proxy over a gRPC client whose unary `methods` wait for the scheduler's turn first. `who`
 * names the builder a call belongs to (undefined = not scheduled: setup and report calls).
 */
export function scheduledClient<C extends object>(client: C, sched: StormScheduler, methods: readonly string[], who: () => number | undefined): C {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || !methods.includes(prop) || typeof v !== 'function') return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      const real = (v as UnaryFn).bind(target);
      return (req: unknown, md: unknown, opts: unknown, cb: Callback): void => {
        const b = who();
        if (b === undefined) {
          real(req, md, opts, cb);
          return;
        }
        void sched.turn(b, describe(prop, req)).then((done) => {
          // The caller stamped its deadline before waiting for the turn; the wait is not the call's.
          try {
            real(req, md, { ...(opts as object), deadline: Date.now() + CALL_DEADLINE_MS }, (err, res) => {
              done();
              cb(err, res);
            });
          } catch (e) {
            // A call that throws before it is sent (a shut-down channel) must still end its turn, or the scheduler waits forever.
            done();
            cb(e);
          }
        });
      };
    },
  });
}

/** The Hypervisor service's unary methods (proto/xen.proto) and the Xenstore service's. */
export const HYPERVISOR_METHODS = ['sysctl', 'domctl', 'memory_op', 'xen_version', 'multicall'] as const;
export const XENSTORE_METHODS = ['request'] as const;

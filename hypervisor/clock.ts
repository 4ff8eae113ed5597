// Time and randomness are injected so that the engine is deterministic: the same inputs and
// the same seed give the same results, run after run.

/** NOW(): nanoseconds since boot, never decreasing. */
export interface Clock {
  now_ns(): bigint;
}

/** A clock that moves only when told: for tests and seeded simulations. */
export class ManualClock implements Clock {
  private ns = 0n;

  now_ns(): bigint {
    return this.ns;
  }

  advance(ns: bigint): void {
    if (ns < 0n) throw new RangeError('a clock cannot go back');
    this.ns += ns;
  }
}

/** A source of random 32-bit values. */
export interface Rng {
  next_u32(): number;
}

/** mulberry32: small, fast and seedable; enough for workload mixes and tie-breaking. */
export class SeededRng implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next_u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

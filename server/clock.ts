// The real-time clock the server injects into the engine (the engine itself reads no clock).
import type { Clock } from '../hypervisor/clock.js';

/** Nanoseconds since the server started. */
export class MonotonicClock implements Clock {
  private readonly start = process.hrtime.bigint();

  now_ns(): bigint {
    return process.hrtime.bigint() - this.start;
  }
}

// Guest memory behind a XEN_GUEST_HANDLE: copy_from_guest / copy_to_guest semantics.
import { neg } from './errno.js';

/**
 * A caller's buffer. `input` is what the caller passed (null = a NULL handle). Writes are
 * recorded in `written` so the reply carries exactly what Xen wrote, and nothing it did not.
 */
export class GuestHandle<T> {
  written: T[] | null = null;

  constructor(readonly input: readonly T[] | null) {}

  static null<T>(): GuestHandle<T> {
    return new GuestHandle<T>(null);
  }

  isNull(): boolean {
    return this.input === null;
  }

  /** copy_from_guest: the first `count` elements, or -EFAULT if the buffer is NULL or short. */
  read(count: number): readonly T[] | number {
    if (count === 0) return [];
    if (this.input === null || this.input.length < count) return neg('EFAULT');
    return this.input.slice(0, count);
  }

  /** copy_from_guest_offset of one element: -EFAULT if the buffer is NULL or too short. */
  at(i: number): T | number {
    if (this.input === null || i >= this.input.length) return neg('EFAULT');
    return this.input[i]!;
  }

  /** copy_to_guest_offset: -EFAULT on a NULL handle. */
  write(offset: number, values: readonly T[]): number {
    if (values.length === 0) return 0;
    if (this.input === null) return neg('EFAULT');
    const out = this.written ?? [];
    for (let i = 0; i < values.length; i++) out[offset + i] = values[i]!;
    this.written = out;
    return 0;
  }
}

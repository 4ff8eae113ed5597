// The entry checks every 64-bit and narrow field goes through (server/codec.ts), and the
// injected clock and random source the engine runs on (hypervisor/clock.ts).
import { describe, expect, it } from 'vitest';
import { ManualClock, SeededRng } from '../hypervisor/clock.js';
import { Malformed, str64, u64, u64n, width } from '../server/codec.js';

describe('wire integers', () => {
  it('u64 parses decimal strings up to 2^64 - 1 and refuses anything else as malformed', () => {
    expect(u64('18446744073709551615', 'f')).toBe(2n ** 64n - 1n);
    expect(u64(undefined, 'f')).toBe(0n);
    expect(() => u64('18446744073709551616', 'nr_extents')).toThrow('nr_extents is larger than 2^64 - 1');
    expect(() => u64('-1', 'f')).toThrow(Malformed);
    expect(() => u64('abc', 'f')).toThrow("f must be a decimal unsigned 64-bit integer, got 'abc'");
  });

  it('u64n keeps exact numbers and clamps past 2^53 (above every Xen bound)', () => {
    expect(u64n('4096', 'f')).toBe(4096);
    expect(u64n('9007199254740993', 'f')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("width refuses values that do not fit Xen's u8/u16 fields", () => {
    expect(width(0xffff, 16, 'domid')).toBe(0xffff);
    expect(() => width(0x10000, 16, 'domid')).toThrow("domid is 65536, which does not fit Xen's 16-bit field");
    expect(() => width(256, 8, 'clear')).toThrow(Malformed);
  });

  it('str64 emits exact numbers as numbers and the rest as decimal strings', () => {
    expect(str64(5)).toBe(5);
    expect(str64(5n)).toBe(5);
    expect(str64(2n ** 60n)).toBe('1152921504606846976');
  });
});

describe('injected time and randomness', () => {
  it('SeededRng gives the same sequence for the same seed, another for another seed', () => {
    const a = new SeededRng(42);
    const b = new SeededRng(42);
    const seqA = Array.from({ length: 5 }, () => a.next_u32());
    expect(Array.from({ length: 5 }, () => b.next_u32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => new SeededRng(43).next_u32())[0]).not.toBe(seqA[0]);
    expect(seqA.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
  });

  it('ManualClock moves only forward, only when told', () => {
    const c = new ManualClock();
    c.advance(1500n);
    expect(c.now_ns()).toBe(1500n);
    expect(() => c.advance(-1n)).toThrow('a clock cannot go back');
    expect(c.now_ns()).toBe(1500n);
  });
});

// Decoding rules shared by every family: Xen's narrow integer widths and 64-bit strings are
// checked here, on entry; what does not fit is malformed (gRPC INVALID_ARGUMENT).

export class Malformed extends Error {
  override readonly name = 'Malformed';
}

const U64_MAX = (1n << 64n) - 1n;

export function fail(msg: string): never {
  throw new Malformed(msg);
}

/** A uint32 field holding one of Xen's narrower types (u8 / u16). */
export function width(v: number | undefined, bits: 8 | 16, field: string): number {
  const n = v ?? 0;
  if (n >= 2 ** bits) fail(`${field} is ${n}, which does not fit Xen's ${bits}-bit field`);
  return n;
}

/** A uint64 that arrived as a decimal string. */
export function u64(v: string | number | undefined, field: string): bigint {
  const s = String(v ?? '0');
  if (!/^\d{1,20}$/.test(s)) fail(`${field} must be a decimal unsigned 64-bit integer, got '${s.slice(0, 32)}'`);
  const n = BigInt(s);
  if (n > U64_MAX) fail(`${field} is larger than 2^64 - 1`);
  return n;
}

const SHORT_DECIMAL = /^\d{1,15}$/;

/** A uint64 the engine keeps as a number: values past 2^53 are clamped (no Xen bound is that high). */
export function u64n(v: string | number | undefined, field: string): number {
  // Fast path for the common case (frame lists carry thousands): up to 15 digits is exact.
  if (typeof v === 'string' && SHORT_DECIMAL.test(v)) return Number(v);
  const n = u64(v, field);
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/** A uint64 for the encoder: a number when it is exact (protobufjs encodes numbers much faster
 *  than it parses decimal strings), the decimal string otherwise. Receivers see strings either way. */
export const str64 = (n: number | bigint): number | string =>
  typeof n === 'number' ? n : n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();

/** The set member of a oneof must be the one the selector names (or none). */
export function checkPayload(actual: string | undefined, expected: string | undefined, what: string): void {
  if (actual !== undefined && actual !== expected)
    fail(`${what}: payload '${actual}' does not belong to this command${expected === undefined ? '' : ` (expected '${expected}')`}`);
}

// The libxc error model, chosen once for the whole layer: where C libxc returns -1 and sets
// errno, the TypeScript port throws a XenError carrying the errno number and name. Functions
// that return a count in C return it here. Callers test `e.errno` / `e.code`, not instanceof.
import { XEN_ERRNO, errnoName, type ErrnoName } from '../proto/public/errno.js';

export class XenError extends Error {
  override readonly name = 'XenError';
  /** Positive errno value, as in C's errno after a -1 return. */
  readonly errno: number;
  /** The errno's name, e.g. "EINVAL". */
  readonly code: string;
  /** The libxc function that failed. */
  readonly fn: string;

  constructor(fn: string, errno: number, detail?: string) {
    super(`${fn}: ${errnoName(errno)} (${errno})${detail === undefined ? '' : `: ${detail}`}`);
    this.fn = fn;
    this.errno = errno;
    this.code = errnoName(errno);
  }

  static of(fn: string, name: ErrnoName, detail?: string): XenError {
    return new XenError(fn, XEN_ERRNO[name], detail);
  }
}

export function isXenError(e: unknown, code?: string): e is XenError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'XenError' && (code === undefined || (e as XenError).code === code);
}

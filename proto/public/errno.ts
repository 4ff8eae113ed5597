// Xen's errno values (xen/include/public/errno.h); hypercalls return them negated.
export const XEN_ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ERANGE: 34,
  ENOSYS: 38,
  ENODATA: 61,
  EOVERFLOW: 75,
  EILSEQ: 84,
  EOPNOTSUPP: 95,
  ENOBUFS: 105,
} as const;

export type ErrnoName = keyof typeof XEN_ERRNO;

const NAMES = new Map<number, ErrnoName>(
  (Object.entries(XEN_ERRNO) as [ErrnoName, number][]).map(([name, value]) => [value, name]),
);

/** The name of a positive errno value, e.g. 22 -> "EINVAL"; unknown values print as "E<n>". */
export function errnoName(errno: number): string {
  return NAMES.get(errno) ?? `E${errno}`;
}

/** A hypercall failure as Xen returns it: the negated errno. */
export function neg(name: ErrnoName): number {
  return -XEN_ERRNO[name];
}

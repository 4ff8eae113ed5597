// Constants of the xenstore wire protocol (xen/include/public/io/xs_wire.h) and the permission
// bits of xenstore_lib.h: what xenstored/ and libxenstore/ both include, as C both include xs_wire.h.

/** enum xsd_sockmsg_type. */
export const XS = {
  CONTROL: 0,
  DIRECTORY: 1,
  READ: 2,
  GET_PERMS: 3,
  WATCH: 4,
  UNWATCH: 5,
  TRANSACTION_START: 6,
  TRANSACTION_END: 7,
  INTRODUCE: 8,
  RELEASE: 9,
  GET_DOMAIN_PATH: 10,
  WRITE: 11,
  MKDIR: 12,
  RM: 13,
  SET_PERMS: 14,
  WATCH_EVENT: 15,
  ERROR: 16,
  IS_DOMAIN_INTRODUCED: 17,
  RESUME: 18,
  SET_TARGET: 19,
  RESET_WATCHES: 21,
  DIRECTORY_PART: 22,
  GET_FEATURE: 23,
  SET_FEATURE: 24,
  GET_QUOTA: 25,
  SET_QUOTA: 26,
  TYPE_COUNT: 27,
  INVALID: 0xffff,
} as const;

/** xsd_errors[]: errors travel as their names; values are Linux errno numbers. */
export const XSD_ERRORS = {
  EINVAL: 22,
  EACCES: 13,
  EEXIST: 17,
  EISDIR: 21,
  ENOENT: 2,
  ENOMEM: 12,
  ENOSPC: 28,
  EIO: 5,
  ENOTEMPTY: 39,
  ENOSYS: 38,
  EROFS: 30,
  EBUSY: 16,
  EAGAIN: 11,
  EISCONN: 106,
  E2BIG: 7,
  EPERM: 1,
} as const;
export type XsdError = keyof typeof XSD_ERRORS;

/** enum xs_perm_type (xenstore_lib.h). */
export const XS_PERM_NONE = 0;
export const XS_PERM_READ = 1;
export const XS_PERM_WRITE = 2;
export const XS_PERM_ENOENT_OK = 4; // client-side flag, never stored
export const XS_PERM_OWNER = 8;
export const XS_PERM_IGNORE = 16; // a perm entry of a domain that does not exist

/** Violating this is a protocol error (docs/misc/xenstore.txt). */
export const XENSTORE_PAYLOAD_MAX = 4096;
export const XENSTORE_ABS_PATH_MAX = 3072;
export const XENSTORE_REL_PATH_MAX = 2048;

export const DOMID_ANY = 0x7ff5;

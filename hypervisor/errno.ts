// Xen's errno values live with the public ABI (proto/public/errno.ts); the engine returns them negated.
export { XEN_ERRNO, errnoName, neg, type ErrnoName } from '../proto/public/errno.js';

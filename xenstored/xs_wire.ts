// xs_wire.h as xenstored includes it: the one copy lives with the other public headers.
export * from '../proto/public/xs_wire.js';

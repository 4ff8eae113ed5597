// xenctrl.h: the libxc API in one import.
export * from './xc_affinity.js';
export * from './xc_bitmap.js';
export * from './xc_domain.js';
export * from './xc_error.js';
export * from './xc_memory.js';
export * from './xc_misc.js';
export { xc_interface, xc_interface_close, xc_interface_open, type xc_interface_open_opts } from './xc_private.js';
export * from './xc_vnuma.js';

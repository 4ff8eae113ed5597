// Hypercall numbers live with the public ABI.
export { HYPERVISOR } from '../../proto/public/xen.js';

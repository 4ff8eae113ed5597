// The engine's view of xen/include/public/memory.h (do_memory_op).
export { XENMEM, MEMOP_EXTENT_SHIFT, MEMOP_CMD_MASK } from '../../proto/public/memory.js';
/** Arguments are not decoded until the memory issue implements the sub-ops that take them. */
export interface xen_memory_op {
  cmd: number;
}

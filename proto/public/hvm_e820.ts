// HVM guest-physical layout constants of xen/include/public/hvm/e820.h, shared by the toolstack
// layers that lay out a guest (libxl, xenguest, xenopsd's xenguest).

/** HVM_BELOW_4G_RAM_END = HVM_BELOW_4G_MMIO_START: where the default MMIO hole starts (bytes). */
export const HVM_BELOW_4G_MMIO_START = 0xf0000000;
/** HVM_BELOW_4G_MMIO_LENGTH: 4G - HVM_BELOW_4G_MMIO_START (bytes). */
export const HVM_BELOW_4G_MMIO_LENGTH = 2 ** 32 - HVM_BELOW_4G_MMIO_START;

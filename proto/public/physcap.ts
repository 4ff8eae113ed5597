// XEN_SYSCTL_PHYSCAP_* bits of physinfo.capabilities (xen/include/public/sysctl.h).
export const XEN_SYSCTL_PHYSCAP = {
  hvm: 1 << 0,
  pv: 1 << 1,
  directio: 1 << 2,
  hap: 1 << 3,
  shadow: 1 << 4,
  iommu_hap_pt_share: 1 << 5,
  vmtrace: 1 << 6,
  vpmu: 1 << 7,
  gnttab_v1: 1 << 8,
  gnttab_v2: 1 << 9,
} as const;

export type PhyscapName = keyof typeof XEN_SYSCTL_PHYSCAP;

export const PHYSCAP_NAMES = Object.keys(XEN_SYSCTL_PHYSCAP) as PhyscapName[];

/** What a current Intel server with VT-x, EPT and VT-d reports under Xen 4.22 (0x33F): vPMU is
 *  never set on x86, vmtrace only with Intel PT built in, both grant versions by default. */
export const TYPICAL_CAPABILITIES =
  XEN_SYSCTL_PHYSCAP.hvm |
  XEN_SYSCTL_PHYSCAP.pv |
  XEN_SYSCTL_PHYSCAP.directio |
  XEN_SYSCTL_PHYSCAP.hap |
  XEN_SYSCTL_PHYSCAP.shadow |
  XEN_SYSCTL_PHYSCAP.iommu_hap_pt_share |
  XEN_SYSCTL_PHYSCAP.gnttab_v1 |
  XEN_SYSCTL_PHYSCAP.gnttab_v2;

/** CPUID words of a Xeon with AVX2/AVX-512 (plausible values; nothing in xenemu depends on them). */
export const TYPICAL_HW_CAP = [0xbfebfbff, 0x77fefbff, 0x2c100800, 0x00000121, 0x0000000f, 0xd19ffffb, 0x00000008, 0x00008000];

// The memory part of XenServer's xenguest HVM build (xenserver/xen.pg patches/xenguest.patch,
// xenserver-next/xen xenguest: tools/xenguest/xenguest_stubs.c: stub_xc_hvm_build,
// hvm_build_setup_mem, configure_vcpus), on xenemu's libxenguest port (xenguest/).
import { xc_cpumap_alloc, xc_cpumap_setcpu, xc_vcpu_setaffinity, type xc_interface } from '../libxc/xenctrl.js';
import { XEN_VCPUAFFINITY } from '../proto/public/domctl.js';
import { XENMEMF_exact_node } from '../proto/public/xenmem_flags.js';
import { alloc_magic_pages_hvm } from '../xenguest/alloc_magic_pages_hvm.js';
import { HVM_BELOW_4G_MMIO_LENGTH } from '../proto/public/hvm_e820.js';
import { meminit_hvm } from '../xenguest/meminit_hvm.js';
import { xc_dom_image_init, type xc_dom_image } from '../xenguest/xc_dom.js';

const FOUR_GIB = 2 ** 32;
/** Bound: the largest guest xenemu hosts (16 TiB), in MiB. */
const MAX_GUEST_MIB = 16 * 1024 * 1024;

/**
 * What xenguest does with `-mem_pnode N`. The public xenserver-next branch parses and ignores
 * it (node claims steer the allocation); the shipping product may set memflags =
 * XENMEMF_exact_node(N) — unverified (xen-userspace.md §3.5, §7). Default: exact_node.
 */
export type MemPnodeHandling = 'exact_node' | 'ignored';

/** The xenguest command line the HVM build needs: -mem_max_mib, -mem_start_mib, [-mem_pnode]. */
export interface HvmBuildArgs {
  mem_max_mib: number;
  mem_start_mib: number;
  mem_pnode: number | null;
  vcpus: number;
  /** platform/vcpu/<n>/affinity as legacy xenopsd wrote it: one '0'/'1' per pCPU; empty = none. */
  vcpu_affinity: readonly string[];
}

/** The xc_dom_image layout fields hvm_build_setup_mem computes (bytes, pages). */
type HvmLayout = Pick<xc_dom_image, 'total_pages' | 'target_pages' | 'lowmem_end' | 'highmem_end' | 'mmio_start' | 'mmio_size'>;

/**
 * Port of hvm_build_setup_mem without pass-through devices or RMRRs: target = start << 8 pages,
 * RAM = max << 20 bytes split at 4G - the default MMIO hole, total_pages = max << 8
 * (xc_dom_mem_init). The xenguest-side layout, not libxl's: no VGA-hole claim arithmetic.
 */
export function hvm_build_setup_mem(max_mib: number, start_mib: number): HvmLayout {
  for (const [what, v] of [['mem_max_mib', max_mib], ['mem_start_mib', start_mib]] as const)
    if (!Number.isInteger(v) || v < 0 || v > MAX_GUEST_MIB) throw new RangeError(`xenguest: ${what} must be an integer in [0, ${MAX_GUEST_MIB}]: ${v}`);
  const mmio_size = HVM_BELOW_4G_MMIO_LENGTH; // the MMIO hole xenguest starts from
  const mmio_start = FOUR_GIB - mmio_size;
  let lowmem_end = max_mib * 2 ** 20;
  let highmem_end = 0;
  if (lowmem_end > mmio_start) {
    highmem_end = FOUR_GIB + (lowmem_end - mmio_start);
    lowmem_end = mmio_start;
  }
  return { total_pages: max_mib * 256, target_pages: start_mib * 256, lowmem_end, highmem_end, mmio_start, mmio_size };
}

/** Port of configure_vcpus' affinity part: character j of the string is pCPU j; up to the cpumap's bits. */
async function configure_vcpus(xch: xc_interface, domid: number, affinity: readonly string[]): Promise<void> {
  for (const [vcpu, s] of affinity.entries()) {
    const map = await xc_cpumap_alloc(xch);
    for (let j = 0; j < Math.min(s.length, map.length * 8); j++) if (s[j] === '1') xc_cpumap_setcpu(j, map);
    await xc_vcpu_setaffinity(xch, domid, vcpu, map, null, XEN_VCPUAFFINITY.HARD);
  }
}

/**
 * Port of stub_xc_hvm_build's memory steps: configure_vcpus (hard affinity from platform data),
 * hvm_build_setup_mem, meminit_hvm (claim_enabled never set, vga_hole_size 0, device_model on),
 * alloc_magic_pages_hvm. Returns the image with meminit's stats. Throws what libxenguest throws.
 */
export async function hvm_build(
  xch: xc_interface,
  domid: number,
  args: HvmBuildArgs,
  opts: { mem_pnode: MemPnodeHandling; log: (line: string) => void },
): Promise<xc_dom_image> {
  await configure_vcpus(xch, domid, args.vcpu_affinity.slice(0, args.vcpus));
  const layout = hvm_build_setup_mem(args.mem_max_mib, args.mem_start_mib);
  // Bound: XENMEMF_node encodes nodes 0..254 (0xFF reads as "no node").
  if (args.mem_pnode !== null && (!Number.isInteger(args.mem_pnode) || args.mem_pnode < 0 || args.mem_pnode > 254)) throw new RangeError(`xenguest: -mem_pnode must be a node in [0, 254]: ${args.mem_pnode}`);
  const memflags = args.mem_pnode !== null && opts.mem_pnode === 'exact_node' ? XENMEMF_exact_node(args.mem_pnode) : 0;
  const dom = xc_dom_image_init(xch, domid, { ...layout, device_model: true, claim_enabled: false, vga_hole_size: 0, memflags, log: opts.log });
  await meminit_hvm(dom);
  await alloc_magic_pages_hvm(dom);
  return dom;
}

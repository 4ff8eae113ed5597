// vCPU and node affinity (tools/libs/ctrl/xc_domain.c: xc_vcpu_setaffinity,
// xc_vcpu_getaffinity, xc_domain_node_setaffinity, xc_domain_node_getaffinity).
import { XEN_DOMCTL, XEN_VCPUAFFINITY } from '../proto/public/domctl.js';
import type { xenctl_bitmap } from '../proto/generated/xen/xenctl_bitmap.js';
import type { xenctl_bitmap__Output } from '../proto/generated/xen/xenctl_bitmap.js';
import type { xc_cpumap_t, xc_nodemap_t } from './xc_bitmap.js';
import { xc_get_cpumap_size, xc_get_nodemap_size } from './xc_misc.js';
import { do_domctl, type xc_interface } from './xc_private.js';

/** A map bounced to Xen: nr_bits is the whole buffer, as libxc always sends. */
function bounce(map: Uint8Array | null, bytes: number): xenctl_bitmap {
  if (map === null) return { nr_bits: bytes * 8, bitmap: null };
  const buf = Buffer.alloc(bytes);
  buf.set(map.subarray(0, bytes));
  return { nr_bits: bytes * 8, bitmap: { buf } };
}

/** Copies what Xen wrote back into the caller's map. */
function unbounce(out: xenctl_bitmap__Output | null | undefined, map: Uint8Array | null): void {
  if (map !== null && out?.bitmap) map.set(out.bitmap.buf.subarray(0, map.length));
}

/**
 * xc_vcpu_setaffinity: applies the maps whose flag is set; on success each map holds the
 * effective affinity (hard & pool CPUs; soft & pool & hard). Maps are xc_get_cpumap_size bytes.
 */
export async function xc_vcpu_setaffinity(xch: xc_interface, domid: number, vcpu: number, hard_inout: xc_cpumap_t | null, soft_inout: xc_cpumap_t | null, flags: number): Promise<void> {
  const size = await xc_get_cpumap_size(xch);
  const op = await do_domctl(xch, 'xc_vcpu_setaffinity', {
    cmd: XEN_DOMCTL.setvcpuaffinity,
    domain: domid,
    vcpuaffinity: {
      vcpu,
      flags,
      cpumap_hard: bounce((flags & XEN_VCPUAFFINITY.HARD) !== 0 ? hard_inout : null, size),
      cpumap_soft: bounce((flags & XEN_VCPUAFFINITY.SOFT) !== 0 ? soft_inout : null, size),
    },
  });
  unbounce(op.vcpuaffinity?.cpumap_hard, hard_inout);
  unbounce(op.vcpuaffinity?.cpumap_soft, soft_inout);
}

/** xc_vcpu_getaffinity: the raw masks last set, for the flags given. */
export async function xc_vcpu_getaffinity(xch: xc_interface, domid: number, vcpu: number, hard: xc_cpumap_t | null, soft: xc_cpumap_t | null, flags: number): Promise<void> {
  const size = await xc_get_cpumap_size(xch);
  const op = await do_domctl(xch, 'xc_vcpu_getaffinity', {
    cmd: XEN_DOMCTL.getvcpuaffinity,
    domain: domid,
    vcpuaffinity: {
      vcpu,
      flags,
      cpumap_hard: { nr_bits: size * 8, bitmap: (flags & XEN_VCPUAFFINITY.HARD) !== 0 && hard !== null ? { buf: Buffer.alloc(0) } : null },
      cpumap_soft: { nr_bits: size * 8, bitmap: (flags & XEN_VCPUAFFINITY.SOFT) !== 0 && soft !== null ? { buf: Buffer.alloc(0) } : null },
    },
  });
  unbounce(op.vcpuaffinity?.cpumap_hard, hard);
  unbounce(op.vcpuaffinity?.cpumap_soft, soft);
}

/** xc_domain_node_setaffinity: nodesize * 8 bits (64 on x86). */
export async function xc_domain_node_setaffinity(xch: xc_interface, domid: number, nodemap: xc_nodemap_t): Promise<void> {
  const size = await xc_get_nodemap_size(xch);
  await do_domctl(xch, 'xc_domain_node_setaffinity', { cmd: XEN_DOMCTL.setnodeaffinity, domain: domid, nodeaffinity: { nodemap: bounce(nodemap, size) } });
}

/** xc_domain_node_getaffinity: fills `nodemap`. */
export async function xc_domain_node_getaffinity(xch: xc_interface, domid: number, nodemap: xc_nodemap_t): Promise<void> {
  const size = await xc_get_nodemap_size(xch);
  const op = await do_domctl(xch, 'xc_domain_node_getaffinity', {
    cmd: XEN_DOMCTL.getnodeaffinity,
    domain: domid,
    nodeaffinity: { nodemap: { nr_bits: size * 8, bitmap: { buf: Buffer.alloc(0) } } },
  });
  unbounce(op.nodeaffinity?.nodemap, nodemap);
}

// Creating and tearing down domains (xen/common/domain.c: domain_create,
// sanitise_domain_config, domain_kill; xen/arch/x86/domain.c: arch_sanitise_domain_config).
import { newDomain, type Domain } from './domain.js';
import { release_claim, relinquish_memory } from './domheap.js';
import { neg } from './errno.js';
import { nodeid, type DomId } from './ids.js';
import { P2m } from './p2m.js';
import { XEN_DOMCTL_CDF, XEN_DOMCTL_CDF_MASK, XEN_DOMCTL_GRANT_version_mask, XEN_DOMCTL_IOMMU_no_sharept, type xen_domctl_createdomain } from '../proto/public/domctl.js';
import { XEN_SYSCTL_PHYSCAP } from '../proto/public/physcap.js';
import type { Xen } from './xen.js';

/** HVM_MAX_VCPUS (xen/include/public/hvm/hvm_info_table.h). */
export const HVM_MAX_VCPUS = 128;
/** MAX_VIRT_CPUS on x86-64, the bound for PV guests. */
export const MAX_VIRT_CPUS = 8192;

/** Port of sanitise_domain_config and arch_sanitise_domain_config (x86): 0 or -EINVAL. */
export function sanitise_domain_config(xen: Xen, c: xen_domctl_createdomain): number {
  const caps = xen.host.topology.capabilities;
  const has = (bit: number): boolean => (caps & bit) !== 0;
  const hvm = (c.flags & XEN_DOMCTL_CDF.hvm) !== 0;
  const einval = neg('EINVAL');
  if ((c.flags & ~XEN_DOMCTL_CDF_MASK) !== 0) return einval;
  if ((c.grant_opts & ~XEN_DOMCTL_GRANT_version_mask) !== 0) return einval;
  if (c.max_vcpus < 1) return einval;
  if ((c.flags & XEN_DOMCTL_CDF.hap) !== 0 && !hvm) return einval;
  if ((c.flags & XEN_DOMCTL_CDF.iommu) !== 0) {
    if (!has(XEN_SYSCTL_PHYSCAP.directio)) return einval;
  } else if (c.iommu_opts !== 0) return einval;
  if ((c.iommu_opts & ~XEN_DOMCTL_IOMMU_no_sharept) !== 0) return einval;
  if (c.vmtrace_size !== 0 && !has(XEN_SYSCTL_PHYSCAP.vmtrace)) return einval;
  if ((c.flags & XEN_DOMCTL_CDF.vpmu) !== 0 && !has(XEN_SYSCTL_PHYSCAP.vpmu)) return einval;
  // arch_sanitise_domain_config
  if (hvm ? !has(XEN_SYSCTL_PHYSCAP.hvm) : !has(XEN_SYSCTL_PHYSCAP.pv)) return einval;
  if ((c.flags & XEN_DOMCTL_CDF.hap) !== 0 && !has(XEN_SYSCTL_PHYSCAP.hap)) return einval;
  if (c.max_vcpus > (hvm ? HVM_MAX_VCPUS : MAX_VIRT_CPUS)) return einval;
  return 0;
}

/**
 * Port of domain_create for a toolstack-created domain: sanitised config, node affinity all
 * and automatic, paused once (controller_pause_count = 1), no vCPUs yet, no pages, in cpupool
 * `cpupool_id` (only Pool-0 exists: another id is -ESRCH, cpupool_add_domain).
 */
export function domain_create(xen: Xen, id: DomId, c: xen_domctl_createdomain): Domain | number {
  const bad = sanitise_domain_config(xen, c);
  if (bad !== 0) return bad;
  if (c.cpupool_id !== 0) return neg('ESRCH');
  const d = newDomain(id, c.max_vcpus, nodeid(0));
  d.cdf = c.flags;
  d.is_hvm = (c.flags & XEN_DOMCTL_CDF.hvm) !== 0;
  d.hap = (c.flags & XEN_DOMCTL_CDF.hap) !== 0;
  d.ssidref = c.ssidref;
  d.handle = new Uint8Array(16);
  d.handle.set(c.handle.subarray(0, 16));
  d.controller_pause_count = 1;
  d.gpaddr_bits = d.hap ? 52 : 0;
  if (d.is_hvm) d.p2m = new P2m();
  return d;
}

/**
 * Port of domain_kill, both phases at once: the domain is paused and dying, its claim released,
 * its pages returned to the heap; then dead. The emulator drops its last reference at once,
 * so the domain leaves the domain list and its id becomes free.
 */
export function domain_kill(xen: Xen, d: Domain): void {
  d.is_dying = 'dying';
  d.controller_pause_count = Math.max(d.controller_pause_count, 1);
  release_claim(xen, d);
  relinquish_memory(xen, d); // every page freed dirty, for the scrubber
  d.vnuma = null; // vnuma_destroy
  d.cpupool = 0;
  d.is_dying = 'dead';
  xen.remove_domain(d);
}

// The default XSM policy (xen/include/xsm/dummy.h: xsm_default_action): one place that says
// who may do what. Handlers declare the action they need.
import { neg } from './errno.js';
import type { Domain } from './domain.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';

const isXenstoreDomain = (d: Domain): boolean => (d.cdf & XEN_DOMCTL_CDF.xs_domain) !== 0;
const isDeviceModelOf = (src: Domain, target: Domain | null): boolean => target !== null && src.target === target;

export type XsmAction = 'HOOK' | 'TARGET' | 'XS_PRIV' | 'PRIV';

/** Port of xsm_default_action; `target` is the domain acted on, when there is one. */
export function xsm_default_action(action: XsmAction, src: Domain, target: Domain | null): number {
  const isControl = src.is_privileged;
  switch (action) {
    case 'HOOK':
      return 0;
    case 'TARGET':
      return isControl || (target !== null && src === target) || isDeviceModelOf(src, target) ? 0 : neg('EPERM');
    case 'XS_PRIV': // not the target itself
      return isControl || isXenstoreDomain(src) || isDeviceModelOf(src, target) ? 0 : neg('EPERM');
    case 'PRIV':
      return isControl ? 0 : neg('EPERM');
  }
}

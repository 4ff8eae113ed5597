// The default XSM policy (xen/include/xsm/dummy.h: xsm_default_action): one place that says
// who may do what. Handlers declare the action they need. Device-model (d->target) and
// xenstore-domain callers arrive with the domains issue; today every caller is dom0.
import { neg } from './errno.js';
import type { Domain } from './domain.js';

export type XsmAction = 'HOOK' | 'TARGET' | 'XS_PRIV' | 'PRIV';

/** Port of xsm_default_action; `target` is the domain acted on, when there is one. */
export function xsm_default_action(action: XsmAction, src: Domain, target: Domain | null): number {
  const isControl = src.is_privileged;
  switch (action) {
    case 'HOOK':
      return 0;
    case 'TARGET':
      return isControl || (target !== null && src === target) ? 0 : neg('EPERM');
    case 'XS_PRIV':
      return isControl ? 0 : neg('EPERM');
    case 'PRIV':
      return isControl ? 0 : neg('EPERM');
  }
}

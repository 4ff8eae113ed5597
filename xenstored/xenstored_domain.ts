// Domains as xenstored knows them (tools/xenstored/domain.c): introduction, release, the
// implicit path, and the per-domain accounting that quotas are checked against.
import { XENSTORE_REL_PATH_MAX } from './xs_wire.js';

/** The privileged (and store) domain: exempt from every quota (domid_is_unprivileged). */
export const PRIV_DOMID = 0;

/** Hard quotas, named as xenstored's -Q options; defaults are cxenstored's (quotas[] in domain.c). */
export interface XenstoredQuotas {
  /** Nodes owned per domain ("nodes"). */
  nodes: number;
  /** Watches per domain ("watches"). */
  watches: number;
  /** Open transactions per domain ("transactions"). */
  transactions: number;
  /** Nodes touched per transaction ("transaction-nodes"). */
  transaction_nodes: number;
  /** Permission entries per node ("node-permissions"). */
  node_permissions: number;
  /** Path length below /local/domain/<domid>/ ("path-max"). */
  path_max: number;
  /** Stored size of a node: header, perms, data, child names ("node-size"). */
  node_size: number;
}

export const DEFAULT_QUOTAS: Readonly<XenstoredQuotas> = {
  nodes: 1000,
  watches: 128,
  transactions: 10,
  transaction_nodes: 1024,
  node_permissions: 5,
  path_max: XENSTORE_REL_PATH_MAX,
  node_size: 2048,
};

export type AccItem = 'nodes' | 'watches' | 'transactions';

/** struct domain: what xenstored keeps per domid. */
export class XsDomain {
  readonly domid: number;
  readonly path: string;
  introduced = false;
  port = 0;
  mfn = 0;
  /** acc_val[]: nodes owned, watches and transactions open. */
  readonly acc: Record<AccItem, number> = { nodes: 0, watches: 0, transactions: 0 };

  constructor(domid: number) {
    this.domid = domid;
    this.path = domain_path(domid);
  }
}

/** talloc_domain_path. */
export function domain_path(domid: number): string {
  return `/local/domain/${domid}`;
}

export function domid_is_unprivileged(domid: number): boolean {
  return domid !== PRIV_DOMID;
}

/** parse_domid: decimal, at most 65535, nothing after it; undefined = EINVAL. */
export function parse_domid(text: string): number | undefined {
  // strtoul accepts leading blanks and a sign; a toolstack sends plain digits.
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n > 65535 ? undefined : n;
}

export class DomainTable {
  private readonly domains = new Map<number, XsDomain>();
  readonly quotas: XenstoredQuotas;

  constructor(quotas: XenstoredQuotas) {
    this.quotas = quotas;
  }

  /** find_or_alloc_domain. Bounded by parse_domid's range (65536 entries at most). */
  find_or_alloc(domid: number): XsDomain {
    let d = this.domains.get(domid);
    if (d === undefined) {
      d = new XsDomain(domid);
      this.domains.set(domid, d);
    }
    return d;
  }

  find(domid: number): XsDomain | undefined {
    return this.domains.get(domid);
  }

  /** find_domain_by_domid: only an introduced domain counts. */
  find_introduced(domid: number): XsDomain | undefined {
    const d = this.domains.get(domid);
    return d?.introduced === true ? d : undefined;
  }

  /** domain_quota_add_exceeds: quotas bind unprivileged domains only; reaching the quota is exceeding it. */
  quota_add_exceeds(domid: number, what: AccItem, add: number, extra = 0): boolean {
    if (add < 0 || !domid_is_unprivileged(domid)) return false;
    const quota = this.quotas[what];
    if (quota === 0) return false;
    return (this.domains.get(domid)?.acc[what] ?? 0) + extra + add >= quota;
  }

  /** domain_max_chk for the per-item maxima (path-max, node-size, node-permissions, transaction-nodes). */
  max_exceeds(domid: number, what: 'path_max' | 'node_size' | 'node_permissions' | 'transaction_nodes', val: number): boolean {
    if (!domid_is_unprivileged(domid)) return false;
    const quota = this.quotas[what];
    return quota !== 0 && val >= quota;
  }

  acc_add(domid: number, what: AccItem, n: number): void {
    const d = this.find_or_alloc(domid);
    d.acc[what] = Math.max(0, d.acc[what] + n);
  }
}

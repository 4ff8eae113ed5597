// Transactions (tools/xenstored/transaction.c): each node a transaction touches is copied into
// it with the generation it had; the end succeeds only if none of those generations moved.
import type { XsNode } from './xenstored_core.js';
import type { WatchMatch } from './xenstored_watch.js';
import type { xs_permissions } from './xenstored_perms.js';

/** A node that does not exist has no generation. */
export const NO_GENERATION = -1;

/** struct accessed_node. */
export interface AccessedNode {
  /** Generation of the global node when first touched (NO_GENERATION: it did not exist). */
  generation: number;
  /** The transaction's view of the node; undefined: absent (deleted, or never existed). */
  node: XsNode | undefined;
  /** Permissions of the global node when first touched, for watch_permitted. */
  perms: xs_permissions[] | undefined;
  check_gen: boolean;
  modified: boolean;
  fire_watch: boolean;
  watch_match: WatchMatch;
}

/** struct transaction. */
export class Transaction {
  readonly id: number;
  /** accessed list, in first-access order (a Map keeps insertion order). */
  readonly accessed = new Map<string, AccessedNode>();
  /** Set when the transaction can no longer commit (its end answers ENOMEM, as cxenstored). */
  fail = false;
  node_created = false;
  /** Change in nodes owned per domain, applied at commit (acc_fix_domains). */
  readonly node_delta = new Map<number, number>();

  constructor(id: number) {
    this.id = id;
  }

  delta_of(domid: number): number {
    return this.node_delta.get(domid) ?? 0;
  }

  add_delta(domid: number, n: number): void {
    this.node_delta.set(domid, this.delta_of(domid) + n);
  }

  /** queue_watches: a subtree event replaces an exact one, not the other way round. */
  queue_watch(name: string, match: WatchMatch): void {
    const a = this.accessed.get(name);
    if (a === undefined) {
      this.fail = true;
      return;
    }
    if (!a.fire_watch) {
      a.fire_watch = true;
      a.watch_match = match;
    } else if (match === 'subtree') {
      a.watch_match = match;
    }
  }
}

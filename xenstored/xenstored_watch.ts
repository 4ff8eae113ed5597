// Watches (tools/xenstored/watch.c): registration per connection, and which watches a change
// to a node fires.

/** enum watch_match. */
export type WatchMatch = 'exact' | 'subtree' | 'depth' | 'nodepth';

/** struct watch. Depth limits (XENSTORE_SERVER_FEATURE_WATCHDEPTH) are not offered: depth is -1. */
export interface Watch {
  /** Canonical path or special name (@introduceDomain, ...). */
  node: string;
  token: string;
  /** Characters to strip from an event's path: set for a watch registered with a relative path. */
  prefix_len: number;
  depth: number;
}

/** is_child: `child` is `parent` or below it (within `depth` levels when depth >= 0). */
export function is_child(child: string, parent: string, depth: number): boolean {
  const len = parent.length;
  if (!child.startsWith(parent)) return false;
  const next = child[len];
  if (next !== '/' && next !== undefined && len > 1) return false;
  if (depth < 0 || next === undefined) return true;
  let sub_levels = len === 1 ? 1 : 0;
  for (let i = len; sub_levels <= depth; i++) {
    if (child[i] === undefined) return true;
    if (child[i] === '/') sub_levels++;
  }
  return false;
}

/** The switch in fire_watches: does a change to `name` of kind `match` fire `watch`? */
export function watch_matches(watch: Watch, name: string, match: WatchMatch): boolean {
  switch (match) {
    case 'exact':
      return name === watch.node;
    case 'subtree':
      return is_child(name, watch.node, watch.depth);
    case 'depth':
      return name === watch.node || (watch.depth > 0 && is_child(name, watch.node, watch.depth));
    case 'nodepth':
      return name === watch.node && watch.depth < 0;
  }
}

/** The path an event reports: relative watches see relative paths (get_watch_path). */
export function watch_path(watch: Watch, name: string): string {
  return name.slice(watch.prefix_len);
}

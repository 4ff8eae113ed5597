// The Xenctrlext calls xenopsd's NUMA build path makes (xapi-project/xen-api
// ocaml/libs/xenctrl-ext/xenctrlext.ml and xenctrlext_stubs.c), on xenemu's libxc.
import {
  XC_NUMA_NO_NODE,
  XenError,
  isXenError,
  xc_cpumap_alloc,
  xc_cpumap_setcpu,
  xc_cputopoinfo,
  xc_domain_claim_pages_node,
  xc_domain_numa_get_node_pages,
  xc_get_max_cpus,
  xc_get_max_nodes,
  xc_numa_meminfo,
  xc_numainfo,
  xc_vcpu_setaffinity,
  type xc_cputopo_t,
  type xc_interface,
  type xc_meminfo_t,
  type xc_node_meminfo_t,
} from '../libxc/xenctrl.js';
import { XEN_VCPUAFFINITY } from '../proto/public/domctl.js';

/** xenopsd's debug/info/warn/error (Debug.Make); the caller decides where lines go. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, line: string) => void;

/** Port of Xenctrlext.error: (Unix error, binding) — here the errno name and the libxc function. */
export interface XenctrlextError {
  readonly code: string;
  readonly fn: string;
}

/** Port of Xenctrlext.outcome: ('a, error) result. */
export type outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: XenctrlextError };

/** Port of Xenctrlext.Unix_error, raised where the OCaml stubs raise it (vcpu_setaffinity_hard, the global claim's ENOMEM). */
export class Unix_error extends Error {
  override readonly name = 'Unix_error';
  constructor(
    readonly code: string,
    readonly fn: string,
  ) {
    super(`Xenctrlext.Unix_error(Unix.${code}, "${fn}")`);
  }
}

/**
 * The handle xenopsd gets from Xenctrlext.get_handle. `node_claims_api` says whether the stubs
 * were compiled against XenServer's libxc (XEN_DOMCTL_NUMA_OP_GET_NODE_PAGES defined): without
 * it domain_claim_pages is ENOSYS and the node-pages query a Failure, as in xenctrlext_stubs.c.
 */
export interface XenctrlextHandle {
  readonly xch: xc_interface;
  readonly node_claims_api: boolean;
  readonly log: Logger;
}

export function get_handle(xch: xc_interface, log: Logger, node_claims_api = true): XenctrlextHandle {
  return { xch, log, node_claims_api };
}

/** Bound: the node and CPU counts Xen may report, as the sizes the stubs calloc. */
const MAX_NODES = 1024;
const MAX_CPUS = 1 << 20;

function bytesNum(what: string, v: bigint): number {
  // An offline node's XEN_INVALID_MEM_SZ (~0) or anything past 2^53 cannot be an OCaml int64 we use as a double.
  if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) throw XenError.of(what, 'ERANGE', `memory size ${v} out of range`);
  return Number(v);
}

function checkCount(fn: string, n: number, max: number): number {
  if (!Number.isInteger(n) || n < 0 || n > max) throw XenError.of(fn, 'E2BIG', `Xen reported ${n} entries (bound ${max})`);
  return n;
}

/** Port of Xenctrlext.wrap: a libxc failure becomes Error (code, binding) and is logged at debug. */
async function wrap<T>(h: XenctrlextHandle, func: string, f: () => Promise<T>): Promise<outcome<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    if (!isXenError(e)) throw e;
    h.log('debug', `${func}: ${e.fn}: ${error_message(e.code)}`);
    return { ok: false, error: { code: e.code, fn: e.fn } };
  }
}

/** Unix.error_message (strerror) for the errors the build path reports; others by name. */
const MESSAGES: Readonly<Record<string, string>> = {
  ENOMEM: 'Cannot allocate memory',
  ENOSYS: 'Function not implemented',
  EINVAL: 'Invalid argument',
  EOPNOTSUPP: 'Operation not supported',
  ENOENT: 'No such file or directory',
  ERANGE: 'Numerical result out of range',
  EPERM: 'Operation not permitted',
  ESRCH: 'No such process',
};
export const error_message = (code: string): string => MESSAGES[code] ?? code;

/** Port of Xenctrlext.handle_outcome: the value, or a warning and the default. */
export function handle_outcome<T>(h: XenctrlextHandle, o: outcome<T>, dflt: T): T {
  if (o.ok) return o.value;
  h.log('warn', `Ignoring ${o.error.fn}: ${error_message(o.error.code)}`);
  return dflt;
}

/** Port of Xenctrlext.meminfo. Bytes. */
export interface meminfo {
  memfree: number;
  memsize: number;
}

/** Port of Xenctrlext.numainfo. */
export interface numainfo {
  memory: meminfo[];
  distances: number[][];
}

/** xc_numainfo twice, as both stubs call it: the node count, then the per-node memory (and distances when asked). */
async function xc_numainfo_filled(h: XenctrlextHandle, distances: boolean): Promise<{ mem: xc_meminfo_t[]; dist: number[]; got: number }> {
  const n = checkCount('xc_numainfo', await xc_numainfo(h.xch, 0, null, null), MAX_NODES);
  const mem: xc_meminfo_t[] = Array.from({ length: n }, () => ({ memsize: 0n, memfree: 0n }));
  const dist = new Array<number>(distances ? n * n : 0).fill(0);
  const got = checkCount('xc_numainfo', await xc_numainfo(h.xch, n, mem, distances ? dist : null), n);
  return { mem: mem.slice(0, got), dist, got };
}

/** Port of stub_xenctrlext_numainfo: asks the count, then fills; a libxc failure is raised (failwith_xc). */
export async function numainfo(h: XenctrlextHandle): Promise<numainfo> {
  const { mem, dist, got } = await xc_numainfo_filled(h, true);
  return {
    memory: mem.map((m) => ({ memfree: bytesNum('xc_numainfo', m.memfree), memsize: bytesNum('xc_numainfo', m.memsize) })),
    distances: Array.from({ length: got }, (_row, i) => Array.from({ length: got }, (_col, j) => dist[i * got + j]!)),
  };
}

/** Port of Xenctrlext.cputopo. */
export interface cputopo {
  core: number;
  socket: number;
  node: number;
}

/** Port of stub_xenctrlext_cputopoinfo. */
export async function cputopoinfo(h: XenctrlextHandle): Promise<cputopo[]> {
  const n = checkCount('xc_cputopoinfo', await xc_cputopoinfo(h.xch, 0, null), MAX_CPUS);
  const topo: xc_cputopo_t[] = Array.from({ length: n }, () => ({ core: 0, socket: 0, node: 0 }));
  const got = checkCount('xc_cputopoinfo', await xc_cputopoinfo(h.xch, n, topo), n);
  // Xen's INVALID_TOPOLOGY_ID is ~0U; as an OCaml int (Val_int of a uint32) it stays 0xFFFFFFFF.
  return topo.slice(0, got).map((t) => ({ core: t.core >>> 0, socket: t.socket >>> 0, node: t.node >>> 0 }));
}

/** Port of Xenctrlext.get_max_nr_cpus (xc_get_max_cpus). */
export function get_max_nr_cpus(h: XenctrlextHandle): Promise<number> {
  return xc_get_max_cpus(h.xch);
}

/** What stub_xenctrlext_domain_claim_pages passes to raise_unix_errno_msg when libxc fails. */
export const CLAIM_BINDING = 'Error when trying to claim memory pages';

/** Port of Xenctrlext.NumaNode: XC_NUMA_NO_NODE is `none`, a host-wide claim. */
export const NumaNode = { none: XC_NUMA_NO_NODE, from: (n: number): number => n } as const;

/**
 * Port of Xenctrlext.domain_claim_pages (stub_xenctrlext_domain_claim_pages): xc_domain_claim_pages_node,
 * host-wide for NumaNode.none; ENOSYS without the node-claims libxc.
 */
export function domain_claim_pages(h: XenctrlextHandle, domid: number, nr_pages: number, numa_node: number = NumaNode.none): Promise<outcome<void>> {
  return wrap(h, 'Xenctrlext.domain_claim_pages', async () => {
    if (!h.node_claims_api) throw XenError.of('xc_domain_claim_pages_node', 'ENOSYS');
    try {
      await xc_domain_claim_pages_node(h.xch, domid, numa_node, nr_pages);
    } catch (e) {
      // The stub raises with this message as the binding, not the libxc function's name.
      if (isXenError(e)) throw new XenError(CLAIM_BINDING, e.errno, e.message);
      throw e;
    }
  });
}

/** Port of Xenctrlext.HostNuma.node_meminfo. Bytes. */
export interface node_meminfo {
  size: number;
  free: number;
  claimed: number;
}

/**
 * Port of Xenctrlext.HostNuma.numa_get_meminfo (stub_xenctrlext_numa_meminfo): xc_numa_meminfo,
 * falling back to xc_numainfo with claimed 0 when the sysctl is ENOSYS or EOPNOTSUPP, or always
 * without XenServer's libxc (node_claims_api false).
 */
export function numa_get_meminfo(h: XenctrlextHandle): Promise<outcome<node_meminfo[]>> {
  return wrap(h, 'Xenctrlext.HostNuma.numa_get_meminfo', async () => {
    let count: number | null = null;
    // Built against upstream libxc, XEN_SYSCTL_numa_meminfo is not defined: the stub goes straight to the fallback.
    if (h.node_claims_api)
      try {
        count = checkCount('xc_numa_meminfo', await xc_numa_meminfo(h.xch, 0, null), MAX_NODES);
      } catch (e) {
        if (!isXenError(e) || (e.code !== 'ENOSYS' && e.code !== 'EOPNOTSUPP')) throw e;
      }
    if (count !== null) {
      const mi: xc_node_meminfo_t[] = Array.from({ length: count }, () => ({ size: 0n, free: 0n, claimed: 0n }));
      const got = checkCount('xc_numa_meminfo', await xc_numa_meminfo(h.xch, count, mi), count);
      return mi.slice(0, got).map((m) => ({ size: bytesNum('xc_numa_meminfo', m.size), free: bytesNum('xc_numa_meminfo', m.free), claimed: bytesNum('xc_numa_meminfo', m.claimed) }));
    }
    const { mem } = await xc_numainfo_filled(h, false);
    return mem.map((m) => ({ size: bytesNum('xc_numainfo', m.memsize), free: bytesNum('xc_numainfo', m.memfree), claimed: 0 }));
  });
}

/** Port of Xenctrlext.get_nr_nodes: the length of numa_get_meminfo. */
export async function get_nr_nodes(h: XenctrlextHandle): Promise<outcome<number>> {
  const m = await numa_get_meminfo(h);
  return m.ok ? { ok: true, value: m.value.length } : m;
}

/**
 * Port of Xenctrlext.DomainNuma.domain_get_numa_info_node_pages (xc_domain_numa_get_node_pages):
 * the domain's pages per node; ENOSYS (the stub's Failure, as wrap maps it) without the XenServer libxc.
 */
export function domain_get_numa_info_node_pages(h: XenctrlextHandle, domid: number): Promise<outcome<number[]>> {
  return wrap(h, 'Xenctrlext.DomainNuma.domain_get_numa_info_node_pages', async () => {
    if (!h.node_claims_api) throw XenError.of('Xenctrlext.DomainNuma.domain_get_numa_info_node_pages', 'ENOSYS');
    const cap = await xc_get_max_nodes(h.xch);
    const pages = new Array<number>(cap).fill(0);
    const n = checkCount('xc_domain_numa_get_node_pages', await xc_domain_numa_get_node_pages(h.xch, domid, cap, pages), cap);
    return pages.slice(0, n);
  });
}

/** Port of Xenctrlext.DomainNuma.t: nodes = -1 when unknown; memory in bytes per node. */
export interface domain_numa_state {
  optimised: boolean;
  nodes: number;
  memory: number[];
}

/** Port of Xenctrlext.DomainNuma.state: a node counts when it holds more than 4096 pages; optimised = one node or fewer than the host's. */
export async function domain_numa_state(h: XenctrlextHandle, domid: number): Promise<domain_numa_state> {
  const host_nodes = await get_nr_nodes(h);
  const pages = await domain_get_numa_info_node_pages(h, domid);
  if (!host_nodes.ok || !pages.ok) return { optimised: false, nodes: -1, memory: [] };
  const nodes = pages.value.filter((p) => p > 4096).length;
  return { optimised: nodes === 1 || nodes < host_nodes.value, nodes, memory: pages.value.map((p) => p * 4096) };
}

/** Port of populate_cpumap (xenctrlext_stubs.c): bit i for each true entry that fits the cpumap. */
async function cpumapOf(h: XenctrlextHandle, mask: readonly boolean[]): Promise<Uint8Array> {
  const map = await xc_cpumap_alloc(h.xch);
  mask.forEach((on, i) => {
    if (on) xc_cpumap_setcpu(i, map);
  });
  return map;
}

/** The bare vcpu_setaffinity external (stub_xenctrlext_vcpu_setaffinity_{hard,soft}): a libxc failure is raised as Unix_error. */
async function vcpu_setaffinity_raising(h: XenctrlextHandle, domid: number, vcpu: number, mask: readonly boolean[], flags: number): Promise<void> {
  const map = await cpumapOf(h, mask);
  const [hard, soft] = flags === XEN_VCPUAFFINITY.HARD ? [map, null] : [null, map];
  try {
    await xc_vcpu_setaffinity(h.xch, domid, vcpu, hard, soft, flags);
  } catch (e) {
    if (isXenError(e)) throw new Unix_error(e.code, e.fn);
    throw e;
  }
}

/** Port of Xenctrlext.vcpu_setaffinity_hard: a libxc failure is raised. */
export function vcpu_setaffinity_hard(h: XenctrlextHandle, domid: number, vcpu: number, mask: readonly boolean[]): Promise<void> {
  return vcpu_setaffinity_raising(h, domid, vcpu, mask, XEN_VCPUAFFINITY.HARD);
}

/** Port of the legacy Xenctrlext.vcpu_setaffinity_soft (a810aeb2^): the bare external, so a libxc failure is raised as the hard one's. */
export function vcpu_setaffinity_soft_legacy(h: XenctrlextHandle, domid: number, vcpu: number, mask: readonly boolean[]): Promise<void> {
  return vcpu_setaffinity_raising(h, domid, vcpu, mask, XEN_VCPUAFFINITY.SOFT);
}

/** Port of Xenctrlext.vcpu_setaffinity_soft: wrapped, so a failure is only a warning (handle_outcome). */
export async function vcpu_setaffinity_soft(h: XenctrlextHandle, domid: number, vcpu: number, mask: readonly boolean[]): Promise<void> {
  const map = await cpumapOf(h, mask);
  const o = await wrap(h, 'Xenctrlext.vcpu_setaffinity_soft', () => xc_vcpu_setaffinity(h.xch, domid, vcpu, null, map, XEN_VCPUAFFINITY.SOFT));
  handle_outcome(h, o, undefined);
}

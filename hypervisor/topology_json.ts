// The JSON topology file format (docs/topology.md): parsed and checked with errors that name
// the field, then handed to validateTopology for the cross-field rules.
import { NR_CPUS_DEFAULT, NUMA_NO_DISTANCE } from './numa.js';
import { PHYSCAP_NAMES, TYPICAL_CAPABILITIES, TYPICAL_HW_CAP, XEN_SYSCTL_PHYSCAP, type PhyscapName } from '../proto/public/physcap.js';
import { TopologyError, validateTopology, type CpuSpec, type HostTopology, type MemRange, type NodeSpec } from './topology.js';

const PAGES_PER_MIB = 256;
/** Bounds on the file itself, so a hostile file cannot make the loader loop for long. */
export const MAX_TOPOLOGY_JSON_BYTES = 8 << 20;
const MAX_LIST = 20_000;

type Json = unknown;

const fail = (msg: string): never => {
  throw new TopologyError(msg);
};

function obj(v: Json, field: string): Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${field} must be an object`);
  return v as Record<string, Json>;
}

function list(v: Json, field: string): Json[] {
  if (!Array.isArray(v)) fail(`${field} must be an array`);
  const a = v as Json[];
  if (a.length > MAX_LIST) fail(`${field} has ${a.length} entries; at most ${MAX_LIST} are accepted`);
  return a;
}

function int(v: Json, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`${field} must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  return v as number;
}

function optional<T>(o: Record<string, Json>, key: string, parse: (v: Json) => T, dflt: T): T {
  return o[key] === undefined ? dflt : parse(o[key]);
}

function checkKeys(o: Record<string, Json>, field: string, allowed: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(`${field}.${k} is not a known field (known: ${allowed.join(', ')})`);
}

function parseMemory(n: Record<string, Json>, field: string, nextMfn: number): MemRange[] {
  if (n.memory_mib !== undefined && n.memory !== undefined) fail(`${field}: give memory_mib or memory, not both`);
  if (n.memory_mib !== undefined) {
    const mib = int(n.memory_mib, `${field}.memory_mib`, 0, 2 ** 32);
    return mib === 0 ? [] : [{ start_mfn: nextMfn, end_mfn: nextMfn + mib * PAGES_PER_MIB }];
  }
  return list(n.memory ?? [], `${field}.memory`).map((r, i) => {
    const f = `${field}.memory[${i}]`;
    const o = obj(r, f);
    checkKeys(o, f, ['start_mib', 'size_mib']);
    const start = int(o.start_mib, `${f}.start_mib`, 0, 2 ** 32);
    const size = int(o.size_mib, `${f}.size_mib`, 1, 2 ** 32);
    return { start_mfn: start * PAGES_PER_MIB, end_mfn: (start + size) * PAGES_PER_MIB };
  });
}

function parseNodes(v: Json): NodeSpec[] {
  let nextMfn = 0;
  return list(v, 'nodes').map((raw, i) => {
    const f = `nodes[${i}]`;
    const n = obj(raw, f);
    checkKeys(n, f, ['id', 'online', 'memory_mib', 'memory']);
    const online = optional(n, 'online', (x) => (typeof x === 'boolean' ? x : fail(`${f}.online must be true or false`)), true);
    const memory = parseMemory(n, f, nextMfn);
    if (memory.length > 0) nextMfn = Math.max(nextMfn, ...memory.map((r) => r.end_mfn));
    return { id: int(n.id, `${f}.id`, 0, 2 ** 32), online, memory };
  });
}

function parseCpus(v: Json): CpuSpec[] {
  return list(v, 'cpus').map((raw, i) => {
    const f = `cpus[${i}]`;
    const c = obj(raw, f);
    checkKeys(c, f, ['id', 'core', 'socket', 'node', 'online']);
    const node = c.node === null ? null : int(c.node, `${f}.node`, 0, 2 ** 32);
    return {
      id: int(c.id, `${f}.id`, 0, 2 ** 32),
      core: int(c.core, `${f}.core`, 0, 2 ** 32 - 2),
      socket: int(c.socket, `${f}.socket`, 0, 2 ** 32 - 2),
      node,
      online: optional(c, 'online', (x) => (typeof x === 'boolean' ? x : fail(`${f}.online must be true or false`)), true),
    };
  });
}

function parseDistances(v: Json): (number | null)[][] | null {
  if (v === null || v === undefined) return null;
  return list(v, 'distances').map((row, i) =>
    list(row, `distances[${i}]`).map((d, j) => (d === null || d === NUMA_NO_DISTANCE ? null : int(d, `distances[${i}][${j}]`, 0, 1000))),
  );
}

function parseCapabilities(v: Json): number {
  return list(v, 'capabilities').reduce<number>((bits, name, i) => {
    if (typeof name !== 'string' || !PHYSCAP_NAMES.includes(name as PhyscapName))
      fail(`capabilities[${i}] must be one of ${PHYSCAP_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
    return bits | XEN_SYSCTL_PHYSCAP[name as PhyscapName];
  }, 0);
}

/** Parses a topology file's text. Throws TopologyError naming the field at fault. */
export function topologyFromJson(text: string, fallbackName = 'custom'): HostTopology {
  if (text.length > MAX_TOPOLOGY_JSON_BYTES) fail(`topology file is larger than ${MAX_TOPOLOGY_JSON_BYTES} bytes`);
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`topology file is not valid JSON: ${(e as Error).message}`);
  }
  const t = obj(doc, 'topology');
  checkKeys(t, 'topology', ['name', 'nr_cpus_limit', 'nr_cpu_ids', 'cpu_khz', 'capabilities', 'hw_cap', 'nodes', 'cpus', 'distances']);
  const cpus = parseCpus(t.cpus);
  const name = optional(t, 'name', (x) => (typeof x === 'string' && x.length > 0 && x.length <= 64 ? x : fail('name must be a string of 1..64 characters')), fallbackName);
  return validateTopology({
    name,
    nr_cpus_limit: optional(t, 'nr_cpus_limit', (x) => int(x, 'nr_cpus_limit', 1, 2 ** 32), NR_CPUS_DEFAULT),
    nr_cpu_ids: optional(t, 'nr_cpu_ids', (x) => int(x, 'nr_cpu_ids', 1, 2 ** 32), Math.max(0, ...cpus.map((c) => c.id)) + 1),
    nodes: parseNodes(t.nodes),
    cpus,
    distances: parseDistances(t.distances),
    cpu_khz: optional(t, 'cpu_khz', (x) => int(x, 'cpu_khz', 1, 0xffffffff), 2_000_000),
    capabilities: optional(t, 'capabilities', parseCapabilities, TYPICAL_CAPABILITIES),
    hw_cap: optional(t, 'hw_cap', (x) => list(x, 'hw_cap').map((w, i) => int(w, `hw_cap[${i}]`, 0, 0xffffffff)), [...TYPICAL_HW_CAP]),
  });
}

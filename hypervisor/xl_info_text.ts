// The saved text of a real `xl info -n` as a HostTopology, so xenemu can emulate a host it has
// only seen through xl. This reads what cli/xl_info.ts (tools/xl/xl_info.c) prints.
import { LOCAL_DISTANCE, MAX_NUMNODES, NR_CPUS_DEFAULT, NR_CPUS_MAX, NUMA_NO_DISTANCE } from './numa.js';
import { XEN_SYSCTL_PHYSCAP as PHYSCAP } from '../proto/public/physcap.js';
import { TopologyError, validateTopology, type CpuSpec, type HostTopology, type MemRange, type NodeSpec } from './topology.js';

/** Bounds on the text, so a hostile file cannot make the parser loop or allocate for long. */
export const MAX_XL_INFO_BYTES = 4 << 20;
export const MAX_XL_INFO_LINES = 100_000;

const PAGES_PER_MIB = 256;
/** Where x86 firmware starts the PCI/MMIO hole below 4 GiB. */
const PCI_HOLE_START_MIB = 3 * 1024;
/** 2^32 MiB = 2^40 pages = MAX_HOST_PAGES: no single node can be larger. */
const MAX_MEMSIZE_MIB = 2 ** 32;
const U32_MAX = 0xffffffff;
const MAX_NAME = 64;
const DEFAULT_NAME = 'xl-info';
const DEFAULT_CPU_KHZ = 2_000_000;
const DEFAULT_CAPABILITIES = PHYSCAP.hvm | PHYSCAP.pv | PHYSCAP.hap | PHYSCAP.shadow | PHYSCAP.gnttab_v1;
const DEFAULT_HW_CAP = [0, 0, 0, 0, 0, 0, 0, 0];

// Port of tools/xl/xl_info.c: output_physinfo's virt_caps words; directio prints as hvm_directio and/or pv_directio.
const VIRT_CAPS = new Map<string, number>([
  ['pv', PHYSCAP.pv],
  ['hvm', PHYSCAP.hvm],
  ['hvm_directio', PHYSCAP.directio],
  ['pv_directio', PHYSCAP.directio],
  ['hap', PHYSCAP.hap],
  ['shadow', PHYSCAP.shadow],
  ['iommu_hap_pt_share', PHYSCAP.iommu_hap_pt_share],
  ['vmtrace', PHYSCAP.vmtrace],
  ['vpmu', PHYSCAP.vpmu],
  ['gnttab-v1', PHYSCAP.gnttab_v1],
  ['gnttab-v2', PHYSCAP.gnttab_v2],
]);

/** The `key : value` lines read; any other key is ignored. Each may appear once. */
const USED_KEYS = new Set(['host', 'nr_cpus', 'max_cpu_id', 'threads_per_core', 'cores_per_socket', 'cpu_mhz', 'hw_caps', 'virt_caps', 'total_memory']);

type Section = 'keys' | 'cpu_topology' | 'device topology' | 'numa_info';

// Port of tools/xl/xl_info.c: output_topologyinfo/output_numainfo table headers (device topology: null, its lines are skipped).
const TABLE_HEADERS = new Map<string, string | null>([
  ['cpu_topology', 'cpu:    core    socket     node'],
  ['device topology', null],
  ['numa_info', 'node:    memsize    memfree    distances'],
]);

// Port of tools/xl/xl_info.c: output_topologyinfo, "%3d:    %4d     %4d     %4d" (cpu, core, socket, node).
const CPU_ROW = /^\s*(\d+):\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)$/;
// Port of tools/xl/xl_info.c: output_numainfo, "%4d:    %6"PRIu64"     %6"PRIu64"      %d" then ",%d" per distance.
const NUMA_ROW = /^\s*(\d+):\s+(\d+)\s+(\d+)\s+(\S+)$/;
// Port of tools/xl/xl_info.c: output_topologyinfo, "%04x:%02x:%02x.%01x      %d" (seg, bus, dev, fn, node).
const DEVICE_ROW = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]\s+-?\d+$/i;
/** Checked on the part before the first ':' only, so the check is linear in the line. */
const KEY_NAME = /^[A-Za-z][A-Za-z0-9_ ]*$/;

interface KeyValue {
  no: number;
  value: string;
}

interface CpuRow {
  no: number;
  id: number;
  core: number;
  socket: number;
  node: number | null;
}

interface NumaRow {
  no: number;
  id: number;
  memsize: number;
  dists: (number | null)[];
}

interface Scan {
  keys: Map<string, KeyValue>;
  /** Table name -> line of its `name :` line. */
  tables: Map<string, number>;
  cpus: CpuRow[];
  numa: NumaRow[];
  section: Section;
  /** The header line the current table still expects, or null. */
  header: string | null;
}

const fail = (no: number, msg: string): never => {
  throw new TopologyError(`xl info -n line ${no}: ${msg}`);
};
const failText = (msg: string): never => {
  throw new TopologyError(`xl info -n: ${msg}`);
};

/** Quotes input text in messages, cut short so one huge line cannot make a huge message. */
const q = (s: string): string => `'${s.length > 80 ? `${s.slice(0, 77)}...` : s}'`;
const words = (s: string): string => s.trim().split(/\s+/).join(' ');

function splitLines(text: string): string[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_XL_INFO_BYTES) failText(`text is ${bytes} bytes; at most ${MAX_XL_INFO_BYTES} are accepted`);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length > MAX_XL_INFO_LINES) failText(`text has ${lines.length} lines; at most ${MAX_XL_INFO_LINES} are accepted`);
  return lines;
}

function splitKey(line: string): [string, string] | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const key = line.slice(0, colon).trimEnd();
  return KEY_NAME.test(key) ? [key, line.slice(colon + 1).trim()] : null;
}

function scanLine(s: Scan, line: string, no: number): void {
  if (line.trim() === '') return;
  if (s.header !== null) return expectHeader(s, line, no);
  // A device row may start with a hex letter and so look like a key; anything else but a key is its prose.
  if (s.section === 'device topology' && (DEVICE_ROW.test(line) || splitKey(line) === null)) return;
  // xl prints table rows with a right-aligned number first, key lines with a name first.
  if ((s.section === 'cpu_topology' || s.section === 'numa_info') && /^[\s\d-]/.test(line)) return tableRow(s, line, no);
  keyLine(s, line, no);
}

function expectHeader(s: Scan, line: string, no: number): void {
  if (words(line) !== words(s.header!)) fail(no, `expected the ${s.section} header '${s.header}', got ${q(line)}`);
  s.header = null;
}

function keyLine(s: Scan, line: string, no: number): void {
  const kv = splitKey(line);
  if (kv === null) return fail(no, `${q(line)} is not a 'key : value' line`);
  const [key, value] = kv;
  const header = TABLE_HEADERS.get(key);
  if (header !== undefined) return startTable(s, key as Section, header, value, no);
  s.section = 'keys';
  if (!USED_KEYS.has(key)) return;
  const seen = s.keys.get(key);
  if (seen !== undefined) fail(no, `${key} appears twice (first on line ${seen.no})`);
  s.keys.set(key, { no, value });
}

function startTable(s: Scan, key: Section, header: string | null, value: string, no: number): void {
  const seen = s.tables.get(key);
  if (seen !== undefined) fail(no, `${key} appears twice (first on line ${seen})`);
  if (value !== '') fail(no, `${key} must be followed by its table, not by ${q(value)}`);
  s.tables.set(key, no);
  s.section = key;
  s.header = header;
}

function tableRow(s: Scan, line: string, no: number): void {
  if (s.section === 'cpu_topology') {
    const row = cpuRow(line, no);
    const prev = s.cpus[s.cpus.length - 1];
    if (prev !== undefined && row.id <= prev.id) fail(no, `cpu ${row.id} is listed after cpu ${prev.id}; xl lists each cpu once, in order`);
    s.cpus.push(row);
  } else {
    const row = numaRow(line, no);
    const prev = s.numa[s.numa.length - 1];
    if (prev !== undefined && row.id <= prev.id) fail(no, `node ${row.id} is listed after node ${prev.id}; xl lists each node once, in order`);
    s.numa.push(row);
  }
}

function cpuRow(line: string, no: number): CpuRow {
  const m = CPU_ROW.exec(line);
  if (m === null) return fail(no, `cpu_topology row ${q(line)} is not '<cpu>: <core> <socket> <node>'`);
  const f = (i: number): number => Number(m[i]);
  const [id, core, socket, node] = [f(1), f(2), f(3), f(4)] as const;
  if (id >= NR_CPUS_MAX) fail(no, `cpu ${id} is not below ${NR_CPUS_MAX} (the largest NR_CPUS)`);
  // xl prints an invalid socket as -1 (%d of ~0U); the emulated host needs real core and socket ids.
  if (core < 0 || core >= U32_MAX || socket < 0 || socket >= U32_MAX) fail(no, `cpu ${id} has core ${core} and socket ${socket}; both must be 0..${U32_MAX - 1}`);
  if (node < -1) fail(no, `cpu ${id} has node ${node}; a node is 0.. or -1 for none`);
  return { no, id, core, socket, node: node === -1 ? null : node };
}

function numaRow(line: string, no: number): NumaRow {
  const m = NUMA_ROW.exec(line);
  if (m === null) return fail(no, `numa_info row ${q(line)} is not '<node>: <memsize> <memfree> <distances>'`);
  const id = Number(m[1]);
  const memsize = Number(m[2]);
  if (id >= MAX_NUMNODES) fail(no, `node ${id} is not below MAX_NUMNODES (${MAX_NUMNODES})`);
  if (memsize > MAX_MEMSIZE_MIB) fail(no, `node ${id} memsize ${memsize} MiB is more than 2^32 MiB`);
  const dists = m[4]!.split(',');
  // Checked before parsing each one, so a row of a million distances costs no more than its split.
  if (dists.length > MAX_NUMNODES) fail(no, `node ${id} has ${dists.length} distances; at most ${MAX_NUMNODES} (MAX_NUMNODES) are possible`);
  return { no, id, memsize, dists: dists.map((d) => distance(d, id, no)) };
}

function distance(text: string, node: number, no: number): number | null {
  if (!/^-?\d+$/.test(text)) return fail(no, `node ${node} distance ${q(text)} is not a number`);
  const v = Number(text);
  // XEN_INVALID_NODE_DIST (~0U) prints as -1 through %d; NUMA_NO_DISTANCE as the JSON loader reads it.
  if (v === -1 || v === U32_MAX || v === NUMA_NO_DISTANCE) return null;
  if (v < LOCAL_DISTANCE || v > NUMA_NO_DISTANCE) fail(no, `node ${node} distance ${v} is not ${LOCAL_DISTANCE}..${NUMA_NO_DISTANCE - 1}, or -1 for none`);
  return v;
}

function scan(text: string): Scan {
  const s: Scan = { keys: new Map(), tables: new Map(), cpus: [], numa: [], section: 'keys', header: null };
  splitLines(text).forEach((raw, i) => scanLine(s, raw.trimEnd(), i + 1));
  if (s.header !== null) failText(`the ${s.section} table has no header '${s.header}'`);
  return s;
}

function intKey(s: Scan, key: string, min: number, max: number): number | undefined {
  const kv = s.keys.get(key);
  if (kv === undefined) return undefined;
  const v = Number(kv.value);
  if (!/^\d+$/.test(kv.value) || v < min || v > max) fail(kv.no, `${key} ${q(kv.value)} is not an integer in ${min}..${max}`);
  return v;
}

// Port of tools/xl/xl_info.c: output_physinfo, cpu_mhz "%d.%03d" of cpu_khz / 1000 and cpu_khz % 1000.
function cpuKhz(s: Scan): number {
  const kv = s.keys.get('cpu_mhz');
  if (kv === undefined) return DEFAULT_CPU_KHZ;
  const m = /^(\d{1,7})(?:\.(\d{1,3}))?$/.exec(kv.value);
  const khz = m === null ? 0 : Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  if (khz < 1 || khz > U32_MAX) fail(kv.no, `cpu_mhz ${q(kv.value)} is not '<MHz>.<kHz>' (e.g. 2394.454) of 1 kHz..${U32_MAX} kHz`);
  return khz;
}

// Port of tools/xl/xl_info.c: output_physinfo, hw_caps "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x".
function hwCap(s: Scan): number[] {
  const kv = s.keys.get('hw_caps');
  if (kv === undefined) return [...DEFAULT_HW_CAP];
  const ws = kv.value.split(':');
  if (ws.length !== 8 || !ws.every((w) => /^[0-9a-f]{1,8}$/i.test(w))) fail(kv.no, `hw_caps ${q(kv.value)} is not 8 hex words separated by ':'`);
  return ws.map((w) => parseInt(w, 16));
}

function capabilities(s: Scan): number {
  const kv = s.keys.get('virt_caps');
  if (kv === undefined) return DEFAULT_CAPABILITIES;
  // Words the emulator does not model (a newer xl may print more) do not stop the host loading.
  return kv.value.split(/\s+/).reduce((bits, w) => bits | (VIRT_CAPS.get(w) ?? 0), 0);
}

function hostName(s: Scan): string {
  const kv = s.keys.get('host');
  if (kv === undefined || kv.value === '') return DEFAULT_NAME;
  if (kv.value.length > MAX_NAME) fail(kv.no, `host ${q(kv.value)} is longer than ${MAX_NAME} characters`);
  return kv.value;
}

/** nr_cpus is the online count; xl lists every present CPU, so the highest extra ids are taken as offline. */
function cpuSpecs(s: Scan): CpuSpec[] {
  const online = intKey(s, 'nr_cpus', 1, NR_CPUS_MAX) ?? s.cpus.length;
  if (online > s.cpus.length) fail(s.keys.get('nr_cpus')!.no, `nr_cpus ${online} is more than the ${s.cpus.length} CPUs cpu_topology lists`);
  return s.cpus.map((c, i) => ({ id: c.id, core: c.core, socket: c.socket, node: c.node, online: i < online }));
}

function nrCpuIds(s: Scan): number {
  const highest = s.cpus[s.cpus.length - 1]!.id;
  const max = intKey(s, 'max_cpu_id', 0, NR_CPUS_MAX - 1);
  if (max === undefined) return highest + 1;
  if (max < highest) fail(s.keys.get('max_cpu_id')!.no, `max_cpu_id ${max} is below cpu ${highest}, which cpu_topology lists`);
  return max + 1;
}

/** numainfo memsize counts spanned pages, so a hole shows only as total_memory falling short of their sum. */
function pciHoleMib(s: Scan): number {
  const total = intKey(s, 'total_memory', 0, Number.MAX_SAFE_INTEGER);
  if (total === undefined) return 0;
  const hole = s.numa.reduce((sum, n) => sum + n.memsize, 0) - total;
  return hole > 0 && s.numa[0]!.memsize > PCI_HOLE_START_MIB + hole ? hole : 0;
}

/** Each listed node's memsize as contiguous RAM in node order from MFN 0; the first node carries the hole. */
function nodeMemory(s: Scan): Map<number, MemRange[]> {
  const hole = pciHoleMib(s) * PAGES_PER_MIB;
  const holeStart = PCI_HOLE_START_MIB * PAGES_PER_MIB;
  const out = new Map<number, MemRange[]>();
  let mfn = 0;
  for (const n of s.numa) {
    const end = mfn + n.memsize * PAGES_PER_MIB;
    if (end === mfn) out.set(n.id, []);
    else if (mfn === 0 && hole > 0) out.set(n.id, [{ start_mfn: 0, end_mfn: holeStart }, { start_mfn: holeStart + hole, end_mfn: end }]);
    else out.set(n.id, [{ start_mfn: mfn, end_mfn: end }]);
    mfn = end;
  }
  return out;
}

/** Xen skips offline nodes but sizes every distance row by the highest node id + 1. */
function nodeCount(s: Scan): number {
  const count = s.numa[s.numa.length - 1]!.id + 1;
  for (const n of s.numa)
    if (n.dists.length !== count) fail(n.no, `node ${n.id} has ${n.dists.length} distances; expected ${count}, one per node id up to the highest listed (${count - 1})`);
  return count;
}

function nodesAndDistances(s: Scan): { nodes: NodeSpec[]; distances: (number | null)[][] } {
  const count = nodeCount(s);
  const memory = nodeMemory(s);
  const rows = new Map(s.numa.map((n) => [n.id, n.dists]));
  const ids = [...Array(count).keys()];
  return {
    nodes: ids.map((id) => ({ id, online: memory.has(id), memory: memory.get(id) ?? [] })),
    distances: ids.map((i) => rows.get(i) ?? ids.map((j) => (i === j ? LOCAL_DISTANCE : null))),
  };
}

function requireTables(s: Scan): void {
  for (const t of ['cpu_topology', 'numa_info'] as const)
    if (!s.tables.has(t)) failText(`no ${t} table; save the output of \`xl info -n\`, not \`xl info\``);
  if (s.cpus.length === 0) fail(s.tables.get('cpu_topology')!, 'cpu_topology lists no CPUs');
  if (s.numa.length === 0) fail(s.tables.get('numa_info')!, 'numa_info lists no nodes');
}

/** Parses the text of `xl info -n`. Throws TopologyError naming the line and the problem. */
export function topologyFromXlInfo(text: string, name?: string): HostTopology {
  const s = scan(text);
  requireTables(s);
  // Checked for form only: HostTopology derives them from the cpus, as Xen does from the boot CPU's siblings.
  intKey(s, 'threads_per_core', 1, NR_CPUS_MAX);
  intKey(s, 'cores_per_socket', 1, NR_CPUS_MAX);
  const nrCpuIdsValue = nrCpuIds(s);
  return validateTopology({
    name: name ?? hostName(s),
    nr_cpus_limit: Math.max(NR_CPUS_DEFAULT, nrCpuIdsValue),
    nr_cpu_ids: nrCpuIdsValue,
    ...nodesAndDistances(s),
    cpus: cpuSpecs(s),
    cpu_khz: cpuKhz(s),
    capabilities: capabilities(s),
    hw_cap: hwCap(s),
  });
}

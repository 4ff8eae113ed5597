// The boot storm's workload: N equal VMs, or a mix file ([{count, memory, vcpus}, ...]).
// Pure: parsing and bounds only.

export interface VmSpec {
  name: string;
  memory_mib: number;
  vcpus: number;
}

export interface MixEntry {
  count: number;
  memory: number;
  vcpus: number;
}

/** Bounds (docs/boot-storm.md): VMs per storm, MiB per VM (1 TiB), vCPUs per VM (Xen's HVM limit), mix entries, mix file bytes. */
export const MAX_VMS = 4096;
export const MAX_VM_MIB = 1 << 20;
export const MIN_VM_MIB = 16;
export const MAX_VM_VCPUS = 128;
export const MAX_MIX_ENTRIES = 64;
export const MAX_MIX_BYTES = 64 * 1024;
/** vCPUs per VM when neither --vcpus nor a mix entry's "vcpus" says (one default for both). */
export const DEFAULT_VCPUS = 2;

export class WorkloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkloadError';
  }
}

function int(what: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new WorkloadError(`${what} must be a whole number from ${lo} to ${hi}, got ${JSON.stringify(v)}`);
  return v;
}

/** Checks a mix (already JSON-parsed) and its total VM count. */
export function checkMix(raw: unknown): MixEntry[] {
  if (!Array.isArray(raw)) throw new WorkloadError('the mix must be a JSON list of {"count", "memory", "vcpus"} objects');
  if (raw.length < 1 || raw.length > MAX_MIX_ENTRIES) throw new WorkloadError(`the mix must have 1 to ${MAX_MIX_ENTRIES} entries, got ${raw.length}`);
  const out = raw.map((e: unknown, i): MixEntry => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new WorkloadError(`mix entry ${i}: not an object`);
    const o = e as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['count', 'memory', 'vcpus'].includes(k)) throw new WorkloadError(`mix entry ${i}: unknown key '${k}' (count, memory, vcpus)`);
    return {
      count: int(`mix entry ${i}: count`, o.count, 1, MAX_VMS),
      memory: int(`mix entry ${i}: memory (MiB)`, o.memory, MIN_VM_MIB, MAX_VM_MIB),
      vcpus: int(`mix entry ${i}: vcpus`, o.vcpus ?? DEFAULT_VCPUS, 1, MAX_VM_VCPUS),
    };
  });
  const total = out.reduce((s, e) => s + e.count, 0);
  if (total > MAX_VMS) throw new WorkloadError(`the mix asks for ${total} VMs; at most ${MAX_VMS}`);
  return out;
}

/** Parses the text of a mix file. */
export function parseMix(text: string): MixEntry[] {
  if (text.length > MAX_MIX_BYTES) throw new WorkloadError(`the mix file is larger than ${MAX_MIX_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new WorkloadError(`the mix file is not JSON: ${(e as Error).message}`);
  }
  return checkMix(raw);
}

/** The VMs in boot order: mix entries in file order, named storm-1, storm-2, ... */
export function expand(mix: readonly MixEntry[]): VmSpec[] {
  const out: VmSpec[] = [];
  for (const e of mix) for (let i = 0; i < e.count; i++) out.push({ name: `storm-${out.length + 1}`, memory_mib: e.memory, vcpus: e.vcpus });
  return out;
}

/** --vms N --memory M --vcpus V as a one-entry mix. */
export function uniform(vms: number, memory: number, vcpus: number): MixEntry[] {
  return checkMix([{ count: vms, memory, vcpus }]);
}

// libxl_domain_config_to_json (tools/libs/light/libxl_json.c, the gen_json functions gentypes.py
// writes from libxl_types.idl) for xenemu's subset of the IDL, printed as yajl 2 does with
// yajl_gen_beautify (4-space indent, "key": value, a newline at the end).
// gentypes.py's rules: fields in IDL order; an aggregate (struct, keyed union) is always written;
// an array only when non-empty; a field with an init_val only when it differs from it; a builtin
// with a check_default_fn (defbool, bitmap, uuid, key_value_list) only when not default; any
// other integer, enum or string only when non-zero/non-NULL. IDL fields outside xenemu's subset
// are not written, except the aggregates libxl always writes (sched_params, the hvm union's
// vnc/sdl/spice/rdm, arch_arm, arch_x86, xenstore_quota), written with their IDL defaults,
// and the on_* actions xl always sets that differ from their init_val (destroy). The xenemu
// extension b_info.numa_placement_policy is written after numa_placement when not 'libxl'.
import { libxl_uuid_fmt } from './libxl_domain.js';
import { LIBXL_DOMAIN_TYPE, LIBXL_MEMKB_DEFAULT, LIBXL_VGA_INTERFACE_TYPE, libxl_domain_type_to_string, type libxl_defbool, type libxl_domain_config } from './libxl_types.js';
import { libxl_for_each_set_bit, type libxl_bitmap } from './libxl_utils.js';

type J = { t: 'map'; e: [string, J][] } | { t: 'array'; v: J[] } | { t: 'string'; s: string } | { t: 'raw'; s: string };

const str = (s: string): J => ({ t: 'string', s });
const int = (n: number | bigint): J => ({ t: 'raw', s: String(n) });

/** yajl_string_encode: quotes, backslash and control characters; '/' left alone. */
function encode(s: string): string {
  let o = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') o += '\\"';
    else if (ch === '\\') o += '\\\\';
    else if (ch === '\b') o += '\\b';
    else if (ch === '\f') o += '\\f';
    else if (ch === '\n') o += '\\n';
    else if (ch === '\r') o += '\\r';
    else if (ch === '\t') o += '\\t';
    else if (c < 0x20) o += `\\u00${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else o += ch;
  }
  return `${o}"`;
}

const INDENT = '    ';

/** yajl_gen with yajl_gen_beautify: "{" newline, entries at depth+1, newline, indent, "}". */
function render(j: J, depth: number): string {
  const pad = INDENT.repeat(depth + 1);
  switch (j.t) {
    case 'string':
      return encode(j.s);
    case 'raw':
      return j.s;
    case 'map':
      return `{\n${j.e.map(([k, v]) => `${pad}${encode(k)}: ${render(v, depth + 1)}`).join(',\n')}\n${INDENT.repeat(depth)}}`;
    case 'array':
      return `[\n${j.v.map((v) => `${pad}${render(v, depth + 1)}`).join(',\n')}\n${INDENT.repeat(depth)}]`;
  }
}

/** A struct being written: add() applies gentypes' "is it default?" test. */
class Struct {
  readonly e: [string, J][] = [];
  add(key: string, v: J | null): this {
    if (v !== null) this.e.push([key, v]);
    return this;
  }
  get j(): J {
    return { t: 'map', e: this.e };
  }
}

/** libxl_defbool_gen_json: "True"/"False"; default omitted. */
const defbool = (b: libxl_defbool): J | null => (b === 'default' ? null : str(b ? 'True' : 'False'));
/** libxl_bitmap_gen_json: the set bits; an empty map omitted. */
function bitmap(b: libxl_bitmap): J | null {
  const v = [...libxl_for_each_set_bit(b)].map((i) => int(i));
  return v.length === 0 ? null : { t: 'array', v };
}
/** MemKB: written unless LIBXL_MEMKB_DEFAULT. */
const memkb = (n: number): J | null => (n === LIBXL_MEMKB_DEFAULT ? null : int(n));
const nonzero = (n: number): J | null => (n === 0 ? null : int(n));
const string = (s: string | null): J | null => (s === null ? null : str(s));
const array = (v: J[]): J | null => (v.length === 0 ? null : { t: 'array', v });
/** uint32 fields with init_val ~0U (LIBXL_MAX_GRANT_DEFAULT): xenemu keeps -1 for it. */
const grant = (n: number): J | null => (n === -1 || n === 0xffffffff ? null : int(n));

/** libxl_uuid_gen_json: LIBXL_UUID_FMT; the nil UUID omitted. */
const uuid = (u: Uint8Array): J | null => (u.every((x) => x === 0) ? null : str(libxl_uuid_fmt(u)));

function kvlist(m: Map<string, string>): J | null {
  if (m.size === 0) return null;
  return { t: 'map', e: [...m].map(([k, v]) => [k, str(v)]) };
}

const VGA_NAMES: Record<number, string> = {
  [LIBXL_VGA_INTERFACE_TYPE.UNKNOWN]: 'unknown',
  [LIBXL_VGA_INTERFACE_TYPE.CIRRUS]: 'cirrus',
  [LIBXL_VGA_INTERFACE_TYPE.STD]: 'std',
  [LIBXL_VGA_INTERFACE_TYPE.NONE]: 'none',
  [LIBXL_VGA_INTERFACE_TYPE.QXL]: 'qxl',
};
const empty = (): J => ({ t: 'map', e: [] });

/** What xl adds that xenemu's libxl_domain_config subset has no field for. */
export interface libxl_json_extras {
  /** c_info.run_hotplug_scripts, which xl always sets from xl.conf (default 1). */
  run_hotplug_scripts?: boolean;
}

/** Port of libxl_domain_config_to_json (the subset; see the header). */
export function libxl_domain_config_to_json(d: libxl_domain_config, extras: libxl_json_extras = {}): string {
  const c = d.c_info;
  const b = d.b_info;
  const cinfo = new Struct()
    .add('type', c.type === LIBXL_DOMAIN_TYPE.INVALID ? null : str(libxl_domain_type_to_string(c.type)))
    .add('hap', defbool(c.hap))
    .add('oos', defbool(c.oos))
    .add('name', string(c.name))
    // IDL init is 0; xenemu's INVALID_DOMID "let Xen choose" is the same unset request.
    .add('domid', c.domid === 0 || c.domid === 0xffffffff ? null : int(c.domid))
    .add('uuid', uuid(c.uuid))
    .add('xsdata', kvlist(c.xsdata))
    .add('platformdata', kvlist(c.platformdata))
    .add('poolid', nonzero(c.poolid))
    .add('pool_name', string(c.pool_name))
    .add('run_hotplug_scripts', extras.run_hotplug_scripts === undefined ? null : defbool(extras.run_hotplug_scripts));

  const vnodes = b.vnuma_nodes.map(
    (n) =>
      new Struct()
        .add('memkb', memkb(n.memkb))
        .add('distances', array(n.distances.map((x) => int(x))))
        .add('pnode', nonzero(n.pnode))
        .add('vcpus', bitmap(n.vcpus)).j,
  );
  const u = new Struct();
  if (c.type === LIBXL_DOMAIN_TYPE.HVM) {
    u.add('mmio_hole_memkb', memkb(b.u.hvm.mmio_hole_memkb))
      .add('vga', new Struct().add('kind', b.u.hvm.vga.kind === 0 ? null : str(VGA_NAMES[b.u.hvm.vga.kind]!)).j)
      .add('vnc', empty())
      .add('sdl', empty())
      .add('spice', empty())
      .add('rdm', empty());
  }
  const unionKey = `type.${libxl_domain_type_to_string(c.type)}`;
  const binfo = new Struct()
    .add('max_vcpus', nonzero(b.max_vcpus))
    .add('avail_vcpus', bitmap(b.avail_vcpus))
    .add('cpumap', bitmap(b.cpumap))
    .add('nodemap', bitmap(b.nodemap))
    .add('vcpu_hard_affinity', array(b.vcpu_hard_affinity.map((m) => bitmap(m) ?? { t: 'array', v: [] })))
    .add('vcpu_soft_affinity', array(b.vcpu_soft_affinity.map((m) => bitmap(m) ?? { t: 'array', v: [] })))
    .add('numa_placement', defbool(b.numa_placement))
    .add('numa_placement_policy', b.numa_placement_policy === 'libxl' ? null : str(b.numa_placement_policy))
    .add('max_memkb', memkb(b.max_memkb))
    .add('target_memkb', memkb(b.target_memkb))
    .add('video_memkb', memkb(b.video_memkb))
    .add('shadow_memkb', memkb(b.shadow_memkb))
    .add('iommu_memkb', memkb(b.iommu_memkb))
    .add('vnuma_nodes', array(vnodes))
    .add('max_grant_frames', grant(b.max_grant_frames))
    .add('max_maptrack_frames', grant(b.max_maptrack_frames))
    .add('sched_params', empty())
    .add('claim_mode', defbool(b.claim_mode))
    .add('event_channels', nonzero(b.event_channels))
    .add(unionKey, u.j)
    .add('arch_arm', new Struct().add('arm_sci', empty()).j)
    .add('arch_x86', empty())
    .add('xenstore_quota', empty());

  const top = new Struct()
    .add('c_info', cinfo.j)
    .add('b_info', binfo.j)
    // xl sets destroy/restart/destroy/destroy/soft-reset; destroy is the IDL init_val, so omitted.
    .add('on_reboot', str('restart'))
    .add('on_soft_reset', str('soft_reset'));
  return `${render(top.j, 0)}\n`;
}

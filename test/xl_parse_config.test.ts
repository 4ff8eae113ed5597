// parse_config_data (xl_parse.c) and xl.conf (xl.c: parse_global_config; xl_vcpu.c:
// apply_global_affinity_masks) against a live 4node host (4 nodes x 16 CPUs; node 1 = CPUs 16-31).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apply_global_affinity_masks, parse_global_config, read_global_config, XL_CONF_ENV, XlExit, type XlGlobalConfig } from '../cli/xl_conf.js';
import { parse_config_data } from '../cli/xl_parse_config.js';
import { print_bitmap } from '../cli/xl_utils.js';
import { LIBXL_DOMAIN_TYPE, LIBXL_MEMKB_DEFAULT, libxl_domain_config_init, type libxl_domain_config } from '../libxl/libxl_types.js';
import type { libxl_bitmap } from '../libxl/libxl_utils.js';
import { useHost } from './harness.js';

const h = useHost('4node');
const FIXED_UUID = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
const cpus = (m: libxl_bitmap | undefined): string => (m === undefined ? 'undefined' : print_bitmap(m.map, m.size * 8));

async function globalConf(text = ''): Promise<{ g: XlGlobalConfig; err: string }> {
  let err = '';
  const g = await parse_global_config(h.ctx, '/etc/xen/xl.conf', text, (s) => (err += s));
  return { g, err };
}

async function parse(text: string, conf = ''): Promise<{ code: number; err: string; d: libxl_domain_config }> {
  const { g } = await globalConf(conf);
  let err = '';
  const d = libxl_domain_config_init();
  try {
    await parse_config_data(h.ctx, 'g.cfg', text, d, g, { stderr: (s) => (err += s), uuid_generate: () => FIXED_UUID });
    return { code: 0, err, d };
  } catch (e) {
    if (e instanceof XlExit) return { code: e.code, err, d };
    throw e;
  }
}

const HVM = 'name="g"\ntype="hvm"\n';

describe('parse_config_data: name, type, uuid, pool', () => {
  it('a minimal HVM config: xl fills what libxl would default, leaves the rest unset', async () => {
    const { code, err, d } = await parse(`${HVM}memory=512\n`);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(d.c_info.name).toBe('g');
    expect(d.c_info.type).toBe(LIBXL_DOMAIN_TYPE.HVM);
    expect(d.c_info.uuid).toEqual(FIXED_UUID);
    expect(d.b_info.target_memkb).toBe(512 * 1024);
    expect(d.b_info.max_memkb).toBe(512 * 1024);
    expect(d.b_info.max_vcpus).toBe(1);
    expect(cpus(d.b_info.avail_vcpus)).toBe('0');
    expect(d.b_info.avail_vcpus.size).toBe(1);
    expect(d.b_info.numa_placement).toBe('default');
    expect(d.b_info.claim_mode).toBe(true);
    expect(d.b_info.vcpu_hard_affinity).toEqual([]);
    expect(d.b_info.video_memkb).toBe(LIBXL_MEMKB_DEFAULT);
    expect(d.c_info.hap).toBe('default');
    expect(d.c_info.pool_name).toBeNull();
  });

  it('without memory, target and max stay LIBXL_MEMKB_DEFAULT for libxl', async () => {
    const { d } = await parse(HVM);
    expect(d.b_info.target_memkb).toBe(LIBXL_MEMKB_DEFAULT);
    expect(d.b_info.max_memkb).toBe(LIBXL_MEMKB_DEFAULT);
  });

  it('a missing name is "Domain name must be specified." (exit 1); a list name warns too', async () => {
    expect(await parse('type="hvm"\n')).toMatchObject({ code: 1, err: 'Domain name must be specified.\n' });
    expect(await parse('type="hvm"\nname=["a"]\n')).toMatchObject({
      code: 1,
      err: "g.cfg:2: warning: parameter `name' is a list but should be a single value\nDomain name must be specified.\n",
    });
  });

  it('type names match by prefix as strncmp(buf, name, strlen(buf)) does', async () => {
    expect((await parse('name="g"\ntype="h"\n')).d.c_info.type).toBe(LIBXL_DOMAIN_TYPE.HVM);
    expect((await parse('name="g"\ntype=""\n')).d.c_info.type).toBe(LIBXL_DOMAIN_TYPE.HVM);
    expect((await parse('name="g"\ntype="pvh"\nkernel="k"\n')).d.c_info.type).toBe(LIBXL_DOMAIN_TYPE.PVH);
    expect((await parse('name="g"\ntype="p"\nkernel="k"\n')).d.c_info.type).toBe(LIBXL_DOMAIN_TYPE.PV);
    expect(await parse('name="g"\ntype="hvm2"\n')).toMatchObject({ code: 1, err: 'Invalid domain type hvm2.\n' });
  });

  it('no type is PV on x86, and PV or PVH without kernel or bootloader stops', async () => {
    expect(await parse('name="g"\n')).toMatchObject({ code: 1, err: 'Neither kernel nor bootloader specified\n' });
    expect(await parse('name="g"\ntype="pvh"\n')).toMatchObject({ code: 1, err: 'Neither kernel nor bootloader specified\n' });
    expect(await parse('name="g"\ntype="pvh"\nfirmware="seabios"\n')).toMatchObject({ code: 1, err: 'ERROR: only pvgrub{32|64} supported as firmware options\n' });
    const pv = await parse('name="g"\nbootloader="pygrub"\n');
    expect(pv.code).toBe(0);
    expect(pv.d.c_info.type).toBe(LIBXL_DOMAIN_TYPE.PV);
  });

  it('builder (deprecated) must agree with type', async () => {
    expect(await parse('name="g"\ntype="hvm"\nbuilder="generic"\n')).toMatchObject({ code: 1, err: 'Contradicting "builder" and "type" options specified.\n' });
    expect((await parse('name="g"\nbuilder="hvm"\n')).d.c_info.type).toBe(LIBXL_DOMAIN_TYPE.HVM);
  });

  it('uuid, hap, oos and pool are taken as given', async () => {
    const { d } = await parse(`${HVM}uuid="00112233-4455-6677-8899-AABBCCDDEEFF"\nhap=0\noos=1\npool="Pool-0"\n`);
    expect(Buffer.from(d.c_info.uuid).toString('hex')).toBe('00112233445566778899aabbccddeeff');
    expect(d.c_info.hap).toBe(false);
    expect(d.c_info.oos).toBe(true);
    expect(d.c_info.pool_name).toBe('Pool-0');
    expect(await parse(`${HVM}uuid="nope"\n`)).toMatchObject({ code: 1, err: 'Failed to parse UUID: nope\n' });
  });

  it('a config that does not parse: the parser\'s lines, then "Failed to parse config" (exit 1)', async () => {
    expect(await parse(`${HVM}memory=\n`)).toMatchObject({
      code: 1,
      err: "g.cfg:2: config parsing error near <newline>: syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['\nFailed to parse config: Invalid argument\n",
    });
  });

  it('a bad number is a warning and the key is ignored', async () => {
    const { code, err, d } = await parse(`${HVM}memory="12k"\n`);
    expect(code).toBe(0);
    expect(err).toBe("g.cfg:3: warning: parameter `memory' is not a valid number\n");
    expect(d.b_info.target_memkb).toBe(LIBXL_MEMKB_DEFAULT);
  });
});

describe('parse_config_data: memory and vCPUs', () => {
  it('the MiB keys are bounded so their KiB stay exact (xenemu bound), with xl\'s exit 1', async () => {
    const max = 2 ** 43 - 1;
    const ok = await parse(`${HVM}memory=${max}\nmaxmem=${max}\n`);
    expect(ok).toMatchObject({ code: 0, err: '' });
    expect(ok.d.b_info.target_memkb).toBe(max * 1024);
    for (const [key, value] of [['memory', String(max + 1)], ['maxmem', '17592186044416'], ['memory', '"-1"'], ['shadow_memory', '"-4"'], ['videoram', String(max + 1)]] as const) {
      const shown = value.replaceAll('"', '');
      expect(await parse(`${HVM}${key}=${value}\n`)).toMatchObject({ code: 1, err: `xl: ${key}=${shown} is outside xenemu's bound of 0..${max} MiB\n` });
    }
  });

  it('memory and maxmem are MiB; vcpus fills avail_vcpus, maxvcpus max_vcpus', async () => {
    const { d } = await parse(`${HVM}memory=0x200\nmaxmem=1024\nvcpus=3\nmaxvcpus=8\n`);
    expect(d.b_info.target_memkb).toBe(512 * 1024);
    expect(d.b_info.max_memkb).toBe(1024 * 1024);
    expect(d.b_info.max_vcpus).toBe(8);
    expect(cpus(d.b_info.avail_vcpus)).toBe('0-2');
    expect(d.b_info.avail_vcpus.size * 8).toBe(8);
    expect(d.b_info.avail_vcpus.map[0]).toBe(0b111);
  });

  it('vcpus below 1 is 1; maxvcpus below vcpus stops', async () => {
    expect((await parse(`${HVM}vcpus=0\n`)).d.b_info.max_vcpus).toBe(1);
    expect(await parse(`${HVM}vcpus=4\nmaxvcpus=2\n`)).toMatchObject({ code: 1, err: 'xl: maxvcpus < vcpus\n' });
  });
});

describe('parse_config_data: memory libxl accounts for', () => {
  it('shadow_memory, videoram (MiB), max_event_channels, mmio_hole, vga and stdvga', async () => {
    const { code, d } = await parse(`${HVM}shadow_memory=8\nvideoram=16\nmax_event_channels=2047\nmmio_hole=1024\nvga="qxl"\n`);
    expect(code).toBe(0);
    expect(d.b_info.shadow_memkb).toBe(8 * 1024);
    expect(d.b_info.video_memkb).toBe(16 * 1024);
    expect(d.b_info.event_channels).toBe(2047);
    expect(d.b_info.u.hvm.mmio_hole_memkb).toBe(1024 * 1024);
    expect(d.b_info.u.hvm.vga.kind).toBe(4);
    expect((await parse(`${HVM}stdvga=1\n`)).d.b_info.u.hvm.vga.kind).toBe(2);
    expect((await parse(`${HVM}stdvga=0\n`)).d.b_info.u.hvm.vga.kind).toBe(1);
    expect((await parse(`${HVM}vga="none"\nstdvga=1\n`)).d.b_info.u.hvm.vga.kind).toBe(3);
  });

  it('mmio_hole outside 256..3840 MiB and an unknown vga stop (exit 1)', async () => {
    expect(await parse(`${HVM}mmio_hole=255\n`)).toMatchObject({ code: 1, err: 'ERROR: invalid value 255 for "mmio_hole"\n' });
    expect(await parse(`${HVM}mmio_hole=3841\n`)).toMatchObject({ code: 1, err: 'ERROR: invalid value 3841 for "mmio_hole"\n' });
    expect((await parse(`${HVM}mmio_hole=3840\n`)).code).toBe(0);
    expect(await parse(`${HVM}vga="vesa"\n`)).toMatchObject({ code: 1, err: 'Unknown vga "vesa" specified\n' });
  });
});

describe('parse_config_data: cpus and cpus_soft', () => {
  it('a cpus string applies to every vCPU and leaves placement on', async () => {
    const { d } = await parse(`${HVM}vcpus=3\ncpus="nodes:1,^17"\n`);
    expect(d.b_info.vcpu_hard_affinity.map(cpus)).toEqual(['16,18-31', '16,18-31', '16,18-31']);
    expect(d.b_info.numa_placement).toBe('default');
    expect(d.b_info.vcpu_soft_affinity).toEqual([]);
  });

  it('a cpus_soft string applies to every vCPU and turns placement off', async () => {
    const { d } = await parse(`${HVM}vcpus=2\ncpus_soft="node:2"\n`);
    expect(d.b_info.vcpu_soft_affinity.map(cpus)).toEqual(['32-47', '32-47']);
    expect(d.b_info.numa_placement).toBe(false);
  });

  it('a cpus list gives vCPU i entry i, extra entries ignored, and turns placement off', async () => {
    const { d } = await parse(`${HVM}vcpus=2\ncpus=["0","nodes:3","5"]\n`);
    expect(d.b_info.vcpu_hard_affinity.map(cpus)).toEqual(['0', '48-63']);
    expect(d.b_info.numa_placement).toBe(false);
  });

  it('a shorter list leaves the other vCPUs without an entry', async () => {
    const { d } = await parse(`${HVM}vcpus=4\ncpus_soft=["1"]\n`);
    expect(d.b_info.vcpu_soft_affinity.map(cpus)).toEqual(['1']);
  });

  it('a bad CPU list stops with parse_cpurange\'s message', async () => {
    expect(await parse(`${HVM}cpus="x"\n`)).toMatchObject({ code: 1, err: 'Invalid pcpu range: x.\n' });
    expect(await parse(`${HVM}cpus=["^all"]\n`)).toMatchObject({ code: 1, err: 'Can\'t combine "^" and "all".\n' });
  });
});

describe('parse_config_data: vnuma', () => {
  const V = 'vnuma=[["pnode=0","size=512","vcpus=0-1","vdistances=10,20"],["pnode=1","size=256","vcpus=2","vdistances=20,10"]]\n';

  it('fills vnuma_nodes, sets max_vcpus and max_memkb from the sums, turns placement off', async () => {
    const { code, d } = await parse(`${HVM}memory=768\n${V}`);
    expect(code).toBe(0);
    expect(d.b_info.max_vcpus).toBe(3);
    expect(d.b_info.max_memkb).toBe(768 * 1024);
    expect(d.b_info.numa_placement).toBe(false);
    expect(d.b_info.vnuma_nodes.map((n) => [n.pnode, n.memkb, n.distances, cpus(n.vcpus)])).toEqual([
      [0, 512 * 1024, [10, 20], '0-1'],
      [1, 256 * 1024, [20, 10], '2'],
    ]);
  });

  it('is parsed before the maxmem default: its sum wins over memory', async () => {
    const { d } = await parse(`${HVM}memory=128\n${V}`);
    expect(d.b_info.target_memkb).toBe(128 * 1024);
    expect(d.b_info.max_memkb).toBe(768 * 1024);
  });

  it('spaces around = are trimmed; without pnode placement stays on', async () => {
    const { d } = await parse(`${HVM}vnuma=[[" size = 64 ", "vcpus=0"]]\n`);
    expect(d.b_info.vnuma_nodes[0]!.memkb).toBe(64 * 1024);
    expect(d.b_info.numa_placement).toBe('default');
  });

  it.each([
    [`${HVM}vnuma=[["pnode=4","size=64","vcpus=0"]]\n`, 'xl: invalid pnode number: 4\n'],
    [`${HVM}maxvcpus=2\n${V}`, 'xl: vnuma vcpus and maxvcpus= mismatch\n'],
    [`${HVM}vnuma=[["size=64","vcpus=0-64"]]\n`, 'xl: vnuma specifies more vcpus than pcpus, use maxvcpus= to override this check.\n'],
    [`${HVM}maxmem=1024\n${V}`, 'xl: maxmem and vnuma memory size mismatch\n'],
    [`${HVM}vnuma=[["size"]]\n`, 'xl: failed to split "size" into pair\n'],
    [`${HVM}vnuma=[["size="]]\n`, 'xl: failed to split "size=" into pair\n'],
    [`${HVM}vnuma=[["size=abc"]]\n`, 'xl: failed to convert "abc" to number\n'],
    [`${HVM}vnuma=[["pnode=-1"]]\n`, 'xl: failed to convert "-1" to number\n'],
    [`${HVM}vnuma=["size=64"]\n`, 'g.cfg:3:1: warning: value is not a list\nxl: cannot get vnode config option list\n'],
  ])('%j -> %j', async (text, message) => {
    expect(await parse(text)).toMatchObject({ code: 1, err: message });
  });

  it('maxvcpus equal to the vnuma sum is accepted (and bypasses the pcpu check)', async () => {
    const { code, d } = await parse(`${HVM}maxvcpus=65\nvnuma=[["size=64","vcpus=0-64"]]\n`);
    expect(code).toBe(0);
    expect(d.b_info.max_vcpus).toBe(65);
  });

  it('an over-long vcpus range is refused at xenemu\'s bound', async () => {
    expect((await parse(`${HVM}vnuma=[["vcpus=0-99999999"]]\n`)).err).toBe('xl: vnuma vcpus range "0-99999999" is over xenemu\'s bound of 1048576 vcpus\n');
  });
});

describe('xl.conf', () => {
  it('defaults: claim_mode 1, json, masks full, policy libxl', async () => {
    const { g, err } = await globalConf();
    expect(err).toBe('');
    expect(g.claim_mode).toBe(1);
    expect(g.output_format).toBe('json');
    expect(g.autoballoon).toBe(-1);
    expect(cpus(g.global_vm_affinity_mask)).toBe('all');
    expect(g.numa_placement_policy).toBe('libxl');
  });

  it('claim_mode and the placement policy reach b_info', async () => {
    const { d } = await parse(HVM, 'claim_mode=0\nnuma_placement_policy="best-fit"\n');
    expect(d.b_info.claim_mode).toBe(false);
    expect(d.b_info.numa_placement_policy).toBe('best-fit');
  });

  it('each policy name is accepted; anything else stops', async () => {
    for (const p of ['libxl', 'first-fit', 'best-fit', 'worst-fit']) expect((await globalConf(`numa_placement_policy="${p}"\n`)).g.numa_placement_policy).toBe(p);
    let err = '';
    await expect(parse_global_config(h.ctx, 'x.conf', 'numa_placement_policy="random"\n', (s) => (err += s))).rejects.toThrow(XlExit);
    expect(err).toBe('invalid numa_placement_policy "random" (expected "libxl", "first-fit", "best-fit", "worst-fit")\n');
  });

  it('bad values: xl\'s messages (autoballoon\'s has no newline), parsing goes on', async () => {
    const { g, err } = await globalConf('autoballoon="maybe"\noutput_format="xml"\nvm.cpumask="0-3,z"\nclaim_mode=0\n');
    expect(err).toBe('invalid autoballoon optioninvalid default output format "xml"\nInvalid pcpu range: z.\n');
    expect(g.claim_mode).toBe(0);
    expect(cpus(g.global_vm_affinity_mask)).toBe('0-3');
  });

  it('a broken xl.conf is "Failed to parse config file" (exit 1)', async () => {
    let err = '';
    await expect(parse_global_config(h.ctx, '/etc/xen/xl.conf', 'claim_mode=\n', (s) => (err += s))).rejects.toThrow(XlExit);
    expect(err).toBe("/etc/xen/xl.conf:0: config parsing error near <newline>: syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['\nFailed to parse config file: Invalid argument\n");
  });

  it('masks AND into every hard map; vm.hvm.cpumask applies to HVM and PVH, vm.pv.cpumask to PV', async () => {
    const { g } = await globalConf('vm.cpumask="0-7"\nvm.hvm.cpumask="4-15"\nvm.pv.cpumask="0-1"\n');
    const { d } = await parse(`${HVM}vcpus=2\ncpus=["0-5","all"]\n`);
    apply_global_affinity_masks(g, LIBXL_DOMAIN_TYPE.HVM, d.b_info.vcpu_hard_affinity, () => {});
    expect(d.b_info.vcpu_hard_affinity.map(cpus)).toEqual(['4-5', '4-7']);
    const pv = [(await parse(`${HVM}cpus="all"\n`)).d.b_info.vcpu_hard_affinity[0]!];
    apply_global_affinity_masks(g, LIBXL_DOMAIN_TYPE.PV, pv, () => {});
    expect(pv.map(cpus)).toEqual(['0-1']);
  });

  it('an empty result is "vcpu hard affinity map is empty" (exit 1)', async () => {
    const { g } = await globalConf('vm.cpumask="0-3"\n');
    const { d } = await parse(`${HVM}cpus="8-9"\n`);
    let err = '';
    expect(() => apply_global_affinity_masks(g, LIBXL_DOMAIN_TYPE.HVM, d.b_info.vcpu_hard_affinity, (s) => (err += s))).toThrow(XlExit);
    expect(err).toBe('vcpu hard affinity map is empty\n');
  });

  it('read_global_config: --xl-conf over $XENEMU_XL_CONF over the default; a missing default is silent', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xlconf-'));
    const a = path.join(dir, 'a.conf');
    const b = path.join(dir, 'b.conf');
    writeFileSync(a, 'claim_mode=0\n');
    writeFileSync(b, 'claim_mode=1\n');
    let err = '';
    const w = (s: string): void => void (err += s);
    expect(read_global_config(a, { [XL_CONF_ENV]: b }, w)).toEqual({ path: a, data: 'claim_mode=0\n' });
    expect(read_global_config(undefined, { [XL_CONF_ENV]: b }, w)).toEqual({ path: b, data: 'claim_mode=1\n' });
    expect(read_global_config(undefined, {}, w).path).toBe('/etc/xen/xl.conf');
    expect(err).toBe('');
    expect(read_global_config(path.join(dir, 'none'), {}, w)).toEqual({ path: path.join(dir, 'none'), data: '' });
    expect(err).toBe(`Failed to read config file: ${path.join(dir, 'none')}: No such file or directory\n`);
  });
});

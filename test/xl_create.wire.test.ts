// `xl create`, `xl domid`, `xl domname` over the wire (tools/xl/xl_vmcontrol.c: main_create,
// create_domain; xl_info.c: main_domid, main_domname) against a 4node host.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as xlMain, type XlEnv } from '../cli/xl.js';
import { xc_physinfo } from '../libxc/xc_misc.js';
import { libxl_domain_info, libxl_list_domain } from '../libxl/libxl_domain.js';
import { capture, FIXED_UNAME, useHost } from './harness.js';

const h = useHost('4node');
const dir = mkdtempSync(path.join(tmpdir(), 'xl-create-'));
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const FIXED_UUID = Uint8Array.from({ length: 16 }, (_, i) => i * 17);

async function xl(args: string[], env: Partial<XlEnv> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = capture();
  const code = await xlMain(['--address', h.address, ...args], { out: c.out, uname: FIXED_UNAME, env: {}, stderrIsTTY: false, uuid_generate: () => FIXED_UUID, ...env });
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

/** Free and outstanding pages: what a failed create must leave exactly as it found. */
async function memory(): Promise<{ free: number; claims: number; domains: number }> {
  const p = await xc_physinfo(h.xch);
  return { free: p.free_pages, claims: p.outstanding_pages, domains: (await libxl_list_domain(h.ctx)).length };
}

const PINNED_JSON = `{
    "c_info": {
        "type": "hvm",
        "name": "pinned",
        "uuid": "00112233-4455-6677-8899-aabbccddeeff",
        "pool_name": "Pool-0",
        "run_hotplug_scripts": "True"
    },
    "b_info": {
        "max_vcpus": 2,
        "avail_vcpus": [
            0
        ],
        "vcpu_soft_affinity": [
            [
${[...Array(16).keys()].map((i) => `                ${i + 16}`).join(',\n')}
            ],
            [
${[...Array(16).keys()].map((i) => `                ${i + 16}`).join(',\n')}
            ]
        ],
        "numa_placement": "False",
        "max_memkb": 262144,
        "target_memkb": 262144,
        "sched_params": {

        },
        "claim_mode": "True",
        "type.hvm": {
            "vga": {

            },
            "vnc": {

            },
            "sdl": {

            },
            "spice": {

            },
            "rdm": {

            }
        },
        "arch_arm": {
            "arm_sci": {

            }
        },
        "arch_x86": {

        },
        "xenstore_quota": {

        }
    },
    "on_reboot": "restart",
    "on_soft_reset": "soft_reset"
}
`;

describe('xl create -n (dry run)', () => {
  it('prints the domain config as libxl JSON, key=value overriding the file, and creates nothing', async () => {
    const cfg = file('pin.cfg', 'name = "pinned"\ntype = "hvm"\nmemory = 256\nvcpus = 2\ncpus_soft = "nodes:1"\npool = "Pool-0"\n');
    const before = await memory();
    const r = await xl(['create', '-n', cfg, 'vcpus=1', 'maxvcpus=2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Parsing config from ${cfg}\n`);
    expect(r.stdout).toBe(PINNED_JSON);
    expect(await memory()).toEqual(before);
    // The global -N is the same dry run; -q drops the "Parsing config" line.
    const n = await xl(['-N', 'create', '-q', cfg, 'vcpus=1', 'maxvcpus=2']);
    expect(n).toEqual({ code: 0, stdout: PINNED_JSON, stderr: '' });
    // /dev/null reads as empty: every setting from the command line.
    const devnull = await xl(['-N', 'create', '-q', '/dev/null', 'name="pinned"', 'type="hvm"', 'memory=256', 'vcpus=1', 'maxvcpus=2', 'cpus_soft="nodes:1"', 'pool="Pool-0"']);
    expect(devnull).toEqual({ code: 0, stdout: PINNED_JSON, stderr: '' });
  });

  it('a second file is a usage error (exit 2), as is a file after -f', async () => {
    const cfg = file('u.cfg', 'name="u"\ntype="hvm"\n');
    const two = await xl(['create', '-n', cfg, cfg]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('Usage: xl create <ConfigFile> [options] [vars]');
    expect((await xl(['create', '-n', '-f', cfg, cfg])).code).toBe(2);
    expect((await xl(['create', cfg, '-n', '-f', cfg])).code).toBe(0);
  });

  it('-f names the file; the policy and claim_mode from xl.conf show in the JSON', async () => {
    const cfg = file('f.cfg', 'name="f"\ntype="hvm"\n');
    const conf = file('xl.conf', 'claim_mode=0\nnuma_placement_policy="worst-fit"\n');
    const r = await xl(['--xl-conf', conf, 'create', '-n', '-f', cfg]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('        "numa_placement_policy": "worst-fit",\n');
    expect(r.stdout).toContain('        "claim_mode": "False",\n');
    const viaEnv = await xl(['create', '-n', '-f', cfg], { env: { XENEMU_XL_CONF: conf } });
    expect(viaEnv.stdout).toBe(r.stdout);
  });

  it('xl.conf masks give every vCPU a hard map; an empty intersection stops (exit 1)', async () => {
    const cfg = file('m.cfg', 'name="m"\ntype="hvm"\nvcpus=2\n');
    const conf = file('mask.conf', 'vm.cpumask="4-5"\n');
    const r = await xl(['--xl-conf', conf, 'create', '-n', cfg]);
    expect(r.stdout).toContain('"vcpu_hard_affinity": [\n            [\n                4,\n                5\n            ],\n            [\n                4,\n                5\n            ]\n        ]');
    const ignored = await xl(['--xl-conf', conf, 'create', '-n', '--ignore-global-affinity-masks', cfg]);
    expect(ignored.stdout).not.toContain('vcpu_hard_affinity');
    const empty = await xl(['--xl-conf', conf, 'create', '-n', cfg, 'cpus="8"']);
    expect(empty).toMatchObject({ code: 1, stdout: '', stderr: `Parsing config from ${cfg}\nvcpu hard affinity map is empty\n` });
  });
});

describe('xl create failures leave the host as it was', () => {
  it('a bad xl.cfg line: the parser\'s message, "Failed to parse config", exit 1', async () => {
    const cfg = file('bad.cfg', 'name = "bad"\ntype = "hvm"\nmemory = 256 mb\nvcpus = 2\n');
    const before = await memory();
    const r = await xl(['create', cfg]);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `Parsing config from ${cfg}\n${cfg}:3: config parsing error near \`mb': syntax error, unexpected IDENT, expecting $end\nFailed to parse config: Invalid argument\n`,
    });
    expect(await memory()).toEqual(before);
  });

  it('Python-looking config gets the warning too', async () => {
    const cfg = file('py.cfg', 'name = "py"\nmemory = 256 + 2\n');
    const r = await xl(['create', cfg]);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `Parsing config from ${cfg}\n${cfg}:2: config parsing error near \`+': lexical error\n` +
        'warning: Config file looks like it contains Python code.\nwarning:  Arbitrary Python is no longer supported.\nwarning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n' +
        'Failed to parse config: Invalid argument\n',
    });
  });

  it('a missing name: "Domain name must be specified." (exit 1)', async () => {
    const cfg = file('noname.cfg', 'type = "hvm"\nmemory = 256\n');
    const before = await memory();
    expect(await xl(['create', cfg])).toEqual({ code: 1, stdout: '', stderr: `Parsing config from ${cfg}\nDomain name must be specified.\n` });
    expect(await memory()).toEqual(before);
  });

  it('a missing file is ERROR_FAIL (exit 3); no file at all is ERROR_INVAL (exit 6)', async () => {
    const missing = path.join(dir, 'none.cfg');
    expect(await xl(['create', missing])).toEqual({ code: 3, stdout: '', stderr: `Failed to read config file: ${missing}: No such file or directory\n` });
    expect(await xl(['create'])).toEqual({ code: 6, stdout: '', stderr: 'Config file not specified and none in save file\n' });
  });

  it('not enough memory on the host: libxl\'s error, ERROR_FAIL (exit 3), nothing left behind', async () => {
    const cfg = file('big.cfg', 'name="big"\ntype="hvm"\nmemory=300000\n');
    const before = await memory();
    const r = await xl(['create', cfg]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^Parsing config from .*\n(libxl: [a-z]+: .*\n)*libxl: error: .*\n$/);
    expect(await memory()).toEqual(before);
  });

  it('an invalid vnuma config: xl\'s own check (exit 1) or libxl\'s (ERROR_FAIL, exit 3), nothing left behind', async () => {
    const before = await memory();
    const xlCheck = await xl(['create', file('vn1.cfg', 'name="vn1"\ntype="hvm"\nvnuma=[["pnode=9","size=64","vcpus=0"]]\n')]);
    expect(xlCheck).toMatchObject({ code: 1, stdout: '' });
    expect(xlCheck.stderr).toMatch(/\nxl: invalid pnode number: 9\n$/);
    const libxlCheck = await xl(['create', file('vn2.cfg', 'name="vn2"\ntype="hvm"\nvnuma=[["pnode=0","size=64","vcpus=0"],["pnode=1","size=64","vcpus=0"]]\n')]);
    expect(libxlCheck.code).toBe(3);
    expect(libxlCheck.stderr).toContain('libxl: error: Vcpu 0 assigned more than once\n');
    expect(await memory()).toEqual(before);
  });

  it('an unknown pool: libxl\'s error, exit 6, nothing left behind', async () => {
    const cfg = file('pool.cfg', 'name="p"\ntype="hvm"\nmemory=64\npool="nope"\n');
    const before = await memory();
    const r = await xl(['create', cfg]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('libxl: error: Illegal pool specified: nope\n');
    expect(await memory()).toEqual(before);
  });

  it('PV guests parse (and dry-run) as in xl, but xenemu does not build them', async () => {
    const cfg = file('pv.cfg', 'name="pv"\nkernel="/boot/vmlinuz"\nmemory=64\n');
    expect((await xl(['create', '-n', cfg])).stdout).toContain('"type": "pv"');
    const before = await memory();
    const r = await xl(['create', cfg]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('xenemu: PV guests are not emulated; xenemu builds HVM and PVH guests only');
    expect(await memory()).toEqual(before);
  });
});

describe('xl create, list, domid, domname', () => {
  it('creates and unpauses an HVM guest; xl list shows its name; domid and domname agree', async () => {
    const cfg = file('g1.cfg', 'name = "guest1"\ntype = "hvm"\nmemory = 128\nvcpus = 2\n');
    const r = await xl(['create', cfg]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: `Parsing config from ${cfg}\n` });
    const list = await xl(['list']);
    expect(list.stdout).toMatch(/\nguest1 +\d+ +\d+ +2 +r-----/);
    const id = await xl(['domid', 'guest1']);
    expect(id.code).toBe(0);
    expect(id.stdout).toMatch(/^\d+\n$/);
    const domid = Number(id.stdout);
    expect(await xl(['domname', String(domid)])).toEqual({ code: 0, stdout: 'guest1\n', stderr: '' });
    expect((await libxl_domain_info(h.ctx, domid)).paused).toBe(false);
  });

  it('-p leaves it paused; key=value overrides the file\'s name', async () => {
    const cfg = file('g2.cfg', 'name = "guest2"\ntype = "hvm"\nmemory = 64\n');
    expect((await xl(['create', '-p', cfg, 'name="paused1"'])).code).toBe(0);
    const domid = Number((await xl(['domid', 'paused1'])).stdout);
    expect((await libxl_domain_info(h.ctx, domid)).paused).toBe(true);
    expect((await xl(['domid', 'guest2'])).code).toBe(1);
    expect((await xl(['list'])).stdout).toMatch(/\npaused1 +\d+ +\d+ +\d+ +--p---/);
  });

  it('libxl\'s detail lines (NUMA placement) show only with -v', async () => {
    const cfg = file('g3.cfg', 'name = "quiet"\ntype = "hvm"\nmemory = 64\n');
    const plain = await xl(['create', cfg]);
    expect(plain.stderr).toBe(`Parsing config from ${cfg}\n`);
    const verbose = await xl(['-v', 'create', cfg, 'name="loud"']);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(/\nlibxl: detail: NUMA placement candidate with 1 nodes, 16 cpus and \d+ KB free selected\n/);
  });

  it('on a terminal a progress bar is drawn on stderr and erased; -q and a pipe draw none', async () => {
    const cfg = file('g4.cfg', 'type = "hvm"\nmemory = 64\n');
    const tty = await xl(['create', cfg, 'name="bar1"'], { stderrIsTTY: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('\rBuilding bar1: [');
    expect(tty.stderr).toContain('] 100%');
    expect(tty.stderr.endsWith('\r')).toBe(true);
    const quiet = await xl(['create', '-q', cfg, 'name="bar2"'], { stderrIsTTY: true });
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
    const piped = await xl(['create', cfg, 'name="bar3"']);
    expect(piped.stderr).toBe(`Parsing config from ${cfg}\n`);
  });

  it('domid and domname errors are xl\'s', async () => {
    expect(await xl(['domid', 'nosuch'])).toEqual({ code: 1, stdout: '', stderr: "Can't get domid of domain name 'nosuch', maybe this domain does not exist.\n" });
    expect(await xl(['domname', '999'])).toEqual({ code: 1, stdout: '', stderr: "Can't get domain name of domain id '999', maybe this domain does not exist.\n" });
    expect(await xl(['domname', 'abc'])).toEqual({ code: 1, stdout: '', stderr: 'Invalid domain id.\n\n' });
    // strtol saturates at LONG_MAX before the uint32_t conversion: 0xffffffff, not the value mod 2^32.
    expect(await xl(['domname', '99999999999999999999'])).toEqual({ code: 1, stdout: '', stderr: "Can't get domain name of domain id '4294967295', maybe this domain does not exist.\n" });
    expect(await xl(['domname', '0'])).toEqual({ code: 0, stdout: 'Domain-0\n', stderr: '' });
  });
});

// xl list, vcpu-list, vcpu-pin, pause, unpause, destroy over the wire, against golden output
// (tools/xl/xl_info.c: list_domains; xl_vcpu.c: vcpulist, main_vcpupin; xl_vmcontrol.c).
import { beforeAll, describe, expect, it } from 'vitest';
import { print_bitmap } from '../cli/xl_utils.js';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { xc_domain_create, xc_domain_max_vcpus, xc_domain_unpause } from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { golden, useHost, xl } from './harness.js';

describe('print_bitmap (xl_utils.c)', () => {
  it('prints runs, "all" for one full run and "none" for nothing', () => {
    expect(print_bitmap(Uint8Array.from([0xff]), 8)).toBe('all');
    expect(print_bitmap(Uint8Array.from([0xfe]), 8)).toBe('1-7');
    expect(print_bitmap(Uint8Array.from([0xaf, 0x03]), 16)).toBe('0-3,5,7-9');
    expect(print_bitmap(new Uint8Array(2), 16)).toBe('none');
    expect(print_bitmap(Uint8Array.from([0x0f]), 4)).toBe('all');
  });
});

describe('xl domain commands on 4node with two guests', () => {
  const h = useHost('4node');
  let a: number;
  let b: number;
  beforeAll(async () => {
    // a: 2 vCPUs, running; b: 4 vCPUs, still paused after creation.
    a = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 2 });
    await xc_domain_max_vcpus(h.xch, a, 2);
    await xc_domain_unpause(h.xch, a);
    b = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 4 });
    await xc_domain_max_vcpus(h.xch, b, 4);
  });

  it('xl vcpu-pin pins, xl list -n and xl vcpu-list show it (golden)', async () => {
    expect((await xl(h, 'vcpu-pin', String(b), 'all', 'node:1', '-')).code).toBe(0);
    expect((await xl(h, 'vcpu-pin', String(b), '0', '-', '16-19')).code).toBe(0);
    const plain = await xl(h, 'list');
    expect(plain.stdout).toBe(golden('xl-list-4node.txt', plain.stdout));
    const verbose = await xl(h, 'list', '-v');
    expect(verbose.stdout).toBe(golden('xl-list-v-4node.txt', verbose.stdout));
    const list = await xl(h, 'list', '-n');
    expect(list.stderr).toBe('');
    expect(list.stdout).toBe(golden('xl-list-n-4node.txt', list.stdout));
    expect(list.stdout.split('\n')[0]).toBe('Name                                        ID   Mem VCPUs\tState\tTime(s) NODE Affinity');
    const vl = await xl(h, 'vcpu-list');
    expect(vl.stdout).toBe(golden('xl-vcpu-list-4node.txt', vl.stdout));
  });

  it('xl list <domain> shows one; a missing one is an error', async () => {
    const one = await xl(h, 'list', 'Domain-0');
    expect(one.stdout.split('\n')).toHaveLength(3);
    expect(one.stdout.split('\n')[1]).toBe(`${'Domain-0'.padEnd(40)}     0  4096     8     r-----       0.0`);
    expect(await xl(h, 'list', '99')).toEqual({ code: 1, stdout: '', stderr: "Error: Domain '99' does not exist.\n" });
    expect(await xl(h, 'list', 'nosuch')).toEqual({ code: 1, stdout: '', stderr: 'nosuch is an invalid domain identifier (rc=-6)\n' });
  });

  it('xl list -l: domains not created through libxl have no stored configuration and are skipped', async () => {
    const r = await xl(h, 'list', '-l');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('[\n\n]\n');
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([0, a, b].map((id) => `libxl: error: Domain ${id}:Fail to get domain configuration`));
  });

  it('xl vcpu-pin refuses bad arguments with xl\'s messages', async () => {
    expect(await xl(h, 'vcpu-pin', String(a), 'x', 'all')).toMatchObject({ code: 1, stderr: 'Error: Invalid argument x as VCPU.\n' });
    expect(await xl(h, 'vcpu-pin', '-f', String(a), 'all', '1')).toMatchObject({ code: 1, stderr: "Error: --force and 'all' as VCPU not allowed.\n" });
    expect(await xl(h, 'vcpu-pin', String(a), '0', '5-2')).toMatchObject({ code: 1, stderr: 'Invalid pcpu range: 5-2.\n' });
    expect(await xl(h, 'vcpu-pin', String(a), '7', '1')).toMatchObject({ code: 1, stderr: "Could not set affinity for vcpu `7'.\n" });
    expect(await xl(h, 'vcpu-pin', String(a), '0', '-', '100')).toMatchObject({ code: 0, stderr: 'libxl: warning: All cpus in soft affinity of vcpu 0 are unreachable. Only hard affinity will be considered for scheduling\n' });
  });

  it('xl pause / unpause change the state column; xl destroy refuses dom0 without -f and removes a guest', async () => {
    await xl(h, 'pause', String(a));
    expect((await xl(h, 'list', String(a))).stdout.split('\n')[1]).toContain('--p---');
    await xl(h, 'unpause', String(a));
    expect((await xl(h, 'list', String(a))).stdout.split('\n')[1]).toContain('r-----');
    expect(await xl(h, 'destroy', '0')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Not destroying domain 0; use -f to force.\nThis can only be done when using a disaggregated hardware domain and toolstack.\n\n',
    });
    expect((await xl(h, 'destroy', String(a))).code).toBe(0);
    expect((await xl(h, 'list', String(a))).stderr).toBe(`Error: Domain '${a}' does not exist.\n`);
    expect(await xl(h, 'pause', '4242')).toMatchObject({ code: 1 });
  });
});

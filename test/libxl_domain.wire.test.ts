// libxl's domain and affinity calls, the bitmap conversions and xl's CPU list syntax, over
// the wire (libxl_domain.c, libxl_sched.c, libxl_utils.c; xl_parse.c: parse_cpurange).
import { describe, expect, it } from 'vitest';
import { CpurangeError, parse_cpurange } from '../cli/xl_parse.js';
import { DOMID_ANY } from '../hypervisor/ids.js';
import {
  libxl_domain_destroy,
  libxl_domain_get_nodeaffinity,
  libxl_domain_info,
  libxl_domain_pause,
  libxl_domain_set_nodeaffinity,
  libxl_domain_unpause,
  libxl_list_domain,
  libxl_list_vcpu,
  libxl_set_vcpuaffinity,
  libxl_set_vcpuaffinity_all,
} from '../libxl/libxl_domain.js';
import { LibxlError } from '../libxl/libxl_error.js';
import { libxl_bitmap_alloc, libxl_bitmap_set, libxl_cpu_bitmap_alloc, libxl_cpumap_to_nodemap, libxl_node_bitmap_alloc, libxl_node_to_cpumap, type libxl_bitmap } from '../libxl/libxl_utils.js';
import { xc_domain_create, xc_domain_max_vcpus } from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { useHost } from './harness.js';

const bits = (b: libxl_bitmap): number[] => [...Array(b.size * 8).keys()].filter((i) => (b.map[i >> 3]! & (1 << (i & 7))) !== 0);
const range = (a: number, b: number): number[] => [...Array(b - a + 1).keys()].map((i) => a + i);

describe('libxl domains', () => {
  const h = useHost('4node');

  async function guest(vcpus = 2): Promise<number> {
    const id = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: vcpus });
    await xc_domain_max_vcpus(h.xch, id, vcpus);
    return id;
  }

  it('libxl_list_domain lists every domain in domid order with libxl__xcinfo2xlinfo\'s fields', async () => {
    const id = await guest();
    const list = await libxl_list_domain(h.ctx);
    expect(list.map((d) => d.domid)).toEqual([0, id]);
    expect(list[0]).toMatchObject({ current_memkb: 4096 * 1024, running: true, paused: false, domain_type: 'pv', vcpu_online: 8 });
    expect(list[1]).toMatchObject({ current_memkb: 0, paused: true, domain_type: 'hvm', vcpu_max_id: 1, vcpu_online: 0, shutdown_reason: -1 });
    await libxl_domain_destroy(h.ctx, id);
  });

  it('libxl_domain_info: a missing domain is ERROR_DOMAIN_NOTFOUND', async () => {
    await expect(libxl_domain_info(h.ctx, 777)).rejects.toMatchObject({ code: 'ERROR_DOMAIN_NOTFOUND', rc: -21 });
    await expect(libxl_domain_destroy(h.ctx, 777)).rejects.toBeInstanceOf(LibxlError);
  });

  it('pause and unpause; unpausing brings the vCPUs online and running', async () => {
    const id = await guest();
    await libxl_domain_unpause(h.ctx, id);
    expect(await libxl_domain_info(h.ctx, id)).toMatchObject({ paused: false, running: true, vcpu_online: 2 });
    await libxl_domain_pause(h.ctx, id);
    expect(await libxl_domain_info(h.ctx, id)).toMatchObject({ paused: true, running: false });
    await libxl_domain_destroy(h.ctx, id);
  });

  it('libxl_list_vcpu gives each vCPU with its raw hard and soft maps; null before max_vcpus', async () => {
    const none = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm, max_vcpus: 1 });
    expect(await libxl_list_vcpu(h.ctx, none)).toBeNull();
    const id = await guest();
    const hard = libxl_bitmap_alloc(64);
    for (const c of [4, 5]) libxl_bitmap_set(hard, c);
    await libxl_set_vcpuaffinity(h.ctx, id, 1, hard, null);
    const v = (await libxl_list_vcpu(h.ctx, id))!;
    expect(v.map((x) => [x.vcpuid, x.cpu, x.online])).toEqual([[0, 0, false], [1, 4, false]]); // pinned to {4,5}, vCPU 1 moved off CPU 1
    expect(bits(v[1]!.cpumap)).toEqual([4, 5]);
    expect(bits(v[1]!.cpumap_soft)).toEqual(range(0, 63));
    await libxl_domain_destroy(h.ctx, id);
    await libxl_domain_destroy(h.ctx, none);
  });

  it('libxl_set_vcpuaffinity logs unreachable soft CPUs; both maps null is ERROR_INVAL; _all sets every vCPU', async () => {
    const id = await guest(3);
    const logs: string[] = [];
    const hard = libxl_bitmap_alloc(64);
    libxl_bitmap_set(hard, 0);
    const soft = libxl_bitmap_alloc(64);
    libxl_bitmap_set(soft, 40);
    await libxl_set_vcpuaffinity(h.ctx, id, 0, hard, soft, (level, m) => logs.push(`${level}: ${m}`));
    expect(logs).toEqual([
      'debug: New soft affinity for vcpu 0 has unreachable cpus',
      'warn: All cpus in soft affinity of vcpu 0 are unreachable. Only hard affinity will be considered for scheduling',
    ]);
    await expect(libxl_set_vcpuaffinity(h.ctx, id, 0, null, null)).rejects.toMatchObject({ code: 'ERROR_INVAL' });
    await libxl_set_vcpuaffinity_all(h.ctx, id, 3, hard, null);
    expect((await libxl_list_vcpu(h.ctx, id))!.map((v) => bits(v.cpumap))).toEqual([[0], [0], [0]]);
    await expect(libxl_set_vcpuaffinity_all(h.ctx, id, 4, hard, null)).rejects.toMatchObject({ code: 'ERROR_FAIL' });
    await libxl_domain_destroy(h.ctx, id);
  });

  it('node affinity round trip and the bitmap conversions', async () => {
    const id = await guest();
    const nodes = await libxl_node_bitmap_alloc(h.ctx);
    libxl_bitmap_set(nodes, 2);
    await libxl_domain_set_nodeaffinity(h.ctx, id, nodes);
    const got = await libxl_node_bitmap_alloc(h.ctx);
    await libxl_domain_get_nodeaffinity(h.ctx, id, got);
    expect(bits(got)).toEqual([2]);
    const cpus = await libxl_cpu_bitmap_alloc(h.ctx);
    await libxl_node_to_cpumap(h.ctx, 3, cpus);
    expect(bits(cpus)).toEqual(range(48, 63));
    libxl_bitmap_set(cpus, 0);
    await libxl_cpumap_to_nodemap(h.ctx, cpus, got);
    expect(bits(got)).toEqual([0, 3]);
    await libxl_domain_destroy(h.ctx, id);
  });
});

describe("xl's CPU list syntax (parse_cpurange)", () => {
  const h = useHost('4node');
  const parse = async (s: string): Promise<number[]> => {
    const m = await libxl_cpu_bitmap_alloc(h.ctx);
    await parse_cpurange(h.ctx, s, m);
    return bits(m);
  };

  it('ranges, removal, nodes and all, applied in order', async () => {
    expect(await parse('0-3,^2')).toEqual([0, 1, 3]);
    expect(await parse('0-3,5,^1')).toEqual([0, 2, 3, 5]);
    expect(await parse('node:1')).toEqual(range(16, 31));
    expect(await parse('nodes:0-1,^node:1')).toEqual(range(0, 15));
    expect(await parse('all,^node:1')).toEqual([...range(0, 15), ...range(32, 63)]);
    expect(await parse('all')).toEqual(range(0, 63));
    expect(await parse('60-200')).toEqual([60, 61, 62, 63]);
  });

  it("refuses what xl refuses, with xl's messages", async () => {
    await expect(parse('^all')).rejects.toThrow(new CpurangeError(`Can't combine "^" and "all".`));
    await expect(parse('^nodes:all')).rejects.toThrow(`Can't combine "^" and "all".`);
    await expect(parse('3-1')).rejects.toThrow('Invalid pcpu range: 3-1.');
    await expect(parse('x')).rejects.toThrow('Invalid pcpu range: x.');
    await expect(parse('1-')).rejects.toThrow('Invalid pcpu range: 1-.');
    // update_cpumap_range names the item after its ^ and node: prefixes.
    await expect(parse('^node:x')).rejects.toThrow(new CpurangeError('Invalid pcpu range: x.'));
    await expect(parse('0,nodes:1-0')).rejects.toThrow(new CpurangeError('Invalid pcpu range: 1-0.'));
    await expect(parse('-1')).rejects.toThrow('Invalid pcpu range: -1.'); // strtoul: ULONG_MAX
    await expect(parse('99999999999999999999')).rejects.toThrow('Invalid pcpu range: 99999999999999999999.');
  });

  it('takes what strtok_r and strtoul take', async () => {
    expect(await parse(',0,,2,')).toEqual([0, 2]); // empty items are skipped
    expect(await parse(' 1,+3, 5- 6')).toEqual([1, 3, 5, 6]); // white space and '+' before a number
    expect(await parse('62--2')).toEqual([62, 63]); // "-2" is 2^64 - 2: up to the map's end
    expect(await parse('')).toEqual([]);
  });
});

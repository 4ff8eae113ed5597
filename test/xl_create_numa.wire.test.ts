// `xl create` end to end on a 4node host (16 CPUs and 64 GiB per node): a config that needs
// placement, one with cpus_soft, one with vnuma; each checked for node affinity, soft
// affinity, pages per node and the xenstore entries libxl writes; then `xl destroy` by name.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as xlMain } from '../cli/xl.js';
import { xc_domain_getvnuma, xc_domain_numa_get_node_pages, type xen_vmemrange_t } from '../libxc/xenctrl.js';
import { libxl_domain_get_nodeaffinity, libxl_list_vcpu } from '../libxl/libxl_domain.js';
import { libxl_bitmap_test, libxl_node_bitmap_alloc, type libxl_bitmap } from '../libxl/libxl_utils.js';
import { xs_directory, xs_read, XBT_NULL } from '../libxenstore/xs.js';
import { capture, FIXED_UNAME, useHost } from './harness.js';

const h = useHost('4node');
const dir = mkdtempSync(path.join(tmpdir(), 'xl-create-numa-'));
const NODES = 4;
const CPUS_PER_NODE = 16;
const PAGES_PER_MIB = 256;
/** cirrus, xl's default VGA: 8 MiB of video RAM, left out of the build (QEMU's to populate). */
const VIDEO_MIB = 8;
/** The pages an HVM guest of `mib` MiB owns after the build: its RAM less the video RAM and the
 *  VGA hole (0xA0-0xC0), plus 8 special pages and 8 ioreq pages (a device model). */
const builtPages = (mib: number): number => (mib - VIDEO_MIB) * PAGES_PER_MIB - 0x20 + 16;

async function xl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = capture();
  const code = await xlMain(['--address', h.address, ...args], { out: c.out, uname: FIXED_UNAME, env: {}, stderrIsTTY: false });
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

async function create(name: string, body: string): Promise<number> {
  const cfg = path.join(dir, `${name}.cfg`);
  writeFileSync(cfg, `name = "${name}"\ntype = "hvm"\n${body}`);
  const r = await xl('create', cfg);
  expect(r.stderr).toBe(`Parsing config from ${cfg}\n`);
  expect(r.code).toBe(0);
  return Number((await xl('domid', name)).stdout);
}

const setBits = (b: libxl_bitmap, n: number): number[] => [...Array(n).keys()].filter((i) => libxl_bitmap_test(b, i));
const nodeCpus = (node: number): number[] => [...Array(CPUS_PER_NODE).keys()].map((i) => node * CPUS_PER_NODE + i);

async function nodeAffinity(domid: number): Promise<number[]> {
  const map = await libxl_node_bitmap_alloc(h.ctx);
  await libxl_domain_get_nodeaffinity(h.ctx, domid, map);
  return setBits(map, 64);
}

async function softAffinities(domid: number): Promise<number[][]> {
  return (await libxl_list_vcpu(h.ctx, domid))!.map((v) => setBits(v.cpumap_soft, NODES * CPUS_PER_NODE));
}

async function nodePages(domid: number): Promise<number[]> {
  const pages = Array<number>(NODES).fill(-1);
  await xc_domain_numa_get_node_pages(h.xch, domid, NODES, pages);
  return pages;
}

const read = (p: string): Promise<string | null> => xs_read(h.ctx.xsh, XBT_NULL, p);

describe('xl create places, pins and populates as libxl does', () => {
  it('no affinity given: placement picks one node; node affinity, every soft affinity and every page are there', async () => {
    const domid = await create('placed', 'memory = 2048\nvcpus = 4\n');
    const nodes = await nodeAffinity(domid);
    expect(nodes).toHaveLength(1);
    const node = nodes[0]!;
    expect(await softAffinities(domid)).toEqual(Array(4).fill(nodeCpus(node)));
    const pages = await nodePages(domid);
    expect(pages[node]).toBe(builtPages(2048));
    expect(pages.reduce((a, b) => a + b, 0)).toBe(builtPages(2048));
    const dom = `/local/domain/${domid}`;
    expect(await read(`${dom}/name`)).toBe('placed');
    expect(await read(`${dom}/memory/static-max`)).toBe(String(2048 * 1024));
    expect(await read(`${dom}/memory/target`)).toBe(String(2048 * 1024 - VIDEO_MIB * 1024));
    expect(await read(`${dom}/memory/videoram`)).toBe(String(VIDEO_MIB * 1024));
    expect(await read(`${dom}/cpu/3/availability`)).toBe('online');
  });

  it('a second guest goes to a node with fewer vCPUs on it (numa_cmpf), not the first guest\'s', async () => {
    const first = (await nodeAffinity(Number((await xl('domid', 'placed')).stdout)))[0]!;
    const domid = await create('placed2', 'memory = 1024\nvcpus = 2\n');
    const nodes = await nodeAffinity(domid);
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).not.toBe(first);
    expect((await nodePages(domid))[nodes[0]!]).toBe(builtPages(1024));
  });

  it('cpus_soft = "nodes:2": no placement; soft affinity and node affinity follow it, and so do the pages', async () => {
    const domid = await create('softpinned', 'memory = 512\nvcpus = 2\ncpus_soft = "nodes:2"\n');
    expect(await softAffinities(domid)).toEqual([nodeCpus(2), nodeCpus(2)]);
    expect(await nodeAffinity(domid)).toEqual([2]);
    expect(await nodePages(domid)).toEqual([0, 0, builtPages(512), 0]);
  });

  it('vnuma on pnodes 1 and 3: each vnode\'s memory on its pnode, vNUMA set, soft affinity per vnode', async () => {
    const domid = await create(
      'vnuma',
      'vnuma = [ [ "pnode=1", "size=1024", "vcpus=0-1", "vdistances=10,20" ],\n          [ "pnode=3", "size=512", "vcpus=2", "vdistances=20,10" ] ]\n',
    );
    // vnode 0 (pnode 1) holds 1 GiB less the video RAM from 0xC0 up; vnode 1 (pnode 3) 512 MiB.
    // The 0xA0 low pages and the 16 special/ioreq pages carry no node flag: with no node
    // affinity yet (vNUMA soft affinity comes in build_post) get_free_buddy round-robins them
    // page by page over all four nodes, 176 / 4 = 44 each.
    expect(await nodePages(domid)).toEqual([44, (1024 - VIDEO_MIB) * PAGES_PER_MIB - 0xc0 + 44, 44, 512 * PAGES_PER_MIB + 44]);
    const counts = { nr_vnodes: 2, nr_vmemranges: 4, nr_vcpus: 3 };
    const ranges: xen_vmemrange_t[] = [];
    const distances: number[] = [];
    const vcpuToVnode: number[] = [];
    await xc_domain_getvnuma(h.xch, domid, counts, ranges, distances, vcpuToVnode);
    expect(counts).toEqual({ nr_vnodes: 2, nr_vmemranges: 2, nr_vcpus: 3 });
    expect(ranges.map((r) => [r.start, r.end, r.nid])).toEqual([
      [0n, BigInt(1024 - VIDEO_MIB) << 20n, 0],
      [BigInt(1024 - VIDEO_MIB) << 20n, BigInt(1536 - VIDEO_MIB) << 20n, 1],
    ]);
    expect(distances).toEqual([10, 20, 20, 10]);
    expect(vcpuToVnode).toEqual([0, 0, 1]);
    expect(await softAffinities(domid)).toEqual([nodeCpus(1), nodeCpus(1), nodeCpus(3)]);
  });

  it('xl destroy by name removes the domain and its xenstore entries', async () => {
    const domid = Number((await xl('domid', 'softpinned')).stdout);
    expect(await read(`/local/domain/${domid}/name`)).toBe('softpinned');
    const r = await xl('destroy', 'softpinned');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await xl('domid', 'softpinned')).code).toBe(1);
    expect(await read(`/local/domain/${domid}/name`)).toBeNull();
    expect(await xs_directory(h.ctx.xsh, XBT_NULL, `/libxl/${domid}`)).toBeNull();
  });
});

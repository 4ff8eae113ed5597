// libxl_domain_create_new over the wire (tools/libs/light/libxl_create.c, libxl_dom.c):
// placement → node affinity and soft affinity, explicit soft affinity, vNUMA, the xenstore
// entries, failure paths that leave the host as they found it, destroy, and a 200-domain loop.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../hypervisor/clock.js';
import { XBT_NULL, XS_PERM, xs_directory, xs_get_permissions, xs_read } from '../libxenstore/xs.js';
import { xc_domain_getinfo_single, xc_domain_getvnuma, xc_domain_numa_get_node_pages, xc_physinfo } from '../libxc/xenctrl.js';
import { libxl_ctx_alloc, libxl_ctx_free, libxl_get_numainfo, type libxl_ctx } from '../libxl/libxl.js';
import { libxl_domain_create_new, libxl_domain_need_memory } from '../libxl/libxl_create.js';
import {
  libxl_domain_destroy,
  libxl_domain_get_nodeaffinity,
  libxl_domain_info,
  libxl_domain_qualifier_to_domid,
  libxl_domid_to_name,
  libxl_list_domain,
  libxl_list_vcpu,
  libxl_name_to_domid,
} from '../libxl/libxl_domain.js';
import { LibxlError } from '../libxl/libxl_error.js';
import { libxl_domain_setmaxmem } from '../libxl/libxl_mem.js';
import { LIBXL_DOMAIN_TYPE, RANDOM_DOMID, libxl_domain_config_init, type libxl_domain_config, type libxl_log_level } from '../libxl/libxl_types.js';
import { libxl_bitmap_alloc, libxl_bitmap_set, libxl_bitmap_set_any, libxl_node_bitmap_alloc, libxl_node_to_cpumap, libxl_cpu_bitmap_alloc, type libxl_bitmap } from '../libxl/libxl_utils.js';
import { useHost, xl, type Host } from './harness.js';

const MiB = 1024;

function hvm(name: string, mem_mib: number, vcpus = 2, type: 'hvm' | 'pvh' = 'hvm'): libxl_domain_config {
  const d = libxl_domain_config_init();
  d.c_info.type = type === 'hvm' ? LIBXL_DOMAIN_TYPE.HVM : LIBXL_DOMAIN_TYPE.PVH;
  d.c_info.name = name;
  d.b_info.max_vcpus = vcpus;
  d.b_info.avail_vcpus = libxl_bitmap_alloc(vcpus);
  for (let i = 0; i < vcpus; i++) libxl_bitmap_set(d.b_info.avail_vcpus, i);
  d.b_info.max_memkb = d.b_info.target_memkb = mem_mib * MiB;
  d.b_info.claim_mode = true; // xl.conf's default
  return d;
}

function logger(): { log: (l: libxl_log_level, m: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (l, m) => void lines.push(`${l}: ${m}`), lines };
}

async function nodePages(h: Host, domid: number): Promise<number[]> {
  const pages = new Array<number>(64).fill(0);
  const n = await xc_domain_numa_get_node_pages(h.xch, domid, 64, pages);
  return pages.slice(0, n);
}

/** Every node below `root` with its value, depth first; {} when root is absent (libxl leaves /vm and /libxl once made). */
async function xsDump(ctx: libxl_ctx, root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (p: string): Promise<void> => {
    for (const c of (await xs_directory(ctx.xsh, XBT_NULL, p)) ?? []) {
      const v = await xs_read(ctx.xsh, XBT_NULL, `${p}/${c}`);
      if (v === null) continue;
      out[`${p}/${c}`] = v;
      await walk(`${p}/${c}`);
    }
  };
  await walk(root);
  return out;
}

interface HostState {
  free: number;
  outstanding: number;
  domains: number[];
  xs: Record<string, string>;
}

async function hostState(h: Host): Promise<HostState> {
  const p = await xc_physinfo(h.xch);
  return {
    free: p.free_pages,
    outstanding: p.outstanding_pages,
    domains: (await libxl_list_domain(h.ctx)).map((d) => d.domid),
    xs: { ...(await xsDump(h.ctx, '/local/domain')), ...(await xsDump(h.ctx, '/vm')), ...(await xsDump(h.ctx, '/libxl')) },
  };
}

async function nodeCpus(h: Host, node: number): Promise<libxl_bitmap> {
  const m = await libxl_cpu_bitmap_alloc(h.ctx);
  await libxl_node_to_cpumap(h.ctx, node, m);
  return m;
}

/** The node libxl's placement picks on an idle host: every node runs the same vCPUs, so the most free memory, lowest id on ties. */
async function expectedNode(h: Host): Promise<number> {
  const ninfo = await libxl_get_numainfo(h.ctx);
  let best = 0;
  ninfo.forEach((n, i) => {
    if (n.free / 1024n > ninfo[best]!.free / 1024n) best = i;
  });
  return best;
}

async function errorOf(p: Promise<unknown>): Promise<LibxlError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(LibxlError);
  return e as LibxlError;
}

describe('libxl_domain_create_new: HVM with automatic NUMA placement', () => {
  const h = useHost('4node');

  it('places the domain on one node: node affinity, every vCPU soft affinity, all its pages there; xenstore entries', async () => {
    const node = await expectedNode(h);
    const { log, lines } = logger();
    const progress: number[] = [];
    const d = hvm('placed', 64, 2);
    const domid = await libxl_domain_create_new(h.ctx, d, { log, progress: (done) => progress.push(done) });

    expect(lines.some((l) => /^detail: NUMA placement candidate with 1 nodes, 16 cpus and \d+ KB free selected$/.test(l))).toBe(true);
    expect(d.b_info.numa_placement).toBe(false); // placement ran: a reused config is not placed again
    const nodemap = await libxl_node_bitmap_alloc(h.ctx);
    await libxl_domain_get_nodeaffinity(h.ctx, domid, nodemap);
    expect([...nodemap.map]).toEqual([1 << node, 0, 0, 0, 0, 0, 0, 0]);
    const cpus = await nodeCpus(h, node);
    const vcpus = (await libxl_list_vcpu(h.ctx, domid))!;
    expect(vcpus).toHaveLength(2);
    for (const v of vcpus) {
      expect([...v.cpumap_soft.map]).toEqual([...cpus.map]);
      expect(v.cpumap.map.every((b) => b === 0xff)).toBe(true); // hard affinity untouched
    }
    // 64 MiB minus 8 MiB of video RAM, the VGA hole not populated, plus 8 special + 8 ioreq pages.
    const pages = await nodePages(h, domid);
    const total = 56 * 256 - 0x20 + 16;
    expect(pages[node]).toBe(total);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(total);
    expect(progress.at(-1)).toBe(56 * 256);

    const info = await libxl_domain_info(h.ctx, domid);
    expect(info.paused).toBe(true); // xl unpauses
    expect(info.outstanding_memkb).toBe(0); // the claim was cancelled
    expect(info.max_memkb).toBe(64 * MiB + 1024); // setmaxmem(target + LIBXL_MAXMEM_CONSTANT)
    const dp = `/local/domain/${domid}`;
    const rd = (p: string): Promise<string | null> => xs_read(h.ctx.xsh, XBT_NULL, p);
    expect(await rd(`${dp}/name`)).toBe('placed');
    expect(await rd(`${dp}/domid`)).toBe(String(domid));
    expect(await rd(`${dp}/memory/static-max`)).toBe(String(64 * MiB));
    expect(await rd(`${dp}/memory/target`)).toBe(String(64 * MiB - 8 * MiB)); // target - fudge (video RAM)
    expect(await rd(`${dp}/memory/videoram`)).toBe(String(8 * MiB));
    expect(await rd(`${dp}/cpu/0/availability`)).toBe('online');
    expect(await rd(`${dp}/cpu/1/availability`)).toBe('online');
    expect(await rd(`${dp}/platform/device-model`)).toBe('qemu_xen');
    const vm = (await rd(`${dp}/vm`))!;
    expect(vm).toMatch(/^\/vm\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await rd(`${vm}/name`)).toBe('placed');
    expect(await rd(`${vm}/image/ostype`)).toBe('hvm');
    expect(await rd(`/libxl/${domid}/type`)).toBe('hvm');
    expect(await rd(`/libxl/${domid}/dm-version`)).toBe('qemu_xen');
    // Owner dom0, the domain may read its directory; control/shutdown is the domain's.
    expect(await xs_get_permissions(h.ctx.xsh, XBT_NULL, dp)).toEqual([{ id: 0, perms: XS_PERM.NONE }, { id: domid, perms: XS_PERM.READ }]);
    expect(await xs_get_permissions(h.ctx.xsh, XBT_NULL, `${dp}/control/shutdown`)).toEqual([{ id: domid, perms: XS_PERM.NONE }]);
    expect(await libxl_domid_to_name(h.ctx, domid)).toBe('placed');
    expect(await libxl_name_to_domid(h.ctx, 'placed')).toBe(domid);
    expect(await libxl_domid_to_name(h.ctx, 0)).toBe('Domain-0');

    // A second guest: the first one's node now has less free memory, so another node wins.
    const node2 = await expectedNode(h);
    expect(node2).not.toBe(node);
    const domid2 = await libxl_domain_create_new(h.ctx, hvm('placed2', 64, 2));
    await libxl_domain_get_nodeaffinity(h.ctx, domid2, nodemap);
    expect([...nodemap.map]).toEqual([1 << node2, 0, 0, 0, 0, 0, 0, 0]);
    expect((await nodePages(h, domid2))[node2]).toBe(total);

    await libxl_domain_destroy(h.ctx, domid);
    await libxl_domain_destroy(h.ctx, domid2);
  });

  it('PVH: no device model, so no video RAM, VGA hole or ioreq pages; /libxl/<domid>/type is pvh', async () => {
    const domid = await libxl_domain_create_new(h.ctx, hvm('pvh1', 32, 1, 'pvh'));
    const pages = await nodePages(h, domid);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(32 * 256 + 8);
    expect(await xs_read(h.ctx.xsh, XBT_NULL, `/libxl/${domid}/type`)).toBe('pvh');
    expect(await xs_read(h.ctx.xsh, XBT_NULL, `/local/domain/${domid}/memory/target`)).toBe(String(32 * MiB));
    await libxl_domain_destroy(h.ctx, domid);
  });

  it('an explicit soft affinity skips placement with libxl\'s WARN; the vCPUs keep the given soft affinity', async () => {
    const { log, lines } = logger();
    const d = hvm('soft', 32, 2);
    const cpus3 = await nodeCpus(h, 3);
    d.b_info.vcpu_soft_affinity = [cpus3, cpus3];
    const domid = await libxl_domain_create_new(h.ctx, d, { log });
    expect(lines).toContain("warn: Can't run NUMA placement, as a soft affinity has been specified explicitly");
    expect(lines.some((l) => l.includes('NUMA placement candidate'))).toBe(false);
    expect(d.b_info.numa_placement).toBe(true);
    expect(d.b_info.nodemap.size).toBe(0);
    expect((await libxl_list_vcpu(h.ctx, domid))!.map((v) => [...v.cpumap_soft.map])).toEqual([[...cpus3.map], [...cpus3.map]]); // both vCPUs, so an empty list fails
    await libxl_domain_destroy(h.ctx, domid);
  });

  it('an explicit nodemap skips placement with the other WARN and becomes the node affinity', async () => {
    const { log, lines } = logger();
    const d = hvm('nodemap', 32, 1);
    d.b_info.nodemap = await libxl_node_bitmap_alloc(h.ctx);
    libxl_bitmap_set(d.b_info.nodemap, 2);
    const domid = await libxl_domain_create_new(h.ctx, d, { log });
    expect(lines).toContain("warn: Can't run NUMA placement, as the domain has NUMA node affinity set already");
    const nodemap = await libxl_node_bitmap_alloc(h.ctx);
    await libxl_domain_get_nodeaffinity(h.ctx, domid, nodemap);
    expect(nodemap.map[0]).toBe(1 << 2);
    const pages = await nodePages(h, domid);
    expect(pages[2]).toBe(pages.reduce((a, b) => a + b, 0));
    await libxl_domain_destroy(h.ctx, domid);
  });

  it('vNUMA on pnodes 1 and 2: setvnuma, pages per pnode, each vnode\'s vCPU soft affinity is its pnode', async () => {
    const d = hvm('vnuma', 128, 2);
    d.b_info.u.hvm.vga.kind = 3; // none: no video RAM, vnode 0 keeps its whole 64 MiB
    const vc = (i: number): libxl_bitmap => {
      const b = libxl_bitmap_alloc(2);
      libxl_bitmap_set(b, i);
      return b;
    };
    d.b_info.vnuma_nodes = [
      { memkb: 64 * MiB, distances: [10, 20], pnode: 1, vcpus: vc(0) },
      { memkb: 64 * MiB, distances: [20, 10], pnode: 2, vcpus: vc(1) },
    ];
    const domid = await libxl_domain_create_new(h.ctx, d);
    const pages = await nodePages(h, domid);
    // Placement still ran (vNUMA does not skip it): the 16 special pages, populated with no node
    // given, follow that node affinity; each vnode's RAM is on its pnode, the VGA hole in vnode 0.
    const nodemap = await libxl_node_bitmap_alloc(h.ctx);
    await libxl_domain_get_nodeaffinity(h.ctx, domid, nodemap);
    const placed = Math.log2(nodemap.map[0]!);
    expect(Number.isInteger(placed)).toBe(true);
    const expected = [0, 0, 0, 0];
    expected[1]! += 64 * 256 - 0x20;
    expected[2]! += 64 * 256;
    expected[placed]! += 16;
    expect(pages).toEqual(expected);
    const counts = { nr_vnodes: 2, nr_vmemranges: 2, nr_vcpus: 2 };
    const ranges: { start: bigint; end: bigint; flags: number; nid: number }[] = [];
    const dist: number[] = [];
    const v2v: number[] = [];
    await xc_domain_getvnuma(h.xch, domid, counts, ranges, dist, v2v);
    expect(v2v).toEqual([0, 1]);
    expect(dist).toEqual([10, 20, 20, 10]);
    const [v0, v1] = (await libxl_list_vcpu(h.ctx, domid))!;
    expect([...v0!.cpumap_soft.map]).toEqual([...(await nodeCpus(h, 1)).map]);
    expect([...v1!.cpumap_soft.map]).toEqual([...(await nodeCpus(h, 2)).map]);
    await libxl_domain_destroy(h.ctx, domid);
  });

  it('a hard affinity alone does not stop placement, which still searches the whole pool (xen-userspace.md §0.4)', async () => {
    // Make node 3 the least free, then pin the vCPUs to it: placement picks another node anyway.
    const ballast = hvm('ballast', 256, 1);
    ballast.b_info.nodemap = await libxl_node_bitmap_alloc(h.ctx);
    libxl_bitmap_set(ballast.b_info.nodemap, 3);
    const b = await libxl_domain_create_new(h.ctx, ballast);
    const node = await expectedNode(h);
    expect(node).not.toBe(3);
    const { log, lines } = logger();
    const d = hvm('pinned', 32, 2);
    const cpus3 = await nodeCpus(h, 3);
    d.b_info.vcpu_hard_affinity = [cpus3, cpus3];
    const domid = await libxl_domain_create_new(h.ctx, d, { log });
    const nodemap = await libxl_node_bitmap_alloc(h.ctx);
    await libxl_domain_get_nodeaffinity(h.ctx, domid, nodemap);
    expect(nodemap.map[0]).toBe(1 << node);
    // Soft affinity is set before the hard one (build_pre's order), so nothing warns that they do not meet.
    const placed = await nodeCpus(h, node);
    for (const v of (await libxl_list_vcpu(h.ctx, domid))!) {
      expect([...v.cpumap.map]).toEqual([...cpus3.map]);
      expect([...v.cpumap_soft.map]).toEqual([...placed.map]);
    }
    expect(lines.filter((l) => l.startsWith('warn'))).toEqual([]);
    await libxl_domain_destroy(h.ctx, domid);
    await libxl_domain_destroy(h.ctx, b);
  });

  it('domids: an explicit valid one is used; RANDOM_DOMID draws again when the domid exists (injected bytes)', async () => {
    const d = hvm('explicit', 16, 1);
    d.c_info.domid = 4242;
    expect(await libxl_domain_create_new(h.ctx, d)).toBe(4242);
    // Draws: 0 (not a guest id), 4242 (exists: EEXIST), 0x7ff5 | 0x8000 (masked to DOMID_ANY, reserved), then 777.
    const draws = [[0, 0], [0x92, 0x10], [0xf5, 0xff], [0x09, 0x03]];
    const ctx = await libxl_ctx_alloc({ address: h.address, random_bytes: (n) => (n === 2 ? new Uint8Array(draws.shift() ?? [0, 0]) : new Uint8Array(n).fill(0x5a)) });
    try {
      const r = hvm('random', 16, 1);
      r.c_info.domid = RANDOM_DOMID;
      expect(await libxl_domain_create_new(ctx, r)).toBe(777);
      expect(draws).toEqual([]);
      expect(await xs_read(ctx.xsh, XBT_NULL, '/local/domain/777/vm')).toBe('/vm/5a5a5a5a-5a5a-4a5a-9a5a-5a5a5a5a5a5a'); // a nil UUID is generated (version 4)
      await libxl_domain_destroy(ctx, 777);
    } finally {
      libxl_ctx_free(ctx);
    }
    expect(await libxl_domain_qualifier_to_domid(h.ctx, 'explicit')).toBe(4242);
    expect(await libxl_domain_qualifier_to_domid(h.ctx, '4242')).toBe(4242);
    await libxl_domain_destroy(h.ctx, 4242);
  });

  it('libxl_domain_setmaxmem reads memory/target and writes memory/static-max', async () => {
    const domid = await libxl_domain_create_new(h.ctx, hvm('maxmem', 64, 1));
    // memory/target is 56 MiB (video RAM off): below it is refused with libxl's text, rc 1.
    await expect(libxl_domain_setmaxmem(h.ctx, domid, 48 * MiB)).rejects.toMatchObject({ rc: 1, message: `Domain ${domid}:memory_static_max must be greater than or or equal to memory_dynamic_max` });
    expect(await xs_read(h.ctx.xsh, XBT_NULL, `/local/domain/${domid}/memory/static-max`)).toBe(String(64 * MiB));
    await libxl_domain_setmaxmem(h.ctx, domid, 128 * MiB);
    expect(await xs_read(h.ctx.xsh, XBT_NULL, `/local/domain/${domid}/memory/static-max`)).toBe(String(128 * MiB));
    expect((await libxl_domain_info(h.ctx, domid)).max_memkb).toBe(128 * MiB + 1024);
    await libxl_domain_destroy(h.ctx, domid);
  });

  it('xl list and xl vcpu-list show the name from xenstore; a name resolves as a domain argument', async () => {
    const domid = await libxl_domain_create_new(h.ctx, hvm('listed', 16, 1));
    const list = await xl(h, 'list');
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n').find((l) => l.startsWith('listed '))).toMatch(new RegExp(`^listed {34} {1,5}${domid} `));
    const vl = await xl(h, 'vcpu-list', 'listed');
    expect(vl.code).toBe(0);
    expect(vl.stdout.split('\n')[1]).toMatch(new RegExp(`^listed {27}${String(domid).padStart(5)} {5}0 `));
    await libxl_domain_destroy(h.ctx, domid);
  });

  it('concurrent creations: conflicting xenstore transactions are retried (EAGAIN), every domain gets its skeleton', async () => {
    const ids = await Promise.all([0, 1, 2, 3].map((i) => libxl_domain_create_new(h.ctx, hvm(`conc${i}`, 16, 1))));
    expect(new Set(ids).size).toBe(4);
    for (const [i, domid] of ids.entries()) {
      expect(await libxl_domid_to_name(h.ctx, domid)).toBe(`conc${i}`);
      expect(await xs_read(h.ctx.xsh, XBT_NULL, `/local/domain/${domid}/memory/static-max`)).toBe(String(16 * MiB));
      expect(await xs_read(h.ctx.xsh, XBT_NULL, `/libxl/${domid}/type`)).toBe('hvm');
    }
    for (const domid of ids) await libxl_domain_destroy(h.ctx, domid);
  });

  it('libxl_domain_need_memory: setdefault on a copy, then target + shadow + 2 MiB rounded up to 2 MiB', async () => {
    const d = hvm('need', 64, 2);
    // shadow = 4 * (256 * 2 + 1 * 64) = 2304; 65536 + 2304 + 2048 = 69888 -> 71680
    expect(await libxl_domain_need_memory(h.ctx, d)).toBe(71680);
    expect(d.b_info.shadow_memkb).toBe(-1); // the caller's config is not defaulted
  });

  it('pool_name: digits are a pool id (strtoul into a uint32_t), a name is looked up, an empty qualifier is a name', async () => {
    const pool = (name: string): libxl_domain_config => {
      const d = hvm('pool', 64, 2);
      d.c_info.pool_name = name;
      return d;
    };
    expect(await libxl_domain_need_memory(h.ctx, pool('0'))).toBe(71680);
    expect(await libxl_domain_need_memory(h.ctx, pool('Pool-0'))).toBe(71680);
    expect(await libxl_domain_need_memory(h.ctx, pool('4294967296'))).toBe(71680); // 2^32 truncates to pool 0
    expect(await errorOf(libxl_domain_need_memory(h.ctx, pool('1')))).toMatchObject({ code: 'ERROR_INVAL', message: 'Illegal pool specified: 1' });
    // qualifier_to_id wants at least one digit: "" is a pool name, and no pool has it.
    expect(await errorOf(libxl_domain_need_memory(h.ctx, pool('')))).toMatchObject({ code: 'ERROR_INVAL', message: 'Illegal pool specified: ' });
  });
});

describe('libxl_domain_create_new failures leave the host exactly as before', () => {
  const h = useHost('4node');

  it('not enough memory on the host (claim on): the claim fails, the domain is destroyed', async () => {
    const before = await hostState(h);
    const { log, lines } = logger();
    const e = await errorOf(libxl_domain_create_new(h.ctx, hvm('huge', 300 * 1024, 2), { log }));
    expect(e.code).toBe('ERROR_FAIL');
    expect(lines).toContain('notice: NUMA placement failed, performance might be affected');
    expect(lines).toContain('error: xc_dom_boot_mem_init failed');
    expect(await hostState(h)).toEqual(before);
  });

  it('not enough memory on the host (claim off): populate runs out, every page goes back', async () => {
    const before = await hostState(h);
    const d = hvm('huge2', 300 * 1024, 1);
    d.b_info.claim_mode = false;
    const e = await errorOf(libxl_domain_create_new(h.ctx, d));
    expect(e.code).toBe('ERROR_FAIL');
    expect(await hostState(h)).toEqual(before);
  });

  it('an invalid vNUMA config: ERROR_VNUMA_CONFIG_INVALID inside, ERROR_FAIL out, nothing left', async () => {
    const before = await hostState(h);
    const d = hvm('badvnuma', 64, 1);
    const all = libxl_bitmap_alloc(1);
    libxl_bitmap_set_any(all);
    d.b_info.vnuma_nodes = [{ memkb: 64 * MiB, distances: [10], pnode: 7, vcpus: all }];
    const { log, lines } = logger();
    const e = await errorOf(libxl_domain_create_new(h.ctx, d, { log }));
    expect(e.code).toBe('ERROR_FAIL');
    expect((e.cause as LibxlError).code).toBe('ERROR_VNUMA_CONFIG_INVALID');
    expect(lines).toContain('error: Invalid pnode 7 specified');
    expect(await hostState(h)).toEqual(before);
  });

  it('PoD with vNUMA is refused by setdefault before a domain exists', async () => {
    const before = await hostState(h);
    const d = hvm('pod', 64, 1);
    d.b_info.target_memkb = 32 * MiB;
    d.b_info.vnuma_nodes = [{ memkb: 64 * MiB, distances: [10], pnode: 0, vcpus: libxl_bitmap_alloc(1) }];
    const e = await errorOf(libxl_domain_create_new(h.ctx, d));
    expect(e).toMatchObject({ code: 'ERROR_INVAL', message: 'Cannot enable PoD and vNUMA at the same time' });
    expect(await hostState(h)).toEqual(before);
  });

  it('a name that already exists: "Domain with name ... already exists.", the new domain destroyed', async () => {
    const first = await libxl_domain_create_new(h.ctx, hvm('dup', 32, 1));
    const before = await hostState(h);
    const { log, lines } = logger();
    const e = await errorOf(libxl_domain_create_new(h.ctx, hvm('dup', 32, 1), { log }));
    expect(e.code).toBe('ERROR_FAIL');
    expect((e.cause as LibxlError).code).toBe('ERROR_INVAL');
    expect(lines.some((l) => /^error: Domain \d+:Domain with name "dup" already exists\.$/.test(l))).toBe(true);
    expect(await hostState(h)).toEqual(before);
    await libxl_domain_destroy(h.ctx, first);
  });

  it('PV is refused: xenemu builds HVM/PVH only', async () => {
    const d = hvm('pv', 32, 1);
    d.c_info.type = LIBXL_DOMAIN_TYPE.PV;
    await expect(libxl_domain_create_new(h.ctx, d)).rejects.toMatchObject({ code: 'ERROR_INVAL', message: 'xenemu builds HVM/PVH only' });
  });
});

describe('libxl_domain_destroy and a create/destroy loop', () => {
  const clock = new ManualClock();
  const h = useHost('4node', { clock });

  it('destroy removes the domain and /local/domain/<domid>, /vm/<uuid>, /libxl/<domid>', async () => {
    const domid = await libxl_domain_create_new(h.ctx, hvm('gone', 32, 1));
    const vm = (await xs_read(h.ctx.xsh, XBT_NULL, `/local/domain/${domid}/vm`))!;
    await libxl_domain_destroy(h.ctx, domid);
    expect(await xs_read(h.ctx.xsh, XBT_NULL, `/local/domain/${domid}`)).toBeNull();
    expect(await xs_read(h.ctx.xsh, XBT_NULL, vm)).toBeNull();
    expect(await xs_read(h.ctx.xsh, XBT_NULL, `/libxl/${domid}`)).toBeNull();
    expect((await libxl_list_domain(h.ctx)).map((d) => d.domid)).toEqual([0]);
    await expect(libxl_name_to_domid(h.ctx, 'gone')).rejects.toMatchObject({ code: 'ERROR_INVAL' });
    await expect(libxl_domain_destroy(h.ctx, domid)).rejects.toMatchObject({ code: 'ERROR_DOMAIN_NOTFOUND' });
  });

  it('200 domains created and destroyed: free pages back to the start once scrubbed, no xenstore leftovers', async () => {
    clock.advance(3_600_000_000_000n); // let the idle scrubber finish the boot memory
    await xc_physinfo(h.xch);
    const start = await hostState(h);
    for (let i = 0; i < 200; i++) {
      const d = hvm(`loop${i}`, 16, 1);
      d.b_info.numa_placement = i % 20 === 0; // placement leaves nothing behind either; kept to a few rounds for speed
      const domid = await libxl_domain_create_new(h.ctx, d);
      expect((await xc_domain_getinfo_single(h.xch, domid)).tot_pages).toBe(8 * 256 - 0x20 + 16);
      await libxl_domain_destroy(h.ctx, domid);
    }
    clock.advance(3_600_000_000_000n);
    await xc_physinfo(h.xch); // a hypercall runs the idle scrubber
    for (let n = 0; n < 4; n++) expect(h.xen.heap.node_need_scrub(n)).toBe(0);
    expect(await hostState(h)).toEqual(start);
  }, 180_000);
});

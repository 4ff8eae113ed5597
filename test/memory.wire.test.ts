// memory_op and the memory domctls over the real wire: conformance statements 29-31, 37-39,
// 45-65, 70, 71 and 78 of xen-hypervisor.md section 13 (xen/common/memory.c: do_memory_op,
// populate_physmap, decrease_reservation; xen/common/page_alloc.c: alloc_heap_pages,
// get_free_buddy, assign_pages, domain_set_outstanding_pages), and the XSA negative tests.
import { describe, expect, it } from 'vitest';
import type { HypervisorClient } from '../proto/generated/xen/Hypervisor.js';
import type { xen_memory_reservation } from '../proto/generated/xen/xen_memory_reservation.js';
import { XENMEMF_exact_node, XENMEMF_node, XENMEMF_vnode } from '../proto/public/xenmem_flags.js';
import { useHost, type Host } from './harness.js';
import type { multicall_entry } from '../proto/generated/xen/multicall_entry.js';
import { domctl, DOMCTL_V, memoryOp, multicall, physinfoReq, stream, sysctl } from './wire.js';

const DOMID_ANY = 0x7ff5;
const DOMID_SELF = 0x7ff0;
const HVM = 3; // XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap
const POPULATE = 6;
const INCREASE = 0;
const DECREASE = 1;
const CLAIM = 24;
const EINVAL = '-22';

function client(h: Host): HypervisorClient {
  return h.xch.client;
}

async function create(h: Host, flags = HVM, maxPages?: number): Promise<number> {
  const r = await domctl(client(h), { cmd: 1, interface_version: DOMCTL_V, domain: DOMID_ANY, createdomain: { flags, max_vcpus: 1 } });
  expect(r.rc).toBe('0');
  if (maxPages !== undefined) await maxMem(h, r.op!.domain, BigInt(maxPages) * 4n);
  return r.op!.domain;
}

async function maxMem(h: Host, domid: number, kb: bigint): Promise<string> {
  return (await domctl(client(h), { cmd: 11, interface_version: DOMCTL_V, domain: domid, max_mem: { max_memkb: kb.toString() } })).rc;
}

async function destroy(h: Host, domid: number): Promise<void> {
  expect((await domctl(client(h), { cmd: 2, interface_version: DOMCTL_V, domain: domid })).rc).toBe('0');
}

async function info(h: Host, domid: number): Promise<{ tot: number; max: number; claim: number }> {
  const r = await domctl(client(h), { cmd: 5, interface_version: DOMCTL_V, domain: domid, getdomaininfo: {} });
  const i = r.op!.getdomaininfo!;
  return { tot: Number(i.tot_pages), max: Number(i.max_pages), claim: Number(i.outstanding_pages) };
}

async function physinfo(h: Host): Promise<{ free: number; outstanding: number; scrub: number }> {
  const p = (await sysctl(client(h), physinfoReq)).op!.physinfo!;
  return { free: Number(p.free_pages), outstanding: Number(p.outstanding_pages), scrub: Number(p.scrub_pages) };
}

/** Pages the domain owns on each node (XenServer's XEN_DOMCTL_numa_op GET_NODE_PAGES). */
async function nodePages(h: Host, domid: number): Promise<number[]> {
  const r = await domctl(client(h), { cmd: 1101, interface_version: DOMCTL_V, domain: domid, numa_op: { op: 0, node_pages: { nr_nodes: 64, node_tot_pages: {} } } });
  expect(r.rc).toBe('0');
  return r.op!.numa_op!.node_pages!.node_tot_pages!.buf.map(Number);
}

const gfns = (n: number, order: number, base = 0): string[] => Array.from({ length: n }, (_, i) => String(base + i * 2 ** order));

function res(domid: number, nr: number, order: number, mem_flags = 0, list: string[] | null = gfns(nr, order)): xen_memory_reservation {
  return { domid, nr_extents: String(nr), extent_order: order, mem_flags, extent_start: list === null ? null : { buf: list } };
}

async function op(h: Host, cmd: number, r: xen_memory_reservation, caller?: number): Promise<string> {
  return (await memoryOp(client(h), { cmd, reservation: r }, caller)).rc;
}

async function claim(h: Host, domid: number, pages: number | string, extra: Partial<xen_memory_reservation> = {}, caller?: number): Promise<string> {
  return op(h, CLAIM, { domid, nr_extents: String(pages), extent_order: 0, mem_flags: 0, extent_start: null, ...extra }, caller);
}

describe('XEN_DOMCTL_max_mem and the max_pages limit (do_domctl, assign_pages)', () => {
  const h = useHost('2node');

  it('29: max_memkb 1048576 sets max_pages 262144; 2^64-1 sets 0xFFFFFFFF', async () => {
    const d = await create(h);
    expect(await maxMem(h, d, 1048576n)).toBe('0');
    expect((await info(h, d)).max).toBe(262144);
    expect(await maxMem(h, d, (1n << 64n) - 1n)).toBe('0');
    expect((await info(h, d)).max).toBe(0xffffffff);
    await destroy(h, d);
  });

  it('30: after max_mem lowers max_pages below tot_pages, populate_physmap returns 0 extents', async () => {
    const d = await create(h, HVM, 1024);
    expect(await op(h, POPULATE, res(d, 2, 9))).toBe('2');
    expect(await maxMem(h, d, 512n * 4n)).toBe('0'); // never fails, even below tot_pages
    expect(await op(h, POPULATE, res(d, 1, 0, 0, ['5000']))).toBe('0'); // assign_pages: -EPERM
    expect((await info(h, d)).tot).toBe(1024);
    await destroy(h, d);
  });

  it('31: populate_physmap stops at the first extent that would pass max_pages; reaching it exactly is allowed', async () => {
    const d = await create(h, HVM, 1000);
    expect(await op(h, POPULATE, res(d, 3, 9))).toBe('1'); // 512 fits, 1024 would not (-E2BIG)
    expect(await op(h, POPULATE, res(d, 600, 0, 0, gfns(600, 0, 4096)))).toBe('488'); // up to exactly 1000
    expect((await info(h, d)).tot).toBe(1000);
    await destroy(h, d);
  });
});

describe('physinfo and claims (do_sysctl, domain_set_outstanding_pages)', () => {
  const h = useHost('2node');

  it('37: scrub_pages is 0 even while a destroyed domain\'s pages wait to be scrubbed', async () => {
    const d = await create(h, HVM, 1 << 20);
    expect(await op(h, POPULATE, res(d, 4, 9))).toBe('4');
    await destroy(h, d);
    expect(h.xen.heap.node_need_scrub(0) + h.xen.heap.node_need_scrub(1)).toBeGreaterThanOrEqual(2048);
    expect((await physinfo(h)).scrub).toBe(0);
  });

  it('38, 39: a claim leaves free_pages alone; outstanding_pages is the sum of the domains\' claims', async () => {
    const before = await physinfo(h);
    const a = await create(h, HVM, 1 << 20);
    const b = await create(h, HVM, 1 << 20);
    expect(await claim(h, a, 1000)).toBe('0');
    expect(await claim(h, b, 3000)).toBe('0');
    const after = await physinfo(h);
    expect(after.free).toBe(before.free);
    expect(after.outstanding).toBe((await info(h, a)).claim + (await info(h, b)).claim);
    expect(after.outstanding).toBe(before.outstanding + 4000);
    await destroy(h, a);
    await destroy(h, b);
    expect((await physinfo(h)).outstanding).toBe(before.outstanding); // 35
  });

  it('54, 55, 56, 61: 0 cancels; a second claim is -EINVAL; the target is absolute, above tot_pages, within max_pages', async () => {
    const d = await create(h, HVM);
    expect(await claim(h, d, 10)).toBe(EINVAL); // max_pages 0: every non-zero claim fails
    await maxMem(h, d, 4096n * 4n);
    expect(await op(h, POPULATE, res(d, 3, 0))).toBe('3');
    expect(await claim(h, d, 3)).toBe(EINVAL); // target <= tot_pages
    expect(await claim(h, d, 4097)).toBe(EINVAL); // target > max_pages
    expect(await claim(h, d, 10)).toBe('0');
    expect((await info(h, d)).claim).toBe(7); // 10 - tot_pages 3
    expect(await claim(h, d, 20)).toBe(EINVAL); // one claim at a time
    expect(await claim(h, d, 0)).toBe('0');
    expect((await info(h, d)).claim).toBe(0);
    expect(await claim(h, d, 0)).toBe('0'); // cancelling nothing succeeds too
    await destroy(h, d);
  });

  it('57: a claim above free - outstanding is -ENOMEM', async () => {
    const d = await create(h, HVM, 0xffffffff);
    const p = await physinfo(h);
    expect(await claim(h, d, p.free - p.outstanding + 1)).toBe('-12');
    expect(await claim(h, d, p.free - p.outstanding)).toBe('0');
    await destroy(h, d);
  });

  it('58, 59, 60: bad arguments are -EINVAL, a missing domain or DOMID_SELF too, and only the control domain may claim (-EPERM)', async () => {
    const d = await create(h, HVM, 4096);
    expect(await claim(h, d, 10, { mem_flags: XENMEMF_node(0) })).toBe(EINVAL);
    expect(await claim(h, d, 10, { extent_order: 1 })).toBe(EINVAL);
    expect(await claim(h, d, 10, { extent_start: { buf: [] } })).toBe(EINVAL);
    expect((await memoryOp(client(h), { cmd: CLAIM | (1 << 6), reservation: res(d, 10, 0, 0, null) })).rc).toBe(EINVAL);
    expect(await claim(h, 4321, 10)).toBe(EINVAL);
    expect(await claim(h, DOMID_SELF, 10)).toBe(EINVAL);
    expect(await claim(h, d, 10, {}, d)).toBe('-1');
    expect((await info(h, d)).claim).toBe(0);
    await destroy(h, d);
  });

  it('62: the mem-claim oracle: claim 4 MiB, populate one order-9 extent, 512 outstanding, destroy, 0 (tools/tests/mem-claim)', async () => {
    const base = (await physinfo(h)).outstanding;
    const d = await create(h, HVM);
    await maxMem(h, d, (1n << 64n) - 1n);
    expect(await claim(h, d, 1024)).toBe('0');
    expect((await physinfo(h)).outstanding).toBe(base + 1024);
    expect(await op(h, POPULATE, res(d, 1, 9))).toBe('1');
    expect((await physinfo(h)).outstanding).toBe(base + 512);
    await destroy(h, d);
    expect((await physinfo(h)).outstanding).toBe(base);
  });

  it('63: with almost all memory claimed, only the claimant\'s allocations up to its claim get through the gate', async () => {
    const a = await create(h, HVM, 0xffffffff);
    const b = await create(h, HVM, 0xffffffff);
    const p = await physinfo(h);
    expect(await claim(h, a, p.free - p.outstanding - 100)).toBe('0');
    expect(await op(h, POPULATE, res(b, 1, 7))).toBe('0'); // 128 unclaimed pages wanted, 100 left
    expect(await op(h, POPULATE, res(b, 1, 6))).toBe('1');
    expect(await op(h, POPULATE, res(a, 1, 9))).toBe('1'); // a's claim covers it
    expect((await info(h, a)).claim).toBe(p.free - p.outstanding - 100 - 512);
    await destroy(h, a);
    await destroy(h, b);
  });

  it('64: decrease_reservation never changes the claim (4.22)', async () => {
    const d = await create(h, HVM, 4096);
    expect(await op(h, POPULATE, res(d, 2, 9))).toBe('2');
    expect(await claim(h, d, 2048)).toBe('0');
    expect(await op(h, DECREASE, res(d, 1, 9))).toBe('1');
    expect(await info(h, d)).toMatchObject({ tot: 512, claim: 1024 });
    await destroy(h, d);
  });

  it('65: claiming for a domain that is gone is -EINVAL (a destroyed domain is not found)', async () => {
    const d = await create(h, HVM, 4096);
    await destroy(h, d);
    expect(await claim(h, d, 10)).toBe(EINVAL);
  });

  it('78: a claim consumed by an allocation whose assignment then fails is not given back', async () => {
    const d = await create(h, HVM, 1024);
    expect(await claim(h, d, 1024)).toBe('0');
    await maxMem(h, d, 256n * 4n);
    expect(await op(h, POPULATE, res(d, 1, 9))).toBe('0'); // allocated, claim consumed, assign -E2BIG
    expect(await info(h, d)).toMatchObject({ tot: 0, claim: 512 });
    await destroy(h, d);
  });
});

describe('reservation ops: counts, flags and privilege (do_memory_op, construct_memop_from_reservation)', () => {
  const h = useHost('4node');

  it('45: never negative: unknown domain, bad address bits, an order above the caller\'s limit all answer start_extent', async () => {
    for (const cmd of [INCREASE, DECREASE, POPULATE]) {
      expect(await op(h, cmd, res(4321, 4, 0))).toBe('0');
      expect(await op(h, cmd, res(0, 4, 0, 5))).toBe('0'); // address_bits 5
      expect(await op(h, cmd, res(0, 4, 19))).toBe('0'); // above MAX_ORDER
      expect((await memoryOp(client(h), { cmd: cmd | (3 << 6), reservation: res(4321, 10, 0) })).rc).toBe('3');
    }
  });

  it('46: a domU populating itself may use order 9, not 10; the control domain may use 18', async () => {
    const d = await create(h, HVM, 1 << 20);
    expect(await op(h, POPULATE, res(DOMID_SELF, 1, 10), d)).toBe('0');
    expect(await op(h, POPULATE, res(DOMID_SELF, 1, 9), d)).toBe('1');
    expect(await op(h, POPULATE, res(d, 1, 18, 0, [String(1 << 18)]))).toBe('1');
    expect((await info(h, d)).tot).toBe(512 + (1 << 18));
    await destroy(h, d);
  });

  it('47: XENMEMF_node(3) = 0x400 and XENMEMF_exact_node(3) = 0x20400', () => {
    expect(XENMEMF_node(3)).toBe(0x400);
    expect(XENMEMF_exact_node(3)).toBe(0x20400);
  });

  it('48, 49: a domU\'s exact-node request fails and its plain hint is dropped; dom0 may not name node 100', async () => {
    const d = await create(h, HVM, 1 << 20);
    expect(await op(h, POPULATE, res(d, 1, 0, XENMEMF_exact_node(2)), d)).toBe('0');
    expect(await op(h, POPULATE, res(d, 1, 0, XENMEMF_node(2)), d)).toBe('1');
    expect(await op(h, POPULATE, res(d, 1, 0, XENMEMF_node(100), ['7']))).toBe('0');
    expect(await op(h, POPULATE, res(d, 1, 0, XENMEMF_exact_node(3), ['8']))).toBe('1');
    expect((await nodePages(h, d))[3]).toBe(1);
    await destroy(h, d);
  });

  it('50: an exact-node populate returns the extents done before the node runs out and never uses another node', async () => {
    const d = await create(h, HVM, 0xffffffff);
    const free1 = h.xen.heap.node_avail_pages[1]!;
    const want = Math.floor(free1 / 2 ** 18) + 5;
    const done = Number(await op(h, POPULATE, res(d, want, 18, XENMEMF_exact_node(1))));
    expect(done).toBe(Math.floor(free1 / 2 ** 18));
    const pages = await nodePages(h, d);
    expect(pages[1]).toBe(done * 2 ** 18);
    expect(pages[0]! + pages[2]! + pages[3]!).toBe(0);
    await destroy(h, d);
  });

  it('51: without a node, successive allocations alternate over node affinity {0,1}, starting after last_alloc_node 0', async () => {
    const d = await create(h, HVM, 1 << 20);
    const map = { nr_bits: 64, bitmap: { buf: Buffer.from([0b11, 0, 0, 0, 0, 0, 0, 0]) } };
    expect((await domctl(client(h), { cmd: 68, interface_version: DOMCTL_V, domain: d, nodeaffinity: { nodemap: map } })).rc).toBe('0');
    expect(await op(h, POPULATE, res(d, 1, 9))).toBe('1');
    expect((await nodePages(h, d)).slice(0, 4)).toEqual([0, 512, 0, 0]);
    expect(await op(h, POPULATE, res(d, 3, 9, 0, gfns(3, 9, 512)))).toBe('3');
    expect((await nodePages(h, d)).slice(0, 4)).toEqual([1024, 1024, 0, 0]);
    await destroy(h, d);
  });

  it('52: with no vNUMA configured the vnode flag is ignored', async () => {
    const d = await create(h, HVM, 1 << 20);
    expect(await op(h, POPULATE, res(d, 1, 0, XENMEMF_vnode | XENMEMF_exact_node(7)))).toBe('1');
    await destroy(h, d);
  });

  it('53: address_bits 1..12 fail; 32 keeps a PV domain\'s frames below 4 GiB', async () => {
    const d = await create(h, 0, 1 << 20);
    for (let bits = 1; bits <= 12; bits++) expect(await op(h, POPULATE, res(d, 1, 0, bits))).toBe('0');
    const r = await memoryOp(client(h), { cmd: POPULATE, reservation: res(d, 8, 9, 32) });
    expect(r.rc).toBe('8');
    const mfns = r.op!.reservation!.extent_start!.buf.map(Number);
    expect(mfns).toHaveLength(8);
    for (const m of mfns) expect(m + 512).toBeLessThanOrEqual(1 << 20);
    await destroy(h, d);
  });

  it('PV: populate writes the MFNs back, decrease takes MFNs and stops at a frame the domain does not own', async () => {
    const d = await create(h, 0, 4096);
    const r = await memoryOp(client(h), { cmd: POPULATE, reservation: res(d, 2, 9) });
    const mfns = r.op!.reservation!.extent_start!.buf;
    expect(r.rc).toBe('2');
    expect(await op(h, DECREASE, res(d, 3, 9, 0, [mfns[1]!, '1', mfns[0]!]))).toBe('1'); // MFN 1 is not d's
    expect((await info(h, d)).tot).toBe(512);
    await destroy(h, d);
  });

  it('PV increase_reservation stops where the caller\'s list ends (the copy faults), and never writes past it', async () => {
    const d = await create(h, 0, 4096);
    const r = await memoryOp(client(h), { cmd: INCREASE, reservation: res(d, 5, 0, 0, ['0']) });
    expect(r.rc).toBe('1'); // the second MFN has nowhere to go; that page stays allocated (Xen's out:)
    expect(r.op!.reservation!.extent_start!.buf).toHaveLength(1);
    expect((await info(h, d)).tot).toBe(2);
    const far = await memoryOp(client(h), { cmd: INCREASE | (0x3fffffe << 6), reservation: { ...res(d, 0x3ffffff, 0, 0, ['0']) } });
    expect(far.rc).toBe(String(0x3fffffe));
    expect(far.op!.reservation!.extent_start).toBeNull(); // nothing written: no 67-million-entry reply
    await destroy(h, d);
  });

  it('66: get_vnumainfo: -EINVAL for start_extent or pad, -ESRCH for no domain, then -EOPNOTSUPP (no vNUMA)', async () => {
    const d = await create(h, HVM, 4096);
    const q = async (cmd: number, vnuma: object, caller?: number): Promise<string> => (await memoryOp(client(h), { cmd, vnuma }, caller)).rc;
    expect(await q(26 | (1 << 6), { domid: d })).toBe(EINVAL);
    expect(await q(26, { domid: d, pad: 1 })).toBe(EINVAL);
    expect(await q(26, { domid: 4321 })).toBe('-3');
    expect(await q(26, { domid: d })).toBe('-95');
    expect(await q(26, { domid: DOMID_SELF }, d)).toBe('-95');
    expect(await q(26, { domid: 0 }, d)).toBe('-1'); // XSM_TARGET: not its own, not its device model's
    await destroy(h, d);
  });

  it('HVM: re-populating a GFN keeps the old RAM charged; decrease of an unpopulated GFN stops the loop', async () => {
    const d = await create(h, HVM, 4096);
    expect(await op(h, POPULATE, res(d, 1, 0, 0, ['100']))).toBe('1');
    expect(await op(h, POPULATE, res(d, 1, 0, 0, ['100']))).toBe('1');
    expect((await info(h, d)).tot).toBe(2);
    expect(await op(h, DECREASE, res(d, 2, 0, 0, ['100', '101']))).toBe('1');
    expect((await info(h, d)).tot).toBe(1); // the displaced page stays until the domain dies
    await destroy(h, d);
  });

  it('70, 71: current/maximum_reservation accept DOMID_SELF and answer -ESRCH for no domain; maximum_ram_page is max_page', async () => {
    const d = await create(h, HVM, 4096);
    expect(await op(h, POPULATE, res(d, 3, 0))).toBe('3');
    expect((await memoryOp(client(h), { cmd: 3, domain: { domid: DOMID_SELF } }, d)).rc).toBe('3');
    expect((await memoryOp(client(h), { cmd: 4, domain: { domid: DOMID_SELF } }, d)).rc).toBe('4096');
    expect((await memoryOp(client(h), { cmd: 3, domain: { domid: 4321 } })).rc).toBe('-3');
    expect((await memoryOp(client(h), { cmd: 4, domain: { domid: 4321 } })).rc).toBe('-3');
    expect((await memoryOp(client(h), { cmd: 14, domain: { domid: d } })).rc).toBe('2'); // max_mapped_pfn
    expect((await memoryOp(client(h), { cmd: 2 })).rc).toBe(String(h.xen.host.max_page));
    expect((await memoryOp(client(h), { cmd: 2 | (1 << 6) })).rc).toBe(EINVAL);
    await destroy(h, d);
  });
});

describe('security regressions: precise answers, server alive, state unchanged', () => {
  const h = useHost('4node');

  async function snapshot(d: number): Promise<unknown> {
    return { p: await physinfo(h), i: await info(h, d), n: await nodePages(h, d) };
  }

  it('XSA-31/158: a guest asking for huge orders gets 0 extents and nothing moves', async () => {
    const d = await create(h, HVM, 0xffffffff);
    const before = await snapshot(d);
    for (const cmd of [INCREASE, DECREASE, POPULATE])
      for (const order of [10, 18, 19, 31, 0xffffffff]) expect(await op(h, cmd, res(DOMID_SELF, 4, order, 0, gfns(4, 0)), d)).toBe('0');
    expect(await snapshot(d)).toEqual(before);
    await destroy(h, d);
  });

  it('XSA-231: every node field 0-255, from a guest and from dom0; bad ones fail precisely, good ones allocate where asked', async () => {
    const d = await create(h, HVM, 0xffffffff);
    const seen: unknown[] = [];
    for (let field = 0; field < 256; field++) {
      const flags = (field << 8) | (1 << 17);
      const s0 = JSON.stringify(await snapshot(d));
      const guest = await op(h, POPULATE, res(DOMID_SELF, 1, 0, flags, [String(5000 + field)]), d);
      const s1 = JSON.stringify(await snapshot(d));
      const dom0 = await op(h, POPULATE, res(d, 1, 0, flags, [String(1000 + field)]));
      const s2 = JSON.stringify(await snapshot(d));
      seen.push({ field, guest, guestMoved: s1 !== s0, dom0, dom0Moved: s2 !== s1 });
    }
    // Field 0 is no node, so the exact bit means nothing. A guest naming a node with the exact
    // bit is -EINVAL; dom0 gets nodes 0-3, and -EINVAL for >= 64 or no memory and no fallback for 4-63.
    expect(seen).toEqual(
      Array.from({ length: 256 }, (_, field) => {
        const ok = field === 0 || field - 1 < 4;
        return { field, guest: field === 0 ? '1' : '0', guestMoved: field === 0, dom0: ok ? '1' : '0', dom0Moved: ok };
      }),
    );
    expect((await info(h, d)).tot).toBe(6); // field 0 twice, nodes 0-3 once each
    expect((await nodePages(h, d)).slice(0, 4).every((n) => n >= 1)).toBe(true);
    await destroy(h, d);
  });

  it('XSA-385: an extent that would carry tot_pages past max_pages is refused (-E2BIG), tot_pages unchanged', async () => {
    const d = await create(h, HVM, 1000);
    expect(await op(h, POPULATE, res(d, 1, 9))).toBe('1');
    const before = await snapshot(d);
    expect(await op(h, POPULATE, res(d, 1, 9, 0, ['4096']))).toBe('0');
    expect(await op(h, INCREASE, res(d, 1, 9))).toBe('0');
    expect(await snapshot(d)).toEqual(before);
    await destroy(h, d);
  });

  it('nr_extents above UINT_MAX >> 6, and start_extent at or past nr_extents, answer start_extent', async () => {
    const d = await create(h, HVM, 4096);
    const before = await snapshot(d);
    expect(await op(h, POPULATE, { ...res(d, 1, 0), nr_extents: String(0x4000000) })).toBe('0');
    expect(await op(h, POPULATE, { ...res(d, 1, 0), nr_extents: '18446744073709551615' })).toBe('0');
    expect((await memoryOp(client(h), { cmd: POPULATE | (20 << 6), reservation: res(d, 10, 0) })).rc).toBe('20');
    expect((await memoryOp(client(h), { cmd: POPULATE | (10 << 6), reservation: res(d, 10, 0) })).rc).toBe('10');
    expect(await snapshot(d)).toEqual(before);
    await destroy(h, d);
  });
});

describe('long reservations are sliced with continuations and interleave (hypercall_create_continuation)', () => {
  const h = useHost('2node', { preempt_budget: { extents: 4, pages: 1 << 30 } });

  it('two domains populating node 1 at once share it, as two vCPUs would; each gets its cumulative count', async () => {
    const a = await create(h, HVM, 0xffffffff);
    const b = await create(h, HVM, 0xffffffff);
    const room = Math.floor(h.xen.heap.node_avail_pages[1]! / 2 ** 18);
    const [ra, rb] = await Promise.all([
      op(h, POPULATE, res(a, room, 18, XENMEMF_exact_node(1))),
      op(h, POPULATE, res(b, room, 18, XENMEMF_exact_node(1))),
    ]);
    expect(Number(ra) + Number(rb)).toBe(room);
    expect(Math.abs(Number(ra) - Number(rb))).toBeLessThanOrEqual(4); // slice by slice, not one after the other
    expect((await info(h, a)).tot).toBe(Number(ra) * 2 ** 18);
    expect((await info(h, b)).tot).toBe(Number(rb) * 2 ** 18);
    await destroy(h, a);
    await destroy(h, b);
  });

  it('a multicall is preempted too: its entries complete in order, and a concurrent multicall interleaves with it', async () => {
    const a = await create(h, HVM, 0xffffffff);
    const b = await create(h, HVM, 0xffffffff);
    const room = Math.floor(h.xen.heap.node_avail_pages[1]! / 2 ** 18);
    const entry = (d: number, nr: number, order: number, flags = 0, base = 0): multicall_entry => ({
      op: 12, memory_op: { cmd: POPULATE, reservation: res(d, nr, order, flags, gfns(nr, order, base)) },
    });
    const [ma, mb] = await Promise.all([
      multicall(client(h), { call_list: [entry(a, 10, 0, XENMEMF_exact_node(0)), entry(a, room, 18, XENMEMF_exact_node(1), 1 << 20), entry(a, 7, 0, XENMEMF_exact_node(0), 4096)] }),
      multicall(client(h), { call_list: [entry(b, room, 18, XENMEMF_exact_node(1), 1 << 20)] }),
    ]);
    const ra = ma.call_list.map((e) => Number(e.result));
    const rb = Number(mb.call_list[0]!.result);
    expect([ra[0], ra[2]]).toEqual([10, 7]);
    expect(ra[1]! + rb).toBe(room);
    expect(Math.min(ra[1]!, rb)).toBeGreaterThan(room / 4); // shared slice by slice, b ahead by a's first entry
    expect(ma.call_list[1]!.memory_op!.cmd).toBe(POPULATE); // the caller's cmd, not the continuation's
    expect((await info(h, a)).tot).toBe(17 + ra[1]! * 2 ** 18);
    await destroy(h, a);
    await destroy(h, b);
  });

  it('through hypercall_stream too, a continued memory_op, alone or in a multicall, comes back with the caller\'s cmd', async () => {
    const d = await create(h, HVM, 0xffffffff);
    // Six extents against this host's budget of four a slice: the last two are a continuation.
    const populate = (base: number): multicall_entry => ({ op: 12, memory_op: { cmd: POPULATE, reservation: res(d, 6, 9, 0, gfns(6, 9, base)) } });
    const [alone, inList] = await stream(client(h), [populate(0), { op: 13, multicall: { call_list: [populate(1 << 20)] } }]);
    expect([alone!.result, alone!.memory_op!.cmd]).toEqual(['6', POPULATE]);
    expect([inList!.result, inList!.multicall!.call_list[0]!.result, inList!.multicall!.call_list[0]!.memory_op!.cmd]).toEqual(['0', '6', POPULATE]);
    expect((await info(h, d)).tot).toBe(12 * 512);
    await destroy(h, d);
  });

  it('a continued call ends with what was done if its caller is destroyed between slices', async () => {
    const d = await create(h, HVM, 0xffffffff);
    const pending = op(h, POPULATE, res(DOMID_SELF, 64, 9), d);
    await new Promise((r) => setImmediate(r));
    await destroy(h, d);
    const done = Number(await pending);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(64);
  });
});

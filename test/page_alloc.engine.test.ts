// The heap allocator in the engine (xen/common/page_alloc.c): the buddy heap, get_free_buddy's
// node order, the claim gate, assign_pages, scrubbing, and the extent-based representations.
import { describe, expect, it } from 'vitest';
import { CONTINUATION } from '../hypervisor/continuation.js';
import { domain_node_pages, type Domain } from '../hypervisor/domain.js';
import { domain_create, domain_kill } from '../hypervisor/domain_create.js';
import { claim_memory } from '../hypervisor/domctl_memory.js';
import { alloc_domheap_pages, assign_pages, domain_set_outstanding_pages } from '../hypervisor/domheap.js';
import { GuestHandle } from '../hypervisor/guest_handle.js';
import { DOMID_ANY, nodeid } from '../hypervisor/ids.js';
import { ManualClock } from '../hypervisor/clock.js';
import { NUMA_NO_NODE } from '../hypervisor/numa.js';
import { P2m } from '../hypervisor/p2m.js';
import { flsl, MAX_ORDER, MEMF, memflags, pfn_to_zone } from '../hypervisor/page_alloc.js';
import { HYPERVISOR } from '../hypervisor/public/xen.js';
import { RangeSet } from '../hypervisor/rangeset.js';
import { FrameMap } from '../hypervisor/frame_map.js';
import { Xen, type XenBootOptions } from '../hypervisor/xen.js';
import { gfn, mfn } from '../hypervisor/ids.js';
import { preset } from './harness.js';

const GIB = 1 << 18;

function boot(name = '4node', o: Omit<XenBootOptions, 'topology'> = {}): Xen {
  return new Xen({ topology: preset(name), ...o });
}

function domU(xen: Xen, max_pages = 0xffffffff, hvm = true): Domain {
  const d = domain_create(xen, xen.domids.alloc(DOMID_ANY)!, {
    ssidref: 0, handle: new Uint8Array(16), flags: hvm ? 3 : 0, iommu_opts: 0, max_vcpus: 1, max_evtchn_port: 0,
    max_grant_frames: 0, max_maptrack_frames: 0, grant_opts: 0, altp2m_opts: 0, altp2m_nr: 0, vmtrace_size: 0, cpupool_id: 0,
    arch: { emulation_flags: 0, misc_flags: 0 },
  });
  if (typeof d === 'number') throw new Error(`domain_create: ${d}`);
  xen.add_domain(d);
  d.max_pages = max_pages;
  return d;
}

const pages = (xen: Xen, d: Domain): number[] => [...xen.host.node_online_map.bits()].map((n) => domain_node_pages(d, n));

function populate(xen: Xen, d: Domain, nr: number, order: number, mem_flags = 0, base = 0): number {
  const list = new GuestHandle(Array.from({ length: nr }, (_, i) => base + i * 2 ** order));
  return xen.hypercall(0 as never, { op: HYPERVISOR.memory_op, args: { cmd: 6, arg: { kind: 'reservation', op: { extent_start: list, nr_extents: nr, extent_order: order, mem_flags, domid: d.domain_id } } } });
}

describe('the buddy heap (init_heap_pages, alloc_heap_pages, free_heap_pages)', () => {
  it('a fresh node is 1 GiB blocks, except the low frames MFN 0 is kept out of', () => {
    const xen = boot('2node', { dom0_mem: '1G' });
    const blocks = [...xen.heap.blocks()];
    const big = blocks.filter(([, o]) => o === MAX_ORDER);
    expect(big.every(([m]) => m % GIB === 0)).toBe(true);
    // [1, 2^18) decomposes into one block of each order 0..17; nothing else is smaller.
    expect(blocks.filter(([, o]) => o < MAX_ORDER).map(([m, o]) => [m, o]).sort((a, b) => a[1]! - b[1]!)).toEqual(
      Array.from({ length: MAX_ORDER }, (_, o) => [2 ** o, o].map((x, i) => (i === 0 ? (o === 0 ? 1 : 2 ** o) : x))),
    );
    expect(big.length * GIB + (GIB - 1)).toBe(xen.heap.total_avail_pages);
  });

  it('a split keeps the upper half: an order-0 allocation from a 1 GiB block is its last frame', () => {
    const xen = boot('2node', { dom0_mem: '1G' });
    const node1 = xen.host.node_data[1]!;
    const got = xen.heap.alloc_heap_pages(1, 40, 0, memflags(MEMF.exact_node, 1), null)!;
    const top = node1.node_start_pfn + node1.node_spanned_pages;
    expect(got.node).toBe(1);
    expect(got.mfn % GIB).toBe(GIB - 1); // the top frame of some 1 GiB block
    expect(got.mfn).toBeLessThan(top);
    // The next one comes from the order-0 lower half left behind: the frame just below.
    expect(xen.heap.alloc_heap_pages(1, 40, 0, memflags(MEMF.exact_node, 1), null)!.mfn).toBe(got.mfn - 1);
  });

  it('freeing everything merges the buddies back into 1 GiB blocks', () => {
    const xen = boot('2node', { dom0_mem: '1G' });
    const before = [...xen.heap.blocks()].length;
    const d = domU(xen);
    expect(populate(xen, d, 3000, 0)).toBe(3000);
    expect(populate(xen, d, 37, 9, 0, 1 << 20)).toBe(37);
    expect([...xen.heap.blocks()].length).toBeGreaterThan(before);
    domain_kill(xen, d);
    expect([...xen.heap.blocks()].length).toBe(before);
    expect([...xen.heap.blocks()].filter(([, o]) => o === MAX_ORDER).length * GIB + GIB - 1).toBe(xen.heap.total_avail_pages);
  });

  it('counters agree: avail per zone sums to node_avail_pages, which sums to total_avail_pages; zones follow flsl(mfn)', () => {
    const xen = boot();
    const d = domU(xen);
    populate(xen, d, 100, 9);
    for (const n of xen.host.node_online_map.bits()) expect(xen.heap.avail[n]!.reduce((a, b) => a + b, 0)).toBe(xen.heap.node_avail_pages[n]);
    expect(xen.heap.node_avail_pages.reduce((a, b) => a + b, 0)).toBe(xen.heap.total_avail_pages);
    expect([0, 1, 2, 3, 4, 0x80000].map(pfn_to_zone)).toEqual([1, 1, 2, 2, 3, 20]);
    expect([2 ** 32 - 1, 2 ** 32, 2 ** 47 - 1, 2 ** 47, 2 ** 53 - 1].map(flsl)).toEqual([32, 33, 47, 48, 53]);
  });

  it('a 16 TiB 64-node host costs blocks, not pages: about one block per GiB', () => {
    const xen = boot('64node');
    expect(xen.host.total_pages).toBe(2 ** 32);
    expect(xen.heap.free_blocks).toBeLessThan(2 ** 32 / GIB + 64 * 20);
  });
});

describe('get_free_buddy node order (statements 50, 51)', () => {
  it('an exact-node request never leaves its node, even when it runs dry', () => {
    const xen = boot('4node');
    const d = domU(xen);
    const free2 = xen.heap.node_avail_pages[2]!;
    const done = populate(xen, d, 1000, MAX_ORDER, (3 << 8) | (1 << 17));
    expect(done).toBe(Math.floor(free2 / GIB));
    expect(pages(xen, d)).toEqual([0, 0, done * GIB, 0]);
  });

  it('without a node, allocations round-robin over node affinity from the node after last_alloc_node', () => {
    const xen = boot('4node');
    const d = domU(xen);
    d.node_affinity.clear(0);
    d.node_affinity.clear(3);
    d.last_alloc_node = nodeid(2);
    const order: number[] = [];
    for (let i = 0; i < 5; i++) {
      const got = alloc_domheap_pages(xen, d, 9, memflags());
      order.push(got!.node);
    }
    expect(order).toEqual([1, 2, 1, 2, 1]);
  });

  it('falls back to the other online nodes, ascending, once the affinity nodes are full', () => {
    const xen = boot('4node', { dom0_mem: '1G' });
    const d = domU(xen);
    for (const n of [0, 1, 3]) d.node_affinity.clear(n);
    // Fill node 2 completely.
    while (xen.heap.alloc_heap_pages(1, 40, MAX_ORDER, memflags(MEMF.exact_node, 2), null) !== null);
    while (xen.heap.alloc_heap_pages(1, 40, 0, memflags(MEMF.exact_node, 2), null) !== null);
    expect(xen.heap.node_avail_pages[2]).toBe(0);
    expect(alloc_domheap_pages(xen, d, 9, memflags())!.node).toBe(0);
    // A request naming node 3 outside the affinity starts at 3, then goes to the mask's first node.
    expect(alloc_domheap_pages(xen, d, 9, memflags(0, 3))!.node).toBe(3);
  });

  it('on more than one node, domheap allocations prefer frames above the DMA zone (4 GiB)', () => {
    const xen = boot('4node');
    const d = domU(xen);
    const got = alloc_domheap_pages(xen, d, 9, memflags(MEMF.exact_node, 0))!;
    expect(xen.heap.dma_bitsize).toBe(32);
    expect(got.mfn).toBeGreaterThanOrEqual(1 << 20);
  });

  it('address bits limit the zones: bits 32 keeps the block below 4 GiB', () => {
    const xen = boot('4node');
    const d = domU(xen, 0xffffffff, false);
    const got = alloc_domheap_pages(xen, d, 9, memflags(0, NUMA_NO_NODE, 32))!;
    expect(got.mfn + 512).toBeLessThanOrEqual(1 << 20);
  });
});

describe('claims in the allocator (alloc_heap_pages, domain_set_outstanding_pages)', () => {
  it('63: the gate refuses any allocation that would dip into claimed memory unless the claim covers it', () => {
    const xen = boot('2node');
    const a = domU(xen);
    const b = domU(xen);
    const free = xen.heap.total_avail_pages;
    expect(domain_set_outstanding_pages(xen, a, free - 10, nodeid(NUMA_NO_NODE))).toBe(0);
    expect(xen.heap.alloc_heap_pages(1, 40, 4, memflags(), null)).toBeNull(); // no domain: unclaimed only
    expect(alloc_domheap_pages(xen, b, 4, memflags())).toBeNull();
    expect(alloc_domheap_pages(xen, b, 3, memflags())).not.toBeNull();
    expect(domain_set_outstanding_pages(xen, a, 0, nodeid(NUMA_NO_NODE))).toBe(0);
    expect(domain_set_outstanding_pages(xen, a, xen.heap.total_avail_pages - 2, nodeid(NUMA_NO_NODE))).toBe(0);
    const small = domU(xen);
    expect(alloc_domheap_pages(xen, small, 2, memflags())).toBeNull(); // 4 wanted, 2 unclaimed
    expect(alloc_domheap_pages(xen, small, 1, memflags())).not.toBeNull(); // exactly the 2 unclaimed
    expect(alloc_domheap_pages(xen, a, MAX_ORDER, memflags())).not.toBeNull();
    // A claim smaller than the request counts as none.
    expect(domain_set_outstanding_pages(xen, a, 0, nodeid(NUMA_NO_NODE))).toBe(0);
    const t = a.tot_pages;
    expect(domain_set_outstanding_pages(xen, a, t + xen.heap.total_avail_pages - 1, nodeid(NUMA_NO_NODE))).toBe(0);
    a.outstanding_pages = 100; // shrink it by hand: outstanding_claims stays near all free memory
    expect(alloc_domheap_pages(xen, a, 9, memflags())).toBeNull();
  });

  it('consumption happens at allocation, whatever the node, and is lost when assign_pages then fails (78)', () => {
    const xen = boot('2node');
    const d = domU(xen, 4096);
    expect(domain_set_outstanding_pages(xen, d, 2048, nodeid(NUMA_NO_NODE))).toBe(0);
    expect(alloc_domheap_pages(xen, d, 9, memflags(MEMF.exact_node, 0))).not.toBeNull();
    expect(alloc_domheap_pages(xen, d, 9, memflags(MEMF.exact_node, 1))).not.toBeNull();
    expect(d.outstanding_pages).toBe(1024);
    d.max_pages = 1024;
    expect(alloc_domheap_pages(xen, d, 9, memflags())).toBeNull();
    expect(d.outstanding_pages).toBe(512);
    expect(xen.heap.outstanding_claims).toBe(512);
  });

  it('XSA-385: assign_pages refuses an extent that would wrap the 32-bit tot_pages', () => {
    const xen = boot('2node');
    const d = domU(xen, 0xffffffff);
    d.tot_pages = 0xffffffff - 100;
    expect(assign_pages(d, { mfn: 4096, node: nodeid(0), dirty: 0 }, 512, 0)).toBe(-7); // -E2BIG
    expect(d.tot_pages).toBe(0xffffffff - 100);
    expect(d.owned[0]!.total).toBe(0);
  });
});

describe('node claims behind feature flags (sections 10.2 and 10.5)', () => {
  it('xenserver: a node claim is staked against the node, consumed only there, and pins the domain to it', () => {
    const xen = boot('2node', { node_claims: 'xenserver' });
    const d = domU(xen);
    const other = domU(xen);
    const free1 = xen.heap.node_avail_pages[1]!;
    expect(domain_set_outstanding_pages(xen, d, free1 + 1, nodeid(1))).toBe(-12);
    expect(domain_set_outstanding_pages(xen, d, 1024, nodeid(5))).toBe(-2); // offline node: -ENOENT
    expect(domain_set_outstanding_pages(xen, d, free1 - 100, nodeid(1))).toBe(0);
    expect(xen.heap.node_claimed_pages[1]).toBe(free1 - 100);
    // Another domain's order-9 request cannot use node 1's unclaimed 100 pages: it goes to node 0.
    other.last_alloc_node = nodeid(0);
    expect(alloc_domheap_pages(xen, other, 9, memflags())!.node).toBe(0);
    // d's allocations stay on node 1 while the claim covers them, and consume it.
    expect(alloc_domheap_pages(xen, d, 9, memflags())!.node).toBe(1);
    expect(d.outstanding_pages).toBe(free1 - 100 - 512);
    expect(xen.heap.node_claimed_pages[1]).toBe(free1 - 100 - 512);
    // A request naming the other node is refused rather than placed where the claim is not
    // consumed (that would leave outstanding_claims above free memory), exact or not.
    expect(alloc_domheap_pages(xen, d, 9, memflags(MEMF.exact_node, 0))).toBeNull();
    expect(alloc_domheap_pages(xen, d, 9, memflags(0, 0))).toBeNull();
    expect(d.outstanding_pages).toBe(free1 - 100 - 512);
    domain_kill(xen, d);
    expect(xen.heap.node_claimed_pages[1]).toBe(0);
    expect(xen.heap.outstanding_claims).toBe(0);
  });
});

describe('claim sets (v7, section 10.5)', () => {
  it('a node claim fences the node off from others; allocations redeem the node claim, then the host part, then other nodes', () => {
    const xen = boot('2node', { node_claims: 'claim-sets' });
    const d = domU(xen);
    const other = domU(xen);
    const free0 = xen.heap.node_avail_pages[0]!;
    const set = (entries: { pages: number; target: number }[]): number =>
      claim_memory(xen, d, { claim_set: new GuestHandle(entries.map((e) => ({ ...e, cmd: 0 }))), nr_entries: entries.length, mode: 0 });
    expect(set([{ pages: free0 + 1, target: 0 }])).toBe(-12); // more than node 0 has unclaimed
    expect(set([{ pages: free0 - 100, target: 0 }, { pages: 512, target: 0x80000000 }])).toBe(0);
    expect(d.outstanding_pages).toBe(free0 - 100 + 512);
    expect(xen.heap.node_claimed_pages[0]).toBe(free0 - 100);
    // Another domain's order-9 request skips node 0 (100 unclaimed pages there) for node 1.
    expect(alloc_domheap_pages(xen, other, 9, memflags(0, 0))!.node).toBe(1);
    // d on node 1: no claim there, so the host part goes first ...
    expect(alloc_domheap_pages(xen, d, 9, memflags(MEMF.exact_node, 1))).not.toBeNull();
    expect([d.outstanding_pages, d.node_claims[0]]).toEqual([free0 - 100, free0 - 100]);
    // ... then node 0's claim is recalled.
    expect(alloc_domheap_pages(xen, d, 9, memflags(MEMF.exact_node, 1))).not.toBeNull();
    expect([d.outstanding_pages, d.node_claims[0], xen.heap.node_claimed_pages[0]]).toEqual([free0 - 612, free0 - 612, free0 - 612]);
    // On node 0 d's own claim covers it and is redeemed there.
    expect(alloc_domheap_pages(xen, d, 9, memflags(MEMF.exact_node, 0))).not.toBeNull();
    expect(d.node_claims[0]).toBe(free0 - 1124);
    expect(xen.heap.outstanding_claims).toBe(d.outstanding_pages);
    domain_kill(xen, d);
    expect([xen.heap.outstanding_claims, xen.heap.node_claimed_pages[0]]).toEqual([0, 0]);
  });
});

describe('scrubbing (free_domheap_pages, scrub_free_pages, bootscrub=idle)', () => {
  it('boot memory starts dirty; the idle scrubber cleans it at the configured rate on the injected clock', () => {
    const clock = new ManualClock();
    const xen = boot('2node', { clock, scrub_rate_pages_per_s: 1000 });
    const dirty0 = xen.heap.node_need_scrub(0);
    expect(dirty0).toBe(xen.heap.node_avail_pages[0]);
    clock.advance(3_000_000_000n);
    xen.idle();
    expect(xen.heap.node_need_scrub(0)).toBe(dirty0 - 3000);
    expect(xen.heap.node_avail_pages[0]).toBe(dirty0); // scrubbing does not change free memory
  });

  it('a live domain\'s frees are clean; a dying domain\'s are dirty until scrubbed', () => {
    const clock = new ManualClock();
    const xen = boot('2node', { clock, bootscrub: 'off', scrub_rate_pages_per_s: 1 << 20 });
    const d = domU(xen);
    expect(populate(xen, d, 4, 9)).toBe(4);
    const dec = xen.hypercall(0 as never, { op: HYPERVISOR.memory_op, args: { cmd: 1, arg: { kind: 'reservation', op: { extent_start: new GuestHandle([0]), nr_extents: 1, extent_order: 9, mem_flags: 0, domid: d.domain_id } } } });
    expect(dec).toBe(1);
    expect(xen.heap.node_need_scrub(0) + xen.heap.node_need_scrub(1)).toBe(0);
    domain_kill(xen, d);
    expect(xen.heap.node_need_scrub(0) + xen.heap.node_need_scrub(1)).toBe(1536);
    clock.advance(1_000_000_000n);
    xen.idle();
    expect(xen.heap.node_need_scrub(0) + xen.heap.node_need_scrub(1)).toBe(0);
    expect(xen.heap.scrubbed_idle_pages).toBe(1536);
  });

  it('allocation scrubs dirty pages inline; before creation finishes populate takes dirty blocks at once', () => {
    const xen = boot('2node'); // bootscrub=idle: everything free is dirty
    const d = domU(xen);
    expect(populate(xen, d, 1, MAX_ORDER)).toBe(1);
    expect(xen.heap.scrubbed_inline_pages).toBe(GIB);
  });
});

describe('continuations (hypercall_create_continuation)', () => {
  it('a long populate is sliced; each slice rewrites start_extent and the total is the same', () => {
    const xen = boot('2node', { preempt_budget: { extents: 10, pages: 1 << 30 } });
    const d = domU(xen);
    const args = { cmd: 6, arg: { kind: 'reservation' as const, op: { extent_start: new GuestHandle(Array.from({ length: 35 }, (_, i) => i)), nr_extents: 35, extent_order: 0, mem_flags: 0, domid: d.domain_id } } };
    const starts: number[] = [];
    let r: number | typeof CONTINUATION;
    while ((r = xen.hypercall_slice(0 as never, { op: HYPERVISOR.memory_op, args })) === CONTINUATION) starts.push(args.cmd >>> 6);
    expect(starts).toEqual([10, 20, 30]);
    expect(r).toBe(35);
    expect(d.tot_pages).toBe(35);
  });
});

describe('representations', () => {
  it('FrameMap agrees with a Map through random set/delete churn, keys past 2^32 included', () => {
    const m = new FrameMap<number>();
    const ref = new Map<number, number>();
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const deletes: [boolean, boolean][] = [];
    const gets: [number | undefined, number][] = [];
    for (let step = 0; step < 20000; step++) {
      const k = rnd(3) === 0 ? 2 ** 32 + rnd(64) * 2 ** 18 : rnd(512) * 2 ** rnd(19);
      if (rnd(2) === 0) {
        m.set(k, step);
        ref.set(k, step);
      } else deletes.push([m.delete(k), ref.delete(k)]);
      if (step % 997 === 0) for (const [key, v] of ref) gets.push([m.get(key), v]);
    }
    expect(deletes.filter(([a, b]) => a !== b)).toEqual([]);
    expect(deletes.some(([a]) => a)).toBe(true);
    expect(gets.filter(([a, b]) => a !== b)).toEqual([]);
    expect(gets.length).toBeGreaterThan(1000);
    expect(m.size).toBe(ref.size);
    expect([...m.values()].sort((a, b) => a - b)).toEqual([...ref.values()].sort((a, b) => a - b));
  });

  it('RangeSet merges neighbours, splits on removal, and counts what it holds', () => {
    const s = new RangeSet();
    s.add(10, 20);
    s.add(30, 40);
    s.add(20, 30);
    expect([...s]).toEqual([[10, 40]]);
    expect(s.remove(15, 25)).toBe(10);
    expect([...s]).toEqual([[10, 15], [25, 40]]);
    expect(s.countIn(0, 30)).toBe(10);
    expect(s.firstIn(15, 100)).toBe(25);
    expect(s.firstIn(15, 25)).toBe(-1);
    expect(() => s.add(12, 13)).toThrow(RangeError);
    expect(s.total).toBe(20);
  });

  it('RangeSet and P2m agree with page-by-page models through thousands of fragmenting updates (chunked runs)', () => {
    let seed = 777;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const U = 6000;
    const set = new RangeSet();
    const model = new Uint8Array(U);
    const p2m = new P2m();
    const pm = new Map<number, number>();
    const bad: string[] = [];
    for (let step = 0; step < 6000; step++) {
      const s = rnd(U - 8);
      const n = 1 + rnd(step < 3000 ? 2 : 8);
      if (rnd(3) !== 0) {
        // set: add the part of [s, s+n) not in the set, run by run
        for (let x = s; x < s + n; x++) if (model[x] === 0) {
          set.add(x, x + 1);
          model[x] = 1;
        }
        const m = rnd(1 << 20);
        p2m.add(gfn(s), mfn(m), n);
        for (let k = 0; k < n; k++) pm.set(s + k, m + k);
      } else {
        const removed = set.remove(s, s + n);
        let want = 0;
        for (let x = s; x < s + n; x++) {
          want += model[x]!;
          model[x] = 0;
        }
        if (removed !== want) bad.push(`step ${step}: removed ${removed}, want ${want}`);
        p2m.remove(gfn(s), n);
        for (let k = 0; k < n; k++) pm.delete(s + k);
      }
    }
    const runsFromModel: [number, number][] = [];
    for (let x = 0; x < U; x++) if (model[x] === 1) {
      const last = runsFromModel[runsFromModel.length - 1];
      if (last !== undefined && last[1] === x) last[1] = x + 1;
      else runsFromModel.push([x, x + 1]);
    }
    expect(bad).toEqual([]);
    expect(set.runs).toBeGreaterThan(512); // more than one chunk
    expect([...set]).toEqual(runsFromModel);
    expect(set.total).toBe(model.reduce((a, b) => a + b, 0));
    expect(set.countIn(1000, 2000)).toBe(model.slice(1000, 2000).reduce((a, b) => a + b, 0));
    const mapped: [number, number][] = [];
    for (const r of p2m) for (let k = 0; k < r.count; k++) mapped.push([r.gfn + k, r.mfn + k]);
    expect(mapped).toEqual([...pm].sort((a, b) => a[0] - b[0]));
    expect(p2m.entries).toBe(pm.size);
  });

  it('P2m coalesces contiguous runs, displaces what it overwrites, and never lowers max_mapped_pfn', () => {
    const p = new P2m();
    p.add(gfn(0), mfn(100), 10);
    p.add(gfn(10), mfn(110), 10);
    expect(p.runs).toBe(1);
    expect(p.add(gfn(5), mfn(500), 2)).toEqual([{ gfn: 5, mfn: 105, count: 2 }]);
    expect(p.runs).toBe(3);
    expect(p.lookup(gfn(6))).toEqual({ gfn: 6, mfn: 501, count: 1 });
    expect(p.remove(gfn(15), 100)).toEqual([{ gfn: 15, mfn: 115, count: 5 }]);
    expect(p.max_mapped_pfn).toBe(19);
    expect(p.entries).toBe(15);
  });
});

// Debug keys 'H' (xen/common/page_alloc.c: dump_heap) and 'q' (xen/common/keyhandler.c:
// dump_domains, with x86 dump_pageframe_info, rangeset_domain_printk and paging_dump_*_info)
// in the engine: the lines each prints, checked against the heap and domain state they report.
import { describe, expect, it } from 'vitest';
import { Bitmap } from '../hypervisor/bitmap.js';
import { ManualClock } from '../hypervisor/clock.js';
import type { Domain } from '../hypervisor/domain.js';
import { domain_create } from '../hypervisor/domain_create.js';
import { alloc_domheap_pages } from '../hypervisor/domheap.js';
import { GuestHandle } from '../hypervisor/guest_handle.js';
import { domid } from '../hypervisor/ids.js';
import { handle_keypresses } from '../hypervisor/keyhandler.js';
import { bitmap_list } from '../hypervisor/keyhandler_domains.js';
import { MAX_NUMNODES } from '../hypervisor/numa.js';
import { memflags, NR_ZONES } from '../hypervisor/page_alloc.js';
import { domain_set_running, domain_update_node_aff, sched_init_vcpu } from '../hypervisor/sched.js';
import { DEFAULT_SCRUB_RATE_PAGES_PER_S, Xen } from '../hypervisor/xen.js';
import type { xen_domctl_createdomain } from '../proto/public/domctl.js';
import { preset } from './harness.js';

/** Presses `keys` and returns the new console lines, prefix included, the ring cleared. */
function press(xen: Xen, keys: string): string[] {
  drain(xen);
  handle_keypresses(xen, [...keys].map((c) => c.charCodeAt(0)));
  return drain(xen);
}

function drain(xen: Xen): string[] {
  const op = { clear: 1, incremental: 0, pad: 0, index: 0, buffer: new GuestHandle<number>([]), count: 1 << 20 };
  expect(xen.console.read(op)).toBe(0);
  const text = Buffer.from(op.buffer.written ?? []).toString('latin1');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** The heap lines of 'H' as [node, zone, pages]. */
function heapLines(lines: string[]): [number, number, number][] {
  return lines.flatMap((l) => {
    const m = /^\(XEN\) heap\[node=(\d+)\]\[zone=(\d+)\] -> (\d+) pages$/.exec(l);
    return m === null ? [] : [[Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number]];
  });
}

/** "Node N has K unscrubbed pages" as a node -> K map. */
function unscrubbed(lines: string[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const l of lines) {
    const m = /^\(XEN\) Node (\d+) has (\d+) unscrubbed pages$/.exec(l);
    if (m !== null) out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

/** The lines of one domain's block, from "General information" up to the next block. */
function domainBlock(lines: string[], id: number): string[] {
  const start = lines.indexOf(`(XEN) General information for domain ${id}:`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && (l.startsWith('(XEN) General information') || l.startsWith('(XEN) Notifying guest')));
  return lines.slice(start, end);
}

const config = (over: Partial<xen_domctl_createdomain> = {}): xen_domctl_createdomain => ({
  ssidref: 0, handle: new Uint8Array(16), flags: 3, iommu_opts: 0, max_vcpus: 2, max_evtchn_port: 0, max_grant_frames: -1,
  max_maptrack_frames: -1, grant_opts: 0, altp2m_opts: 0, altp2m_nr: 0, vmtrace_size: 0, cpupool_id: 0,
  arch: { emulation_flags: 0, misc_flags: 0 }, ...over,
});

/** A toolstack-created domain with its vCPUs, on the domain list (domain_create + max_vcpus). */
function domU(xen: Xen, id: number, over: Partial<xen_domctl_createdomain> = {}): Domain {
  const d = domain_create(xen, domid(id), config(over));
  if (typeof d === 'number') throw new Error(`domain_create: ${d}`);
  for (let k = 0; k < d.max_vcpus; k++) d.vcpu.push(sched_init_vcpu(xen.host, xen.cpupool0_cpus, d, k));
  domain_update_node_aff(xen.host, xen.cpupool0_cpus, d);
  xen.add_domain(d);
  return d;
}

describe("'H': dump_heap", () => {
  it('lists all 41 zones of each node with memory, and nothing for the 60 nodes without (avail[node] NULL)', () => {
    const xen = new Xen({ topology: preset('4node') });
    const lines = press(xen, 'H');
    expect(lines[0]).toBe("(XEN) 'H' pressed -> dumping heap info (now = 0)");
    const heap = heapLines(lines);
    expect(heap.length).toBe(4 * NR_ZONES);
    expect(new Set(heap.map(([n]) => n))).toEqual(new Set([0, 1, 2, 3]));
    // In order: node by node, zone 0..40 within each.
    expect(heap.map(([n, z]) => n * NR_ZONES + z)).toEqual(Array.from({ length: 4 * NR_ZONES }, (_, i) => i));
    for (const [n, z, pages] of heap) expect(pages).toBe(xen.heap.avail[n]![z]);
  });

  it("each node's zones add up to node_avail_pages; dom0's 4 GiB came out of them", () => {
    const xen = new Xen({ topology: preset('4node') });
    const heap = heapLines(press(xen, 'H'));
    const sums = [0, 1, 2, 3].map((n) => heap.filter(([m]) => m === n).reduce((a, [, , p]) => a + p, 0));
    expect(sums).toEqual(xen.heap.node_avail_pages.slice(0, 4));
    const spanned = (n: number): number => xen.host.node_data[n]!.node_spanned_pages;
    // Node 0 has a hole below 4 GiB and keeps MFN 0 out of the heap; dom0 took 1 GiB from each node.
    expect(sums[1]).toBe(spanned(1) - (1 << 18));
    expect(sums.reduce((a, b) => a + b, 0)).toBe(xen.heap.total_avail_pages);
  });

  it('reports unscrubbed pages per node until the idle scrubber has cleaned them (bootscrub=idle)', () => {
    const clock = new ManualClock();
    const xen = new Xen({ topology: preset('4node'), clock });
    const before = unscrubbed(press(xen, 'H'));
    expect([...before.keys()]).toEqual([0, 1, 2, 3]);
    for (const n of [0, 1, 2, 3]) expect(before.get(n)).toBe(xen.heap.node_need_scrub(n));
    expect(before.get(1)).toBe(xen.heap.node_avail_pages[1]); // every free page of a fresh host is dirty

    clock.advance(10_000_000_000n); // 10 s at 1 GiB/s per node
    xen.idle();
    const lines = press(xen, 'H');
    expect(lines[0]).toBe("(XEN) 'H' pressed -> dumping heap info (now = 10000000000)");
    const after = unscrubbed(lines);
    expect(after.get(1)).toBe(before.get(1)! - 10 * DEFAULT_SCRUB_RATE_PAGES_PER_S);
    expect(after.get(0)).toBe(xen.heap.node_need_scrub(0));
    // Scrubbing moves pages between clean and dirty, not out of the heap.
    const heap = heapLines(lines);
    expect(heap.filter(([n]) => n === 1).reduce((a, [, , p]) => a + p, 0)).toBe(xen.heap.node_avail_pages[1]);

    clock.advance(100_000_000_000n);
    xen.idle();
    expect(unscrubbed(press(xen, 'H')).size).toBe(0);
  });

  it('bootscrub=on: no unscrubbed line at all', () => {
    const xen = new Xen({ topology: preset('2node'), bootscrub: 'on' });
    const lines = press(xen, 'H');
    expect(lines.filter((l) => l.includes('unscrubbed'))).toEqual([]);
    expect(heapLines(lines).length).toBe(2 * NR_ZONES);
  });
});

describe("'q': dump_domains", () => {
  it("dom0's general block: 3 references, its pages and max_pages, its vCPUs' pCPUs dirty, Linux PV's vm_assist", () => {
    const clock = new ManualClock();
    clock.advance(123_456_789n);
    const xen = new Xen({ topology: preset('4node'), dom0_mem: '4G,max:6G', clock });
    const d0 = xen.control_domain();
    const lines = press(xen, 'q');
    expect(lines[0]).toBe("(XEN) 'q' pressed -> dumping domain info (now = 123456789)");
    const block = domainBlock(lines, 0);
    expect(block.slice(0, 4)).toEqual([
      '(XEN) General information for domain 0:',
      '(XEN)     refcnt=3 dying=0 pause_count=0',
      `(XEN)     nr_pages=${d0.tot_pages} xenheap_pages=2 dirty_cpus={0-7} max_pages=${6 << 18}`,
      '(XEN)     handle=00000000-0000-0000-0000-000000000000 vm_assist=00000004',
    ]);
    expect(d0.tot_pages).toBe(4 << 18);
    // PV: no paging-assistance line; the rangesets follow.
    expect(block[4]).toBe('(XEN) Rangesets belonging to domain 0:');
    expect(block).toContain('(XEN)     I/O Ports  { 0-1f, 22-3f, 44-60, 62-91, 93-9f, a2-ef, f1-3f7, 400-407, 40c-4cf, 4d2-cf8, cfa-cfb, d00-ffff }');
    expect(block).toContain('(XEN)     log-dirty  { }');
    expect(block).toContain('(XEN)     DomPage list too long to display');
    expect(block).toContain(`(XEN)     XenPage ${xen.shared_info_frame(d0).toString(16).padStart(16, '0')}: caf=c000000000000001, taf=e400000000000001`);
    expect(block).toContain('(XEN) NODE affinity for domain 0: [0-3]');
  });

  it('one UNIT line and one VCPU line per vCPU, with its pCPU, running flag and affinities', () => {
    const xen = new Xen({ topology: preset('4node') });
    const block = domainBlock(press(xen, 'q'), 0);
    const vcpuLines = block.filter((l) => /^\(XEN\) {5}VCPU\d+:/.test(l));
    expect(vcpuLines.length).toBe(8);
    expect(vcpuLines[0]).toBe('(XEN)     VCPU0: CPU0 [has=T] poll=0 upcall_pend=00 upcall_mask=00 dirty_cpu=0');
    expect(vcpuLines[5]).toBe('(XEN)     VCPU5: CPU5 [has=F] poll=0 upcall_pend=00 upcall_mask=00 dirty_cpu=5');
    expect(block.filter((l) => l === '(XEN)   UNIT3 affinities: hard={0-63} soft={0-63}').length).toBe(1);
    // vCPU 0 runs; the others are blocked (VPF_blocked); a booted Linux PV has stopped its ticker.
    const i = block.indexOf(vcpuLines[1]!);
    expect(block.slice(i + 1, i + 3)).toEqual(['(XEN)     pause_count=0 pause_flags=1', '(XEN) No periodic timer']);
    expect(block[block.indexOf(vcpuLines[0]!) + 1]).toBe('(XEN)     pause_count=0 pause_flags=0');
  });

  it('a new HVM domU: paused once, HAP paging, empty rangesets, vCPUs down with their own affinities', () => {
    const xen = new Xen({ topology: preset('4node') });
    const d = domU(xen, 5, { handle: Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i) });
    // vCPU 1 pinned to node 2's CPUs (32-47), preferring 40-41.
    d.vcpu[1]!.cpu_hard_affinity = Bitmap.of(xen.host.nr_cpu_ids, Array.from({ length: 16 }, (_, i) => 32 + i));
    d.vcpu[1]!.cpu_soft_affinity = Bitmap.of(xen.host.nr_cpu_ids, [40, 41]);
    d.node_affinity = Bitmap.of(MAX_NUMNODES, [2, 3]);
    const lines = press(xen, 'q');
    expect(domainBlock(lines, 5)).toEqual([
      '(XEN) General information for domain 5:',
      '(XEN)     refcnt=2 dying=0 pause_count=1',
      '(XEN)     nr_pages=0 xenheap_pages=2 dirty_cpus={} max_pages=0',
      '(XEN)     handle=a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf vm_assist=00000000',
      '(XEN)     paging assistance: hap refcounts translate external ',
      '(XEN) Rangesets belonging to domain 5:',
      '(XEN)     Interrupts { }',
      '(XEN)     I/O Memory { }',
      '(XEN)     I/O Ports  { }',
      '(XEN)     log-dirty  { }',
      '(XEN) Memory pages belonging to domain 5:',
      '(XEN)     PoD entries=0 cachesize=0',
      `(XEN)     XenPage ${(xen.shared_info_frame(d)).toString(16).padStart(16, '0')}: caf=c000000000000001, taf=e400000000000001`,
      `(XEN)     XenPage ${(xen.shared_info_frame(d) + 0x8000).toString(16).padStart(16, '0')}: caf=c000000000000001, taf=e400000000000001`,
      '(XEN) NODE affinity for domain 5: [2-3]',
      '(XEN) VCPU information and callbacks for domain 5:',
      '(XEN)   UNIT0 affinities: hard={0-63} soft={0-63}',
      `(XEN)     VCPU0: CPU${d.vcpu[0]!.processor} [has=F] poll=0 upcall_pend=00 upcall_mask=01 `,
      '(XEN)     pause_count=0 pause_flags=2',
      '(XEN)     paging assistance: hap, 1 levels',
      '(XEN) No periodic timer',
      '(XEN)   UNIT1 affinities: hard={32-47} soft={40-41}',
      `(XEN)     VCPU1: CPU${d.vcpu[1]!.processor} [has=F] poll=0 upcall_pend=00 upcall_mask=01 `,
      '(XEN)     pause_count=0 pause_flags=2',
      '(XEN)     paging assistance: hap, 1 levels',
      '(XEN) No periodic timer',
    ]);
    // The VIRQ_DEBUG notifications come after every block: dom0's 8 vCPUs, then d5's 2.
    const notes = lines.filter((l) => l.startsWith('(XEN) Notifying guest'));
    expect(notes.length).toBe(10);
    expect(notes.at(-1)).toBe('(XEN) Notifying guest 5:1 (virq 1, port 0)');
    expect(lines.at(-1)).toBe(notes.at(-1));
  });

  it('a PV domU with fewer than 10 pages lists them; from 10 on it does not', () => {
    const xen = new Xen({ topology: preset('4node') });
    const d = domU(xen, 1, { flags: 0, max_vcpus: 1 });
    d.max_pages = 64;
    const frames = [0, 1, 2].map(() => alloc_domheap_pages(xen, d, 0, memflags())!.mfn);
    let block = domainBlock(press(xen, 'q'), 1);
    expect(block[1]).toBe('(XEN)     refcnt=3 dying=0 pause_count=1'); // + assign_pages' reference
    const dom = block.filter((l) => l.includes('DomPage'));
    expect(dom).toEqual([...frames].sort((a, b) => a - b).map((m) => `(XEN)     DomPage ${m.toString(16).padStart(16, '0')}: caf=8000000000000001, taf=0000000000000000`));
    expect(block).not.toContain('(XEN)     PoD entries=0 cachesize=0'); // PV
    // A PV vCPU keeps pv_vcpu_initialise's 100 Hz ticker until its guest runs.
    expect(block.at(-1)).toBe('(XEN) 100 Hz periodic timer (period 10 ms)');
    for (let i = 0; i < 7; i++) alloc_domheap_pages(xen, d, 0, memflags());
    block = domainBlock(press(xen, 'q'), 1);
    expect(d.tot_pages).toBe(10);
    expect(block.filter((l) => l.includes('DomPage'))).toEqual(['(XEN)     DomPage list too long to display']);
  });

  it('once unpaused, the domain runs: [has=T], dirty CPUs, events unmasked, long mode', () => {
    const xen = new Xen({ topology: preset('4node') });
    const d = domU(xen, 2);
    d.controller_pause_count = 0; // unpause_by_systemcontroller
    domain_set_running(d, true, xen.clock.now_ns());
    const block = domainBlock(press(xen, 'q'), 2);
    const [p0, p1] = [d.vcpu[0]!.processor, d.vcpu[1]!.processor];
    expect(block[1]).toBe('(XEN)     refcnt=2 dying=0 pause_count=0');
    expect(block[2]).toBe(`(XEN)     nr_pages=0 xenheap_pages=2 dirty_cpus={${bitmap_list(Bitmap.of(64, [p0, p1]))}} max_pages=0`);
    expect(block).toContain(`(XEN)     VCPU1: CPU${p1} [has=T] poll=0 upcall_pend=00 upcall_mask=00 dirty_cpu=${p1}`);
    expect(block).toContain('(XEN)     paging assistance: hap, 4 levels');
    expect(block).not.toContain('(XEN)     paging assistance: hap, 1 levels');
  });

  it('shadow paging for an HVM domain without HAP', () => {
    const xen = new Xen({ topology: preset('2node') });
    domU(xen, 3, { flags: 1, max_vcpus: 1 });
    const block = domainBlock(press(xen, 'q'), 3);
    expect(block[4]).toBe('(XEN)     paging assistance: shadow refcounts translate external ');
    expect(block).toContain('(XEN)     paging assistance: shadowed 2-on-3');
  });
});

describe("%*pbl (bitmap_list), as 'q' prints masks", () => {
  it('prints runs, single bits and nothing for an empty mask', () => {
    expect(bitmap_list(Bitmap.of(64, [0, 1, 2, 3, 5, 7, 8, 63]))).toBe('0-3,5,7-8,63');
    expect(bitmap_list(new Bitmap(64))).toBe('');
    expect(bitmap_list(Bitmap.of(8, [4]))).toBe('4');
    expect(bitmap_list(Bitmap.full(MAX_NUMNODES))).toBe('0-63');
  });
});

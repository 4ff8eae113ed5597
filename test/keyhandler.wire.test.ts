// Debug keys 'q' (xen/common/keyhandler.c: dump_domains) and 'H' (xen/common/page_alloc.c:
// dump_heap) over the wire: XEN_SYSCTL_debug_keys, then XEN_SYSCTL_readconsole, and the same
// through `xl debug-keys` and `xl dmesg` (tools/xl/xl_misc.c, xl_info.c: main_dmesg).
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../hypervisor/clock.js';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { NR_ZONES } from '../hypervisor/page_alloc.js';
import { DEFAULT_SCRUB_RATE_PAGES_PER_S } from '../hypervisor/xen.js';
import {
  xc_cpumap_setcpu,
  xc_domain_create,
  xc_domain_destroy,
  xc_domain_max_vcpus,
  xc_domain_unpause,
  xc_readconsolering,
  xc_send_debug_keys,
  xc_vcpu_getinfo,
  xc_vcpu_setaffinity,
} from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF, XEN_VCPUAFFINITY } from '../proto/public/domctl.js';
import { useHost, xl, type Host } from './harness.js';

/** Sends `keys` over sysctl debug_keys and returns what they printed (the ring cleared first). */
async function press(h: Host, keys: string): Promise<string[]> {
  await xc_readconsolering(h.xch, 16384, true, false);
  await xc_send_debug_keys(h.xch, keys);
  const text = (await xc_readconsolering(h.xch, 16384, true, false)).data.toString('latin1');
  return text.replace(/\n$/, '').split('\n');
}

function block(lines: string[], id: number): string[] {
  const start = lines.indexOf(`(XEN) General information for domain ${id}:`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && (l.startsWith('(XEN) General information') || l.startsWith('(XEN) Notifying guest')));
  return lines.slice(start, end);
}

const heapRe = /^\(XEN\) heap\[node=(\d+)\]\[zone=(\d+)\] -> (\d+) pages$/;
const cpus = (...ids: number[]): Uint8Array => {
  const m = new Uint8Array(8); // 64 CPUs on 4node
  for (const id of ids) xc_cpumap_setcpu(id, m);
  return m;
};
const node1 = Array.from({ length: 16 }, (_, i) => 16 + i);

describe("'q' over sysctl debug_keys", () => {
  const h = useHost('4node', { dom0_mem: '2G' });

  it("prints dom0's block with its pages, node affinity and 8 vCPUs", async () => {
    const lines = await press(h, 'q');
    expect(lines[0]).toBe("(XEN) 'q' pressed -> dumping domain info (now = 0)");
    const b = block(lines, 0);
    expect(b.slice(0, 3)).toEqual([
      '(XEN) General information for domain 0:',
      '(XEN)     refcnt=3 dying=0 pause_count=0',
      '(XEN)     nr_pages=524288 xenheap_pages=2 dirty_cpus={0-7} max_pages=4294967295',
    ]);
    expect(h.xen.control_domain().tot_pages).toBe(524288);
    expect(b).toContain('(XEN) NODE affinity for domain 0: [0-3]');
    expect(b.filter((l) => /^\(XEN\) {5}VCPU\d+: CPU\d+ /.test(l)).map((l) => /VCPU(\d+): CPU(\d+)/.exec(l)!.slice(1).join(':'))).toEqual(
      ['0:0', '1:1', '2:2', '3:3', '4:4', '5:5', '6:6', '7:7'],
    );
    expect(lines.filter((l) => l.startsWith('(XEN) Notifying guest 0:')).length).toBe(8);
  });

  it('follows a domU through pinning, unpause and destruction', async () => {
    const id = await xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 2 });
    await xc_domain_max_vcpus(h.xch, id, 2);
    for (const v of [0, 1]) await xc_vcpu_setaffinity(h.xch, id, v, cpus(...node1), cpus(20, 21), XEN_VCPUAFFINITY.HARD | XEN_VCPUAFFINITY.SOFT);
    let b = block(await press(h, 'q'), id);
    expect(b.slice(0, 3)).toEqual([
      `(XEN) General information for domain ${id}:`,
      '(XEN)     refcnt=2 dying=0 pause_count=1',
      '(XEN)     nr_pages=0 xenheap_pages=2 dirty_cpus={} max_pages=0',
    ]);
    // Both vCPUs on node 1: automatic node affinity {1}.
    expect(b).toContain(`(XEN) NODE affinity for domain ${id}: [1]`);
    expect(b.filter((l) => l.includes('affinities:'))).toEqual([
      '(XEN)   UNIT0 affinities: hard={16-31} soft={20-21}',
      '(XEN)   UNIT1 affinities: hard={16-31} soft={20-21}',
    ]);
    expect(b.filter((l) => l.includes('[has=F]')).length).toBe(2);

    await xc_domain_unpause(h.xch, id);
    b = block(await press(h, 'q'), id);
    expect(b[1]).toBe('(XEN)     refcnt=2 dying=0 pause_count=0');
    // Each vCPU's line names the pCPU getvcpuinfo reports, now running and holding its state.
    for (const v of [0, 1]) {
      const cpu = (await xc_vcpu_getinfo(h.xch, id, v)).cpu;
      expect(b).toContain(`(XEN)     VCPU${v}: CPU${cpu} [has=T] poll=0 upcall_pend=00 upcall_mask=00 dirty_cpu=${cpu}`);
    }
    expect(b.filter((l) => l === '(XEN)     paging assistance: hap, 4 levels').length).toBe(2);

    await xc_domain_destroy(h.xch, id);
    expect(block(await press(h, 'q'), id)).toEqual([]);
  });
});

describe("'H' over sysctl debug_keys", () => {
  const h = useHost('4node', { dom0_mem: '2G' });

  it("lists 41 zones per node adding up to each node's free pages, then the unscrubbed pages", async () => {
    const lines = await press(h, 'H');
    expect(lines[0]).toBe("(XEN) 'H' pressed -> dumping heap info (now = 0)");
    const heap = lines.flatMap((l) => {
      const m = heapRe.exec(l);
      return m === null ? [] : [[Number(m[1]), Number(m[3])]];
    });
    expect(heap.length).toBe(4 * NR_ZONES);
    const sums = [0, 1, 2, 3].map((n) => heap.filter(([m]) => m === n).reduce((a, [, p]) => a + p!, 0));
    expect(sums).toEqual(h.xen.heap.node_avail_pages.slice(0, 4));
    expect(lines.slice(-4)).toEqual([0, 1, 2, 3].map((n) => `(XEN) Node ${n} has ${h.xen.heap.node_need_scrub(n)} unscrubbed pages`));
    expect(h.xen.heap.node_need_scrub(2)).toBe(sums[2]); // nothing scrubbed yet: the clock has not moved
  });

  it('the idle scrubber runs before the hypercall: 5 s later each node has 5 s worth fewer dirty pages', async () => {
    const before = h.xen.heap.node_need_scrub(3);
    (h.xen.clock as ManualClock).advance(5_000_000_000n);
    const lines = await press(h, 'H');
    expect(lines[0]).toBe("(XEN) 'H' pressed -> dumping heap info (now = 5000000000)");
    expect(lines).toContain(`(XEN) Node 3 has ${before - 5 * DEFAULT_SCRUB_RATE_PAGES_PER_S} unscrubbed pages`);
  });
});

describe('xl debug-keys qH, then xl dmesg', () => {
  const h = useHost('4node', { dom0_mem: '2G' });

  it("prints the 'q' dump, then the 'H' dump, once", async () => {
    await xl(h, 'dmesg', '-c');
    expect((await xl(h, 'debug-keys', 'qH')).code).toBe(0);
    const out = await xl(h, 'dmesg', '-c');
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    const q = lines.indexOf("(XEN) 'q' pressed -> dumping domain info (now = 0)");
    const hh = lines.indexOf("(XEN) 'H' pressed -> dumping heap info (now = 0)");
    expect(q).toBe(0);
    expect(hh).toBeGreaterThan(lines.indexOf('(XEN) Notifying guest 0:7 (virq 1, port 0)'));
    expect(lines).toContain('(XEN)     nr_pages=524288 xenheap_pages=2 dirty_cpus={0-7} max_pages=4294967295');
    expect(lines.filter((l) => heapRe.test(l)).length).toBe(4 * NR_ZONES);
    expect(lines.at(-2)).toBe(`(XEN) Node 3 has ${h.xen.heap.node_need_scrub(3)} unscrubbed pages`);
    expect((await xl(h, 'dmesg')).stdout).toBe('');
  });
});

// `xenemu numa` over the wire (cli/storm/commands.ts numaMain): per-domain, per-node pages of
// whatever runs now, names from xenstore, the node from vCPU 0's soft affinity.
import { describe, expect, it } from 'vitest';
import { numaMain } from '../cli/storm/commands.js';
import { mib, type DomainRow, type NodeState } from '../cli/storm/report.js';
import { libxl_domain_create_new } from '../libxl/libxl_create.js';
import { LIBXL_DOMAIN_TYPE, libxl_domain_config_init, type libxl_domain_config } from '../libxl/libxl_types.js';
import { libxl_bitmap_alloc, libxl_bitmap_set } from '../libxl/libxl_utils.js';
import { xc_domain_getinfo_single } from '../libxc/xenctrl.js';
import { capture, useHost } from './harness.js';

function hvm(name: string, memory_mib: number): libxl_domain_config {
  const d = libxl_domain_config_init();
  d.c_info.type = LIBXL_DOMAIN_TYPE.HVM;
  d.c_info.name = name;
  d.b_info.max_vcpus = 2;
  d.b_info.avail_vcpus = libxl_bitmap_alloc(2);
  libxl_bitmap_set(d.b_info.avail_vcpus, 0);
  libxl_bitmap_set(d.b_info.avail_vcpus, 1);
  d.b_info.max_memkb = d.b_info.target_memkb = memory_mib * 1024;
  d.b_info.claim_mode = true;
  return d;
}

describe('xenemu numa', () => {
  const h = useHost('4node');

  it('two domains: names, pages per node summing to tot_pages, one node each, the node libxl placed them on', async () => {
    const a = await libxl_domain_create_new(h.ctx, hvm('alpha', 512));
    const b = await libxl_domain_create_new(h.ctx, hvm('beta', 1024));
    const c = capture();
    expect(await numaMain({ address: h.address, json: true }, c.out)).toBe(0);
    const j = JSON.parse(c.stdout()) as { nodes: NodeState[]; domains: DomainRow[] };
    expect(j.nodes.map((n) => n.node)).toEqual([0, 1, 2, 3]);
    expect(j.nodes.every((n) => n.cpus.length === 16)).toBe(true);
    expect(j.domains.map((d) => [d.domid, d.name])).toEqual([
      [0, 'Domain-0'],
      [a, 'alpha'],
      [b, 'beta'],
    ]);
    for (const d of j.domains) {
      expect(d.pages).toBe((await xc_domain_getinfo_single(h.xch, d.domid!)).tot_pages);
      expect(d.node_pages).toHaveLength(4);
    }
    for (const d of j.domains.slice(1)) {
      expect(d.nodes).toHaveLength(1);
      expect(d.intended_node).toBe(d.nodes[0]);
      expect(d.spilled_pages).toBe(0);
      expect(d.optimised).toBe(true);
    }
    expect(j.domains[0]!.intended_node).toBeNull(); // dom0's vCPUs may run anywhere

    const t = capture();
    expect(await numaMain({ address: h.address }, t.out)).toBe(0);
    const lines = t.stdout().split('\n');
    expect(lines[0]).toMatch(/^ID\s+Name\s+node0 MiB\s+node1 MiB\s+node2 MiB\s+node3 MiB\s+intended\s+spilled MiB\s+on nodes\s+optimised$/);
    const alpha = j.domains[1]!;
    expect(lines.find((l) => /^\d+\s+alpha\s/.test(l))?.split(/\s+/)).toEqual([String(a), 'alpha', ...alpha.node_pages.map(mib), String(alpha.intended_node), '0', String(alpha.nodes[0]), 'yes']);
    expect(alpha.pages).toBe((512 - 8) * 256 - 0x20 + 16); // less 8 MiB of video RAM and the VGA hole, plus the special pages
    expect(t.stdout()).toMatch(/^node3: 65536 MiB, [\d.]+ MiB free, CPUs 16$/m);
  });

  it('no server: a clear error, exit 1', async () => {
    const c = capture();
    expect(await numaMain({ address: '127.0.0.1:1' }, c.out)).toBe(1);
    expect(c.stderr()).toMatch(/^xenemu numa: .*no xenemu server at 127\.0\.0\.1:1/);
  });
});

describe('xenemu numa when reading the host fails', () => {
  const h = useHost('2node');

  it('a failure after connecting is a clear error and exit 1, not a crash', async () => {
    const real = h.xen.hypercall.bind(h.xen);
    h.xen.hypercall = () => {
      throw new Error('injected fault');
    };
    try {
      const c = capture();
      expect(await numaMain({ address: h.address }, c.out)).toBe(1);
      expect(c.stdout()).toBe('');
      expect(c.stderr()).toMatch(/^xenemu numa: reading the host failed: .+\n$/);
    } finally {
      h.xen.hypercall = real;
    }
  });
});

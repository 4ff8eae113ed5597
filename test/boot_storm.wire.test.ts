// `xenemu boot-storm` over the wire (cli/storm): the parallel-boot race pinned on the README's
// host, workload and seed (legacy xenopsd spills, current xenopsd with node claims does not),
// the documented fallbacks when a workload cannot fit, the libxl path, and the option checks.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { symmetricHost } from '../hypervisor/presets.js';
import { bootStorm, type Claims, type Toolstack } from '../cli/storm/boot_storm.js';
import { bootStormMain, type BootStormOpts } from '../cli/storm/commands.js';
import { main } from '../cli/xenemu.js';
import { expand, checkMix, type MixEntry } from '../cli/storm/workload.js';
import type { Summary, VmRow } from '../cli/storm/report.js';
import { capture, startHost } from './harness.js';

const MIB_PAGES = 256;

const synth = symmetricHost({ name: 'synth2', sockets: 2, nodesPerSocket: 1, coresPerNode: 2, threadsPerCore: 1, memPerNodeGiB: 2, cpuKhz: 2000000, distance: (a, b) => 10 + 11 * Math.abs(a - b) });

interface StormJson {
  nodes: { node: number; size_pages: number; free_pages: number }[];
  vms: VmRow[];
  others: { domid: number; node_pages: number[] }[];
  summary: Summary;
}

/** The README's command, through the CLI function, with --json. */
async function readmeStorm(toolstack: Toolstack, claims: Claims): Promise<StormJson> {
  const c = capture();
  const o: BootStormOpts = { topology: '4node', mix: 'storm/mix-4node-40.json', toolstack, claims, seed: 1, json: true };
  expect(await bootStormMain(o, c.out, false)).toBe(0);
  expect(c.stderr()).toBe('');
  return JSON.parse(c.stdout()) as StormJson;
}

/** The summary recomputed from the rows: the JSON totals must agree with them. */
function checkTotals(j: StormJson): void {
  const ok = j.vms.filter((v) => v.error === null);
  expect(j.summary).toEqual({
    vms: j.vms.length,
    started: ok.length,
    failed: j.vms.length - ok.length,
    on_one_node: ok.filter((v) => v.nodes.length === 1).length,
    optimised: ok.filter((v) => v.optimised).length,
    spread: ok.filter((v) => v.nodes.length > 1).length,
    spilled_vms: ok.filter((v) => v.spilled_pages > 0).length,
    spilled_pages: ok.reduce((s, v) => s + v.spilled_pages, 0),
    without_intended_node: ok.filter((v) => v.intended_node === null).length,
  });
  for (const v of ok) {
    expect(v.pages).toBe(v.node_pages.reduce((a, b) => a + b, 0));
    expect(v.spilled_pages).toBe(v.intended_node === null ? 0 : v.pages - v.node_pages[v.intended_node]!);
    expect(v.nodes).toEqual(v.node_pages.flatMap((p, n) => (p > 0 ? [n] : [])));
  }
  // Every page of every node is a domain's or free (what numainfo reports adds up).
  for (const n of j.nodes) {
    const used = [...ok, ...j.others].reduce((s, d) => s + (d.node_pages[n.node] ?? 0), 0);
    expect(used).toBeLessThanOrEqual(n.size_pages - n.free_pages);
  }
}

describe('the race, pinned: 4node, storm/mix-4node-40.json (20 x 8 GiB + 20 x 3 GiB, 2 vCPUs), seed 1', () => {
  it('legacy xenopsd leaves a VM spread over two nodes although each VM alone fits one node; current xenopsd with node claims puts every VM on one node', async () => {
    const legacy = await readmeStorm('xenopsd-legacy', 'none');
    checkTotals(legacy);
    expect(legacy.summary.started).toBe(40);
    // Each VM alone fits any node with room to spare.
    const smallestFree = Math.min(...legacy.nodes.map((n) => n.size_pages)) - 4096 * MIB_PAGES; // minus dom0's 4 GiB
    expect(Math.max(...legacy.vms.map((v) => v.memory_mib)) * MIB_PAGES).toBeLessThan(smallestFree);
    expect(legacy.summary.spread).toBeGreaterThanOrEqual(1);
    const spread = legacy.vms.filter((v) => v.nodes.length === 2);
    expect(spread.length).toBeGreaterThanOrEqual(1);
    for (const v of spread) {
      expect(v.intended_node).not.toBeNull();
      expect(v.spilled_pages).toBeGreaterThan(0);
    }
    expect(legacy.summary.spilled_pages).toBeGreaterThan(0);

    const current = await readmeStorm('xenopsd', 'node');
    checkTotals(current);
    expect(current.summary).toMatchObject({ vms: 40, started: 40, failed: 0, on_one_node: 40, spread: 0, spilled_pages: 0, without_intended_node: 0 });
    for (const v of current.vms) expect(v.nodes).toEqual([v.intended_node]);
  }, 120_000);
});

async function synthStorm(toolstack: Toolstack, claims: Claims, mix: MixEntry[], seed = 1): Promise<StormJson & { steps: number }> {
  const h = await startHost(synth, { dom0_mem: '1G', node_claims: 'xenserver' });
  try {
    const r = await bootStorm({ address: h.address, toolstack, claims, concurrency: 8, seed, vms: expand(checkMix(mix)) });
    return { nodes: r.nodes, vms: r.vms, others: r.others, summary: r.summary, steps: r.steps };
  } finally {
    await h.close();
  }
}

describe('workloads that cannot fit: the documented fallbacks, not a crash (2-node host, 2 GiB a node, dom0_mem=1G)', () => {
  it('a VM larger than any node: no single-node plan, no affinity, a global claim; it starts spread over both nodes', async () => {
    const j = await synthStorm('xenopsd', 'node', [
      { count: 1, memory: 2200, vcpus: 1 },
      { count: 1, memory: 300, vcpus: 1 },
    ]);
    checkTotals(j);
    const big = j.vms.find((v) => v.memory_mib === 2200)!;
    expect(big.error).toBeNull();
    expect(big.intended_node).toBeNull();
    expect(big.nodes).toEqual([0, 1]);
    expect(big.spilled_pages).toBe(0); // nothing intended, nothing spilled
    const small = j.vms.find((v) => v.memory_mib === 300)!;
    expect(small.nodes).toHaveLength(1);
    expect(j.summary).toMatchObject({ started: 2, failed: 0, without_intended_node: 1, spread: 1 });
  });

  it('two VMs the host cannot hold together: one placed on a node, the other fails with its reason', async () => {
    const j = await synthStorm('xenopsd', 'node', [{ count: 2, memory: 1800, vcpus: 1 }]);
    checkTotals(j);
    expect(j.summary).toMatchObject({ vms: 2, started: 1, failed: 1 });
    const failed = j.vms.find((v) => v.error !== null)!;
    expect(failed.error).toMatch(/ENOMEM|Not_enough_memory/);
    expect(failed.domid).toBeNull();
    expect(failed.node_pages).toEqual([0, 0]);
    const ok = j.vms.find((v) => v.error === null)!;
    expect(ok.nodes).toEqual([ok.intended_node]);
  });
});

describe('the libxl path', () => {
  it('runs and reports: claim_mode on (global), each VM on its placed node', async () => {
    const j = await synthStorm('libxl', 'global', [{ count: 3, memory: 256, vcpus: 1 }]);
    checkTotals(j);
    expect(j.summary).toMatchObject({ vms: 3, started: 3, failed: 0, on_one_node: 3, spilled_pages: 0 });
    for (const v of j.vms) {
      expect(v.intended_node).not.toBeNull();
      expect(v.nodes).toEqual([v.intended_node]);
      expect(v.pages).toBe((256 - 8) * MIB_PAGES - 0x20 + 16); // less 8 MiB of video RAM and the VGA hole, plus the special pages
    }
  });
});

describe('--address: a running server', () => {
  it('the VMs stay running afterwards; a second storm takes fresh names; with --destroy its VMs are gone', async () => {
    const h = await startHost(synth, { dom0_mem: '1G', node_claims: 'xenserver' });
    try {
      const c = capture();
      expect(await bootStormMain({ address: h.address, vms: 2, memory: 128, vcpus: 1, toolstack: 'xenopsd', seed: 3, json: true }, c.out, false)).toBe(0);
      const j = JSON.parse(c.stdout()) as StormJson;
      expect(j.summary).toMatchObject({ started: 2, on_one_node: 2 });
      expect(j.others.map((o) => o.domid)).toEqual([0]);
      const ids = h.xen.domains_in_order().map((d) => d.domain_id);
      expect(ids).toEqual([0, ...j.vms.map((v) => v.domid!).sort((a, b) => a - b)]);
      const d = capture();
      expect(await bootStormMain({ address: h.address, vms: 1, memory: 64, vcpus: 1, toolstack: 'libxl', seed: 3, json: true, destroy: true }, d.out, false)).toBe(0);
      const k = JSON.parse(d.stdout()) as StormJson;
      expect(k.summary.started).toBe(1);
      expect(k.vms.map((v) => v.name)).toEqual(['storm2-1']); // storm-1 is taken, and libxl refuses a name that exists
      expect(k.others.map((o) => o.domid)).toEqual(ids); // dom0 and the two VMs from before
      expect(h.xen.domains_in_order().map((x) => x.domain_id)).toEqual(ids); // the new one destroyed
    } finally {
      await h.close();
    }
  });
});

describe('terminal output', () => {
  it('a progress bar on stderr when it is a TTY, then the table and the summary; the SVG and HTML files written', async () => {
    const h = await startHost(synth, { dom0_mem: '1G', node_claims: 'xenserver' });
    const dir = mkdtempSync(path.join(tmpdir(), 'storm-'));
    try {
      const c = capture();
      const svg = path.join(dir, 's.svg');
      const html = path.join(dir, 's.html');
      expect(await bootStormMain({ address: h.address, vms: 2, memory: 64, vcpus: 1, toolstack: 'xenopsd-legacy', seed: 5, svg, html, destroy: true }, c.out, true)).toBe(0);
      expect(c.stderr()).toBe(`\r[${'#'.repeat(15)}${' '.repeat(15)}] 1/2 VMs\r[${'#'.repeat(30)}] 2/2 VMs\n`);
      const out = c.stdout();
      expect(out).toMatch(/^boot storm on 127\.0\.0\.1:\d+: 2 VMs via xenopsd-legacy, claims none, concurrency 2, seed 5\n/);
      expect(out).toMatch(/^\d+\s+storm-1\s+/m);
      expect(out).toMatch(/^VMs: 2; started 2, failed 0$/m);
      expect(readFileSync(svg, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(readFileSync(html, 'utf8')).toContain(readFileSync(svg, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await h.close();
    }
  });
});

describe('option checks: a clear error, exit 1, nothing started', () => {
  const run = async (o: Partial<BootStormOpts>): Promise<{ code: number; err: string }> => {
    const c = capture();
    const code = await bootStormMain({ toolstack: 'xenopsd', seed: 1, ...o }, c.out, false);
    expect(c.stdout()).toBe('');
    return { code, err: c.stderr() };
  };

  it('claims the toolstack cannot make', async () => {
    expect(await run({ toolstack: 'xenopsd-legacy', claims: 'node' })).toEqual({ code: 1, err: expect.stringMatching(/legacy xenopsd makes no claims/) });
    expect(await run({ toolstack: 'libxl', claims: 'node' })).toEqual({ code: 1, err: expect.stringMatching(/libxl has no per-node claim/) });
    expect(await run({ toolstack: 'xenopsd', claims: 'global' })).toEqual({ code: 1, err: expect.stringMatching(/claims per node with XenServer's libxc/) });
  });

  it('xenopsd --claims none (upstream libxc: no claim API) plans and places without claiming', async () => {
    // Every claim is ENOSYS there: each VM still gets its plan (an intended node) and starts.
    const j = await synthStorm('xenopsd', 'none', [{ count: 2, memory: 700, vcpus: 1 }]);
    checkTotals(j);
    expect(j.summary).toMatchObject({ started: 2, failed: 0 });
    expect(j.vms.every((v) => v.intended_node !== null)).toBe(true);
  });

  it('--claims node against a server without per-node claims', async () => {
    const h = await startHost(synth, { dom0_mem: '1G' });
    try {
      expect(await run({ address: h.address, vms: 1, memory: 64, vcpus: 1, claims: 'node' })).toEqual({ code: 1, err: expect.stringMatching(/has no per-node claims/) });
      expect(h.xen.domains_in_order()).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('an --svg or --html path that cannot be written: a clear error before any VM starts', async () => {
    const h = await startHost(synth, { dom0_mem: '1G', node_claims: 'xenserver' });
    try {
      expect(await run({ address: h.address, vms: 1, memory: 64, vcpus: 1, svg: '/nonexistent/dir/s.svg' })).toEqual({ code: 1, err: 'xenemu boot-storm: --svg: cannot write /nonexistent/dir/s.svg: ENOENT\n' });
      expect(await run({ address: h.address, vms: 1, memory: 64, vcpus: 1, html: tmpdir() })).toEqual({ code: 1, err: `xenemu boot-storm: --html: cannot write ${tmpdir()}: EISDIR\n` });
      expect(h.xen.domains_in_order()).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it('conflicting or out-of-bounds options', async () => {
    expect((await run({ address: '127.0.0.1:1', topology: '4node' })).err).toMatch(/one or the other/);
    expect((await run({ mix: 'x.json', vms: 3 })).err).toMatch(/--mix replaces/);
    expect((await run({ mix: '/nonexistent/mix.json' })).err).toMatch(/cannot read/);
    expect((await run({ mix: tmpdir() })).err).toMatch(/is not a regular file/);
    expect((await run({ mix: '/dev/zero' })).err).toMatch(/is not a regular file/);
    expect((await run({ topology: 'nosuch' })).err).toMatch(/neither a preset/);
    expect((await run({ address: '127.0.0.1:1', vms: 1 })).err).toMatch(/^xenemu boot-storm: .*no xenemu server at 127\.0\.0\.1:1/);
    expect((await run({ vms: 5000 })).err).toMatch(/count must be a whole number from 1 to 4096/);
    expect(await main(['boot-storm', '--concurrency', '0'])).toBe(1);
    expect(await main(['boot-storm', '--toolstack', 'xm'])).toBe(1);
    expect(await main(['boot-storm', '--seed', '-3'])).toBe(1);
  });
});

// xenopsd's Domain.build NUMA path over the wire (xenopsd/domain.ts): wait_xen_free_mem on an
// injected clock, build_pre's policies and fallbacks (current generation, XenServer node claims),
// the legacy numa_resources minimum, and the parallel-boot race pinned with a barrier.
//
// The race host: xenopsd's synthetic 2-node host (2 CPUs, 2 GiB per node, distance 10 + 11*|i-j|)
// booted with dom0_mem=1G, whose 1 GiB block comes from node 1: node 0 has 2 GiB - 4 KiB free,
// node 1 has 1 GiB. Four equal 600 MiB VMs (1 vCPU) each fit either node alone. Legacy xenopsd
// plans them all against the same free memory; NUMA.choose spreads by usage (0, 1, 0, 1), so two
// land on node 1, 1200 MiB into 1 GiB, and one of them spills onto node 0. With node claims the
// current xenopsd sees node 1's claimed memory and places them 0, 1, 0, 0: every VM on one node.
import { describe, expect, it } from 'vitest';
import { symmetricHost } from '../hypervisor/presets.js';
import type { HostTopology } from '../hypervisor/topology.js';
import { xc_cpumap_alloc, xc_domain_claim_pages, xc_interface_close, xc_interface_open, xc_domain_destroy, xc_domain_getinfo_single, xc_domain_max_vcpus, xc_vcpu_getaffinity, type xc_cpumap_t } from '../libxc/xenctrl.js';
import { XEN_VCPUAFFINITY } from '../proto/public/domctl.js';
import { XEN_ERRNO } from '../proto/public/errno.js';
import { XEN_SYSCTL } from '../proto/public/sysctl.js';
import { Mutex } from '../xenopsd/mutex.js';
import { Xenopsd, type BuildRequest, type Generation, type XenopsdOptions } from '../xenopsd/domain.js';
import { HVM } from '../xenopsd/memory_model.js';
import type { numa_affinity_policy } from '../xenopsd/policy.js';
import { Unix_error, domain_get_numa_info_node_pages, domain_numa_state, get_handle, numa_get_meminfo, numainfo, type LogLevel } from '../xenopsd/xenctrlext.js';
import { Domain_build_pre_failed, Not_enough_memory } from '../xenopsd/xenopsd_error.js';
import { startHost, useHost, type Host } from './harness.js';

const MiB = 1 << 20;
const PAGES_PER_MIB = 256;

const synth = (n: number): HostTopology =>
  symmetricHost({ name: `synth${n}`, sockets: n, nodesPerSocket: 1, coresPerNode: 2, threadsPerCore: 1, memPerNodeGiB: 2, cpuKhz: 2000000, distance: (a, b) => 10 + 11 * Math.abs(a - b) });

interface Logged { level: LogLevel; line: string }

function xenopsd(h: Host, generation: Generation, opts: Partial<XenopsdOptions> & { policy?: numa_affinity_policy } = {}): { x: Xenopsd; logs: Logged[]; sleeps: number[] } {
  const logs: Logged[] = [];
  const sleeps: number[] = [];
  const x = new Xenopsd({
    xch: h.xch,
    generation,
    log: (level, line) => logs.push({ level, line }),
    sleep: async (s) => void sleeps.push(s),
    ...opts,
  });
  return { x, logs, sleeps };
}

/** An HVM VM as xenopsd models it: static_max = target (no ballooning, so no PoD), no video RAM. */
const vm = (mib: number, vcpus: number, hard_affinity: number[][] = []): BuildRequest => ({ vcpus, memory: HVM.full_config(mib, 0, mib, vcpus, 1.0), hard_affinity });

const lines = (logs: Logged[], re: RegExp): Logged[] => logs.filter((l) => re.test(l.line));

function cpusOf(map: xc_cpumap_t): number[] {
  const out: number[] = [];
  for (let i = 0; i < map.length * 8; i++) if ((map[i >> 3]! & (1 << (i & 7))) !== 0) out.push(i);
  return out;
}

async function affinity(h: Host, domid: number, vcpu: number): Promise<{ hard: number[]; soft: number[] }> {
  const hard = await xc_cpumap_alloc(h.xch);
  const soft = await xc_cpumap_alloc(h.xch);
  await xc_vcpu_getaffinity(h.xch, domid, vcpu, hard, soft, XEN_VCPUAFFINITY.HARD | XEN_VCPUAFFINITY.SOFT);
  return { hard: cpusOf(hard), soft: cpusOf(soft) };
}

const nodesUsed = (pages: number[]): number => pages.filter((p) => p > 0).length;

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

/** make_hvm for the request, the body, then the domain destroyed whatever happened. */
async function withDomain<T>(h: Host, x: Xenopsd, req: BuildRequest, body: (domid: number) => Promise<T>): Promise<T> {
  const domid = await x.make_hvm(req.vcpus, req.memory);
  try {
    return await body(domid);
  } finally {
    await xc_domain_destroy(h.xch, domid);
  }
}

async function nodePages(x: Xenopsd, domid: number): Promise<number[]> {
  const r = await domain_get_numa_info_node_pages(x.xcext, domid);
  if (!r.ok) throw new Error(`node pages: ${r.error.code}`);
  return r.value;
}

async function claimedBytes(x: Xenopsd): Promise<number[]> {
  const r = await numa_get_meminfo(x.xcext);
  if (!r.ok) throw new Error(r.error.code);
  return r.value.map((m) => m.claimed);
}

/** A barrier for n parties: nobody passes until all have arrived (no timing involved). */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  return () => {
    if (++arrived === n) release();
    return all;
  };
}

describe('wait_xen_free_mem', () => {
  const h = useHost('4node');

  it('proceeds at once when free memory suffices: one physinfo, the t=0 line, no sleep', async () => {
    const { x, logs, sleeps } = xenopsd(h, 'current');
    expect(await x.wait_xen_free_mem(1024 * 1024)).toBe(true);
    expect(sleeps).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.level).toBe('debug');
    expect(logs[0]!.line).toMatch(/^Waited 0 second\(s\) for memory to become available: \d+ KiB free, 0 KiB scrub, 1048576 KiB required$/);
  });

  it('gives up at once with too little free memory and scrub_pages = 0 (what Xen 4.22 reports)', async () => {
    const { x, logs, sleeps } = xenopsd(h, 'current');
    expect(await x.wait_xen_free_mem(300 * 1024 * 1024)).toBe(false);
    expect(sleeps).toEqual([]);
    expect(logs.map((l) => l.line)).toEqual([expect.stringMatching(/^Waited 0 second\(s\) .* 0 KiB scrub, 314572800 KiB required$/)]);
  });

  it('build_pre raises Not_enough_memory with the bytes it wanted, and logs the failure', async () => {
    const { x, logs } = xenopsd(h, 'current');
    const req = vm(300 * 1024, 1);
    await withDomain(h, x, req, async (domid) => {
      const e = await x.build_pre(domid, req).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(Not_enough_memory);
      expect((e as Not_enough_memory).bytes).toBe(req.memory.required_host_free_mib * MiB);
      expect(lines(logs, /Failed waiting for Xen to free/)).toEqual([{ level: 'error', line: expect.stringMatching(new RegExp(`domid = ${domid}; Failed waiting for Xen to free ${req.memory.required_host_free_mib} MiB$`)) }]);
      expect((await xc_domain_getinfo_single(h.xch, domid)).outstanding_pages).toBe(0);
    });
  });

  it('with something to scrub it polls once a second on the injected sleep, logs at 0 and powers of two, and stops at 64 s', async () => {
    let polls = 0;
    const { x, logs, sleeps } = xenopsd(h, 'current', { physinfo: async () => (polls++, { free_pages: 10, scrub_pages: 5 }) });
    expect(await x.wait_xen_free_mem(1000)).toBe(false);
    expect(polls).toBe(65);
    expect(sleeps).toEqual(new Array(64).fill(1));
    expect(logs.map((l) => Number(/^Waited (\d+) /.exec(l.line)![1]))).toEqual([0, 1, 2, 4, 8, 16, 32, 64]);
    expect(logs[0]!.line).toBe('Waited 0 second(s) for memory to become available: 40 KiB free, 20 KiB scrub, 1000 KiB required');
  });

  it('legacy logs only at powers of two: nothing for the single check Xen 4.22 allows', async () => {
    const { x, logs } = xenopsd(h, 'legacy');
    expect(await x.wait_xen_free_mem(300 * 1024 * 1024)).toBe(false);
    expect(logs).toEqual([]);
    let polls = 0;
    const y = xenopsd(h, 'legacy', { physinfo: async () => (polls++, { free_pages: 10, scrub_pages: 5 }) });
    expect(await y.x.wait_xen_free_mem(1000)).toBe(false);
    expect(polls).toBe(65);
    expect(y.logs.map((l) => Number(/^Waited (\d+) /.exec(l.line)![1]))).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });

  it('returns true on the poll where the scrubber has freed enough', async () => {
    let t = 0;
    const { x, sleeps } = xenopsd(h, 'current', { physinfo: async () => ({ free_pages: t++ >= 3 ? 300 : 10, scrub_pages: 290 }) });
    expect(await x.wait_xen_free_mem(1000)).toBe(true);
    expect(sleeps).toEqual([1, 1, 1]);
  });
});

describe('current build_pre on 4node with XenServer node claims', () => {
  const h = useHost('4node', { node_claims: 'xenserver' });

  it('one VM that fits a node: single-node plan, node claim, soft affinity to the node, every page on it', async () => {
    const { x, logs } = xenopsd(h, 'current', { policy: 'Best_effort' });
    const req = vm(4096, 2);
    await withDomain(h, x, req, async (domid) => {
      const before = await claimedBytes(x);
      const node = await x.build_pre(domid, req);
      expect(node).not.toBeNull();
      const n = node!;
      const claimed = await claimedBytes(x);
      expect(claimed[n]! - before[n]!).toBe(4096 * MiB);
      expect(claimed.filter((_, i) => i !== n)).toEqual(before.filter((_, i) => i !== n));
      for (const v of [0, 1]) expect(await affinity(h, domid, v)).toEqual({ hard: range(0, 64), soft: range(16 * n, 16 * n + 16) });
      expect(lines(logs, /NUMAClaim/).map((l) => l.line)).toEqual([`NUMAClaim domid ${domid}: local claim on node ${n}: ${4096 * PAGES_PER_MIB} pages`]);
      expect(lines(logs, /setting vcpu affinity/)[0]!.line).toBe(`Domain.numa_placement: setting vcpu affinity for domain ${domid}: [${range(16 * n, 16 * n + 16).join('; ')}]`);

      const dom = await x.build(domid, req, node);
      expect(dom.memflags).toBe(0x20000 | ((n + 1) << 8)); // -mem_pnode n as XENMEMF_exact_node(n)
      const pages = await nodePages(x, domid);
      const tot = (await xc_domain_getinfo_single(h.xch, domid)).tot_pages;
      expect(tot).toBe(4096 * PAGES_PER_MIB - 0x20 + 16); // the VGA hole is not populated; 16 special/ioreq pages are
      expect(pages[n]).toBe(tot);
      expect(pages.reduce((a, b) => a + b, 0)).toBe(tot);
      expect(await claimedBytes(x)).toEqual(before); // meminit_hvm's out: cancels the claim
      expect(await domain_numa_state(x.xcext, domid)).toEqual({ optimised: true, nodes: 1, memory: pages.map((p) => p * 4096) });
    });
  });

  it('-mem_pnode ignored by xenguest (the public branch): the node claim alone keeps every page on the node', async () => {
    const { x } = xenopsd(h, 'current', { policy: 'Best_effort', mem_pnode: 'ignored' });
    const req = vm(1536, 1);
    await withDomain(h, x, req, async (domid) => {
      const n = await x.build_pre(domid, req);
      expect(n).not.toBeNull();
      const dom = await x.build(domid, req, n);
      expect(dom.memflags).toBe(0);
      const pages = await nodePages(x, domid);
      expect(pages[n!]).toBe(1536 * PAGES_PER_MIB - 0x20 + 16);
      expect(nodesUsed(pages)).toBe(1);
    });
  });

  it('bad requests are refused before any hypercall, the domain unchanged', async () => {
    const { x } = xenopsd(h, 'current', { policy: 'Best_effort' });
    const req = vm(256, 1);
    await withDomain(h, x, req, async (domid) => {
      await expect(x.build_pre(domid, { ...req, vcpus: 0 })).rejects.toThrow(/vcpus must be an integer in \[1, 128\]/);
      await expect(x.build_pre(domid, { ...req, hard_affinity: [[1.5]] })).rejects.toThrow(/not an integer/);
      await expect(x.build_pre(domid, { ...req, memory: { ...req.memory, build_claim_pages: -1 } })).rejects.toThrow(/build_claim_pages/);
      await expect(x.build(domid, req, 255)).rejects.toThrow(/-mem_pnode must be a node in \[0, 254\]/);
      const info = await xc_domain_getinfo_single(h.xch, domid);
      expect([info.tot_pages, info.outstanding_pages, info.max_vcpu_id]).toEqual([0, 0, 0xffffffff]); // no vCPUs: domain_max_vcpus never ran
    });
  });

  it('best_effort_hard pins the vCPUs (hard affinity) to the node', async () => {
    const { x } = xenopsd(h, 'current', { policy: 'Best_effort_hard' });
    const req = vm(1024, 2);
    await withDomain(h, x, req, async (domid) => {
      const n = await x.build_pre(domid, req);
      expect(n).not.toBeNull();
      expect((await affinity(h, domid, 1)).hard).toEqual(range(16 * n!, 16 * n! + 16));
      expect((await affinity(h, domid, 1)).soft).toEqual(range(0, 64));
    });
  });

  it('cores: 12 vCPUs need 12 physical cores under best_effort (two nodes, no affinity) but not under prio_mem_only (one node)', async () => {
    const req = vm(1024, 12);
    const be = xenopsd(h, 'current', { policy: 'Best_effort' });
    const a = await be.x.make_hvm(12, req.memory);
    const pm = xenopsd(h, 'current', { policy: 'Prio_mem_only' });
    const b = await pm.x.make_hvm(12, req.memory);
    try {
      expect(await be.x.build_pre(a, req)).toBeNull(); // a node has 16 CPUs but 8 cores
      expect(lines(be.logs, /can't fit a single NUMA node/)).toHaveLength(1);
      expect((await xc_domain_getinfo_single(h.xch, a)).outstanding_pages).toBe(req.memory.build_claim_pages);
      const n = await pm.x.build_pre(b, req);
      expect(n).not.toBeNull();
      expect((await affinity(h, b, 11)).soft).toEqual(range(16 * n!, 16 * n! + 16));
    } finally {
      await xc_domain_destroy(h.xch, a);
      await xc_domain_destroy(h.xch, b);
    }
  });

  it('a VM too big for one node: no affinity, a global claim of build_claim_pages', async () => {
    const { x, logs } = xenopsd(h, 'current', { policy: 'Best_effort' });
    const req = vm(80 * 1024, 2);
    await withDomain(h, x, req, async (domid) => {
      const before = await claimedBytes(x);
      expect(await x.build_pre(domid, req)).toBeNull();
      expect(await affinity(h, domid, 0)).toEqual({ hard: range(0, 64), soft: range(0, 64) });
      expect((await xc_domain_getinfo_single(h.xch, domid)).outstanding_pages).toBe(req.memory.build_claim_pages);
      expect(await claimedBytes(x)).toEqual(before); // host-wide, on no node
      expect(lines(logs, /can't fit a single NUMA node/).map((l) => l.line)).toEqual([`Domain.numa_placement: domain ${domid} can't fit a single NUMA node, falling back to default behaviour`]);
      expect(lines(logs, /global claim/).map((l) => l.line)).toEqual([`NUMAClaim domid ${domid}: global claim: ${80 * 1024 * PAGES_PER_MIB} pages`]);
    });
  });

  it('hard affinity given: the masks applied (first repeated, out-of-range CPUs dropped), NUMA skipped, no claim', async () => {
    const { x, logs } = xenopsd(h, 'current', { policy: 'Best_effort' });
    const req = vm(1024, 3, [[5, 6, 999, -1], [7]]);
    await withDomain(h, x, req, async (domid) => {
      expect(await x.build_pre(domid, req)).toBeNull();
      expect((await affinity(h, domid, 0)).hard).toEqual([5, 6]);
      expect((await affinity(h, domid, 1)).hard).toEqual([7]);
      expect((await affinity(h, domid, 2)).hard).toEqual([5, 6]);
      expect(lines(logs, /skipping NUMA optimization/)).toEqual([{ level: 'debug', line: 'VM has hard affinity set, skipping NUMA optimization' }]);
      expect((await xc_domain_getinfo_single(h.xch, domid)).outstanding_pages).toBe(0);
    });
  });

  it('policy any: no placement, no claim, no affinity', async () => {
    const { x, logs } = xenopsd(h, 'current', { policy: 'Any' });
    const req = vm(1024, 2);
    await withDomain(h, x, req, async (domid) => {
      expect(await x.build_pre(domid, req)).toBeNull();
      expect((await xc_domain_getinfo_single(h.xch, domid)).outstanding_pages).toBe(0);
      expect(await affinity(h, domid, 0)).toEqual({ hard: range(0, 64), soft: range(0, 64) });
      expect(lines(logs, /NUMA/)).toEqual([]);
    });
  });

  it('node claims unavailable in the stubs (ENOSYS): affinity anyway, then the global claim', async () => {
    const { x, logs } = xenopsd(h, 'current', { policy: 'Best_effort', node_claims_api: false });
    const req = vm(1024, 1);
    await withDomain(h, x, req, async (domid) => {
      expect(await x.build_pre(domid, req)).toBeNull();
      expect((await affinity(h, domid, 0)).soft).toHaveLength(16);
      expect((await xc_domain_getinfo_single(h.xch, domid)).outstanding_pages).toBe(0); // the global claim is ENOSYS too: ignored
      expect(lines(logs, /local claim not available/).map((l) => l.line)).toEqual([`NUMAClaim domid ${domid}: local claim not available: xc_domain_claim_pages_node: Function not implemented`]);
      expect(lines(logs, /^Ignoring/)).toEqual([{ level: 'warn', line: 'Ignoring xc_domain_claim_pages_node: Function not implemented' }]);
    });
  });
});

describe('numa_get_meminfo without XEN_SYSCTL_numa_meminfo', () => {
  const h = useHost('4node', { node_claims: 'xenserver' });

  /** A handle whose numa_meminfo sysctl answers -errno before reaching Xen (a Xen without the patch); counts the sysctls. */
  async function handleRefusing(errno: number): Promise<{ xch: Awaited<ReturnType<typeof xc_interface_open>>; cmds: number[] }> {
    const xch = await xc_interface_open(h.address);
    const cmds: number[] = [];
    const client = xch.client as unknown as Record<string, unknown>;
    const real = (client.sysctl as (...a: unknown[]) => unknown).bind(xch.client);
    client.sysctl = (req: { cmd: number }, md: unknown, opts: unknown, cb: (e: null, r: unknown) => void) => {
      cmds.push(req.cmd);
      if (req.cmd === XEN_SYSCTL.numa_meminfo) return cb(null, { rc: String(-errno), op: req });
      return real(req, md, opts, cb);
    };
    return { xch, cmds };
  }

  for (const name of ['ENOSYS', 'EOPNOTSUPP'] as const)
    it(`${name}: falls back to xc_numainfo with claimed 0`, async () => {
      const { x } = xenopsd(h, 'current', { policy: 'Best_effort' });
      const req = vm(1024, 1);
      const domid = await x.make_hvm(1, req.memory);
      const { xch, cmds } = await handleRefusing(XEN_ERRNO[name]);
      try {
        const n = await x.build_pre(domid, req);
        const real = await numa_get_meminfo(x.xcext);
        expect(real.ok && real.value[n!]!.claimed).toBe(1024 * MiB);
        const fb = await numa_get_meminfo(get_handle(xch, () => {}));
        expect(cmds).toEqual([XEN_SYSCTL.numa_meminfo, XEN_SYSCTL.numainfo, XEN_SYSCTL.numainfo]);
        // Sizes are numainfo's memsize (spanned pages: node 0 spans the 1 GiB below-4G hole), not the present pages.
        const sizes = (await numainfo(x.xcext)).memory.map((m) => m.memsize);
        expect(sizes[0]).toBe(65 * 1024 * MiB);
        expect(fb).toEqual({ ok: true, value: real.ok ? real.value.map((m, i) => ({ size: sizes[i], free: m.free, claimed: 0 })) : [] });
      } finally {
        xc_interface_close(xch);
        await xc_domain_destroy(h.xch, domid);
      }
    });

  it('stubs built against upstream libxc (no XEN_SYSCTL_numa_meminfo) go straight to xc_numainfo: claimed 0 though a node claim is held', async () => {
    const { x } = xenopsd(h, 'current', { policy: 'Best_effort' });
    const req = vm(1024, 1);
    const domid = await x.make_hvm(1, req.memory);
    const { xch, cmds } = await handleRefusing(XEN_ERRNO.EINVAL);
    try {
      const n = await x.build_pre(domid, req);
      const upstream = await numa_get_meminfo(get_handle(xch, () => {}, false));
      expect(cmds).toEqual([XEN_SYSCTL.numainfo, XEN_SYSCTL.numainfo]);
      expect(upstream.ok && upstream.value[n!]!.claimed).toBe(0);
    } finally {
      xc_interface_close(xch);
      await xc_domain_destroy(h.xch, domid);
    }
  });

  it('another error is an Error outcome, and placement then gives up (the global claim still made)', async () => {
    const { xch, cmds } = await handleRefusing(XEN_ERRNO.EINVAL);
    const logs: Logged[] = [];
    const x = new Xenopsd({ xch, generation: 'current', policy: 'Best_effort', log: (level, line) => logs.push({ level, line }) });
    const req = vm(1024, 1);
    const domid = await x.make_hvm(1, req.memory);
    try {
      expect(await numa_get_meminfo(x.xcext)).toEqual({ ok: false, error: { code: 'EINVAL', fn: 'xc_numa_meminfo' } });
      expect(cmds).toEqual([XEN_SYSCTL.numa_meminfo]);
      expect(await x.build_pre(domid, req)).toBeNull();
      expect((await affinity(h, domid, 0)).soft).toEqual(range(0, 64));
      expect((await xc_domain_getinfo_single(h.xch, domid)).outstanding_pages).toBe(req.memory.build_claim_pages);
      expect(lines(logs, /Xenctrlext.HostNuma.numa_get_meminfo/).map((l) => l.line)).toContain('Xenctrlext.HostNuma.numa_get_meminfo: xc_numa_meminfo: Invalid argument');
    } finally {
      await xc_domain_destroy(h.xch, domid);
      xc_interface_close(xch);
    }
  });
});

describe('current build_pre on an upstream host (no node claims)', () => {
  const h = useHost('4node');

  it('the node claim is EINVAL: affinity anyway, the global claim holds, xenguest gets no node', async () => {
    const { x, logs } = xenopsd(h, 'current', { policy: 'Best_effort' });
    const req = vm(2048, 1);
    await withDomain(h, x, req, async (domid) => {
      expect(await x.build_pre(domid, req)).toBeNull();
      const soft = (await affinity(h, domid, 0)).soft;
      expect(soft).toHaveLength(16);
      expect((await xc_domain_getinfo_single(h.xch, domid)).outstanding_pages).toBe(req.memory.build_claim_pages);
      expect(lines(logs, /local claim not available/).map((l) => l.line)).toEqual([`NUMAClaim domid ${domid}: local claim not available: Error when trying to claim memory pages: Invalid argument`]);
      const dom = await x.build(domid, req, null);
      expect(dom.memflags).toBe(0);
      // Soft affinity alone steers the allocation (the domain's node affinity follows it).
      const pages = await nodePages(x, domid);
      expect(pages[soft[0]! >> 4]).toBe((await xc_domain_getinfo_single(h.xch, domid)).tot_pages);
    });
  });
});

describe('numa_hierarchy and numa_init', () => {
  const h = useHost(synth(2), { dom0_mem: '1G', node_claims: 'xenserver' });

  it('current: the hierarchy once per instance, then each node as free/size/claimed', async () => {
    const { x, logs } = xenopsd(h, 'current');
    const host = await x.numa_hierarchy();
    expect(await x.numa_hierarchy()).toBe(host);
    expect(host!.nodes()).toEqual([0, 1]);
    expect(host!.coreset_of_node(1)).toBe(2);
    await x.numa_init();
    expect(logs.map((l) => l.line)).toEqual([
      'Host NUMA information: Some {distances = [|[|10; 21|]; [|21; 10|]|]; cpu2node = [|0; 0; 1; 1|]; node_cpus = [|[0; 1]; [2; 3]|]; node_cores = [|2; 2|]}',
      `NUMA node 0: ${2048 * MiB - 4096}/${2048 * MiB}/0 memory free`,
      `NUMA node 1: ${1024 * MiB}/${2048 * MiB}/0 memory free`,
    ]);
  });

  it('legacy: each node as free/size from numainfo', async () => {
    const { x, logs } = xenopsd(h, 'legacy');
    await x.numa_init();
    expect(logs.map((l) => l.line).slice(1)).toEqual([`NUMA node 0: ${2048 * MiB - 4096}/${2048 * MiB} memory free`, `NUMA node 1: ${1024 * MiB}/${2048 * MiB} memory free`]);
  });

  it('NUMA.choose usage is per instance: a second xenopsd starts from zero', async () => {
    const req = vm(100, 1);
    const one = xenopsd(h, 'current');
    const two = xenopsd(h, 'current');
    const ids = [await one.x.make_hvm(1, req.memory), await one.x.make_hvm(1, req.memory), await two.x.make_hvm(1, req.memory)];
    try {
      expect(await one.x.build_pre(ids[0]!, req)).toBe(0);
      expect(await one.x.build_pre(ids[1]!, req)).toBe(1);
      expect(await two.x.build_pre(ids[2]!, req)).toBe(0);
    } finally {
      for (const d of ids) await xc_domain_destroy(h.xch, d);
    }
  });
});

describe('legacy hard affinity (handed to xenguest through platform/vcpu/<n>/affinity)', () => {
  const h = useHost(synth(2), { dom0_mem: '1G' });

  it('a mask skips NUMA placement; xenguest applies the masks (first repeated, out-of-range dropped)', async () => {
    const { x, logs } = xenopsd(h, 'legacy', { policy: 'Best_effort' });
    const req = vm(64, 2, [[3, 17]]);
    await withDomain(h, x, req, async (domid) => {
      expect(await x.build_pre(domid, req)).toBeNull();
      expect(lines(logs, /skipping NUMA optimization/)).toHaveLength(1);
      expect(x.numa_resources()).toBeNull();
      expect((await affinity(h, domid, 1)).hard).toEqual([0, 1, 2, 3]); // not yet: build_pre leaves it to xenguest
      await x.build(domid, req, null);
      expect(await affinity(h, domid, 0)).toEqual({ hard: [3], soft: [0, 1, 2, 3] });
      expect((await affinity(h, domid, 1)).hard).toEqual([3]);
    });
  });
});

describe('Mutex (numa_mutex)', () => {
  it('runs sections one at a time in arrival order, and a failing section releases it', async () => {
    const m = new Mutex();
    const trace: string[] = [];
    let gate!: () => void;
    const opened = new Promise<void>((r) => (gate = r));
    const a = m.with_lock(async () => {
      trace.push('a+');
      await opened;
      trace.push('a-');
      throw new Error('boom');
    });
    const b = m.with_lock(async () => {
      trace.push('b');
      return 2;
    });
    await Promise.resolve();
    expect(trace).toEqual(['a+']);
    gate();
    await expect(a).rejects.toThrow('boom');
    expect(await b).toBe(2);
    expect(trace).toEqual(['a+', 'a-', 'b']);
  });
});

describe('legacy numa_resources: per-node free memory only ever shrinks', () => {
  const h = useHost(synth(2), { dom0_mem: '1G' });

  it('keeps the minimum across calls, even after the memory is freed again; no claims', async () => {
    const { x } = xenopsd(h, 'legacy', { policy: 'Best_effort' });
    const req = vm(512, 1);
    const a = await x.make_hvm(1, req.memory);
    expect(await x.build_pre(a, req)).toBeNull();
    expect((await xc_domain_getinfo_single(h.xch, a)).outstanding_pages).toBe(0);
    const first = x.numa_resources()!.map((r) => r.memfree);
    expect(first).toEqual([2 * 1024 * MiB - 4096, 1024 * MiB]);
    expect((await affinity(h, a, 0)).soft).toEqual([0, 1]); // node 0 on the tie
    await x.build(a, req, null);
    const b = await x.make_hvm(1, req.memory);
    await x.build_pre(b, req);
    const second = x.numa_resources()!.map((r) => r.memfree);
    expect(second[0]).toBeLessThan(first[0]! - 512 * MiB + MiB);
    await xc_domain_destroy(h.xch, a);
    await xc_domain_destroy(h.xch, b);
    const c = await x.make_hvm(1, req.memory);
    await x.build_pre(c, req);
    expect(x.numa_resources()!.map((r) => r.memfree)).toEqual(second); // the freed memory never comes back
    await xc_domain_destroy(h.xch, c);
  });
});

describe('legacy soft affinity: the bare stub raised', () => {
  const h = useHost(synth(2), { dom0_mem: '1G' });

  it('a failed soft-affinity call fails placement with the Unix_error (the current generation only warns)', async () => {
    const { x } = xenopsd(h, 'legacy', { policy: 'Best_effort' });
    const req = vm(64, 1);
    await withDomain(h, x, req, async (domid) => {
      await xc_domain_max_vcpus(h.xch, domid, 1);
      // vCPU 1 does not exist in a 1-vCPU domain: Xen refuses its affinity (vCPU 0's was set first).
      await expect(x.numa_placement_legacy(domid, 2, 64 * MiB)).rejects.toThrow(Unix_error);
      expect((await affinity(h, domid, 0)).soft).toEqual([0, 1]);
    });
  });
});

/** Builds n equal VMs concurrently; every build_pre finishes before any populate starts. */
async function storm(h: Host, x: Xenopsd, n: number, mib: number, populate: 'concurrent' | 'in order'): Promise<{ domid: number; node: number | null; pages: number[] | null; error: unknown }[]> {
  const req = vm(mib, 1);
  const domids: number[] = [];
  for (let i = 0; i < n; i++) domids.push(await x.make_hvm(1, req.memory));
  const all_pre_done = barrier(n);
  const pre = await Promise.all(
    domids.map(async (domid) => {
      try {
        return { node: await x.build_pre(domid, req), error: undefined as unknown };
      } catch (error) {
        return { node: null, error };
      } finally {
        await all_pre_done();
      }
    }),
  );
  const buildOne = async (i: number): Promise<unknown> => {
    if (pre[i]!.error !== undefined) return pre[i]!.error;
    try {
      await x.build(domids[i]!, req, pre[i]!.node);
      return undefined;
    } catch (e) {
      return e;
    }
  };
  const errors: unknown[] = [];
  if (populate === 'concurrent') errors.push(...(await Promise.all(domids.map((_, i) => buildOne(i)))));
  else for (let i = 0; i < n; i++) errors.push(await buildOne(i));
  const out = [];
  for (const [i, domid] of domids.entries()) out.push({ domid, node: pre[i]!.node, pages: errors[i] === undefined ? await nodePages(x, domid) : null, error: errors[i] });
  return out;
}

describe('the parallel-boot race, pinned (synthetic 2-node host, dom0_mem=1G, 4 VMs of 600 MiB)', () => {
  const fresh = async (): Promise<Host> => startHost(synth(2), { dom0_mem: '1G', node_claims: 'xenserver' });

  it('each VM alone fits either node, and together they fit the host', async () => {
    const h = await fresh();
    try {
      const { x } = xenopsd(h, 'current');
      const free = (await numa_get_meminfo(x.xcext)) as { ok: true; value: { free: number }[] };
      expect(free.value.map((m) => m.free)).toEqual([2048 * MiB - 4096, 1024 * MiB]);
      expect(vm(600, 1).memory.required_host_free_mib * MiB).toBeLessThan(1024 * MiB);
    } finally {
      await h.close();
    }
  });

  for (const populate of ['concurrent', 'in order'] as const) {
    it(`legacy (populate ${populate}): two VMs are planned onto node 1 and one of them spreads over both nodes`, async () => {
      const h = await fresh();
      try {
        const { x, logs } = xenopsd(h, 'legacy', { policy: 'Best_effort' });
        const vms = await storm(h, x, 4, 600, populate);
        expect(vms.map((v) => v.error)).toEqual([undefined, undefined, undefined, undefined]);
        expect(lines(logs, /NUMAClaim/)).toEqual([]); // no claims in legacy
        const softNodes = await Promise.all(vms.map(async (v) => (await affinity(h, v.domid, 0)).soft));
        expect(softNodes.filter((s) => s.join() === '2,3')).toHaveLength(2);
        const spread = vms.filter((v) => nodesUsed(v.pages!) === 2);
        expect(spread.length).toBeGreaterThanOrEqual(1);
        for (const v of spread) expect(await domain_numa_state(x.xcext, v.domid)).toMatchObject({ optimised: false, nodes: 2 });
      } finally {
        await h.close();
      }
    });

    it(`current with node claims (populate ${populate}): every VM on one node`, async () => {
      const h = await fresh();
      try {
        const { x } = xenopsd(h, 'current', { policy: 'Best_effort' });
        const vms = await storm(h, x, 4, 600, populate);
        expect(vms.map((v) => v.error)).toEqual([undefined, undefined, undefined, undefined]);
        expect(vms.map((v) => v.node).sort()).toEqual([0, 0, 0, 1]);
        for (const v of vms) {
          expect(nodesUsed(v.pages!)).toBe(1);
          expect(v.pages![v.node!]).toBe(600 * PAGES_PER_MIB - 0x20 + 16);
          expect((await affinity(h, v.domid, 0)).soft).toEqual(v.node === 0 ? [0, 1] : [2, 3]);
        }
        expect(await claimedBytes(x)).toEqual([0, 0]);
      } finally {
        await h.close();
      }
    });
  }

  it('legacy, populate in order: exactly the second VM planned onto node 1 (the fourth) spills, and by what node 1 lacks', async () => {
    const h = await fresh();
    try {
      const { x } = xenopsd(h, 'legacy', { policy: 'Best_effort' });
      const vms = await storm(h, x, 4, 600, 'in order');
      const per_vm = 600 * PAGES_PER_MIB - 0x20 + 16;
      expect(vms.map((v) => nodesUsed(v.pages!))).toEqual([1, 1, 1, 2]);
      expect(vms[1]!.pages).toEqual([0, per_vm]);
      // The fourth takes what node 1 has left after the second, down to less than one 2 MiB
      // extent (meminit asks for 2 MiB extents, which then come from node 0), the rest from node 0.
      expect(vms[3]!.pages![0]! + vms[3]!.pages![1]!).toBe(per_vm);
      const mi = await numa_get_meminfo(x.xcext);
      const node1_free_pages = mi.ok ? mi.value[1]!.free / 4096 : -1;
      expect(node1_free_pages).toBeGreaterThanOrEqual(0);
      expect(node1_free_pages).toBeLessThan(512);
      expect(vms[3]!.pages![1]).toBe(1024 * PAGES_PER_MIB - per_vm - node1_free_pages);
    } finally {
      await h.close();
    }
  });

  it('a node claim refused with ENOMEM (a host-wide claim holds the headroom): no affinity, and the global claim ENOMEM fails build_pre', async () => {
    const h = await fresh();
    try {
      const { x, logs } = xenopsd(h, 'current', { policy: 'Best_effort' });
      const hog = await x.make_hvm(1, vm(2800, 1).memory);
      await xc_domain_claim_pages(h.xch, hog, 2800 * PAGES_PER_MIB); // host-wide: per-node claimed stays 0
      expect(await claimedBytes(x)).toEqual([0, 0]);
      const req = vm(600, 1);
      const domid = await x.make_hvm(1, req.memory);
      const e = await x.build_pre(domid, req).catch((err: unknown) => err);
      expect(lines(logs, /local claim on node/).map((l) => l.line)).toEqual([`NUMAClaim domid ${domid}: local claim on node 0: ${600 * PAGES_PER_MIB} pages`]);
      expect(lines(logs, /unable to claim enough memory/)).toEqual([{ level: 'info', line: `Domain.numa_placement: unable to claim enough memory, domain ${domid} won't be hosted in a single NUMA node.` }]);
      expect((await affinity(h, domid, 0)).soft).toEqual([0, 1, 2, 3]);
      expect(e).toBeInstanceOf(Domain_build_pre_failed);
      expect(((e as Domain_build_pre_failed).cause as Unix_error).code).toBe('ENOMEM');
      expect((await xc_domain_getinfo_single(h.xch, domid)).outstanding_pages).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('a workload that cannot fit: the fifth VM falls back to no affinity and a global claim, the sixth fails its claim with ENOMEM', async () => {
    const h = await fresh();
    try {
      const { x, logs } = xenopsd(h, 'current', { policy: 'Best_effort' });
      const vms = await storm(h, x, 6, 600, 'concurrent');
      const placed = vms.filter((v) => v.node !== null);
      expect(placed.map((v) => v.node).sort()).toEqual([0, 0, 0, 1]);
      const fallback = vms.filter((v) => v.node === null);
      expect(fallback).toHaveLength(2);
      const built = fallback.filter((v) => v.error === undefined);
      const failed = fallback.filter((v) => v.error !== undefined);
      expect(built).toHaveLength(1);
      expect(failed).toHaveLength(1);
      expect((await affinity(h, built[0]!.domid, 0)).soft).toEqual([0, 1, 2, 3]);
      expect(built[0]!.pages!.reduce((a, b) => a + b, 0)).toBe(600 * PAGES_PER_MIB - 0x20 + 16);
      const e = failed[0]!.error;
      expect(e).toBeInstanceOf(Domain_build_pre_failed);
      expect((e as Domain_build_pre_failed).cause).toBeInstanceOf(Unix_error);
      expect(((e as Domain_build_pre_failed).cause as Unix_error).code).toBe('ENOMEM');
      expect((e as Domain_build_pre_failed).reason).toBe(`Calling 'NUMA placement' failed: Xenctrlext.Unix_error(Unix.ENOMEM, "Error when trying to claim memory pages")`);
      expect(lines(logs, /global claim/)).toHaveLength(2);
      for (const v of placed) expect(nodesUsed(v.pages!)).toBe(1);
    } finally {
      await h.close();
    }
  });
});

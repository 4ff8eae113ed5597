// meminit_hvm benchmark (npm run bench:meminit; issue 5). libxenguest's HVM memory build
// (xenguest/meminit_hvm.ts) over the real wire: the server in a child process
// (bench/servers.ts, preset 64node: 64 nodes x 256 GiB), libxc's client in this process.
// Two cases, each timed by wall clock around meminit_hvm alone (domain create/destroy untimed):
//  (1) a 1 TiB guest laid out as libxl__build_hvm does (device model, 256 MiB hole below 4 GiB,
//      claim on), no node: mostly 1 GiB extents;
//  (2) the 4 KiB worst case: 16 GiB with XENMEMF_exact_node on a node fragmented first so that
//      no 2 MiB (hence no 1 GiB) block is free on it: every pass tries 1 GiB, then 2 MiB, then
//      populates 2048 pages of 4 KiB.
// The hypercalls a build issues are counted by wrapping the libxc handle's generated client
// methods (every memory_op, domctl, sysctl, multicall goes through them); the echo round trip
// (bench/echo.ts, an 84 B message as in bench/wire.bench.ts) is measured in the same run, just
// before and after each build. Figure: build time / (hypercalls x echo round trip), goal <= 1.2.
// Results: bench/results/meminit-summary.json.
import type * as grpc from '@grpc/grpc-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { libxl__build_hvm_layout } from '../libxl/libxl_dom_layout.js';
import { CHANNEL_OPTIONS } from '../libxc/xc_private.js';
import {
  xc_domain_create,
  xc_domain_decrease_reservation_exact,
  xc_domain_destroy,
  xc_domain_numa_get_node_pages,
  xc_domain_populate_physmap,
  xc_domain_setmaxmem,
  xc_interface_close,
  xc_interface_open,
  xc_numa_meminfo,
  type xc_createdomain_config,
  type xc_interface,
  type xc_node_meminfo_t,
} from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { XENMEMF_exact_node } from '../proto/public/xenmem_flags.js';
import { meminit_hvm } from '../xenguest/meminit_hvm.js';
import { xc_dom_image_init, type xc_dom_image } from '../xenguest/xc_dom.js';
import { loadEcho, payloadForMessageSize, type EchoClient, type EchoMsg } from './echo.js';
import { spawnServers } from './spawn_servers.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const PRESET = process.env['MEMINIT_PRESET'] ?? '64node';
const GOAL = 1.2;
const ECHO_MESSAGE_BYTES = 84; // the physinfo reply's size, as in wire.bench.ts
const ECHO_SAMPLES = 1_000; // per measurement, one in flight
const ECHO_WARMUP = 2_000;
const REPS_1TIB = Number(process.env['MEMINIT_REPS_1TIB'] ?? 5);
const REPS_4K = Number(process.env['MEMINIT_REPS_4K'] ?? 3);
/** Untimed builds before case 1's: ~3 800 hypercalls, so both processes run optimised code by the
 *  first timed build, as the echo does after its 2 000 warm-up calls (one build was not enough:
 *  the first timed builds ran 1.7-1.9x, the later ones 1.05-1.5x). */
const WARMUP_1TIB = Number(process.env['MEMINIT_WARMUP_1TIB'] ?? 3);
const GUEST_1_GIB = Number(process.env['MEMINIT_GUEST1_GIB'] ?? 1024);
const GUEST_2_GIB = Number(process.env['MEMINIT_GUEST2_GIB'] ?? 16);
const PAGES_2M = 512;
const HVM: xc_createdomain_config = { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 1, max_grant_frames: -1, max_maptrack_frames: -1 };

const call = <R>(f: (cb: grpc.requestCallback<R>) => void): Promise<R> => new Promise((resolve, reject) => f((e, r) => (e ? reject(e) : resolve(r!))));
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// --- Servers, in a child process -------------------------------------------------------------

// A host booted with bootscrub=on whose idle scrubber cleans 8 GiB/s per node: each build starts
// on scrubbed memory, as on a host that has been up a while (after every destroy the run waits
// for the freed pages to be scrubbed, untimed). With dirty memory every 1 GiB request would
// first walk all 64 nodes for a clean block (get_free_buddy's first pass) before taking a dirty one.
const SCRUB_RATE = Number((process.env['BENCH_SCRUB_RATE'] ??= String(8 * 262_144)));
process.env['BENCH_BOOTSCRUB'] ??= 'on';

const addresses = await spawnServers(PRESET);

const xch = await xc_interface_open(addresses.hypervisor);
const echoPkg = loadEcho();
const echoClient = new echoPkg.Echo(addresses.echo, (await import('@grpc/grpc-js')).credentials.createInsecure(), CHANNEL_OPTIONS) as unknown as EchoClient;
const echoMsg: EchoMsg = { payload: Buffer.alloc(payloadForMessageSize(echoPkg, ECHO_MESSAGE_BYTES), 0x5a) };
const echoOnce = (): Promise<EchoMsg> => call<EchoMsg>((cb) => echoClient.echo(echoMsg, cb));
const back = await echoOnce();
if (!back.payload.equals(echoMsg.payload)) throw new Error('echo did not return its payload');
for (let i = 0; i < ECHO_WARMUP; i++) await echoOnce();

/** CPU time (user + system, us) of this process and of the server process (Linux /proc; 0 elsewhere). */
const CLK_TCK = 100;
function cpuUs(): { client: number; server: number } {
  const c = process.cpuUsage();
  let server = 0;
  try {
    const f = readFileSync(`/proc/${addresses.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    server = ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
  } catch {
    // not Linux
  }
  return { client: c.user + c.system, server };
}
const cpuSince = (a: { client: number; server: number }): { client: number; server: number } => {
  const b = cpuUs();
  return { client: b.client - a.client, server: b.server - a.server };
};

/** Mean echo round trip in ms over `n` sequential calls, and the CPU each side spent per call (us). */
let lastEchoCpu = { client: 0, server: 0 };
async function echoRttMs(n = ECHO_SAMPLES): Promise<number> {
  const c0 = cpuUs();
  const t0 = nowMs();
  for (let i = 0; i < n; i++) await echoOnce();
  const ms = (nowMs() - t0) / n;
  const c = cpuSince(c0);
  lastEchoCpu = { client: c.client / n, server: c.server / n };
  return ms;
}

// --- Hypercall counting ----------------------------------------------------------------------

/** Counts per RPC (and per memory_op cmd / populate order) while `counting` is set. */
const counts = new Map<string, number>();
let counting = false;
/** Paired echoes: while counting, each hypercall is preceded by one echo, timed apart and left
 *  out of the build time, so the echo is measured under exactly the conditions of the calls it
 *  is compared with (this VM's round trip drifts by 2x within minutes). */
let pairedEchoMs = 0;
let pairedEchoes = 0;
const client = xch.client as unknown as Record<string, (...a: unknown[]) => unknown>;
for (const method of ['memory_op', 'domctl', 'sysctl', 'multicall', 'xen_version']) {
  const orig = client[method];
  if (typeof orig !== 'function') continue;
  client[method] = function (this: unknown, ...args: unknown[]) {
    if (counting) {
      let key = method;
      const req = args[0] as { cmd?: number; reservation?: { extent_order?: number } } | undefined;
      if (method === 'memory_op' && req !== undefined) key += ` cmd ${req.cmd}${req.cmd === 6 ? ` order ${req.reservation?.extent_order ?? 0}` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const t0 = nowMs();
      echoClient.echo(echoMsg, (err) => {
        if (err !== null) return void (args.at(-1) as (e: unknown) => void)(err); // the hypercall's callback fails with it
        pairedEchoMs += nowMs() - t0;
        pairedEchoes++;
        orig.apply(xch.client, args); // libxc's call() ignores the returned call object
      });
      return undefined;
    }
    return orig.apply(xch.client, args);
  };
}

// --- Builds ----------------------------------------------------------------------------------

async function nodeFree(x: xc_interface): Promise<number[]> {
  const n = await xc_numa_meminfo(x, 0, null);
  const mi: xc_node_meminfo_t[] = Array.from({ length: n }, () => ({ size: 0n, free: 0n, claimed: 0n }));
  await xc_numa_meminfo(x, n, mi);
  return mi.map((m) => Number(m.free / 4096n));
}

async function guest(): Promise<number> {
  const d = await xc_domain_create(xch, DOMID_ANY, HVM);
  await xc_domain_setmaxmem(xch, d, -1);
  return d;
}

/** An xc_dom_image laid out as libxl__build_hvm lays out an HVM guest (device model, default hole) of `gib` GiB. */
function image(domid: number, gib: number, memflags: number): xc_dom_image {
  const memkb = gib * 1024 * 1024;
  const l = libxl__build_hvm_layout({ max_memkb: memkb, target_memkb: memkb, video_memkb: 0, mmio_hole_memkb: 0, device_model: true, max_vcpus: 1 });
  return xc_dom_image_init(xch, domid, {
    total_pages: Number(l.total_pages),
    target_pages: Number(l.target_pages),
    lowmem_end: Number(l.lowmem_end),
    highmem_end: Number(l.highmem_end),
    mmio_start: Number(l.mmio_start),
    mmio_size: Number(l.mmio_size),
    vga_hole_size: l.vga_hole_size,
    device_model: l.device_model,
    claim_enabled: true,
    memflags,
  });
}

/** Destroys `d` and waits until the idle scrubber has cleaned what it freed (its largest node share). */
async function destroyAndScrub(d: number): Promise<void> {
  const pages = Array<number>(256).fill(0);
  await xc_domain_numa_get_node_pages(xch, d, pages.length, pages);
  await xc_domain_destroy(xch, d);
  await new Promise((r) => setTimeout(r, (Math.max(...pages) / SCRUB_RATE) * 1000 + 100));
}

interface Rep {
  ms: number;
  hypercalls: number;
  /** Mean of the paired echoes (one before each hypercall of the build). */
  echo_rtt_us: number;
  ratio: number;
  /** The echo of 1 000 sequential calls just before and just after the build, and the ratio against it. */
  echo_blocks_rtt_us: number;
  ratio_vs_echo_blocks: number;
  /** CPU per hypercall of the build (less the per-echo CPU of the echo blocks, for its paired
   *  echo) and per echo, us, each side (server from /proc, 10 ms ticks): estimates. */
  cpu_per_call_us: { client: number; server: number; echo_client: number; echo_server: number };
  by_call: Record<string, number>;
  stats: { '1g': number; '2m': number; '4k': number };
}

async function timedBuild(gib: number, memflags: number): Promise<Rep> {
  const d = await guest();
  const dom = image(d, gib, memflags);
  const echoBefore = await echoRttMs();
  counts.clear();
  pairedEchoMs = 0;
  pairedEchoes = 0;
  counting = true;
  const echoCpuBefore = lastEchoCpu;
  const c0 = cpuUs();
  const t0 = nowMs();
  await meminit_hvm(dom);
  const ms = nowMs() - t0 - pairedEchoMs;
  const cpu = cpuSince(c0);
  counting = false;
  const echoAfter = await echoRttMs();
  await destroyAndScrub(d);
  const hypercalls = [...counts.values()].reduce((a, b) => a + b, 0);
  const echoMs = (echoBefore + echoAfter) / 2;
  const pairedMs = pairedEchoMs / pairedEchoes;
  return {
    ms,
    hypercalls,
    echo_rtt_us: pairedMs * 1000,
    ratio: ms / (hypercalls * pairedMs),
    echo_blocks_rtt_us: echoMs * 1000,
    ratio_vs_echo_blocks: ms / (hypercalls * echoMs),
    cpu_per_call_us: {
      client: cpu.client / hypercalls - (echoCpuBefore.client + lastEchoCpu.client) / 2,
      server: cpu.server / hypercalls - (echoCpuBefore.server + lastEchoCpu.server) / 2,
      echo_client: (echoCpuBefore.client + lastEchoCpu.client) / 2,
      echo_server: (echoCpuBefore.server + lastEchoCpu.server) / 2,
    },
    by_call: Object.fromEntries([...counts].sort()),
    stats: { '1g': dom.stat_1gb_pages, '2m': dom.stat_2mb_pages, '4k': dom.stat_normal_pages },
  };
}

const line = (label: string, r: Rep): string =>
  `  ${label}: ${r.ms.toFixed(0)} ms, ${r.hypercalls} hypercalls (${(r.ms / r.hypercalls).toFixed(3)} ms each), echo ${r.echo_rtt_us.toFixed(0)} us -> ratio ${r.ratio.toFixed(2)} (echo blocks ${r.echo_blocks_rtt_us.toFixed(0)} us: ${r.ratio_vs_echo_blocks.toFixed(2)}); CPU/call client ${r.cpu_per_call_us.client.toFixed(0)} (echo ${r.cpu_per_call_us.echo_client.toFixed(0)}) server ${r.cpu_per_call_us.server.toFixed(0)} (echo ${r.cpu_per_call_us.echo_server.toFixed(0)}) us  [1G ${r.stats['1g']}, 2M ${r.stats['2m']}, 4K ${r.stats['4k']}]`;

// (1) 1 TiB, no node.
console.log(`(1) ${GUEST_1_GIB} GiB guest on ${PRESET}, ${REPS_1TIB} builds (+${WARMUP_1TIB} untimed warm-up)`);
for (let i = 0; i < WARMUP_1TIB; i++) await timedBuild(GUEST_1_GIB, 0);
const reps1: Rep[] = [];
for (let i = 0; i < REPS_1TIB; i++) {
  reps1.push(await timedBuild(GUEST_1_GIB, 0));
  console.log(line(`build ${i + 1}`, reps1.at(-1)!));
}

// MEMINIT_ONLY_1TIB=1 stops here (for profiling case 1 alone, e.g. with BENCH_SERVER_NODE_ARGS).
if (process.env['MEMINIT_ONLY_1TIB'] === '1') {
  xc_interface_close(xch);
  echoClient.close();
  await addresses.stop();
  process.exit(0);
}

// (2) Fragment the last node: a filler domain takes every free 2 MiB block of the node (order 9,
// exact node), then gives back all but the first page of as many 2 MiB chunks as the guest needs
// (orders 0..8 at offsets 1, 2, 4, ... 256 of each chunk). The node is left with no free block of
// order >= 9: its free memory is those 511-page remnants plus whatever sub-2 MiB blocks it had.
const free0 = await nodeFree(xch);
const node = free0.length - 1;
const flags = XENMEMF_exact_node(node);
const filler = await guest();
const tFrag = nowMs();
let chunks = 0;
for (;;) {
  const batch = 8192;
  const done = await xc_domain_populate_physmap(xch, filler, batch, 9, flags, Array.from({ length: batch }, (_, i) => (chunks + i) * PAGES_2M));
  chunks += done;
  if (done < batch) break;
}
const guest2Pages = Number(image(0, GUEST_2_GIB, 0).total_pages);
const released = Math.min(chunks, Math.ceil(guest2Pages / (PAGES_2M - 1)) + 64);
for (let k = 0; k < 9; k++) {
  for (let base = 0; base < released; base += 8192) {
    const n = Math.min(8192, released - base);
    await xc_domain_decrease_reservation_exact(xch, filler, n, k, Array.from({ length: n }, (_, i) => (base + i) * PAGES_2M + 2 ** k));
  }
}
const fragMs = nowMs() - tFrag;
const nodeFreeAfter = (await nodeFree(xch))[node]!;
console.log(`(2) node ${node}: filler took ${chunks} x 2 MiB, released 511 pages of ${released} of them in ${(fragMs / 1000).toFixed(1)} s; node free ${nodeFreeAfter} pages (guest needs ${guest2Pages - 0x20})`);
console.log(`    ${GUEST_2_GIB} GiB guest, exact node ${node}, ${REPS_4K} builds (+1 untimed warm-up)`);
const warm2 = await timedBuild(GUEST_2_GIB, flags);
if (warm2.stats['1g'] !== 0 || warm2.stats['2m'] !== 0) throw new Error(`node ${node} not fragmented: ${JSON.stringify(warm2.stats)}`);
const reps2: Rep[] = [];
for (let i = 0; i < REPS_4K; i++) {
  reps2.push(await timedBuild(GUEST_2_GIB, flags));
  console.log(line(`build ${i + 1}`, reps2.at(-1)!));
}
await xc_domain_destroy(xch, filler);

// --- Figures ---------------------------------------------------------------------------------

const summarise = (reps: Rep[]): unknown => ({
  median_ms: median(reps.map((r) => r.ms)),
  hypercalls: reps[0]!.hypercalls,
  by_call: reps[0]!.by_call,
  extents: reps[0]!.stats,
  median_echo_rtt_us: median(reps.map((r) => r.echo_rtt_us)),
  median_ms_per_hypercall: median(reps.map((r) => r.ms / r.hypercalls)),
  median_ratio: median(reps.map((r) => r.ratio)),
  goal_max: GOAL,
  met: median(reps.map((r) => r.ratio)) <= GOAL,
  reps,
});
const figures = {
  node: process.version,
  date: new Date().toISOString(),
  preset: PRESET,
  layout: 'server in a child process (bench/servers.ts); libxc client and echo client in the benchmark process; echo message 84 B',
  case1_1tib: { guest_gib: GUEST_1_GIB, memflags: 0, ...(summarise(reps1) as object) },
  case2_4k_worst: {
    guest_gib: GUEST_2_GIB,
    memflags: `XENMEMF_exact_node(${node})`,
    fragmentation: { node, filler_2m_chunks: chunks, chunks_released_to_511_pages: released, node_free_pages_before_build: nodeFreeAfter, setup_s: fragMs / 1000 },
    ...(summarise(reps2) as object),
  },
};
mkdirSync(RESULTS, { recursive: true });
writeFileSync(`${RESULTS}meminit-summary.json`, `${JSON.stringify(figures, null, 2)}\n`);

const verdict = (r: number): string => (r <= GOAL ? 'met' : 'NOT met');
const m1 = median(reps1.map((r) => r.ratio));
const m2 = median(reps2.map((r) => r.ratio));
console.log(`\nxenemu meminit_hvm summary (${process.version}, ${PRESET}, medians)`);
console.log(`  (1) ${GUEST_1_GIB} GiB: ${median(reps1.map((r) => r.ms)).toFixed(0)} ms, ${reps1[0]!.hypercalls} hypercalls, echo ${median(reps1.map((r) => r.echo_rtt_us)).toFixed(0)} us: ratio ${m1.toFixed(2)}  goal <= ${GOAL}: ${verdict(m1)}`);
console.log(`  (2) ${GUEST_2_GIB} GiB 4K: ${median(reps2.map((r) => r.ms)).toFixed(0)} ms, ${reps2[0]!.hypercalls} hypercalls, echo ${median(reps2.map((r) => r.echo_rtt_us)).toFixed(0)} us: ratio ${m2.toFixed(2)}  goal <= ${GOAL}: ${verdict(m2)}`);
console.log(`Wrote ${RESULTS}meminit-summary.json`);

xc_interface_close(xch);
echoClient.close();
await addresses.stop();

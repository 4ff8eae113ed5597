// Wire benchmark (npm run bench). In one run, with one layout for every case (both servers in one
// child process, bench/servers.ts; every client in this process, as a toolstack talks to
// `xenemu serve`) and one call in flight per case unless its name says otherwise:
//  (a) unary sysctl physinfo through the real server, by the generated client, against
//  (b) a raw grpc-js echo (bench/echo.proto) whose message serializes to as many bytes as the
//      physinfo reply: ratio (a)/(b), goal >= 0.9;
//  (c) a multicall of 100 physinfo sysctls, in hypercalls/s, against (a): goal >= 30x;
//  and, for information only, the hypercall stream in ping-pong and with 100 calls in flight.
// Results: bench/results/wire.json, wire.chart.html (benny) and wire-summary.json.
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { add, complete, cycle, save, suite } from 'benny';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHANNEL_OPTIONS } from '../libxc/xc_private.js';
import { xc_interface_close, xc_interface_open } from '../libxc/xenctrl.js';
import type { multicall_entry, multicall_entry__Output } from '../proto/generated/xen/multicall_entry.js';
import type { multicall_list } from '../proto/generated/xen/multicall_list.js';
import type { multicall_ret__Output } from '../proto/generated/xen/multicall_ret.js';
import type { sysctl_ret__Output } from '../proto/generated/xen/sysctl_ret.js';
import type { xen_sysctl } from '../proto/generated/xen/xen_sysctl.js';
import { loadHypervisorPackage } from '../proto/load.js';
import { loadEcho, payloadForMessageSize, type EchoClient, type EchoMsg } from './echo.js';
import { spawnServers } from './spawn_servers.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
/** Per case: at least 10 samples, at most ~5 s (Benchmark.js `maxTime` is in seconds). */
const CASE = { minSamples: 10, maxTime: 5 };
const PHYSINFO: xen_sysctl = { cmd: 3, interface_version: 0x16 }; // XEN_SYSCTL_physinfo, XEN_SYSCTL_INTERFACE_VERSION
const HYPERVISOR_SYSCTL = 35; // __HYPERVISOR_sysctl
const MULTICALL_SIZE = 100;
const STREAM_WINDOW = 100;
const WARMUP_UNARY = 2_000;
const WARMUP_MULTICALL = 50;
const GOAL_VS_ECHO = 0.9;
const GOAL_MULTICALL = 30;

/** A callback-style call as a promise (one call in flight when awaited). */
const call = <R>(f: (cb: grpc.requestCallback<R>) => void): Promise<R> =>
  new Promise((resolve, reject) => f((e, r) => (e ? reject(e) : resolve(r!))));

// --- Servers, in a child process -------------------------------------------------------------

const addresses = await spawnServers();

// --- Clients ---------------------------------------------------------------------------------

// The handle only opens the connection (waiting for READY); calls go through the generated
// client directly, without libxc's per-call work, to measure the transport.
const xch = await xc_interface_open(addresses.hypervisor);
const client = xch.client;

const sample = await call<sysctl_ret__Output>((cb) => client.sysctl(PHYSINFO, cb));
if (sample.rc !== '0' || sample.op?.physinfo == null) throw new Error(`physinfo failed: rc ${sample.rc}`);

// The physinfo reply's size, by the package definition's sysctl_ret serializer (protobufjs),
// checked against the bytes the server actually sends.
const { definition } = loadHypervisorPackage();
const sysctlMethod = (definition['xen.Hypervisor'] as protoLoader.ServiceDefinition)['sysctl']!;
const physinfoReplySize = sysctlMethod.responseSerialize(sample).length;
const wireBytes = await call<Buffer>((cb) =>
  client.makeUnaryRequest(sysctlMethod.path, sysctlMethod.requestSerialize, (b: Buffer) => b, PHYSINFO, cb),
);
if (wireBytes.length !== physinfoReplySize) throw new Error(`physinfo reply: ${wireBytes.length} B on the wire, ${physinfoReplySize} B by the serializer`);

// The echo baseline: same channel options as libxc's, and a message (EchoMsg, both ways) that
// serializes to exactly as many bytes as the physinfo reply.
const echoPkg = loadEcho();
const echoClient = new echoPkg.Echo(addresses.echo, grpc.credentials.createInsecure(), CHANNEL_OPTIONS) as unknown as EchoClient;
const payload = Buffer.alloc(payloadForMessageSize(echoPkg, physinfoReplySize), 0x5a);
const echoed = await call<EchoMsg>((cb) => echoClient.echo({ payload }, cb));
if (!payload.equals(echoed.payload)) throw new Error('echo returned a different payload');

const mcList: multicall_list = { call_list: Array.from({ length: MULTICALL_SIZE }, (): multicall_entry => ({ op: HYPERVISOR_SYSCTL, sysctl: PHYSINFO })) };
const mcSample = await call<multicall_ret__Output>((cb) => client.multicall(mcList, cb));
if (mcSample.rc !== '0' || mcSample.call_list.length !== MULTICALL_SIZE || mcSample.call_list.some((e) => e.result !== '0' || e.sysctl?.physinfo == null)) {
  throw new Error(`multicall of ${MULTICALL_SIZE} physinfo did not succeed entry by entry`);
}

// One long-lived hypercall stream (informative cases); replies come back in order.
const hstream = client.hypercall_stream();
const waiting: { resolve(e: multicall_entry__Output): void; reject(e: Error): void }[] = [];
hstream.on('data', (e: multicall_entry__Output) => waiting.shift()?.resolve(e));
let streamError: Error | undefined;
hstream.on('error', (e: Error) => {
  streamError = e;
  for (const w of waiting.splice(0)) w.reject(e);
});
const streamCall = (): Promise<multicall_entry__Output> =>
  new Promise((resolve, reject) => {
    if (streamError !== undefined) return reject(streamError);
    waiting.push({ resolve, reject });
    hstream.write({ op: HYPERVISOR_SYSCTL, sysctl: PHYSINFO });
  });
const streamWindow = (): Promise<multicall_entry__Output[]> => Promise.all(Array.from({ length: STREAM_WINDOW }, streamCall));

// --- Warm-up (JIT, connections, HTTP/2 windows), then the measured cases ---------------------

for (let i = 0; i < WARMUP_UNARY; i++) {
  await call<sysctl_ret__Output>((cb) => client.sysctl(PHYSINFO, cb));
  await call<EchoMsg>((cb) => echoClient.echo({ payload }, cb));
  await streamCall();
}
for (let i = 0; i < WARMUP_MULTICALL; i++) {
  await call<multicall_ret__Output>((cb) => client.multicall(mcList, cb));
  await streamWindow();
}

const NAMES = {
  physinfo: 'unary sysctl physinfo',
  echo: `raw grpc-js echo (${physinfoReplySize} B message)`,
  multicall: `multicall of ${MULTICALL_SIZE} physinfo`,
  streamPingPong: 'hypercall_stream physinfo, ping-pong (informative)',
  streamWindow: `hypercall_stream physinfo, ${STREAM_WINDOW} in flight (informative)`,
} as const;

const summary = await suite(
  'xenemu wire',
  add(NAMES.physinfo, async () => {
    await call<sysctl_ret__Output>((cb) => client.sysctl(PHYSINFO, cb));
  }, CASE),
  add(NAMES.echo, async () => {
    await call<EchoMsg>((cb) => echoClient.echo({ payload }, cb));
  }, CASE),
  add(NAMES.multicall, async () => {
    await call<multicall_ret__Output>((cb) => client.multicall(mcList, cb));
  }, CASE),
  add(NAMES.streamPingPong, async () => {
    await streamCall();
  }, CASE),
  add(NAMES.streamWindow, async () => {
    await streamWindow();
  }, CASE),
  cycle(),
  complete(),
  save({ file: 'wire', folder: RESULTS, format: 'json' }),
  save({ file: 'wire', folder: RESULTS, format: 'chart.html' }),
);

// --- Summary ---------------------------------------------------------------------------------

const ops = (name: string): number => {
  const r = summary.results.find((c) => c.name === name);
  if (r === undefined || !r.completed) throw new Error(`case "${name}" did not complete`);
  return r.ops;
};
const physinfo = ops(NAMES.physinfo);
const echo = ops(NAMES.echo);
const multicallHypercalls = ops(NAMES.multicall) * MULTICALL_SIZE;
const figures = {
  physinfo_per_s: physinfo,
  echo_per_s: echo,
  ratio_physinfo_vs_echo: physinfo / echo,
  multicall_hypercalls_per_s: multicallHypercalls,
  ratio_multicall_vs_unary: multicallHypercalls / physinfo,
  node: process.version,
  date: new Date().toISOString(),
  // Not goals: the streaming channel, for docs/architecture.md's note on pipelined callers.
  informative: {
    physinfo_reply_bytes: physinfoReplySize,
    echo_payload_bytes: payload.length,
    stream_pingpong_per_s: ops(NAMES.streamPingPong),
    stream_100_in_flight_hypercalls_per_s: ops(NAMES.streamWindow) * STREAM_WINDOW,
  },
};
mkdirSync(RESULTS, { recursive: true });
writeFileSync(`${RESULTS}wire-summary.json`, `${JSON.stringify(figures, null, 2)}\n`);

const n = (x: number): string => Math.round(x).toLocaleString('en-US');
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
const row = (label: string, value: string, note = ''): string => `  ${label.padEnd(22)}${value.padEnd(26)}${note}`.trimEnd();
console.log(`
xenemu wire summary (${figures.node}; runs on this machine vary up to 2x, compare the ratios)
${row('unary physinfo', `${n(physinfo)} calls/s`)}
${row(`raw echo (${physinfoReplySize} B)`, `${n(echo)} calls/s`)}
${row('physinfo / echo', figures.ratio_physinfo_vs_echo.toFixed(2), `goal >= ${GOAL_VS_ECHO}: ${verdict(figures.ratio_physinfo_vs_echo >= GOAL_VS_ECHO)}`)}
${row(`multicall of ${MULTICALL_SIZE}`, `${n(multicallHypercalls)} hypercalls/s`, `(${n(ops(NAMES.multicall))} calls/s)`)}
${row('multicall / unary', `${figures.ratio_multicall_vs_unary.toFixed(1)}x`, `goal >= ${GOAL_MULTICALL}x: ${verdict(figures.ratio_multicall_vs_unary >= GOAL_MULTICALL)}`)}
${row('stream ping-pong', `${n(figures.informative.stream_pingpong_per_s)} hypercalls/s`, '(informative)')}
${row(`stream ${STREAM_WINDOW} in flight`, `${n(figures.informative.stream_100_in_flight_hypercalls_per_s)} hypercalls/s`, '(informative)')}
Wrote ${RESULTS}wire-summary.json`);

// --- Shut down: clients first, then the servers' process -------------------------------------

hstream.end();
echoClient.close();
xc_interface_close(xch);
await addresses.stop();

// Wire benchmark (npm run bench): unary physinfo against a raw grpc-js echo of the same reply
// size, multicall of 100 physinfo against unary, and the hypercall stream. Layout: both servers
// in one child process (bench/servers.ts), every client here, as a toolstack talks to
// `xenemu serve`; every case has one call in flight unless it says so.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { add, complete, cycle, save, suite } from 'benny';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { xc_interface_close, xc_interface_open } from '../libxc/xenctrl.js';
import { CHANNEL_OPTIONS } from '../libxc/xc_private.js';
import { LOADER_OPTIONS } from '../proto/loader.js';
import type { multicall_entry, multicall_entry__Output } from '../proto/generated/xen/multicall_entry.js';
import type { sysctl_ret__Output } from '../proto/generated/xen/sysctl_ret.js';
import type { multicall_ret__Output } from '../proto/generated/xen/multicall_ret.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const CASE = { minSamples: 10, maxTime: 4 };
const PHYSINFO = { cmd: 3, interface_version: 0x16 };
const MULTICALL_SIZE = 100;
const STREAM_WINDOW = 100;

type Cb<R> = (e: grpc.ServiceError | null, r?: R) => void;
const call = <R>(f: (cb: Cb<R>) => void): Promise<R> => new Promise((res, rej) => f((e, r) => (e ? rej(e) : res(r!))));

const servers = spawn(process.execPath, [fileURLToPath(new URL('../bin/run-ts.js', import.meta.url)), fileURLToPath(new URL('./servers.ts', import.meta.url))], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const addresses = await new Promise<{ hypervisor: string; echo: string }>((resolve, reject) => {
  let out = '';
  servers.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as { hypervisor: string; echo: string });
  });
  servers.on('exit', (code) => reject(new Error(`bench servers exited (${code})`)));
});
const xch = await xc_interface_open(addresses.hypervisor);
const client = xch.client;

// The echo baseline answers a payload as large as the encoded physinfo reply.
const sample = await call<sysctl_ret__Output>((cb) => client.sysctl(PHYSINFO, cb));
const physinfoReplySize = encodedSize(sample);

/** The reply's size on the wire, by the service's own serializer. */
function encodedSize(reply: sysctl_ret__Output): number {
  const def = protoLoader.loadSync('xen/hypervisor.proto', LOADER_OPTIONS);
  const svc = (def['xen.Hypervisor'] as protoLoader.ServiceDefinition).sysctl!;
  return svc.responseSerialize(reply).length;
}

const echoDef = protoLoader.loadSync(fileURLToPath(new URL('./echo.proto', import.meta.url)), { keepCase: true });
const echoPkg = grpc.loadPackageDefinition(echoDef) as unknown as { bench: { Echo: grpc.ServiceClientConstructor } };
// The same channel options as libxc's, so both clients differ only in what they carry.
const echoClient = new echoPkg.bench.Echo(addresses.echo, grpc.credentials.createInsecure(), CHANNEL_OPTIONS) as unknown as grpc.Client & {
  echo(req: { payload: Buffer }, cb: Cb<unknown>): void;
};
const payload = Buffer.alloc(Math.max(0, physinfoReplySize - 4), 0x5a); // minus the field tag and length

const mcList = { call_list: Array.from({ length: MULTICALL_SIZE }, (): multicall_entry => ({ op: 35, sysctl: PHYSINFO })) };

// One long-lived stream; callers await their reply in order.
const hstream = client.hypercall_stream();
const waiting: ((e: multicall_entry__Output) => void)[] = [];
hstream.on('data', (e: multicall_entry__Output) => waiting.shift()!(e));
const streamCall = (): Promise<multicall_entry__Output> =>
  new Promise((res) => {
    waiting.push(res);
    hstream.write({ op: 35, sysctl: PHYSINFO });
  });

// Warm both paths (JIT, connections) so the first case measured is not the cold one.
for (let i = 0; i < 2000; i++) {
  await call<sysctl_ret__Output>((cb) => client.sysctl(PHYSINFO, cb));
  await call((cb) => echoClient.echo({ payload }, cb));
}
for (let i = 0; i < 50; i++) await call<multicall_ret__Output>((cb) => client.multicall(mcList, cb));

const summary = await suite(
  'xenemu wire',
  add('unary sysctl physinfo', async () => {
    await call<sysctl_ret__Output>((cb) => client.sysctl(PHYSINFO, cb));
  }, CASE),
  add(`raw grpc-js echo (${physinfoReplySize} B)`, async () => {
    await call((cb) => echoClient.echo({ payload }, cb));
  }, CASE),
  add(`multicall of ${MULTICALL_SIZE} physinfo`, async () => {
    await call<multicall_ret__Output>((cb) => client.multicall(mcList, cb));
  }, CASE),
  add('hypercall_stream physinfo, ping-pong', async () => {
    await streamCall();
  }, CASE),
  add(`hypercall_stream physinfo, ${STREAM_WINDOW} in flight`, async () => {
    await Promise.all(Array.from({ length: STREAM_WINDOW }, streamCall));
  }, CASE),
  cycle(),
  complete(),
  save({ file: 'wire', folder: RESULTS, format: 'json' }),
  save({ file: 'wire', folder: RESULTS, format: 'chart.html' }),
);

const ops = (i: number): number => summary.results[i]!.ops;
const figures = {
  physinfo_per_s: ops(0),
  echo_per_s: ops(1),
  ratio_physinfo_vs_echo: ops(0) / ops(1),
  multicall_hypercalls_per_s: ops(2) * MULTICALL_SIZE,
  ratio_multicall_vs_unary: (ops(2) * MULTICALL_SIZE) / ops(0),
  stream_pingpong_per_s: ops(3),
  stream_windowed_hypercalls_per_s: ops(4) * STREAM_WINDOW,
  node: process.version,
  date: new Date().toISOString(),
};
mkdirSync(RESULTS, { recursive: true });
writeFileSync(`${RESULTS}wire-summary.json`, `${JSON.stringify(figures, null, 2)}\n`);
console.log(`
unary physinfo / raw echo:         ${figures.ratio_physinfo_vs_echo.toFixed(2)}  (goal >= 0.9)
multicall(100) / unary, per call:  ${figures.ratio_multicall_vs_unary.toFixed(1)}x (goal >= 30x)
stream ping-pong / unary:          ${(figures.stream_pingpong_per_s / figures.physinfo_per_s).toFixed(2)}x
stream, ${STREAM_WINDOW} in flight / unary:     ${(figures.stream_windowed_hypercalls_per_s / figures.physinfo_per_s).toFixed(1)}x`);

hstream.end();
echoClient.close();
xc_interface_close(xch);
servers.stdin!.end();

// The server side of the wire benchmarks, in its own process (as `xenemu serve` runs apart from
// the toolstack): the preset named by argv[2] (default 4node) through the real server
// (server/server.ts) and the raw grpc-js echo service, with the same server options. Prints both addresses as one JSON line on stdout,
// then serves until its stdin closes, and exits once both servers have shut down.
// The engine runs on the real clock, as under `xenemu serve`, so the idle scrubber works
// between calls. BENCH_BOOTSCRUB (idle|on|off, default idle) and BENCH_SCRUB_RATE (pages/s per
// node, default Xen's) are serve's --bootscrub and --scrub-rate.
import * as grpc from '@grpc/grpc-js';
import { presetTopology } from '../hypervisor/presets.js';
import { Xen } from '../hypervisor/xen.js';
import { MonotonicClock } from '../server/clock.js';
import { SERVER_OPTIONS, startServer } from '../server/server.js';
import { loadEcho, type EchoMsg } from './echo.js';

const name = process.argv[2] ?? '4node';
const topology = presetTopology(name);
if (topology === undefined) throw new Error(`no preset ${name}`);
const bootscrub = process.env['BENCH_BOOTSCRUB'] ?? 'idle';
if (bootscrub !== 'idle' && bootscrub !== 'on' && bootscrub !== 'off') throw new Error(`BENCH_BOOTSCRUB: idle, on or off, not ${bootscrub}`);
const scrubRate = Number(process.env['BENCH_SCRUB_RATE'] ?? 0);
if (!Number.isSafeInteger(scrubRate) || scrubRate < 0) throw new Error('BENCH_SCRUB_RATE: pages per second, a non-negative integer');
const xen = new Xen({ topology, clock: new MonotonicClock(), bootscrub, ...(scrubRate > 0 ? { scrub_rate_pages_per_s: scrubRate } : {}) });
const hv = await startServer(xen, '127.0.0.1:0');

// The same server options as the hypervisor's, so the two differ only in what they do per call.
const echo = new grpc.Server(SERVER_OPTIONS);
echo.addService(loadEcho().Echo.service, {
  echo: (c: grpc.ServerUnaryCall<EchoMsg, EchoMsg>, cb: grpc.sendUnaryData<EchoMsg>) => cb(null, c.request),
});
const port = await new Promise<number>((res, rej) => echo.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));

process.stdout.write(`${JSON.stringify({ hypervisor: hv.address, echo: `127.0.0.1:${port}` })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  const echoClosed = new Promise<void>((res) => echo.tryShutdown(() => res()));
  void Promise.all([echoClosed, hv.close()]).then(() => process.exit(0));
  // A client that never closed its channel must not keep this process alive.
  setTimeout(() => {
    echo.forceShutdown();
    hv.server.forceShutdown();
    process.exit(0);
  }, 3_000).unref();
});

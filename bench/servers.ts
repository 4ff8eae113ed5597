// The server side of the wire benchmark, run in its own process (as `xenemu serve` runs apart
// from the toolstack): the 4node host and a raw grpc-js echo service. Prints both addresses as
// one JSON line, then serves until stdin closes.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import { presetTopology } from '../hypervisor/presets.js';
import { Xen } from '../hypervisor/xen.js';
import { SERVER_OPTIONS, startServer } from '../server/server.js';

const xen = new Xen({ topology: presetTopology('4node')! });
const hv = await startServer(xen, '127.0.0.1:0');

const echoDef = protoLoader.loadSync(fileURLToPath(new URL('./echo.proto', import.meta.url)), { keepCase: true });
const echoPkg = grpc.loadPackageDefinition(echoDef) as unknown as { bench: { Echo: grpc.ServiceClientConstructor } };
// The same server options as the hypervisor's, so the two differ only in what they do per call.
const echo = new grpc.Server(SERVER_OPTIONS);
echo.addService(echoPkg.bench.Echo.service, {
  echo: (c: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => cb(null, c.request),
});
const port = await new Promise<number>((res, rej) => echo.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));

process.stdout.write(`${JSON.stringify({ hypervisor: hv.address, echo: `127.0.0.1:${port}` })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  echo.forceShutdown();
  void hv.close().then(() => process.exit(0));
});

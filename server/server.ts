// The gRPC server: the Hypervisor service plus reflection and health, all from one package
// definition, with every transport limit set explicitly.
import * as grpc from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import type { Xen } from '../hypervisor/xen.js';
import { loadHypervisorPackage } from '../proto/load.js';
import { checkAddress, isUnix } from './address.js';
import {
  KEEPALIVE_TIME_MS,
  KEEPALIVE_TIMEOUT_MS,
  MAX_CONCURRENT_STREAMS,
  MAX_CONNECTION_IDLE_MS,
  MAX_RECEIVE_MESSAGE_BYTES,
  MAX_SEND_MESSAGE_BYTES,
} from './limits.js';
import { hypervisorHandlers } from './service.js';
import { Xenstored } from '../xenstored/xenstored_core.js';
import { xenstoreHandlers, XENSTORE_SERVICE } from './xenstore_service.js';
import { tolerantService } from './tolerant_service.js';
import type { ProtoGrpcType as XenstoreProto } from '../proto/generated/xenstore.js';

export const HYPERVISOR_SERVICE = 'xen.Hypervisor';

export const SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.max_receive_message_length': MAX_RECEIVE_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_SEND_MESSAGE_BYTES,
  'grpc.max_concurrent_streams': MAX_CONCURRENT_STREAMS,
  'grpc.keepalive_time_ms': KEEPALIVE_TIME_MS,
  'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
  'grpc.max_connection_idle_ms': MAX_CONNECTION_IDLE_MS,
};

export interface RunningServer {
  /** The bound address (the real port when asked for port 0). */
  address: string;
  server: grpc.Server;
  health: HealthImplementation;
  /** The xenstored served as xen.Xenstore. */
  xenstored: Xenstored;
  close(): Promise<void>;
}

export async function startServer(xen: Xen, listen: string, opts: { xenstored?: Xenstored } = {}): Promise<RunningServer> {
  const bad = checkAddress(listen);
  if (bad !== null) throw new Error(bad);
  const { definition, proto } = loadHypervisorPackage([healthProtoPath]);
  const server = new grpc.Server(SERVER_OPTIONS);
  server.addService(tolerantService(HYPERVISOR_SERVICE, proto.xen.Hypervisor.service), hypervisorHandlers(xen) as unknown as grpc.UntypedServiceImplementation);
  const xenstored = opts.xenstored ?? new Xenstored();
  const xs = xenstoreHandlers(xen, xenstored);
  server.addService(tolerantService(XENSTORE_SERVICE, (proto as unknown as XenstoreProto).xen.Xenstore.service), xs.handlers as unknown as grpc.UntypedServiceImplementation);
  new ReflectionService(definition as PackageDefinition).addToServer(server);
  const health = new HealthImplementation({ '': 'SERVING', [HYPERVISOR_SERVICE]: 'SERVING', [XENSTORE_SERVICE]: 'SERVING' });
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(listen, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  const address = isUnix(listen) ? listen : listen.replace(/:\d+$/, `:${port}`);
  return {
    address,
    server,
    health,
    xenstored,
    close: () =>
      new Promise<void>((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        health.setStatus(HYPERVISOR_SERVICE, 'NOT_SERVING');
        health.setStatus(XENSTORE_SERVICE, 'NOT_SERVING');
        xs.endAll(); // open watch streams would otherwise hold tryShutdown forever
        server.tryShutdown(() => resolve());
      }),
  };
}

// The raw grpc-js echo service of the wire benchmark (bench/echo.proto), loaded with the same
// proto-loader options as the hypervisor's ABI, so the two clients decode replies alike.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import { LOADER_OPTIONS } from '../proto/loader.js';

export const ECHO_PROTO = fileURLToPath(new URL('./echo.proto', import.meta.url));
export const ECHO_SERVICE = 'bench.Echo';

export interface EchoMsg {
  payload: Buffer;
}

export interface EchoClient extends grpc.Client {
  echo(req: EchoMsg, cb: grpc.requestCallback<EchoMsg>): grpc.ClientUnaryCall;
}

export interface EchoPackage {
  definition: protoLoader.PackageDefinition;
  Echo: grpc.ServiceClientConstructor;
  /** The serialized size of an EchoMsg carrying `n` payload bytes, by the package's serializer. */
  messageSize(n: number): number;
}

export function loadEcho(): EchoPackage {
  const definition = protoLoader.loadSync(ECHO_PROTO, LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { bench: { Echo: grpc.ServiceClientConstructor } };
  const method = (definition[ECHO_SERVICE] as protoLoader.ServiceDefinition)['echo']!;
  return {
    definition,
    Echo: pkg.bench.Echo,
    messageSize: (n) => method.responseSerialize({ payload: Buffer.alloc(n) }).length,
  };
}

/** The payload length whose EchoMsg serializes to exactly `size` bytes (tag and length included). */
export function payloadForMessageSize(echo: EchoPackage, size: number): number {
  for (let n = size; n >= 0; n--) if (echo.messageSize(n) === size) return n;
  throw new Error(`no EchoMsg serializes to exactly ${size} bytes`);
}

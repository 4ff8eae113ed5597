// Loads the ABI once, with LOADER_OPTIONS, for the server and every client.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/hypervisor.js';
import { LOADER_OPTIONS, PROTO_FILES } from './loader.js';

export function loadHypervisorPackage(extraFiles: string[] = []): { definition: protoLoader.PackageDefinition; proto: ProtoGrpcType } {
  const definition = protoLoader.loadSync([...PROTO_FILES, ...extraFiles], LOADER_OPTIONS);
  return { definition, proto: grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType };
}

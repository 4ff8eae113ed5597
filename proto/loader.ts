// The one set of proto-loader options, used at run time and by scripts/gen-types.ts, so the
// generated types describe exactly the objects the loader produces.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Options } from '@grpc/proto-loader';

export const PROTO_ROOT = path.dirname(fileURLToPath(import.meta.url));

/** Every .proto of the hypervisor ABI, relative to PROTO_ROOT. */
export const PROTO_FILES = [
  'xen/types.proto',
  'xen/domctl.proto',
  'xen/sysctl.proto',
  'xen/memory.proto',
  'xen/version.proto',
  'xen/hypervisor.proto',
  'xen/xenstore.proto',
] as const;

export const LOADER_OPTIONS = {
  keepCase: true, // Xen's snake_case names, as every other language's generated code has them
  longs: String, // 64-bit values arrive as decimal strings, parsed and range-checked on entry
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
} as const satisfies Options;

/** proto-loader-gen-types flags equal to LOADER_OPTIONS (checked by test/abi.test.ts). */
export const GEN_TYPES_FLAGS = [
  '--grpcLib=@grpc/grpc-js',
  '--keepCase',
  '--longs=String',
  '--enums=String',
  '--defaults',
  '--oneofs',
  '--importFileExtension=.js',
] as const;

// Replies are encoded straight from the objects the codecs build (protobufjs `encode`), skipping
// proto-loader's `fromObject` copy, which cost as much again per multicall entry. Safe because the
// server builds every reply itself with the wire's JavaScript types; test/reply_encoder.test.ts
// checks the bytes equal the fromObject path for every reply shape.
import path from 'node:path';
import protobuf from 'protobufjs';
import { PROTO_FILES, PROTO_ROOT } from '../proto/loader.js';

let root: protobuf.Root | undefined;

function protoRoot(): protobuf.Root {
  if (root === undefined) {
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_ROOT, target));
    root.loadSync(PROTO_FILES.map((f) => path.join(PROTO_ROOT, f)), { keepCase: true });
    root.resolveAll();
  }
  return root;
}

/** The reply serializer of `method` of `service` (e.g. "xen.Hypervisor", "multicall"). */
export function replySerializer(service: string, method: string): (reply: unknown) => Buffer {
  const m = protoRoot().lookupService(service).methods[method];
  if (m === undefined) throw new Error(`no method ${service}.${method}`);
  const type = (m.resolve() as protobuf.Method).resolvedResponseType!;
  return (reply) => {
    const bytes = type.encode(reply as protobuf.Message).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  };
}

// A stable description of the wire ABI: every message's fields (number, name, type, label),
// every enum value, every service method. test/abi.test.ts compares it with the committed
// test/abi.snapshot.json, so an incompatible change fails loudly.
import path from 'node:path';
import protobuf from 'protobufjs';
import { PROTO_FILES, PROTO_ROOT } from '../proto/loader.js';

export type AbiDescriptor = Record<string, unknown>;

function walk(ns: protobuf.NamespaceBase, out: AbiDescriptor): void {
  for (const obj of ns.nestedArray) {
    if (obj instanceof protobuf.Type) {
      out[`message ${obj.fullName.slice(1)}`] = Object.fromEntries(
        obj.fieldsArray
          .slice()
          .sort((a, b) => a.id - b.id)
          .map((f) => [f.id, `${f.repeated ? 'repeated ' : ''}${f.type} ${f.name}${f.partOf ? ` (oneof ${f.partOf.name})` : ''}`]),
      );
    } else if (obj instanceof protobuf.Enum) {
      out[`enum ${obj.fullName.slice(1)}`] = Object.fromEntries(Object.entries(obj.values).map(([k, v]) => [v, k]).sort((a, b) => Number(a[0]) - Number(b[0])));
    } else if (obj instanceof protobuf.Service) {
      out[`service ${obj.fullName.slice(1)}`] = Object.fromEntries(
        obj.methodsArray.map((m) => [m.name, `${m.requestStream ? 'stream ' : ''}${m.requestType} -> ${m.responseStream ? 'stream ' : ''}${m.responseType}`]),
      );
    }
    if (obj instanceof protobuf.Namespace) walk(obj, out);
  }
}

export function describeAbi(): AbiDescriptor {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_ROOT, target));
  root.loadSync(PROTO_FILES.map((f) => path.join(PROTO_ROOT, f)), { keepCase: true });
  root.resolveAll();
  const out: AbiDescriptor = {};
  walk(root, out);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

// grpc-js answers INTERNAL when a request does not decode; we want INVALID_ARGUMENT, so every
// service's deserializer hands the handler a marker instead of throwing. Replies use the direct
// encoder (reply_encoder.ts).
import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { replySerializer } from './reply_encoder.js';

export const UNDECODABLE = Symbol('undecodable');
export interface Undecodable {
  [UNDECODABLE]: string;
}

/** `def` (the service named `service`, e.g. "xen.Hypervisor") with tolerant deserializers. */
export function tolerantService(service: string, def: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const [name, m] of Object.entries(def)) {
    const md = m as MethodDefinition<unknown, unknown>;
    out[name] = {
      ...md,
      responseSerialize: replySerializer(service, name),
      requestDeserialize: (buf: Buffer) => {
        try {
          return md.requestDeserialize(buf);
        } catch (e) {
          return { [UNDECODABLE]: `request does not decode as ${md.path}: ${(e as Error).message}` };
        }
      },
    };
  }
  return out as unknown as grpc.ServiceDefinition;
}

// The Xenstore gRPC service: decode, range-check, hand the message to xenstored, encode.
// Nothing here knows xenstore semantics; that all lives in xenstored/.
import * as grpc from '@grpc/grpc-js';
import type { Xen } from '../hypervisor/xen.js';
import type { XenstoreHandlers } from '../proto/generated/xen/Xenstore.js';
import type { xs_connection_event } from '../proto/generated/xen/xs_connection_event.js';
import type { xsd_sockmsg, xsd_sockmsg__Output } from '../proto/generated/xen/xsd_sockmsg.js';
import type { Connection, Xenstored } from '../xenstored/xenstored_core.js';
import { XENSTORE_PAYLOAD_MAX, XS } from '../proto/public/xs_wire.js';
import { UNDECODABLE, type Undecodable } from './tolerant_service.js';
import { callerOf, UnknownCaller } from './caller.js';

export const XENSTORE_SERVICE = 'xen.Xenstore';

/** A request the transport refuses, with its gRPC status. */
class Refused extends Error {
  readonly code: grpc.status;
  constructor(code: grpc.status, message: string) {
    super(message);
    this.code = code;
  }
}

const U32_MAX = 0xffff_ffff;

/** Watch events a slow reader may leave unread, in bytes; beyond it its connection is closed
 *  (cxenstored bounds a connection's output likewise, through its memory quota). */
const MAX_PENDING_EVENT_BYTES = 4 << 20;

function checkU32(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > U32_MAX) throw new Refused(grpc.status.INVALID_ARGUMENT, `${name} must be a uint32`);
  return v;
}

export interface XenstoreServiceHandle {
  handlers: XenstoreHandlers;
  /** Ends every open stream (the server is closing): each connection closes with it. */
  endAll(): void;
}

export function xenstoreHandlers(xen: Xen, xenstored: Xenstored): XenstoreServiceHandle {
  const streams = new Set<grpc.ServerWritableStream<unknown, xs_connection_event>>();

  const statusOf = (e: unknown): Partial<grpc.StatusObject> => {
    if (e instanceof Refused) return { code: e.code, details: e.message };
    if (e instanceof UnknownCaller) return { code: grpc.status.UNAUTHENTICATED, details: e.message };
    return { code: grpc.status.INTERNAL, details: `xenemu internal error: ${(e as Error).message ?? String(e)}` };
  };

  const handlers: XenstoreHandlers = {
    open: (call) => {
      const stream = call as unknown as grpc.ServerWritableStream<unknown, xs_connection_event>;
      let conn: Connection | undefined;
      try {
        if (typeof call.request === 'object' && call.request !== null && UNDECODABLE in call.request) {
          throw new Refused(grpc.status.INVALID_ARGUMENT, (call.request as Undecodable)[UNDECODABLE]);
        }
        const caller = callerOf(xen, call.metadata);
        conn = xenstored.open(caller, (path, token) => {
          if (stream.writableLength > MAX_PENDING_EVENT_BYTES) {
            stream.emit('error', { code: grpc.status.RESOURCE_EXHAUSTED, details: `xenstored: more than ${MAX_PENDING_EVENT_BYTES} bytes of watch events unread` });
            if (conn !== undefined) xenstored.close(conn);
            return;
          }
          const payload = Buffer.from(`${path}\0${token}\0`, 'latin1');
          stream.write({ event: { type: XS.WATCH_EVENT, req_id: 0, tx_id: 0, payload, conn_id: conn?.id ?? 0 } });
        });
        if (conn === undefined) throw new Refused(grpc.status.RESOURCE_EXHAUSTED, `xenstored: ${xenstored.max_connections} connections are open`);
      } catch (e) {
        stream.emit('error', statusOf(e));
        return;
      }
      const opened = conn;
      streams.add(stream);
      const done = (): void => {
        if (!streams.delete(stream)) return;
        xenstored.close(opened);
      };
      stream.on('cancelled', done);
      stream.on('close', done);
      stream.on('finish', done);
      stream.write({ conn_id: opened.id });
    },
    request: (call, callback) => {
      const req = call.request as xsd_sockmsg__Output | Undecodable;
      try {
        if (UNDECODABLE in req) throw new Refused(grpc.status.INVALID_ARGUMENT, req[UNDECODABLE]);
        const type = checkU32('type', req.type);
        const req_id = checkU32('req_id', req.req_id);
        const tx_id = checkU32('tx_id', req.tx_id);
        const conn_id = checkU32('conn_id', req.conn_id);
        const payload = Buffer.isBuffer(req.payload) ? req.payload : Buffer.from(req.payload ?? []);
        if (payload.length > XENSTORE_PAYLOAD_MAX) throw new Refused(grpc.status.RESOURCE_EXHAUSTED, `payload of ${payload.length} bytes is over XENSTORE_PAYLOAD_MAX (${XENSTORE_PAYLOAD_MAX})`);
        const conn = xenstored.connection(conn_id);
        if (conn === undefined) throw new Refused(grpc.status.NOT_FOUND, `no xenstore connection ${conn_id} (open one with Xenstore.open)`);
        const caller = callerOf(xen, call.metadata);
        if (caller !== conn.domid) throw new Refused(grpc.status.PERMISSION_DENIED, `connection ${conn_id} belongs to domain ${conn.domid}, not ${caller}`);
        const reply = xenstored.request(conn, type, tx_id, payload);
        const out: xsd_sockmsg = { type: reply.type, req_id, tx_id, payload: reply.payload, conn_id };
        callback(null, out);
      } catch (e) {
        callback(statusOf(e));
      }
    },
  };
  return {
    handlers,
    endAll: () => {
      for (const s of [...streams]) {
        s.end();
      }
    },
  };
}

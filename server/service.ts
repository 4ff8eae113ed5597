// The Hypervisor gRPC service: decode, run in the engine as the calling domain, encode.
// Nothing here knows Xen semantics; that all lives in hypervisor/.
import * as grpc from '@grpc/grpc-js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CONTINUATION } from '../hypervisor/continuation.js';
import type { Hypercall } from '../hypervisor/hypercall.js';
import type { DomId } from '../hypervisor/ids.js';
import { HYPERVISOR } from '../hypervisor/public/xen.js';
import type { Xen } from '../hypervisor/xen.js';
import type { HypervisorHandlers } from '../proto/generated/xen/Hypervisor.js';
import type { multicall_entry__Output } from '../proto/generated/xen/multicall_entry.js';
import type { memory_op_ret } from '../proto/generated/xen/memory_op_ret.js';
import type { multicall_ret } from '../proto/generated/xen/multicall_ret.js';
import { Malformed } from './codec.js';
import { domctlIn, domctlOut } from './codec_domctl.js';
import { memoryOpIn, memoryOpOut } from './codec_memory.js';
import { MEMOP_EXTENT_SHIFT } from '../hypervisor/public/memory.js';
import { entriesIn, entryIn, entryOut } from './codec_multicall.js';
import { sysctlIn, sysctlOut } from './codec_sysctl.js';
import { versionIn, versionOut } from './codec_version.js';
import { UNDECODABLE, type Undecodable } from './tolerant_service.js';
import { callerOf, UnknownCaller } from './caller.js';

function statusOf(e: unknown): Partial<grpc.StatusObject> {
  if (e instanceof Malformed) return { code: grpc.status.INVALID_ARGUMENT, details: e.message };
  if (e instanceof UnknownCaller) return { code: grpc.status.UNAUTHENTICATED, details: e.message };
  return { code: grpc.status.INTERNAL, details: `xenemu internal error: ${(e as Error).message ?? String(e)}` };
}

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

function unary<Req, Res>(xen: Xen, handle: (req: Req, caller: DomId) => Res): Unary<Req, Res> {
  return (call, callback) => {
    const req = call.request as Req | Undecodable;
    if (typeof req === 'object' && req !== null && UNDECODABLE in req) {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: req[UNDECODABLE] });
      return;
    }
    try {
      callback(null, handle(req as Req, callerOf(xen, call.metadata)));
    } catch (e) {
      callback(statusOf(e));
    }
  };
}

/** The async form of unary: the handler may await (a continued hypercall yields between slices).
 *  A handler that finished in its first slice answers synchronously, as unary does. */
function unaryAsync<Req, Res>(xen: Xen, handle: (req: Req, caller: DomId) => Res | Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    const req = call.request as Req | Undecodable;
    if (typeof req === 'object' && req !== null && UNDECODABLE in req) {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: req[UNDECODABLE] });
      return;
    }
    let res: Res | Promise<Res>;
    try {
      res = handle(req as Req, callerOf(xen, call.metadata));
    } catch (e) {
      callback(statusOf(e));
      return;
    }
    if (!(res instanceof Promise)) {
      callback(null, res);
      return;
    }
    res.then(
      (r) => callback(null, r),
      (e: unknown) => callback(statusOf(e)),
    );
  };
}

/**
 * Issues a hypercall slice by slice, yielding to the event loop between slices so that other
 * callers' hypercalls interleave, as other vCPUs run while one is preempted. If the calling
 * domain is destroyed meanwhile, its vCPU never resumes: the call ends with what was done.
 */
export function hypercallPreemptible(xen: Xen, caller: DomId, call: Hypercall, doneSoFar: () => number): number | Promise<number> {
  const r = xen.hypercall_slice(caller, call);
  return r === CONTINUATION ? continueHypercall(xen, caller, call, doneSoFar) : r;
}

async function continueHypercall(xen: Xen, caller: DomId, call: Hypercall, doneSoFar: () => number): Promise<number> {
  // Bound: each slice completes at least one extent of a call of at most 2^26 extents.
  for (;;) {
    await yieldToEventLoop();
    if (xen.domain(caller) === undefined) return doneSoFar();
    const r = xen.hypercall_slice(caller, call);
    if (r !== CONTINUATION) return r;
  }
}

export function hypervisorHandlers(xen: Xen): HypervisorHandlers {
  return {
    domctl: unary(xen, (req, caller) => {
      const args = domctlIn(req);
      const rc = xen.hypercall(caller, { op: HYPERVISOR.domctl, args });
      return { rc, op: domctlOut(args) };
    }),
    sysctl: unary(xen, (req, caller) => {
      const args = sysctlIn(req);
      const rc = xen.hypercall(caller, { op: HYPERVISOR.sysctl, args });
      return { rc, op: sysctlOut(args) };
    }),
    memory_op: unaryAsync(xen, (req, caller) => {
      const args = memoryOpIn(req);
      const cmd = args.cmd;
      const reply = (rc: number): memory_op_ret => {
        args.cmd = cmd; // a continuation rewrote the caller's registers, not its struct
        return { rc, op: memoryOpOut(args) };
      };
      const rc = hypercallPreemptible(xen, caller, { op: HYPERVISOR.memory_op, args }, () => args.cmd >>> MEMOP_EXTENT_SHIFT);
      return typeof rc === 'number' ? reply(rc) : rc.then(reply);
    }),
    xen_version: unary(xen, (req, caller) => {
      const args = versionIn(req);
      const rc = xen.hypercall(caller, { op: HYPERVISOR.xen_version, args });
      return { rc, op: versionOut(args) };
    }),
    multicall: unaryAsync(xen, (req, caller) => {
      const entries = entriesIn(req.call_list);
      const cmds = entries.map((e) => (e.call.op === HYPERVISOR.memory_op ? (e.call.args as { cmd: number }).cmd : 0));
      const reply = (rc: number): multicall_ret => {
        // Continuations rewrote the entries' registers, not the caller's structs.
        entries.forEach((e, i) => {
          if (e.call.op === HYPERVISOR.memory_op) (e.call.args as { cmd: number }).cmd = cmds[i]!;
        });
        return { rc, call_list: entries.map(entryOut) };
      };
      const rc = hypercallPreemptible(xen, caller, { op: HYPERVISOR.multicall, args: entries }, () => 0);
      return typeof rc === 'number' ? reply(rc) : rc.then(reply);
    }),
    hypercall_stream: (stream) => {
      // One stream is one vCPU issuing hypercalls: in order, each answered before the next.
      // Requests queue behind the one in progress, which may be preempted and continued.
      let queue: Promise<void> = Promise.resolve();
      const issue = async (req: multicall_entry__Output | Undecodable): Promise<void> => {
        try {
          if (UNDECODABLE in req) throw new Malformed(req[UNDECODABLE]);
          const entry = { call: entryIn(req), result: 0 };
          const cmd = entry.call.op === HYPERVISOR.memory_op ? (entry.call.args as { cmd: number }).cmd : 0;
          entry.result = await hypercallPreemptible(xen, callerOf(xen, stream.metadata), entry.call, () => (entry.call.args as { cmd: number }).cmd >>> MEMOP_EXTENT_SHIFT);
          if (entry.call.op === HYPERVISOR.memory_op) (entry.call.args as { cmd: number }).cmd = cmd;
          stream.write(entryOut(entry));
        } catch (e) {
          stream.emit('error', statusOf(e));
        }
      };
      stream.on('data', (req: multicall_entry__Output | Undecodable) => {
        queue = queue.then(() => issue(req));
      });
      stream.on('end', () => {
        queue = queue.then(() => {
          stream.end();
        });
      });
    },
  };
}

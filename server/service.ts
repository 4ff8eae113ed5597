// The Hypervisor gRPC service: decode, run in the engine as the calling domain, encode.
// Nothing here knows Xen semantics; that all lives in hypervisor/.
import * as grpc from '@grpc/grpc-js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CONTINUATION } from '../hypervisor/continuation.js';
import type { Hypercall, MulticallEntry } from '../hypervisor/hypercall.js';
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
import { MEMOP_EXTENT_SHIFT, type xen_memory_op } from '../hypervisor/public/memory.js';
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

/** Saves the memory_op cmds of a call (its own, or its entries' for a multicall), which
 *  continuations rewrite as the caller's registers; the returned function puts them back. */
function saveCmds(call: Hypercall): (() => void) | null {
  if (call.op === HYPERVISOR.memory_op) {
    const a = call.args as xen_memory_op;
    const cmd = a.cmd;
    return () => (a.cmd = cmd);
  }
  if (call.op !== HYPERVISOR.multicall) return null;
  const ops = (call.args as MulticallEntry[]).filter((e) => e.call.op === HYPERVISOR.memory_op).map((e) => e.call.args as xen_memory_op);
  const cmds = ops.map((a) => a.cmd);
  return () => ops.forEach((a, i) => (a.cmd = cmds[i]!));
}

/**
 * Issues a hypercall slice by slice, yielding to the event loop between slices so that other
 * callers' hypercalls interleave, as other vCPUs run while one is preempted. If the calling
 * domain is destroyed meanwhile, its vCPU never resumes: the call ends with what was done.
 * A call done in its first slice returns synchronously; the caller's memory_op cmds come back
 * as sent either way.
 */
function hypercallPreemptible(xen: Xen, caller: DomId, call: Hypercall): number | Promise<number> {
  const restore = saveCmds(call);
  const r = xen.hypercall_slice(caller, call);
  if (r !== CONTINUATION) {
    restore?.();
    return r;
  }
  // What a memory_op has done is in its continued cmd; a multicall's rc is 0 whatever ran.
  const doneSoFar = (): number => (call.op === HYPERVISOR.memory_op ? (call.args as xen_memory_op).cmd >>> MEMOP_EXTENT_SHIFT : 0);
  return continueHypercall(xen, caller, call, doneSoFar).finally(() => restore?.());
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
      const reply = (rc: number): memory_op_ret => ({ rc, op: memoryOpOut(args) });
      const rc = hypercallPreemptible(xen, caller, { op: HYPERVISOR.memory_op, args });
      return typeof rc === 'number' ? reply(rc) : rc.then(reply);
    }),
    xen_version: unary(xen, (req, caller) => {
      const args = versionIn(req);
      const rc = xen.hypercall(caller, { op: HYPERVISOR.xen_version, args });
      return { rc, op: versionOut(args) };
    }),
    multicall: unaryAsync(xen, (req, caller) => {
      const entries = entriesIn(req.call_list);
      const reply = (rc: number): multicall_ret => ({ rc, call_list: entries.map(entryOut) });
      const rc = hypercallPreemptible(xen, caller, { op: HYPERVISOR.multicall, args: entries });
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
          entry.result = await hypercallPreemptible(xen, callerOf(xen, stream.metadata), entry.call);
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

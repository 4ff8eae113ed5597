// Raw wire calls for tests: the generated client with promises, no libxc in between.
import type * as grpc from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';
import type { memory_op_ret__Output } from '../proto/generated/xen/memory_op_ret.js';
import type { xen_memory_op } from '../proto/generated/xen/xen_memory_op.js';
import type { HypervisorClient } from '../proto/generated/xen/Hypervisor.js';
import type { domctl_ret__Output } from '../proto/generated/xen/domctl_ret.js';
import type { multicall_entry, multicall_entry__Output } from '../proto/generated/xen/multicall_entry.js';
import type { multicall_list } from '../proto/generated/xen/multicall_list.js';
import type { multicall_ret__Output } from '../proto/generated/xen/multicall_ret.js';
import type { sysctl_ret__Output } from '../proto/generated/xen/sysctl_ret.js';
import type { xen_domctl } from '../proto/generated/xen/xen_domctl.js';
import type { xen_sysctl } from '../proto/generated/xen/xen_sysctl.js';
import type { xen_version_ret__Output } from '../proto/generated/xen/xen_version_ret.js';

type Cb<R> = (e: grpc.ServiceError | null, r?: R) => void;

function promisify<Req, Res>(f: (req: Req, cb: Cb<Res>) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => f(req, (e, r) => (e ? reject(e) : resolve(r!))));
}

export const SYSCTL_V = 0x16;
export const DOMCTL_V = 0x18;

export const sysctl = (c: HypervisorClient, req: xen_sysctl): Promise<sysctl_ret__Output> =>
  promisify<xen_sysctl, sysctl_ret__Output>((r, cb) => c.sysctl(r, cb), req);
export const domctl = (c: HypervisorClient, req: xen_domctl): Promise<domctl_ret__Output> =>
  promisify<xen_domctl, domctl_ret__Output>((r, cb) => c.domctl(r, cb), req);
export const multicall = (c: HypervisorClient, req: multicall_list): Promise<multicall_ret__Output> =>
  promisify<multicall_list, multicall_ret__Output>((r, cb) => c.multicall(r, cb), req);
export const xenVersion = (c: HypervisorClient, cmd: number): Promise<xen_version_ret__Output> =>
  promisify<{ cmd: number }, xen_version_ret__Output>((r, cb) => c.xen_version(r, cb), { cmd });

/** Sends entries down one hypercall_stream and collects the replies. */
export function stream(c: HypervisorClient, entries: multicall_entry[]): Promise<multicall_entry__Output[]> {
  return new Promise((resolve, reject) => {
    const call = c.hypercall_stream();
    const got: multicall_entry__Output[] = [];
    call.on('data', (e: multicall_entry__Output) => got.push(e));
    call.on('error', reject);
    call.on('end', () => resolve(got));
    for (const e of entries) call.write(e);
    call.end();
  });
}

export const physinfoReq: xen_sysctl = { cmd: 3, interface_version: SYSCTL_V };

/** A memory_op, issued as `caller` (the control domain when absent). */
export function memoryOp(c: HypervisorClient, req: xen_memory_op, caller?: number): Promise<memory_op_ret__Output> {
  const md = new Metadata();
  if (caller !== undefined) md.set('xen-caller-domid', String(caller));
  return new Promise((resolve, reject) => c.memory_op(req, md, (e, r) => (e ? reject(e) : resolve(r!))));
}

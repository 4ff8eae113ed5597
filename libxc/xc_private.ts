// The libxc handle and hypercall plumbing (tools/libs/ctrl/xc_private.{c,h}): each xc_*
// function builds a Xen struct and issues it over the wire; a negative rc becomes XenError.
import * as grpc from '@grpc/grpc-js';
import { ADDRESS_ENV, CALLER_METADATA_KEY, CALL_DEADLINE_MS, DEFAULT_ADDRESS, MAX_MESSAGE_BYTES } from '../proto/endpoint.js';
import type { HypervisorClient } from '../proto/generated/xen/Hypervisor.js';
import type { xen_domctl } from '../proto/generated/xen/xen_domctl.js';
import type { xen_domctl__Output } from '../proto/generated/xen/xen_domctl.js';
import type { xen_memory_op, xen_memory_op__Output } from '../proto/generated/xen/xen_memory_op.js';
import type { xen_sysctl, xen_sysctl__Output } from '../proto/generated/xen/xen_sysctl.js';
import type { xen_version_op, xen_version_op__Output } from '../proto/generated/xen/xen_version_op.js';
import type { xen_version_ret__Output } from '../proto/generated/xen/xen_version_ret.js';
import type { sysctl_ret__Output } from '../proto/generated/xen/sysctl_ret.js';
import type { domctl_ret__Output } from '../proto/generated/xen/domctl_ret.js';
import type { memory_op_ret__Output } from '../proto/generated/xen/memory_op_ret.js';
import { loadHypervisorPackage } from '../proto/load.js';
import { XEN_DOMCTL_INTERFACE_VERSION } from '../proto/public/domctl.js';
import { XEN_SYSCTL_INTERFACE_VERSION } from '../proto/public/sysctl.js';
import { XenError } from './xc_error.js';

/** Client channel options, set explicitly; retries off because a repeated populate allocates twice. */
export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.enable_retries': 0,
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
};

let proto: ReturnType<typeof loadHypervisorPackage>['proto'] | undefined;

/** xc_interface: one connection to one emulated host. */
export class xc_interface {
  readonly address: string;
  readonly client: HypervisorClient;
  /** xc_get_max_cpus / xc_get_max_nodes results. C caches them process-wide; here per handle,
   *  so one process can talk to two hosts. */
  max_cpus: number | undefined;
  max_nodes: number | undefined;
  /** Request metadata naming the calling domain, when not the control domain. */
  readonly metadata: grpc.Metadata;

  constructor(address: string, caller?: number, interpose?: (client: HypervisorClient) => HypervisorClient) {
    this.metadata = new grpc.Metadata();
    if (caller !== undefined) this.metadata.set(CALLER_METADATA_KEY, String(caller));
    proto ??= loadHypervisorPackage().proto;
    this.address = address;
    const client = new proto.xen.Hypervisor(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    this.client = interpose === undefined ? client : interpose(client);
  }
}

/** How long xc_interface_open waits for the server before failing, as opening privcmd would. */
export const OPEN_TIMEOUT_MS = 5_000;

/** Waits for READY; a refused connection (TRANSIENT_FAILURE) fails at once rather than at the deadline. */
function connect(channel: ReturnType<grpc.Client['getChannel']>, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (): void => {
      const state = channel.getConnectivityState(true);
      if (state === grpc.connectivityState.READY) return resolve();
      if (state === grpc.connectivityState.TRANSIENT_FAILURE) return reject(new Error('connection failed'));
      if (state === grpc.connectivityState.SHUTDOWN) return reject(new Error('channel shut down'));
      channel.watchConnectivityState(state, deadline, (err) => (err ? reject(new Error('timed out')) : step()));
    };
    step();
  });
}

export interface xc_interface_open_opts {
  /** The calling domain (default: the control domain). */
  caller?: number;
  /** xenemu extension: wraps the gRPC client every hypercall of this handle goes through, e.g.
   *  a scheduler that orders the calls of concurrent builders (cli/storm) or a tracer. */
  interpose?: (client: HypervisorClient) => HypervisorClient;
}

/**
 * xc_interface_open: the address comes from the argument, $XENEMU_ADDRESS, or the default.
 * Fails (XenError EIO) if no server answers there, as C fails without /dev/xen/privcmd.
 */
export async function xc_interface_open(address?: string, opts: xc_interface_open_opts = {}): Promise<xc_interface> {
  const xch = new xc_interface(address ?? process.env[ADDRESS_ENV] ?? DEFAULT_ADDRESS, opts.caller, opts.interpose);
  try {
    await connect(xch.client.getChannel(), Date.now() + OPEN_TIMEOUT_MS);
  } catch (e) {
    xch.client.close();
    throw XenError.of('xc_interface_open', 'EIO', `no xenemu server at ${xch.address}: ${(e as Error).message}`);
  }
  return xch;
}

export function xc_interface_close(xch: xc_interface): void {
  xch.client.close();
}

const deadline = (): grpc.CallOptions => ({ deadline: Date.now() + CALL_DEADLINE_MS });

type Unary<Req, Res> = (req: Req, md: grpc.Metadata, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: Res) => void) => unknown;

/** A transport failure is an I/O error to the caller, as a failed ioctl on privcmd would be. */
export function call<Req, Res>(fn: string, method: Unary<Req, Res>, md: grpc.Metadata, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(req, md, deadline(), (err, res) => {
      if (err) reject(Object.assign(XenError.of(fn, 'EIO', `${grpc.status[err.code]}: ${err.details}`), { grpcCode: err.code }));
      else resolve(res!);
    });
  });
}

/** The hypercall's own result: a negative value is an errno. */
export function rcOf(fn: string, rc: string): number {
  const n = Number(rc);
  if (n < 0) throw new XenError(fn, -n);
  return n;
}

/** do_sysctl: stamps XEN_SYSCTL_INTERFACE_VERSION; returns the struct as Xen left it. */
export async function do_sysctl(xch: xc_interface, fn: string, op: xen_sysctl): Promise<xen_sysctl__Output> {
  const r = await call<xen_sysctl, sysctl_ret__Output>(fn, xch.client.sysctl.bind(xch.client), xch.metadata, { ...op, interface_version: XEN_SYSCTL_INTERFACE_VERSION });
  rcOf(fn, r.rc);
  return r.op!;
}

/** do_domctl: stamps XEN_DOMCTL_INTERFACE_VERSION. */
export async function do_domctl(xch: xc_interface, fn: string, op: xen_domctl): Promise<xen_domctl__Output> {
  const r = await do_domctl_rc(xch, fn, op);
  rcOf(fn, r.rc);
  return r.op;
}

/** do_domctl for the callers that read OUT fields Xen writes on failure too (nr_entries on -ERANGE). */
export async function do_domctl_rc(xch: xc_interface, fn: string, op: xen_domctl): Promise<{ rc: string; op: xen_domctl__Output }> {
  const r = await call<xen_domctl, domctl_ret__Output>(fn, xch.client.domctl.bind(xch.client), xch.metadata, { ...op, interface_version: XEN_DOMCTL_INTERFACE_VERSION });
  return { rc: r.rc, op: r.op! };
}

/** xc_memory_op: the long result (a count or a value) or XenError. */
export async function xc_memory_op(xch: xc_interface, fn: string, op: xen_memory_op): Promise<{ rc: number; op: xen_memory_op__Output }> {
  const r = await call<xen_memory_op, memory_op_ret__Output>(fn, xch.client.memory_op.bind(xch.client), xch.metadata, op);
  return { rc: rcOf(fn, r.rc), op: r.op! };
}

/** do_xen_version. */
export async function do_xen_version(xch: xc_interface, fn: string, cmd: number): Promise<{ rc: number; op: xen_version_op__Output }> {
  const r = await call<xen_version_op, xen_version_ret__Output>(fn, xch.client.xen_version.bind(xch.client), xch.metadata, { cmd });
  return { rc: rcOf(fn, r.rc), op: r.op! };
}

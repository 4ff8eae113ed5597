// libxenstore (tools/libs/store/xs.c): the client API of xenstored over the Xenstore service.
// A handle is one xenstored connection: the `open` stream names it and carries its watch
// events; each request is one unary call on it. Transactions and watches belong to the handle.
import * as grpc from '@grpc/grpc-js';
import { CALLER_METADATA_KEY, CALL_DEADLINE_MS, MAX_MESSAGE_BYTES } from '../proto/endpoint.js';
import type { XenstoreClient } from '../proto/generated/xen/Xenstore.js';
import type { xs_connection_event__Output } from '../proto/generated/xen/xs_connection_event.js';
import type { xsd_sockmsg, xsd_sockmsg__Output } from '../proto/generated/xen/xsd_sockmsg.js';
import type { ProtoGrpcType } from '../proto/generated/xenstore.js';
import { loadHypervisorPackage } from '../proto/load.js';
import { XS, XSD_ERRORS, XS_PERM_NONE, XS_PERM_OWNER, XS_PERM_READ, XS_PERM_WRITE } from '../proto/public/xs_wire.js';

export const XBT_NULL = 0;
export type xs_transaction_t = number;
/** xs_perm_type bits. */
export const XS_PERM = { NONE: XS_PERM_NONE, READ: XS_PERM_READ, WRITE: XS_PERM_WRITE, OWNER: XS_PERM_OWNER } as const;

/** struct xs_permissions. */
export interface xs_permissions {
  id: number;
  perms: number;
}

/** A failed xs_* call: xenstored's errno name (or EIO for a transport failure), as C sets errno. */
export class XsError extends Error {
  readonly errno: number;
  readonly code: string;
  /** The gRPC status of a transport failure. */
  readonly grpcCode: grpc.status | undefined;

  constructor(fn: string, code: string, detail?: string, grpcCode?: grpc.status) {
    super(`${fn}: ${code}${detail === undefined ? '' : `: ${detail}`}`);
    this.name = 'XsError';
    this.code = code;
    this.errno = (XSD_ERRORS as Record<string, number>)[code] ?? XSD_ERRORS.EINVAL;
    this.grpcCode = grpcCode;
  }
}

/** Same transport settings as libxc's channel (libxc/xc_private.ts); retries off: a write is not idempotent. */
const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.enable_retries': 0,
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
};

/** How long xs_open waits for xenstored, as libxc waits for the hypervisor. */
export const XS_OPEN_TIMEOUT_MS = 5_000;

/** Watch events a handle keeps until xs_read_watch takes them (C keeps a list too; bounded here). */
export const XS_MAX_QUEUED_WATCH_EVENTS = 65536;

let proto: ProtoGrpcType | undefined;

/** struct xs_handle. */
export interface xs_handle {
  readonly address: string;
}

interface Handle extends xs_handle {
  client: XenstoreClient;
  metadata: grpc.Metadata;
  stream: grpc.ClientReadableStream<xs_connection_event__Output>;
  conn_id: number;
  next_req_id: number;
  events: [string, string][];
  waiters: { resolve(e: [string, string]): void; reject(e: Error): void }[];
  /** Set once the connection is gone: every later call fails with it. */
  dead: XsError | undefined;
}

function impl(h: xs_handle): Handle {
  return h as Handle;
}

export interface xs_open_opts {
  /** The domain the connection is made as (default dom0). */
  domid?: number;
  /** xenemu extension: wraps the gRPC client the handle's requests go through (its watch
   *  stream is opened on the wrapped client too), e.g. the boot storm's call scheduler. */
  interpose?: (client: XenstoreClient) => XenstoreClient;
}

/** xs_open: one connection to xenstored on the server at `address`, made as domain `domid` (default dom0). */
export async function xs_open(address: string, opts: xs_open_opts = {}): Promise<xs_handle> {
  proto ??= loadHypervisorPackage().proto as unknown as ProtoGrpcType;
  const metadata = new grpc.Metadata();
  if (opts.domid !== undefined) metadata.set(CALLER_METADATA_KEY, String(opts.domid));
  const raw = new proto.xen.Xenstore(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  const client = opts.interpose === undefined ? raw : opts.interpose(raw);
  const stream = client.open({}, metadata);
  const h: Handle = { address, client, metadata, stream, conn_id: 0, next_req_id: 1, events: [], waiters: [], dead: undefined };
  const gone = (e: XsError): void => {
    h.dead ??= e;
    for (const w of h.waiters.splice(0)) w.reject(h.dead);
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.cancel();
      reject(new XsError('xs_open', 'EIO', `no xenstored at ${address} within ${XS_OPEN_TIMEOUT_MS} ms`));
    }, XS_OPEN_TIMEOUT_MS);
    stream.on('data', (m: xs_connection_event__Output) => {
      if (h.conn_id === 0) {
        clearTimeout(timer);
        h.conn_id = m.conn_id;
        resolve();
        return;
      }
      if (m.event === null || m.event === undefined || m.event.type !== XS.WATCH_EVENT) return;
      const [path = '', token = ''] = split_strings(m.event.payload);
      const w = h.waiters.shift();
      if (w !== undefined) w.resolve([path, token]);
      else if (h.events.length < XS_MAX_QUEUED_WATCH_EVENTS) h.events.push([path, token]);
      else gone(new XsError('xs_read_watch', 'ENOSPC', `more than ${XS_MAX_QUEUED_WATCH_EVENTS} watch events unread`));
    });
    stream.on('error', (e: grpc.ServiceError) => {
      clearTimeout(timer);
      const err = new XsError('xs_open', 'EIO', `${grpc.status[e.code]}: ${e.details}`, e.code);
      reject(err);
      gone(err);
    });
    stream.on('end', () => gone(new XsError('xs_read_watch', 'EIO', 'xenstored closed the connection')));
  }).catch((e: unknown) => {
    client.close();
    throw e;
  });
  return h;
}

/** xs_close: the connection ends; its transactions are dropped and its watches removed. */
export function xs_close(xh: xs_handle): void {
  const h = impl(xh);
  h.dead ??= new XsError('xs_close', 'EBADF', 'handle closed');
  for (const w of h.waiters.splice(0)) w.reject(h.dead);
  h.stream.cancel();
  h.client.close();
}

/** Splits a payload of nul-terminated strings (a final unterminated piece counts too). */
function split_strings(payload: Buffer): string[] {
  const s = payload.toString('utf8');
  const parts = s.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const cstr = (s: string): Buffer => Buffer.from(`${s}\0`, 'utf8');

/** xs_talkv: one request, xenstored's reply payload, or XsError with its errno name. */
function xs_talkv(fn: string, xh: xs_handle, t: xs_transaction_t, type: number, payload: Buffer): Promise<Buffer> {
  const h = impl(xh);
  if (h.dead !== undefined && h.dead.code !== 'ENOSPC') return Promise.reject(new XsError(fn, h.dead.code, h.dead.message));
  const req: xsd_sockmsg = { type, req_id: h.next_req_id, tx_id: t, payload, conn_id: h.conn_id };
  h.next_req_id = (h.next_req_id + 1) >>> 0;
  return new Promise((resolve, reject) => {
    h.client.request(req, h.metadata, { deadline: Date.now() + CALL_DEADLINE_MS }, (err: grpc.ServiceError | null, res?: xsd_sockmsg__Output) => {
      if (err) return reject(new XsError(fn, 'EIO', `${grpc.status[err.code]}: ${err.details}`, err.code));
      if (res!.type === XS.ERROR) return reject(new XsError(fn, split_strings(res!.payload)[0] ?? 'EINVAL'));
      resolve(res!.payload);
    });
  });
}

/** The C functions that answer NULL with errno ENOENT answer null here. */
async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof XsError && e.code === 'ENOENT') return null;
    throw e;
  }
}

export async function xs_read(h: xs_handle, t: xs_transaction_t, path: string): Promise<string | null> {
  return orNull(xs_talkv('xs_read', h, t, XS.READ, cstr(path)).then((b) => b.toString('utf8')));
}

export async function xs_write(h: xs_handle, t: xs_transaction_t, path: string, value: string): Promise<void> {
  await xs_talkv('xs_write', h, t, XS.WRITE, Buffer.concat([cstr(path), Buffer.from(value, 'utf8')]));
}

export async function xs_mkdir(h: xs_handle, t: xs_transaction_t, path: string): Promise<void> {
  await xs_talkv('xs_mkdir', h, t, XS.MKDIR, cstr(path));
}

/** xs_rm: xenstored answers OK for a missing node whose parent exists, ENOENT if the parent is missing too. */
export async function xs_rm(h: xs_handle, t: xs_transaction_t, path: string): Promise<void> {
  await xs_talkv('xs_rm', h, t, XS.RM, cstr(path));
}

export async function xs_directory(h: xs_handle, t: xs_transaction_t, path: string): Promise<string[] | null> {
  return orNull(xs_talkv('xs_directory', h, t, XS.DIRECTORY, cstr(path)).then(split_strings));
}

/** xenstore_strings_to_perms (client side). */
function strings_to_perms(fn: string, strings: readonly string[]): xs_permissions[] {
  return strings.map((s) => {
    const perms = ({ r: XS_PERM_READ, w: XS_PERM_WRITE, b: XS_PERM_READ | XS_PERM_WRITE, n: XS_PERM_NONE } as Record<string, number>)[s[0] ?? ''];
    const id = /^-?\d+$/.test(s.slice(1)) ? Number(s.slice(1)) : NaN;
    if (perms === undefined || Number.isNaN(id)) throw new XsError(fn, 'EINVAL', `bad permission '${s}'`);
    return { id, perms };
  });
}

export async function xs_get_permissions(h: xs_handle, t: xs_transaction_t, path: string): Promise<xs_permissions[] | null> {
  const strings = await orNull(xs_talkv('xs_get_permissions', h, t, XS.GET_PERMS, cstr(path)).then(split_strings));
  return strings === null ? null : strings_to_perms('xs_get_permissions', strings);
}

/** xs_set_permissions: the first entry is the owner and everyone else's access. */
export async function xs_set_permissions(h: xs_handle, t: xs_transaction_t, path: string, perms: readonly xs_permissions[]): Promise<void> {
  const letter = (p: number): string => {
    const l = ({ [XS_PERM_WRITE]: 'w', [XS_PERM_READ]: 'r', [XS_PERM_READ | XS_PERM_WRITE]: 'b', [XS_PERM_NONE]: 'n' } as Record<number, string>)[p & ~XS_PERM_OWNER];
    if (l === undefined) throw new XsError('xs_set_permissions', 'EINVAL', `no permission letter for ${p}`);
    return l;
  };
  const strings = perms.map((p) => `${letter(p.perms)}${p.id}`);
  await xs_talkv('xs_set_permissions', h, t, XS.SET_PERMS, Buffer.concat([cstr(path), ...strings.map(cstr)]));
}

export async function xs_transaction_start(h: xs_handle): Promise<xs_transaction_t> {
  const id = split_strings(await xs_talkv('xs_transaction_start', h, XBT_NULL, XS.TRANSACTION_START, Buffer.alloc(0)))[0] ?? '';
  if (!/^\d+$/.test(id)) throw new XsError('xs_transaction_start', 'EINVAL', `bad transaction id '${id}'`);
  return Number(id);
}

/** xs_transaction_end: a commit that conflicts fails with code 'EAGAIN' (run it again). */
export async function xs_transaction_end(h: xs_handle, t: xs_transaction_t, abort: boolean): Promise<void> {
  await xs_talkv('xs_transaction_end', h, t, XS.TRANSACTION_END, cstr(abort ? 'F' : 'T'));
}

export async function xs_get_domain_path(h: xs_handle, domid: number): Promise<string> {
  return split_strings(await xs_talkv('xs_get_domain_path', h, XBT_NULL, XS.GET_DOMAIN_PATH, cstr(String(domid))))[0] ?? '';
}

export async function xs_introduce_domain(h: xs_handle, domid: number, mfn: number, eventchn: number): Promise<void> {
  await xs_talkv('xs_introduce_domain', h, XBT_NULL, XS.INTRODUCE, Buffer.concat([cstr(String(domid)), cstr(String(mfn)), cstr(String(eventchn))]));
}

export async function xs_release_domain(h: xs_handle, domid: number): Promise<void> {
  await xs_talkv('xs_release_domain', h, XBT_NULL, XS.RELEASE, cstr(String(domid)));
}

/** xs_is_domain_introduced. */
export async function xs_is_domain_introduced(h: xs_handle, domid: number): Promise<boolean> {
  return split_strings(await xs_talkv('xs_is_domain_introduced', h, XBT_NULL, XS.IS_DOMAIN_INTRODUCED, cstr(String(domid))))[0] === 'T';
}

/** xs_watch: xenstored fires once at registration, then on any change to `path` or below it. */
export async function xs_watch(h: xs_handle, path: string, token: string): Promise<void> {
  await xs_talkv('xs_watch', h, XBT_NULL, XS.WATCH, Buffer.concat([cstr(path), cstr(token)]));
}

export async function xs_unwatch(h: xs_handle, path: string, token: string): Promise<void> {
  await xs_talkv('xs_unwatch', h, XBT_NULL, XS.UNWATCH, Buffer.concat([cstr(path), cstr(token)]));
}

/** xs_read_watch: the next event of this handle's watches, waiting for one if none is queued. */
export async function xs_read_watch(xh: xs_handle): Promise<[path: string, token: string]> {
  const h = impl(xh);
  const queued = h.events.shift();
  if (queued !== undefined) return queued;
  if (h.dead !== undefined) throw h.dead;
  return new Promise((resolve, reject) => h.waiters.push({ resolve, reject }));
}

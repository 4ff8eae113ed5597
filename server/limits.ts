// Transport limits of the server, each set explicitly (never a library default).

import { MAX_MESSAGE_BYTES } from '../proto/endpoint.js';

/** Largest request and reply (proto/endpoint.ts says why). */
export const MAX_RECEIVE_MESSAGE_BYTES = MAX_MESSAGE_BYTES;
export const MAX_SEND_MESSAGE_BYTES = MAX_MESSAGE_BYTES;
/** Concurrent calls per connection: one per builder in a 256-VM boot storm, and some. */
export const MAX_CONCURRENT_STREAMS = 512;
/** Server keepalive ping interval and the time to wait for its answer. */
export const KEEPALIVE_TIME_MS = 30_000;
export const KEEPALIVE_TIMEOUT_MS = 10_000;
/** Connections idle this long are closed (clients reconnect transparently). */
export const MAX_CONNECTION_IDLE_MS = 10 * 60_000;
/** Entries per multicall, an emulator bound (Xen has none; the message limit bounds it too). */
export const MAX_MULTICALL_ENTRIES = 65536;

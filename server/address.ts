// Listen addresses: host:port (IPv4, [IPv6] or a name) or unix:PATH.

export { ADDRESS_ENV, DEFAULT_ADDRESS, DEFAULT_PORT } from '../proto/endpoint.js';

export function isUnix(address: string): boolean {
  return address.startsWith('unix:');
}

/** The host part of host:port, without IPv6 brackets. */
export function hostOf(address: string): string {
  const m = /^\[(.*)\]:\d+$/.exec(address) ?? /^(.*):\d+$/.exec(address);
  return m?.[1] ?? address;
}

/** Loopback: 127.0.0.0/8, ::1, localhost, or a unix socket (local by nature). */
export function isLoopback(address: string): boolean {
  if (isUnix(address)) return true;
  const h = hostOf(address);
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** A well-formed listen address, or a message saying what is wrong. */
export function checkAddress(address: string): string | null {
  if (isUnix(address)) return address.length > 'unix:'.length ? null : 'unix: needs a path';
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(address);
  if (m === null || Number(m[2]) > 65535) return `'${address}' is not HOST:PORT or unix:PATH`;
  return null;
}

// Who is calling: every request of every service is made as a domain.
import type * as grpc from '@grpc/grpc-js';
import { domid, type DomId } from '../hypervisor/ids.js';
import type { Xen } from '../hypervisor/xen.js';
import { CALLER_METADATA_KEY } from '../proto/endpoint.js';

/** A caller claim that names no domain (the services answer UNAUTHENTICATED). */
export class UnknownCaller extends Error {}

/** The domain the request's metadata names, else the control domain. */
export function callerOf(xen: Xen, md: grpc.Metadata): DomId {
  const values = md.get(CALLER_METADATA_KEY);
  if (values.length === 0) return xen.control_domain().domain_id;
  const text = String(values[0]);
  if (values.length > 1 || !/^\d{1,5}$/.test(text)) throw new UnknownCaller(`${CALLER_METADATA_KEY} must be one decimal domid, got '${text.slice(0, 16)}'`);
  const d = xen.domain(domid(Number(text)));
  if (d === undefined) throw new UnknownCaller(`${CALLER_METADATA_KEY}: there is no domain ${text}`);
  return d.domain_id;
}

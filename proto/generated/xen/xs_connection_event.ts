// Original file: proto/xen/xenstore.proto

import type { xsd_sockmsg as _xen_xsd_sockmsg, xsd_sockmsg__Output as _xen_xsd_sockmsg__Output } from '../xen/xsd_sockmsg.js';

export interface xs_connection_event {
  'conn_id'?: (number);
  'event'?: (_xen_xsd_sockmsg | null);
}

export interface xs_connection_event__Output {
  'conn_id': (number);
  'event': (_xen_xsd_sockmsg__Output | null);
}

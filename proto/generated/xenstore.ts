import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { XenstoreClient as _xen_XenstoreClient, XenstoreDefinition as _xen_XenstoreDefinition } from './xen/Xenstore.js';
import type { xs_connection_event as _xen_xs_connection_event, xs_connection_event__Output as _xen_xs_connection_event__Output } from './xen/xs_connection_event.js';
import type { xs_open as _xen_xs_open, xs_open__Output as _xen_xs_open__Output } from './xen/xs_open.js';
import type { xsd_sockmsg as _xen_xsd_sockmsg, xsd_sockmsg__Output as _xen_xsd_sockmsg__Output } from './xen/xsd_sockmsg.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  xen: {
    Xenstore: SubtypeConstructor<typeof grpc.Client, _xen_XenstoreClient> & { service: _xen_XenstoreDefinition }
    xs_connection_event: MessageTypeDefinition<_xen_xs_connection_event, _xen_xs_connection_event__Output>
    xs_open: MessageTypeDefinition<_xen_xs_open, _xen_xs_open__Output>
    xsd_sockmsg: MessageTypeDefinition<_xen_xsd_sockmsg, _xen_xsd_sockmsg__Output>
    xsd_sockmsg_type: EnumTypeDefinition
  }
}


// Original file: proto/xen/xenstore.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { xs_connection_event as _xen_xs_connection_event, xs_connection_event__Output as _xen_xs_connection_event__Output } from '../xen/xs_connection_event.js';
import type { xs_open as _xen_xs_open, xs_open__Output as _xen_xs_open__Output } from '../xen/xs_open.js';
import type { xsd_sockmsg as _xen_xsd_sockmsg, xsd_sockmsg__Output as _xen_xsd_sockmsg__Output } from '../xen/xsd_sockmsg.js';

export interface XenstoreClient extends grpc.Client {
  open(argument: _xen_xs_open, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_xen_xs_connection_event__Output>;
  open(argument: _xen_xs_open, options?: grpc.CallOptions): grpc.ClientReadableStream<_xen_xs_connection_event__Output>;
  
  request(argument: _xen_xsd_sockmsg, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_xsd_sockmsg__Output>): grpc.ClientUnaryCall;
  request(argument: _xen_xsd_sockmsg, metadata: grpc.Metadata, callback: grpc.requestCallback<_xen_xsd_sockmsg__Output>): grpc.ClientUnaryCall;
  request(argument: _xen_xsd_sockmsg, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_xsd_sockmsg__Output>): grpc.ClientUnaryCall;
  request(argument: _xen_xsd_sockmsg, callback: grpc.requestCallback<_xen_xsd_sockmsg__Output>): grpc.ClientUnaryCall;
  
}

export interface XenstoreHandlers extends grpc.UntypedServiceImplementation {
  open: grpc.handleServerStreamingCall<_xen_xs_open__Output, _xen_xs_connection_event>;
  
  request: grpc.handleUnaryCall<_xen_xsd_sockmsg__Output, _xen_xsd_sockmsg>;
  
}

export interface XenstoreDefinition extends grpc.ServiceDefinition {
  open: MethodDefinition<_xen_xs_open, _xen_xs_connection_event, _xen_xs_open__Output, _xen_xs_connection_event__Output>
  request: MethodDefinition<_xen_xsd_sockmsg, _xen_xsd_sockmsg, _xen_xsd_sockmsg__Output, _xen_xsd_sockmsg__Output>
}

// Original file: proto/xen/hypervisor.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { domctl_ret as _xen_domctl_ret, domctl_ret__Output as _xen_domctl_ret__Output } from '../xen/domctl_ret.js';
import type { memory_op_ret as _xen_memory_op_ret, memory_op_ret__Output as _xen_memory_op_ret__Output } from '../xen/memory_op_ret.js';
import type { multicall_entry as _xen_multicall_entry, multicall_entry__Output as _xen_multicall_entry__Output } from '../xen/multicall_entry.js';
import type { multicall_list as _xen_multicall_list, multicall_list__Output as _xen_multicall_list__Output } from '../xen/multicall_list.js';
import type { multicall_ret as _xen_multicall_ret, multicall_ret__Output as _xen_multicall_ret__Output } from '../xen/multicall_ret.js';
import type { sysctl_ret as _xen_sysctl_ret, sysctl_ret__Output as _xen_sysctl_ret__Output } from '../xen/sysctl_ret.js';
import type { xen_domctl as _xen_xen_domctl, xen_domctl__Output as _xen_xen_domctl__Output } from '../xen/xen_domctl.js';
import type { xen_memory_op as _xen_xen_memory_op, xen_memory_op__Output as _xen_xen_memory_op__Output } from '../xen/xen_memory_op.js';
import type { xen_sysctl as _xen_xen_sysctl, xen_sysctl__Output as _xen_xen_sysctl__Output } from '../xen/xen_sysctl.js';
import type { xen_version_op as _xen_xen_version_op, xen_version_op__Output as _xen_xen_version_op__Output } from '../xen/xen_version_op.js';
import type { xen_version_ret as _xen_xen_version_ret, xen_version_ret__Output as _xen_xen_version_ret__Output } from '../xen/xen_version_ret.js';

export interface HypervisorClient extends grpc.Client {
  domctl(argument: _xen_xen_domctl, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_domctl_ret__Output>): grpc.ClientUnaryCall;
  domctl(argument: _xen_xen_domctl, metadata: grpc.Metadata, callback: grpc.requestCallback<_xen_domctl_ret__Output>): grpc.ClientUnaryCall;
  domctl(argument: _xen_xen_domctl, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_domctl_ret__Output>): grpc.ClientUnaryCall;
  domctl(argument: _xen_xen_domctl, callback: grpc.requestCallback<_xen_domctl_ret__Output>): grpc.ClientUnaryCall;
  
  hypercall_stream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_xen_multicall_entry, _xen_multicall_entry__Output>;
  hypercall_stream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_xen_multicall_entry, _xen_multicall_entry__Output>;
  hypercallStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_xen_multicall_entry, _xen_multicall_entry__Output>;
  hypercallStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_xen_multicall_entry, _xen_multicall_entry__Output>;
  
  memory_op(argument: _xen_xen_memory_op, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_memory_op_ret__Output>): grpc.ClientUnaryCall;
  memory_op(argument: _xen_xen_memory_op, metadata: grpc.Metadata, callback: grpc.requestCallback<_xen_memory_op_ret__Output>): grpc.ClientUnaryCall;
  memory_op(argument: _xen_xen_memory_op, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_memory_op_ret__Output>): grpc.ClientUnaryCall;
  memory_op(argument: _xen_xen_memory_op, callback: grpc.requestCallback<_xen_memory_op_ret__Output>): grpc.ClientUnaryCall;
  memoryOp(argument: _xen_xen_memory_op, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_memory_op_ret__Output>): grpc.ClientUnaryCall;
  memoryOp(argument: _xen_xen_memory_op, metadata: grpc.Metadata, callback: grpc.requestCallback<_xen_memory_op_ret__Output>): grpc.ClientUnaryCall;
  memoryOp(argument: _xen_xen_memory_op, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_memory_op_ret__Output>): grpc.ClientUnaryCall;
  memoryOp(argument: _xen_xen_memory_op, callback: grpc.requestCallback<_xen_memory_op_ret__Output>): grpc.ClientUnaryCall;
  
  multicall(argument: _xen_multicall_list, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_multicall_ret__Output>): grpc.ClientUnaryCall;
  multicall(argument: _xen_multicall_list, metadata: grpc.Metadata, callback: grpc.requestCallback<_xen_multicall_ret__Output>): grpc.ClientUnaryCall;
  multicall(argument: _xen_multicall_list, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_multicall_ret__Output>): grpc.ClientUnaryCall;
  multicall(argument: _xen_multicall_list, callback: grpc.requestCallback<_xen_multicall_ret__Output>): grpc.ClientUnaryCall;
  
  sysctl(argument: _xen_xen_sysctl, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_sysctl_ret__Output>): grpc.ClientUnaryCall;
  sysctl(argument: _xen_xen_sysctl, metadata: grpc.Metadata, callback: grpc.requestCallback<_xen_sysctl_ret__Output>): grpc.ClientUnaryCall;
  sysctl(argument: _xen_xen_sysctl, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_sysctl_ret__Output>): grpc.ClientUnaryCall;
  sysctl(argument: _xen_xen_sysctl, callback: grpc.requestCallback<_xen_sysctl_ret__Output>): grpc.ClientUnaryCall;
  
  xen_version(argument: _xen_xen_version_op, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_xen_version_ret__Output>): grpc.ClientUnaryCall;
  xen_version(argument: _xen_xen_version_op, metadata: grpc.Metadata, callback: grpc.requestCallback<_xen_xen_version_ret__Output>): grpc.ClientUnaryCall;
  xen_version(argument: _xen_xen_version_op, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_xen_version_ret__Output>): grpc.ClientUnaryCall;
  xen_version(argument: _xen_xen_version_op, callback: grpc.requestCallback<_xen_xen_version_ret__Output>): grpc.ClientUnaryCall;
  xenVersion(argument: _xen_xen_version_op, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_xen_version_ret__Output>): grpc.ClientUnaryCall;
  xenVersion(argument: _xen_xen_version_op, metadata: grpc.Metadata, callback: grpc.requestCallback<_xen_xen_version_ret__Output>): grpc.ClientUnaryCall;
  xenVersion(argument: _xen_xen_version_op, options: grpc.CallOptions, callback: grpc.requestCallback<_xen_xen_version_ret__Output>): grpc.ClientUnaryCall;
  xenVersion(argument: _xen_xen_version_op, callback: grpc.requestCallback<_xen_xen_version_ret__Output>): grpc.ClientUnaryCall;
  
}

export interface HypervisorHandlers extends grpc.UntypedServiceImplementation {
  domctl: grpc.handleUnaryCall<_xen_xen_domctl__Output, _xen_domctl_ret>;
  
  hypercall_stream: grpc.handleBidiStreamingCall<_xen_multicall_entry__Output, _xen_multicall_entry>;
  
  memory_op: grpc.handleUnaryCall<_xen_xen_memory_op__Output, _xen_memory_op_ret>;
  
  multicall: grpc.handleUnaryCall<_xen_multicall_list__Output, _xen_multicall_ret>;
  
  sysctl: grpc.handleUnaryCall<_xen_xen_sysctl__Output, _xen_sysctl_ret>;
  
  xen_version: grpc.handleUnaryCall<_xen_xen_version_op__Output, _xen_xen_version_ret>;
  
}

export interface HypervisorDefinition extends grpc.ServiceDefinition {
  domctl: MethodDefinition<_xen_xen_domctl, _xen_domctl_ret, _xen_xen_domctl__Output, _xen_domctl_ret__Output>
  hypercall_stream: MethodDefinition<_xen_multicall_entry, _xen_multicall_entry, _xen_multicall_entry__Output, _xen_multicall_entry__Output>
  memory_op: MethodDefinition<_xen_xen_memory_op, _xen_memory_op_ret, _xen_xen_memory_op__Output, _xen_memory_op_ret__Output>
  multicall: MethodDefinition<_xen_multicall_list, _xen_multicall_ret, _xen_multicall_list__Output, _xen_multicall_ret__Output>
  sysctl: MethodDefinition<_xen_xen_sysctl, _xen_sysctl_ret, _xen_xen_sysctl__Output, _xen_sysctl_ret__Output>
  xen_version: MethodDefinition<_xen_xen_version_op, _xen_xen_version_ret, _xen_xen_version_op__Output, _xen_xen_version_ret__Output>
}

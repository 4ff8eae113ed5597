import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { xen_compile_info as _xen_xen_compile_info, xen_compile_info__Output as _xen_xen_compile_info__Output } from './xen/xen_compile_info.js';
import type { xen_platform_parameters as _xen_xen_platform_parameters, xen_platform_parameters__Output as _xen_xen_platform_parameters__Output } from './xen/xen_platform_parameters.js';
import type { xen_version_op as _xen_xen_version_op, xen_version_op__Output as _xen_xen_version_op__Output } from './xen/xen_version_op.js';
import type { xen_version_ret as _xen_xen_version_ret, xen_version_ret__Output as _xen_xen_version_ret__Output } from './xen/xen_version_ret.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  xen: {
    xen_compile_info: MessageTypeDefinition<_xen_xen_compile_info, _xen_xen_compile_info__Output>
    xen_platform_parameters: MessageTypeDefinition<_xen_xen_platform_parameters, _xen_xen_platform_parameters__Output>
    xen_version_cmd: EnumTypeDefinition
    xen_version_op: MessageTypeDefinition<_xen_xen_version_op, _xen_xen_version_op__Output>
    xen_version_ret: MessageTypeDefinition<_xen_xen_version_ret, _xen_xen_version_ret__Output>
  }
}


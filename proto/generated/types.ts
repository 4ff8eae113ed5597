import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { guest_handle_uint32 as _xen_guest_handle_uint32, guest_handle_uint32__Output as _xen_guest_handle_uint32__Output } from './xen/guest_handle_uint32.js';
import type { guest_handle_uint64 as _xen_guest_handle_uint64, guest_handle_uint64__Output as _xen_guest_handle_uint64__Output } from './xen/guest_handle_uint64.js';
import type { guest_handle_uint8 as _xen_guest_handle_uint8, guest_handle_uint8__Output as _xen_guest_handle_uint8__Output } from './xen/guest_handle_uint8.js';
import type { xenctl_bitmap as _xen_xenctl_bitmap, xenctl_bitmap__Output as _xen_xenctl_bitmap__Output } from './xen/xenctl_bitmap.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  xen: {
    guest_handle_uint32: MessageTypeDefinition<_xen_guest_handle_uint32, _xen_guest_handle_uint32__Output>
    guest_handle_uint64: MessageTypeDefinition<_xen_guest_handle_uint64, _xen_guest_handle_uint64__Output>
    guest_handle_uint8: MessageTypeDefinition<_xen_guest_handle_uint8, _xen_guest_handle_uint8__Output>
    hypercall_nr: EnumTypeDefinition
    xenctl_bitmap: MessageTypeDefinition<_xen_xenctl_bitmap, _xen_xenctl_bitmap__Output>
  }
}


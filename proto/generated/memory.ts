import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { guest_handle_memory_claim as _xen_guest_handle_memory_claim, guest_handle_memory_claim__Output as _xen_guest_handle_memory_claim__Output } from './xen/guest_handle_memory_claim.js';
import type { guest_handle_uint32 as _xen_guest_handle_uint32, guest_handle_uint32__Output as _xen_guest_handle_uint32__Output } from './xen/guest_handle_uint32.js';
import type { guest_handle_uint64 as _xen_guest_handle_uint64, guest_handle_uint64__Output as _xen_guest_handle_uint64__Output } from './xen/guest_handle_uint64.js';
import type { guest_handle_uint8 as _xen_guest_handle_uint8, guest_handle_uint8__Output as _xen_guest_handle_uint8__Output } from './xen/guest_handle_uint8.js';
import type { guest_handle_vmemrange as _xen_guest_handle_vmemrange, guest_handle_vmemrange__Output as _xen_guest_handle_vmemrange__Output } from './xen/guest_handle_vmemrange.js';
import type { xen_arch_domainconfig as _xen_xen_arch_domainconfig, xen_arch_domainconfig__Output as _xen_xen_arch_domainconfig__Output } from './xen/xen_arch_domainconfig.js';
import type { xen_domctl as _xen_xen_domctl, xen_domctl__Output as _xen_xen_domctl__Output } from './xen/xen_domctl.js';
import type { xen_domctl_claim_memory as _xen_xen_domctl_claim_memory, xen_domctl_claim_memory__Output as _xen_xen_domctl_claim_memory__Output } from './xen/xen_domctl_claim_memory.js';
import type { xen_domctl_createdomain as _xen_xen_domctl_createdomain, xen_domctl_createdomain__Output as _xen_xen_domctl_createdomain__Output } from './xen/xen_domctl_createdomain.js';
import type { xen_domctl_getdomaininfo as _xen_xen_domctl_getdomaininfo, xen_domctl_getdomaininfo__Output as _xen_xen_domctl_getdomaininfo__Output } from './xen/xen_domctl_getdomaininfo.js';
import type { xen_domctl_getvcpuinfo as _xen_xen_domctl_getvcpuinfo, xen_domctl_getvcpuinfo__Output as _xen_xen_domctl_getvcpuinfo__Output } from './xen/xen_domctl_getvcpuinfo.js';
import type { xen_domctl_max_mem as _xen_xen_domctl_max_mem, xen_domctl_max_mem__Output as _xen_xen_domctl_max_mem__Output } from './xen/xen_domctl_max_mem.js';
import type { xen_domctl_max_vcpus as _xen_xen_domctl_max_vcpus, xen_domctl_max_vcpus__Output as _xen_xen_domctl_max_vcpus__Output } from './xen/xen_domctl_max_vcpus.js';
import type { xen_domctl_nodeaffinity as _xen_xen_domctl_nodeaffinity, xen_domctl_nodeaffinity__Output as _xen_xen_domctl_nodeaffinity__Output } from './xen/xen_domctl_nodeaffinity.js';
import type { xen_domctl_numa_op as _xen_xen_domctl_numa_op, xen_domctl_numa_op__Output as _xen_xen_domctl_numa_op__Output } from './xen/xen_domctl_numa_op.js';
import type { xen_domctl_numa_op_node_pages as _xen_xen_domctl_numa_op_node_pages, xen_domctl_numa_op_node_pages__Output as _xen_xen_domctl_numa_op_node_pages__Output } from './xen/xen_domctl_numa_op_node_pages.js';
import type { xen_domctl_set_target as _xen_xen_domctl_set_target, xen_domctl_set_target__Output as _xen_xen_domctl_set_target__Output } from './xen/xen_domctl_set_target.js';
import type { xen_domctl_vcpuaffinity as _xen_xen_domctl_vcpuaffinity, xen_domctl_vcpuaffinity__Output as _xen_xen_domctl_vcpuaffinity__Output } from './xen/xen_domctl_vcpuaffinity.js';
import type { xen_domctl_vnuma as _xen_xen_domctl_vnuma, xen_domctl_vnuma__Output as _xen_xen_domctl_vnuma__Output } from './xen/xen_domctl_vnuma.js';
import type { xen_memory_claim as _xen_xen_memory_claim, xen_memory_claim__Output as _xen_xen_memory_claim__Output } from './xen/xen_memory_claim.js';
import type { xen_memory_domain as _xen_xen_memory_domain, xen_memory_domain__Output as _xen_xen_memory_domain__Output } from './xen/xen_memory_domain.js';
import type { xen_memory_exchange as _xen_xen_memory_exchange, xen_memory_exchange__Output as _xen_xen_memory_exchange__Output } from './xen/xen_memory_exchange.js';
import type { xen_memory_op as _xen_xen_memory_op, xen_memory_op__Output as _xen_xen_memory_op__Output } from './xen/xen_memory_op.js';
import type { xen_memory_reservation as _xen_xen_memory_reservation, xen_memory_reservation__Output as _xen_xen_memory_reservation__Output } from './xen/xen_memory_reservation.js';
import type { xen_vmemrange as _xen_xen_vmemrange, xen_vmemrange__Output as _xen_xen_vmemrange__Output } from './xen/xen_vmemrange.js';
import type { xen_vnuma_topology_info as _xen_xen_vnuma_topology_info, xen_vnuma_topology_info__Output as _xen_xen_vnuma_topology_info__Output } from './xen/xen_vnuma_topology_info.js';
import type { xenctl_bitmap as _xen_xenctl_bitmap, xenctl_bitmap__Output as _xen_xenctl_bitmap__Output } from './xen/xenctl_bitmap.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  xen: {
    guest_handle_memory_claim: MessageTypeDefinition<_xen_guest_handle_memory_claim, _xen_guest_handle_memory_claim__Output>
    guest_handle_uint32: MessageTypeDefinition<_xen_guest_handle_uint32, _xen_guest_handle_uint32__Output>
    guest_handle_uint64: MessageTypeDefinition<_xen_guest_handle_uint64, _xen_guest_handle_uint64__Output>
    guest_handle_uint8: MessageTypeDefinition<_xen_guest_handle_uint8, _xen_guest_handle_uint8__Output>
    guest_handle_vmemrange: MessageTypeDefinition<_xen_guest_handle_vmemrange, _xen_guest_handle_vmemrange__Output>
    hypercall_nr: EnumTypeDefinition
    xen_arch_domainconfig: MessageTypeDefinition<_xen_xen_arch_domainconfig, _xen_xen_arch_domainconfig__Output>
    xen_domctl: MessageTypeDefinition<_xen_xen_domctl, _xen_xen_domctl__Output>
    xen_domctl_claim_memory: MessageTypeDefinition<_xen_xen_domctl_claim_memory, _xen_xen_domctl_claim_memory__Output>
    xen_domctl_cmd: EnumTypeDefinition
    xen_domctl_createdomain: MessageTypeDefinition<_xen_xen_domctl_createdomain, _xen_xen_domctl_createdomain__Output>
    xen_domctl_getdomaininfo: MessageTypeDefinition<_xen_xen_domctl_getdomaininfo, _xen_xen_domctl_getdomaininfo__Output>
    xen_domctl_getvcpuinfo: MessageTypeDefinition<_xen_xen_domctl_getvcpuinfo, _xen_xen_domctl_getvcpuinfo__Output>
    xen_domctl_max_mem: MessageTypeDefinition<_xen_xen_domctl_max_mem, _xen_xen_domctl_max_mem__Output>
    xen_domctl_max_vcpus: MessageTypeDefinition<_xen_xen_domctl_max_vcpus, _xen_xen_domctl_max_vcpus__Output>
    xen_domctl_nodeaffinity: MessageTypeDefinition<_xen_xen_domctl_nodeaffinity, _xen_xen_domctl_nodeaffinity__Output>
    xen_domctl_numa_op: MessageTypeDefinition<_xen_xen_domctl_numa_op, _xen_xen_domctl_numa_op__Output>
    xen_domctl_numa_op_node_pages: MessageTypeDefinition<_xen_xen_domctl_numa_op_node_pages, _xen_xen_domctl_numa_op_node_pages__Output>
    xen_domctl_set_target: MessageTypeDefinition<_xen_xen_domctl_set_target, _xen_xen_domctl_set_target__Output>
    xen_domctl_vcpuaffinity: MessageTypeDefinition<_xen_xen_domctl_vcpuaffinity, _xen_xen_domctl_vcpuaffinity__Output>
    xen_domctl_vnuma: MessageTypeDefinition<_xen_xen_domctl_vnuma, _xen_xen_domctl_vnuma__Output>
    xen_memory_claim: MessageTypeDefinition<_xen_xen_memory_claim, _xen_xen_memory_claim__Output>
    xen_memory_cmd: EnumTypeDefinition
    xen_memory_domain: MessageTypeDefinition<_xen_xen_memory_domain, _xen_xen_memory_domain__Output>
    xen_memory_exchange: MessageTypeDefinition<_xen_xen_memory_exchange, _xen_xen_memory_exchange__Output>
    xen_memory_op: MessageTypeDefinition<_xen_xen_memory_op, _xen_xen_memory_op__Output>
    xen_memory_reservation: MessageTypeDefinition<_xen_xen_memory_reservation, _xen_xen_memory_reservation__Output>
    xen_vmemrange: MessageTypeDefinition<_xen_xen_vmemrange, _xen_xen_vmemrange__Output>
    xen_vnuma_topology_info: MessageTypeDefinition<_xen_xen_vnuma_topology_info, _xen_xen_vnuma_topology_info__Output>
    xenctl_bitmap: MessageTypeDefinition<_xen_xenctl_bitmap, _xen_xenctl_bitmap__Output>
  }
}


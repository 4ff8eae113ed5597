import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { HypervisorClient as _xen_HypervisorClient, HypervisorDefinition as _xen_HypervisorDefinition } from './xen/Hypervisor.js';
import type { domctl_ret as _xen_domctl_ret, domctl_ret__Output as _xen_domctl_ret__Output } from './xen/domctl_ret.js';
import type { guest_handle_cputopo as _xen_guest_handle_cputopo, guest_handle_cputopo__Output as _xen_guest_handle_cputopo__Output } from './xen/guest_handle_cputopo.js';
import type { guest_handle_getdomaininfo as _xen_guest_handle_getdomaininfo, guest_handle_getdomaininfo__Output as _xen_guest_handle_getdomaininfo__Output } from './xen/guest_handle_getdomaininfo.js';
import type { guest_handle_meminfo as _xen_guest_handle_meminfo, guest_handle_meminfo__Output as _xen_guest_handle_meminfo__Output } from './xen/guest_handle_meminfo.js';
import type { guest_handle_memory_claim as _xen_guest_handle_memory_claim, guest_handle_memory_claim__Output as _xen_guest_handle_memory_claim__Output } from './xen/guest_handle_memory_claim.js';
import type { guest_handle_node_meminfo as _xen_guest_handle_node_meminfo, guest_handle_node_meminfo__Output as _xen_guest_handle_node_meminfo__Output } from './xen/guest_handle_node_meminfo.js';
import type { guest_handle_uint32 as _xen_guest_handle_uint32, guest_handle_uint32__Output as _xen_guest_handle_uint32__Output } from './xen/guest_handle_uint32.js';
import type { guest_handle_uint64 as _xen_guest_handle_uint64, guest_handle_uint64__Output as _xen_guest_handle_uint64__Output } from './xen/guest_handle_uint64.js';
import type { guest_handle_uint8 as _xen_guest_handle_uint8, guest_handle_uint8__Output as _xen_guest_handle_uint8__Output } from './xen/guest_handle_uint8.js';
import type { guest_handle_vmemrange as _xen_guest_handle_vmemrange, guest_handle_vmemrange__Output as _xen_guest_handle_vmemrange__Output } from './xen/guest_handle_vmemrange.js';
import type { memory_op_ret as _xen_memory_op_ret, memory_op_ret__Output as _xen_memory_op_ret__Output } from './xen/memory_op_ret.js';
import type { multicall_entry as _xen_multicall_entry, multicall_entry__Output as _xen_multicall_entry__Output } from './xen/multicall_entry.js';
import type { multicall_list as _xen_multicall_list, multicall_list__Output as _xen_multicall_list__Output } from './xen/multicall_list.js';
import type { multicall_ret as _xen_multicall_ret, multicall_ret__Output as _xen_multicall_ret__Output } from './xen/multicall_ret.js';
import type { sysctl_ret as _xen_sysctl_ret, sysctl_ret__Output as _xen_sysctl_ret__Output } from './xen/sysctl_ret.js';
import type { xen_arch_domainconfig as _xen_xen_arch_domainconfig, xen_arch_domainconfig__Output as _xen_xen_arch_domainconfig__Output } from './xen/xen_arch_domainconfig.js';
import type { xen_compile_info as _xen_xen_compile_info, xen_compile_info__Output as _xen_xen_compile_info__Output } from './xen/xen_compile_info.js';
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
import type { xen_platform_parameters as _xen_xen_platform_parameters, xen_platform_parameters__Output as _xen_xen_platform_parameters__Output } from './xen/xen_platform_parameters.js';
import type { xen_sysctl as _xen_xen_sysctl, xen_sysctl__Output as _xen_xen_sysctl__Output } from './xen/xen_sysctl.js';
import type { xen_sysctl_cpupool_op as _xen_xen_sysctl_cpupool_op, xen_sysctl_cpupool_op__Output as _xen_xen_sysctl_cpupool_op__Output } from './xen/xen_sysctl_cpupool_op.js';
import type { xen_sysctl_cputopo as _xen_xen_sysctl_cputopo, xen_sysctl_cputopo__Output as _xen_xen_sysctl_cputopo__Output } from './xen/xen_sysctl_cputopo.js';
import type { xen_sysctl_cputopoinfo as _xen_xen_sysctl_cputopoinfo, xen_sysctl_cputopoinfo__Output as _xen_xen_sysctl_cputopoinfo__Output } from './xen/xen_sysctl_cputopoinfo.js';
import type { xen_sysctl_debug_keys as _xen_xen_sysctl_debug_keys, xen_sysctl_debug_keys__Output as _xen_xen_sysctl_debug_keys__Output } from './xen/xen_sysctl_debug_keys.js';
import type { xen_sysctl_getdomaininfolist as _xen_xen_sysctl_getdomaininfolist, xen_sysctl_getdomaininfolist__Output as _xen_xen_sysctl_getdomaininfolist__Output } from './xen/xen_sysctl_getdomaininfolist.js';
import type { xen_sysctl_meminfo as _xen_xen_sysctl_meminfo, xen_sysctl_meminfo__Output as _xen_xen_sysctl_meminfo__Output } from './xen/xen_sysctl_meminfo.js';
import type { xen_sysctl_node_meminfo as _xen_xen_sysctl_node_meminfo, xen_sysctl_node_meminfo__Output as _xen_xen_sysctl_node_meminfo__Output } from './xen/xen_sysctl_node_meminfo.js';
import type { xen_sysctl_numa_meminfo as _xen_xen_sysctl_numa_meminfo, xen_sysctl_numa_meminfo__Output as _xen_xen_sysctl_numa_meminfo__Output } from './xen/xen_sysctl_numa_meminfo.js';
import type { xen_sysctl_numainfo as _xen_xen_sysctl_numainfo, xen_sysctl_numainfo__Output as _xen_xen_sysctl_numainfo__Output } from './xen/xen_sysctl_numainfo.js';
import type { xen_sysctl_physinfo as _xen_xen_sysctl_physinfo, xen_sysctl_physinfo__Output as _xen_xen_sysctl_physinfo__Output } from './xen/xen_sysctl_physinfo.js';
import type { xen_sysctl_readconsole as _xen_xen_sysctl_readconsole, xen_sysctl_readconsole__Output as _xen_xen_sysctl_readconsole__Output } from './xen/xen_sysctl_readconsole.js';
import type { xen_sysctl_sched_id as _xen_xen_sysctl_sched_id, xen_sysctl_sched_id__Output as _xen_xen_sysctl_sched_id__Output } from './xen/xen_sysctl_sched_id.js';
import type { xen_version_op as _xen_xen_version_op, xen_version_op__Output as _xen_xen_version_op__Output } from './xen/xen_version_op.js';
import type { xen_version_ret as _xen_xen_version_ret, xen_version_ret__Output as _xen_xen_version_ret__Output } from './xen/xen_version_ret.js';
import type { xen_vmemrange as _xen_xen_vmemrange, xen_vmemrange__Output as _xen_xen_vmemrange__Output } from './xen/xen_vmemrange.js';
import type { xen_vnuma_topology_info as _xen_xen_vnuma_topology_info, xen_vnuma_topology_info__Output as _xen_xen_vnuma_topology_info__Output } from './xen/xen_vnuma_topology_info.js';
import type { xenctl_bitmap as _xen_xenctl_bitmap, xenctl_bitmap__Output as _xen_xenctl_bitmap__Output } from './xen/xenctl_bitmap.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  xen: {
    Hypervisor: SubtypeConstructor<typeof grpc.Client, _xen_HypervisorClient> & { service: _xen_HypervisorDefinition }
    domctl_ret: MessageTypeDefinition<_xen_domctl_ret, _xen_domctl_ret__Output>
    guest_handle_cputopo: MessageTypeDefinition<_xen_guest_handle_cputopo, _xen_guest_handle_cputopo__Output>
    guest_handle_getdomaininfo: MessageTypeDefinition<_xen_guest_handle_getdomaininfo, _xen_guest_handle_getdomaininfo__Output>
    guest_handle_meminfo: MessageTypeDefinition<_xen_guest_handle_meminfo, _xen_guest_handle_meminfo__Output>
    guest_handle_memory_claim: MessageTypeDefinition<_xen_guest_handle_memory_claim, _xen_guest_handle_memory_claim__Output>
    guest_handle_node_meminfo: MessageTypeDefinition<_xen_guest_handle_node_meminfo, _xen_guest_handle_node_meminfo__Output>
    guest_handle_uint32: MessageTypeDefinition<_xen_guest_handle_uint32, _xen_guest_handle_uint32__Output>
    guest_handle_uint64: MessageTypeDefinition<_xen_guest_handle_uint64, _xen_guest_handle_uint64__Output>
    guest_handle_uint8: MessageTypeDefinition<_xen_guest_handle_uint8, _xen_guest_handle_uint8__Output>
    guest_handle_vmemrange: MessageTypeDefinition<_xen_guest_handle_vmemrange, _xen_guest_handle_vmemrange__Output>
    hypercall_nr: EnumTypeDefinition
    memory_op_ret: MessageTypeDefinition<_xen_memory_op_ret, _xen_memory_op_ret__Output>
    multicall_entry: MessageTypeDefinition<_xen_multicall_entry, _xen_multicall_entry__Output>
    multicall_list: MessageTypeDefinition<_xen_multicall_list, _xen_multicall_list__Output>
    multicall_ret: MessageTypeDefinition<_xen_multicall_ret, _xen_multicall_ret__Output>
    sysctl_ret: MessageTypeDefinition<_xen_sysctl_ret, _xen_sysctl_ret__Output>
    xen_arch_domainconfig: MessageTypeDefinition<_xen_xen_arch_domainconfig, _xen_xen_arch_domainconfig__Output>
    xen_compile_info: MessageTypeDefinition<_xen_xen_compile_info, _xen_xen_compile_info__Output>
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
    xen_platform_parameters: MessageTypeDefinition<_xen_xen_platform_parameters, _xen_xen_platform_parameters__Output>
    xen_sysctl: MessageTypeDefinition<_xen_xen_sysctl, _xen_xen_sysctl__Output>
    xen_sysctl_cmd: EnumTypeDefinition
    xen_sysctl_cpupool_op: MessageTypeDefinition<_xen_xen_sysctl_cpupool_op, _xen_xen_sysctl_cpupool_op__Output>
    xen_sysctl_cputopo: MessageTypeDefinition<_xen_xen_sysctl_cputopo, _xen_xen_sysctl_cputopo__Output>
    xen_sysctl_cputopoinfo: MessageTypeDefinition<_xen_xen_sysctl_cputopoinfo, _xen_xen_sysctl_cputopoinfo__Output>
    xen_sysctl_debug_keys: MessageTypeDefinition<_xen_xen_sysctl_debug_keys, _xen_xen_sysctl_debug_keys__Output>
    xen_sysctl_getdomaininfolist: MessageTypeDefinition<_xen_xen_sysctl_getdomaininfolist, _xen_xen_sysctl_getdomaininfolist__Output>
    xen_sysctl_meminfo: MessageTypeDefinition<_xen_xen_sysctl_meminfo, _xen_xen_sysctl_meminfo__Output>
    xen_sysctl_node_meminfo: MessageTypeDefinition<_xen_xen_sysctl_node_meminfo, _xen_xen_sysctl_node_meminfo__Output>
    xen_sysctl_numa_meminfo: MessageTypeDefinition<_xen_xen_sysctl_numa_meminfo, _xen_xen_sysctl_numa_meminfo__Output>
    xen_sysctl_numainfo: MessageTypeDefinition<_xen_xen_sysctl_numainfo, _xen_xen_sysctl_numainfo__Output>
    xen_sysctl_physinfo: MessageTypeDefinition<_xen_xen_sysctl_physinfo, _xen_xen_sysctl_physinfo__Output>
    xen_sysctl_readconsole: MessageTypeDefinition<_xen_xen_sysctl_readconsole, _xen_xen_sysctl_readconsole__Output>
    xen_sysctl_sched_id: MessageTypeDefinition<_xen_xen_sysctl_sched_id, _xen_xen_sysctl_sched_id__Output>
    xen_version_cmd: EnumTypeDefinition
    xen_version_op: MessageTypeDefinition<_xen_xen_version_op, _xen_xen_version_op__Output>
    xen_version_ret: MessageTypeDefinition<_xen_xen_version_ret, _xen_xen_version_ret__Output>
    xen_vmemrange: MessageTypeDefinition<_xen_xen_vmemrange, _xen_xen_vmemrange__Output>
    xen_vnuma_topology_info: MessageTypeDefinition<_xen_xen_vnuma_topology_info, _xen_xen_vnuma_topology_info__Output>
    xenctl_bitmap: MessageTypeDefinition<_xen_xenctl_bitmap, _xen_xenctl_bitmap__Output>
  }
}


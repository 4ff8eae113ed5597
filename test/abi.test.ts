// The wire ABI is pinned: field numbers, names and types of every message, enum values and
// service methods must match the committed snapshot (change it only with `npm run abi:snapshot`
// for a compatible addition).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GEN_TYPES_FLAGS, LOADER_OPTIONS } from '../proto/loader.js';
import { describeAbi } from './abi_descriptor.js';

describe('wire ABI', () => {
  it('matches the committed snapshot (test/abi.snapshot.json)', () => {
    const committed = JSON.parse(readFileSync(new URL('./abi.snapshot.json', import.meta.url), 'utf8')) as unknown;
    expect(describeAbi()).toEqual(committed);
  });

  it('keeps Xen struct field order in the public structs (xen_sysctl_physinfo, xen_memory_reservation)', () => {
    const abi = describeAbi() as Record<string, Record<string, string>>;
    expect(Object.values(abi['message xen.xen_sysctl_physinfo']!).map((f) => f.split(' ').pop())).toEqual([
      'threads_per_core', 'cores_per_socket', 'nr_cpus', 'max_cpu_id', 'nr_nodes', 'max_node_id', 'cpu_khz',
      'capabilities', 'arch_capabilities', 'pad', 'total_pages', 'free_pages', 'scrub_pages', 'outstanding_pages',
      'max_mfn', 'hw_cap',
    ]);
    expect(abi['message xen.xen_memory_reservation']).toEqual({
      1: 'guest_handle_uint64 extent_start',
      2: 'uint64 nr_extents',
      3: 'uint32 extent_order',
      4: 'uint32 mem_flags',
      5: 'uint32 domid',
    });
  });

  it('loader options and proto-loader-gen-types flags say the same thing', () => {
    expect(LOADER_OPTIONS.keepCase).toBe(true);
    expect(LOADER_OPTIONS.longs).toBe(String);
    expect(LOADER_OPTIONS.enums).toBe(String);
    expect(GEN_TYPES_FLAGS).toEqual(expect.arrayContaining(['--keepCase', '--longs=String', '--enums=String', '--defaults', '--oneofs']));
    expect(LOADER_OPTIONS.defaults && LOADER_OPTIONS.oneofs).toBe(true);
  });
});

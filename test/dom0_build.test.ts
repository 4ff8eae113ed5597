// Domain 0 at boot: dom0_mem parsing, its memory across nodes, its vCPUs.
import { domain_node_pages } from '../hypervisor/domain.js';
import { describe, expect, it } from 'vitest';
import { parseDom0Mem, parseSizeToPages } from '../hypervisor/dom0_build.js';
import { domid } from '../hypervisor/ids.js';
import { TopologyError } from '../hypervisor/topology.js';
import { Xen } from '../hypervisor/xen.js';
import { preset } from './harness.js';

describe('dom0_mem (parse_dom0_mem, parse_size_and_unit)', () => {
  it('reads sizes with B/K/M/G/T suffixes; no suffix means KiB', () => {
    expect([parseSizeToPages('4096M'), parseSizeToPages('4G'), parseSizeToPages('8192'), parseSizeToPages('1t'), parseSizeToPages('8192b')]).toEqual([
      1 << 20, 1 << 20, 2048, 1 << 28, 2,
    ]);
    expect(parseSizeToPages('4X')).toBeNull();
    expect(parseSizeToPages('')).toBeNull();
  });

  it('reads size, max: and min: parts', () => {
    expect(parseDom0Mem('4G,max:8G')).toEqual({ pages: 1 << 20, max_pages: 2 << 20 });
    expect(parseDom0Mem('max:2G')).toEqual({ pages: 1 << 19, max_pages: 1 << 19 });
    expect(parseDom0Mem('min:1G,2G')).toEqual({ pages: 1 << 19, max_pages: null });
    expect(parseDom0Mem('max:lots')).toBeNull();
    expect(parseDom0Mem('four')).toBeNull();
  });
});

describe('construct_dom0', () => {
  it('takes dom0_mem round-robin in 1 GiB chunks over the nodes with CPUs, starting after node 0', () => {
    const xen = new Xen({ topology: preset('4node'), dom0_mem: '6G' });
    const d0 = xen.control_domain();
    // cycle_node(last_alloc_node = 0) starts at node 1: 1, 2, 3, 0, 1, 2.
    expect([0, 1, 2, 3].map((n) => domain_node_pages(d0, n))).toEqual([1, 2, 2, 1].map((g) => g << 18));
    expect(d0.tot_pages).toBe(6 << 18);
    // MFN 0 never enters the heap (init_heap_pages).
    expect(xen.heap.total_avail_pages).toBe(xen.host.total_pages - (6 << 18) - 1);
    expect(xen.heap.node_avail_pages.slice(0, 4).reduce((a, b) => a + b, 0)).toBe(xen.heap.total_avail_pages);
  });

  it('gives dom0 min(online CPUs, 8) vCPUs by default, vCPU k on the k-th online CPU', () => {
    const d0 = new Xen({ topology: preset('4node') }).control_domain();
    expect(d0.vcpu.map((v) => v.processor)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(d0.vcpu.every((v) => v.online)).toBe(true);
    expect(d0.is_privileged && d0.controller_pause_count === 0).toBe(true);
    expect(new Xen({ topology: preset('4node'), dom0_max_vcpus: 3 }).control_domain().max_vcpus).toBe(3);
  });

  it('max_pages follows max: and is unlimited (0xFFFFFFFF) without it', () => {
    expect(new Xen({ topology: preset('2node'), dom0_mem: '2G,max:4G' }).domain(domid(0))!.max_pages).toBe(1 << 20);
    expect(new Xen({ topology: preset('2node'), dom0_mem: '2G' }).domain(domid(0))!.max_pages).toBe(0xffffffff);
  });

  it('refuses a dom0 that does not fit, or more vCPUs than online CPUs', () => {
    expect(() => new Xen({ topology: preset('1node'), dom0_mem: '33G' })).toThrow(TopologyError);
    expect(() => new Xen({ topology: preset('1node'), dom0_max_vcpus: 17 })).toThrow('dom0_max_vcpus must be 1..16 (the online CPUs), got 17');
    expect(() => new Xen({ topology: preset('1node'), dom0_mem: 'lots' })).toThrow("dom0_mem 'lots' is not [<size>][,max:<size>]");
  });
});

// The domain lifecycle in the engine: node affinity after max_vcpus, placement on an
// explicit node affinity, domid order, and memory returned at destruction.
import { domain_node_pages } from '../hypervisor/domain.js';
import { alloc_domheap_pages, domain_set_outstanding_pages } from '../hypervisor/domheap.js';
import { MEMF, memflags } from '../hypervisor/page_alloc.js';
import { NUMA_NO_NODE } from '../hypervisor/numa.js';
import { describe, expect, it } from 'vitest';
import { Bitmap } from '../hypervisor/bitmap.js';
import { DomidAllocator } from '../hypervisor/domid.js';
import { domain_create, domain_kill } from '../hypervisor/domain_create.js';
import { DOMID_ANY, domid, nodeid } from '../hypervisor/ids.js';
import { MAX_NUMNODES } from '../hypervisor/numa.js';
import { domain_update_node_aff, sched_init_vcpu } from '../hypervisor/sched.js';
import { Xen } from '../hypervisor/xen.js';
import { ManualClock } from '../hypervisor/clock.js';
import { getdomaininfo } from '../hypervisor/domctl.js';
import type { xen_domctl, xen_domctl_getdomaininfo } from '../hypervisor/public/domctl.js';
import type { xen_domctl_createdomain } from '../proto/public/domctl.js';
import { preset } from './harness.js';

const config = (over: Partial<xen_domctl_createdomain> = {}): xen_domctl_createdomain => ({
  ssidref: 0, handle: new Uint8Array(16), flags: 3, iommu_opts: 0, max_vcpus: 4, max_evtchn_port: 0, max_grant_frames: -1,
  max_maptrack_frames: -1, grant_opts: 0, altp2m_opts: 0, altp2m_nr: 0, vmtrace_size: 0, cpupool_id: 0,
  arch: { emulation_flags: 0, misc_flags: 0 }, ...over,
});

describe('domid_alloc (xen/common/domid.c)', () => {
  it('searches after the last automatic id, wraps to 1, skips taken ids and never returns 0', () => {
    const a = new DomidAllocator();
    a.reserve(domid(0));
    expect([a.alloc(DOMID_ANY), a.alloc(DOMID_ANY), a.alloc(5)]).toEqual([1, 2, 5]);
    expect(a.alloc(DOMID_ANY)).toBe(3);
    a.free(domid(1));
    expect(a.alloc(DOMID_ANY)).toBe(4); // after the last (3), not the freed 1
    expect(a.alloc(0x7fef)).toBe(0x7fef);
    expect(a.alloc(0x7ff4)).toBeNull(); // DOMID_INVALID is no request
  });

  it('wraps around after 0x7FEF to the lowest free id', () => {
    const a = new DomidAllocator();
    a.reserve(domid(0));
    for (let i = 1; i < 0x7ff0; i++) expect(a.alloc(DOMID_ANY)).toBe(i);
    expect(a.alloc(DOMID_ANY)).toBeNull(); // exhausted: -EEXIST
    a.free(domid(7));
    expect(a.alloc(DOMID_ANY)).toBe(7);
  });
});

describe('vCPUs and automatic node affinity (sched_init_vcpu, domain_update_node_aff)', () => {
  it('after max_vcpus with default masks, node affinity is every node with a pool CPU (statement 13)', () => {
    const xen = new Xen({ topology: preset('4node') });
    const d = domain_create(xen, domid(1), config());
    if (typeof d === 'number') throw new Error(`create failed ${d}`);
    expect(d.node_affinity.isFull()).toBe(true); // NODE_MASK_ALL before any vCPU (statement 11)
    for (let k = 0; k < 4; k++) d.vcpu.push(sched_init_vcpu(xen.host, xen.cpupool0_cpus, d, k));
    domain_update_node_aff(xen.host, xen.cpupool0_cpus, d);
    expect([...d.node_affinity.bits()]).toEqual([0, 1, 2, 3]);
  });

  it('an explicit node affinity places vCPUs on that node\'s CPUs, cycling', () => {
    const xen = new Xen({ topology: preset('4node') });
    const d = domain_create(xen, domid(1), config({ max_vcpus: 18 }));
    if (typeof d === 'number') throw new Error(`create failed ${d}`);
    d.node_affinity = Bitmap.of(MAX_NUMNODES, [2]);
    d.auto_node_affinity = false;
    for (let k = 0; k < 18; k++) d.vcpu.push(sched_init_vcpu(xen.host, xen.cpupool0_cpus, d, k));
    // Node 2 owns CPUs 32-47: 16 CPUs, so vCPUs 16 and 17 wrap to 32 and 33.
    expect(d.vcpu.map((v) => v.processor)).toEqual([...Array(16).keys()].map((i) => 32 + i).concat([32, 33]));
    domain_update_node_aff(xen.host, xen.cpupool0_cpus, d);
    expect([...d.node_affinity.bits()]).toEqual([2]); // explicit mode is left alone
  });

  it('soft affinity decides when it meets hard; otherwise hard does (statement 20)', () => {
    const xen = new Xen({ topology: preset('4node') });
    const d = domain_create(xen, domid(1), config({ max_vcpus: 2 }));
    if (typeof d === 'number') throw new Error(`create failed ${d}`);
    for (let k = 0; k < 2; k++) d.vcpu.push(sched_init_vcpu(xen.host, xen.cpupool0_cpus, d, k));
    for (const v of d.vcpu) v.cpu_soft_affinity = Bitmap.of(xen.host.nr_cpu_ids, [0, 1]);
    domain_update_node_aff(xen.host, xen.cpupool0_cpus, d);
    expect([...d.node_affinity.bits()]).toEqual([0]);
    for (const v of d.vcpu) {
      v.cpu_hard_affinity = Bitmap.of(xen.host.nr_cpu_ids, [16]);
      v.cpu_soft_affinity = new Bitmap(xen.host.nr_cpu_ids);
    }
    domain_update_node_aff(xen.host, xen.cpupool0_cpus, d);
    expect([...d.node_affinity.bits()]).toEqual([1]);
  });
});

describe('domain_kill', () => {
  it('returns the domain\'s pages and claim to the heap and frees its id', () => {
    const xen = new Xen({ topology: preset('2node') });
    const d = domain_create(xen, xen.domids.alloc(DOMID_ANY)!, config());
    if (typeof d === 'number') throw new Error(`create failed ${d}`);
    xen.add_domain(d);
    const free = xen.heap.total_avail_pages;
    // 512 pages on node 1 and a claim of 24 more.
    d.max_pages = 1024;
    expect(alloc_domheap_pages(xen, d, 9, memflags(MEMF.exact_node, 1))).not.toBeNull();
    expect(domain_node_pages(d, 1)).toBe(512);
    expect(domain_set_outstanding_pages(xen, d, 536, nodeid(NUMA_NO_NODE))).toBe(0);
    expect(xen.heap.outstanding_claims).toBe(24);
    d.vnuma = { nr_vnodes: 1, nr_vmemranges: 0, vdistance: [10], vcpu_to_vnode: [0], vnode_to_pnode: [1], vmemrange: [] };
    domain_kill(xen, d);
    expect(d.vnuma).toBeNull(); // vnuma_destroy
    expect(xen.heap.node_need_scrub(1)).toBeGreaterThanOrEqual(512); // a dying domain's pages are dirty
    expect(xen.heap.total_avail_pages).toBe(free);
    expect(xen.heap.outstanding_claims).toBe(0); // statement 35
    expect(xen.domain(d.domain_id)).toBeUndefined();
    expect(d.is_dying).toBe('dead');
  });
});

describe('running time (injected clock)', () => {
  it('vCPUs come online at the first unpause and accrue cpu_time only while unpaused', () => {
    const clock = new ManualClock();
    const xen = new Xen({ topology: preset('2node'), clock });
    const dom0 = xen.control_domain().domain_id;
    const dc = (cmd: number, domain: number, u: xen_domctl['u']): number => xen.hypercall(dom0, { op: 36, args: { cmd, interface_version: 0x18, domain, u } });
    const args = { cmd: 1, interface_version: 0x18, domain: DOMID_ANY as number, u: { kind: 'createdomain', op: config({ max_vcpus: 2 }) } } as xen_domctl;
    expect(xen.hypercall(dom0, { op: 36, args })).toBe(0);
    const id = args.domain;
    expect(dc(15, id, { kind: 'max_vcpus', op: { max: 2 } })).toBe(0);
    const info = (): xen_domctl_getdomaininfo => getdomaininfo(xen, xen.domain(domid(id))!);
    clock.advance(1_000_000_000n);
    expect(info().cpu_time).toBe(0n);
    expect(dc(4, id, { kind: 'none' })).toBe(0); // unpause
    expect(info().nr_online_vcpus).toBe(2);
    clock.advance(2_000_000_000n);
    expect(info().cpu_time).toBe(4_000_000_000n);
    expect(dc(3, id, { kind: 'none' })).toBe(0); // pause
    clock.advance(5_000_000_000n);
    expect(info().cpu_time).toBe(4_000_000_000n);
    expect(info().flags & 0x20).toBe(0); // not running while paused
    // dom0's vCPU 0 has been running since boot.
    expect(getdomaininfo(xen, xen.control_domain()).cpu_time).toBe(8_000_000_000n);
  });
});

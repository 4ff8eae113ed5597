// vNUMA over the wire: XEN_DOMCTL_setvnumainfo (xen/common/domctl.c: vnuma_init), XENMEM_get_vnumainfo
// (xen/common/memory.c), XENMEMF_vnode in populate_physmap (construct_memop_from_reservation),
// the vNUMA lines of debug key 'u' (xen/common/numa.c: dump_numa), and libxc's
// xc_domain_setvnuma / xc_domain_getvnuma (tools/libs/ctrl/xc_domain.c).
import { describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import {
  isXenError,
  xc_domain_create,
  xc_domain_destroy,
  xc_domain_getvnuma,
  xc_domain_numa_get_node_pages,
  xc_domain_populate_physmap,
  xc_domain_setmaxmem,
  xc_domain_setvnuma,
  type xen_vmemrange_t,
} from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { XENMEMF_exact_node_request, XENMEMF_node, XENMEMF_vnode } from '../proto/public/xenmem_flags.js';
import { useHost } from './harness.js';
import { sysctl, SYSCTL_V } from './wire.js';

const errnoOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (isXenError(e) ? e.code : String(e)));
const GiB = 1n << 30n;
const HVM = { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 4 };

/** Two vnodes: vCPUs 0-1 on vnode 0 (pnode 2), 2-3 on vnode 1 (pnode 3); 1 GiB each. */
const ranges: xen_vmemrange_t[] = [
  { start: 0n, end: GiB, flags: 0, nid: 0 },
  { start: GiB, end: 2n * GiB, flags: 0, nid: 1 },
];
const dist = [10, 20, 20, 10];
const v2v = [0, 0, 1, 1];
const v2p = [2, 3];

describe('XEN_DOMCTL_setvnumainfo and XENMEM_get_vnumainfo', () => {
  const h = useHost('4node');

  async function guest(): Promise<number> {
    const d = await xc_domain_create(h.xch, DOMID_ANY, HVM);
    await xc_domain_setmaxmem(h.xch, d, -1);
    return d;
  }

  it('68, 69: the checks of vnuma_init, in order, with Xen\'s errnos; nothing is installed on failure', async () => {
    const d = await guest();
    const set = (nv: number, nr: number, nc: number, r = ranges, di = dist, c = v2v, p = v2p): Promise<string> =>
      errnoOf(xc_domain_setvnuma(h.xch, d, nv, nr, nc, r, di, c, p));
    expect(await set(2, 2, 3)).toBe('EINVAL'); // nr_vcpus != max_vcpus
    expect(await set(33, 2, 4, ranges, new Array<number>(33 * 33).fill(10), v2v, new Array<number>(33).fill(0))).toBe('EINVAL'); // 33² > 1024
    expect(await set(2, 171, 4, new Array<xen_vmemrange_t>(171).fill(ranges[0]!))).toBe('EINVAL'); // > 170 ranges
    expect(await set(2, 2, 4, ranges, dist, [0, 0, 1, 2])).toBe('E2BIG'); // vcpu_to_vnode >= nr_vnodes
    expect(await set(2, 2, 4, ranges, dist, v2v, [2, 64])).toBe('E2BIG'); // pnode >= MAX_NUMNODES
    expect(await set(2, 2, 4, ranges, dist, v2v, [2, 0xff])).toBe('E2BIG'); // NUMA_NO_NODE too
    expect(await set(2, 2, 4, ranges, dist, v2v, [64])).toBe('E2BIG'); // pnodes are read one by one: the bad one before the fault
    expect(await set(2, 2, 4, ranges, dist, v2v, [2])).toBe('EFAULT'); // a good one, then the fault
    expect(await set(2, 2, 4, [ranges[0]!, { ...ranges[1]!, flags: 1 }])).toBe('EINVAL'); // vmemrange flags
    expect(await set(2, 3, 4)).toBe('EFAULT'); // the caller's list holds only 2 ranges
    expect(await set(2, 2, 4, ranges, dist, [0, 0, 1, 5], [])).toBe('E2BIG'); // the vCPU map is checked before vnode_to_pnode is read
    const counts = { nr_vnodes: 0, nr_vmemranges: 0, nr_vcpus: 0 };
    expect(await errnoOf(xc_domain_getvnuma(h.xch, d, counts, [], [], []))).toBe('EOPNOTSUPP'); // 66: still none
    await xc_domain_destroy(h.xch, d);
  });

  it('libxc refuses a zero count or a missing array with EINVAL before any hypercall', async () => {
    expect(await errnoOf(xc_domain_setvnuma(h.xch, 4321, 0, 2, 4, ranges, dist, v2v, v2p))).toBe('EINVAL');
    expect(await errnoOf(xc_domain_setvnuma(h.xch, 4321, 2, 2, 4, null, dist, v2v, v2p))).toBe('EINVAL');
    expect(await errnoOf(xc_domain_setvnuma(h.xch, 4321, 2, 2, 4, ranges, dist, v2v, v2p))).toBe('ESRCH'); // now it reaches Xen
  });

  it('67: get_vnumainfo with short counts is ENOBUFS and writes the needed counts back; the retry gets it all', async () => {
    const d = await guest();
    await xc_domain_setvnuma(h.xch, d, 2, 2, 4, ranges, dist, v2v, v2p);
    const counts = { nr_vnodes: 0, nr_vmemranges: 0, nr_vcpus: 0 };
    expect(await errnoOf(xc_domain_getvnuma(h.xch, d, counts, [], [], []))).toBe('ENOBUFS');
    expect(counts).toEqual({ nr_vnodes: 2, nr_vmemranges: 2, nr_vcpus: 4 });
    const r: xen_vmemrange_t[] = [];
    const di: number[] = [];
    const c: number[] = [];
    await xc_domain_getvnuma(h.xch, d, counts, r, di, c);
    expect([r, di, c]).toEqual([ranges, dist, v2v]);
    // A second set replaces the first whole (vnuma_replace).
    await xc_domain_setvnuma(h.xch, d, 1, 1, 4, [{ start: 0n, end: 2n * GiB, flags: 0, nid: 0 }], [10], [0, 0, 0, 0], [1]);
    const again = { nr_vnodes: 4, nr_vmemranges: 4, nr_vcpus: 4 };
    await xc_domain_getvnuma(h.xch, d, again, [], [], []);
    expect(again).toEqual({ nr_vnodes: 1, nr_vmemranges: 1, nr_vcpus: 4 });
    await xc_domain_destroy(h.xch, d);
  });

  it('52: XENMEMF_vnode maps a vnode to its pnode (exact with bit 17); a vnode past nr_vnodes gives 0 extents', async () => {
    const d = await guest();
    await xc_domain_setvnuma(h.xch, d, 2, 2, 4, ranges, dist, v2v, v2p);
    expect(await xc_domain_populate_physmap(h.xch, d, 1, 9, XENMEMF_vnode | XENMEMF_node(1) | XENMEMF_exact_node_request, [0])).toBe(1);
    expect(await xc_domain_populate_physmap(h.xch, d, 1, 9, XENMEMF_vnode | XENMEMF_node(0) | XENMEMF_exact_node_request, [512])).toBe(1);
    expect(await xc_domain_populate_physmap(h.xch, d, 1, 0, XENMEMF_vnode | XENMEMF_node(2), [4096])).toBe(0);
    const pages = new Array<number>(64).fill(-1);
    await xc_domain_numa_get_node_pages(h.xch, d, 64, pages);
    expect(pages.slice(0, 4)).toEqual([0, 0, 512, 512]);
    await xc_domain_destroy(h.xch, d);
  });

  it('73: debug key u prints the vnodes, their pnodes, vCPU runs and ranges under the domain', async () => {
    const d = await guest();
    await xc_domain_setvnuma(h.xch, d, 2, 2, 4, ranges, dist, [0, 1, 1, 0], v2p);
    const key = await sysctl(h.xch.client, { cmd: 7, interface_version: SYSCTL_V, debug_keys: { keys: { buf: Buffer.from('u') }, nr_keys: 1 } });
    expect(key.rc).toBe('0');
    const read = await sysctl(h.xch.client, { cmd: 1, interface_version: SYSCTL_V, readconsole: { clear: 1, buffer: {}, count: 1 << 16 } });
    const text = Buffer.from(read.op!.readconsole!.buffer!.buf).toString();
    const lines = text.split('\n');
    const at = lines.indexOf(`(XEN) d${d} (total: 0):`);
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 5, at + 11)).toEqual([
      '(XEN)      2 vnodes, 4 vcpus, guest physical layout:',
      '(XEN)          0: pnode   2, vcpus 0 3',
      '(XEN)            0000000000000000 - 0000000040000000',
      '(XEN)          1: pnode   3, vcpus 1-2 ',
      '(XEN)            0000000040000000 - 0000000080000000',
      '',
    ]);
    await xc_domain_destroy(h.xch, d);
  });
});

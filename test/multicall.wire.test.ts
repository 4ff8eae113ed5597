// Multicall, the hypercall stream and xen_version over the wire (xen/common/multicall.c:
// do_multicall; xen/common/kernel.c: do_xen_version).
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { xc_domain_create, xc_domain_getinfo_single } from '../libxc/xenctrl.js';
import type { HypervisorClient } from '../proto/generated/xen/Hypervisor.js';
import type { multicall_entry } from '../proto/generated/xen/multicall_entry.js';
import { preset, useHost } from './harness.js';
import { DOMCTL_V, multicall, physinfoReq, stream, sysctl, SYSCTL_V, xenVersion } from './wire.js';

const XEN_4_22 = String((4 << 16) | 22);
const PAUSED = 0x8; // XEN_DOMINF_paused

describe('multicall (do_multicall)', () => {
  const h = useHost('4node');
  const c = (): HypervisorClient => h.xch.client;

  it('N physinfo sysctls: each entry result 0 with its own OUT struct filled, outer rc 0', async () => {
    const N = 16;
    const direct = (await sysctl(c(), physinfoReq)).op!.physinfo;
    const r = await multicall(c(), { call_list: Array.from({ length: N }, () => ({ op: 35, sysctl: physinfoReq })) });
    expect(r.rc).toBe('0');
    expect(r.call_list).toHaveLength(N);
    for (const e of r.call_list) {
      expect(e.op).toBe(35);
      expect(e.result).toBe('0');
      expect(e.sysctl!.physinfo).toEqual(direct);
    }
    expect(direct).toMatchObject({ nr_nodes: 4, nr_cpus: 64, total_pages: String(256 << 18) });
    expect(direct!.hw_cap).toEqual(preset('4node').hw_cap);
  });

  it('a failing entry keeps its own errno and the others their results; an unserved op has no args in the reply', async () => {
    const r = await multicall(c(), {
      call_list: [
        { op: 35, sysctl: physinfoReq },
        { op: 35, sysctl: { cmd: 3, interface_version: 0x15 } },
        { op: 99 },
        { op: 35, sysctl: { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: 0 } } },
        { op: 36, domctl: { cmd: 5, interface_version: DOMCTL_V, domain: 3 } },
        { op: 17, xen_version: { cmd: 0 } },
      ],
    });
    expect(r.rc).toBe('0'); // never a sub-call's result
    expect(r.call_list.map((e) => e.result)).toEqual(['0', '-13', '-38', '0', '-3', XEN_4_22]);
    expect(r.call_list[0]!.sysctl!.physinfo!.nr_nodes).toBe(4);
    // The bad-version entry is not copied back: its physinfo is the all-zero struct it sent.
    expect(r.call_list[1]!.sysctl!.physinfo).toMatchObject({ nr_nodes: 0, nr_cpus: 0 });
    expect(r.call_list[2]).toMatchObject({ op: 99, result: '-38' });
    expect(r.call_list[2]!.args).toBeUndefined();
    expect(r.call_list[3]!.sysctl!.numainfo!.num_nodes).toBe(4);
  });

  it('a nested multicall entry answers -EINVAL without running its entries; the outer rc is 0 (statement 76)', async () => {
    const r = await multicall(c(), {
      call_list: [
        { op: 35, sysctl: physinfoReq },
        { op: 13, multicall: { call_list: [{ op: 35, sysctl: physinfoReq }, { op: 17, xen_version: { cmd: 0 } }] } },
        { op: 35, sysctl: physinfoReq },
      ],
    });
    expect(r.rc).toBe('0');
    expect(r.call_list.map((e) => e.result)).toEqual(['0', '-22', '0']);
    expect(r.call_list[1]!.multicall!.call_list).toEqual([]);
  });

  it('the entries of a nested multicall are not even decoded: a malformed one inside is still just -EINVAL', async () => {
    const r = await multicall(c(), {
      call_list: [{ op: 13, multicall: { call_list: [{ op: 36, domctl: { cmd: 5, interface_version: DOMCTL_V, domain: 70000 } }] } }],
    });
    expect(r.rc).toBe('0');
    expect(r.call_list.map((e) => e.result)).toEqual(['-22']);
  });

  it('an entry whose args are not for its op (35 with domctl args) is INVALID_ARGUMENT; the server answers the next call', async () => {
    await expect(
      multicall(c(), { call_list: [{ op: 35, sysctl: physinfoReq }, { op: 35, domctl: { cmd: 5, interface_version: DOMCTL_V } }] }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: "multicall entry op 35 carries 'domctl' arguments" });
    await expect(multicall(c(), { call_list: [{ op: 99, sysctl: physinfoReq }] })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    const next = await multicall(c(), { call_list: [{ op: 35, sysctl: physinfoReq }] });
    expect(next.call_list.map((e) => e.result)).toEqual(['0']);
  });

  it('an entry with absent args runs with an all-zero struct: version 0 is -EACCES', async () => {
    const r = await multicall(c(), { call_list: [{ op: 35 }, { op: 36 }, { op: 17 }] });
    expect(r.call_list.map((e) => e.result)).toEqual(['-13', '-13', XEN_4_22]);
  });

  it('an empty multicall does nothing and returns 0', async () => {
    expect(await multicall(c(), { call_list: [] })).toMatchObject({ rc: '0', call_list: [] });
  });
});

describe('multicall ordering and atomic decoding, seen through domain state', () => {
  const h = useHost('2node');
  const pausedFlag = async (id: number): Promise<number> => (await xc_domain_getinfo_single(h.xch, id)).flags & PAUSED;
  const ctl = (cmd: number, domain: number): multicall_entry => ({ op: 36, domctl: { cmd, interface_version: DOMCTL_V, domain } });

  it('entries run in order, each seeing the effects of the ones before', async () => {
    const d = await xc_domain_create(h.xch, 0x7ff5, { max_vcpus: 1 });
    expect(await pausedFlag(d)).toBe(PAUSED); // a new domain is paused once
    // unpause (1 -> 0), unpause again (-EINVAL at 0), pause (0 -> 1), unpause (1 -> 0).
    const r = await multicall(h.xch.client, { call_list: [ctl(4, d), ctl(4, d), ctl(3, d), ctl(4, d)] });
    expect(r.call_list.map((e) => e.result)).toEqual(['0', '-22', '0', '0']);
    expect(await pausedFlag(d)).toBe(0);
  });

  it('a multicall with one malformed entry is refused whole: the well-formed entries before it did not run', async () => {
    const d = await xc_domain_create(h.xch, 0x7ff5, { max_vcpus: 1 });
    await expect(
      multicall(h.xch.client, { call_list: [ctl(4, d), { op: 35, domctl: { cmd: 5, interface_version: DOMCTL_V } }] }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    expect(await pausedFlag(d)).toBe(PAUSED);
    // The same unpause alone does run (so the check above could have failed).
    expect((await multicall(h.xch.client, { call_list: [ctl(4, d)] })).call_list[0]!.result).toBe('0');
    expect(await pausedFlag(d)).toBe(0);
  });
});

describe('hypercall_stream', () => {
  const h = useHost('2node');

  it('5 entries in, 5 replies out, in order, each with its result and OUT view', async () => {
    const replies = await stream(h.xch.client, [
      { op: 17, xen_version: { cmd: 0 } },
      { op: 35, sysctl: { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: 0 } } },
      { op: 99 },
      { op: 35, sysctl: { cmd: 3, interface_version: 0x15 } },
      { op: 17, xen_version: { cmd: 7 } },
    ]);
    expect(replies.map((r) => [r.op, r.result])).toEqual([
      [17, XEN_4_22],
      [35, '0'],
      [99, '-38'],
      [35, '-13'],
      [17, '4096'],
    ]);
    expect(replies[1]!.sysctl!.numainfo!.num_nodes).toBe(2);
    expect(replies[2]!.args).toBeUndefined();
  });

  it('a multicall inside the stream runs its entries (it is not nested); one inside that is', async () => {
    const replies = await stream(h.xch.client, [
      { op: 13, multicall: { call_list: [{ op: 35, sysctl: physinfoReq }, { op: 13, multicall: { call_list: [] } }] } },
    ]);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.result).toBe('0');
    expect(replies[0]!.multicall!.call_list.map((e) => e.result)).toEqual(['0', '-22']);
    expect(replies[0]!.multicall!.call_list[0]!.sysctl!.physinfo!.nr_nodes).toBe(2);
  });

  it('stream calls are ordered against state: pause then getdomaininfo sees paused', async () => {
    const d = await xc_domain_create(h.xch, 0x7ff5, { max_vcpus: 1 });
    const info: multicall_entry = { op: 36, domctl: { cmd: 5, interface_version: DOMCTL_V, domain: d, getdomaininfo: {} } };
    const replies = await stream(h.xch.client, [
      info,
      { op: 36, domctl: { cmd: 4, interface_version: DOMCTL_V, domain: d } },
      info,
      { op: 36, domctl: { cmd: 3, interface_version: DOMCTL_V, domain: d } },
      info,
    ]);
    expect(replies.map((r) => r.result)).toEqual(['0', '0', '0', '0', '0']);
    expect([0, 2, 4].map((i) => replies[i]!.domctl!.getdomaininfo!.flags & PAUSED)).toEqual([PAUSED, 0, PAUSED]);
  });
});

describe('xen_version through the service (do_xen_version)', () => {
  const h = useHost('1node', { dom0_mem: '2G' });
  const c = (): HypervisorClient => h.xch.client;

  it('XENVER_version is (4 << 16) | 22 and writes no buffer', async () => {
    const r = await xenVersion(c(), 0);
    expect(r.rc).toBe(XEN_4_22);
    expect(r.rc).toBe('262166');
    expect(r.op!.arg).toBeUndefined();
  });

  it('XENVER_capabilities: the x86-64 string of init_xen_cap_info, each entry ending in a space', async () => {
    const r = await xenVersion(c(), 3);
    expect(r.rc).toBe('0');
    expect(r.op!.capabilities).toBe('xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ');
  });

  it('XENVER_pagesize is 4096; extraversion .0; platform parameters; the command line of this boot', async () => {
    expect((await xenVersion(c(), 7)).rc).toBe('4096');
    expect((await xenVersion(c(), 1)).op!.extraversion).toBe('.0');
    expect((await xenVersion(c(), 5)).op!.platform_parameters!.virt_start).toBe(String(0xffff800000000000n));
    expect((await xenVersion(c(), 9)).op!.commandline).toBe('dom0_mem=2G dom0_max_vcpus=8 console=com1 sched=credit2');
  });

  it('an unknown sub-op answers -ENOSYS and writes nothing', async () => {
    const r = await xenVersion(c(), 63);
    expect(r.rc).toBe('-38');
    expect(r.op!.arg).toBeUndefined();
  });
});

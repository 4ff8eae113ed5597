// Multicall, the hypercall stream and xen_version over the wire (xen/common/multicall.c:
// do_multicall; xen/common/kernel.c: do_xen_version).
import { describe, expect, it } from 'vitest';
import { useHost } from './harness.js';
import { multicall, physinfoReq, stream, SYSCTL_V, xenVersion } from './wire.js';

describe('multicall', () => {
  const h = useHost('4node');

  it('runs 100 physinfo entries in order, each with its own result and OUT struct', async () => {
    const r = await multicall(h.xch.client, { call_list: Array.from({ length: 100 }, () => ({ op: 35, sysctl: physinfoReq })) });
    expect(r.rc).toBe('0');
    expect(r.call_list).toHaveLength(100);
    expect(r.call_list.every((e) => e.result === '0' && e.sysctl!.physinfo!.nr_nodes === 4)).toBe(true);
  });

  it('a failing entry keeps its own errno and does not stop the others', async () => {
    const r = await multicall(h.xch.client, {
      call_list: [
        { op: 35, sysctl: physinfoReq },
        { op: 35, sysctl: { cmd: 3, interface_version: 0x15 } },
        { op: 99 },
        { op: 36, domctl: { cmd: 5, interface_version: 0x18, domain: 3 } },
        { op: 17, xen_version: { cmd: 0 } },
      ],
    });
    expect(r.rc).toBe('0');
    expect(r.call_list.map((e) => e.result)).toEqual(['0', '-13', '-38', '-3', String((4 << 16) | 22)]);
  });

  it('a nested multicall entry answers -EINVAL; the outer call returns 0 (statement 76)', async () => {
    const r = await multicall(h.xch.client, {
      call_list: [{ op: 13, multicall: { call_list: [{ op: 35, sysctl: physinfoReq }] } }, { op: 35, sysctl: physinfoReq }],
    });
    expect(r.rc).toBe('0');
    expect(r.call_list.map((e) => e.result)).toEqual(['-22', '0']);
  });

  it('an entry with absent arguments runs with an all-zero struct (cmd 0, version 0: -EACCES)', async () => {
    const r = await multicall(h.xch.client, { call_list: [{ op: 35 }, { op: 36 }, { op: 12 }] });
    expect(r.call_list.map((e) => e.result)).toEqual(['-13', '-13', '-38']);
  });

  it('an empty multicall does nothing and returns 0', async () => {
    expect(await multicall(h.xch.client, { call_list: [] })).toMatchObject({ rc: '0', call_list: [] });
  });
});

describe('hypercall_stream', () => {
  const h = useHost('2node');

  it('answers each call in order, like one vCPU issuing hypercalls', async () => {
    const replies = await stream(h.xch.client, [
      { op: 35, sysctl: physinfoReq },
      { op: 35, sysctl: { cmd: 17, interface_version: SYSCTL_V, numainfo: { num_nodes: 0 } } },
      { op: 99 },
      { op: 13, multicall: { call_list: [] } },
      { op: 17, xen_version: { cmd: 7 } },
    ]);
    expect(replies.map((r) => [r.op, r.result])).toEqual([
      [35, '0'],
      [35, '0'],
      [99, '-38'],
      [13, '0'],
      [17, '4096'],
    ]);
    expect(replies[1]!.sysctl!.numainfo!.num_nodes).toBe(2);
  });

  it('a multicall inside the stream runs its entries (it is not nested)', async () => {
    const replies = await stream(h.xch.client, [
      { op: 13, multicall: { call_list: [{ op: 35, sysctl: physinfoReq }, { op: 13, multicall: { call_list: [] } }] } },
    ]);
    expect(replies[0]!.result).toBe('0');
    expect(replies[0]!.multicall!.call_list.map((e) => e.result)).toEqual(['0', '-22']);
    expect(replies[0]!.multicall!.call_list[0]!.sysctl!.physinfo!.nr_nodes).toBe(2);
  });
});

describe('xen_version (do_xen_version)', () => {
  const h = useHost('1node', { dom0_mem: '2G' });

  it('XENVER_version is (major << 16) | minor = 4.22, pagesize 4096, extraversion .0', async () => {
    expect((await xenVersion(h.xch.client, 0)).rc).toBe(String((4 << 16) | 22));
    expect((await xenVersion(h.xch.client, 7)).rc).toBe('4096');
    expect((await xenVersion(h.xch.client, 1)).op!.extraversion).toBe('.0');
  });

  it('capabilities, platform parameters and the command line of this boot', async () => {
    expect((await xenVersion(h.xch.client, 3)).op!.capabilities).toBe('xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 '); // trailing space: init_xen_cap_info
    expect((await xenVersion(h.xch.client, 5)).op!.platform_parameters!.virt_start).toBe(String(0xffff800000000000n));
    expect((await xenVersion(h.xch.client, 9)).op!.commandline).toBe('dom0_mem=2G dom0_max_vcpus=8 console=com1 sched=credit2');
  });

  it('an unknown sub-op answers -ENOSYS and writes nothing', async () => {
    const r = await xenVersion(h.xch.client, 63);
    expect(r.rc).toBe('-38');
    expect(r.op!.arg).toBeUndefined();
  });
});

// The engine on its own (no gRPC): do_sysctl, do_multicall and the copy-back rule.
import { describe, expect, it } from 'vitest';
import { GuestHandle } from '../hypervisor/guest_handle.js';
import type { MulticallEntry } from '../hypervisor/hypercall.js';
import { domid } from '../hypervisor/ids.js';
import type { xen_sysctl, xen_sysctl_getdomaininfolist } from '../hypervisor/public/sysctl.js';
import { Xen } from '../hypervisor/xen.js';
import { preset } from './harness.js';

const dom0 = domid(0);

function listOp(buffer: GuestHandle<never>, max_domains: number): { args: xen_sysctl; op: xen_sysctl_getdomaininfolist } {
  const op = { first_domain: 0, max_domains, buffer, num_domains: 77 } as xen_sysctl_getdomaininfolist;
  return { args: { cmd: 6, interface_version: 0x16, u: { kind: 'getdomaininfolist', op } }, op };
}

describe('do_sysctl in the engine', () => {
  const xen = new Xen({ topology: preset('2node') });

  it('getdomaininfolist into a NULL buffer faults (-EFAULT) and the struct is not copied back', () => {
    const { args, op } = listOp(GuestHandle.null(), 4);
    expect(xen.hypercall(dom0, { op: 35, args })).toBe(-14);
    expect(op.num_domains).toBe(77);
  });

  it('getdomaininfolist with max_domains 0 succeeds without touching a NULL buffer', () => {
    const { args, op } = listOp(GuestHandle.null(), 0);
    expect(xen.hypercall(dom0, { op: 35, args })).toBe(0);
    expect(op.num_domains).toBe(0);
  });

  it('getdomaininfolist writes dom0 into a present buffer', () => {
    const buf = new GuestHandle<never>([]);
    const { args, op } = listOp(buf, 4);
    expect(xen.hypercall(dom0, { op: 35, args })).toBe(0);
    expect(op.num_domains).toBe(1);
    expect(buf.written).toHaveLength(1);
  });

  it('numainfo with only a distance handle writes distances and leaves meminfo unwritten', () => {
    const meminfo = GuestHandle.null<{ memsize: bigint; memfree: bigint }>();
    const distance = new GuestHandle<number>([]);
    const rc = xen.hypercall(dom0, { op: 35, args: { cmd: 17, interface_version: 0x16, u: { kind: 'numainfo', op: { num_nodes: 2, meminfo, distance } } } });
    expect(rc).toBe(0);
    expect(distance.written).toEqual([10, 21, 21, 10]);
    expect(meminfo.written).toBeNull();
  });

  it('a multicall nested in a multicall is refused with -EINVAL; the outer entries still run', () => {
    const inner: MulticallEntry[] = [];
    const entries: MulticallEntry[] = [
      { call: { op: 13, args: inner }, result: 1 },
      { call: { op: 17, args: { cmd: 7, out: { kind: 'none' } } }, result: 1 },
    ];
    expect(xen.hypercall(dom0, { op: 13, args: entries })).toBe(0);
    expect(entries.map((e) => e.result)).toEqual([-22, 4096]);
    expect(xen.in_multicall).toBe(false);
  });
});

// vCPU and node affinity over the wire (xen/common/sched/core.c: vcpu_affinity_domctl,
// domain_update_node_aff; xen/common/domain.c: domain_set_node_affinity), statements 11-28.
import { describe, expect, it } from 'vitest';
import { DOMID_ANY } from '../hypervisor/ids.js';
import {
  isXenError,
  xc_cpumap_setcpu,
  xc_domain_create,
  xc_domain_destroy,
  xc_domain_max_vcpus,
  xc_domain_node_getaffinity,
  xc_domain_node_setaffinity,
  xc_vcpu_getaffinity,
  xc_vcpu_getinfo,
  xc_vcpu_setaffinity,
  type xc_interface,
} from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF, XEN_VCPUAFFINITY } from '../proto/public/domctl.js';
import { useHost } from './harness.js';
import { domctl, DOMCTL_V } from './wire.js';

const { HARD, SOFT } = XEN_VCPUAFFINITY;
const errnoOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (isXenError(e) ? e.code : String(e)));
const cpus = (...ids: number[]): Uint8Array => {
  const m = new Uint8Array(8); // 64 CPUs on 4node
  for (const id of ids) xc_cpumap_setcpu(id, m);
  return m;
};
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const bits = (m: Uint8Array): number[] => range(0, m.length * 8).filter((i) => (m[i >> 3]! & (1 << (i & 7))) !== 0);

async function nodeAffinity(xch: xc_interface, id: number): Promise<number[]> {
  const m = new Uint8Array(8);
  await xc_domain_node_getaffinity(xch, id, m);
  return bits(m);
}

/** A 2-vCPU HVM domain with its vCPUs created. */
async function domain(xch: xc_interface, withVcpus = true): Promise<number> {
  const id = await xc_domain_create(xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 2 });
  if (withVcpus) await xc_domain_max_vcpus(xch, id, 2);
  return id;
}

describe('node affinity', () => {
  const h = useHost('4node');

  it('a fresh domain reports all 64 bits (statement 11); after max_vcpus, the nodes of its pool (statement 13)', async () => {
    const id = await domain(h.xch, false);
    expect(await nodeAffinity(h.xch, id)).toEqual(range(0, 64));
    await xc_domain_max_vcpus(h.xch, id, 2);
    expect(await nodeAffinity(h.xch, id)).toEqual([0, 1, 2, 3]);
    await xc_domain_destroy(h.xch, id);
  });

  it('a mask with no online node is -EINVAL and changes nothing; nr_bits 0 is empty (statements 14, 15)', async () => {
    const id = await domain(h.xch);
    const m = new Uint8Array(8);
    m[1] = 0x01; // node 8: not online
    expect(await errnoOf(xc_domain_node_setaffinity(h.xch, id, m))).toBe('EINVAL');
    const r = await domctl(h.xch.client, { cmd: 68, interface_version: DOMCTL_V, domain: id, nodeaffinity: { nodemap: { nr_bits: 0, bitmap: { buf: Buffer.from([0xff]) } } } });
    expect(r.rc).toBe('-22');
    expect(await nodeAffinity(h.xch, id)).toEqual([0, 1, 2, 3]);
    await xc_domain_destroy(h.xch, id);
  });

  it('an explicit mask is kept as given, offline bits included (statement 17); all 64 bits turn auto back on (16)', async () => {
    const id = await domain(h.xch);
    const m = new Uint8Array(8);
    m[0] = 0b0100010; // nodes 1 and 5 (5 is not online)
    await xc_domain_node_setaffinity(h.xch, id, m);
    expect(await nodeAffinity(h.xch, id)).toEqual([1, 5]);
    // Explicit mode: vCPU affinity does not move it (statement 18).
    await xc_vcpu_setaffinity(h.xch, id, 0, cpus(0), null, HARD);
    expect(await nodeAffinity(h.xch, id)).toEqual([1, 5]);
    await xc_domain_node_setaffinity(h.xch, id, new Uint8Array(8).fill(0xff));
    expect(await nodeAffinity(h.xch, id)).toEqual([0, 1, 2, 3]); // recomputed from the vCPUs
    await xc_domain_destroy(h.xch, id);
  });

  it('in auto mode, pinning every vCPU to node 1 gives node affinity {1} (statement 19)', async () => {
    const id = await domain(h.xch);
    for (const v of [0, 1]) await xc_vcpu_setaffinity(h.xch, id, v, cpus(...range(16, 32)), null, HARD);
    expect(await nodeAffinity(h.xch, id)).toEqual([1]);
    // The vCPUs left CPUs 0 and 1 for the next allowed CPUs (vcpu_set_affinity migrates them).
    expect([(await xc_vcpu_getinfo(h.xch, id, 0)).cpu, (await xc_vcpu_getinfo(h.xch, id, 1)).cpu]).toEqual([16, 16]);
    await xc_vcpu_setaffinity(h.xch, id, 1, null, cpus(20, 21), SOFT);
    expect((await xc_vcpu_getinfo(h.xch, id, 1)).cpu).toBe(20); // soft affinity is preferred
    await xc_domain_destroy(h.xch, id);
  });

  it('in auto mode, soft affinity on node 0 gives {0}; soft outside the pool leaves hard to decide (statement 20)', async () => {
    const id = await domain(h.xch);
    for (const v of [0, 1]) await xc_vcpu_setaffinity(h.xch, id, v, null, cpus(...range(0, 16)), SOFT);
    expect(await nodeAffinity(h.xch, id)).toEqual([0]);
    for (const v of [0, 1]) await xc_vcpu_setaffinity(h.xch, id, v, null, new Uint8Array(8), SOFT);
    expect(await nodeAffinity(h.xch, id)).toEqual([0, 1, 2, 3]);
    await xc_domain_destroy(h.xch, id);
  });
});

describe('vCPU affinity', () => {
  const h = useHost('4node');

  it('vcpu >= max_vcpus is -EINVAL; a vCPU not yet created is -ESRCH (statement 21)', async () => {
    const id = await domain(h.xch, false);
    expect(await errnoOf(xc_vcpu_setaffinity(h.xch, id, 2, cpus(0), null, HARD))).toBe('EINVAL');
    expect(await errnoOf(xc_vcpu_getaffinity(h.xch, id, 0, new Uint8Array(8), null, HARD))).toBe('ESRCH');
    await xc_domain_destroy(h.xch, id);
  });

  it('flags 0, or HARD with a NULL map, is -EINVAL (statement 22)', async () => {
    const id = await domain(h.xch);
    expect(await errnoOf(xc_vcpu_setaffinity(h.xch, id, 0, cpus(0), null, 0))).toBe('EINVAL');
    expect(await errnoOf(xc_vcpu_setaffinity(h.xch, id, 0, null, null, HARD))).toBe('EINVAL');
    await xc_domain_destroy(h.xch, id);
  });

  it('a fresh vCPU has hard = soft = all nr_cpu_ids bits (statement 26)', async () => {
    const id = await domain(h.xch);
    const hard = new Uint8Array(8);
    const soft = new Uint8Array(8);
    await xc_vcpu_getaffinity(h.xch, id, 1, hard, soft, HARD | SOFT);
    expect([bits(hard).length, bits(soft).length]).toEqual([64, 64]);
    await xc_domain_destroy(h.xch, id);
  });

  it('HARD disjoint from the pool is -EINVAL, nothing written, affinity unchanged (statement 23)', async () => {
    const id = await domain(h.xch);
    // A 128-bit map whose only bit (100) is beyond the host's 64 CPUs: empty after conversion.
    const r = await domctl(h.xch.client, {
      cmd: 9, interface_version: DOMCTL_V, domain: id,
      vcpuaffinity: { vcpu: 0, flags: HARD, cpumap_hard: { nr_bits: 128, bitmap: { buf: Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0]) } } },
    });
    expect(r.rc).toBe('-22');
    expect(r.op!.vcpuaffinity!.cpumap_hard!.bitmap).toBeNull();
    const hard = new Uint8Array(8);
    await xc_vcpu_getaffinity(h.xch, id, 0, hard, null, HARD);
    expect(bits(hard).length).toBe(64);
    await xc_domain_destroy(h.xch, id);
  });

  it('HARD {0,1} plus a bit past nr_cpu_ids succeeds and writes {0,1} back (statement 24, XSA-56 class)', async () => {
    const id = await domain(h.xch);
    const r = await domctl(h.xch.client, {
      cmd: 9, interface_version: DOMCTL_V, domain: id,
      vcpuaffinity: { vcpu: 0, flags: HARD, cpumap_hard: { nr_bits: 1024, bitmap: { buf: Buffer.concat([Buffer.from([0x03]), Buffer.alloc(123), Buffer.from([0x80])]) } } },
    });
    expect(r.rc).toBe('0');
    expect(bits(new Uint8Array(r.op!.vcpuaffinity!.cpumap_hard!.bitmap!.buf))).toEqual([0, 1]);
    await xc_domain_destroy(h.xch, id);
  });

  it('SOFT disjoint from hard succeeds with an empty effective soft; get returns the raw soft (statement 25)', async () => {
    const id = await domain(h.xch);
    const hard = cpus(0, 1);
    const soft = cpus(40, 41);
    await xc_vcpu_setaffinity(h.xch, id, 0, hard, soft, HARD | SOFT);
    expect([bits(hard), bits(soft)]).toEqual([[0, 1], []]);
    const rawSoft = new Uint8Array(8);
    await xc_vcpu_getaffinity(h.xch, id, 0, null, rawSoft, SOFT);
    expect(bits(rawSoft)).toEqual([40, 41]);
    await xc_domain_destroy(h.xch, id);
  });

  it('when SOFT fails in a HARD|SOFT set, hard reverts (statement 28)', async () => {
    const id = await domain(h.xch);
    await xc_vcpu_setaffinity(h.xch, id, 0, cpus(3), null, HARD);
    // A soft buffer shorter than nr_bits says: the copy faults (-EFAULT) after hard was set.
    const r = await domctl(h.xch.client, {
      cmd: 9, interface_version: DOMCTL_V, domain: id,
      vcpuaffinity: { vcpu: 0, flags: HARD | SOFT, cpumap_hard: { nr_bits: 64, bitmap: { buf: Buffer.from(cpus(5, 6)) } }, cpumap_soft: { nr_bits: 64, bitmap: { buf: Buffer.from([1]) } } },
    });
    expect(r.rc).toBe('-14');
    const hard = new Uint8Array(8);
    await xc_vcpu_getaffinity(h.xch, id, 0, hard, null, HARD);
    expect(bits(hard)).toEqual([3]);
    await xc_domain_destroy(h.xch, id);
  });
});

describe('bad input leaves the state as it was', () => {
  const h = useHost('4node');

  it('reserved domids are not translated: DOMID_SELF, DOMID_IO and 0x7FFF answer -ESRCH', async () => {
    for (const id of [0x7ff0, 0x7ff1, 0x7ff5, 0x7fff]) {
      const r = await domctl(h.xch.client, { cmd: 5, interface_version: DOMCTL_V, domain: id, getdomaininfo: {} });
      expect(r.rc).toBe('-3');
    }
  });

  it('an empty hard map (nr_bits 0) is -EINVAL; maps and node affinity read back unchanged', async () => {
    const id = await domain(h.xch);
    await xc_vcpu_setaffinity(h.xch, id, 1, cpus(7), cpus(7, 8), HARD | SOFT);
    const r = await domctl(h.xch.client, {
      cmd: 9, interface_version: DOMCTL_V, domain: id,
      vcpuaffinity: { vcpu: 1, flags: HARD, cpumap_hard: { nr_bits: 0, bitmap: { buf: Buffer.from([0xff]) } } },
    });
    expect(r.rc).toBe('-22');
    const hard = new Uint8Array(8);
    const soft = new Uint8Array(8);
    await xc_vcpu_getaffinity(h.xch, id, 1, hard, soft, HARD | SOFT);
    expect([bits(hard), bits(soft)]).toEqual([[7], [7, 8]]);
    expect(await nodeAffinity(h.xch, id)).toEqual([0, 1, 2, 3]); // vCPU 0 still may run anywhere
    await xc_domain_destroy(h.xch, id);
  });

  it('SCHEDOP_pin_override cannot be issued (no guest sched_op), so FORCE is accepted and -EBUSY never arises', async () => {
    const id = await domain(h.xch);
    const hard = cpus(2);
    await xc_vcpu_setaffinity(h.xch, id, 0, hard, null, HARD | XEN_VCPUAFFINITY.FORCE);
    expect(bits(hard)).toEqual([2]);
    await xc_domain_destroy(h.xch, id);
  });
});

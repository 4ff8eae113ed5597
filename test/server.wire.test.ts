// The server's companions: reflection and health from the same package definition, and the
// libxc/libxl host queries on top of the wire.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import {
  LIBXL_CPUTOPOLOGY_INVALID_ENTRY,
  LIBXL_NUMAINFO_INVALID_ENTRY,
  libxl_get_cpu_topology,
  libxl_get_free_memory,
  libxl_get_numainfo,
  libxl_get_physinfo,
} from '../libxl/libxl.js';
import { libxl_bitmap_alloc, libxl_bitmap_set, libxl_bitmap_test, libxl_bitmap_to_hex_string, libxl_cpu_bitmap_alloc, libxl_get_max_cpus, libxl_get_max_nodes, libxl_get_online_cpus, libxl_node_bitmap_alloc } from '../libxl/libxl_utils.js';
import {
  isXenError,
  xc_cpumap_alloc,
  xc_cpumap_clearcpu,
  xc_cpumap_setcpu,
  xc_cpumap_testcpu,
  xc_domain_getinfo_single,
  xc_get_max_cpus,
  xc_get_max_nodes,
  xc_get_online_cpus,
  xc_nodemap_alloc,
  XenError,
} from '../libxc/xenctrl.js';
import type { HostTopology } from '../hypervisor/topology.js';
import { useHost } from './harness.js';

const require = createRequire(import.meta.url);
const reflectionProto = path.join(path.dirname(require.resolve('@grpc/reflection')), '..', 'proto', 'grpc', 'reflection', 'v1', 'reflection.proto');

/** A host with holes: node 1 absent, CPU 2 not present, CPU 3 without a node, CPU 4 offline. */
const holey: HostTopology = {
  name: 'holey',
  nr_cpus_limit: 256,
  nr_cpu_ids: 8,
  nodes: [
    { id: 0, online: true, memory: [{ start_mfn: 0, end_mfn: 1 << 18 }] },
    { id: 2, online: true, memory: [{ start_mfn: 1 << 18, end_mfn: 2 << 18 }] },
  ],
  cpus: [
    { id: 0, core: 0, socket: 0, node: 0, online: true },
    { id: 1, core: 1, socket: 0, node: 0, online: true },
    { id: 3, core: 0, socket: 1, node: null, online: true },
    { id: 4, core: 1, socket: 1, node: 2, online: false },
  ],
  distances: [
    [10, null, 20],
    [null, 10, null],
    [20, null, 10],
  ],
  cpu_khz: 2_000_000,
  capabilities: 0b1011,
  hw_cap: [0, 0, 0, 0, 0, 0, 0, 0],
};

describe('reflection and health', () => {
  const h = useHost('2node');

  it('reflection lists the Hypervisor, health and reflection services', async () => {
    const def = protoLoader.loadSync(reflectionProto, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
    const pkg = grpc.loadPackageDefinition(def) as unknown as { grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } } };
    const client = new pkg.grpc.reflection.v1.ServerReflection(h.address, grpc.credentials.createInsecure());
    const names = await new Promise<string[]>((resolve, reject) => {
      const open = (client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<unknown, { list_services_response?: { service: { name: string }[] } }> }).ServerReflectionInfo;
      const call = open.call(client);
      call.on('data', (r: { list_services_response?: { service: { name: string }[] } }) => {
        resolve((r.list_services_response?.service ?? []).map((s) => s.name).sort());
        call.end();
      });
      call.on('error', reject);
      call.write({ list_services: '' });
    });
    client.close();
    expect(names).toEqual(expect.arrayContaining(['grpc.health.v1.Health', 'xen.Hypervisor']));
  });

  it('health answers SERVING for the server and for xen.Hypervisor', async () => {
    const def = protoLoader.loadSync(healthProtoPath, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
    const pkg = grpc.loadPackageDefinition(def) as unknown as { grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } } };
    const client = new pkg.grpc.health.v1.Health(h.address, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
      Check(req: { service: string }, cb: (e: grpc.ServiceError | null, r?: { status: string }) => void): void;
    };
    const check = (service: string): Promise<string> => new Promise((res, rej) => client.Check({ service }, (e, r) => (e ? rej(e) : res(r!.status))));
    expect(await check('')).toBe('SERVING');
    expect(await check('xen.Hypervisor')).toBe('SERVING');
    await expect(check('no.such.Service')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    client.close();
  });
});

describe('libxc host queries (xc_misc.c)', () => {
  const h = useHost('4node');

  it('xc_get_max_cpus = max_cpu_id + 1, xc_get_max_nodes = 64, xc_get_online_cpus = nr_cpus', async () => {
    expect(await xc_get_max_cpus(h.xch)).toBe(64);
    expect(await xc_get_max_nodes(h.xch)).toBe(64);
    expect(await xc_get_online_cpus(h.xch)).toBe(64);
  });

  it('cpumaps and nodemaps are byte arrays sized from physinfo, bit n in byte n/8', async () => {
    const cm = await xc_cpumap_alloc(h.xch);
    const nm = await xc_nodemap_alloc(h.xch);
    expect([cm.length, nm.length]).toEqual([8, 8]);
    xc_cpumap_setcpu(9, cm);
    xc_cpumap_setcpu(63, cm);
    xc_cpumap_setcpu(64, cm); // beyond the map: a no-op
    expect([...cm]).toEqual([0, 2, 0, 0, 0, 0, 0, 0x80]);
    xc_cpumap_clearcpu(9, cm);
    expect([xc_cpumap_testcpu(9, cm), xc_cpumap_testcpu(63, cm)]).toEqual([false, true]);
  });

  it('a failing call throws XenError with errno and name (the -1/errno of C)', async () => {
    const e = await xc_domain_getinfo_single(h.xch, 42).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(XenError);
    expect(isXenError(e, 'ESRCH')).toBe(true);
    expect((e as XenError).errno).toBe(3);
    expect((e as XenError).fn).toBe('xc_domain_getinfo_single');
  });

  it('xc_domain_getinfo_single(0) describes dom0', async () => {
    const d0 = await xc_domain_getinfo_single(h.xch, 0);
    expect(d0.domain).toBe(0);
    expect(d0.tot_pages).toBe(4096 * 256);
    expect(d0.max_vcpu_id).toBe(7);
    expect(d0.nr_online_vcpus).toBe(8);
  });
});

describe('libxl host queries (libxl.c, libxl_utils.c, libxl_mem.c)', () => {
  const h = useHost(holey, { dom0_mem: '512M', dom0_max_vcpus: 1 });

  it('libxl_get_physinfo decodes the capability bits', async () => {
    const p = await libxl_get_physinfo(h.ctx);
    expect([p.cap_hvm, p.cap_pv, p.cap_hvm_directio, p.cap_hap, p.cap_shadow]).toEqual([true, true, false, true, false]);
    expect(p.nr_nodes).toBe(2);
    expect(p.nr_cpus).toBe(3);
    expect(p.max_cpu_id).toBe(7);
    expect([p.sharing_freed_pages, p.sharing_used_frames]).toEqual([0, 0]); // ENOSYS read as 0
  });

  it('libxl_get_numainfo maps invalid sizes and distances to LIBXL_NUMAINFO_INVALID_ENTRY', async () => {
    const n = await libxl_get_numainfo(h.ctx);
    expect(n).toHaveLength(3);
    expect(n[1]).toEqual({ size: BigInt(LIBXL_NUMAINFO_INVALID_ENTRY), free: BigInt(LIBXL_NUMAINFO_INVALID_ENTRY), dists: [LIBXL_NUMAINFO_INVALID_ENTRY, 10, LIBXL_NUMAINFO_INVALID_ENTRY] });
    expect(n[0]!.size).toBe(1n << 30n);
    expect(n[0]!.dists).toEqual([10, LIBXL_NUMAINFO_INVALID_ENTRY, 20]);
  });

  it('libxl_get_cpu_topology marks absent CPUs and node-less CPUs invalid', async () => {
    const t = await libxl_get_cpu_topology(h.ctx);
    expect(t).toHaveLength(5);
    expect(t[2]).toEqual({ core: LIBXL_CPUTOPOLOGY_INVALID_ENTRY, socket: LIBXL_CPUTOPOLOGY_INVALID_ENTRY, node: LIBXL_CPUTOPOLOGY_INVALID_ENTRY });
    expect(t[3]).toEqual({ core: 0, socket: 1, node: LIBXL_CPUTOPOLOGY_INVALID_ENTRY });
    expect(t[4]).toEqual({ core: 1, socket: 1, node: 2 }); // offline but present
  });

  it('libxl_get_free_memory is (free + scrub) pages in KiB', async () => {
    expect(await libxl_get_free_memory(h.ctx)).toBe((2 << 20) - 512 * 1024 - 4); // less MFN 0
  });

  it('host sizes and bitmaps', async () => {
    expect([await libxl_get_max_cpus(h.ctx), await libxl_get_max_nodes(h.ctx), await libxl_get_online_cpus(h.ctx)]).toEqual([8, 64, 3]);
    expect((await libxl_cpu_bitmap_alloc(h.ctx)).size).toBe(1);
    expect((await libxl_node_bitmap_alloc(h.ctx)).size).toBe(8);
    const b = libxl_bitmap_alloc(16);
    libxl_bitmap_set(b, 1);
    libxl_bitmap_set(b, 15);
    libxl_bitmap_set(b, 16); // silently ignored
    expect(libxl_bitmap_to_hex_string(b)).toBe('0x8002');
    expect(libxl_bitmap_test(b, 16)).toBe(false);
  });
});

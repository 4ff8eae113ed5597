// The embedded host presets. Each is built by the same symmetric-host generator so that CPU
// numbering, core ids and memory layout follow one rule (documented in docs/topology.md).
import { NR_CPUS_DEFAULT } from './numa.js';
import { TYPICAL_CAPABILITIES, TYPICAL_HW_CAP } from '../proto/public/physcap.js';
import { validateTopology, type CpuSpec, type HostTopology, type MemRange, type NodeSpec } from './topology.js';

const PAGES_PER_GIB = 1 << 18;
/** Node 0 carries the PCI/MMIO hole below 4 GiB, as on real x86 hosts: RAM stops at 3 GiB. */
const LOW_RAM_END_MFN = 3 * PAGES_PER_GIB;
const FOUR_GIB_MFN = 4 * PAGES_PER_GIB;

export interface SymmetricHost {
  name: string;
  sockets: number;
  nodesPerSocket: number;
  coresPerNode: number;
  threadsPerCore: number;
  memPerNodeGiB: number;
  cpuKhz: number;
  /** SLIT entry for two distinct nodes. */
  distance: (a: number, b: number, sameSocket: boolean) => number;
  nrCpusLimit?: number;
}

/**
 * CPU numbering: node by node, core by core, with the SMT siblings of a core adjacent
 * (cpu = (node * coresPerNode + core) * threads + thread), as Xen enumerates x2APIC ids.
 * Core ids count within a socket.
 */
export function symmetricHost(h: SymmetricHost): HostTopology {
  const nodeCount = h.sockets * h.nodesPerSocket;
  const nodes: NodeSpec[] = [];
  const cpus: CpuSpec[] = [];
  let nextMfn = 0;
  for (let n = 0; n < nodeCount; n++) {
    const pages = h.memPerNodeGiB * PAGES_PER_GIB;
    const memory: MemRange[] = [];
    if (n === 0 && pages > LOW_RAM_END_MFN) {
      memory.push({ start_mfn: 0, end_mfn: LOW_RAM_END_MFN });
      memory.push({ start_mfn: FOUR_GIB_MFN, end_mfn: FOUR_GIB_MFN + pages - LOW_RAM_END_MFN });
    } else {
      memory.push({ start_mfn: nextMfn, end_mfn: nextMfn + pages });
    }
    nextMfn = memory[memory.length - 1]!.end_mfn;
    nodes.push({ id: n, online: true, memory });
    const socket = Math.floor(n / h.nodesPerSocket);
    for (let c = 0; c < h.coresPerNode; c++) {
      for (let t = 0; t < h.threadsPerCore; t++) {
        const id = (n * h.coresPerNode + c) * h.threadsPerCore + t;
        const core = (n % h.nodesPerSocket) * h.coresPerNode + c;
        cpus.push({ id, core, socket, node: n, online: true });
      }
    }
  }
  const distances = nodes.map((a) =>
    nodes.map((b) =>
      a.id === b.id ? 10 : h.distance(a.id, b.id, Math.floor(a.id / h.nodesPerSocket) === Math.floor(b.id / h.nodesPerSocket)),
    ),
  );
  return validateTopology({
    name: h.name,
    nr_cpus_limit: h.nrCpusLimit ?? NR_CPUS_DEFAULT,
    nr_cpu_ids: cpus.length,
    nodes,
    cpus,
    distances,
    cpu_khz: h.cpuKhz,
    capabilities: TYPICAL_CAPABILITIES,
    hw_cap: [...TYPICAL_HW_CAP],
  });
}

/**
 * AMD Opteron 6272, 4 sockets x 2 dies: the 8-node SLIT used by xapi's xenopsd topology tests
 * (ocaml/xenopsd/test/test_topology.ml: make_numa_amd).
 */
export const AMD_6272_SLIT: readonly (readonly number[])[] = [
  [10, 16, 16, 22, 16, 22, 16, 22],
  [16, 10, 22, 16, 16, 22, 22, 16],
  [16, 22, 10, 16, 16, 16, 16, 16],
  [22, 16, 16, 10, 16, 16, 22, 22],
  [16, 16, 16, 16, 10, 16, 16, 22],
  [22, 22, 16, 16, 16, 10, 22, 16],
  [16, 22, 16, 22, 16, 22, 10, 16],
  [22, 16, 16, 22, 22, 16, 16, 10],
];

const PRESETS: Record<string, () => HostTopology> = {
  // The default: 2 sockets x 2 nodes, 8 cores x 2 threads and 64 GiB per node.
  '4node': () =>
    symmetricHost({
      name: '4node',
      sockets: 2,
      nodesPerSocket: 2,
      coresPerNode: 8,
      threadsPerCore: 2,
      memPerNodeGiB: 64,
      cpuKhz: 2394454,
      distance: (_a, _b, same) => (same ? 11 : 21),
    }),
  '1node': () =>
    symmetricHost({
      name: '1node',
      sockets: 1,
      nodesPerSocket: 1,
      coresPerNode: 8,
      threadsPerCore: 2,
      memPerNodeGiB: 32,
      cpuKhz: 2394454,
      distance: () => 20,
    }),
  '2node': () =>
    symmetricHost({
      name: '2node',
      sockets: 2,
      nodesPerSocket: 1,
      coresPerNode: 8,
      threadsPerCore: 2,
      memPerNodeGiB: 64,
      cpuKhz: 2394454,
      distance: () => 21,
    }),
  '8node-amd': () =>
    symmetricHost({
      name: '8node-amd',
      sockets: 4,
      nodesPerSocket: 2,
      coresPerNode: 8,
      threadsPerCore: 1,
      memPerNodeGiB: 16, // NUMA.resource ~memory:2^34 in the same test
      cpuKhz: 2100000,
      distance: (a, b) => AMD_6272_SLIT[a]![b]!,
    }),
  // Scale: 64 nodes x 256 GiB = 16 TiB, 4096 pCPUs (NR_CPUS raised to 4096 to hold them).
  '64node': () =>
    symmetricHost({
      name: '64node',
      sockets: 8,
      nodesPerSocket: 8,
      coresPerNode: 32,
      threadsPerCore: 2,
      memPerNodeGiB: 256,
      cpuKhz: 2600000,
      distance: (_a, _b, same) => (same ? 12 : 32),
      nrCpusLimit: 4096,
    }),
};

export const PRESET_NAMES = Object.keys(PRESETS);
export const DEFAULT_PRESET = '4node';

export function presetTopology(name: string): HostTopology | undefined {
  return PRESETS[name]?.();
}

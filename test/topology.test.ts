// Host topologies: presets, the JSON loader and the checks that refuse bad hosts.
import { describe, expect, it } from 'vitest';
import { Host } from '../hypervisor/host.js';
import { PRESET_NAMES, presetTopology } from '../hypervisor/presets.js';
import { presentPages, TopologyError } from '../hypervisor/topology.js';
import { topologyFromJson } from '../hypervisor/topology_json.js';

const GiB = 1 << 18; // pages

/** A small valid topology file: 2 nodes, 4 CPUs, 1 GiB each. */
function doc(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tiny',
    cpu_khz: 2000000,
    nodes: [
      { id: 0, memory_mib: 1024 },
      { id: 1, memory_mib: 1024 },
    ],
    cpus: [
      { id: 0, core: 0, socket: 0, node: 0 },
      { id: 1, core: 1, socket: 0, node: 0 },
      { id: 2, core: 0, socket: 1, node: 1 },
      { id: 3, core: 1, socket: 1, node: 1 },
    ],
    distances: [
      [10, 20],
      [20, 10],
    ],
    ...over,
  };
}

const load = (d: unknown): ReturnType<typeof topologyFromJson> => topologyFromJson(JSON.stringify(d));

describe('presets', () => {
  it('every preset boots', () => {
    expect(PRESET_NAMES.sort()).toEqual(['1node', '2node', '4node', '64node', '8node-amd']);
    for (const n of PRESET_NAMES) expect(() => new Host(presetTopology(n)!)).not.toThrow();
  });

  it('4node: 2 sockets x 2 nodes, 8 cores x 2 threads and 64 GiB per node, SLIT 10/11/21', () => {
    const t = presetTopology('4node')!;
    expect(t.nodes.map(presentPages)).toEqual([64 * GiB, 64 * GiB, 64 * GiB, 64 * GiB]);
    expect(t.cpus).toHaveLength(64);
    expect(new Set(t.cpus.map((c) => c.socket))).toEqual(new Set([0, 1]));
    expect(t.cpus.filter((c) => c.node === 2).map((c) => c.id)).toEqual([...Array(16).keys()].map((i) => 32 + i));
    expect(t.distances).toEqual([
      [10, 11, 21, 21],
      [11, 10, 21, 21],
      [21, 21, 10, 11],
      [21, 21, 11, 10],
    ]);
    // Node 0 carries the hole below 4 GiB: RAM [0, 3 GiB) and [4 GiB, 65 GiB).
    expect(t.nodes[0]!.memory).toEqual([
      { start_mfn: 0, end_mfn: 3 * GiB },
      { start_mfn: 4 * GiB, end_mfn: 65 * GiB },
    ]);
  });

  it('64node: 16 TiB and 4096 CPUs, NR_CPUS raised to hold them', () => {
    const t = presetTopology('64node')!;
    const h = new Host(t);
    expect(h.total_pages).toBe(16 * 1024 * GiB);
    expect(h.cpu_online_map.weight()).toBe(4096);
    expect(t.nr_cpus_limit).toBe(4096);
    expect(h.node_online_map.weight()).toBe(64);
  });
});

describe('JSON topology files', () => {
  it('loads a valid file, placing memory_mib contiguously', () => {
    const t = load(doc());
    expect(t.nodes[1]!.memory).toEqual([{ start_mfn: 1024 * 256, end_mfn: 2048 * 256 }]);
    expect(t.nr_cpu_ids).toBe(4);
    expect(t.nr_cpus_limit).toBe(256);
  });

  it('accepts explicit ranges, an offline node, memory-only nodes and unreachable distances', () => {
    const t = load(
      doc({
        nodes: [
          { id: 0, memory: [{ start_mib: 0, size_mib: 512 }, { start_mib: 1024, size_mib: 512 }] },
          { id: 1, online: false },
          { id: 2, memory_mib: 256 },
        ],
        cpus: [{ id: 0, core: 0, socket: 0, node: 0 }],
        distances: [
          [10, null, 20],
          [null, 10, null],
          [20, 255, 10],
        ],
      }),
    );
    expect(presentPages(t.nodes[0]!)).toBe(1024 * 256);
    expect(t.distances![2]![1]).toBeNull();
  });

  const bad: [string, unknown, string][] = [
    ['not JSON', '{', 'topology file is not valid JSON'],
    ['an unknown field', doc({ colour: 'red' }), 'topology.colour is not a known field'],
    ['a diagonal distance other than 10', doc({ distances: [[11, 20], [20, 10]] }), 'distances[0][0] must be 10 (local), got 11'],
    ['a distance below 10', doc({ distances: [[10, 9], [20, 10]] }), 'distances[0][1] must be 10..254, or null/255 for no distance, got 9'],
    ['a distance matrix of the wrong size', doc({ distances: [[10]] }), 'distances must have 2 rows'],
    ['a node id of 64', doc({ nodes: [{ id: 0, memory_mib: 1 }, { id: 64, memory_mib: 1 }] }), 'nodes: node id 64 is out of range (0..63, MAX_NUMNODES = 64)'],
    ['a duplicate node', doc({ nodes: [{ id: 0, memory_mib: 1 }, { id: 0, memory_mib: 1 }] }), 'nodes: node 0 is listed twice'],
    ['a cpu id past NR_CPUS', doc({ nr_cpus_limit: 4, nr_cpu_ids: 4, cpus: [{ id: 0, core: 0, socket: 0, node: 0 }, { id: 4, core: 0, socket: 0, node: 0 }] }), 'cpus: cpu id 4 is out of range (0..3, NR_CPUS = 4)'],
    ['a cpu id past nr_cpu_ids', doc({ nr_cpu_ids: 2 }), 'cpus: cpu id 2 is not below nr_cpu_ids (2)'],
    [
      'overlapping memory',
      doc({ nodes: [{ id: 0, memory: [{ start_mib: 0, size_mib: 100 }] }, { id: 1, memory: [{ start_mib: 50, size_mib: 100 }] }] }),
      'memory ranges overlap: node 0 [0, 25600) and node 1 [12800, 38400)',
    ],
    ['a cpu on an unknown node', doc({ cpus: [{ id: 0, core: 0, socket: 0, node: 0 }, { id: 1, core: 0, socket: 0, node: 7 }] }), 'cpus: cpu 1 is on node 7, which is not listed in nodes'],
    ['no boot CPU', doc({ cpus: [{ id: 1, core: 0, socket: 0, node: 0 }] }), 'cpus: cpu 0 (the boot CPU) must be present and online'],
    ['no memory', doc({ nodes: [{ id: 0 }, { id: 1 }] }), 'nodes: the host has no memory'],
    ['memory on an offline node', doc({ nodes: [{ id: 0, memory_mib: 1 }, { id: 1, online: false, memory_mib: 1 }] }), 'nodes: node 1 is offline but has memory'],
    ['a negative size', doc({ nodes: [{ id: 0, memory: [{ start_mib: 0, size_mib: -1 }] }] }), 'nodes[0].memory[0].size_mib must be an integer in 1..4294967296, got -1'],
    ['an unknown capability', doc({ capabilities: ['hvm', 'warp'] }), 'capabilities[1] must be one of hvm, pv, directio, hap, shadow, iommu_hap_pt_share, vmtrace, vpmu, gnttab_v1, gnttab_v2, got "warp"'],
    ['hw_cap of the wrong length', doc({ hw_cap: [1, 2] }), 'hw_cap must be 8 unsigned 32-bit words'],
  ];
  for (const [what, d, message] of bad) {
    it(`refuses ${what}, naming the problem`, () => {
      const run = (): unknown => (typeof d === 'string' ? topologyFromJson(d) : load(d));
      expect(run).toThrow(TopologyError);
      expect(run).toThrow(message);
    });
  }
});

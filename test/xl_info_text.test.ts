// Loading a host from the saved text of a real `xl info -n` (tools/xl/xl_info.c: output_physinfo,
// output_topologyinfo, output_numainfo), and the errors that name the line at fault.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { presetTopology } from '../hypervisor/presets.js';
import { TopologyError } from '../hypervisor/topology.js';
import { topologyFromXlInfo } from '../hypervisor/xl_info_text.js';
import { TYPICAL_HW_CAP, XEN_SYSCTL_PHYSCAP as CAP } from '../proto/public/physcap.js';

const GiB = 1 << 18; // pages
const MiB = 256; // pages

// Two sockets, one node each, 4 cores x 2 threads per node. Node 0's memsize (65442 MiB) spans a
// 1 GiB PCI hole, so total_memory is 65442 + 65536 - 1024 = 129954 MiB. Line numbers matter below.
const TWO_NODE = `host                   : xenhost-r640
release                : 6.1.0-28-amd64
version                : #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)
machine                : x86_64
nr_cpus                : 16
max_cpu_id             : 15
nr_nodes               : 2
cores_per_socket       : 4
threads_per_core       : 2
cpu_mhz                : 2394.454
hw_caps                : bfebfbff:77fefbff:2c100800:00000121:0000000f:d19ffffb:00000008:00008000
virt_caps              : pv hvm hvm_directio pv_directio hap shadow iommu_hap_pt_share gnttab-v1
total_memory           : 129954
free_memory            : 124954
sharing_freed_memory   : 0
sharing_used_memory    : 0
outstanding_claims     : 0
free_cpus              : 0
cpu_topology           :
cpu:    core    socket     node
  0:       0        0        0
  1:       0        0        0
  2:       1        0        0
  3:       1        0        0
  4:       2        0        0
  5:       2        0        0
  6:       3        0        0
  7:       3        0        0
  8:       0        1        1
  9:       0        1        1
 10:       1        1        1
 11:       1        1        1
 12:       2        1        1
 13:       2        1        1
 14:       3        1        1
 15:       3        1        1
device topology        :
device           node
0000:00:1f.3      0
0000:af:00.0      1
numa_info              :
node:    memsize    memfree    distances
   0:     65442      61234      10,21
   1:     65536      63720      21,10
xen_major              : 4
xen_minor              : 22
xen_extra              : .0
xen_version            : 4.22.0
xen_caps               : xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64
xen_scheduler          : credit2
xen_pagesize           : 4096
platform_params        : virt_start=0xffff800000000000
xen_changeset          : Tue Nov 18 09:12:44 2025 +0100 git:2f3c6a1b52
xen_commandline        : placeholder dom0_mem=4096M,max:4096M dom0_max_vcpus=4 console=com1,vga
cc_compiler            : gcc (Debian 12.2.0-14+deb12u1) 12.2.0
cc_compile_by          : pkg-xen-devel
cc_compile_domain      : lists.alioth.debian.org
cc_compile_date        : Tue Nov 18 09:12:44 UTC 2025
build_id               : 5e83a8cdf2173c6186abd0f51a3f6489aed3f81d
xend_config_format     : 4
`;

/** TWO_NODE with line `no` (1-based) replaced, or removed when `text` is null. */
function withLine(no: number, text: string | null): string {
  const lines = TWO_NODE.split('\n');
  if (text === null) lines.splice(no - 1, 1);
  else lines[no - 1] = text;
  return lines.join('\n');
}

const errorOf = (text: string): string => {
  try {
    topologyFromXlInfo(text);
  } catch (e) {
    expect(e).toBeInstanceOf(TopologyError);
    return (e as Error).message;
  }
  throw new Error('topologyFromXlInfo accepted the text');
};

describe('topologyFromXlInfo: a 2-node host', () => {
  const t = topologyFromXlInfo(TWO_NODE);

  it('reads name, CPU ids, speed, capabilities and hw_caps', () => {
    expect(t.name).toBe('xenhost-r640');
    expect(topologyFromXlInfo(TWO_NODE, 'lab').name).toBe('lab');
    expect(t.nr_cpu_ids).toBe(16);
    expect(t.nr_cpus_limit).toBe(256);
    expect(t.cpu_khz).toBe(2394454);
    expect(t.capabilities).toBe(CAP.pv | CAP.hvm | CAP.directio | CAP.hap | CAP.shadow | CAP.iommu_hap_pt_share | CAP.gnttab_v1);
    expect(t.hw_cap).toEqual([...TYPICAL_HW_CAP]);
  });

  it('reads cpus, cores, sockets and nodes from cpu_topology', () => {
    expect(t.cpus).toHaveLength(16);
    expect(t.cpus.every((c) => c.online)).toBe(true);
    expect(t.cpus.slice(0, 4)).toEqual([
      { id: 0, core: 0, socket: 0, node: 0, online: true },
      { id: 1, core: 0, socket: 0, node: 0, online: true },
      { id: 2, core: 1, socket: 0, node: 0, online: true },
      { id: 3, core: 1, socket: 0, node: 0, online: true },
    ]);
    expect(t.cpus[15]).toEqual({ id: 15, core: 3, socket: 1, node: 1, online: true });
    expect(new Set(t.cpus.map((c) => c.core))).toEqual(new Set([0, 1, 2, 3]));
    expect(t.cpus.filter((c) => c.socket === 1).map((c) => c.id)).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('lays node memory out from MFN 0, with the PCI hole at 3 GiB in node 0', () => {
    expect(t.nodes).toEqual([
      {
        id: 0,
        online: true,
        memory: [
          { start_mfn: 0, end_mfn: 3 * GiB },
          { start_mfn: 4 * GiB, end_mfn: 65442 * MiB },
        ],
      },
      { id: 1, online: true, memory: [{ start_mfn: 65442 * MiB, end_mfn: (65442 + 65536) * MiB }] },
    ]);
    expect(t.nodes[0]!.memory[1]!.end_mfn).toBe(16753152);
    expect(t.nodes[1]!.memory[0]!.end_mfn).toBe(33530368);
  });

  it('reads the SLIT from numa_info', () => {
    expect(t.distances).toEqual([
      [10, 21],
      [21, 10],
    ]);
  });

  it('ignores total_memory when it does not describe a hole inside node 0', () => {
    const noHole = topologyFromXlInfo(withLine(13, 'total_memory           : 130978'));
    expect(noHole.nodes[0]!.memory).toEqual([{ start_mfn: 0, end_mfn: 65442 * MiB }]);
    const absent = topologyFromXlInfo(withLine(13, null));
    expect(absent.nodes[0]!.memory).toEqual([{ start_mfn: 0, end_mfn: 65442 * MiB }]);
  });

  it('takes the highest extra CPUs offline when nr_cpus is below the rows listed', () => {
    const t2 = topologyFromXlInfo(withLine(5, 'nr_cpus                : 14'));
    expect(t2.cpus.filter((c) => !c.online).map((c) => c.id)).toEqual([14, 15]);
  });

  it('sizes nr_cpu_ids from max_cpu_id and raises NR_CPUS to hold it', () => {
    expect(topologyFromXlInfo(withLine(6, 'max_cpu_id             : 191')).nr_cpu_ids).toBe(192);
    const big = topologyFromXlInfo(withLine(6, 'max_cpu_id             : 511'));
    expect([big.nr_cpu_ids, big.nr_cpus_limit]).toEqual([512, 512]);
  });

  it('accepts CRLF line ends, surrounding blank lines and an empty virt_caps', () => {
    const text = `\n\n${withLine(12, 'virt_caps              :')}\n\n`.replace(/\n/g, '\r\n');
    const t2 = topologyFromXlInfo(text);
    expect(t2.capabilities).toBe(0);
    expect(t2.nodes).toEqual(t.nodes);
    expect(t2.cpus).toEqual(t.cpus);
  });
});

describe('topologyFromXlInfo: a node gap', () => {
  // Node 1 is offline: xl skips its row, yet every distance row still has highest id + 1 entries.
  const GAP = `
nr_cpus                : 4
max_cpu_id             : 3
cpu_topology           :
cpu:    core    socket     node
  0:       0        0        0
  1:       1        0        0
  2:       0        1        2
  3:       1        1        2
device topology        :
device           node
No device topology data available
numa_info              :
node:    memsize    memfree    distances
   0:      2048       1024      10,-1,20
   2:      4096       4000      20,4294967295,10
`;

  it('keeps the offline node in nodes and the distance matrix', () => {
    const t = topologyFromXlInfo(GAP, 'gap');
    expect(t.name).toBe('gap');
    expect(t.nodes).toEqual([
      { id: 0, online: true, memory: [{ start_mfn: 0, end_mfn: 2048 * MiB }] },
      { id: 1, online: false, memory: [] },
      { id: 2, online: true, memory: [{ start_mfn: 2048 * MiB, end_mfn: (2048 + 4096) * MiB }] },
    ]);
    expect(t.distances).toEqual([
      [10, null, 20],
      [null, 10, null],
      [20, null, 10],
    ]);
    expect(t.cpus.map((c) => c.node)).toEqual([0, 0, 2, 2]);
  });

  it('uses the defaults for absent keys', () => {
    const t = topologyFromXlInfo(GAP);
    expect(t.name).toBe('xl-info');
    expect(t.cpu_khz).toBe(2000000);
    expect(t.hw_cap).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(t.capabilities).toBe(CAP.hvm | CAP.pv | CAP.hap | CAP.shadow | CAP.gnttab_v1);
    expect([t.nr_cpu_ids, t.nr_cpus_limit]).toEqual([4, 256]);
  });

  it('reads node -1 as no node', () => {
    const t = topologyFromXlInfo(GAP.replace('  3:       1        1        2', '  3:       1        1       -1'));
    expect(t.cpus[3]).toEqual({ id: 3, core: 1, socket: 1, node: null, online: true });
  });

  it('refuses an online CPU on the offline node (validateTopology)', () => {
    expect(errorOf(GAP.replace('  3:       1        1        2', '  3:       1        1        1'))).toBe(
      'cpus: cpu 3 is online but its node 1 is offline',
    );
  });
});

describe('topologyFromXlInfo: the golden xl info -n of the presets', () => {
  for (const preset of ['4node', '8node-amd']) {
    it(`${preset} round-trips to the preset`, () => {
      const text = readFileSync(new URL(`./golden/xl-info-n-${preset}.txt`, import.meta.url), 'utf8');
      expect(topologyFromXlInfo(text, preset)).toEqual(presetTopology(preset));
    });
  }
});

describe('topologyFromXlInfo: malformed text', () => {
  const cases: [string, string, string][] = [
    [
      'a numa_info row of the wrong shape',
      withLine(44, '   x: 1 2'),
      "xl info -n line 44: numa_info row '   x: 1 2' is not '<node>: <memsize> <memfree> <distances>'",
    ],
    [
      'a cpu_topology row with a column missing',
      withLine(26, '  5:       2        0'),
      "xl info -n line 26: cpu_topology row '  5:       2        0' is not '<cpu>: <core> <socket> <node>'",
    ],
    [
      'a distance row of the wrong length',
      withLine(44, '   1:     65536      63720      21,10,21'),
      'xl info -n line 44: node 1 has 3 distances; expected 2, one per node id up to the highest listed (1)',
    ],
    ['a distance that is not a number', withLine(43, '   0:     65442      61234      10,2x'), "xl info -n line 43: node 0 distance '2x' is not a number"],
    ['a distance out of range', withLine(43, '   0:     65442      61234      10,300'), 'xl info -n line 43: node 0 distance 300 is not 10..254, or -1 for none'],
    [
      'a distance row longer than MAX_NUMNODES',
      withLine(44, `   1:     65536      63720      ${Array(65).fill(21).join(',')}`),
      'xl info -n line 44: node 1 has 65 distances; at most 64 (MAX_NUMNODES) are possible',
    ],
    ['a node id beyond MAX_NUMNODES', withLine(44, '  64:     65536      63720      21,10'), 'xl info -n line 44: node 64 is not below MAX_NUMNODES (64)'],
    ['nodes out of order', withLine(44, '   0:     65536      63720      21,10'), 'xl info -n line 44: node 0 is listed after node 0; xl lists each node once, in order'],
    ['cpus out of order', withLine(22, '  0:       0        0        0'), 'xl info -n line 22: cpu 0 is listed after cpu 0; xl lists each cpu once, in order'],
    [
      'an invalid socket',
      withLine(22, '  1:       0       -1        0'),
      'xl info -n line 22: cpu 1 has core 0 and socket -1; both must be 0..4294967294',
    ],
    [
      'a wrong numa_info header',
      withLine(42, 'node:    size'),
      "xl info -n line 42: expected the numa_info header 'node:    memsize    memfree    distances', got 'node:    size'",
    ],
    ['a line that is neither key nor row', withLine(14, 'free memory is low'), "xl info -n line 14: 'free memory is low' is not a 'key : value' line"],
    ['a repeated key', withLine(7, 'nr_cpus                : 16'), 'xl info -n line 7: nr_cpus appears twice (first on line 5)'],
    ['a repeated table', withLine(45, 'numa_info              :'), 'xl info -n line 45: numa_info appears twice (first on line 41)'],
    ['nr_cpus above the rows listed', withLine(5, 'nr_cpus                : 32'), 'xl info -n line 5: nr_cpus 32 is more than the 16 CPUs cpu_topology lists'],
    ['nr_cpus not a number', withLine(5, 'nr_cpus                : many'), "xl info -n line 5: nr_cpus 'many' is not an integer in 1..16383"],
    ['max_cpu_id below a listed cpu', withLine(6, 'max_cpu_id             : 7'), 'xl info -n line 6: max_cpu_id 7 is below cpu 15, which cpu_topology lists'],
    [
      'a malformed cpu_mhz',
      withLine(10, 'cpu_mhz                : fast'),
      "xl info -n line 10: cpu_mhz 'fast' is not '<MHz>.<kHz>' (e.g. 2394.454) of 1 kHz..4294967295 kHz",
    ],
    [
      'hw_caps with 2 words',
      withLine(11, 'hw_caps                : bfebfbff:77fefbff'),
      "xl info -n line 11: hw_caps 'bfebfbff:77fefbff' is not 8 hex words separated by ':'",
    ],
    [
      'plain xl info (no -n tables)',
      TWO_NODE.split('\n').filter((_l, i) => i < 18 || i >= 44).join('\n'),
      'xl info -n: no cpu_topology table; save the output of `xl info -n`, not `xl info`',
    ],
    ['a table cut off before its header', TWO_NODE.split('\n').slice(0, 41).join('\n'), "xl info -n: the numa_info table has no header 'node:    memsize    memfree    distances'"],
    ['an empty numa_info table', withLine(44, null).replace('   0:     65442      61234      10,21\n', ''), 'xl info -n line 41: numa_info lists no nodes'],
    ['text over 4 MiB', 'x'.repeat((4 << 20) + 1), 'xl info -n: text is 4194305 bytes; at most 4194304 are accepted'],
    ['text over 100000 lines', '\n'.repeat(100_001), 'xl info -n: text has 100001 lines; at most 100000 are accepted'],
  ];
  for (const [what, text, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(errorOf(text)).toBe(message);
    });
  }
});

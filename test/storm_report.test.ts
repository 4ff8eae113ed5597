// The boot storm's pure parts: the locality rows and their definitions (cli/storm/report.ts),
// the node of a soft affinity (host_state.ts nodeOfCpus), workloads and their bounds (workload.ts).
import { describe, expect, it } from 'vitest';
import { uniqueNames } from '../cli/storm/boot_storm.js';
import { nodeOfCpus } from '../cli/storm/host_state.js';
import { domainRow, failedRow, formatRows, summarize, type NodeState } from '../cli/storm/report.js';
import { checkMix, expand, parseMix, uniform } from '../cli/storm/workload.js';

const dom = (node_pages: number[], affinity_node: number | null = null) => ({ domid: 7, name: 'vm', tot_pages: 0, node_pages, affinity_node });

describe('domainRow: optimised (xapi), on one node, intended, spilled', () => {
  it('one node: optimised, nothing spilled', () => {
    expect(domainRow(dom([0, 5000, 0, 0]), 4, 1)).toMatchObject({ nodes: [1], pages: 5000, optimised: true, single_node: true, intended_node: 1, spilled_pages: 0 });
  });

  it('spread over two of four nodes: still optimised by xapi (fewer nodes than the host), not on one node; spill counted off the intended node', () => {
    expect(domainRow(dom([9000, 5000, 0, 0]), 4, 1)).toMatchObject({ nodes: [0, 1], optimised: true, single_node: false, spilled_pages: 9000 });
  });

  it('over every node of a 2-node host: not optimised; pages at or below 4096 on a node do not count as a node for xapi', () => {
    expect(domainRow(dom([9000, 5000]), 2, 0).optimised).toBe(false);
    expect(domainRow(dom([9000, 4096]), 2, 0)).toMatchObject({ optimised: true, single_node: false, spilled_pages: 4096 });
  });

  it('no intended node: nothing counts as spilled; the soft-affinity node is the default', () => {
    expect(domainRow(dom([100, 200]), 2, null)).toMatchObject({ intended_node: null, spilled_pages: 0 });
    expect(domainRow(dom([100, 200], 1), 2)).toMatchObject({ intended_node: 1, spilled_pages: 100 });
  });

  it('summarize counts only started VMs; the table marks failures', () => {
    const rows = [
      { ...domainRow(dom([5000, 0]), 2, 0), memory_mib: 1, vcpus: 1, error: null },
      { ...domainRow(dom([5000, 6000]), 2, 1), memory_mib: 1, vcpus: 1, error: null },
      { ...domainRow(dom([5000, 5000]), 2, null), memory_mib: 1, vcpus: 1, error: null },
      failedRow('bad', 64, 1, 2, null, 'Not_enough_memory'),
    ];
    expect(summarize(rows)).toEqual({ vms: 4, started: 3, failed: 1, on_one_node: 1, optimised: 1, spread: 2, spilled_vms: 1, spilled_pages: 5000, without_intended_node: 1 });
    const text = formatRows(rows, 2);
    expect(text.split('\n')[4]).toMatch(/^-\s+bad\s+-\s+-\s+-\s+-\s+-\s+FAILED: Not_enough_memory$/);
  });
});

describe('nodeOfCpus', () => {
  const nodes: NodeState[] = [
    { node: 0, size_pages: 1, free_pages: 0, cpus: [0, 1] },
    { node: 1, size_pages: 1, free_pages: 0, cpus: [2, 3] },
  ];
  it('the node holding every CPU; null for all CPUs, none, or CPUs of two nodes', () => {
    expect(nodeOfCpus([2, 3], nodes)).toBe(1);
    expect(nodeOfCpus([0], nodes)).toBe(0);
    expect(nodeOfCpus([0, 1, 2, 3], nodes)).toBeNull();
    expect(nodeOfCpus([], nodes)).toBeNull();
    expect(nodeOfCpus([1, 2], nodes)).toBeNull();
  });
});

describe('workloads', () => {
  it('a mix expands in file order with names; --vms is a one-entry mix', () => {
    expect(expand(parseMix('[{"count":2,"memory":512,"vcpus":1},{"count":1,"memory":64,"vcpus":4}]'))).toEqual([
      { name: 'storm-1', memory_mib: 512, vcpus: 1 },
      { name: 'storm-2', memory_mib: 512, vcpus: 1 },
      { name: 'storm-3', memory_mib: 64, vcpus: 4 },
    ]);
    expect(uniform(3, 100, 2)).toEqual([{ count: 3, memory: 100, vcpus: 2 }]);
  });

  it('a mix entry without "vcpus" gets the --vcpus default (2), not 1', () => {
    expect(checkMix([{ count: 1, memory: 64 }])).toEqual([{ count: 1, memory: 64, vcpus: 2 }]);
  });

  it('bounds and shapes are checked with a clear message', () => {
    expect(() => parseMix('nope')).toThrow(/not JSON/);
    expect(() => checkMix({})).toThrow(/JSON list/);
    expect(() => checkMix([])).toThrow(/1 to 64 entries/);
    expect(() => checkMix([{ count: 0, memory: 64, vcpus: 1 }])).toThrow(/count must be a whole number from 1 to 4096/);
    expect(() => checkMix([{ count: 1, memory: 15, vcpus: 1 }])).toThrow(/memory \(MiB\) must be a whole number from 16/);
    expect(() => checkMix([{ count: 1, memory: 64, vcpus: 129 }])).toThrow(/vcpus must be a whole number from 1 to 128/);
    expect(() => checkMix([{ count: 1, memory: 64, vcpu: 1 }])).toThrow(/unknown key 'vcpu'/);
    expect(() => checkMix([{ count: 3000, memory: 64 }, { count: 2000, memory: 64 }])).toThrow(/5000 VMs; at most 4096/);
    expect(() => parseMix(' '.repeat(70_000))).toThrow(/larger than 65536 bytes/);
  });

  it('uniqueNames: storm- unless a domain already has such a name, then storm2-, storm3-', () => {
    const vms = expand(uniform(2, 64, 1));
    expect(uniqueNames(vms, new Set(['Domain-0'])).map((v) => v.name)).toEqual(['storm-1', 'storm-2']);
    expect(uniqueNames(vms, new Set(['storm-1', 'storm2-9'])).map((v) => v.name)).toEqual(['storm3-1', 'storm3-2']);
  });
});

// The direct reply encoder must produce the same bytes as proto-loader's fromObject path for
// every reply shape the server builds (server/reply_encoder.ts).
import * as protoLoader from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { Xen } from '../hypervisor/xen.js';
import { LOADER_OPTIONS } from '../proto/loader.js';
import { replySerializer } from '../server/reply_encoder.js';
import { entriesIn, entryOut } from '../server/codec_multicall.js';
import { preset } from './harness.js';

const def = protoLoader.loadSync('xen/hypervisor.proto', LOADER_OPTIONS);
const service = def['xen.Hypervisor'] as protoLoader.ServiceDefinition;

describe('reply encoder', () => {
  it('matches fromObject+encode byte for byte on every served reply shape', () => {
    const xen = new Xen({ topology: preset('4node') });
    const calls = [
      { op: 35, sysctl: { cmd: 3, interface_version: 0x16 } },
      { op: 35, sysctl: { cmd: 17, interface_version: 0x16, numainfo: { num_nodes: 4, meminfo: {}, distance: {} } } },
      { op: 35, sysctl: { cmd: 16, interface_version: 0x16, cputopoinfo: { num_cpus: 64, cputopo: {} } } },
      { op: 35, sysctl: { cmd: 6, interface_version: 0x16, getdomaininfolist: { max_domains: 4, buffer: {} } } },
      { op: 35, sysctl: { cmd: 18, interface_version: 0x16, cpupool_op: { op: 7, cpumap: { nr_bits: 64, bitmap: {} } } } },
      { op: 36, domctl: { cmd: 5, interface_version: 0x18, domain: 0, getdomaininfo: {} } },
      { op: 17, xen_version: { cmd: 2 } },
      { op: 17, xen_version: { cmd: 5 } },
      { op: 17, xen_version: { cmd: 10 } },
      { op: 12, memory_op: { cmd: 6 } },
      { op: 13, multicall: { call_list: [] } },
      { op: 99 },
    ];
    const entries = entriesIn(calls as never);
    xen.hypercall(xen.control_domain().domain_id, { op: 13, args: entries });
    const reply = { rc: 0, call_list: entries.map(entryOut) };
    // Values that only fit as strings travel as strings; make one to cover that path.
    (reply.call_list[0]!.sysctl!.physinfo! as { total_pages: number | string }).total_pages = '18446744073709551615';
    const viaLoader = service.multicall!.responseSerialize(reply);
    expect(replySerializer('xen.Hypervisor', 'multicall')(reply).equals(viaLoader)).toBe(true);
    expect(viaLoader.length).toBeGreaterThan(1000);
  });
});

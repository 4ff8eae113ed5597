// xenemu: serve an emulated Xen host, and run xl against it (`xenemu xl ...`).
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_PRESET, PRESET_NAMES } from '../hypervisor/presets.js';
import { TopologyError } from '../hypervisor/topology.js';
import { Xen } from '../hypervisor/xen.js';
import type { MemopMaxOrder } from '../hypervisor/memory.js';
import { MAX_ORDER, type NodeClaimsMode } from '../hypervisor/page_alloc.js';
import { ADDRESS_ENV, DEFAULT_ADDRESS } from '../proto/endpoint.js';
import { isLoopback } from '../server/address.js';
import { MonotonicClock } from '../server/clock.js';
import { startServer } from '../server/server.js';
import { parseCommand, processOut } from './io.js';
import { CLAIMS, TOOLSTACKS } from './storm/boot_storm.js';
import { bootStormMain, DEFAULT_MEMORY_MIB, DEFAULT_VMS, numaMain, type BootStormOpts } from './storm/commands.js';
import { MAX_BUILDERS } from './storm/scheduler.js';
import { DEFAULT_VCPUS, MAX_VMS, MAX_VM_MIB, MAX_VM_VCPUS, MIN_VM_MIB } from './storm/workload.js';
import { loadTopology } from './topology_source.js';
import { main as xlMain } from './xl.js';

/** Time allowed for in-flight calls to finish on SIGINT/SIGTERM before the server is forced down. */
const SHUTDOWN_GRACE_MS = 2_000;

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 16383) throw new InvalidArgumentError('must be a whole number from 1 to 16383');
  return n;
}

interface ServeOpts {
  topology: string;
  listen: string;
  dom0Mem?: string;
  dom0MaxVcpus?: number;
  allowRemote?: boolean;
  nodeClaims: NodeClaimsMode;
  bootscrub: 'idle' | 'on' | 'off';
  scrubRate?: number;
  memopMaxOrder?: Partial<MemopMaxOrder>;
}

const NODE_CLAIMS: readonly NodeClaimsMode[] = ['off', 'xenserver', 'claim-sets'];

/** A whole number in [lo, hi] (the boot-storm bounds). */
function intIn(lo: number, hi: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < lo || n > hi) throw new InvalidArgumentError(`must be a whole number from ${lo} to ${hi}`);
    return n;
  };
}

function oneOf<T extends string>(choices: readonly T[]): (v: string) => T {
  return (v) => {
    if (!(choices as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${choices.join(', ')}`);
    return v as T;
  };
}

/** Pages per second: a whole number from 1 to 2^40 (every page of the largest host each second). */
function scrubRate(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 2 ** 40) throw new InvalidArgumentError('must be a whole number of pages per second from 1 to 2^40');
  return n;
}

/** memop-max-order=domU,ctldom,hwdom,ptdom (xen/common/memory.c: parse_max_order); empty fields keep the default. */
function maxOrder(v: string): Partial<MemopMaxOrder> {
  const keys = ['domu', 'ctldom', 'hwdom', 'ptdom'] as const;
  const parts = v.split(',');
  if (parts.length > keys.length) throw new InvalidArgumentError('takes at most four orders: domU,ctldom,hwdom,ptdom');
  const out: Partial<MemopMaxOrder> = {};
  parts.forEach((p, i) => {
    if (p === '') return;
    const n = Number(p);
    if (!Number.isInteger(n) || n < 0 || n > MAX_ORDER) throw new InvalidArgumentError(`orders are whole numbers from 0 to ${MAX_ORDER}, got '${p}'`);
    out[keys[i]!] = n;
  });
  return out;
}

function banner(xen: Xen, address: string): string {
  const h = xen.host;
  const d0 = xen.control_domain();
  const gib = (pages: number): string => `${(pages / 262144).toFixed(pages % 262144 === 0 ? 0 : 1)} GiB`;
  return [
    `xenemu: emulated Xen 4.22 host '${h.topology.name}'`,
    `  ${h.node_online_map.weight()} NUMA nodes, ${h.cpu_online_map.weight()} CPUs, ${gib(h.total_pages)} RAM`,
    `  dom0: ${d0.tot_pages / 256} MiB, ${d0.max_vcpus} vCPUs; free ${gib(xen.heap.total_avail_pages)}`,
    `  listening on ${address} (clients: --address ${address} or ${ADDRESS_ENV}=${address})`,
    '',
  ].join('\n');
}

async function serve(o: ServeOpts): Promise<number> {
  if (!isLoopback(o.listen) && o.allowRemote !== true) {
    process.stderr.write(`xenemu: refusing to listen on non-loopback address ${o.listen} without --allow-remote\n`);
    return 1;
  }
  let xen: Xen;
  try {
    xen = new Xen({
      topology: loadTopology(o.topology),
      ...(o.dom0Mem === undefined ? {} : { dom0_mem: o.dom0Mem }),
      ...(o.dom0MaxVcpus === undefined ? {} : { dom0_max_vcpus: o.dom0MaxVcpus }),
      clock: new MonotonicClock(),
      node_claims: o.nodeClaims,
      bootscrub: o.bootscrub,
      ...(o.scrubRate === undefined ? {} : { scrub_rate_pages_per_s: o.scrubRate }),
      ...(o.memopMaxOrder === undefined ? {} : { memop_max_order: o.memopMaxOrder }),
    });
  } catch (e) {
    if (e instanceof TopologyError) {
      process.stderr.write(`xenemu: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (!isLoopback(o.listen)) process.stderr.write(`xenemu: WARNING: serving on ${o.listen}; anyone who can reach it controls the emulated host\n`);
  const running = await startServer(xen, o.listen);
  process.stdout.write(banner(xen, running.address));
  await new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      process.stdout.write(`xenemu: ${sig}, shutting down\n`);
      const force = setTimeout(() => running.server.forceShutdown(), SHUTDOWN_GRACE_MS);
      void running.close().then(() => {
        clearTimeout(force);
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}

export async function main(args: string[]): Promise<number> {
  if (args[0] === 'xl') return xlMain(args.slice(1));
  let code = 0;
  const program = new Command('xenemu').description('An emulated Xen hypervisor (NUMA, memory, domains) served over gRPC').exitOverride();
  program
    .command('serve')
    .description('serve an emulated host')
    .option('--topology <preset|file>', `a preset (${PRESET_NAMES.join(', ')}), a JSON topology file, or saved 'xl info -n' output`, DEFAULT_PRESET)
    .option('--listen <addr>', 'HOST:PORT or unix:PATH', DEFAULT_ADDRESS)
    .option('--dom0-mem <size>', "Xen's dom0_mem= syntax, e.g. 4096M or 4G,max:8G (default 4096M)")
    .option('--dom0-max-vcpus <n>', 'dom0 vCPUs (default: online CPUs, at most 8)', positiveInt)
    .option('--allow-remote', 'allow a non-loopback --listen address')
    .option('--node-claims <mode>', `per-node claims (${NODE_CLAIMS.join(', ')}): off as in upstream 4.22; xenserver = XENMEM_claim_pages with XENMEMF_exact_node (4.20 SCM); claim-sets = XEN_DOMCTL_claim_memory (v7)`, oneOf(NODE_CLAIMS), 'off')
    .option('--bootscrub <mode>', "Xen's bootscrub=: idle (default) leaves boot memory dirty for the idle scrubber", oneOf(['idle', 'on', 'off'] as const), 'idle')
    .option('--scrub-rate <pages/s>', 'pages per second the idle scrubber cleans per node (default 262144, 1 GiB/s)', scrubRate)
    .option('--memop-max-order <list>', "Xen's memop-max-order=domU,ctldom,hwdom,ptdom (default 9,18,12,12)", maxOrder)
    .action(async (o: ServeOpts) => {
      code = await serve(o);
    });
  program
    .command('boot-storm')
    .description('boot N VMs at once through xenopsd or libxl, deterministically interleaved, and report where their memory landed')
    .option('--topology <preset|file>', `embedded host: a preset (${PRESET_NAMES.join(', ')}) or a topology file (default ${DEFAULT_PRESET})`)
    .option('--dom0-mem <size>', "embedded host: Xen's dom0_mem= (default 4096M)")
    .option('--address <addr>', 'run against this server instead of an embedded host')
    .option('--vms <n>', `VMs to boot, 1 to ${MAX_VMS} (default ${DEFAULT_VMS})`, intIn(1, MAX_VMS))
    .option('--memory <MiB>', `memory per VM, ${MIN_VM_MIB} to ${MAX_VM_MIB} MiB (default ${DEFAULT_MEMORY_MIB})`, intIn(MIN_VM_MIB, MAX_VM_MIB))
    .option('--vcpus <n>', `vCPUs per VM, 1 to ${MAX_VM_VCPUS} (default ${DEFAULT_VCPUS})`, intIn(1, MAX_VM_VCPUS))
    .option('--mix <file>', 'a JSON list of {"count", "memory", "vcpus"} instead of --vms/--memory/--vcpus')
    .option('--concurrency <c>', `builders alive at once, 1 to ${MAX_BUILDERS} (default: all VMs, at most ${MAX_BUILDERS})`, intIn(1, MAX_BUILDERS))
    .option('--toolstack <t>', `${TOOLSTACKS.join(', ')}`, oneOf(TOOLSTACKS), 'xenopsd')
    .option('--claims <c>', `${CLAIMS.join(', ')} (default: none for xenopsd-legacy, node for xenopsd, global for libxl)`, oneOf(CLAIMS))
    .option('--seed <s>', 'the scheduler seed, 0 to 2^32-1', intIn(0, 0xffffffff), 1)
    .option('--json', 'machine output on stdout')
    .option('--svg <file>', 'write the picture (one bar per node, stacked by domain)')
    .option('--html <file>', 'write a self-contained HTML page with the picture')
    .option('--destroy', 'destroy the VMs afterwards (a server given by --address keeps them otherwise)')
    .action(async (o: BootStormOpts) => {
      code = await bootStormMain(o, processOut, process.stderr.isTTY);
    });
  program
    .command('numa')
    .description('per-domain, per-node memory of what runs on a server now')
    .option('--address <addr>', `the server (default $${ADDRESS_ENV} or ${DEFAULT_ADDRESS})`)
    .option('--json', 'machine output on stdout')
    .action(async (o: { address?: string; json?: boolean }) => {
      code = await numaMain(o, processOut);
    });
  program.command('xl').description('run xl against the server (same as the xl command)').allowUnknownOption().argument('[args...]');
  return (await parseCommand(program, args)) ?? code;
}

// The `xenemu boot-storm` and `xenemu numa` commands: option checking, the embedded host,
// and writing the table, JSON, SVG and HTML. Bounds are in docs/boot-storm.md.
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { ManualClock } from '../../hypervisor/clock.js';
import { TopologyError } from '../../hypervisor/topology.js';
import { Xen } from '../../hypervisor/xen.js';
import { xc_interface_close, xc_interface_open } from '../../libxc/xenctrl.js';
import { xs_close, xs_open, type xs_handle } from '../../libxenstore/xs.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { Out } from '../xl_info.js';
import { loadTopology } from '../topology_source.js';
import { bootStorm, checkClaims, DEFAULT_CLAIMS, StormError, type Claims, type Toolstack } from './boot_storm.js';
import { readHostState } from './host_state.js';
import { numaJson, numaText, stormJson, stormSvgInput, stormText, stormTitle, type StormOutputInput } from './output.js';
import { MAX_BUILDERS } from './scheduler.js';
import { renderHtml, renderSvg } from './svg.js';
import { DEFAULT_VCPUS, MAX_MIX_BYTES, WorkloadError, expand, parseMix, uniform } from './workload.js';

export interface BootStormOpts {
  topology?: string;
  dom0Mem?: string;
  address?: string;
  vms?: number;
  memory?: number;
  vcpus?: number;
  mix?: string;
  concurrency?: number;
  toolstack: Toolstack;
  claims?: Claims;
  seed: number;
  json?: boolean;
  svg?: string;
  html?: string;
  destroy?: boolean;
}

/** Defaults of the uniform workload. */
export const DEFAULT_VMS = 40;
export const DEFAULT_MEMORY_MIB = 4096;

function progress(out: Out, tty: boolean): ((done: number, total: number) => void) | undefined {
  if (!tty) return undefined;
  return (done, total) => {
    const w = 30;
    const filled = Math.round((done / total) * w);
    out.stderr(`\r[${'#'.repeat(filled)}${' '.repeat(w - filled)}] ${done}/${total} VMs${done === total ? '\n' : ''}`);
  };
}

async function embedded(topology: string, dom0Mem: string | undefined): Promise<{ server: RunningServer; name: string }> {
  const t = loadTopology(topology);
  // A frozen virtual clock: the idle scrubber never runs behind the storm's back (determinism).
  const xen = new Xen({ topology: t, node_claims: 'xenserver', clock: new ManualClock(), ...(dom0Mem === undefined ? {} : { dom0_mem: dom0Mem }) });
  return { server: await startServer(xen, '127.0.0.1:0'), name: t.name };
}

/** `xenemu boot-storm`: exit 0 when the storm ran (whatever landed where), 1 on bad input or no server. */
export async function bootStormMain(o: BootStormOpts, out: Out, tty: boolean): Promise<number> {
  const fail = (m: string): number => {
    out.stderr(`xenemu boot-storm: ${m}\n`);
    return 1;
  };
  let server: RunningServer | undefined;
  const files: { opt: '--svg' | '--html'; fd: number }[] = [];
  try {
    if (o.address !== undefined && (o.topology !== undefined || o.dom0Mem !== undefined)) return fail('--address runs against a server; --topology and --dom0-mem start an embedded one: give one or the other');
    if (o.mix !== undefined && (o.vms !== undefined || o.memory !== undefined || o.vcpus !== undefined)) return fail('--mix replaces --vms, --memory and --vcpus');
    const claims = o.claims ?? DEFAULT_CLAIMS[o.toolstack];
    checkClaims(o.toolstack, claims);
    let mix;
    if (o.mix !== undefined) {
      let text: string;
      try {
        // A regular file only: a directory throws EISDIR and a device (/dev/zero) has no size to bound the read.
        const st = statSync(o.mix);
        if (!st.isFile()) return fail(`--mix: ${o.mix} is not a regular file`);
        if (st.size > MAX_MIX_BYTES) return fail(`--mix: ${o.mix} is larger than ${MAX_MIX_BYTES} bytes`);
        text = readFileSync(o.mix, 'utf8');
      } catch {
        return fail(`--mix: cannot read ${o.mix}`);
      }
      mix = parseMix(text);
    } else mix = uniform(o.vms ?? DEFAULT_VMS, o.memory ?? DEFAULT_MEMORY_MIB, o.vcpus ?? DEFAULT_VCPUS);
    const vms = expand(mix);
    // The picture's files are opened before anything starts: an unwritable path is a clear error, not a crash after the storm.
    for (const [opt, file] of [['--svg', o.svg], ['--html', o.html]] as const) {
      if (file === undefined) continue;
      try {
        files.push({ opt, fd: openSync(file, 'w') });
      } catch (e) {
        return fail(`${opt}: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    let address: string;
    let host: string;
    if (o.address === undefined) {
      const e = await embedded(o.topology ?? '4node', o.dom0Mem);
      server = e.server;
      address = e.server.address;
      host = `${e.name} (embedded${o.dom0Mem === undefined ? '' : `, dom0_mem=${o.dom0Mem}`})`;
    } else {
      address = o.address;
      host = address;
    }
    const bar = progress(out, tty);
    const r = await bootStorm({
      address,
      toolstack: o.toolstack,
      claims,
      concurrency: o.concurrency ?? Math.min(MAX_BUILDERS, vms.length),
      seed: o.seed,
      vms,
      destroy: o.destroy === true,
      ...(bar === undefined ? {} : { onVmDone: bar }),
    });
    const s: StormOutputInput = { host, ...r };
    if (o.json === true) out.stdout(JSON.stringify(stormJson(s), null, 2) + '\n');
    else out.stdout(stormText(s));
    if (files.length > 0) {
      const svg = renderSvg(stormSvgInput(s));
      for (const f of files) {
        try {
          writeFileSync(f.fd, f.opt === '--svg' ? svg : renderHtml(stormTitle(s), svg, stormText(s)));
        } catch (e) {
          return fail(`${f.opt}: cannot write ${f.opt === '--svg' ? o.svg : o.html}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof StormError || e instanceof WorkloadError || e instanceof TopologyError) return fail(e.message);
    if (e instanceof Error && /xc_interface_open|xs_open/.test(e.message)) return fail(e.message);
    throw e;
  } finally {
    for (const f of files) closeSync(f.fd);
    await server?.close();
  }
}

/** `xenemu numa`: the per-domain, per-node report of what runs on the server now. */
export async function numaMain(o: { address?: string; json?: boolean }, out: Out): Promise<number> {
  let xch;
  try {
    xch = await xc_interface_open(o.address);
  } catch (e) {
    out.stderr(`xenemu numa: ${(e as Error).message}\n`);
    return 1;
  }
  let xsh: xs_handle | null = null;
  try {
    xsh = await xs_open(xch.address).catch(() => null);
    const h = await readHostState(xch, xsh);
    out.stdout(o.json === true ? JSON.stringify(numaJson(h), null, 2) + '\n' : numaText(h));
    return 0;
  } catch (e) {
    // e.g. the server went away, or a domain vanished between the listing and its page query
    out.stderr(`xenemu numa: reading the host failed: ${(e as Error).message}\n`);
    return 1;
  } finally {
    if (xsh !== null) xs_close(xsh);
    xc_interface_close(xch);
  }
}

// Test harness: an engine, a real server on 127.0.0.1:0, and libxc/libxl handles on it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { main as xlMain } from '../cli/xl.js';
import { libxl_ctx_alloc, libxl_ctx_free, type libxl_ctx } from '../libxl/libxl.js';
import { xc_interface_close, xc_interface_open, type xc_interface } from '../libxc/xenctrl.js';
import { presetTopology } from '../hypervisor/presets.js';
import type { HostTopology } from '../hypervisor/topology.js';
import { Xen, type XenBootOptions } from '../hypervisor/xen.js';
import { startServer, type RunningServer } from '../server/server.js';

export interface Host {
  xen: Xen;
  server: RunningServer;
  address: string;
  xch: xc_interface;
  ctx: libxl_ctx;
  close(): Promise<void>;
}

export function preset(name: string): HostTopology {
  const t = presetTopology(name);
  if (t === undefined) throw new Error(`no preset ${name}`);
  return t;
}

/** Boots `topology` (a preset name or a topology) and serves it on an ephemeral loopback port. */
export async function startHost(topology: string | HostTopology = '4node', opts: Omit<XenBootOptions, 'topology'> = {}): Promise<Host> {
  const xen = new Xen({ topology: typeof topology === 'string' ? preset(topology) : topology, ...opts });
  const server = await startServer(xen, '127.0.0.1:0');
  const xch = await xc_interface_open(server.address);
  const ctx = await libxl_ctx_alloc({ address: server.address });
  return {
    xen,
    server,
    address: server.address,
    xch,
    ctx,
    close: async () => {
      xc_interface_close(xch);
      libxl_ctx_free(ctx);
      await server.close();
    },
  };
}

/** Collects what a CLI writes. */
export function capture(): { out: { stdout(s: string): void; stderr(s: string): void }; stdout(): string; stderr(): string } {
  let o = '';
  let e = '';
  return {
    out: { stdout: (s) => void (o += s), stderr: (s) => void (e += s) },
    stdout: () => o,
    stderr: () => e,
  };
}

export const FIXED_UNAME = { nodename: 'xenemu-test', release: '6.1.0-28-amd64', version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1', machine: 'x86_64' };

/**
 * Starts a host before the enclosing describe's tests and closes it after them. The returned
 * object stands for that host once it runs.
 */
export function useHost(topology: string | HostTopology = '4node', opts: Omit<XenBootOptions, 'topology'> = {}): Host {
  let started: Host | undefined;
  beforeAll(async () => {
    started = await startHost(topology, opts);
  });
  afterAll(async () => started?.close());
  return new Proxy({} as Host, {
    get: (_target, key) => {
      if (started === undefined) throw new Error('useHost: the host is used before beforeAll ran');
      return started[key as keyof Host];
    },
  });
}

/** Runs `xl <args>` against a host, capturing what it prints. */
export async function xl(h: Host, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = capture();
  const code = await xlMain(['--address', h.address, ...args], { out: c.out, uname: FIXED_UNAME });
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

/** The golden file test/golden/<name>; UPDATE_GOLDEN=1 (or a missing file) writes `actual` first. */
export function golden(name: string, actual: string): string {
  const file = new URL(`./golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
  return readFileSync(file, 'utf8');
}

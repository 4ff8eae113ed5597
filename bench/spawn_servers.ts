// Starts bench/servers.ts in a child process and waits for its address line; stop() closes
// its stdin (it then shuts both servers down) and waits for it to exit.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SpawnedServers {
  hypervisor: string;
  echo: string;
  /** The server process, e.g. to read its CPU time from /proc. */
  pid: number;
  stop(): Promise<void>;
}

const RUN_TS = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
const SERVERS_TS = fileURLToPath(new URL('./servers.ts', import.meta.url));
/** How long stop() waits for a clean exit before killing the process. */
const STOP_GRACE_MS = 10_000;
/** Extra node flags for the server process only, e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/p' to profile it. */
const SERVER_NODE_ARGS = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(/\s+/).filter((a) => a !== '');

export async function spawnServers(preset = '4node'): Promise<SpawnedServers> {
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, RUN_TS, SERVERS_TS, preset], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const addresses = await new Promise<{ hypervisor: string; echo: string }>((resolve, reject) => {
    let out = '';
    let served = false;
    child.stdout!.on('data', (b: Buffer) => {
      if (served) return void process.stderr.write(b); // e.g. --trace-gc lines from BENCH_SERVER_NODE_ARGS
      out += b.toString();
      for (const line of out.split('\n').slice(0, -1)) {
        try {
          const a = JSON.parse(line) as { hypervisor?: string; echo?: string };
          if (typeof a.hypervisor === 'string' && typeof a.echo === 'string') {
            served = true;
            return resolve({ hypervisor: a.hypervisor, echo: a.echo });
          }
        } catch {
          // not the address line
        }
      }
    });
    void exited.then((code) => reject(new Error(`bench/servers.ts exited (${code}) before serving`)));
  });
  return {
    ...addresses,
    pid: child.pid!,
    stop: async () => {
      child.stdin!.end();
      const killer = setTimeout(() => child.kill(), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}

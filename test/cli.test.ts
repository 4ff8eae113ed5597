// The installed entry points: `xenemu serve` and `xl` as a user runs them (bin/*.js through
// tsx, no build step), in child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];

function run(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', bin), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** Starts `xenemu serve` on an ephemeral port and waits for its banner. */
async function serve(args: string[]): Promise<{ child: ChildProcess; address: string; done: ReturnType<typeof run>['done'] }> {
  const r = run('xenemu.js', ['serve', '--listen', '127.0.0.1:0', ...args]);
  const address = await new Promise<string>((resolve, reject) => {
    let seen = '';
    r.child.stdout!.on('data', (b: Buffer) => {
      seen += b.toString();
      const m = /listening on (\S+)/.exec(seen);
      if (m) resolve(m[1]!);
    });
    r.child.on('close', () => reject(new Error(`xenemu exited before listening: ${seen}`)));
  });
  return { ...r, address };
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('xenemu serve and xl, as installed', () => {
  it('serves the default host (4node), xl info -n reads it, SIGTERM shuts down cleanly', async () => {
    const s = await serve([]);
    const xl = await run('xl.js', ['info', '-n'], { XENEMU_ADDRESS: s.address }).done;
    expect(xl.code).toBe(0);
    expect(xl.stdout).toContain('nr_nodes               : 4\n');
    expect(xl.stdout).toContain('   3:     65536      64512      21,21,11,10\n');
    const viaXenemu = await run('xenemu.js', ['xl', '--address', s.address, 'info', 'nr_cpus']).done;
    expect(viaXenemu.stdout).toBe('64\n');
    s.child.kill('SIGTERM');
    const end = await s.done;
    expect(end.code).toBe(0);
    expect(end.stdout).toContain("emulated Xen 4.22 host '4node'");
    expect(end.stdout).toContain('SIGTERM, shutting down');
  });

  it('serve takes --dom0-mem and --dom0-max-vcpus, visible in xl info', async () => {
    const s = await serve(['--topology', '2node', '--dom0-mem', '8G', '--dom0-max-vcpus', '4']);
    const r = await run('xl.js', ['--address', s.address, 'info', 'free_memory']).done;
    expect(r.stdout).toBe(`${128 * 1024 - 8 * 1024 - 1}\n`); // MFN 0 is not in the heap: 4 KiB short of a MiB
    const cl = await run('xl.js', ['--address', s.address, 'info', 'xen_commandline']).done;
    expect(cl.stdout).toBe('dom0_mem=8G dom0_max_vcpus=4 console=com1 sched=credit2\n');
  });

  it('refuses a bad topology file with a message naming the problem', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xenemu-cli-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ nodes: [{ id: 0, memory_mib: 1024 }], cpus: [{ id: 0, core: 0, socket: 0, node: 3 }] }));
    const r = await run('xenemu.js', ['serve', '--listen', '127.0.0.1:0', '--topology', file]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`xenemu: ${file}: cpus: cpu 0 is on node 3, which is not listed in nodes\n`);
  });

  it('refuses an unknown preset and a dom0_mem larger than the host', async () => {
    const a = await run('xenemu.js', ['serve', '--listen', '127.0.0.1:0', '--topology', 'nosuch']).done;
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/'nosuch' is neither a preset \(4node, 1node, 2node, 8node-amd, 64node\) nor a readable file/);
    const b = await run('xenemu.js', ['serve', '--listen', '127.0.0.1:0', '--topology', '1node', '--dom0-mem', '64G']).done;
    expect(b.code).toBe(1);
    expect(b.stderr).toBe("xenemu: dom0_mem of 65536 MiB does not fit the host's 32767 MiB\n");
  });

  it('refuses a non-loopback address unless --allow-remote is given', async () => {
    const r = await run('xenemu.js', ['serve', '--listen', '0.0.0.0:0']).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('xenemu: refusing to listen on non-loopback address 0.0.0.0:0 without --allow-remote\n');
  });
});

// Process-facing pieces shared by the CLIs: output streams and the local uname.
import { CommanderError, type Command } from 'commander';
import os from 'node:os';
import type { Out, Uname } from './xl_info.js';

export const processOut: Out = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

/** uname(2) of the machine xl runs on: xl runs in dom0, and this machine plays dom0. */
export function localUname(): Uname {
  return { nodename: os.hostname(), release: os.release(), version: os.version(), machine: os.machine() };
}

/** Parses and runs a commander program; a usage error or --help ends in an exit code, not a throw. */
export async function parseCommand(program: Command, args: string[]): Promise<number | null> {
  try {
    await program.parseAsync(args, { from: 'user' });
    return null;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    throw e;
  }
}

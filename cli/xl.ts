// xl: the Xen toolstack CLI (tools/xl/xl.c), on the libxl port. Commands, flags and output
// formats are xl's; --address (or $XENEMU_ADDRESS) picks the emulated host, a xenemu addition.
import { Command } from 'commander';
import { libxl_ctx_alloc, libxl_ctx_free, type libxl_ctx } from '../libxl/libxl.js';
import { ADDRESS_ENV, DEFAULT_ADDRESS } from '../proto/endpoint.js';
import { localUname, parseCommand, processOut } from './io.js';
import { main_info, type Out, type Uname } from './xl_info.js';

export interface XlEnv {
  out: Out;
  uname: Uname;
}

/** Runs `xl <args>`; returns the exit code. */
export async function main(args: string[], env: XlEnv = { out: processOut, uname: localUname() }): Promise<number> {
  let code = 0;
  const program = new Command('xl')
    .description('xl on an emulated Xen host (xenemu)')
    .option('--address <addr>', `xenemu server address (default: $${ADDRESS_ENV} or ${DEFAULT_ADDRESS})`)
    .exitOverride()
    .configureOutput({ writeOut: (s) => env.out.stdout(s), writeErr: (s) => env.out.stderr(s) });

  const withCtx = async (run: (ctx: libxl_ctx) => Promise<number>): Promise<void> => {
    const address: string | undefined = program.opts<{ address?: string }>().address;
    let ctx: libxl_ctx;
    try {
      ctx = await libxl_ctx_alloc(address === undefined ? {} : { address });
    } catch (e) {
      // xl.c: main
      env.out.stderr(`cannot init xl context\n${((e as Error).cause as Error | undefined)?.message ?? ''}\n`);
      code = 1;
      return;
    }
    try {
      code = await run(ctx);
    } finally {
      libxl_ctx_free(ctx);
    }
  };

  program
    .command('info')
    .description('Get information about Xen host')
    .option('-n, --numa', 'List host NUMA topology information')
    .argument('[name]', 'print only the value of this item')
    .action(async (name: string | undefined, o: { numa?: boolean }) =>
      withCtx((ctx) => main_info(ctx, { numa: o.numa === true, name }, env.out, env.uname)),
    );

  return (await parseCommand(program, args)) ?? code;
}

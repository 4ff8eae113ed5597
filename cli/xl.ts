// xl: the Xen toolstack CLI (tools/xl/xl.c), on the libxl port. Commands, flags and output
// formats are xl's; --address (or $XENEMU_ADDRESS) picks the emulated host, a xenemu addition.
import { Command } from 'commander';
import { libxl_ctx_alloc, libxl_ctx_free, type libxl_ctx } from '../libxl/libxl.js';
import { ADDRESS_ENV, DEFAULT_ADDRESS } from '../proto/endpoint.js';
import { localUname, parseCommand, processOut } from './io.js';
import { main_info, type Out, type Uname } from './xl_info.js';
import { main_claims, main_list } from './xl_list.js';
import { main_memmax } from './xl_mem.js';
import { main_debug_keys, main_dmesg } from './xl_misc.js';
import { FindDomainError } from './xl_utils.js';
import { main_vcpulist, main_vcpupin } from './xl_vcpu.js';
import { main_destroy, main_pause, main_unpause } from './xl_vmcontrol.js';
import { LibxlError } from '../libxl/libxl_error.js';

export interface XlEnv {
  out: Out;
  uname: Uname;
}

/** xl.c's global claim_mode: 1 unless xl.conf says otherwise, and no xl.conf is read yet. */
const claim_mode = 1;

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
    } catch (e) {
      if (e instanceof FindDomainError) env.out.stderr(`${e.message}\n`);
      else if (e instanceof LibxlError) env.out.stderr(`libxl: error: ${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}\n`);
      else throw e;
      code = 1;
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

  program
    .command('list')
    .description('List information about all/some domains')
    .option('-l, --long', 'Output all VM details')
    .option('-v, --verbose', 'Output more information than normal')
    .option('-Z, --context', 'Show security label')
    .option('-n, --numa', 'Show NUMA node affinity')
    .argument('[domain]')
    .action(async (domain: string | undefined, o: { long?: boolean; verbose?: boolean; context?: boolean; numa?: boolean }) =>
      withCtx((ctx) =>
        main_list(ctx, { long: o.long === true, verbose: o.verbose === true, context: o.context === true, numa: o.numa === true, domain }, env.out),
      ),
    );

  program
    .command('vcpu-list')
    .description('List the VCPUs for all/some domains')
    .argument('[domains...]')
    .action(async (domains: string[]) => withCtx((ctx) => main_vcpulist(ctx, domains, env.out)));

  program
    .command('vcpu-pin')
    .description('Set which CPUs a VCPU can use')
    .option('-f, --force', 'undo an override pinning done by the guest')
    .option('--ignore-global-affinity-masks', 'ignore the xl.conf vm.cpumask masks')
    .argument('<domain>')
    .argument('<vcpu>', 'a VCPU number or all')
    .argument('<hard>', 'a CPU list, - or all')
    .argument('[soft]', 'a CPU list, - or all')
    .action(async (domain: string, vcpu: string, hard: string, soft: string | undefined, o: { force?: boolean }) =>
      withCtx((ctx) => main_vcpupin(ctx, { force: o.force === true, domain, vcpu, hard, soft }, env.out)),
    );

  program.command('pause').description('Pause execution of a domain').argument('<domain>').action(async (d: string) => withCtx((ctx) => main_pause(ctx, d)));
  program.command('unpause').description('Unpause a paused domain').argument('<domain>').action(async (d: string) => withCtx((ctx) => main_unpause(ctx, d)));
  program
    .command('destroy')
    .description('Terminate a domain immediately')
    .option('-f', 'allow domain 0 to be destroyed')
    .argument('<domain>')
    .action(async (d: string, o: { f?: boolean }) => withCtx((ctx) => main_destroy(ctx, d, o.f === true, env.out)));

  program
    .command('mem-max')
    .description('Set the maximum amount reservation for a domain')
    .usage("<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>")
    .argument('<domain>')
    .argument('<mem>')
    .action(async (domain: string, mem: string) => withCtx((ctx) => main_memmax(ctx, domain, mem, env.out)));

  program
    .command('claims')
    .description('List outstanding claim information about all domains')
    .action(async () => withCtx((ctx) => main_claims(ctx, claim_mode, env.out)));

  program
    .command('dmesg')
    .description('Read and/or clear dmesg buffer')
    .option('-c', 'clear dmesg buffer as well as printing it')
    .action(async (o: { c?: boolean }) => withCtx((ctx) => main_dmesg(ctx, o.c === true, env.out)));
  program
    .command('debug-keys')
    .description('Send debug keys to Xen')
    .argument('<keys>')
    .action(async (keys: string) => withCtx((ctx) => main_debug_keys(ctx, keys, env.out)));

  return (await parseCommand(program, args)) ?? code;
}

// xl: the Xen toolstack CLI (tools/xl/xl.c), on the libxl port. Commands, flags and output
// formats are xl's; --address (or $XENEMU_ADDRESS) picks the emulated host, a xenemu addition.
import { Command } from 'commander';
import { libxl_ctx_alloc, libxl_ctx_free, type libxl_ctx } from '../libxl/libxl.js';
import { ADDRESS_ENV, DEFAULT_ADDRESS } from '../proto/endpoint.js';
import { localUname, parseCommand, processOut } from './io.js';
import { main_info, type Out, type Uname } from './xl_info.js';
import { main_claims, main_list } from './xl_list.js';
import { main_memmax } from './xl_mem.js';
import { strtoll10 } from './xl_parse.js';
import { main_debug_keys, main_dmesg } from './xl_misc.js';
import { FindDomainError } from './xl_utils.js';
import { main_vcpulist, main_vcpupin } from './xl_vcpu.js';
import { main_create, main_destroy, main_pause, main_unpause } from './xl_vmcontrol.js';
import { LibxlError } from '../libxl/libxl_error.js';
import { libxl_domid_to_name, libxl_name_to_domid } from '../libxl/libxl_domain.js';
import { parse_global_config, read_global_config, XL_CONF_ENV, XL_GLOBAL_CONFIG, XlExit } from './xl_conf.js';

export interface XlEnv {
  out: Out;
  uname: Uname;
  /** Environment for $XENEMU_XL_CONF (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal, for `xl create`'s progress bar (default process.stderr.isTTY). */
  stderrIsTTY?: boolean;
  /** libxl_uuid_generate for `xl create` (tests pin it). */
  uuid_generate?: () => Uint8Array;
}

/** Port of main_domname: strtol base 10 (a 64-bit long, saturating), printed as the uint32_t it lands in. */
async function main_domname(ctx: libxl_ctx, arg: string, out: Out): Promise<number> {
  const { value, rest } = strtoll10(arg);
  if (rest === arg) {
    out.stderr('Invalid domain id.\n\n');
    return 1;
  }
  const domid = Number(BigInt.asUintN(32, value));
  const name = await libxl_domid_to_name(ctx, domid);
  if (name === null) {
    out.stderr(`Can't get domain name of domain id '${domid}', maybe this domain does not exist.\n`);
    return 1;
  }
  out.stdout(`${name}\n`);
  return 0;
}

/** Port of main_domid. */
async function main_domid(ctx: libxl_ctx, name: string, out: Out): Promise<number> {
  let domid: number;
  try {
    domid = await libxl_name_to_domid(ctx, name);
  } catch (e) {
    if (!(e instanceof LibxlError)) throw e;
    out.stderr(`Can't get domid of domain name '${name}', maybe this domain does not exist.\n`);
    return 1;
  }
  out.stdout(`${domid}\n`);
  return 0;
}

/** Runs `xl <args>`; returns the exit code. */
export async function main(args: string[], env: XlEnv = { out: processOut, uname: localUname() }): Promise<number> {
  let code = 0;
  const program = new Command('xl')
    .description('xl on an emulated Xen host (xenemu)')
    .option('--address <addr>', `xenemu server address (default: $${ADDRESS_ENV} or ${DEFAULT_ADDRESS})`)
    .option('--xl-conf <path>', `xl.conf to read (xenemu; default: $${XL_CONF_ENV} or ${XL_GLOBAL_CONFIG})`)
    .option('-v', 'verbose: print more libxl log lines (repeatable)', (_v: string | undefined, prev: number) => prev + 1, 0)
    .option('-N', 'dry run: print the configuration instead of acting on it')
    .enablePositionalOptions()
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

  const globalOpts = (): { address?: string; xlConf?: string; v: number; N?: boolean } => program.opts();
  const processEnv = env.env ?? process.env;

  program
    .command('create')
    .description('Create a domain from config file <filename>')
    .usage('<ConfigFile> [options] [vars]')
    .option('-f, --defconfig <file>', 'Use the given configuration file.')
    .option('-n, --dryrun', 'Dry run - prints the resulting configuration (deprecated in favour of global -N option).')
    .option('-p', 'Leave the domain paused after it is created.')
    .option('-q, --quiet', 'Quiet.')
    .option('-F', 'Run in foreground until death of the domain (xenemu: creation never daemonises).')
    .option('-e', 'Do not wait in the background for the death of the domain.')
    .option('-i, --ignore-global-affinity-masks', 'Ignore global masks in xl.conf.')
    .argument('[args...]', 'the config file, then key=value settings that override it')
    .action(async (vars: string[], o: { defconfig?: string; dryrun?: boolean; p?: boolean; quiet?: boolean; ignoreGlobalAffinityMasks?: boolean }, cmd: Command) => {
      // main_create: a first argument that is not an option and has no '=' is the file; -f
      // overrides it; later arguments are key=value settings, or the file if none yet.
      const first = args[args.indexOf('create') + 1];
      const firstIsFile = first !== undefined && !first.startsWith('-') && !first.includes('=');
      let config_file = o.defconfig ?? (firstIsFile ? first : undefined);
      const extra: string[] = [];
      for (const a of firstIsFile ? vars.slice(1) : vars) {
        if (a.includes('=')) extra.push(a);
        else if (config_file === undefined) config_file = a;
        else {
          cmd.outputHelp({ error: true });
          code = 2;
          return;
        }
      }
      const gopts = globalOpts();
      await withCtx((ctx) =>
        main_create(
          ctx,
          {
            config_file,
            extra,
            paused: o.p === true,
            dryrun: o.dryrun === true || gopts.N === true,
            quiet: o.quiet === true,
            ignore_global_affinity_masks: o.ignoreGlobalAffinityMasks === true,
            verbose: gopts.v,
            xl_conf: gopts.xlConf,
          },
          {
            out: env.out,
            env: processEnv,
            stderrIsTTY: env.stderrIsTTY ?? process.stderr.isTTY === true,
            ...(env.uuid_generate ? { uuid_generate: env.uuid_generate } : {}),
          },
        ),
      );
    });

  program
    .command('domid')
    .description('Convert a domain name to domain id')
    .usage('<DomainName>')
    .argument('<DomainName>')
    .action(async (name: string) => withCtx((ctx) => main_domid(ctx, name, env.out)));
  program
    .command('domname')
    .description('Convert a domain id to domain name')
    .usage('<DomainId>')
    .argument('<DomainId>')
    .action(async (id: string) => withCtx((ctx) => main_domname(ctx, id, env.out)));

  program
    .command('claims')
    .description('List outstanding claim information about all domains')
    .action(async () =>
      withCtx(async (ctx) => {
        // xl reads xl.conf before every command; claims shows its claim_mode.
        const conf = read_global_config(globalOpts().xlConf, processEnv, (s) => env.out.stderr(s));
        try {
          const g = await parse_global_config(ctx, conf.path, conf.data, (s) => env.out.stderr(s));
          return await main_claims(ctx, g.claim_mode, env.out);
        } catch (e) {
          if (e instanceof XlExit) return e.code;
          throw e;
        }
      }),
    );

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

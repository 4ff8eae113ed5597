// `xl list [-l] [-v] [-Z] [-n] [Domain]` and `xl claims` (tools/xl/xl_info.c: main_list,
// main_claims, list_domains, list_domains_details).
import { libxl_get_physinfo, type libxl_ctx } from '../libxl/libxl.js';
import { libxl_domain_get_nodeaffinity, libxl_domain_info, libxl_domid_to_name, libxl_list_domain, libxl_retrieve_domain_configuration, libxl_uuid_fmt, type libxl_dominfo } from '../libxl/libxl_domain.js';
import { LibxlError } from '../libxl/libxl_error.js';
import { libxl_node_bitmap_alloc } from '../libxl/libxl_utils.js';
import { lpad, rpad } from './printf.js';
import type { Out } from './xl_info.js';
import { find_domain, print_bitmap } from './xl_utils.js';

export interface ListOpts {
  long: boolean;
  verbose: boolean;
  context: boolean;
  numa: boolean;
  domain?: string | undefined;
}

const SHUTDOWN_REASON_LETTERS = '-rscwS';

/** list_domains' switches: main_list's, and `claim` for xl claims. */
type ListDomainsOpts = Pick<ListOpts, 'verbose' | 'context' | 'numa'> & { claim: boolean };

/** Port of list_domains: the header with Xen's literal TABs, then one row per domain. */
async function list_domains(ctx: libxl_ctx, o: ListDomainsOpts, info: libxl_dominfo[], out: Out): Promise<void> {
  let header = 'Name                                        ID   Mem VCPUs\tState\tTime(s)';
  if (o.verbose) header += '   UUID                            Reason-Code\tSecurity Label';
  if (o.context && !o.verbose) header += '   Security Label';
  if (o.claim) header += '  Claimed';
  const nr_nodes = o.numa ? (await libxl_get_physinfo(ctx)).nr_nodes : 0;
  if (o.numa) header += ' NODE Affinity';
  out.stdout(`${header}\n`);
  for (const d of info) {
    const reason = d.shutdown ? d.shutdown_reason : 0;
    const reasonChar = reason >= 0 && reason < SHUTDOWN_REASON_LETTERS.length ? SHUTDOWN_REASON_LETTERS[reason] : '?';
    const state = `${d.running ? 'r' : '-'}${d.blocked ? 'b' : '-'}${d.paused ? 'p' : '-'}${d.shutdown ? 's' : '-'}${reasonChar}${d.dying ? 'd' : '-'}`;
    const mem = Math.floor((d.current_memkb + d.outstanding_memkb) / 1024);
    let row = `${lpad((await libxl_domid_to_name(ctx, d.domid)) ?? '(null)', 40)} ${rpad(d.domid, 5)} ${rpad(mem, 5)} ${rpad(d.vcpu_online, 5)}     ${state}  ${rpad((Number(d.cpu_time) / 1e9).toFixed(1), 8)}`;
    if (o.verbose) row += ` ${libxl_uuid_fmt(d.uuid)}${d.shutdown ? ` ${rpad(reason.toString(16), 8)}` : ` ${rpad('-', 8)}`}`;
    if (o.claim) row += ` ${rpad(Math.floor(d.outstanding_memkb / 1024), 5)}`;
    if (o.verbose || o.context) row += ` ${rpad('-', 16)}`;
    if (o.numa) {
      const nodemap = await libxl_node_bitmap_alloc(ctx);
      await libxl_domain_get_nodeaffinity(ctx, d.domid, nodemap);
      row += ` ${print_bitmap(nodemap.map, nr_nodes)}`;
    }
    out.stdout(`${row}\n`);
  }
}

/**
 * Port of list_domains_details (JSON, xl's default output format): each domain's stored
 * configuration as {domid, config}; a domain without one is skipped after libxl's error line.
 * yajl's beautified empty array is "[", a blank line, "]".
 */
async function list_domains_details(ctx: libxl_ctx, info: libxl_dominfo[], out: Out): Promise<void> {
  const entries: unknown[] = [];
  for (const d of info) {
    try {
      entries.push({ domid: d.domid, config: await libxl_retrieve_domain_configuration(ctx, d.domid) });
    } catch (e) {
      if (!(e instanceof LibxlError)) throw e;
      out.stderr(`libxl: error: ${e.message}\n`);
    }
  }
  out.stdout(entries.length === 0 ? '[\n\n]\n' : `${JSON.stringify(entries, null, 4)}\n`);
}

/** Port of main_list. */
export async function main_list(ctx: libxl_ctx, o: ListOpts, out: Out): Promise<number> {
  let info: libxl_dominfo[];
  if (o.domain === undefined) {
    info = await libxl_list_domain(ctx);
  } else {
    const domid = await find_domain(ctx, o.domain);
    try {
      info = [await libxl_domain_info(ctx, domid)];
    } catch (e) {
      if (e instanceof LibxlError && e.code === 'ERROR_DOMAIN_NOTFOUND') {
        out.stderr(`Error: Domain '${o.domain}' does not exist.\n`);
        return 1;
      }
      out.stderr(`libxl_domain_info failed (code ${e instanceof LibxlError ? e.rc : -3}).\n`);
      return 1;
    }
  }
  if (o.long) await list_domains_details(ctx, info, out);
  else await list_domains(ctx, { ...o, claim: false }, info, out);
  return 0;
}

/** Port of main_claims: xl list's table with the Claimed column (MiB still claimed). */
export async function main_claims(ctx: libxl_ctx, claim_mode: number, out: Out): Promise<number> {
  if (!claim_mode) out.stderr('claim_mode not enabled (see man xl.conf).\n');
  let info: libxl_dominfo[];
  try {
    info = await libxl_list_domain(ctx);
  } catch (e) {
    if (!(e instanceof LibxlError)) throw e;
    out.stderr('libxl_list_domain failed.\n');
    return 1;
  }
  await list_domains(ctx, { verbose: false, context: false, claim: true, numa: false }, info, out);
  return 0;
}

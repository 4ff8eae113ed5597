// Helpers xl's commands share (tools/xl/xl_utils.c).
import { libxl_domain_qualifier_to_domid } from '../libxl/libxl_domain.js';
import { LibxlError } from '../libxl/libxl_error.js';
import type { libxl_ctx } from '../libxl/libxl.js';

/**
 * Port of print_bitmap: comma-separated runs `a` or `a-b` over bits 0..maplen-1; "none" when
 * empty; "all" when a single run covers every bit.
 */
export function print_bitmap(map: Uint8Array, maplen: number): string {
  const test = (i: number): boolean => ((map[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
  const runs: [number, number][] = [];
  for (let i = 0; i < maplen; i++) {
    if (!test(i)) continue;
    const start = i;
    while (i + 1 < maplen && test(i + 1)) i++;
    runs.push([start, i]);
  }
  if (runs.length === 0) return 'none';
  if (runs.length === 1 && runs[0]![0] === 0 && runs[0]![1] === maplen - 1) return 'all';
  return runs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
}

/** A domain argument xl could not resolve: xl prints the message and exits 1. */
export class FindDomainError extends Error {}

/** Port of find_domain: a domid or a name, else "<arg> is an invalid domain identifier (rc=N)". */
export async function find_domain(ctx: libxl_ctx, p: string): Promise<number> {
  try {
    return await libxl_domain_qualifier_to_domid(ctx, p);
  } catch (e) {
    const rc = e instanceof LibxlError ? e.rc : -3;
    throw new FindDomainError(`${p} is an invalid domain identifier (rc=${rc})`);
  }
}

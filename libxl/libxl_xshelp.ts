// libxl's xenstore helpers (tools/libs/light/libxl_xshelp.c) on libxenstore. Where C returns
// ERROR_FAIL after LOGE, these throw LibxlError('ERROR_FAIL') with the same text.
import { XBT_NULL, XsError, xs_get_domain_path, xs_read, xs_rm, xs_set_permissions, xs_transaction_end, xs_transaction_start, xs_write, type xs_permissions } from '../libxenstore/xs.js';
import { LibxlError } from './libxl_error.js';
import type { libxl_ctx } from './libxl.js';

/** Bound on the EAGAIN retry loops (C retries for ever; a bound turns a livelock into an error). */
export const LIBXL_XS_TRANSACTION_MAX_RETRIES = 100;

const isXs = (e: unknown, code?: string): e is XsError => e instanceof XsError && (code === undefined || e.code === code);

/** Port of libxl__xs_get_dompath: "Failed to get dompath" → ERROR_FAIL. */
export async function libxl__xs_get_dompath(ctx: libxl_ctx, domid: number): Promise<string> {
  try {
    return await xs_get_domain_path(ctx.xsh, domid);
  } catch (e) {
    throw new LibxlError('ERROR_FAIL', `Domain ${domid}:Failed to get dompath`, { cause: e });
  }
}

/** Port of libxl__xs_libxl_path: /libxl/<domid>. */
export const libxl__xs_libxl_path = (domid: number): string => `/libxl/${domid}`;

/** Port of libxl__xs_read: null when the node is missing (or the read failed, as xs_read's NULL). */
export async function libxl__xs_read(ctx: libxl_ctx, t: number, path: string): Promise<string | null> {
  try {
    return await xs_read(ctx.xsh, t, path);
  } catch (e) {
    if (isXs(e)) return null;
    throw e;
  }
}

/** Port of libxl__xs_write_checked (and libxl__xs_printf, whose caller formats the value). */
export async function libxl__xs_write_checked(ctx: libxl_ctx, t: number, path: string, value: string): Promise<void> {
  try {
    await xs_write(ctx.xsh, t, path, value);
  } catch (e) {
    throw new LibxlError('ERROR_FAIL', `xenstore write failed: \`${path}' = \`${value}'`, { cause: e });
  }
}

/** xs_rm whose result the C caller ignores (libxl__domain_make's clean slate): true if removed. */
export async function xs_rm_ignored(ctx: libxl_ctx, t: number, path: string): Promise<boolean> {
  try {
    await xs_rm(ctx.xsh, t, path);
    return true;
  } catch (e) {
    if (isXs(e)) return false;
    throw e;
  }
}

/** Port of libxl__xs_mknod: an empty node with the given permissions. */
export async function libxl__xs_mknod(ctx: libxl_ctx, t: number, path: string, perms: readonly xs_permissions[]): Promise<void> {
  try {
    await xs_write(ctx.xsh, t, path, '');
  } catch (e) {
    throw new LibxlError('ERROR_FAIL', `xenstore write failed: \`${path}' = ''`, { cause: e });
  }
  try {
    await xs_set_permissions(ctx.xsh, t, path, perms);
  } catch (e) {
    throw new LibxlError('ERROR_FAIL', `xenstore set permissions failed on \`${path}'`, { cause: e });
  }
}

/** Port of libxl__xs_writev: dir/key = value for each pair, in order; a failed write is ERROR_FAIL. */
export async function libxl__xs_writev(ctx: libxl_ctx, t: number, dir: string, kvs: Iterable<readonly [string, string]> | null): Promise<void> {
  if (kvs === null) return;
  for (const [k, v] of kvs) {
    try {
      await xs_write(ctx.xsh, t, `${dir}/${k}`, v);
    } catch (e) {
      throw new LibxlError('ERROR_FAIL', `xenstore write failed: \`${dir}/${k}' = \`${v}'`, { cause: e });
    }
  }
}

/** Port of libxl__xs_transaction_start. */
export async function libxl__xs_transaction_start(ctx: libxl_ctx): Promise<number> {
  try {
    return await xs_transaction_start(ctx.xsh);
  } catch (e) {
    throw new LibxlError('ERROR_FAIL', 'could not create xenstore transaction', { cause: e });
  }
}

/** Port of libxl__xs_transaction_commit: 0 committed, +1 conflict (EAGAIN, start again). */
export async function libxl__xs_transaction_commit(ctx: libxl_ctx, t: number): Promise<0 | 1> {
  try {
    await xs_transaction_end(ctx.xsh, t, false);
    return 0;
  } catch (e) {
    if (isXs(e, 'EAGAIN')) return 1;
    throw new LibxlError('ERROR_FAIL', 'could not commit xenstore transaction', { cause: e });
  }
}

/** Port of libxl__xs_transaction_abort: a failure is only logged. */
export async function libxl__xs_transaction_abort(ctx: libxl_ctx, t: number, log?: (m: string) => void): Promise<void> {
  if (t === XBT_NULL) return;
  try {
    await xs_transaction_end(ctx.xsh, t, true);
  } catch {
    log?.('could not abort xenstore transaction');
  }
}

/**
 * The start / body / commit loop libxl writes around every transaction (retry on EAGAIN, abort
 * on any error). Bounded by LIBXL_XS_TRANSACTION_MAX_RETRIES conflicts.
 */
export async function libxl__xs_transaction(ctx: libxl_ctx, body: (t: number) => Promise<void>, what = 'xenstore transaction commit failed'): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const t = await libxl__xs_transaction_start(ctx);
    try {
      await body(t);
    } catch (e) {
      await libxl__xs_transaction_abort(ctx, t);
      throw e;
    }
    if ((await libxl__xs_transaction_commit(ctx, t)) === 0) return;
    if (attempt + 1 >= LIBXL_XS_TRANSACTION_MAX_RETRIES) throw new LibxlError('ERROR_FAIL', `${what} (${LIBXL_XS_TRANSACTION_MAX_RETRIES} conflicts)`);
  }
}

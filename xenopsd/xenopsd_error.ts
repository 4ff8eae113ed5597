// xenopsd's exceptions on the build path (xapi-project/xen-api ocaml/xapi-idl/xen/xenops_interface.ml
// Errors, raised by ocaml/xenopsd/xc/domain.ml), as typed errors.

/** The common base: callers test `e.kind`, as xenopsd matches on the exception constructor. */
export class XenopsError extends Error {
  override readonly name: string = 'XenopsError';
  constructor(
    readonly kind: 'Not_enough_memory' | 'Domain_build_pre_failed' | 'Domain_build_failed',
    message: string,
  ) {
    super(message);
  }
}

/** Port of Not_enough_memory of int64: the bytes build_pre waited for in vain. */
export class Not_enough_memory extends XenopsError {
  override readonly name = 'Not_enough_memory';
  constructor(readonly bytes: number) {
    super('Not_enough_memory', `Not_enough_memory(${bytes})`);
  }
}

/** Port of Domain_build_pre_failed of string: a build_pre step (log_reraise) raised; `cause` is what it raised. */
export class Domain_build_pre_failed extends XenopsError {
  override readonly name = 'Domain_build_pre_failed';
  constructor(
    readonly reason: string,
    override readonly cause?: unknown,
  ) {
    super('Domain_build_pre_failed', reason);
  }
}

/** Port of Domain_build_failed: xenguest failed to build the domain. */
export class Domain_build_failed extends XenopsError {
  override readonly name = 'Domain_build_failed';
  constructor(
    readonly reason: string,
    override readonly cause?: unknown,
  ) {
    super('Domain_build_failed', reason);
  }
}

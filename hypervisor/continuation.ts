// hypercall_create_continuation (xen/common/domain.c): a preempted hypercall rewrites its
// arguments and is issued again; the caller sees one call and one final result.

/** What a preempted handler returns instead of its result. */
export const CONTINUATION = Symbol('hypercall continuation');
export type Continuation = typeof CONTINUATION;

/**
 * hypercall_preempt_check, made deterministic: a slice ends after `extents` extents or
 * `pages` pages of work, whichever comes first (Xen's check is a pending softirq).
 */
export interface PreemptBudget {
  extents: number;
  pages: number;
}

/** Defaults: 1 GiB of work or 1024 extents per slice, so parallel populates interleave. */
export const DEFAULT_PREEMPT_BUDGET: PreemptBudget = { extents: 1024, pages: 1 << 18 };

/** Counts one slice's work against a budget. */
export class PreemptMeter {
  private extents = 0;
  private pages = 0;

  constructor(private readonly budget: PreemptBudget) {}

  /** Records one extent of `pages` pages done. */
  done(pages: number): void {
    this.extents++;
    this.pages += pages;
  }

  /** hypercall_preempt_check(). */
  check(): boolean {
    return this.extents >= this.budget.extents || this.pages >= this.budget.pages;
  }
}

// Domain id allocation (xen/common/domid.c: domid_alloc, domid_free), Xen 4.22.
import { DOMID_ANY, DOMID_FIRST_RESERVED, domid, type DomId } from './ids.js';

export class DomidAllocator {
  private readonly used = new Set<number>();
  /** domid_last: where the next automatic search starts (after it). */
  private last = 0;

  /** Marks an id taken at boot (dom0). */
  reserve(id: DomId): void {
    this.used.add(id);
  }

  /**
   * Port of domid_alloc: an id below DOMID_FIRST_RESERVED is used exactly if free; DOMID_ANY
   * searches last+1..0x7FEF, then 1..last, so two allocations in a row never repeat an id;
   * any other reserved value, a taken id or exhaustion is null (-EEXIST to the caller).
   */
  alloc(requested: number): DomId | null {
    if (requested < DOMID_FIRST_RESERVED) {
      if (this.used.has(requested)) return null;
      this.used.add(requested);
      return domid(requested);
    }
    if (requested !== DOMID_ANY) return null;
    // Bound: at most DOMID_FIRST_RESERVED - 1 candidates in the two ranges together.
    const found = this.firstFree(this.last + 1, DOMID_FIRST_RESERVED) ?? this.firstFree(1, this.last + 1);
    if (found === null) return null;
    this.used.add(found);
    this.last = found;
    return domid(found);
  }

  /** domid_free: the id may be handed out again. */
  free(id: DomId): void {
    this.used.delete(id);
  }

  private firstFree(from: number, to: number): number | null {
    for (let id = from; id < to; id++) if (!this.used.has(id)) return id;
    return null;
  }
}

// A hash map from frame offsets to values, for the free-block index of a node. Open addressing
// on a typed array with backward-shift deletion leaves no tombstones, so the split/merge churn
// of the buddy heap (tens of set/delete pairs per allocation) never rehashes; a JS Map does,
// and costs several times more per operation under that churn.

const EMPTY = -1;
const MIN_CAPACITY_LOG2 = 4;

export class FrameMap<V> {
  private keys: Float64Array;
  private vals: (V | undefined)[];
  private log2: number;
  size = 0;

  constructor() {
    this.log2 = MIN_CAPACITY_LOG2;
    this.keys = new Float64Array(1 << this.log2).fill(EMPTY);
    this.vals = new Array<V | undefined>(1 << this.log2);
  }

  /** Fibonacci hashing of a non-negative integer key (frame offsets reach 2^40). */
  private slot(k: number): number {
    const lo = k >>> 0;
    const hi = ((k - lo) / 4294967296) | 0;
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> (32 - this.log2);
  }

  get(k: number): V | undefined {
    const mask = (1 << this.log2) - 1;
    // Bound: the table is at most half full, so a probe meets an empty slot.
    for (let i = this.slot(k); ; i = (i + 1) & mask) {
      const x = this.keys[i]!;
      if (x === k) return this.vals[i];
      if (x === EMPTY) return undefined;
    }
  }

  set(k: number, v: V): void {
    if ((this.size + 1) * 2 > 1 << this.log2) this.grow();
    const mask = (1 << this.log2) - 1;
    for (let i = this.slot(k); ; i = (i + 1) & mask) {
      const x = this.keys[i]!;
      if (x === k) {
        this.vals[i] = v;
        return;
      }
      if (x === EMPTY) {
        this.keys[i] = k;
        this.vals[i] = v;
        this.size++;
        return;
      }
    }
  }

  delete(k: number): boolean {
    const mask = (1 << this.log2) - 1;
    let i = this.slot(k);
    for (; ; i = (i + 1) & mask) {
      const x = this.keys[i]!;
      if (x === k) break;
      if (x === EMPTY) return false;
    }
    // Backward shift: pull later entries of the probe run into the hole when their home slot
    // does not lie cyclically in (hole, j].
    for (let j = i; ; ) {
      j = (j + 1) & mask;
      const x = this.keys[j]!;
      if (x === EMPTY) break;
      const h = this.slot(x);
      const stays = i <= j ? i < h && h <= j : i < h || h <= j;
      if (stays) continue;
      this.keys[i] = x;
      this.vals[i] = this.vals[j];
      i = j;
    }
    this.keys[i] = EMPTY;
    this.vals[i] = undefined;
    this.size--;
    return true;
  }

  *values(): IterableIterator<V> {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== EMPTY) yield this.vals[i]!;
  }

  private grow(): void {
    const keys = this.keys;
    const vals = this.vals;
    this.log2++;
    this.keys = new Float64Array(1 << this.log2).fill(EMPTY);
    this.vals = new Array<V | undefined>(1 << this.log2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.set(keys[i]!, vals[i]!);
  }
}

// The Xen console ring (xen/drivers/char/console.c: conring, conring_puts,
// read_console_ring) and printk's line prefix (printk_start_of_line).
import { neg } from './errno.js';
import type { GuestHandle } from './guest_handle.js';

/** Default conring size: 16 KiB, a power of two (conring_size=). */
export const CONRING_SIZE = 16 << 10;
/** CONSOLE_PREFIX: every printk line starts with it (console_timestamps=none). */
export const CONSOLE_PREFIX = '(XEN) ';

const U32 = 0x1_0000_0000;
const u32 = (n: number): number => ((n % U32) + U32) % U32;

export interface xen_sysctl_readconsole {
  clear: number;
  incremental: number;
  pad: number;
  index: number;
  buffer: GuestHandle<number>;
  count: number;
}

export class Conring {
  private readonly ring = new Uint8Array(CONRING_SIZE);
  /** Free-running u32 counters: consumer and producer. */
  private conringc = 0;
  private conringp = 0;
  private atLineStart = true;

  /** printk: the text, with the prefix at the start of every line. */
  printk(text: string): void {
    let out = '';
    for (const ch of text) {
      if (this.atLineStart) out += CONSOLE_PREFIX;
      out += ch;
      this.atLineStart = ch === '\n';
    }
    this.puts(Buffer.from(out, 'latin1'));
  }

  /** conring_puts: bytes go in at the producer; an overrun pushes the consumer forward. */
  private puts(bytes: Uint8Array): void {
    for (const b of bytes) {
      this.ring[this.conringp % CONRING_SIZE] = b;
      this.conringp = u32(this.conringp + 1);
    }
    if (u32(this.conringp - this.conringc) > CONRING_SIZE) this.conringc = u32(this.conringp - CONRING_SIZE);
  }

  /**
   * Port of read_console_ring: from the consumer, or from `index` when incremental and ahead of
   * it; at most `count` bytes; `clear` moves the consumer to where the read ended. Writes back
   * count (bytes read) and index (where the read ended).
   */
  read(op: xen_sysctl_readconsole): number {
    let c = this.conringc;
    const p = this.conringp;
    if (op.incremental !== 0 && u32(op.index - c) > 0 && u32(op.index - c) < U32 / 2) c = op.index;
    const max = op.count;
    const bytes: number[] = [];
    // Bound: at most `max` bytes, and the ring never holds more than CONRING_SIZE.
    while (c !== p && bytes.length < max) {
      bytes.push(this.ring[c % CONRING_SIZE]!);
      c = u32(c + 1);
    }
    if (bytes.length > 0 && op.buffer.write(0, bytes) !== 0) return neg('EFAULT');
    if (op.clear !== 0) this.conringc = u32(p - c) > CONRING_SIZE ? u32(p - CONRING_SIZE) : c;
    op.count = bytes.length;
    op.index = c;
    return 0;
  }
}

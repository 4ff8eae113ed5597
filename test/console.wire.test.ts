// The console ring and debug keys (xen/drivers/char/console.c: read_console_ring;
// xen/common/keyhandler.c: handle_keypress; xen/common/numa.c: dump_numa), statements 72-74, 77.
import { describe, expect, it } from 'vitest';
import { Conring, CONRING_SIZE } from '../hypervisor/console.js';
import { GuestHandle } from '../hypervisor/guest_handle.js';
import { xc_readconsolering, xc_send_debug_keys } from '../libxc/xenctrl.js';
import { useHost, xl } from './harness.js';

function read(ring: Conring, o: { count: number; clear?: boolean; incremental?: boolean; index?: number }): { rc: number; text: string; index: number } {
  const op = { clear: o.clear ? 1 : 0, incremental: o.incremental ? 1 : 0, pad: 0, index: o.index ?? 0, buffer: new GuestHandle<number>([]), count: o.count };
  const rc = ring.read(op);
  return { rc, text: Buffer.from(op.buffer.written ?? []).toString('latin1'), index: op.index };
}

describe('the console ring (read_console_ring)', () => {
  it('prefixes every printk line with "(XEN) "', () => {
    const r = new Conring();
    r.printk('one\ntwo\n');
    r.printk('thr');
    r.printk('ee\n');
    expect(read(r, { count: 100 }).text).toBe('(XEN) one\n(XEN) two\n(XEN) three\n');
  });

  it('clear with a big enough buffer, then a plain read with nothing new, returns 0 bytes (statement 77)', () => {
    const r = new Conring();
    r.printk('hello\n');
    expect(read(r, { count: 100, clear: true }).text).toBe('(XEN) hello\n');
    expect(read(r, { count: 100 }).text).toBe('');
  });

  it('a truncated clearing read leaves the rest for the next read (statement 77)', () => {
    const r = new Conring();
    r.printk('abcdefgh\n');
    expect(read(r, { count: 6, clear: true }).text).toBe('(XEN) ');
    expect(read(r, { count: 100 }).text).toBe('abcdefgh\n');
  });

  it('incremental reads continue from the returned index; an index behind the consumer is ignored', () => {
    const r = new Conring();
    r.printk('a\n');
    const first = read(r, { count: 100, incremental: true });
    r.printk('b\n');
    expect(read(r, { count: 100, incremental: true, index: first.index }).text).toBe('(XEN) b\n');
    expect(read(r, { count: 100, incremental: true, index: 0 }).text).toBe('(XEN) a\n(XEN) b\n');
  });

  it('keeps only the last 16 KiB; a NULL buffer with data to copy is -EFAULT', () => {
    const r = new Conring();
    for (let i = 0; i < 3000; i++) r.printk(`line ${i}\n`);
    const all = read(r, { count: 1 << 20 }).text;
    expect(all.length).toBe(CONRING_SIZE);
    expect(all.endsWith('(XEN) line 2999\n')).toBe(true);
    const op = { clear: 0, incremental: 0, pad: 0, index: 0, buffer: GuestHandle.null<number>(), count: 10 };
    expect(r.read(op)).toBe(-14);
  });
});

describe('debug keys and xl dmesg over the wire', () => {
  const h = useHost('2node', { dom0_mem: '2G' });

  it('the ring starts with the boot lines', async () => {
    const r = await xc_readconsolering(h.xch, 16384, false, false);
    expect(r.data.toString('latin1').split('\n')[2]).toBe('(XEN) Command line: dom0_mem=2G dom0_max_vcpus=8 console=com1 sched=credit2');
  });

  it("a key with no handler prints nothing (statement 72); 'u' dumps NUMA and per-domain per-node pages (73, 74)", async () => {
    await xc_readconsolering(h.xch, 16384, true, false); // consume the boot log
    await xc_send_debug_keys(h.xch, 'Z');
    expect((await xc_readconsolering(h.xch, 16384, false, false)).data.length).toBe(0);
    await xc_send_debug_keys(h.xch, 'u');
    const lines = (await xc_readconsolering(h.xch, 16384, true, false)).data.toString('latin1').split('\n');
    expect(lines).toEqual([
      "(XEN) 'u' pressed -> dumping numa info (now = 0)",
      '(XEN) NODE0 start->0 size->17039360 free->16515071', // MFN 0 is not in the heap
      '(XEN) NODE1 start->17039360 size->16777216 free->16515072',
      '(XEN) CPU0...15 -> NODE0',
      '(XEN) CPU16...31 -> NODE1',
      '(XEN) Memory location of each domain:',
      '(XEN) d0 (total: 524288):',
      '(XEN)     Node 0: 262144',
      '(XEN)     Node 1: 262144',
      '',
    ]);
  });

  it('xl debug-keys then xl dmesg -c prints the dump once', async () => {
    await xl(h, 'dmesg', '-c');
    expect((await xl(h, 'debug-keys', 'u')).code).toBe(0);
    const first = await xl(h, 'dmesg', '-c');
    expect(first.stdout).toContain('(XEN) Memory location of each domain:\n');
    expect((await xl(h, 'dmesg')).stdout).toBe('');
  });
});

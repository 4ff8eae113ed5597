// xl's memory commands over the wire: xl mem-max, xl claims, and the memory lines of xl info and
// xl list (tools/xl/xl_mem.c: main_memmax, set_memory_max; xl_parse.c: parse_mem_size_kb;
// xl_info.c: main_claims, list_domains, output_physinfo).
import { describe, expect, it } from 'vitest';
import { parse_mem_size_kb } from '../cli/xl_parse.js';
import { main_claims } from '../cli/xl_list.js';
import { DOMID_ANY } from '../hypervisor/ids.js';
import { xc_domain_claim_pages, xc_domain_create, xc_domain_destroy, xc_domain_getinfo_single, xc_domain_populate_physmap_exact, xc_domain_setmaxmem, xc_physinfo } from '../libxc/xenctrl.js';
import { XEN_DOMCTL_CDF } from '../proto/public/domctl.js';
import { capture, useHost, xl, type Host } from './harness.js';

const HEADER = 'Name                                        ID   Mem VCPUs\tState\tTime(s)';
const DOM0_ROW = `${'Domain-0'.padEnd(40)}     0  4096     8     r-----       0.0`;
/** A row of list_domains for a fresh guest (no name, paused, no vCPUs), %5lu Mem and Claimed. */
const guestRow = (domid: number, mem: number, claimed?: number): string =>
  `${'(null)'.padEnd(40)} ${String(domid).padStart(5)} ${String(mem).padStart(5)}     0     --p---       0.0${claimed === undefined ? '' : ` ${String(claimed).padStart(5)}`}`;

async function hvmGuest(h: Host): Promise<number> {
  return xc_domain_create(h.xch, DOMID_ANY, { flags: XEN_DOMCTL_CDF.hvm | XEN_DOMCTL_CDF.hap, max_vcpus: 1 });
}

describe('parse_mem_size_kb (xl_parse.c)', () => {
  it('takes MiB by default and one b/k/m/g/t suffix in either case', () => {
    expect(parse_mem_size_kb('1024')).toBe(1048576n);
    expect(parse_mem_size_kb('512m')).toBe(524288n);
    expect(parse_mem_size_kb('1g')).toBe(1048576n);
    expect(parse_mem_size_kb('1G')).toBe(1048576n);
    expect(parse_mem_size_kb('2t')).toBe(2n << 30n);
    expect(parse_mem_size_kb('2048k')).toBe(2048n);
    expect(parse_mem_size_kb('1048576b')).toBe(1024n);
    expect(parse_mem_size_kb('1023b')).toBe(0n);
  });

  it('reads as strtoll does: leading blanks and a sign pass, no digits is 0, trailing text fails', () => {
    expect(parse_mem_size_kb(' +3')).toBe(3072n);
    expect(parse_mem_size_kb('')).toBe(0n);
    expect(parse_mem_size_kb('g')).toBe(0n);
    expect(parse_mem_size_kb('1gb')).toBe(-1n);
    expect(parse_mem_size_kb('5 ')).toBe(-1n);
    expect(parse_mem_size_kb('1x')).toBe(-1n);
    expect(parse_mem_size_kb('1.5g')).toBe(-1n);
  });

  it('keeps int64_t\'s edges: -1k reads as the error value, huge values saturate then wrap', () => {
    expect(parse_mem_size_kb('-1k')).toBe(-1n);
    expect(parse_mem_size_kb('-2k')).toBe(-2n);
    expect(parse_mem_size_kb('99999999999999999999k')).toBe((1n << 63n) - 1n);
    expect(parse_mem_size_kb('99999999999999999999g')).toBe(-(1n << 20n));
  });
});

describe('xl mem-max', () => {
  const h = useHost('4node');

  it('sets Xen\'s maximum to the size plus LIBXL_MAXMEM_CONSTANT; xl list\'s Mem is current + outstanding', async () => {
    const d = await hvmGuest(h);
    expect(await xl(h, 'mem-max', String(d), '1g')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await xc_domain_getinfo_single(h.xch, d)).max_pages).toBe((1048576 + 1024) / 4);
    expect(await xl(h, 'mem-max', String(d), '2048')).toMatchObject({ code: 0 });
    expect((await xc_domain_getinfo_single(h.xch, d)).max_pages).toBe((2097152 + 1024) / 4);
    await xc_domain_claim_pages(h.xch, d, 4096); // 16 MiB
    await xc_domain_populate_physmap_exact(h.xch, d, 2, 9, 0, [0, 0x200]); // 4 MiB of it
    expect((await xl(h, 'list', String(d))).stdout).toBe(`${HEADER}\n${guestRow(d, 16)}\n`);
    await xc_domain_destroy(h.xch, d);
  });

  it('an unparsable size: "invalid memory size", exit 1, nothing set', async () => {
    const d = await hvmGuest(h);
    expect(await xl(h, 'mem-max', String(d), '1gb')).toEqual({ code: 1, stdout: '', stderr: 'invalid memory size: 1gb\n' });
    // A leading '-' is an option to getopt, as to xl; after "--" the size reaches parse_mem_size_kb.
    expect(await xl(h, 'mem-max', String(d), '--', '-1k')).toEqual({ code: 1, stdout: '', stderr: 'invalid memory size: -1k\n' });
    await xc_domain_destroy(h.xch, d);
  });

  it('a domain Xen does not know: libxl\'s error, then "cannot set domid ... static max memory"', async () => {
    const r = await xl(h, 'mem-max', '99', '1g');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'libxl: error: Domain 99:xc_domain_setmaxmem domid=99 memkb=1049600 failed rc=-1: xc_domain_setmaxmem: ESRCH (3)\n' +
        'cannot set domid 99 static max memory to : 1g\n',
    );
    expect(await xl(h, 'mem-max', 'nosuch', '1g')).toEqual({ code: 1, stdout: '', stderr: 'nosuch is an invalid domain identifier (rc=-6)\n' });
  });
});

describe('xl claims', () => {
  const h = useHost('4node');

  it('lists every domain with the Claimed column in MiB; a populate consumes the claim', async () => {
    const d = await hvmGuest(h);
    await xc_domain_setmaxmem(h.xch, d, -1);
    await xc_domain_claim_pages(h.xch, d, 1024); // 4 MiB
    expect(await xl(h, 'claims')).toEqual({ code: 0, stdout: `${HEADER}  Claimed\n${DOM0_ROW}     0\n${guestRow(d, 4, 4)}\n`, stderr: '' });
    await xc_domain_populate_physmap_exact(h.xch, d, 1, 9, 0, [0]);
    expect((await xl(h, 'claims')).stdout).toBe(`${HEADER}  Claimed\n${DOM0_ROW}     0\n${guestRow(d, 4, 2)}\n`);
    await xc_domain_destroy(h.xch, d);
    expect((await xl(h, 'claims')).stdout).toBe(`${HEADER}  Claimed\n${DOM0_ROW}     0\n`);
  });

  it('with claim_mode off (xl.conf) it warns first and lists anyway', async () => {
    const c = capture();
    expect(await main_claims(h.ctx, 0, c.out)).toBe(0);
    expect(c.stderr()).toBe('claim_mode not enabled (see man xl.conf).\n');
    expect(c.stdout()).toBe(`${HEADER}  Claimed\n${DOM0_ROW}     0\n`);
  });
});

describe('xl info memory lines come from physinfo', () => {
  const h = useHost('4node');

  it('free_memory is (free - outstanding) pages in MiB and outstanding_claims the claims', async () => {
    const p = await xc_physinfo(h.xch);
    const line = async (name: string): Promise<string> => (await xl(h, 'info', name)).stdout;
    expect(await line('total_memory')).toBe(`${p.total_pages / 256}\n`);
    expect(await line('free_memory')).toBe(`${Math.floor(p.free_pages / 256)}\n`);
    expect(await line('outstanding_claims')).toBe('0\n');
    const d = await hvmGuest(h);
    await xc_domain_setmaxmem(h.xch, d, -1);
    await xc_domain_claim_pages(h.xch, d, 1 << 18); // 1 GiB
    expect(await line('outstanding_claims')).toBe('1024\n');
    expect(await line('free_memory')).toBe(`${Math.floor((p.free_pages - (1 << 18)) / 256)}\n`);
    await xc_domain_populate_physmap_exact(h.xch, d, 1, 18, 0, [0]); // takes it all from the claim
    expect(await line('outstanding_claims')).toBe('0\n');
    expect(await line('free_memory')).toBe(`${Math.floor((p.free_pages - (1 << 18)) / 256)}\n`);
    await xc_domain_destroy(h.xch, d);
    expect(await line('free_memory')).toBe(`${Math.floor(p.free_pages / 256)}\n`);
  });
});

// libxl vNUMA and the HVM memory layout, pure: tools/libs/light/libxl_vnuma.c
// (libxl__vnuma_config_check, libxl__vnuma_build_vmemrange_hvm, _pv_generic) and libxl_dom.c
// (libxl__build_hvm's layout, set_vnuma_info, xc_dom_mem_init's MiB truncation). Goldens are
// worked by hand from the C.
import { describe, expect, it } from 'vitest';
import type { xen_vmemrange_t } from '../libxc/xenctrl.js';
import { libxl__build_hvm_layout, libxl__vnuma_setvnuma_args, type libxl_hvm_layout_info } from '../libxl/libxl_dom_layout.js';
import { libxl_bitmap_alloc, libxl_bitmap_set, type libxl_bitmap } from '../libxl/libxl_utils.js';
import {
  libxl__vnuma_build_vmemrange_hvm,
  libxl__vnuma_build_vmemrange_pv_generic,
  libxl__vnuma_config_check,
  type libxl_vnode_info,
  type libxl_vnuma_build_info,
  type libxl_vnuma_host,
} from '../libxl/libxl_vnuma.js';

const GiB_kb = 1024 * 1024;
const MiB_kb = 1024;
const VIDEO_kb = 8 * MiB_kb;

function bits(n: number, set: number[]): libxl_bitmap {
  const b = libxl_bitmap_alloc(n);
  for (const i of set) libxl_bitmap_set(b, i);
  return b;
}

function vnode(memkb: number, pnode: number, vcpus: number[], distances: number[]): libxl_vnode_info {
  return { memkb, pnode, vcpus: bits(4, vcpus), distances };
}

/** 2 vnodes × 3 GiB on pnodes 0 and 1, vCPUs 0-1 and 2-3, 8 MiB video: the running example. */
function info(over: Partial<libxl_vnuma_build_info> = {}): libxl_vnuma_build_info {
  return {
    max_memkb: 6 * GiB_kb,
    video_memkb: VIDEO_kb,
    max_vcpus: 4,
    vnuma_nodes: [vnode(3 * GiB_kb, 0, [0, 1], [10, 20]), vnode(3 * GiB_kb, 1, [2, 3], [20, 10])],
    ...over,
  };
}

function hvm(over: Partial<libxl_hvm_layout_info> = {}): libxl_hvm_layout_info {
  return { max_memkb: 6 * GiB_kb, target_memkb: 6 * GiB_kb, video_memkb: VIDEO_kb, mmio_hole_memkb: 0, device_model: true, max_vcpus: 4, ...over };
}

const host: libxl_vnuma_host = { nr_nodes: 2, max_nodes: 64, cpu_to_node: [0, 0, 1, 1] };
const r = (start: bigint, end: bigint, nid: number): xen_vmemrange_t => ({ start, end, flags: 0, nid });

function logger(): { log: (level: 'error' | 'warn', m: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (level, m) => lines.push(`${level}: ${m}`), lines };
}

/** Run the check; the thrown code (or 'ok') and the log lines. */
function check(b: libxl_vnuma_build_info, ranges: xen_vmemrange_t[], h = host): { rc: string; lines: string[] } {
  const l = logger();
  try {
    libxl__vnuma_config_check(h, b, ranges, l.log);
    return { rc: 'ok', lines: l.lines };
  } catch (e) {
    return { rc: `${(e as { code: string }).code} ${(e as { rc: number }).rc}`, lines: l.lines };
  }
}

describe('libxl__build_hvm: the memory layout handed to libxenguest', () => {
  it('6 GiB with 8 MiB video and a device model: lowmem stops at HVM_BELOW_4G_MMIO_START, the rest moves above 4G', () => {
    expect(libxl__build_hvm_layout(hvm())).toEqual({
      mem_size: 0x17f800000n, // (6 GiB - 8 MiB)
      target_pages: 0x17f800n,
      mmio_size: 0x10000000n,
      mmio_start: 0xf0000000n,
      lowmem_end: 0xf0000000n,
      highmem_end: 0x18f800000n, // 4G + (mem_size - mmio_start)
      vga_hole_size: 0x20,
      device_model: true,
      max_vcpus: 4,
      total_pages: 6136n << 8n,
    });
  });

  it('1 GiB + 512 KiB below the hole: no highmem; target from target_memkb; total_pages truncated to whole MiB', () => {
    const l = libxl__build_hvm_layout(hvm({ max_memkb: GiB_kb + 512, target_memkb: 512 * MiB_kb }));
    expect(l.mem_size).toBe(0x3f880000n);
    expect([l.lowmem_end, l.highmem_end, l.mmio_start]).toEqual([0x3f880000n, 0n, 0xf0000000n]);
    expect(l.target_pages).toBe(BigInt((512 * MiB_kb - VIDEO_kb) >> 2));
    expect(l.total_pages).toBe(1016n << 8n); // 1016.5 MiB → 1016, where mem_size >> 12 would be 260224
    expect(l.mem_size >> 12n).toBe(260224n);
  });

  it('total_pages is computed in 32 bits as xc_dom_mem_init does: 16 TiB (plus video RAM) wraps to 0', () => {
    expect(libxl__build_hvm_layout(hvm({ max_memkb: 16 * 1024 * 1024 * 1024 + VIDEO_kb, target_memkb: 0 })).total_pages).toBe(0n);
    expect(libxl__build_hvm_layout(hvm({ max_memkb: 8 * 1024 * 1024 * 1024 + VIDEO_kb, target_memkb: 0 })).total_pages).toBe(1n << 31n);
  });

  it('target_memkb equal to video_memkb leaves target_pages 0, which becomes mem_size in pages', () => {
    expect(libxl__build_hvm_layout(hvm({ max_memkb: 2 * GiB_kb, target_memkb: VIDEO_kb })).target_pages).toBe(BigInt((2 * GiB_kb - VIDEO_kb) >> 2));
  });

  it('mmio_hole_memkb of 1 GiB widens the hole to start at 3G; 128 MiB is below the default and is ignored', () => {
    const wide = libxl__build_hvm_layout(hvm({ mmio_hole_memkb: GiB_kb }));
    expect([wide.mmio_size, wide.mmio_start, wide.lowmem_end, wide.highmem_end]).toEqual([0x40000000n, 0xc0000000n, 0xc0000000n, 0x1bf800000n]);
    const narrow = libxl__build_hvm_layout(hvm({ mmio_hole_memkb: 128 * MiB_kb }));
    expect([narrow.mmio_size, narrow.mmio_start]).toEqual([0x10000000n, 0xf0000000n]);
  });

  it('PVH (no device model): the hole starts at ACPI_INFO_PHYSICAL_ADDRESS and there is no VGA hole', () => {
    const l = libxl__build_hvm_layout(hvm({ device_model: false, max_memkb: 8 * GiB_kb, target_memkb: 8 * GiB_kb, video_memkb: 0 }));
    expect([l.mmio_size, l.mmio_start, l.lowmem_end, l.highmem_end, l.vga_hole_size]).toEqual([0x4000000n, 0xfc000000n, 0xfc000000n, 0x204000000n, 0]);
  });
});

describe('libxl__vnuma_build_vmemrange_hvm', () => {
  it('3 GiB + 3 GiB around the 256 MiB hole: vnode 0 loses the video RAM, vnode 1 is split at 0xF0000000 and resumes at 4G', () => {
    const ranges = libxl__vnuma_build_vmemrange_hvm(info(), libxl__build_hvm_layout(hvm()));
    expect(ranges).toEqual([r(0n, 0xbf800000n, 0), r(0xbf800000n, 0xf0000000n, 1), r(0x100000000n, 0x18f800000n, 1)]);
    expect(check(info(), ranges)).toEqual({ rc: 'ok', lines: [] });
  });

  it('4 GiB + 2 GiB: vnode 0 straddles the hole and gets two ranges with nid 0', () => {
    const b = info({ vnuma_nodes: [vnode(4 * GiB_kb, 0, [0, 1], [10, 20]), vnode(2 * GiB_kb, 1, [2, 3], [20, 10])] });
    expect(libxl__vnuma_build_vmemrange_hvm(b, libxl__build_hvm_layout(hvm()))).toEqual([
      r(0n, 0xf0000000n, 0), r(0x100000000n, 0x10f800000n, 0), r(0x10f800000n, 0x18f800000n, 1),
    ]);
  });

  it('a 1 GiB hole from mmio_hole_memkb: the split moves to 3G', () => {
    expect(libxl__vnuma_build_vmemrange_hvm(info(), libxl__build_hvm_layout(hvm({ mmio_hole_memkb: GiB_kb })))).toEqual([
      r(0n, 0xbf800000n, 0), r(0xbf800000n, 0xc0000000n, 1), r(0x100000000n, 0x1bf800000n, 1),
    ]);
  });

  it('a guest below the hole: contiguous ranges ending at lowmem_end, no alignment to the MiB', () => {
    const b = info({ max_memkb: GiB_kb + 512, video_memkb: 4 * MiB_kb, vnuma_nodes: [vnode(512 * MiB_kb + 512, 0, [0, 1], [10, 20]), vnode(512 * MiB_kb, 1, [2, 3], [20, 10])] });
    const lay = libxl__build_hvm_layout(hvm({ max_memkb: b.max_memkb, target_memkb: b.max_memkb, video_memkb: b.video_memkb }));
    expect(libxl__vnuma_build_vmemrange_hvm(b, lay)).toEqual([r(0n, 0x1fc80000n, 0), r(0x1fc80000n, 0x3fc80000n, 1)]);
    expect(lay.lowmem_end).toBe(0x3fc80000n);
  });

  it('vnode 0 smaller than the video RAM is ERROR_INVAL, logged', () => {
    const l = logger();
    const b = info({ vnuma_nodes: [vnode(4 * MiB_kb, 0, [0, 1], [10, 20]), vnode(6 * GiB_kb - 4 * MiB_kb, 1, [2, 3], [20, 10])] });
    expect(() => libxl__vnuma_build_vmemrange_hvm(b, libxl__build_hvm_layout(hvm()), l.log)).toThrow(expect.objectContaining({ code: 'ERROR_INVAL', rc: -6 }));
    expect(l.lines).toEqual(['error: vnode 0 too small to contain video ram']);
  });

  it('vnode 0 exactly the size of the video RAM contributes no range', () => {
    const b = info({ vnuma_nodes: [vnode(VIDEO_kb, 0, [0, 1], [10, 20]), vnode(6 * GiB_kb - VIDEO_kb, 1, [2, 3], [20, 10])] });
    const ranges = libxl__vnuma_build_vmemrange_hvm(b, libxl__build_hvm_layout(hvm()));
    expect(ranges).toEqual([r(0n, 0xf0000000n, 1), r(0x100000000n, 0x18f800000n, 1)]);
  });
});

describe('libxl__vnuma_build_vmemrange_pv_generic', () => {
  it('one contiguous range per vnode from 0, no hole and no video RAM; sizes past 2^44 stay exact', () => {
    expect(libxl__vnuma_build_vmemrange_pv_generic(info())).toEqual([r(0n, 0xc0000000n, 0), r(0xc0000000n, 0x180000000n, 1)]);
    const big = info({ vnuma_nodes: [vnode(2 ** 34, 0, [0, 1], [10, 20]), vnode(2 ** 34, 1, [2, 3], [20, 10])] }); // 16 TiB each
    expect(libxl__vnuma_build_vmemrange_pv_generic(big)).toEqual([r(0n, 1n << 44n, 0), r(1n << 44n, 1n << 45n, 1)]);
  });
});

describe('libxl__vnuma_config_check: each check, its message, ERROR_VNUMA_CONFIG_INVALID (-20)', () => {
  const good = (): xen_vmemrange_t[] => libxl__vnuma_build_vmemrange_pv_generic(info());
  const BAD = 'ERROR_VNUMA_CONFIG_INVALID -20';

  it('a pnode at or past libxl_get_numainfo\'s count', () => {
    const b = info({ vnuma_nodes: [vnode(3 * GiB_kb, 0, [0, 1], [10, 20]), vnode(3 * GiB_kb, 2, [2, 3], [20, 10])] });
    expect(check(b, good())).toEqual({ rc: BAD, lines: ['error: Invalid pnode 2 specified'] });
  });

  it('the pnode check comes before the memory sum', () => {
    const b = info({ max_memkb: 1, vnuma_nodes: [vnode(3 * GiB_kb, 7, [0, 1], [10, 20]), vnode(3 * GiB_kb, 1, [2, 3], [20, 10])] });
    expect(check(b, good())).toEqual({ rc: BAD, lines: ['error: Invalid pnode 7 specified'] });
  });

  it('vnode memory that does not add up to max_memkb, printed in hex', () => {
    expect(check(info({ max_memkb: 6 * GiB_kb + 1024 }), good())).toEqual({ rc: BAD, lines: ['error: Amount of memory mismatch (0x600000 != 0x600400)'] });
  });

  it('a vCPU in two vnodes', () => {
    const b = info({ vnuma_nodes: [vnode(3 * GiB_kb, 0, [0, 1], [10, 20]), vnode(3 * GiB_kb, 1, [1, 2, 3], [20, 10])] });
    expect(check(b, good())).toEqual({ rc: BAD, lines: ['error: Vcpu 1 assigned more than once'] });
  });

  it('a vCPU below max_vcpus in no vnode', () => {
    const b = info({ vnuma_nodes: [vnode(3 * GiB_kb, 0, [0, 1], [10, 20]), vnode(3 * GiB_kb, 1, [2], [20, 10])] });
    expect(check(b, good())).toEqual({ rc: BAD, lines: ['error: Vcpu 3 is not assigned to any vnode'] });
  });

  it('hard or soft affinity not exactly on the vnode\'s pnode only warns', () => {
    const b = info({
      vcpu_hard_affinity: [bits(4, [0, 1]), bits(4, [0, 2])], // vCPU 0 fine; vCPU 1 spans nodes 0 and 1
      vcpu_soft_affinity: [bits(4, [1]), bits(4, [1]), bits(4, [0])], // vCPU 2 is on vnode 1 = pnode 1, soft on node 0
    });
    expect(check(b, good())).toEqual({ rc: 'ok', lines: ['warn: Vcpu 1 hard affinity and vnuma info mismatch', 'warn: Vcpu 2 soft affinity and vnuma info mismatch'] });
  });

  it('without the CPU topology the affinity check logs that it cannot convert, and the config still passes', () => {
    const b = info({ vcpu_hard_affinity: [bits(4, [0, 1]), bits(4, [0, 2])] });
    expect(check(b, good(), { ...host, cpu_to_node: null })).toEqual({
      rc: 'ok',
      lines: ["error: Can't convert Vcpu 0 affinity to nodemap", "error: Can't convert Vcpu 1 affinity to nodemap"],
    });
  });

  it('unsorted ranges are sorted by start in place and pass', () => {
    const ranges = good().reverse();
    expect(check(info(), ranges)).toEqual({ rc: 'ok', lines: [] });
    expect(ranges).toEqual(good());
  });

  it('a range ending before it starts', () => {
    expect(check(info(), [r(0n, 0xc0000000n, 0), r(0x180000000n, 0xc0000000n, 1)])).toEqual({ rc: BAD, lines: ['error: Vmemrange end < start'] });
  });

  it('overlapping ranges, reported after sorting', () => {
    expect(check(info(), [r(0x7ff00000n, 0x100000000n, 1), r(0n, 0x80000000n, 0)])).toEqual({
      rc: BAD, lines: ['error: Vmemranges overlapped, 0x0-0x80000000, 0x7ff00000-0x100000000'],
    });
  });

  it('touching ranges do not overlap', () => {
    expect(check(info(), [r(0n, 0x80000000n, 0), r(0x80000000n, 0x100000000n, 1)]).rc).toBe('ok');
  });

  it('a remote distance smaller than the local one; equal is allowed', () => {
    const b = info({ vnuma_nodes: [vnode(3 * GiB_kb, 0, [0, 1], [10, 10]), vnode(3 * GiB_kb, 1, [2, 3], [20, 30])] });
    expect(check(b, good())).toEqual({ rc: BAD, lines: ['error: Distance from 1 to 0 smaller than 1\'s local distance'] });
  });
});

describe('set_vnuma_info: the arguments of xc_domain_setvnuma', () => {
  it('vcpu_to_vnode from the bitmaps, vnode_to_pnode, distances row-major', () => {
    const b = info({ vnuma_nodes: [vnode(3 * GiB_kb, 1, [0, 2], [10, 21]), vnode(3 * GiB_kb, 0, [1, 3], [21, 10])] });
    const ranges = libxl__vnuma_build_vmemrange_hvm(b, libxl__build_hvm_layout(hvm()));
    expect(libxl__vnuma_setvnuma_args(b, ranges)).toEqual({
      nr_vnodes: 2, nr_vmemranges: 3, nr_vcpus: 4, vmemrange: ranges, vdistance: [10, 21, 21, 10], vcpu_to_vnode: [0, 1, 0, 1], vnode_to_pnode: [1, 0],
    });
  });

  it('a distance row of the wrong length is refused (C asserts)', () => {
    const b = info({ vnuma_nodes: [vnode(3 * GiB_kb, 0, [0, 1], [10]), vnode(3 * GiB_kb, 1, [2, 3], [20, 10])] });
    expect(() => libxl__vnuma_setvnuma_args(b, [])).toThrow(expect.objectContaining({ code: 'ERROR_INVAL' }));
  });
});

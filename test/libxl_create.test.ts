// The pure rules of domain creation (tools/libs/light/libxl_create.c: libxl__domain_config_setdefault,
// libxl__domain_build_info_setdefault, libxl__get_required_paging_memory; libxl_mem.c:
// libxl__domain_need_memory_calculate; libxl_internal.h: libxl__get_targetmem_fudge).
import { describe, expect, it } from 'vitest';
import { libxl__domain_build_info_setdefault, libxl__domain_config_setdefault_host, libxl__get_required_paging_memory, libxl_domid_valid_guest, type libxl_setdefault_host } from '../libxl/libxl_create.js';
import { LibxlError } from '../libxl/libxl_error.js';
import { libxl__domain_need_memory_calculate, libxl__get_targetmem_fudge } from '../libxl/libxl_mem.js';
import { LIBXL_DOMAIN_TYPE, LIBXL_MEMKB_DEFAULT, LIBXL_VGA_INTERFACE_TYPE, libxl_domain_config_init, type libxl_domain_config, type libxl_domain_type } from '../libxl/libxl_types.js';
import { libxl__strtoul_u32, libxl_bitmap_alloc, libxl_bitmap_and, libxl_bitmap_set, libxl_bitmap_test } from '../libxl/libxl_utils.js';

const HOST: libxl_setdefault_host = {
  physinfo: { cap_hap: true, cap_shadow: true, cap_hvm_directio: false, cap_vpmu: false, cap_gnttab_v1: true, cap_gnttab_v2: true },
  max_cpus: 64,
  cpupool_valid: (id) => id === 0,
};

function config(type: libxl_domain_type = LIBXL_DOMAIN_TYPE.HVM, memkb?: number): libxl_domain_config {
  const d = libxl_domain_config_init();
  d.c_info.type = type;
  d.c_info.name = 'g';
  if (memkb !== undefined) d.b_info.max_memkb = d.b_info.target_memkb = memkb;
  return d;
}

function setdefault(d: libxl_domain_config, host = HOST): string[] {
  const lines: string[] = [];
  libxl__domain_config_setdefault_host(d, host, 7, (l, m) => lines.push(`${l}: ${m}`));
  return lines;
}

function rejects(d: libxl_domain_config, host = HOST): { code: string; message: string; lines: string[] } {
  const lines: string[] = [];
  try {
    libxl__domain_config_setdefault_host(d, host, 7, (l, m) => lines.push(`${l}: ${m}`));
  } catch (e) {
    if (!(e instanceof LibxlError)) throw e;
    return { code: e.code, message: e.message, lines };
  }
  throw new Error('setdefault accepted the config');
}

describe('libxl__get_required_paging_memory', () => {
  it('is 4 * (256 per vCPU + ((type != PV) + !hap) pages per MiB) KiB', () => {
    expect(libxl__get_required_paging_memory(65536, 2, LIBXL_DOMAIN_TYPE.HVM, true)).toBe(4 * (512 + 64));
    expect(libxl__get_required_paging_memory(65536, 2, LIBXL_DOMAIN_TYPE.HVM, false)).toBe(4 * (512 + 128));
    expect(libxl__get_required_paging_memory(65536, 2, LIBXL_DOMAIN_TYPE.PV, false)).toBe(4 * (512 + 64));
    expect(libxl__get_required_paging_memory(1023, 1, LIBXL_DOMAIN_TYPE.PVH, true)).toBe(1024); // maxmem / 1024 truncates
  });

  it('an unset max_memkb (~0ULL) gives an enormous value, as C computes it', () => {
    expect(libxl__get_required_paging_memory(LIBXL_MEMKB_DEFAULT, 0, LIBXL_DOMAIN_TYPE.HVM, true)).toBe(Number(4n * (0xffffffffffffffffn / 1024n)));
  });
});

describe('libxl__domain_need_memory_calculate', () => {
  const info = (type: libxl_domain_type, target: number, shadow = 0, iommu = 0) => ({ type, max_memkb: target, target_memkb: target, video_memkb: 8192, shadow_memkb: shadow, iommu_memkb: iommu });

  it('adds LIBXL_HVM_EXTRA_MEMORY (HVM, PVH) or LIBXL_PV_EXTRA_MEMORY (PV) and rounds up to 2 MiB', () => {
    expect(libxl__domain_need_memory_calculate(info(LIBXL_DOMAIN_TYPE.HVM, 65536, 2304))).toBe(71680); // 69888 -> 71680
    expect(libxl__domain_need_memory_calculate(info(LIBXL_DOMAIN_TYPE.PVH, 65536))).toBe(67584); // already a multiple
    expect(libxl__domain_need_memory_calculate(info(LIBXL_DOMAIN_TYPE.PV, 65536))).toBe(67584); // 66560 -> 67584
    expect(libxl__domain_need_memory_calculate(info(LIBXL_DOMAIN_TYPE.HVM, 1, 0, 1))).toBe(4096); // 2050 -> 4096
    expect(libxl__domain_need_memory_calculate(info(LIBXL_DOMAIN_TYPE.HVM, 2048, 0, 0))).toBe(4096);
  });

  it('video RAM is not added without a stub device model; an invalid type is ERROR_INVAL', () => {
    expect(libxl__domain_need_memory_calculate({ ...info(LIBXL_DOMAIN_TYPE.HVM, 2048), video_memkb: 1 << 20 })).toBe(4096);
    expect(() => libxl__domain_need_memory_calculate(info(LIBXL_DOMAIN_TYPE.INVALID, 2048))).toThrow(LibxlError);
  });
});

describe('libxl__get_targetmem_fudge', () => {
  it('1024 KiB for HVM with max > target, plus video RAM when set', () => {
    const b = { type: LIBXL_DOMAIN_TYPE.HVM as libxl_domain_type, max_memkb: 4096, target_memkb: 2048, video_memkb: 8192, shadow_memkb: 0, iommu_memkb: 0 };
    expect(libxl__get_targetmem_fudge(b)).toBe(1024 + 8192);
    expect(libxl__get_targetmem_fudge({ ...b, target_memkb: 4096 })).toBe(8192);
    expect(libxl__get_targetmem_fudge({ ...b, type: LIBXL_DOMAIN_TYPE.PVH })).toBe(8192);
    expect(libxl__get_targetmem_fudge({ ...b, video_memkb: LIBXL_MEMKB_DEFAULT })).toBe(1024);
  });
});

describe('libxl__domain_config_setdefault', () => {
  it('fills libxl\'s defaults for an HVM guest', () => {
    const d = config(LIBXL_DOMAIN_TYPE.HVM, 65536);
    expect(setdefault(d)).toEqual([]);
    const b = d.b_info;
    expect(d.c_info).toMatchObject({ hap: true, oos: true });
    expect(b).toMatchObject({ max_vcpus: 1, numa_placement: true, claim_mode: false, event_channels: 1023, iommu_memkb: 0, video_memkb: 8192, max_memkb: 65536, target_memkb: 65536 });
    expect(b.avail_vcpus.size).toBe(1);
    expect(libxl_bitmap_test(b.avail_vcpus, 0)).toBe(true);
    expect(b.u.hvm).toEqual({ mmio_hole_memkb: 0, vga: { kind: LIBXL_VGA_INTERFACE_TYPE.CIRRUS } });
    // shadow is defaulted before max_vcpus is: 0 vCPUs, 64 MiB of p2m pages.
    expect(b.shadow_memkb).toBe(4 * 64);
  });

  it('memory: 32 MiB, target = max; with no memory given the shadow default is computed from ~0ULL', () => {
    const d = config();
    setdefault(d);
    expect(d.b_info).toMatchObject({ max_memkb: 32768, target_memkb: 32768 });
    expect(d.b_info.shadow_memkb).toBeGreaterThanOrEqual(2 ** 56);
    const t = config();
    t.b_info.max_memkb = 4096;
    setdefault(t);
    expect(t.b_info.target_memkb).toBe(4096);
  });

  it('video RAM per VGA kind, with the minimums and their messages', () => {
    const kinds: [number, number][] = [
      [LIBXL_VGA_INTERFACE_TYPE.STD, 16384],
      [LIBXL_VGA_INTERFACE_TYPE.QXL, 131072],
      [LIBXL_VGA_INTERFACE_TYPE.NONE, 0],
    ];
    for (const [kind, video] of kinds) {
      const d = config(LIBXL_DOMAIN_TYPE.HVM, 262144);
      d.b_info.u.hvm.vga.kind = kind as 2;
      setdefault(d);
      expect(d.b_info.video_memkb).toBe(video);
    }
    const small = (kind: number, video: number): ReturnType<typeof rejects> => {
      const d = config(LIBXL_DOMAIN_TYPE.HVM, 262144);
      d.b_info.u.hvm.vga.kind = kind as 2;
      d.b_info.video_memkb = video;
      return rejects(d);
    };
    expect(small(LIBXL_VGA_INTERFACE_TYPE.STD, 8192)).toMatchObject({ code: 'ERROR_INVAL', message: 'videoram must be at least 16 MB for STDVGA on QEMU_XEN' });
    expect(small(LIBXL_VGA_INTERFACE_TYPE.CIRRUS, 4096)).toMatchObject({ code: 'ERROR_INVAL', message: 'videoram must be at least 8 MB for CIRRUS on QEMU_XEN' });
    const q = small(LIBXL_VGA_INTERFACE_TYPE.QXL, 65536);
    expect(q).toMatchObject({ code: 'ERROR_INVAL', message: '128 Mib videoram is the minimum for qxl default' });
    expect(q.lines).toContain('error: Domain 7:Unable to set domain build info defaults');
  });

  it('PVH: video RAM 0, the MMIO hole left alone; hap false when the host has only shadow paging', () => {
    const d = config(LIBXL_DOMAIN_TYPE.PVH, 65536);
    setdefault(d, { ...HOST, physinfo: { ...HOST.physinfo, cap_hap: false } });
    expect(d.b_info.video_memkb).toBe(0);
    expect(d.c_info.hap).toBe(false);
    expect(d.b_info.shadow_memkb).toBe(4 * (2 * 64)); // !hap adds one page per MiB
    const none = rejects(config(LIBXL_DOMAIN_TYPE.HVM, 65536), { ...HOST, physinfo: { ...HOST.physinfo, cap_hap: false, cap_shadow: false } });
    expect(none).toMatchObject({ code: 'ERROR_INVAL', message: 'neither hap nor shadow paging available' });
    expect(none.lines).toContain('error: Domain 7:Unable to set domain create info defaults');
  });

  it('the legacy cpumap becomes every vCPU\'s hard affinity (cpumap itself stays)', () => {
    const d = config(LIBXL_DOMAIN_TYPE.HVM, 65536);
    d.b_info.max_vcpus = 3;
    d.b_info.cpumap = libxl_bitmap_alloc(64);
    libxl_bitmap_set(d.b_info.cpumap, 5);
    setdefault(d);
    expect(d.b_info.vcpu_hard_affinity).toHaveLength(3);
    for (const m of d.b_info.vcpu_hard_affinity) expect([...m.map]).toEqual([0x20, 0, 0, 0, 0, 0, 0, 0]);
    expect(d.b_info.vcpu_hard_affinity[0]).not.toBe(d.b_info.vcpu_hard_affinity[1]);
    expect(d.b_info.cpumap.size).toBe(8);
  });

  it('PoD (target < max, not PV) with vNUMA, and PV with vNUMA, are ERROR_INVAL', () => {
    const vnode = { memkb: 65536, distances: [10], pnode: 0, vcpus: libxl_bitmap_alloc(1) };
    const pod = config(LIBXL_DOMAIN_TYPE.HVM, 65536);
    pod.b_info.target_memkb = 32768;
    pod.b_info.vnuma_nodes = [vnode];
    expect(rejects(pod)).toMatchObject({ code: 'ERROR_INVAL', message: 'Domain 7:Cannot enable PoD and vNUMA at the same time' });
    // target given, max unset: ~0ULL compares above any target, so this is PoD too.
    const half = config();
    half.b_info.target_memkb = 32768;
    half.b_info.vnuma_nodes = [vnode];
    expect(rejects(half).code).toBe('ERROR_INVAL');
    const pv = config(LIBXL_DOMAIN_TYPE.PV, 65536);
    pv.b_info.vnuma_nodes = [vnode];
    expect(rejects(pv)).toMatchObject({ code: 'ERROR_INVAL', message: 'Domain 7:PV vNUMA is not yet supported' });
  });

  it('an illegal pool, an invalid type and too big an avail_vcpus map', () => {
    const pool = config(LIBXL_DOMAIN_TYPE.HVM, 65536);
    pool.c_info.poolid = 3;
    pool.c_info.pool_name = 'other';
    expect(rejects(pool)).toMatchObject({ code: 'ERROR_INVAL', message: 'Domain 7:Illegal pool specified: other' });
    expect(rejects(config(LIBXL_DOMAIN_TYPE.INVALID, 65536))).toMatchObject({ code: 'ERROR_INVAL', message: 'invalid domain type' });
    const big = config(LIBXL_DOMAIN_TYPE.HVM, 65536);
    big.b_info.avail_vcpus = libxl_bitmap_alloc(129 * 8); // compared in bytes with HVM_MAX_VCPUS
    expect(rejects(big)).toMatchObject({ code: 'ERROR_FAIL', message: 'avail_vcpus bitmap contains too many VCPUS' });
    const ok = config(LIBXL_DOMAIN_TYPE.HVM, 65536);
    ok.b_info.avail_vcpus = libxl_bitmap_alloc(128 * 8);
    expect(() => setdefault(ok)).not.toThrow();
  });

  it('explicit values are kept; build_info_setdefault alone does not touch shadow for PVH', () => {
    const d = config(LIBXL_DOMAIN_TYPE.HVM, 65536);
    Object.assign(d.b_info, { max_vcpus: 4, event_channels: 50, claim_mode: true, numa_placement: false, shadow_memkb: 100, video_memkb: 9000 });
    setdefault(d);
    expect(d.b_info).toMatchObject({ max_vcpus: 4, event_channels: 50, claim_mode: true, numa_placement: false, shadow_memkb: 100, video_memkb: 9000 });
    const p = config(LIBXL_DOMAIN_TYPE.PVH, 65536);
    libxl__domain_build_info_setdefault(p, HOST);
    expect(p.b_info.shadow_memkb).toBe(LIBXL_MEMKB_DEFAULT);
  });
});

describe('libxl_bitmap_and', () => {
  it('is as large as the larger map; bits past the smaller one are clear', () => {
    const a = libxl_bitmap_alloc(16);
    const b = libxl_bitmap_alloc(8);
    for (const i of [1, 3, 9]) libxl_bitmap_set(a, i);
    for (const i of [3, 4]) libxl_bitmap_set(b, i);
    const r = libxl_bitmap_and(a, b);
    expect(r.size).toBe(2);
    expect([...r.map]).toEqual([1 << 3, 0]);
  });
});

describe('libxl__strtoul_u32', () => {
  it('reads decimal digits into a uint32_t: strtoul saturates at ULONG_MAX, then the store truncates', () => {
    expect(['', '0', '7', '4294967295', '4294967296', '4294967301', '18446744073709551615', '99999999999999999999999'].map(libxl__strtoul_u32)).toEqual([0, 0, 7, 0xffffffff, 0, 5, 0xffffffff, 0xffffffff]);
  });
});

describe('libxl_domid_valid_guest', () => {
  it('is 1 .. DOMID_FIRST_RESERVED - 1', () => {
    expect([0, 1, 0x7fef, 0x7ff0, 0x7ff5].map(libxl_domid_valid_guest)).toEqual([false, true, true, false, false]);
  });
});

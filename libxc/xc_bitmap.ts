// xc_cpumap_t / xc_nodemap_t: byte arrays, bit n in byte n/8, mask 1 << (n%8)
// (tools/libs/ctrl/xc_misc.c: xc_cpumap_setcpu, xc_cpumap_clearcpu, xc_cpumap_testcpu).
export type xc_cpumap_t = Uint8Array;
export type xc_nodemap_t = Uint8Array;

export function xc_cpumap_setcpu(cpu: number, map: Uint8Array): void {
  if (cpu >= 0 && cpu >> 3 < map.length) map[cpu >> 3]! |= 1 << (cpu & 7);
}

export function xc_cpumap_clearcpu(cpu: number, map: Uint8Array): void {
  if (cpu >= 0 && cpu >> 3 < map.length) map[cpu >> 3]! &= ~(1 << (cpu & 7));
}

export function xc_cpumap_testcpu(cpu: number, map: Uint8Array): boolean {
  return cpu >= 0 && cpu >> 3 < map.length && (map[cpu >> 3]! & (1 << (cpu & 7))) !== 0;
}

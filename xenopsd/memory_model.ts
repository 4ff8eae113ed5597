// xapi's domain memory model (xapi-project/xen-api ocaml/xapi-idl/memory/memory.ml: Memory_model and its
// HVM / Linux / PVinPVH data): what a domain is built with and what the host must have free for it.
// Values in MiB (or pages) as plain numbers; every input must be an integer in [0, MAX_MODEL_MIB] and the
// shadow multiplier finite in [0, MAX_SHADOW_MULTIPLIER], so int64 arithmetic stays exact in doubles.
import { InvalidArgument } from './topology.js';

/** Bound on MiB inputs: 2^40 MiB = 1 EiB. */
export const MAX_MODEL_MIB = 2 ** 40;
/** Bound on vCPUs. */
export const MAX_MODEL_VCPUS = 1 << 20;
/** Bound on the shadow multiplier (xapi's default is 1.0). */
export const MAX_SHADOW_MULTIPLIER = 1000;

export const BYTES_PER_PAGE = 4096;
export const PAGES_PER_MIB = 256;

/** Port of divide_rounding_up (memory.ml). */
function divideRoundingUp(n: number, d: number): number {
  return Math.floor((n + d - 1) / d);
}

/** Port of mib_of_pages_used: whole MiB needed for that many pages, rounding up. */
export const mib_of_pages_used = (pages: number): number => divideRoundingUp(pages, PAGES_PER_MIB);
/** Port of pages_of_bytes_used: whole pages needed for that many bytes, rounding up. */
export const pages_of_bytes_used = (bytes: number): number => divideRoundingUp(bytes, BYTES_PER_PAGE);
/** Port of pages_of_mib. */
export const pages_of_mib = (mib: number): number => mib * PAGES_PER_MIB;

/** Port of MEMORY_MODEL_DATA (memory.ml). */
export interface MemoryModelData {
  readonly extra_internal_mib: number;
  readonly extra_external_mib: number;
  readonly shim_mib: (static_max_mib: number) => number;
  readonly can_start_ballooned_down: boolean;
}

/** Port of HVM_memory_model_data. */
export const HVM_memory_model_data: MemoryModelData = { extra_internal_mib: 1, extra_external_mib: 1, shim_mib: () => 0, can_start_ballooned_down: true };
/** Port of Linux_memory_model_data (PV). */
export const Linux_memory_model_data: MemoryModelData = { extra_internal_mib: 0, extra_external_mib: 1, shim_mib: () => 0, can_start_ballooned_down: true };
/** Port of PVinPVH_memory_model_data: the shim costs 23 MiB + static_max/90 (integer division). */
export const PVinPVH_memory_model_data: MemoryModelData = {
  extra_internal_mib: 1,
  extra_external_mib: 1,
  shim_mib: (m) => 23 + Math.trunc(m / 90),
  can_start_ballooned_down: true,
};

/** Port of memory_config (memory.ml). */
export interface MemoryConfig {
  build_max_mib: number;
  build_start_mib: number;
  xen_max_mib: number;
  shadow_mib: number;
  required_host_free_mib: number;
  overhead_mib: number;
  build_claim_pages: number;
}

function checkMib(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > MAX_MODEL_MIB) throw new InvalidArgument(`Memory_model: ${what} must be an integer in [0, ${MAX_MODEL_MIB}] MiB: ${v}`);
}
function vcpuCount(v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > MAX_MODEL_VCPUS) throw new InvalidArgument(`Memory_model: vcpus must be an integer in [0, ${MAX_MODEL_VCPUS}]: ${v}`);
}
function multiplierOk(m: number): void {
  if (!Number.isFinite(m) || m < 0 || m > MAX_SHADOW_MULTIPLIER) throw new InvalidArgument(`Memory_model: shadow multiplier must be in [0, ${MAX_SHADOW_MULTIPLIER}]: ${m}`);
}

export interface MemoryModel {
  build_max_mib(static_max_mib: number, video_mib: number): number;
  build_start_mib(static_max_mib: number, target_mib: number, video_mib: number): number;
  xen_max_mib(static_max_mib: number): number;
  shadow_mib(static_max_mib: number, vcpus: number, multiplier: number): number;
  overhead_mib(static_max_mib: number, vcpus: number, multiplier: number): number;
  footprint_mib(target_mib: number, static_max_mib: number, vcpus: number, multiplier: number): number;
  full_config(static_max_mib: number, video_mib: number, target_mib: number, vcpus: number, shadow_multiplier: number): MemoryConfig;
  readonly shadow_multiplier_default: number;
}

/** Port of the Memory_model functor (memory.ml). Results may be negative where OCaml's are (target < video). */
export function Memory_model(D: MemoryModelData): MemoryModel {
  // Port of build_max_mib: static_max - video + shim.
  const build_max_mib = (static_max: number, video: number): number => {
    checkMib('static_max', static_max);
    checkMib('video', video);
    return static_max - video + D.shim_mib(static_max);
  };
  // Port of build_start_mib: target - video + shim(target) when the guest can start ballooned down.
  const build_start_mib = (static_max: number, target: number, video: number): number => {
    checkMib('target', target);
    checkMib('video', video);
    return D.can_start_ballooned_down ? target - video + D.shim_mib(target) : build_max_mib(static_max, video);
  };
  // Port of xen_max_mib: static_max + extra_internal + shim.
  const xen_max_mib = (static_max: number): number => {
    checkMib('static_max', static_max);
    return static_max + D.extra_internal_mib + D.shim_mib(static_max);
  };
  // Port of shadow_mib: mib_of_pages_used(256·vcpus + static_max + static_max) × multiplier, truncated, at least 1.
  const shadow_mib = (static_max: number, vcpus: number, multiplier: number): number => {
    checkMib('static_max', static_max);
    vcpuCount(vcpus);
    multiplierOk(multiplier);
    const total = mib_of_pages_used(256 * vcpus + static_max + static_max);
    return Math.max(1, Math.trunc(total * multiplier)); // Int64.of_float truncates toward zero
  };
  // Port of overhead_mib: extra_internal + extra_external + shadow + mib_of_pages_used(38·vcpus) (CA-423172) + shim.
  const overhead_mib = (static_max: number, vcpus: number, multiplier: number): number =>
    D.extra_internal_mib + D.extra_external_mib + shadow_mib(static_max, vcpus, multiplier) + mib_of_pages_used(38 * vcpus) + D.shim_mib(static_max);
  // Port of footprint_mib: target + overhead (this is required_host_free_mib).
  const footprint_mib = (target: number, static_max: number, vcpus: number, multiplier: number): number => {
    checkMib('target', target);
    return target + overhead_mib(static_max, vcpus, multiplier);
  };
  return {
    build_max_mib,
    build_start_mib,
    xen_max_mib,
    shadow_mib,
    overhead_mib,
    footprint_mib,
    shadow_multiplier_default: 1.0,
    // Port of full_config: build_claim_pages = pages_of_mib build_start_mib.
    full_config(static_max, video, target, vcpus, multiplier) {
      const start = build_start_mib(static_max, target, video);
      return {
        build_max_mib: build_max_mib(static_max, video),
        build_start_mib: start,
        xen_max_mib: xen_max_mib(static_max),
        shadow_mib: shadow_mib(static_max, vcpus, multiplier),
        required_host_free_mib: footprint_mib(target, static_max, vcpus, multiplier),
        overhead_mib: overhead_mib(static_max, vcpus, multiplier),
        build_claim_pages: pages_of_mib(start),
      };
    },
  };
}

/** Port of the HVM, Linux (PV) and PVinPVH instances of Memory_model. */
export const HVM = Memory_model(HVM_memory_model_data);
export const Linux = Memory_model(Linux_memory_model_data);
export const PVinPVH = Memory_model(PVinPVH_memory_model_data);

// The engine's view of xen/include/public/version.h (do_xen_version).
export { XENVER } from '../../proto/public/version.js';
export interface xen_compile_info {
  compiler: string;
  compile_by: string;
  compile_domain: string;
  compile_date: string;
}

/** What a XENVER_* sub-op wrote into the caller's buffer. */
export type XenVersionOut =
  | { kind: 'none' }
  | { kind: 'extraversion'; value: string }
  | { kind: 'compile_info'; value: xen_compile_info }
  | { kind: 'capabilities'; value: string }
  | { kind: 'changeset'; value: string }
  | { kind: 'platform_parameters'; virt_start: bigint }
  | { kind: 'commandline'; value: string }
  | { kind: 'build_id'; value: Uint8Array };

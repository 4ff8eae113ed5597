// do_xen_version (xen/common/kernel.c): the version strings of the emulated build.
import { neg } from './errno.js';
import { XENVER, type XenVersionOut, type xen_compile_info } from './public/version.js';
import { PAGE_SIZE } from './numa.js';

export const XEN_MAJOR = 4;
export const XEN_MINOR = 22;
export const XEN_EXTRAVERSION = '.0';

/** x86-64 capabilities as xen/arch/x86/setup.c: init_xen_cap_info builds them: PV 64-bit, no 32-bit
 *  PV (off on CET/FRED hardware), then HVM; each entry ends in a space, the last one too. */
export const XEN_CAPABILITIES = 'xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ';
/** HYPERVISOR_VIRT_START on x86-64. */
export const XEN_VIRT_START = 0xffff800000000000n;

/** Plausible build facts of an emulated build; fixed so that output is reproducible. */
export const XEN_COMPILE_INFO: xen_compile_info = {
  compiler: 'gcc (Debian 12.2.0-14+deb12u1) 12.2.0',
  compile_by: 'xenemu',
  compile_domain: 'xenemu.invalid',
  compile_date: 'Tue Nov 17 12:00:00 UTC 2026',
};
export const XEN_CHANGESET = 'xenemu emulated build';
/** A fixed 20-byte GNU build id (as sha1 build ids are). */
export const XEN_BUILD_ID = Uint8Array.from({ length: 20 }, (_, i) => (0x5e + i * 37) & 0xff);

export interface VersionResult {
  rc: number;
  out: XenVersionOut;
}

/** Port of do_xen_version for the sub-ops a toolstack reads; others answer -ENOSYS. */
export function do_xen_version(cmd: number, commandline: string): VersionResult {
  switch (cmd) {
    case XENVER.version:
      return { rc: (XEN_MAJOR << 16) | XEN_MINOR, out: { kind: 'none' } };
    case XENVER.extraversion:
      return { rc: 0, out: { kind: 'extraversion', value: XEN_EXTRAVERSION } };
    case XENVER.compile_info:
      return { rc: 0, out: { kind: 'compile_info', value: XEN_COMPILE_INFO } };
    case XENVER.capabilities:
      return { rc: 0, out: { kind: 'capabilities', value: XEN_CAPABILITIES } };
    case XENVER.changeset:
      return { rc: 0, out: { kind: 'changeset', value: XEN_CHANGESET } };
    case XENVER.platform_parameters:
      return { rc: 0, out: { kind: 'platform_parameters', virt_start: XEN_VIRT_START } };
    case XENVER.pagesize:
      return { rc: PAGE_SIZE, out: { kind: 'none' } };
    case XENVER.commandline:
      return { rc: 0, out: { kind: 'commandline', value: commandline } };
    case XENVER.build_id:
      return { rc: XEN_BUILD_ID.length, out: { kind: 'build_id', value: XEN_BUILD_ID } };
    default:
      return { rc: neg('ENOSYS'), out: { kind: 'none' } };
  }
}

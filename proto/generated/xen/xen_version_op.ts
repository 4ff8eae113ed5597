// Original file: proto/xen/version.proto

import type { xen_compile_info as _xen_xen_compile_info, xen_compile_info__Output as _xen_xen_compile_info__Output } from '../xen/xen_compile_info.js';
import type { xen_platform_parameters as _xen_xen_platform_parameters, xen_platform_parameters__Output as _xen_xen_platform_parameters__Output } from '../xen/xen_platform_parameters.js';

export interface xen_version_op {
  'cmd'?: (number);
  'extraversion'?: (string);
  'compile_info'?: (_xen_xen_compile_info | null);
  'capabilities'?: (string);
  'changeset'?: (string);
  'platform_parameters'?: (_xen_xen_platform_parameters | null);
  'commandline'?: (string);
  'build_id'?: (Buffer | Uint8Array | string);
  'arg'?: "extraversion"|"compile_info"|"capabilities"|"changeset"|"platform_parameters"|"commandline"|"build_id";
}

export interface xen_version_op__Output {
  'cmd': (number);
  'extraversion'?: (string);
  'compile_info'?: (_xen_xen_compile_info__Output | null);
  'capabilities'?: (string);
  'changeset'?: (string);
  'platform_parameters'?: (_xen_xen_platform_parameters__Output | null);
  'commandline'?: (string);
  'build_id'?: (Buffer);
  'arg'?: "extraversion"|"compile_info"|"capabilities"|"changeset"|"platform_parameters"|"commandline"|"build_id";
}

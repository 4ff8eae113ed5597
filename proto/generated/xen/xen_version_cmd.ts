// Original file: proto/xen/version.proto

export const xen_version_cmd = {
  XENVER_version: 'XENVER_version',
  XENVER_extraversion: 'XENVER_extraversion',
  XENVER_compile_info: 'XENVER_compile_info',
  XENVER_capabilities: 'XENVER_capabilities',
  XENVER_changeset: 'XENVER_changeset',
  XENVER_platform_parameters: 'XENVER_platform_parameters',
  XENVER_pagesize: 'XENVER_pagesize',
  XENVER_commandline: 'XENVER_commandline',
  XENVER_build_id: 'XENVER_build_id',
} as const;

export type xen_version_cmd =
  | 'XENVER_version'
  | 0
  | 'XENVER_extraversion'
  | 1
  | 'XENVER_compile_info'
  | 2
  | 'XENVER_capabilities'
  | 3
  | 'XENVER_changeset'
  | 4
  | 'XENVER_platform_parameters'
  | 5
  | 'XENVER_pagesize'
  | 7
  | 'XENVER_commandline'
  | 9
  | 'XENVER_build_id'
  | 10

export type xen_version_cmd__Output = typeof xen_version_cmd[keyof typeof xen_version_cmd]

// Constants of xen/include/public/version.h, shared by the hypervisor and the tools.
export const XENVER = {
  version: 0,
  extraversion: 1,
  compile_info: 2,
  capabilities: 3,
  changeset: 4,
  platform_parameters: 5,
  pagesize: 7,
  commandline: 9,
  build_id: 10,
} as const;

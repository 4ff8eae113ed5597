// Original file: proto/xen/version.proto


export interface xen_compile_info {
  'compiler'?: (string);
  'compile_by'?: (string);
  'compile_domain'?: (string);
  'compile_date'?: (string);
}

export interface xen_compile_info__Output {
  'compiler': (string);
  'compile_by': (string);
  'compile_domain': (string);
  'compile_date': (string);
}

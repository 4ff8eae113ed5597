// Original file: proto/xen/types.proto


export interface guest_handle_uint32 {
  'buf'?: (number)[];
}

export interface guest_handle_uint32__Output {
  'buf': (number)[];
}

// Original file: proto/xen/types.proto


export interface guest_handle_uint8 {
  'buf'?: (Buffer | Uint8Array | string);
}

export interface guest_handle_uint8__Output {
  'buf': (Buffer);
}

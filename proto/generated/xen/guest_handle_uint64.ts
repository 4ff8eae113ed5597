// Original file: proto/xen/types.proto

import type { Long } from '@grpc/proto-loader';

export interface guest_handle_uint64 {
  'buf'?: (number | string | Long)[];
}

export interface guest_handle_uint64__Output {
  'buf': (string)[];
}

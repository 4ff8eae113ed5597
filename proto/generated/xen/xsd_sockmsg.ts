// Original file: proto/xen/xenstore.proto


export interface xsd_sockmsg {
  'type'?: (number);
  'req_id'?: (number);
  'tx_id'?: (number);
  'payload'?: (Buffer | Uint8Array | string);
  'conn_id'?: (number);
}

export interface xsd_sockmsg__Output {
  'type': (number);
  'req_id': (number);
  'tx_id': (number);
  'payload': (Buffer);
  'conn_id': (number);
}

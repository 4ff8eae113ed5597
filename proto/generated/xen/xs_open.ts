// Original file: proto/xen/xenstore.proto


export interface xs_open {
}

export interface xs_open__Output {
}

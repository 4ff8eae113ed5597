// Typed identifiers: a GFN is not an MFN, a node is not a CPU (xen/include/public/xen.h).
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type DomId = Brand<number, 'DomId'>;
export type NodeId = Brand<number, 'NodeId'>;
export type CpuId = Brand<number, 'CpuId'>;
export type Mfn = Brand<number, 'Mfn'>;
export type Gfn = Brand<number, 'Gfn'>;

export const domid = (n: number): DomId => n as DomId;
export const nodeid = (n: number): NodeId => n as NodeId;
export const cpuid = (n: number): CpuId => n as CpuId;
export const mfn = (n: number): Mfn => n as Mfn;
export const gfn = (n: number): Gfn => n as Gfn;

// Reserved domain ids (xen/include/public/xen.h).
export const DOMID_FIRST_RESERVED = domid(0x7ff0);
export const DOMID_SELF = domid(0x7ff0);
export const DOMID_IO = domid(0x7ff1);
export const DOMID_XEN = domid(0x7ff2);
export const DOMID_COW = domid(0x7ff3);
export const DOMID_INVALID = domid(0x7ff4);
export const DOMID_ANY = domid(0x7ff5);
export const DOMID_IDLE = domid(0x7fff);

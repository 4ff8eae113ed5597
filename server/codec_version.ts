// xen_version_op between the wire and the engine.
import type { xen_version_op } from '../hypervisor/hypercall.js';
import type { xen_version_op as Wire, xen_version_op__Output as WireIn } from '../proto/generated/xen/xen_version_op.js';
import { str64 } from './codec.js';

export function versionIn(w: WireIn): xen_version_op {
  return { cmd: w.cmd, out: { kind: 'none' } };
}

export function versionOut(v: xen_version_op): Wire {
  const o = v.out;
  switch (o.kind) {
    case 'none':
      return { cmd: v.cmd };
    case 'platform_parameters':
      return { cmd: v.cmd, platform_parameters: { virt_start: str64(o.virt_start) } };
    case 'compile_info':
      return { cmd: v.cmd, compile_info: o.value };
    case 'build_id':
      return { cmd: v.cmd, build_id: Buffer.from(o.value) };
    default:
      return { cmd: v.cmd, [o.kind]: o.value };
  }
}

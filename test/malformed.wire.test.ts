// Bad input over the wire: each case gets a precise answer (a gRPC status for what is not a
// well-formed message, a Xen errno for what is), the server stays up, and the state is unchanged.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { xc_physinfo, type xc_physinfo_t } from '../libxc/xenctrl.js';
import { startHost, type Host } from './harness.js';
import { domctl, DOMCTL_V, multicall, physinfoReq, stream, sysctl, SYSCTL_V } from './wire.js';

describe('malformed and oversized requests', () => {
  let h: Host;
  let raw: grpc.Client;
  let before: xc_physinfo_t;
  beforeAll(async () => {
    h = await startHost('4node');
    raw = new grpc.Client(h.address, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 64 << 20 });
  });
  afterAll(async () => {
    raw.close();
    await h.close();
  });
  beforeEach(async () => {
    before = await xc_physinfo(h.xch);
  });

  /** The server still answers, and answers the same. */
  async function stillAlive(): Promise<void> {
    expect(await xc_physinfo(h.xch)).toEqual(before);
  }

  function rawCall(method: string, bytes: Buffer): Promise<grpc.ServiceError> {
    return new Promise((resolve, reject) =>
      raw.makeUnaryRequest(`/xen.Hypervisor/${method}`, (b: Buffer) => b, (b: Buffer) => b, bytes, (e) => (e ? resolve(e) : reject(new Error('call succeeded')))),
    );
  }

  it('bytes that are not a protobuf message: INVALID_ARGUMENT', async () => {
    const e = await rawCall('sysctl', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(e.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(e.details).toMatch(/^request does not decode as \/xen\.Hypervisor\/sysctl/);
    await stillAlive();
  });

  it('a message over 16 MiB: RESOURCE_EXHAUSTED', async () => {
    // field 1 (cmd) as varint, then an unknown length-delimited field 15 of 17 MiB.
    const big = Buffer.alloc(17 << 20);
    const header = Buffer.from([0x08, 0x03, 0x7a, 0x80, 0x80, 0x80, 0x88, 0x01]);
    const e = await rawCall('sysctl', Buffer.concat([header, big]));
    expect(e.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    await stillAlive();
  });

  it('a domid_t that does not fit 16 bits: INVALID_ARGUMENT, naming the field', async () => {
    await expect(domctl(h.xch.client, { cmd: 5, interface_version: DOMCTL_V, domain: 70000 })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "domctl.domain is 70000, which does not fit Xen's 16-bit field",
    });
    await expect(
      sysctl(h.xch.client, { cmd: 6, interface_version: SYSCTL_V, getdomaininfolist: { first_domain: 70000, max_domains: 1, buffer: {} } }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await stillAlive();
  });

  it('a payload that does not belong to its command: INVALID_ARGUMENT', async () => {
    await expect(sysctl(h.xch.client, { cmd: 3, interface_version: SYSCTL_V, numainfo: { num_nodes: 1 } })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "sysctl cmd 3: payload 'numainfo' does not belong to this command (expected 'physinfo')",
    });
    await expect(sysctl(h.xch.client, { cmd: 99, interface_version: SYSCTL_V, physinfo: {} })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(domctl(h.xch.client, { cmd: 5, interface_version: DOMCTL_V, domain: 0, max_mem: {} })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
    await stillAlive();
  });

  it('a multicall entry whose arguments are not for its op: INVALID_ARGUMENT, and nothing ran', async () => {
    await expect(
      multicall(h.xch.client, { call_list: [{ op: 35, sysctl: physinfoReq }, { op: 35, domctl: { cmd: 5, interface_version: DOMCTL_V } }] }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: "multicall entry op 35 carries 'domctl' arguments" });
    await stillAlive();
  });

  it('a multicall of more than 65536 entries: INVALID_ARGUMENT', async () => {
    const call_list = Array.from({ length: 65537 }, () => ({ op: 99 }));
    await expect(multicall(h.xch.client, { call_list })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: 'multicall of 65537 entries; at most 65536 are accepted',
    });
    await stillAlive();
  });

  it('a malformed entry ends a hypercall stream with INVALID_ARGUMENT after the good ones', async () => {
    await expect(stream(h.xch.client, [{ op: 35, sysctl: physinfoReq }, { op: 36, sysctl: physinfoReq }])).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
    await stillAlive();
  });
});

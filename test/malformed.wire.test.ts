// Bad input over the wire: what is not a well-formed message gets a gRPC status
// (INVALID_ARGUMENT, RESOURCE_EXHAUSTED), the server stays up, and nothing changed: after each
// case physinfo (free_pages included) and the domain list are exactly as before.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { xc_domain_create, xc_domain_getinfo_single, xc_domain_getinfolist, xc_physinfo, type xc_physinfo_t } from '../libxc/xenctrl.js';
import type { multicall_entry, multicall_entry__Output } from '../proto/generated/xen/multicall_entry.js';
import type { sysctl_ret__Output } from '../proto/generated/xen/sysctl_ret.js';
import { loadHypervisorPackage } from '../proto/load.js';
import { startHost, type Host } from './harness.js';
import { domctl, DOMCTL_V, multicall, physinfoReq, sysctl, SYSCTL_V } from './wire.js';

const LIMIT = 16 << 20; // MAX_MESSAGE_BYTES

/** A protobuf varint. */
function varint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** xen_sysctl { cmd 3, interface_version 0x16 } padded with an unknown field 15 to `size` bytes. */
function paddedPhysinfo(size: number): Buffer {
  const head = Buffer.from([0x08, 0x03, 0x10, SYSCTL_V]);
  // tag (1 byte) + length varint (4 bytes for lengths in [2^21, 2^28)) + body
  const body = size - head.length - 1 - 4;
  const len = varint(body);
  expect(len).toHaveLength(4);
  return Buffer.concat([head, Buffer.from([(15 << 3) | 2]), len, Buffer.alloc(body)]);
}

describe('malformed and oversized requests', () => {
  let h: Host;
  let raw: grpc.Client;
  let before: xc_physinfo_t;
  let domainsBefore: number[];
  const domains = async (): Promise<number[]> => (await xc_domain_getinfolist(h.xch, 0, 100)).map((d) => d.domain);

  beforeAll(async () => {
    h = await startHost('4node');
    // The raw client may send more than the server accepts, so the server's limit is what is tested.
    raw = new grpc.Client(h.address, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 64 << 20 });
  });
  afterAll(async () => {
    raw.close();
    await h.close();
  });
  beforeEach(async () => {
    before = await xc_physinfo(h.xch);
    domainsBefore = await domains();
  });

  /** The server still answers, and answers the same: no page and no domain changed hands. */
  async function stillAliveAndUnchanged(): Promise<void> {
    const now = await xc_physinfo(h.xch);
    expect(now.free_pages).toBe(before.free_pages);
    expect(now).toEqual(before);
    expect(await domains()).toEqual(domainsBefore);
  }

  function rawCall(method: string, bytes: Buffer): Promise<{ err: grpc.ServiceError | null; reply?: Buffer }> {
    return new Promise((resolve) =>
      raw.makeUnaryRequest(`/xen.Hypervisor/${method}`, (b: Buffer) => b, (b: Buffer) => b, bytes, (err, reply) => resolve({ err, ...(reply ? { reply } : {}) })),
    );
  }

  it('(a) bytes that are not a protobuf message: INVALID_ARGUMENT naming the method (tolerantService)', async () => {
    const bad = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]);
    for (const method of ['sysctl', 'domctl', 'multicall']) {
      const { err } = await rawCall(method, bad);
      expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(err?.details).toMatch(new RegExp(`^request does not decode as /xen\\.Hypervisor/${method}`));
    }
    await stillAliveAndUnchanged();
  });

  it('(a) a truncated message (a length past the end) is INVALID_ARGUMENT too', async () => {
    // field 16 (readconsole) length-delimited, claiming 100 bytes, with 1 present.
    const { err } = await rawCall('sysctl', Buffer.from([0x08, 0x01, 0x82, 0x01, 0x64, 0x00]));
    expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    await stillAliveAndUnchanged();
  });

  it('(b) a sysctl over 16 MiB: RESOURCE_EXHAUSTED (grpc.max_receive_message_length)', async () => {
    const { err } = await rawCall('sysctl', paddedPhysinfo(LIMIT + 1024));
    expect(err?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    await stillAliveAndUnchanged();
  });

  it('(b) a multicall_list of well-formed entries whose size passes 16 MiB: RESOURCE_EXHAUSTED, nothing ran', async () => {
    // ~1.4 million copies of multicall_entry { op: 36, domctl { cmd 4, interface_version 0x18,
    // domain 0 } }: the transport's size check answers before the entry-count limit is reached.
    const domctlBytes = Buffer.from([0x08, 0x04, 0x10, DOMCTL_V, 0x18, 0x00]);
    const entry = Buffer.concat([Buffer.from([0x08, 36, 0x1a, domctlBytes.length]), domctlBytes]);
    const item = Buffer.concat([Buffer.from([0x0a, entry.length]), entry]);
    const count = Math.ceil((LIMIT + 1) / item.length);
    const { err } = await rawCall('multicall', Buffer.alloc(count * item.length, item));
    expect(err?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    await stillAliveAndUnchanged();
  });

  it('(b) a sysctl of exactly 16 MiB is accepted: the limit is 16 MiB, not less', async () => {
    const { err, reply } = await rawCall('sysctl', paddedPhysinfo(LIMIT));
    expect(err).toBeNull();
    const decode = loadHypervisorPackage().proto.xen.Hypervisor.service.sysctl.responseDeserialize as (b: Buffer) => sysctl_ret__Output;
    const r = decode(reply!);
    expect(r.rc).toBe('0');
    expect(r.op!.physinfo!.free_pages).toBe(String(before.free_pages));
    await stillAliveAndUnchanged();
  });

  it("(c) a domid_t that does not fit 16 bits: INVALID_ARGUMENT naming the field", async () => {
    await expect(domctl(h.xch.client, { cmd: 5, interface_version: DOMCTL_V, domain: 70000, getdomaininfo: {} })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "domctl.domain is 70000, which does not fit Xen's 16-bit field",
    });
    // 65536 is the first value that does not fit; 65535 fits and is merely a missing domain.
    await expect(domctl(h.xch.client, { cmd: 5, interface_version: DOMCTL_V, domain: 65536 })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    expect((await domctl(h.xch.client, { cmd: 5, interface_version: DOMCTL_V, domain: 65535 })).rc).toBe('-3');
    await expect(
      sysctl(h.xch.client, { cmd: 6, interface_version: SYSCTL_V, getdomaininfolist: { first_domain: 70000, max_domains: 1, buffer: {} } }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "getdomaininfolist.first_domain is 70000, which does not fit Xen's 16-bit field",
    });
    await stillAliveAndUnchanged();
  });

  it('(c) a createdomain with a field past its width is refused before anything is created', async () => {
    await expect(
      domctl(h.xch.client, { cmd: 1, interface_version: DOMCTL_V, domain: 0x7ff5, createdomain: { max_vcpus: 1, altp2m_opts: 70000 } }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: "createdomain.altp2m_opts is 70000, which does not fit Xen's 16-bit field" });
    await expect(
      domctl(h.xch.client, { cmd: 1, interface_version: DOMCTL_V, domain: 70000, createdomain: { max_vcpus: 1 } }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(
      domctl(h.xch.client, { cmd: 1, interface_version: DOMCTL_V, domain: 0x7ff5, createdomain: { max_vcpus: 1, handle: Buffer.alloc(17) } }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'createdomain.handle is longer than 16 bytes' });
    await stillAliveAndUnchanged();
  });

  it('(c) a u8 field past 255 (readconsole.clear): INVALID_ARGUMENT', async () => {
    await expect(
      sysctl(h.xch.client, { cmd: 1, interface_version: SYSCTL_V, readconsole: { clear: 256, count: 10, buffer: {} } }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: "readconsole.clear is 256, which does not fit Xen's 8-bit field" });
    await stillAliveAndUnchanged();
  });

  it('(d) a payload that does not belong to its command: INVALID_ARGUMENT (cmd 3 with numainfo)', async () => {
    await expect(sysctl(h.xch.client, { cmd: 3, interface_version: SYSCTL_V, numainfo: { num_nodes: 1 } })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "sysctl cmd 3: payload 'numainfo' does not belong to this command (expected 'physinfo')",
    });
    // An unknown command takes no payload at all; a domctl payload must match too.
    await expect(sysctl(h.xch.client, { cmd: 99, interface_version: SYSCTL_V, physinfo: {} })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "sysctl cmd 99: payload 'physinfo' does not belong to this command",
    });
    await expect(domctl(h.xch.client, { cmd: 5, interface_version: DOMCTL_V, domain: 0, max_mem: {} })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
    // The same mismatch inside a multicall entry refuses the whole multicall.
    await expect(
      multicall(h.xch.client, { call_list: [{ op: 35, sysctl: physinfoReq }, { op: 35, sysctl: { cmd: 3, interface_version: SYSCTL_V, numainfo: {} } }] }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await stillAliveAndUnchanged();
  });

  it('(e) a multicall of 65537 entries is refused (INVALID_ARGUMENT or RESOURCE_EXHAUSTED); 65536 are run', async () => {
    const err = await multicall(h.xch.client, { call_list: Array.from({ length: 65537 }, () => ({ op: 99 })) }).then(
      () => null,
      (e: grpc.ServiceError) => e,
    );
    expect([grpc.status.INVALID_ARGUMENT, grpc.status.RESOURCE_EXHAUSTED]).toContain(err?.code);
    await stillAliveAndUnchanged();
    const ok = await multicall(h.xch.client, { call_list: Array.from({ length: 65536 }, () => ({ op: 99 })) });
    expect(ok.rc).toBe('0');
    expect(ok.call_list).toHaveLength(65536);
    expect(ok.call_list.every((e) => e.result === '-38')).toBe(true);
  });

  it('a malformed entry ends a hypercall stream with INVALID_ARGUMENT after the good ones were answered', async () => {
    const got: multicall_entry__Output[] = [];
    const err = await new Promise<grpc.ServiceError | null>((resolve) => {
      const call = h.xch.client.hypercall_stream();
      call.on('data', (e: multicall_entry__Output) => got.push(e));
      call.on('error', (e: grpc.ServiceError) => resolve(e));
      call.on('end', () => resolve(null));
      const entries: multicall_entry[] = [
        { op: 35, sysctl: physinfoReq },
        { op: 17, xen_version: { cmd: 7 } },
        { op: 36, sysctl: physinfoReq },
      ];
      for (const e of entries) call.write(e);
      call.end();
    });
    expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err?.details).toBe("multicall entry op 36 carries 'sysctl' arguments");
    expect(got.map((e) => [e.op, e.result])).toEqual([
      [35, '0'],
      [17, '4096'],
    ]);
    await stillAliveAndUnchanged();
  });

  it('entries sent after a malformed one on the same stream do not run', async () => {
    const d = await xc_domain_create(h.xch, 0x7ff5, { max_vcpus: 1 }); // created paused once
    before = await xc_physinfo(h.xch);
    domainsBefore = await domains();
    const err = await new Promise<grpc.ServiceError | null>((resolve) => {
      const call = h.xch.client.hypercall_stream();
      call.on('data', () => undefined);
      call.on('error', (e: grpc.ServiceError) => resolve(e));
      call.on('end', () => resolve(null));
      call.write({ op: 36, sysctl: physinfoReq });
      call.write({ op: 36, domctl: { cmd: 4, interface_version: DOMCTL_V, domain: d } }); // unpause
      call.end();
    });
    expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await xc_domain_getinfo_single(h.xch, d)).flags & 0x8).toBe(0x8); // XEN_DOMINF_paused: still paused
    await stillAliveAndUnchanged();
  });

  it('undecodable bytes on a hypercall stream: INVALID_ARGUMENT', async () => {
    const err = await new Promise<grpc.ServiceError | null>((resolve) => {
      const call = raw.makeBidiStreamRequest('/xen.Hypervisor/hypercall_stream', (b: Buffer) => b, (b: Buffer) => b);
      call.on('data', () => undefined);
      call.on('error', (e: grpc.ServiceError) => resolve(e));
      call.on('end', () => resolve(null));
      call.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
      call.end();
    });
    expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    await stillAliveAndUnchanged();
  });
});

import { BinaryWriter } from "cosmjs-types/binary";
import { Request } from "cosmjs-types/tendermint/abci/types";
import fc from "fast-check";

import {
  decodeVarint,
  encodeFrame,
  encodeFrames,
  encodeVarint,
  FrameDecoder,
  FramingError,
  varintLength,
} from "../../../src/baseapp/abci/framing";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("varint", () => {
  it("round-trips every safe integer and matches protobuf's uint64 encoding", () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(1000), fc.nat(), fc.maxSafeNat()), (n) => {
        const enc = encodeVarint(n);
        // Independent oracle: the protobuf writer used by cosmjs-types.
        expect(hex(enc)).toBe(hex(new BinaryWriter().uint64(BigInt(n)).finish()));
        expect(enc.length).toBe(varintLength(n));
        expect(decodeVarint(enc)).toEqual({ value: n, bytesRead: enc.length });
        // Decoding at an offset, with trailing bytes after the varint.
        const padded = new Uint8Array([0xff, ...enc, 0x01, 0x02]);
        expect(decodeVarint(padded, 1)).toEqual({ value: n, bytesRead: enc.length });
      }),
    );
  });

  it("reports 'need more' for every strict prefix of an encoding", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        const enc = encodeVarint(n);
        for (let i = 0; i < enc.length; i++) expect(decodeVarint(enc.subarray(0, i))).toBeNull();
      }),
    );
  });

  it("encodes known values", () => {
    expect(hex(encodeVarint(0))).toBe("00");
    expect(hex(encodeVarint(127))).toBe("7f");
    expect(hex(encodeVarint(128))).toBe("8001");
    expect(hex(encodeVarint(300))).toBe("ac02");
    expect(hex(encodeVarint(2 ** 32))).toBe("8080808010");
  });

  it("rejects overlong and oversized varints and bad inputs", () => {
    expect(() => decodeVarint(new Uint8Array(11).fill(0x80))).toThrow(FramingError);
    // 2^63 fits in 10 bytes but not in a safe integer.
    expect(() => decodeVarint(new BinaryWriter().uint64(2n ** 63n).finish())).toThrow(FramingError);
    expect(() => encodeVarint(-1)).toThrow(RangeError);
    expect(() => encodeVarint(1.5)).toThrow(RangeError);
    expect(() => encodeVarint(2 ** 53)).toThrow(RangeError);
  });
});

describe("FrameDecoder", () => {
  // A realistic stream: several different requests, one with a body big enough for a 2-byte prefix.
  const payloads: Uint8Array[] = [
    Request.encode(Request.fromPartial({ echo: { message: "hello" } })).finish(),
    Request.encode(Request.fromPartial({ flush: {} })).finish(),
    Request.encode(Request.fromPartial({ info: { version: "0.38.26", blockVersion: 11n } })).finish(),
    Request.encode(Request.fromPartial({ checkTx: { tx: new Uint8Array(300).fill(7) } })).finish(),
    new Uint8Array(0),
    Request.encode(Request.fromPartial({ checkTx: { tx: new Uint8Array([1, 2, 3]) } })).finish(),
  ];
  const stream = encodeFrames(payloads);
  const expected = payloads.map(hex);

  function decodeAll(chunks: Uint8Array[]): string[] {
    const d = new FrameDecoder();
    const out: string[] = [];
    for (const c of chunks) for (const f of d.push(c)) out.push(hex(f));
    expect(d.idle).toBe(true);
    return out;
  }

  it("decodes the stream delivered as one chunk", () => {
    expect(decodeAll([stream])).toEqual(expected);
  });

  it("decodes the stream delivered one byte at a time", () => {
    const chunks = Array.from(stream, (b) => new Uint8Array([b]));
    expect(decodeAll(chunks)).toEqual(expected);
  });

  it("decodes the stream split at every byte boundary", () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(decodeAll([stream.subarray(0, i), stream.subarray(i)])).toEqual(expected);
    }
  });

  it("decodes the stream split into arbitrary chunks", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 20 }), (cuts) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
        const chunks = points.slice(1).map((p, i) => stream.subarray(points[i], p));
        expect(decodeAll(chunks)).toEqual(expected);
      }),
    );
  });

  it("keeps a partial frame pending until it is complete", () => {
    const d = new FrameDecoder();
    const frame = encodeFrame(new Uint8Array([9, 8, 7]));
    expect(d.push(frame.subarray(0, 2))).toEqual([]);
    expect(d.idle).toBe(false);
    expect(d.push(frame.subarray(2)).map(hex)).toEqual(["090807"]);
    expect(d.idle).toBe(true);
  });

  it("rejects a frame over the size limit before buffering it", () => {
    const d = new FrameDecoder(1024);
    expect(() => d.push(encodeVarint(1025))).toThrow(/exceeds the limit/);
    // The decoder stays failed: the stream has lost synchronisation.
    expect(() => d.push(encodeFrame(new Uint8Array(1)))).toThrow(FramingError);
  });

  it("rejects a length prefix longer than 10 bytes even when split across chunks", () => {
    const d = new FrameDecoder();
    expect(d.push(new Uint8Array(6).fill(0x80))).toEqual([]);
    expect(() => d.push(new Uint8Array(6).fill(0x80))).toThrow(FramingError);
  });

  it("accepts the default 64 MiB limit but not one byte more", () => {
    expect(new FrameDecoder().push(encodeVarint(64 * 1024 * 1024))).toEqual([]);
    expect(() => new FrameDecoder().push(encodeVarint(64 * 1024 * 1024 + 1))).toThrow(FramingError);
  });
});

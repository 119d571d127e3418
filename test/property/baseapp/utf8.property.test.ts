/**
 * utf8() is TextEncoder's encoding for every string: ASCII fast path, long and non-ASCII strings, lone surrogates;
 * and the fast path of protobuf string decoding returns what cosmjs-types' decoder does.
 */
import fc from "fast-check";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { utf8Read } from "cosmjs-types/utf8";
import { utf8 } from "../../../src/baseapp/encoding";
import { installEncodingFastPath } from "../../../src/baseapp/perf";

const enc = new TextEncoder();

test("utf8 equals TextEncoder.encode", () => {
  for (const s of ["", "udcert", "a".repeat(64), "a".repeat(65), "é", "\u007f", "\u0080", "\ud800", "x\udfffy", "𝄞"]) expect(utf8(s)).toEqual(enc.encode(s));
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 40 }), fc.string({ unit: "binary", maxLength: 70 })), (s) => {
      expect(utf8(s)).toEqual(enc.encode(s));
    }),
    { numRuns: 3000 },
  );
});

describe("BinaryReader#string after installEncodingFastPath", () => {
  // The fast path must decode every input exactly as cosmjs-types' own decoder does: ASCII, other
  // UTF-8, invalid UTF-8 and the length bounds of the fast path (0 and 4,096 bytes).
  installEncodingFastPath();
  const readBack = (bytes: Uint8Array): string => {
    const framed = new BinaryWriter().bytes(bytes).finish();
    return new BinaryReader(framed).string();
  };

  test("installs the fast path", () => {
    expect(BinaryReader.prototype.string.name).toBe("readString");
  });

  test("equals utf8Read for any bytes", () => {
    const ascii = (n: number) => Uint8Array.from({ length: n }, (_, i) => 0x20 + (i % 90));
    for (const b of [new Uint8Array(0), ascii(1), ascii(4096), ascii(4097), Uint8Array.of(0x7f), Uint8Array.of(0x80), Uint8Array.of(0x61, 0xc3, 0xa9), Uint8Array.of(0xff, 0xfe), Uint8Array.of(0xf0, 0x9d, 0x84, 0x9e)]) {
      expect(readBack(b)).toBe(utf8Read(b, 0, b.length));
    }
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 120 }),
          fc.uint8Array({ min: 0, max: 0x7f, maxLength: 120 }),
          fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => enc.encode(s)),
        ),
        (b) => {
          expect(readBack(b)).toBe(utf8Read(b, 0, b.length));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

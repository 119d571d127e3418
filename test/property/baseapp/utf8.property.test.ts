/**
 * utf8() is TextEncoder's encoding for every string: ASCII fast path, long and non-ASCII strings, lone surrogates;
 * the fast path of protobuf string decoding returns what cosmjs-types' decoder does, and the native
 * path of string encoding writes what its encoder does.
 */
import fc from "fast-check";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { utf8Length, utf8Read, utf8Write } from "cosmjs-types/utf8";
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

describe("BinaryWriter#string after installEncodingFastPath", () => {
  // Long well-formed strings go to the native encoder; the bytes must be what cosmjs-types' own
  // encoder writes for every string, lone surrogates (which the native encoder would replace)
  // included, on both sides of the 64-character threshold.
  installEncodingFastPath();
  const cosmjsBytes = (s: string): Uint8Array => {
    const out = new Uint8Array(utf8Length(s));
    utf8Write(s, out, 0);
    return new BinaryWriter().bytes(out).finish();
  };
  const written = (s: string): Uint8Array => new BinaryWriter().string(s).finish();

  test("installs the fast path", () => {
    expect(BinaryWriter.prototype.string.name).toBe("writeString");
  });

  test("long strings take the native path and keep their bytes", () => {
    const long = JSON.stringify(Array.from({ length: 16 }, (_, i) => ({ candidate: `dcert1${"q".repeat(32)}${i}`, share: "62500000000000000" })));
    expect(long.length).toBeGreaterThan(1000);
    for (const s of [long, "a".repeat(64), "a".repeat(65), `${"é".repeat(40)}𝄞${"x".repeat(30)}`, `${"a".repeat(70)}\ud800`, `\udfff${"b".repeat(70)}`, "a".repeat(200_000)]) {
      expect(written(s)).toEqual(cosmjsBytes(s));
    }
    // Inside a message: the length prefix and the neighbouring fields stay in place.
    const w = new BinaryWriter();
    w.uint32(10).string(long).uint32(18).string("short").uint32(26).string(`${long}é`);
    const r = new BinaryReader(w.finish());
    expect([r.uint32(), r.string(), r.uint32(), r.string(), r.uint32(), r.string()]).toEqual([10, long, 18, "short", 26, `${long}é`]);
  });

  test("equals cosmjs-types' encoding for any string", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ minLength: 60, maxLength: 300 }),
          fc.string({ unit: "grapheme", minLength: 30, maxLength: 120 }),
          fc.string({ unit: "binary", minLength: 60, maxLength: 200 }),
          fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("\ud800", "\udc00", "𝄞")), { maxLength: 12 }).map((parts) => parts.join("")),
          // A long string with a lone surrogate somewhere: it must stay on cosmjs-types' loop.
          fc
            .tuple(fc.string({ minLength: 65, maxLength: 200 }), fc.nat(), fc.constantFrom("\ud800", "\udbff", "\udc00", "\udfff"))
            .map(([s, at, lone]) => `${s.slice(0, at % s.length)}${lone}${s.slice(at % s.length)}`),
        ),
        (s) => {
          expect(written(s)).toEqual(cosmjsBytes(s));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

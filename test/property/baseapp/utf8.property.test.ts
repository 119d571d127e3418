/** utf8() is TextEncoder's encoding for every string: ASCII fast path, long and non-ASCII strings, lone surrogates. */
import fc from "fast-check";
import { utf8 } from "../../../src/baseapp/encoding";

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

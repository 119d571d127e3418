import fc from "fast-check";

import { encodeReusing } from "../../../src/baseapp/encoding";
import { VoterRecord } from "../../../src/generated/dcert/v1/types";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

const entry = fc.record({ candidate: fc.string({ maxLength: 60 }), share: fc.bigInt({ min: 0n, max: 10n ** 18n }).map(String), contribution: fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String) });
const record = fc.record({ voter: fc.string({ maxLength: 60 }), power: fc.bigInt({ min: 0n, max: 10n ** 24n }).map(String), entries: fc.array(entry, { maxLength: 40 }) });

describe("encodeReusing", () => {
  test("gives encode().finish()'s bytes for any sequence of messages, the kept writer never leaking one into the next", () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (records) => {
        const outs = records.map((r) => encodeReusing(VoterRecord, r));
        // Compared after all encodes: an output must not share the writer's buffer.
        records.forEach((r, i) => expect(hex(outs[i]!)).toBe(hex(VoterRecord.encode(r).finish())));
      }),
      { numRuns: 100 },
    );
  });

  test("an encode that throws leaves the next one correct, as does a very large message", () => {
    const bad = { voter: "v", power: "1", entries: [null] } as unknown as VoterRecord;
    expect(() => encodeReusing(VoterRecord, bad)).toThrow();
    const small: VoterRecord = { voter: "dcert1voter", power: "5", entries: [{ candidate: "dcert1c", share: "1", contribution: "5" }] };
    expect(hex(encodeReusing(VoterRecord, small))).toBe(hex(VoterRecord.encode(small).finish()));
    const large: VoterRecord = { voter: "x".repeat(200_000), power: "1", entries: [] };
    expect(encodeReusing(VoterRecord, large).length).toBe(VoterRecord.encode(large).finish().length);
    expect(hex(encodeReusing(VoterRecord, small))).toBe(hex(VoterRecord.encode(small).finish()));
  });
});

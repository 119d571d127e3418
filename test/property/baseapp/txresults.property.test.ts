/**
 * The back-to-front encoder of the FinalizeBlock and CheckTx answers (src/baseapp/abci/txresults.ts)
 * against cosmjs-types' `Response.encode` (with the int64 fix the node installs): the same bytes
 * for any answer, strict readers accept them, and any other answer is left to the usual encoder.
 */
import fc from "fast-check";
import { Response, type Event, type ExecTxResult, type ResponseCheckTx, type ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";

import { encodeTxResultsResponse } from "../../../src/baseapp/abci/txresults";
import { installEncodingFastPath } from "../../../src/baseapp/perf";
import { readResponseStrictly } from "../../helpers/strict-proto";

const hex = (b: Uint8Array | undefined): string => (b === undefined ? "undefined" : Buffer.from(b).toString("hex"));

const U64 = (1n << 64n) - 1n;
/** Any int64 value and the edges of the varint's byte counts, negative ones included. */
const int64 = fc.oneof(
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  fc.constantFrom(0n, 1n, 127n, 128n, (1n << 31n) - 1n, 1n << 31n, (1n << 32n) - 1n, 1n << 32n, (1n << 35n) - 1n, 1n << 35n, (1n << 63n) - 1n, -1n, -(1n << 63n)),
);
const uint32 = fc.oneof(fc.nat({ max: 0xffff_ffff }), fc.constantFrom(0, 1, 127, 128, 16383, 16384, 0x1f_ffff, 0x20_0000, 0xfff_ffff, 0x1000_0000, 0xffff_ffff));
/**
 * Strings of every kind: ASCII, any UTF-16 (lone surrogates too), and long ones (past the native
 * writer's threshold of 64 code units: ASCII, any code point, and with lone surrogates).
 */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.string({ unit: anyUnit, maxLength: 12 }),
  fc.string({ minLength: 60, maxLength: 300 }),
  fc.string({ unit: "binary", minLength: 60, maxLength: 120 }),
  fc.string({ unit: anyUnit, minLength: 60, maxLength: 120 }),
  fc.constantFrom("", "transfer", "dcert1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9", "x".repeat(300)),
);
const bytes = fc.uint8Array({ maxLength: 40 });
const event: fc.Arbitrary<Event> = fc.record({
  type: text,
  attributes: fc.array(fc.record({ key: text, value: text, index: fc.boolean() }), { maxLength: 6 }),
});
const txResult: fc.Arbitrary<ExecTxResult> = fc.record({
  code: uint32,
  data: bytes,
  log: text,
  info: text,
  gasWanted: int64,
  gasUsed: int64,
  events: fc.array(event, { maxLength: 5 }),
  codespace: text,
});
const pubKey = fc.oneof(fc.record({ ed25519: fc.uint8Array({ minLength: 32, maxLength: 32 }) }), fc.record({ secp256k1: fc.uint8Array({ minLength: 33, maxLength: 33 }) }));
const finalizeBlock: fc.Arbitrary<ResponseFinalizeBlock> = fc.record(
  {
    events: fc.array(event, { maxLength: 4 }),
    txResults: fc.array(txResult, { maxLength: 8 }),
    validatorUpdates: fc.array(fc.record({ pubKey, power: int64 }), { maxLength: 3 }),
    consensusParamUpdates: fc.record({ block: fc.record({ maxBytes: int64, maxGas: int64 }) }, { requiredKeys: [] }),
    appHash: bytes,
  },
  { requiredKeys: ["events", "txResults", "validatorUpdates", "appHash"] },
);

beforeAll(() => installEncodingFastPath());

describe("encodeTxResultsResponse", () => {
  test("gives Response.encode's bytes for any FinalizeBlock answer, and strict readers accept them", () => {
    fc.assert(
      fc.property(finalizeBlock, (fb) => {
        const want = Response.encode({ finalizeBlock: fb }).finish();
        const got = encodeTxResultsResponse({ finalizeBlock: fb });
        expect(hex(got)).toBe(hex(want));
        expect(() => readResponseStrictly(got as Uint8Array, [2])).not.toThrow(); // ResponseFinalizeBlock.tx_results
        expect(Response.decode(got as Uint8Array).finalizeBlock?.txResults.length).toBe(fb.txResults.length);
      }),
      { numRuns: 3000 },
    );
  });

  test("gives Response.encode's bytes for any CheckTx answer", () => {
    fc.assert(
      fc.property(txResult, (r) => {
        const checkTx: ResponseCheckTx = r;
        expect(hex(encodeTxResultsResponse({ checkTx }))).toBe(hex(Response.encode({ checkTx }).finish()));
      }),
      { numRuns: 5000 },
    );
  });

  test("an answer larger than the kept buffer, then a small one, are both exact", () => {
    const attr = { key: "recipient", value: "é".repeat(70_000), index: true };
    const big: ResponseFinalizeBlock = {
      events: [],
      txResults: Array.from({ length: 130 }, (_, i) => ({ code: i, data: new Uint8Array(i), log: "", info: "", gasWanted: BigInt(i) << 40n, gasUsed: U64 >> 1n, events: [{ type: "transfer", attributes: [attr] }], codespace: "" })),
      validatorUpdates: [],
      appHash: new Uint8Array(32).fill(7),
    };
    const got = encodeTxResultsResponse({ finalizeBlock: big });
    expect(got!.length).toBeGreaterThan(16 << 20); // past the size the writer keeps
    expect(Buffer.from(got!).equals(Response.encode({ finalizeBlock: big }).finish())).toBe(true);
    const small: ResponseCheckTx = { code: 0, data: new Uint8Array(), log: "", info: "", gasWanted: 200_000n, gasUsed: 61_234n, events: [], codespace: "" };
    expect(hex(encodeTxResultsResponse({ checkTx: small }))).toBe(hex(Response.encode({ checkTx: small }).finish()));
  });

  test("leaves every other answer, and one with two cases set, to the usual encoder", () => {
    expect(encodeTxResultsResponse({ commit: { retainHeight: 0n } })).toBeUndefined();
    expect(encodeTxResultsResponse({ flush: {} })).toBeUndefined();
    const checkTx: ResponseCheckTx = { code: 0, data: new Uint8Array(), log: "", info: "", gasWanted: 1n, gasUsed: 1n, events: [], codespace: "" };
    expect(encodeTxResultsResponse({ checkTx, exception: { error: "x" } })).toBeUndefined();
    expect(encodeTxResultsResponse({ checkTx, finalizeBlock: undefined } as unknown as Response)).toBeUndefined(); // a second own property, even if undefined
  });

  test("throws on a malformed answer as the usual encoder does, and the next answer is still exact", () => {
    const bad = { events: [null], txResults: [], validatorUpdates: [], appHash: new Uint8Array() } as unknown as ResponseFinalizeBlock;
    expect(() => Response.encode({ finalizeBlock: bad }).finish()).toThrow(TypeError);
    expect(() => encodeTxResultsResponse({ finalizeBlock: bad })).toThrow(TypeError);
    const ok: ResponseFinalizeBlock = { events: [], txResults: [], validatorUpdates: [], appHash: new Uint8Array([1]) };
    expect(hex(encodeTxResultsResponse({ finalizeBlock: ok }))).toBe(hex(Response.encode({ finalizeBlock: ok }).finish()));
  });
});

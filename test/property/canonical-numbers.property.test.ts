/**
 * Issue 10, 6a: integers and decimals taken from the wire, amino/genesis JSON or config have one
 * spelling. Every parser accepts the canonical form of any value (and gives that value back) and
 * refuses every non-canonical spelling: leading zeros, a sign, surrounding or inner whitespace,
 * exponents, "-0".
 */
import fc from "fast-check";
import { ChainError } from "../../src/baseapp/errors";
import { isCanonicalUint, parseAmount, parseCanonicalDec, parseDecCoins } from "../../src/baseapp/coins";
import { decFromJson, decFromProto, decToJson, decToProto } from "../../src/x/staking/dec";
import { durationFromJson } from "../../src/x/staking/time";
import { formatDecimal, parseDecimal } from "../../src/x/dcert/electionator";
import { parseUint } from "../../src/x/dcert/keeper/params";
import { parseFraction } from "../../src/x/dcert/msg_server";
import { parseVoteEntries, requireCoin } from "../../src/x/dcert/validate";
import { addrString } from "../../src/x/auth/keeper";

const ONE = 10n ** 18n;
const CANDIDATE = addrString(new Uint8Array(20).fill(3));

/** Runs `f`; the result, or "refused" if it threw an Error (or returned null). */
function outcome<T>(f: () => T | null): T | "refused" {
  try {
    const v = f();
    return v === null ? "refused" : v;
  } catch (e) {
    if (e instanceof Error) return "refused";
    throw e;
  }
}

/** A registered chain error (what the parsers on the message path must throw). */
function registered(f: () => unknown): [string, number] | "accepted" {
  try {
    f();
    return "accepted";
  } catch (e) {
    if (e instanceof ChainError) return [e.codespace, e.code];
    throw e;
  }
}

const uint = fc.bigInt({ min: 0n, max: (1n << 200n) - 1n });
const fraction = fc.bigInt({ min: 1n, max: ONE });
const space = fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2003");

/** Non-canonical spellings of a canonical unsigned integer or decimal string `s`. */
function spoil(s: string): fc.Arbitrary<string> {
  const fixed = [`+${s}`, `${s}e0`, `0x${s}`, ...(s.length > 1 ? [`${s.slice(0, 1)}_${s.slice(1)}`, `${s.slice(0, 1)} ${s.slice(1)}`] : []), ...(s === "0" ? ["-0"] : [])];
  return fc.oneof(
    fc.integer({ min: 1, max: 3 }).map((n) => "0".repeat(n) + s),
    fc.constantFrom(...fixed),
    space.map((w) => `${w}${s}`),
    space.map((w) => `${s}${w}`),
  );
}

describe("canonical integers", () => {
  const parsers: [string, (s: string) => unknown][] = [
    ["coins.parseAmount", (s) => parseAmount(s)],
    ["keeper.parseUint", (s) => parseUint(s, "x")],
    ["staking decFromProto", (s) => decFromProto(s)],
    ["isCanonicalUint", (s) => (isCanonicalUint(s) ? BigInt(s) : null)],
  ];

  test.each(parsers)("%s: the canonical form round-trips", (_name, parse) => {
    fc.assert(fc.property(uint, (v) => outcome(() => parse(v.toString())) === v));
  });

  test.each(parsers)("%s: every non-canonical spelling is refused", (_name, parse) => {
    fc.assert(fc.property(uint.chain((v) => spoil(v.toString())), (s) => outcome(() => parse(s)) === "refused"));
  });

  test("decFromProto: signed values round-trip, negative zero is refused", () => {
    fc.assert(fc.property(fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }), (v) => decFromProto(decToProto(v)) === v));
    for (const s of ["-0", "-00", "+0", "-01"]) expect(outcome(() => decFromProto(s))).toBe("refused");
  });
});

describe("canonical decimals (text form)", () => {
  const parsers: [string, (s: string) => bigint | null][] = [
    ["electionator parseDecimal", (s) => parseDecimal(s)],
    ["coins.parseCanonicalDec", (s) => parseCanonicalDec(s)],
    ["staking decFromJson", (s) => decFromJson(s)],
    // ("1e0udcert" is the amount 1 of the denom "e0udcert": only a parse as udcert counts.)
    ["coins.parseDecCoins", (s) => parseDecCoins(`${s}udcert`).find((c) => c.denom === "udcert")?.amount ?? null],
  ];

  test.each(parsers)("%s: the canonical form round-trips (18 digits or trimmed)", (_name, parse) => {
    fc.assert(
      fc.property(uint, (v) => {
        const full = formatDecimal(v);
        const trimmed = full.replace(/\.?0+$/, "");
        return outcome(() => parse(full)) === v && outcome(() => parse(trimmed === "" ? "0" : trimmed)) === v && decToJson(v) === full;
      }),
    );
  });

  test.each(parsers)("%s: every non-canonical spelling is refused", (_name, parse) => {
    fc.assert(fc.property(uint.chain((v) => spoil(formatDecimal(v))), (s) => outcome(() => parse(s)) === "refused"));
    for (const s of [".5", "1.", "00.5", "0.5.1", "1.0000000000000000001", "", "-", "１"]) expect([s, outcome(() => parse(s))]).toEqual([s, "refused"]);
  });

  test("decFromJson: negative zero is refused, other negatives round-trip", () => {
    for (const s of ["-0", "-0.000000000000000000", "-00.5"]) expect(outcome(() => decFromJson(s))).toBe("refused");
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 1n << 200n }), (v) => decFromJson(decToJson(-v)) === -v));
  });
});

describe("on the message path: refusals are registered errors", () => {
  test("a vote share with a leading zero is refused (dcert:4), as any non-canonical share", () => {
    expect(registered(() => parseVoteEntries([{ candidate: CANDIDATE, share: "0500000000000000000" }]))).toEqual(["dcert", 4]);
    fc.assert(
      fc.property(fraction.chain((v) => spoil(v.toString())), (share) => {
        const r = registered(() => parseVoteEntries([{ candidate: CANDIDATE, share }]));
        return r !== "accepted" && r[0] === "dcert" && r[1] === 4;
      }),
    );
    fc.assert(fc.property(fraction, (v) => parseVoteEntries([{ candidate: CANDIDATE, share: v.toString() }])[0]?.share === v));
  });

  test("slash fractions (dcert:23) and dCERT coin amounts (dcert:6) are canonical", () => {
    fc.assert(
      fc.property(fraction.chain((v) => spoil(v.toString())), (s) => {
        const r = registered(() => parseFraction(s, "fraction"));
        return r !== "accepted" && r[1] === 23;
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1n << 200n }).chain((v) => spoil(v.toString())), (amount) => {
        const r = registered(() => requireCoin({ denom: "udcert", amount }, "amount"));
        return r !== "accepted" && r[1] === 6;
      }),
    );
    fc.assert(fc.property(fraction, (v) => parseFraction(v.toString(), "f") === v));
  });

  test("coin amounts are refused with sdk:10", () => {
    expect(registered(() => parseAmount("00001"))).toEqual(["sdk", 10]);
    expect(registered(() => parseDecCoins("00.25udcert"))).toEqual(["sdk", 10]);
  });

  test("durations in JSON (staking and gov params) are canonical", () => {
    expect(durationFromJson("1814400s")).toEqual({ seconds: 1_814_400n, nanos: 0 });
    expect(durationFromJson("1.5s")).toEqual({ seconds: 1n, nanos: 500_000_000 });
    for (const s of ["01s", "+1s", " 1s", "1 s", "1.s", "1e3s"]) expect([s, outcome(() => durationFromJson(s))]).toEqual([s, "refused"]);
  });
});

/**
 * The one parser of typed coin text (`parseCoinsText`, src/baseapp/coins.ts) behind both CLI
 * parsers: `dcertd tx`'s (src/cli/parse.ts) and the genesis commands' (src/cli/genesis.ts) give
 * exactly the coins and the messages of the two parsers they had before (kept here as models).
 */
import fc from "fast-check";
import { type Coin, parseCoinsText, validateDenom } from "../../../src/baseapp/coins";
import { DEFAULT_DENOM } from "../../../src/baseapp/tx/constants";
import { UsageError } from "../../../src/cli/args";
import { parseCoins as genesisCoins } from "../../../src/cli/genesis";
import { parseCoins as txCoins } from "../../../src/cli/parse";

/** src/cli/parse.ts's parseCoins before the unification. */
function txModel(text: string, what = "amount"): { denom: string; amount: string }[] {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (parts.length === 0) throw new UsageError(`${what} is empty; write coins like 1000000udcert`);
  const seen = new Set<string>();
  return parts.map((p) => {
    const m = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(p);
    if (m === null) throw new UsageError(`${what} "${p}" is not a coin; write an integer amount followed by the denom, like 1000000udcert`);
    const denom = m[2] as string;
    if (seen.has(denom)) throw new UsageError(`${what} names ${denom} twice`);
    seen.add(denom);
    return { denom, amount: BigInt(m[1] as string).toString() };
  });
}

/** src/cli/genesis.ts's parseCoins before the unification. */
function genesisModel(s: string): Coin[] {
  const out: Coin[] = [];
  for (const part of s.split(",")) {
    const m = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec(part.trim());
    if (m === null) throw new UsageError(`invalid coins ${JSON.stringify(s)}; expected e.g. 1000000${DEFAULT_DENOM}`);
    const denom = m[2] as string;
    try {
      validateDenom(denom);
    } catch {
      throw new UsageError(`invalid denom ${JSON.stringify(denom)}`);
    }
    const amount = BigInt(m[1] as string);
    if (amount <= 0n) throw new UsageError(`coin amounts must be positive, got ${part.trim()}`);
    if (out.some((c) => c.denom === denom)) throw new UsageError(`denom ${denom} appears twice in ${JSON.stringify(s)}`);
    out.push({ denom, amount });
  }
  return out;
}

function outcome<T>(f: () => T): T | ["usage", string] {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError) return ["usage", e.message];
    throw e;
  }
}

const chars = fc.constantFrom(..."0123456789aAbuZ/:._-, \t\u00a0+e".split(""));
const denom = fc.oneof(
  fc.constantFrom("udcert", "uatom", "ab", "a", "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", "x".repeat(128), "x".repeat(129)),
  fc.string({ unit: fc.constantFrom(..."aZ0/:._-".split("")), maxLength: 6 }).map((t) => `u${t}`),
);
const amount = fc.oneof(fc.constantFrom("0", "00", "007", "1", ""), fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String));
const entry = fc.oneof(fc.tuple(fc.constantFrom("", " ", "\t"), amount, denom, fc.constantFrom("", " ")).map((p) => p.join("")), fc.string({ unit: chars, maxLength: 8 }));
const text = fc.oneof(fc.array(entry, { maxLength: 4 }).map((es) => es.join(",")), fc.string({ unit: chars, maxLength: 20 }));

test("the tx commands' coin parser is unchanged", () => {
  fc.assert(
    fc.property(text, fc.constantFrom("amount", "--fees", "deposit"), (t, what) => {
      expect(outcome(() => txCoins(t, what))).toEqual(outcome(() => txModel(t, what)));
    }),
    { numRuns: 5000 },
  );
});

test("the genesis commands' coin parser is unchanged", () => {
  fc.assert(
    fc.property(text, (t) => {
      expect(outcome(() => genesisCoins(t))).toEqual(outcome(() => genesisModel(t)));
    }),
    { numRuns: 5000 },
  );
});

test("parseCoinsText gives back the coins it is shown, in order", () => {
  const coins = fc.uniqueArray(fc.record({ denom: fc.constantFrom("udcert", "uatom", "stake", "ibc/ABC", "a-b.c_d:e"), amount: fc.bigInt({ min: 0n, max: 10n ** 30n }) }), { selector: (c) => c.denom, minLength: 1, maxLength: 5 });
  fc.assert(
    fc.property(coins, fc.boolean(), (cs, spaced) => {
      const r = parseCoinsText(cs.map((c) => `${c.amount}${c.denom}`).join(spaced ? " , " : ","), { skipEmpty: false, allowZero: true });
      expect(r).toEqual({ ok: true, coins: cs });
    }),
  );
});

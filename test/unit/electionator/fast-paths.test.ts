/**
 * The engine's arithmetic and ordering fast paths agree with the plain bigint definitions: exact
 * contributions in doubles below 2^53, and the trees' numeric prefilter where Number() cannot tell
 * two tallies apart.
 */
import fc from "fast-check";
import { ONE, contributionOf } from "../../../src/x/dcert/electionator";
import { sortIds } from "../../../src/x/dcert/electionator/engine";
import { EntryPool, HI_WORD, LO_WORD, U64, U64_WORDS } from "../../../src/x/dcert/electionator/entry-pool";
import { Contributions, EXACT_POWER_LIMIT, ShareSum, contributionOfLimbs, limbQuotient } from "../../../src/x/dcert/electionator/vote";
import { accept, engine, memberSet, support } from "./helpers";

describe("Contributions (exact double arithmetic below 2^53)", () => {
  const c = new Contributions();
  const of = (power: bigint, share: bigint): bigint => {
    c.setPower(power);
    return c.of(share);
  };

  test("equals floor(power · share / ONE) for any power below 2^53 and share in [0, ONE]", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: EXACT_POWER_LIMIT - 1n }), fc.bigInt({ min: 0n, max: ONE }), (power, share) => {
        expect(of(power, share)).toBe(contributionOf(power, share));
      }),
      { numRuns: 20_000 },
    );
  });

  test("exact at the rounding boundaries: power · share just above and just below a multiple of ONE", () => {
    // Random cases almost never land where a lost carry changes the floor; these sit next to it.
    fc.assert(
      fc.property(
        // Small shares too: there the distance to the boundary is below what a lost carry is worth.
        fc.oneof(fc.bigInt({ min: 1n, max: ONE }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n })),
        fc.bigInt({ min: 1n, max: 1n << 52n }),
        (share, m) => {
          const p = (m * ONE + share - 1n) / share; // the least power with power · share ≥ m · ONE
          for (const power of [p - 1n, p, p + 1n]) {
            if (power < 0n || power >= EXACT_POWER_LIMIT) continue;
            expect(of(power, share)).toBe(contributionOf(power, share));
          }
        },
      ),
      { numRuns: 20_000 },
    );
  });

  test("the edges: largest power and share, limb boundaries, tiny shares", () => {
    const powers = [0n, 1n, 999_999n, 1_000_000n, 10n ** 12n - 1n, 10n ** 12n, EXACT_POWER_LIMIT - 1n, 9_007_000_000_000_000n];
    const shares = [0n, 1n, 999_999n, 1_000_000n, 10n ** 12n - 1n, 10n ** 12n, ONE / 3n, ONE - 1n, ONE, (1n << 32n) - 1n, 1n << 32n];
    for (const p of powers) for (const s of shares) expect(of(p, s)).toBe(contributionOf(p, s));
  });

  test("powers from 2^53 and shares outside [0, ONE] take the bigint path and still compute the definition", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: EXACT_POWER_LIMIT, max: (1n << 96n) - 1n }),
        fc.oneof(fc.bigInt({ min: 0n, max: ONE }), fc.bigInt({ min: ONE + 1n, max: 1n << 70n }), fc.bigInt({ min: -(1n << 70n), max: -1n })),
        (power, share) => {
          expect(of(power, share)).toBe(contributionOf(power, share));
          expect(of(5n, share)).toBe(contributionOf(5n, share));
        },
      ),
    );
  });

  test("limbQuotient is floor(x / 10^6) up to 2^53, next to every multiple it can miss", () => {
    const exact = (x: number): number => Number(BigInt(x) / 1_000_000n);
    const top = Math.floor((2 ** 53 - 1) / 1_000_000);
    for (const k of [0, 1, 2 ** 20, 2 ** 33 - 1, 2 ** 33, 2 ** 33 + 1, top - 1, top]) {
      for (const x of [k * 1_000_000 - 1, k * 1_000_000, k * 1_000_000 + 1, k * 1_000_000 + 999_999]) {
        if (x >= 0 && x < 2 ** 53) expect(limbQuotient(x)).toBe(exact(x));
      }
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: top }), fc.integer({ min: -1, max: 1_000_000 }), (k, r) => {
        const x = k * 1_000_000 + r;
        if (x >= 0 && x < 2 ** 53) expect(limbQuotient(x)).toBe(exact(x));
      }),
      { numRuns: 20_000 },
    );
  });

  test("contributionOfLimbs refuses shares from 2^60 (they would not stay exact)", () => {
    expect(contributionOfLimbs(1, 0, 0, 1n << 60n)).toBe(-1);
    expect(contributionOfLimbs(1, 0, 0, (1n << 64n) - 1n)).toBe(-1);
    expect(contributionOfLimbs(0, 0, 1, ONE)).toBe(10 ** 12);
  });
});

describe("the engine's word paths (a share's words, a contribution as a double)", () => {
  test("ofWords of a share's 32-bit words equals the definition below 2^53, and is -1 above", () => {
    const c = new Contributions();
    const sum = new ShareSum();
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 96n) - 1n }), fc.bigInt({ min: 1n, max: ONE }), (power, share) => {
        sum.reset();
        expect(sum.add(share)).toBe(true);
        const exact = (c.setPower(power), c.ofWords(U64_WORDS[HI_WORD]!, U64_WORDS[LO_WORD]!));
        if (power < EXACT_POWER_LIMIT) expect(BigInt(exact)).toBe(contributionOf(power, share));
        else expect(exact).toBe(-1);
      }),
      { numRuns: 20_000 },
    );
    sum.reset();
    expect(sum.add(ONE + 1n)).toBe(false);
    expect(sum.exceedsOne()).toBe(true);
  });

  test("a slot's share and contribution read back as written, through either writer", () => {
    const pool = new EntryPool();
    const blocks = pool.blocksFor(4);
    const k = pool.alloc(4, 0) + 1;
    const exact = fc.oneof(
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.constantFrom(0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 52, Number.MAX_SAFE_INTEGER),
    );
    fc.assert(
      fc.property(exact, fc.bigInt({ min: 0n, max: ONE }), fc.integer({ min: 0, max: 0xffffffff }), (c, share, id) => {
        blocks.setContribution(k, (1n << 95n) + 7n); // a value with every word set, overwritten below
        blocks.setContributionExact(k, c);
        expect(blocks.contribution(k)).toBe(BigInt(c));
        const words = [blocks.contributionWord0(k), blocks.contributionWord1(k), blocks.contributionWord2(k)];
        expect(BigInt(words[0]!) + (BigInt(words[1]!) << 32n) + (BigInt(words[2]!) << 64n)).toBe(BigInt(c));
        U64[0] = share;
        blocks.setShareWords(k, U64_WORDS[HI_WORD]!, U64_WORDS[LO_WORD]!);
        blocks.setCandidate(k, id);
        expect([blocks.share(k), blocks.candidate(k)]).toEqual([share, id]);
        // The neighbours are untouched.
        expect([blocks.share(k - 1), blocks.contribution(k - 1), blocks.candidate(k + 1)]).toEqual([0n, 0n, 0]);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe("ShareSum", () => {
  test("says whether positive shares add up to more than ONE, as the bigint sum does", () => {
    const share = fc.oneof(
      { weight: 6, arbitrary: fc.bigInt({ min: 1n, max: ONE }) },
      { weight: 3, arbitrary: fc.constantFrom(1n, ONE / 2n, ONE / 3n, ONE / 16n, ONE - 1n, ONE, (1n << 32n) - 1n, 1n << 32n) },
      { weight: 1, arbitrary: fc.bigInt({ min: ONE + 1n, max: 1n << 80n }) },
    );
    const sum = new ShareSum();
    fc.assert(
      fc.property(fc.array(share, { maxLength: 40 }), (shares) => {
        sum.reset();
        for (const s of shares) sum.add(s);
        expect(sum.exceedsOne()).toBe(shares.reduce((a, b) => a + b, 0n) > ONE);
      }),
      { numRuns: 5_000 },
    );
  });

  test("exactly ONE is not above it; one unit more is", () => {
    const sum = new ShareSum();
    for (const s of [ONE / 2n, ONE / 4n, ONE / 4n]) sum.add(s);
    expect(sum.exceedsOne()).toBe(false);
    sum.add(1n);
    expect(sum.exceedsOne()).toBe(true);
  });
});

describe("tree order where Number() rounds tallies together", () => {
  test("a tally one unit higher wins a seat although both convert to the same number", () => {
    const base = 1n << 60n;
    expect(Number(base + 1n)).toBe(Number(base));
    const e = engine({ maxMembers: 1 });
    // "a" accepted first: on equal tallies it would win; "b" has one unit more.
    accept(e, "a", "b");
    support(e, "a", base);
    support(e, "b", base + 1n);
    e.endBlock(1n);
    expect(memberSet(e)).toEqual(["b"]);
    // Now "a" gets two units more than "b": it outranks and takes the seat.
    support(e, "a", base + 3n);
    e.endBlock(2n);
    expect(memberSet(e)).toEqual(["a"]);
    expect(e.checkInvariants()).toEqual([]);
  });

  test("the member kicked first is the lower of two tallies that round to the same number", () => {
    const base = (1n << 70n) + 12_345n;
    expect(Number(base + 2n)).toBe(Number(base));
    const e = engine({ maxMembers: 2 });
    accept(e, "a", "b", "c");
    support(e, "a", base + 2n);
    support(e, "b", base);
    e.endBlock(1n);
    expect(memberSet(e)).toEqual(["a", "b"]);
    support(e, "c", base + 1n);
    const decisions = e.endBlock(2n);
    expect(memberSet(e)).toEqual(["a", "c"]);
    expect(decisions.find((d) => d.kind === "kicked")).toMatchObject({ address: "b" });
    expect(e.checkInvariants()).toEqual([]);
  });
});

describe("sortIds (the trees' rebuild order)", () => {
  test("gives the comparator's order for any ids and keys, ties and near-ties included", () => {
    const key = fc.oneof(
      fc.constantFrom(0n, 1n, 2n, 1n << 53n, (1n << 53n) + 1n, (1n << 60n) + 3n, (1n << 60n) + 4n),
      fc.bigInt({ min: 0n, max: 1n << 100n }),
      fc.bigInt({ min: 0n, max: 40n }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(3_000_000), { minLength: 0, maxLength: 300 }),
        fc.array(key, { minLength: 300, maxLength: 300 }),
        fc.boolean(),
        (ids, keys, desc) => {
          const exact = new Map<number, bigint>(ids.map((id, i) => [id, keys[i]!]));
          const approx: number[] = [];
          for (const id of ids) approx[id] = Number(exact.get(id)!);
          // A total order: the key (descending or ascending), then the id.
          const cmp = (a: number, b: number): number => {
            const x = exact.get(a)!;
            const y = exact.get(b)!;
            if (x !== y) return (x > y) === desc ? -1 : 1;
            return a - b;
          };
          const want = [...ids].sort(cmp);
          const got = [...ids];
          sortIds(got, approx, desc, cmp);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  test("numbers that are not tallies (negative) fall back to the comparator's sort", () => {
    const approx = [5, -1, 3, -7, 0];
    const cmp = (a: number, b: number): number => approx[b]! - approx[a]! || a - b;
    const ids = [0, 1, 2, 3, 4];
    sortIds(ids, approx, true, cmp);
    expect(ids).toEqual([0, 2, 4, 1, 3]);
  });
});

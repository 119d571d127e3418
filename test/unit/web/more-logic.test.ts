/**
 * The logic behind the web app's broken-routes, governance, cases and readiness views: typed
 * event parsing (the cited case), proposal classification, tally and readiness arithmetic, case
 * ids from the address and the chain errors shown.
 */
import fc from "fast-check";
import { EventCircuitBroken } from "../../../src/generated/dcert/v1/events";
import { typedEventAttributes } from "../../../src/baseapp/typedevents";
import {
  ackCounts,
  citedCase,
  describeError,
  exceeds,
  formatBps,
  parseCaseId,
  parseCircuitBroken,
  proposalKinds,
  ratioBps,
  tallyShares,
  type ChainEvent,
} from "../../../web/src/more/logic";

const U64_MAX = 0xffffffffffffffffn;

/** The event exactly as the chain emits it (same encoder as the circuit breaker). */
function chainEvent(b: { member: string; routes: string[]; reason: string; caseId: bigint }): ChainEvent {
  return {
    type: "dcert.v1.EventCircuitBroken",
    attributes: typedEventAttributes(EventCircuitBroken, b).map(([key, value]) => ({ key, value })),
  };
}

const breakArb = fc.record({
  member: fc.string(),
  routes: fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 }),
  reason: fc.string(),
  caseId: fc.bigInt({ min: 0n, max: U64_MAX }),
});

describe("parseCircuitBroken", () => {
  it("reads back every field of the event the chain emits", () => {
    fc.assert(
      fc.property(breakArb, (b) => {
        expect(parseCircuitBroken(chainEvent(b))).toEqual(b);
      }),
    );
  });

  it("never throws on arbitrary attributes, and ignores other event types", () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.record({ key: fc.constantFrom("member", "routes", "reason", "case_id", "x"), value: fc.string() })), (type, attributes) => {
        const got = parseCircuitBroken({ type, attributes });
        if (type !== "dcert.v1.EventCircuitBroken") expect(got).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.constantFrom("member", "routes", "reason", "case_id"), value: fc.json() })), (attributes) => {
        const got = parseCircuitBroken({ type: "dcert.v1.EventCircuitBroken", attributes });
        if (got !== undefined) {
          expect(typeof got.member).toBe("string");
          expect(got.routes.every((r) => typeof r === "string")).toBe(true);
          expect(got.caseId >= 0n && got.caseId <= U64_MAX).toBe(true);
        }
      }),
    );
  });

  it("refuses a case id that is not a uint64", () => {
    const e = chainEvent({ member: "m", routes: ["/a.B"], reason: "", caseId: 1n });
    const withCase = (v: string): ChainEvent => ({ ...e, attributes: e.attributes.map((a) => (a.key === "case_id" ? { key: a.key, value: v } : a)) });
    expect(parseCircuitBroken(withCase('"18446744073709551616"'))).toBeUndefined();
    expect(parseCircuitBroken(withCase('"-1"'))).toBeUndefined();
    expect(parseCircuitBroken(withCase('"1.5"'))).toBeUndefined();
    expect(parseCircuitBroken(withCase('"7"'))?.caseId).toBe(7n);
  });
});

describe("citedCase", () => {
  it("finds the case of the break by that member of that route, and only that", () => {
    const events = [
      { type: "message", attributes: [{ key: "action", value: "/dcert.v1.MsgCircuitBreak" }] },
      chainEvent({ member: "alice", routes: ["/cosmos.bank.v1beta1.MsgSend"], reason: "bug", caseId: 0n }),
      chainEvent({ member: "bob", routes: ["/cosmos.bank.v1beta1.*", "/cosmos.gov.v1.MsgVote"], reason: "bug", caseId: 4n }),
    ];
    expect(citedCase(events, "/cosmos.gov.v1.MsgVote", "bob")).toBe(4n);
    expect(citedCase(events, "/cosmos.bank.v1beta1.*", "bob")).toBe(4n);
    expect(citedCase(events, "/cosmos.bank.v1beta1.MsgSend", "alice")).toBe(0n);
    expect(citedCase(events, "/cosmos.gov.v1.MsgVote", "alice")).toBe(0n);
    expect(citedCase([], "/x", "bob")).toBe(0n);
  });
});

describe("proposalKinds", () => {
  it("classifies by type URL: disband, slash, params; other messages do not count", () => {
    expect(proposalKinds(["/dcert.v1.MsgDisbandGroup"])).toEqual(["disband"]);
    expect(proposalKinds(["/dcert.v1.MsgSlashMember", "/dcert.v1.MsgUpdateParams", "/cosmos.bank.v1beta1.MsgSend"])).toEqual(["params", "slash"]);
    expect(proposalKinds(["/cosmos.gov.v1.MsgUpdateParams", "/coord.v1.MsgUpdateParams"])).toEqual([]);
    expect(proposalKinds(["/dcert.v1.MsgReinstateMember", "/dcert.v1.MsgReestablishGroup"])).toEqual(["reestablish", "reinstate"]);
    expect(proposalKinds(["/dcert.v1.MsgSomethingNew"])).toEqual(["other dCERT"]);
    expect(proposalKinds([])).toEqual([]);
    expect(proposalKinds(["toString", "__proto__", "constructor"])).toEqual([]);
  });

  it("is empty exactly when no URL is under /dcert.v1.", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.string().map((s) => `/dcert.v1.${s}`))), (urls) => {
        expect(proposalKinds(urls).length === 0).toBe(!urls.some((u) => u.startsWith("/dcert.v1.")));
      }),
    );
  });
});

describe("tally arithmetic", () => {
  const power = fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String);
  const tallyArb = fc.record({ yesCount: power, noCount: power, noWithVetoCount: power, abstainCount: power });

  it("shares are floored basis points of the total: each within 1 bp of exact, summing to at most 10 000", () => {
    fc.assert(
      fc.property(tallyArb, (t) => {
        const { total, bps } = tallyShares(t);
        const values = [BigInt(t.yesCount), BigInt(t.noCount), BigInt(t.noWithVetoCount), BigInt(t.abstainCount)];
        expect(total).toBe(values.reduce((a, b) => a + b, 0n));
        const shares = [bps.yesCount, bps.noCount, bps.noWithVetoCount, bps.abstainCount];
        const sum = shares.reduce((a, b) => a + b, 0);
        expect(sum).toBeLessThanOrEqual(10_000);
        if (total === 0n) expect(sum).toBe(0);
        else {
          expect(sum).toBeGreaterThan(10_000 - 4);
          shares.forEach((s, i) => {
            // s ≤ v/total·10⁴ < s + 1
            expect(BigInt(s) * total <= values[i]! * 10_000n).toBe(true);
            expect(BigInt(s + 1) * total > values[i]! * 10_000n).toBe(true);
          });
        }
      }),
    );
  });

  it("a 50/25/25 split reads as such; malformed counts count as zero", () => {
    const { bps } = tallyShares({ yesCount: "50", noCount: "25", noWithVetoCount: "0", abstainCount: "25" });
    expect([formatBps(bps.yesCount), formatBps(bps.noCount), formatBps(bps.abstainCount)]).toEqual(["50.00%", "25.00%", "25.00%"]);
    expect(tallyShares({ yesCount: "-3", noCount: "x", noWithVetoCount: "", abstainCount: "1" }).bps.abstainCount).toBe(10_000);
  });

  it("formatBps writes two decimals", () => {
    expect(formatBps(0)).toBe("0.00%");
    expect(formatBps(5)).toBe("0.05%");
    expect(formatBps(3333)).toBe("33.33%");
    expect(formatBps(10_000)).toBe("100.00%");
  });
});

describe("readiness arithmetic", () => {
  const big = fc.bigInt({ min: -5n, max: 10n ** 24n });
  it("ratioBps is floored, clamped to [0, 10 000] and monotone in the part", () => {
    fc.assert(
      fc.property(big, big, big, (a, b, total) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const r = ratioBps(lo, total);
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(10_000);
        expect(r).toBeLessThanOrEqual(ratioBps(hi, total));
        if (total > 0n && lo >= 0n && lo <= total) expect(BigInt(r) * total <= lo * 10_000n && BigInt(r + 1) * total > lo * 10_000n).toBe(true);
      }),
    );
  });

  it("thresholds are strict, as the chain's (ready > 2/3 total)", () => {
    expect(exceeds(2n, 3n, 2n, 3n)).toBe(false);
    expect(exceeds(3n, 4n, 2n, 3n)).toBe(true);
    expect(exceeds(1n, 3n, 1n, 3n)).toBe(false);
    expect(exceeds(34n, 100n, 1n, 3n)).toBe(true);
  });
});

describe("parseCaseId", () => {
  it("accepts every uint64 from 1 written in decimal", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: U64_MAX }), (id) => {
        expect(parseCaseId(String(id))).toEqual({ id });
      }),
    );
  });

  it("refuses anything else with a message, never throwing", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseCaseId(s);
        if ("id" in r) expect(r.id >= 1n && r.id <= U64_MAX && BigInt(s.trim()) === r.id).toBe(true);
        else expect(r.error.length).toBeGreaterThan(0);
      }),
    );
    for (const bad of [undefined, "", "0", "-1", "1e3", "0x10", "18446744073709551616", "abc"]) expect("error" in parseCaseId(bad)).toBe(true);
  });
});

describe("ackCounts", () => {
  it("counts contacted parties and acknowledgements", () => {
    expect(
      ackCounts([
        { firstNoticeId: 1n, ackHeight: 10n },
        { firstNoticeId: 2n, ackHeight: 0n },
        { firstNoticeId: 0n, ackHeight: 0n },
      ]),
    ).toEqual({ contacted: 2, acknowledged: 1 });
  });
});

describe("describeError", () => {
  it("shows the registered code and a hint", () => {
    const e = describeError(new Error("failed to execute message; coord:37: case 9 is closed"));
    expect(e.code).toBe("coord:37");
    expect(e.hint).toMatch(/case/);
    const q = describeError(new Error("Query failed with (6): no upgrade plan is scheduled"));
    expect(q.code).toBeUndefined();
    expect(q.message).toBe("The node refused the query (code 6): no upgrade plan is scheduled");
    expect(describeError(new Error("[dcert:12] not a member")).code).toBe("dcert:12");
    for (const net of ["fetch failed: connect ECONNREFUSED 127.0.0.1:26657", "cannot reach http://localhost:26657", "ws://node.example:1317 closed"]) {
      const n = describeError(new Error(net));
      expect(n.code).toBeUndefined();
      expect(n.hint).toMatch(/cannot be reached|retry/);
    }
    const plain = describeError("boom");
    expect(plain.code).toBeUndefined();
    expect(plain.message).toBe("boom");
    expect(plain.hint.length).toBeGreaterThan(0);
  });
});

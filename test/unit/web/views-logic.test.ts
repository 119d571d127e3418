/**
 * The web views' logic: a member's history parsed from typed events (attribute values are protobuf
 * JSON), the gap to the lowest seat, bonds per member, the block time, and the charts' columns
 * (tally by rank with the seat line, membership samples, a delegator's split in basis points).
 */
import fc from "fast-check";
// web/ is an ES module package (web/package.json "type": "module") and these tests are CommonJS:
// the types come from ESM type imports, the code from Jest's require (swc compiles the modules).
import type * as DataModule from "../../../web/src/charts/data.js" with { "resolution-mode": "import" };
import type * as ElectionModule from "../../../web/src/views/election.js" with { "resolution-mode": "import" };
import type * as HistoryModule from "../../../web/src/views/history.js" with { "resolution-mode": "import" };
import type { ChainEvent } from "../../../web/src/views/history.js" with { "resolution-mode": "import" };
import type { MembershipSample } from "../../../web/src/charts/data.js" with { "resolution-mode": "import" };

const { addSample, splitSlices, tallyColumns } = jest.requireActual<typeof DataModule>("../../../web/src/charts/data");
const { averageBlockSeconds, bondsByMember, describeGap, seatGap, totalTally } = jest.requireActual<typeof ElectionModule>("../../../web/src/views/election");
const { attributeValue, historyFromEvents, historyQuery, mergeHistory } = jest.requireActual<typeof HistoryModule>("../../../web/src/views/history");

const A = "dcert1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const B = "dcert1bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const ONE = 10n ** 18n;

/** A typed event as the chain emits it: each value the field's JSON. */
function typed(type: string, fields: Record<string, unknown>): ChainEvent {
  return { type: `dcert.v1.${type}`, attributes: Object.entries(fields).map(([key, v]) => ({ key, value: JSON.stringify(v) })) };
}

describe("member history from events", () => {
  it("reads seats, suspensions, slashes and reinstatements about the address only", () => {
    const events = [
      typed("EventMemberAdmitted", { member: A, sequence: "3", tally: "500" }),
      typed("EventMemberAdmitted", { member: B, sequence: "4", tally: "400" }),
      typed("EventMemberRemoved", { member: A, sequence: "3", tally: "10", reason: "outranked", replaced_by: B }),
      typed("EventSuspensionVote", { voter: B, target: A, reason: "offline", yes_votes: 1, needed: 2 }),
      typed("EventMemberSuspended", { member: A, yes_votes: 2, needed: 2 }),
      typed("EventMemberSlashed", { member: A, fraction: "250000000000000000", bonded_slashed: "25", unbonding_slashed: "0", reason: "misbehaved" }),
      typed("EventMemberReinstated", { member: A }),
      { type: "transfer", attributes: [{ key: "recipient", value: A }] },
    ];
    const h = historyFromEvents(A, 7n, events);
    expect(h.map((e) => e.kind)).toEqual(["seated", "unseated", "suspension-vote", "suspended", "slashed", "reinstated"]);
    expect(h[0]?.text).toBe("seated with sequence 3 (tally 500)");
    expect(h[1]?.text).toBe(`lost the seat: outranked (replaced by ${B})`);
    expect(h[2]?.text).toBe(`vote to suspend by ${B}: offline (1 of 2 needed)`);
    expect(h[4]?.text).toBe("slashed 25% by governance (bonded 25, unbonding 0): misbehaved");
    expect(h.every((e) => e.height === 7n)).toBe(true);
  });
  it("never throws on arbitrary attribute text and only reports the address asked for", () => {
    const types = ["EventMemberAdmitted", "EventMemberRemoved", "EventSuspensionVote", "EventMemberSuspended", "EventMemberSlashed", "EventMemberReinstated", "Other"];
    const event = fc.record({
      type: fc.constantFrom(...types).map((t) => `dcert.v1.${t}`),
      attributes: fc.array(fc.record({ key: fc.constantFrom("member", "target", "reason", "fraction", "tally", "x"), value: fc.oneof(fc.string(), fc.constantFrom(JSON.stringify(A), JSON.stringify(B))) })),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), (events) => {
        expect(historyFromEvents(A, 1n, events).length).toBeLessThanOrEqual(events.length);
        for (const e of events) {
          const h = historyFromEvents(A, 1n, [e]);
          const namesA = e.attributes.some((a) => (a.key === "member" || a.key === "target") && a.value === JSON.stringify(A));
          expect(h.length).toBeLessThanOrEqual(namesA ? 1 : 0);
        }
      }),
    );
  });
  it("builds an exact-match query on the JSON-quoted address and refuses anything else", () => {
    expect(historyQuery("dcert.v1.EventMemberSlashed", "member", A)).toBe(`dcert.v1.EventMemberSlashed.member='"${A}"'`);
    expect(() => historyQuery("t", "member", "x' OR 1=1")).toThrow(/not a bech32 address/);
    expect(attributeValue("not json")).toBe("not json");
  });
  it("merges newest first, keeping event order within a height and dropping duplicates", () => {
    const e = (height: bigint, text: string) => ({ height, kind: "seated" as const, text });
    expect(mergeHistory([[e(1n, "a"), e(5n, "b")], [e(5n, "c"), e(1n, "a")]]).map((x) => x.text)).toEqual(["b", "c", "a"]);
  });
});

describe("election arithmetic", () => {
  const members = [
    { address: A, tally: "300" },
    { address: B, tally: "200" },
  ];
  it("measures the gap to the lowest seat only when every seat is taken", () => {
    expect(seatGap("150", members, 2)).toEqual({ kind: "behind", votes: 50n });
    expect(seatGap("260", members, 2)).toEqual({ kind: "ahead", votes: 60n });
    expect(seatGap("200", members, 2)).toEqual({ kind: "tied" });
    expect(seatGap("1", members, 3)).toEqual({ kind: "free-seat" });
    expect(describeGap({ kind: "behind", votes: 50n })).toBe("50 behind the lowest seat");
    expect(totalTally(members, [{ address: "c", tally: "5" }])).toBe(505n);
  });
  it("the gap plus the candidate's tally is the lowest seat's tally", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.bigInt({ min: 0n, max: 10n ** 24n }), (low, cand) => {
        const g = seatGap(cand.toString(), [{ address: A, tally: (low + 1n).toString() }, { address: B, tally: low.toString() }], 2);
        const signed = g.kind === "behind" ? g.votes : g.kind === "ahead" ? -g.votes : g.kind === "tied" ? 0n : NaN;
        expect(cand + (signed as bigint)).toBe(low);
      }),
    );
  });
  it("groups bonds per member, largest first, totals exact", () => {
    const m = bondsByMember([
      { staker: "s1", member: A, amount: "10" },
      { staker: "s2", member: A, amount: "30" },
      { staker: "s3", member: B, amount: "5" },
    ]);
    expect(m.get(A)).toEqual({ total: 40n, stakers: [{ staker: "s2", amount: 30n }, { staker: "s1", amount: 10n }] });
    expect(m.get(B)?.total).toBe(5n);
  });
  it("averages the block time from header times", () => {
    expect(averageBlockSeconds("2026-01-01T00:00:00Z", "2026-01-01T00:00:20.000Z", 20)).toBe(1);
    expect(averageBlockSeconds("2026-01-01T00:00:20Z", "2026-01-01T00:00:00Z", 20)).toBeUndefined();
    expect(averageBlockSeconds("x", "2026-01-01T00:00:00Z", 1)).toBeUndefined();
  });
});

describe("chart columns", () => {
  it("ranks members then candidates, with the lowest seat as the line when the group is full", () => {
    const c = tallyColumns([{ tally: "300" }, { tally: "200" }], [{ tally: "150" }], 2);
    expect(c).toEqual({ rank: [1, 2, 3], members: [300, 200, null], candidates: [null, null, 150], seatLine: [200, 200, 200] });
    expect(tallyColumns([{ tally: "300" }], [], 2).seatLine).toEqual([null]);
  });
  it("keeps membership samples in height order, one per height, at most max", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ height: fc.integer({ min: 1, max: 50 }), members: fc.nat(10), seats: fc.constant(10) })), (input) => {
        let s: MembershipSample[] = [];
        for (const x of input) s = addSample(s, x, 20);
        expect(s.length).toBeLessThanOrEqual(20);
        for (let i = 1; i < s.length; i++) expect(s[i]!.height).toBeGreaterThan(s[i - 1]!.height);
      }),
    );
  });
  it("splits a vote into basis points that never add up to more than 10000", () => {
    expect(splitSlices([{ candidate: A, share: (ONE / 2n).toString() }, { candidate: B, share: (ONE / 4n).toString() }])).toEqual({
      slices: [{ candidate: A, basisPoints: 5000 }, { candidate: B, basisPoints: 2500 }],
      unallocatedBasisPoints: 2500,
    });
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: ONE }), { maxLength: 10 }), (raw) => {
        // scale arbitrary weights so they sum to at most one
        const sum = raw.reduce((a, b) => a + b, 0n);
        const shares = sum > ONE ? raw.map((x) => (x * ONE) / sum) : raw;
        const r = splitSlices(shares.map((s, i) => ({ candidate: `c${i}`, share: s.toString() })));
        const used = r.slices.reduce((a, s) => a + s.basisPoints, 0);
        expect(used + r.unallocatedBasisPoints).toBeLessThanOrEqual(10_000);
        expect(used + r.unallocatedBasisPoints).toBeGreaterThanOrEqual(10_000 - r.slices.length - 1);
      }),
    );
    expect(() => splitSlices([{ candidate: A, share: ONE.toString() }, { candidate: B, share: "1" }])).toThrow(/more than 100%/);
    expect(() => splitSlices([{ candidate: A, share: "0.5" }])).toThrow(/fixed-point/);
  });
});

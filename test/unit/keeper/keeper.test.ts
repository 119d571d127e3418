/**
 * Keeper pieces on a bare store: params validation, typed event attributes in the SDK's format,
 * the rank key order, bond totals and unbonding indexes, quorum arithmetic.
 */
import { addrString } from "../../../src/x/auth/keeper";
import { blockContext, type Context } from "../../../src/baseapp/context";
import { MemoryKV } from "../../../src/baseapp/store/memory";
import { ChainError } from "../../../src/baseapp/errors";
import { ElectionError } from "../../../src/x/dcert/electionator";
import { EventBond, EventMemberRemoved, EventVote } from "../../../src/generated/dcert/v1/events";
import { electionErrorOf, ErrInvalidVote, ErrTooManyVoteEntries } from "../../../src/x/dcert/errors";
import { typedEventAttributes } from "../../../src/x/dcert/events";
import { keys } from "../../../src/x/dcert/keys";
import { defaultDcertParams, devnetDcertParams, quorumOf, validateDcertParams, DcertRecords, type DcertParams } from "../../../src/x/dcert/keeper";

const ONE = 10n ** 18n;
const addr = (n: number): string => addrString(new Uint8Array(20).fill(n));

function ctx(height = 10n, seconds = 1_000n): Context {
  return blockContext(new MemoryKV(), { chainId: "t", height, time: { seconds, nanos: 5 }, proposer: new Uint8Array() }, "finalize");
}

function code(f: () => void): number | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return e.code;
    throw e;
  }
  return undefined;
}

describe("params", () => {
  test("defaults and devnet values are valid; devnet enables circuit breaking", () => {
    expect(() => validateDcertParams(defaultDcertParams())).not.toThrow();
    expect(() => validateDcertParams(devnetDcertParams())).not.toThrow();
    expect(defaultDcertParams().circuitBreakEnabled).toBe(false);
    expect(devnetDcertParams().circuitBreakEnabled).toBe(true);
    expect(defaultDcertParams().suspensionQuorum).toBe(ONE / 2n);
  });

  test.each<[string, Partial<DcertParams>, string]>([
    ["no seats", { maxMembers: 0 }, "max_members"],
    ["zero bond", { minMemberBond: { denom: "udcert", amount: 0n } }, "min_member_bond must be positive"],
    ["bad denom", { stipendPerBlock: { denom: "1x", amount: 1n } }, "stipend_per_block has an invalid denom"],
    ["zero quorum", { suspensionQuorum: 0n }, "suspension_quorum"],
    ["quorum above one", { suspensionQuorum: ONE + 1n }, "suspension_quorum"],
    ["slash above one", { disbandSlashFraction: ONE + 1n }, "disband_slash_fraction"],
    ["huge period", { stabilizationPeriod: 1n << 40n }, "stabilization_period"],
    ["no vote entries", { maxVoteEntries: 0 }, "max_vote_entries"],
    ["too many vote entries", { maxVoteEntries: 1025 }, "max_vote_entries"],
  ])("%s is rejected (dcert 18)", (_name, change, text) => {
    const p = { ...defaultDcertParams(), ...change };
    expect(code(() => validateDcertParams(p))).toBe(18);
    expect(() => validateDcertParams(p)).toThrow(text);
  });
});

test("typed events: full type name, snake_case sorted keys, JSON values with defaults", () => {
  expect(typedEventAttributes(EventBond, { staker: "s", member: "m", amount: { denom: "udcert", amount: "5" }, memberBond: "7" })).toEqual([
    ["amount", '{"denom":"udcert","amount":"5"}'],
    ["member", '"m"'],
    ["member_bond", '"7"'],
    ["staker", '"s"'],
  ]);
  expect(typedEventAttributes(EventMemberRemoved, { member: "m", sequence: 0n, tally: "", reason: "left", replacedBy: "" })).toEqual([
    ["member", '"m"'],
    ["reason", '"left"'],
    ["replaced_by", '""'],
    ["sequence", '"0"'],
    ["tally", '""'],
  ]);
  expect(typedEventAttributes(EventVote, { voter: "v", entries: [] })).toEqual([
    ["entries", "[]"],
    ["voter", '"v"'],
  ]);
});

test("rank keys sort best first: tally descending, then acceptance height, index, address", () => {
  const a = new Uint8Array(20).fill(1);
  const b = new Uint8Array(20).fill(2);
  const ordered = [keys.rank(10n ** 30n, 5n, 0, b), keys.rank(100n, 1n, 3, b), keys.rank(100n, 2n, 0, a), keys.rank(100n, 2n, 1, a), keys.rank(100n, 2n, 1, b), keys.rank(0n, 0n, 0, a)];
  const hex = ordered.map((k) => Buffer.from(k).toString("hex"));
  expect([...hex].sort()).toEqual(hex);
});

test("quorum is ceil(fraction × n)", () => {
  expect([quorumOf(ONE / 2n, 3), quorumOf(ONE / 2n, 4), quorumOf(ONE, 3), quorumOf((ONE * 2n) / 3n, 3), quorumOf(1n, 1)]).toEqual([2, 2, 3, 2, 1]);
});

test("engine error codes map to registered dcert errors", () => {
  expect(electionErrorOf(ElectionError.TooManyEntries)).toBe(ErrTooManyVoteEntries);
  expect(electionErrorOf(ElectionError.SharesExceedOne)).toBe(ErrInvalidVote);
  expect(electionErrorOf(ElectionError.InconsistentState).code).toBe(28);
});

describe("records", () => {
  test("bond totals follow every (member, staker) change; both indexes agree", () => {
    const r = new DcertRecords();
    const c = ctx();
    r.setBond(c, addr(1), addr(2), 5n);
    r.setBond(c, addr(1), addr(3), 7n);
    r.setBond(c, addr(4), addr(2), 1n);
    expect(r.bondTotal(c, addr(1))).toBe(12n);
    r.setBond(c, addr(1), addr(2), 0n);
    expect(r.bondTotal(c, addr(1))).toBe(7n);
    expect(r.bondsOfMember(c, addr(1))).toEqual([{ member: addr(1), staker: addr(3), amount: 7n }]);
    expect([...r.allBonds(c)].map((b) => [b.member, b.staker, b.amount])).toEqual([
      [addr(1), addr(3), 7n],
      [addr(4), addr(2), 1n],
    ]);
    expect(r.hasAnyBondOrUnbonding(c)).toBe(true);
  });

  test("unbonding entries are found by member, pair and maturity, and fully removed", () => {
    const r = new DcertRecords();
    const c = ctx();
    const entry = (id: bigint, member: number, staker: number, seconds: bigint) => ({
      id,
      staker: addr(staker),
      member: addr(member),
      creationHeight: 1n,
      completionTime: { seconds, nanos: 0 },
      initialBalance: "10",
      balance: "10",
    });
    r.putUnbonding(c, entry(1n, 1, 2, 2_000n), true);
    r.putUnbonding(c, entry(2n, 1, 3, 500n), true);
    r.putUnbonding(c, entry(3n, 4, 2, 1_000n), true);
    expect(r.unbondingsOfMember(c, addr(1)).map((e) => e.id)).toEqual([1n, 2n]);
    expect(r.unbondingCountOfPair(c, addr(1), addr(2))).toBe(1);
    expect(r.maturedUnbondings(c, { seconds: 1_000n, nanos: 0 }).map((e) => e.id)).toEqual([2n, 3n]);
    for (const e of r.maturedUnbondings(c, { seconds: 1_000n, nanos: 0 })) r.deleteUnbonding(c, e);
    expect([...r.allUnbondings(c)].map((e) => e.id)).toEqual([1n]);
    expect(r.unbondingsOfMember(c, addr(4))).toEqual([]);
    expect(r.maturedUnbondings(c, { seconds: 10_000n, nanos: 0 }).map((e) => e.id)).toEqual([1n]);
  });

  test("acceptance order: height, then a counter that restarts each block", () => {
    const r = new DcertRecords();
    const store = new MemoryKV();
    const at = (h: bigint) => blockContext(store, { chainId: "t", height: h, time: { seconds: 1n, nanos: 0 }, proposer: new Uint8Array() }, "finalize");
    expect([r.nextAcceptance(at(5n)), r.nextAcceptance(at(5n)), r.nextAcceptance(at(6n))]).toEqual([
      { height: 5n, index: 0 },
      { height: 5n, index: 1 },
      { height: 6n, index: 0 },
    ]);
  });

  test("a specific removal hint survives a later generic dirty mark in the same block", () => {
    const r = new DcertRecords();
    const c = ctx();
    r.markCandidateDirty(c, addr(1), 3);
    r.markCandidateDirty(c, addr(1));
    r.markCandidateDirty(c, addr(2));
    expect(r.dirtyCandidates(c)).toEqual([
      { address: addr(1), hint: 3 },
      { address: addr(2), hint: 0 },
    ]);
    r.clearDirtyCandidates(c);
    expect(r.dirtyCandidates(c)).toEqual([]);
  });
});

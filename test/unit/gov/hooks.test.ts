import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import type { Coin } from "../../../src/baseapp/coins";
import { ChainError, registerError } from "../../../src/baseapp/errors";
import type { GovHooks, ProposalOutcome } from "../../../src/x/gov/hooks";
import type { SubmitProposalInput } from "../../../src/x/gov/keeper";
import { singleOption } from "../../../src/x/gov/options";
import { addr, attr, coins, govHarness, sendAny, type GovHarness } from "./harness";

const GOV = moduleAccountAddress("gov");
const PROPOSER = addr(1);
const VALIDATOR = 2;
const OTHER = addr(3);
const RECIPIENT = addr(9);
const START = 100_000_000n;
const ErrWagerTooSmall = registerError("govhooktest", 2, "wager too small");

function setup(): GovHarness {
  const h = govHarness({
    balances: [
      { address: PROPOSER, amount: START },
      { address: OTHER, amount: START },
      { address: GOV, amount: 1_000n },
    ],
  });
  h.staking.addValidator(VALIDATOR, 1_000n);
  return h;
}

function input(deposit: bigint, amount = 1n): SubmitProposalInput {
  return {
    messages: [sendAny(GOV, RECIPIENT, amount)],
    initialDeposit: coins(deposit),
    proposer: PROPOSER,
    metadata: "",
    title: "t",
    summary: "s",
    expedited: false,
  };
}

interface Recorded {
  ended: { id: bigint; outcome: ProposalOutcome; types: string[]; status: ProposalStatus | undefined }[];
  dropped: bigint[];
  submitted: { id: bigint; types: string[] }[];
}

/** A dCERT-like hook: requires a wager in the initial deposit and burns it unless the proposal passes. */
function wagerHooks(h: GovHarness, wager: bigint, rec: Recorded): GovHooks {
  return {
    beforeProposalSubmission(_ctx, msgs, initialDeposit, proposer) {
      expect(msgs.map((m) => m.any.typeUrl)).toEqual(["/cosmos.bank.v1beta1.MsgSend"]);
      expect(proposer).toBe(PROPOSER);
      const paid = initialDeposit.find((c) => c.denom === "udcert")?.amount ?? 0n;
      if (paid < wager) throw ErrWagerTooSmall.wrap(`the initial deposit must include a wager of ${wager}udcert`);
    },
    afterProposalSubmission(_ctx, id, msgs) {
      rec.submitted.push({ id, types: msgs.map((m) => m.any.typeUrl) });
    },
    afterProposalVotingPeriodEnded(ctx, id, outcome, msgs) {
      rec.ended.push({ id, outcome, types: msgs.map((m) => m.any.typeUrl), status: h.gov.keeper.getProposal(ctx, id)?.status });
      return outcome === "passed" ? undefined : { burnFromDeposits: coins(wager) };
    },
    afterProposalDropped(_ctx, id) {
      rec.dropped.push(id);
      return { burnFromDeposits: coins(wager) };
    },
  };
}

function newRecord(): Recorded {
  return { ended: [], dropped: [], submitted: [] };
}

function thrown(f: () => unknown): ChainError {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe("gov hooks", () => {
  test("beforeProposalSubmission can reject a submission with a registered error; nothing is stored", () => {
    const h = setup();
    const rec = newRecord();
    h.gov.keeper.addHooks(wagerHooks(h, 12_000_000n, rec));
    const e = thrown(() => h.gov.keeper.submitProposal(h.ctx(1n), input(11_999_999n)));
    expect(ErrWagerTooSmall.is(e)).toBe(true);
    expect(e.message).toContain("wager of 12000000udcert");
    expect(h.gov.keeper.getProposal(h.ctx(0n), 1n)).toBeUndefined();
    expect(h.balance(PROPOSER)).toBe(START);
    expect(rec.submitted).toEqual([]);
    expect(h.gov.keeper.submitProposal(h.ctx(1n), input(12_000_000n))).toBe(1n);
    expect(rec.submitted).toEqual([{ id: 1n, types: ["/cosmos.bank.v1beta1.MsgSend"] }]);
  });

  test("a rejected proposal's wager is burned from the deposits in deposit order; the rest is refunded", () => {
    const h = setup();
    const rec = newRecord();
    h.gov.keeper.addHooks(wagerHooks(h, 10_000_000n, rec));
    const k = h.gov.keeper;
    const supply = h.supply();
    const id = k.submitProposal(h.ctx(1n), input(12_000_000n));
    k.addDeposit(h.ctx(2n), id, OTHER, coins(5_000_000n));
    k.addVote(h.ctx(2n), id, addr(VALIDATOR), singleOption(VoteOption.VOTE_OPTION_NO), "");
    h.endBlock(16n);
    expect(rec.ended).toEqual([{ id, outcome: "rejected", types: ["/cosmos.bank.v1beta1.MsgSend"], status: ProposalStatus.PROPOSAL_STATUS_REJECTED }]);
    // The proposer deposited first: the 10M wager comes out of its 12M; the other depositor is whole.
    expect(h.balance(PROPOSER)).toBe(START - 10_000_000n);
    expect(h.balance(OTHER)).toBe(START);
    expect(h.supply()).toBe(supply - 10_000_000n);
    expect(h.gov.keeper.escrow(h.ctx(0n))).toEqual([]);
  });

  test("a burn request larger than the first deposit continues into later deposits and is capped at the total", () => {
    const h = setup();
    const k = h.gov.keeper;
    let request: Coin[] = coins(11_000_000n);
    k.addHooks({ afterProposalVotingPeriodEnded: () => ({ burnFromDeposits: request }) });
    const supply = h.supply();
    const id = k.submitProposal(h.ctx(1n), input(10_000_000n));
    k.addDeposit(h.ctx(2n), id, OTHER, coins(4_000_000n));
    h.endBlock(16n); // nobody voted: rejected
    expect(h.balance(PROPOSER)).toBe(START - 10_000_000n);
    expect(h.balance(OTHER)).toBe(START - 1_000_000n);
    expect(h.supply()).toBe(supply - 11_000_000n);

    request = coins(999_000_000n);
    const id2 = k.submitProposal(h.ctx(20n), input(10_000_000n));
    expect(id2).toBe(2n);
    h.endBlock(40n);
    expect(h.balance(PROPOSER)).toBe(START - 20_000_000n);
    expect(h.supply()).toBe(supply - 21_000_000n);
  });

  test("a passing proposal keeps the wager; a failed one (execution error) burns it", () => {
    const h = setup();
    const rec = newRecord();
    h.gov.keeper.addHooks(wagerHooks(h, 10_000_000n, rec));
    const k = h.gov.keeper;
    const ok = k.submitProposal(h.ctx(1n), input(10_000_000n, 5n));
    const bad = k.submitProposal(h.ctx(1n), input(10_000_000n, 999_999_999n));
    k.addVote(h.ctx(2n), ok, addr(VALIDATOR), singleOption(VoteOption.VOTE_OPTION_YES), "");
    k.addVote(h.ctx(2n), bad, addr(VALIDATOR), singleOption(VoteOption.VOTE_OPTION_YES), "");
    h.endBlock(16n);
    expect(rec.ended.map((e) => [e.id, e.outcome, e.status])).toEqual([
      [ok, "passed", ProposalStatus.PROPOSAL_STATUS_PASSED],
      [bad, "failed", ProposalStatus.PROPOSAL_STATUS_FAILED],
    ]);
    expect(h.balance(RECIPIENT)).toBe(5n);
    expect(h.balance(PROPOSER)).toBe(START - 10_000_000n);
  });

  test("a vetoed proposal burns everything once, whatever the hook asks", () => {
    const h = setup();
    const rec = newRecord();
    h.gov.keeper.addHooks(wagerHooks(h, 10_000_000n, rec));
    const k = h.gov.keeper;
    const supply = h.supply();
    const id = k.submitProposal(h.ctx(1n), input(12_000_000n));
    k.addVote(h.ctx(2n), id, addr(VALIDATOR), singleOption(VoteOption.VOTE_OPTION_NO_WITH_VETO), "");
    h.endBlock(16n);
    expect(rec.ended.map((e) => e.outcome)).toEqual(["vetoed"]);
    expect(h.supply()).toBe(supply - 12_000_000n);
  });

  test("afterProposalDropped fires when the deposit period expires and can burn the wager", () => {
    const h = setup();
    const rec = newRecord();
    h.gov.keeper.addHooks(wagerHooks(h, 3_000_000n, rec));
    const supply = h.supply();
    const id = h.gov.keeper.submitProposal(h.ctx(1n), input(4_000_000n));
    h.endBlock(61n);
    expect(rec.dropped).toEqual([id]);
    expect(rec.ended).toEqual([]);
    expect(h.balance(PROPOSER)).toBe(START - 3_000_000n);
    expect(h.supply()).toBe(supply - 3_000_000n);
  });

  test("an end hook that throws is isolated: its writes are dropped, an event reports it, other hooks still run", () => {
    const h = setup();
    const k = h.gov.keeper;
    const calls: string[] = [];
    k.addHooks({
      afterProposalVotingPeriodEnded(ctx) {
        calls.push("first");
        h.app.bank.sendCoins(ctx, OTHER, RECIPIENT, coins(77n)); // must not survive the throw
        throw new Error("boom");
      },
    });
    k.addHooks({
      afterProposalVotingPeriodEnded(ctx) {
        calls.push("second");
        ctx.events.emit("second_hook", [["ran", "yes"]]);
        return { burnFromDeposits: coins(1n) };
      },
    });
    const supply = h.supply();
    const id = k.submitProposal(h.ctx(1n), input(10_000_000n));
    const events = h.endBlock(16n);
    expect(calls).toEqual(["first", "second"]);
    expect(h.balance(RECIPIENT)).toBe(0n);
    expect(attr(events, "gov_hook_error", "error")).toEqual(["internal error: boom"]);
    expect(attr(events, "gov_hook_error", "hook")).toEqual(["afterProposalVotingPeriodEnded"]);
    expect(attr(events, "second_hook", "ran")).toEqual(["yes"]);
    expect(h.supply()).toBe(supply - 1n);
    expect(k.getProposal(h.ctx(0n), id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
  });

  test("deposit and vote hooks run inside the tx", () => {
    const h = setup();
    const k = h.gov.keeper;
    const seen: string[] = [];
    k.addHooks({
      afterProposalDeposit: (_c, id, depositor, amount) => void seen.push(`deposit ${id} ${depositor === OTHER ? "other" : "proposer"} ${amount[0]?.amount ?? 0n}`),
      afterProposalVote: (_c, id, voter) => void seen.push(`vote ${id} ${voter === addr(VALIDATOR) ? "validator" : voter}`),
    });
    const id = k.submitProposal(h.ctx(1n), input(6_000_000n));
    k.addDeposit(h.ctx(2n), id, OTHER, coins(4_000_000n));
    k.addVote(h.ctx(3n), id, addr(VALIDATOR), singleOption(VoteOption.VOTE_OPTION_YES), "");
    expect(seen).toEqual(["deposit 1 proposer 6000000", "deposit 1 other 4000000", "vote 1 validator"]);
  });
});

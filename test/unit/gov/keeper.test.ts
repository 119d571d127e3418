import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgUpdateParams } from "cosmjs-types/cosmos/gov/v1/tx";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { DEC_ONE } from "../../../src/baseapp/coins";
import { ChainError, ErrInsufficientFunds } from "../../../src/baseapp/errors";
import {
  ErrInactiveProposal,
  ErrInvalidSigner,
  ErrInvalidVote,
  ErrMinDepositTooSmall,
  ErrNoProposalMsgs,
  ErrUnknownProposal,
  ErrUnroutableProposalMsg,
} from "../../../src/x/gov/errors";
import type { GovKeeper, SubmitProposalInput } from "../../../src/x/gov/keeper";
import { govParamsToProto } from "../../../src/x/gov/params";
import { singleOption } from "../../../src/x/gov/options";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { addr, attr, coins, govHarness, sendAny, type GovHarness } from "./harness";

const GOV = moduleAccountAddress("gov");
const PROPOSER = addr(1);
const VALIDATOR = 2; // seed of the validator's operator account
const DELEGATOR = 3;
const RECIPIENT = addr(9);
const MIN_DEPOSIT = 10_000_000n;

function setup(govFunds = 1_000_000n, govParams?: Record<string, unknown>): GovHarness {
  const h = govHarness({
    balances: [
      { address: PROPOSER, amount: 100_000_000n },
      { address: addr(VALIDATOR), amount: 100_000_000n },
      { address: addr(DELEGATOR), amount: 100_000_000n },
      { address: GOV, amount: govFunds },
    ],
    ...(govParams === undefined ? {} : { govParams }),
  });
  h.staking.addValidator(VALIDATOR, 1_000n);
  return h;
}

function proposal(messages: Any[], deposit = MIN_DEPOSIT, extra: Partial<SubmitProposalInput> = {}): SubmitProposalInput {
  return {
    messages,
    initialDeposit: coins(deposit),
    proposer: PROPOSER,
    metadata: "",
    title: "pay the recipient",
    summary: "sends funds from the gov account",
    expedited: false,
    ...extra,
  };
}

function vote(keeper: GovKeeper, h: GovHarness, at: bigint, id: bigint, seed: number, option: VoteOption): void {
  keeper.addVote(h.ctx(at), id, addr(seed), singleOption(option), "");
}

function status(h: GovHarness, id: bigint): ProposalStatus | undefined {
  return h.gov.keeper.getProposal(h.ctx(0n), id)?.status;
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

describe("gov keeper: proposal lifecycle", () => {
  test("a proposal paying from the gov account passes at the end of voting and pays; deposits are refunded", () => {
    const h = setup();
    const k = h.gov.keeper;
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 500n)]));
    expect(id).toBe(1n);
    const p = k.getProposal(h.ctx(0n), id);
    expect(p?.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(p?.votingStartTime?.seconds).toBe(1_700_000_001n);
    expect(p?.votingEndTime?.seconds).toBe(1_700_000_016n);
    expect(h.balance(PROPOSER)).toBe(100_000_000n - MIN_DEPOSIT);
    expect(h.balance(GOV)).toBe(1_000_000n + MIN_DEPOSIT);
    expect(k.escrow(h.ctx(0n))).toEqual(coins(MIN_DEPOSIT));

    vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_YES);
    // Not yet over: the voting period ends at t=16.
    h.endBlock(15n);
    expect(status(h, id)).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(h.balance(RECIPIENT)).toBe(0n);

    const events = h.endBlock(16n);
    expect(status(h, id)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(h.balance(RECIPIENT)).toBe(500n);
    expect(h.balance(PROPOSER)).toBe(100_000_000n);
    expect(h.balance(GOV)).toBe(1_000_000n - 500n);
    expect(k.escrow(h.ctx(0n))).toEqual([]);
    expect(attr(events, "active_proposal", "proposal_result")).toEqual(["proposal_passed"]);
    expect(attr(events, "active_proposal", "proposal_id")).toEqual(["1"]);
    // The executed MsgSend's own events are propagated.
    expect(attr(events, "transfer", "recipient")).toContain(RECIPIENT);
    const final = k.getProposal(h.ctx(0n), id)?.finalTallyResult;
    expect(final?.yesCount).toBe("1000");
    // Votes are removed once tallied, as in the SDK.
    expect([...k.votes(h.ctx(0n), id)]).toEqual([]);
    // A second end block does nothing more.
    h.endBlock(100n);
    expect(h.balance(RECIPIENT)).toBe(500n);
  });

  test("a vetoed proposal burns its deposits: supply decreases by the deposit", () => {
    const h = setup();
    const k = h.gov.keeper;
    const supply = h.supply();
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 500n)]));
    k.addDeposit(h.ctx(2n), id, addr(DELEGATOR), coins(3_000_000n));
    vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_NO_WITH_VETO);
    const events = h.endBlock(20n);
    expect(status(h, id)).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(k.getProposal(h.ctx(0n), id)?.failedReason).toMatch(/veto/);
    expect(h.supply()).toBe(supply - MIN_DEPOSIT - 3_000_000n);
    expect(h.balance(PROPOSER)).toBe(100_000_000n - MIN_DEPOSIT);
    expect(h.balance(addr(DELEGATOR))).toBe(100_000_000n - 3_000_000n);
    expect(h.balance(RECIPIENT)).toBe(0n);
    expect(attr(events, "burn", "amount")).toEqual([`${MIN_DEPOSIT + 3_000_000n}udcert`]);
    expect(attr(events, "active_proposal", "proposal_result")).toEqual(["proposal_rejected"]);
  });

  test("a plain rejection (no votes beat the threshold) refunds deposits", () => {
    const h = setup();
    const k = h.gov.keeper;
    const supply = h.supply();
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 500n)]));
    vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_NO);
    h.endBlock(16n);
    expect(status(h, id)).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(h.supply()).toBe(supply);
    expect(h.balance(PROPOSER)).toBe(100_000_000n);
  });

  test("without quorum the proposal is rejected and refunded (burn_vote_quorum false) or burned (true)", () => {
    for (const burn of [false, true]) {
      const h = setup(1_000_000n, { burn_vote_quorum: burn });
      h.staking.addValidator(7, 10_000n); // a second validator that does not vote: 1000 of 11000 bonded voted
      const k = h.gov.keeper;
      const supply = h.supply();
      const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 500n)]));
      vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_YES);
      h.endBlock(16n);
      const p = k.getProposal(h.ctx(0n), id);
      expect(p?.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
      expect(p?.failedReason).toMatch(/quorum/);
      expect(h.supply()).toBe(burn ? supply - MIN_DEPOSIT : supply);
    }
  });

  test("a proposal whose deposit stays below the minimum is dropped after max_deposit_period and refunded", () => {
    const h = setup();
    const k = h.gov.keeper;
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n)], 2_000_000n));
    expect(status(h, id)).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    expect(thrown(() => vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_YES)).code).toBe(ErrInactiveProposal.code);
    h.endBlock(60n);
    expect(status(h, id)).toBe(ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    const events = h.endBlock(61n);
    expect(k.getProposal(h.ctx(0n), id)).toBeUndefined();
    expect(h.balance(PROPOSER)).toBe(100_000_000n);
    expect(k.deposits(h.ctx(0n), id)).toEqual([]);
    expect(attr(events, "inactive_proposal", "proposal_result")).toEqual(["proposal_dropped"]);
    expect(thrown(() => k.addDeposit(h.ctx(62n), id, PROPOSER, coins(MIN_DEPOSIT))).code).toBe(ErrUnknownProposal.code);
  });

  test("with burn_proposal_deposit_prevote a dropped proposal's deposits are burned", () => {
    const h = setup(1_000_000n, { burn_proposal_deposit_prevote: true });
    const supply = h.supply();
    h.gov.keeper.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n)], 2_000_000n));
    h.endBlock(61n);
    expect(h.supply()).toBe(supply - 2_000_000n);
  });

  test("a later deposit that reaches the minimum starts the voting period at that block's time", () => {
    const h = setup();
    const k = h.gov.keeper;
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n)], 4_000_000n));
    expect(k.addDeposit(h.ctx(5n), id, addr(DELEGATOR), coins(5_000_000n))).toBe(false);
    const events = [];
    expect(k.addDeposit(h.ctx(7n), id, PROPOSER, coins(1_000_000n))).toBe(true);
    events.push(...h.endBlock(7n));
    const p = k.getProposal(h.ctx(0n), id);
    expect(p?.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(p?.votingStartTime?.seconds).toBe(1_700_000_007n);
    expect(p?.totalDeposit).toEqual([{ denom: "udcert", amount: "10000000" }]);
    // Deposits are kept in deposit order; the proposer's two deposits are one record.
    expect(k.deposits(h.ctx(0n), id).map((d) => [d.depositor, d.amount[0]?.amount])).toEqual([
      [PROPOSER, 5_000_000n],
      [addr(DELEGATOR), 5_000_000n],
    ]);
    // The deposit-period queue no longer holds it: it is not dropped at t=61.
    h.endBlock(61n);
    expect(status(h, id)).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
  });

  test("deposits below min_deposit_ratio of the minimum, or in other denoms, are rejected", () => {
    const h = setup();
    const k = h.gov.keeper;
    // min_deposit_ratio 0.01 of 10_000_000: every deposit, the initial one included, needs 100_000.
    expect(thrown(() => k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n)], 99_999n))).code).toBe(ErrMinDepositTooSmall.code);
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n)], 100_000n));
    const e = thrown(() => k.addDeposit(h.ctx(2n), id, PROPOSER, coins(99_999n)));
    expect(e.code).toBe(ErrMinDepositTooSmall.code);
    expect(e.message).toContain("100000udcert");
    expect(thrown(() => k.addDeposit(h.ctx(2n), id, PROPOSER, coins(1_000_000n, "uother"))).message).toMatch(/only the following denom/);
    k.addDeposit(h.ctx(2n), id, PROPOSER, coins(100_000n));
  });

  test("min_initial_deposit_ratio requires part of the minimum deposit at submission", () => {
    const h = setup(1_000_000n, { min_initial_deposit_ratio: "0.250000000000000000" });
    const e = thrown(() => h.gov.keeper.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n)], 2_499_999n)));
    expect(e.code).toBe(ErrMinDepositTooSmall.code);
    expect(e.message).toMatch(/2500000udcert/);
    h.gov.keeper.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n)], 2_500_000n));
  });
});

describe("gov keeper: submission checks", () => {
  test("a message whose signer is not the gov account is rejected at submission, naming the message and signer", () => {
    const h = setup();
    const e = thrown(() => h.gov.keeper.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n), sendAny(PROPOSER, RECIPIENT, 1n)])));
    expect(e.codespace).toBe("gov");
    expect(e.code).toBe(ErrInvalidSigner.code);
    expect(e.message).toContain("proposal message 1 (/cosmos.bank.v1beta1.MsgSend)");
    expect(e.message).toContain(PROPOSER);
    expect(e.message).toContain(GOV);
    // Nothing was stored or moved.
    expect(h.gov.keeper.getProposal(h.ctx(0n), 1n)).toBeUndefined();
    expect(h.gov.keeper.nextProposalId(h.ctx(0n))).toBe(1n);
    expect(h.balance(PROPOSER)).toBe(100_000_000n);
  });

  test("unknown message types, undecodable messages and invalid messages are rejected", () => {
    const h = setup();
    const k = h.gov.keeper;
    const unknown = thrown(() => k.submitProposal(h.ctx(1n), proposal([{ typeUrl: "/foo.v1.MsgBar", value: new Uint8Array() }])));
    expect(unknown.code).toBe(ErrUnroutableProposalMsg.code);
    expect(unknown.message).toContain("/foo.v1.MsgBar");
    const garbage = thrown(() => k.submitProposal(h.ctx(1n), proposal([{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: Uint8Array.of(0xff, 0xff) }])));
    expect(garbage.code).toBe(12);
    const empty = thrown(() => k.submitProposal(h.ctx(1n), proposal([])));
    expect(empty.code).toBe(ErrNoProposalMsgs.code);
    // A text proposal (metadata, no messages) is fine.
    expect(k.submitProposal(h.ctx(1n), proposal([], MIN_DEPOSIT, { metadata: "ipfs://text" }))).toBe(1n);
    const mismatch = thrown(() =>
      k.submitProposal(h.ctx(1n), proposal([], MIN_DEPOSIT, { metadata: JSON.stringify({ title: "other" }) })),
    );
    expect(mismatch.message).toMatch(/metadata title/);
  });

  test("votes: unknown proposal, invalid options and weighted votes", () => {
    const h = setup();
    const k = h.gov.keeper;
    expect(thrown(() => vote(k, h, 1n, 5n, VALIDATOR, VoteOption.VOTE_OPTION_YES)).code).toBe(ErrUnknownProposal.code);
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n)]));
    expect(thrown(() => vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_UNSPECIFIED)).code).toBe(ErrInvalidVote.code);
    expect(thrown(() => k.addVote(h.ctx(2n), id, addr(VALIDATOR), [{ option: VoteOption.VOTE_OPTION_YES, weight: DEC_ONE / 2n }], "")).code).toBe(
      ErrInvalidVote.code,
    );
    const events = h.endBlock(0n); // nothing due
    expect(events).toEqual([]);
    k.addVote(
      h.ctx(2n),
      id,
      addr(VALIDATOR),
      [
        { option: VoteOption.VOTE_OPTION_YES, weight: (DEC_ONE * 3n) / 4n },
        { option: VoteOption.VOTE_OPTION_NO, weight: DEC_ONE / 4n },
      ],
      "",
    );
    const t = k.tally(h.ctx(3n), k.getProposal(h.ctx(0n), id)!);
    expect(t.result).toEqual({ yesCount: "750", abstainCount: "0", noCount: "250", noWithVetoCount: "0" });
    expect(t.decision).toBe("passed");
  });
});

describe("gov keeper: execution", () => {
  test("if any message fails, nothing of the execution is written and the proposal is FAILED with the reason", () => {
    const h = setup(1_000n);
    const k = h.gov.keeper;
    // Message 0 would succeed on its own; message 1 asks for more than the gov account holds
    // (its 1000 plus the 10_000_000 deposit).
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 400n), sendAny(GOV, addr(8), 20_000_000n)]));
    vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_YES);
    const events = h.endBlock(16n);
    const p = k.getProposal(h.ctx(0n), id);
    expect(p?.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(p?.failedReason).toContain("message 1 (/cosmos.bank.v1beta1.MsgSend) failed");
    expect(p?.failedReason).toContain(ErrInsufficientFunds.description);
    expect(h.balance(RECIPIENT)).toBe(0n);
    expect(h.balance(addr(8))).toBe(0n);
    expect(h.balance(GOV)).toBe(1_000n);
    // The deposit is refunded (failure is not a veto).
    expect(h.balance(PROPOSER)).toBe(100_000_000n);
    expect(attr(events, "active_proposal", "proposal_result")).toEqual(["proposal_failed"]);
    expect(attr(events, "transfer", "recipient")).not.toContain(RECIPIENT);
  });

  test("execution may not spend escrowed deposits held by the gov account", () => {
    const h = setup(1_000n);
    const k = h.gov.keeper;
    // The gov account holds 1000 of its own plus 10_000_000 of deposits.
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 5_000n)]));
    vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_YES);
    h.endBlock(16n);
    const p = k.getProposal(h.ctx(0n), id);
    expect(p?.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(p?.failedReason).toMatch(/escrowed proposal deposits/);
    expect(h.balance(RECIPIENT)).toBe(0n);
    expect(h.balance(PROPOSER)).toBe(100_000_000n);
  });

  test("route guards apply to proposal messages", () => {
    const h = setup();
    const k = h.gov.keeper;
    h.app.router.addGuard((_ctx, typeUrl) => {
      if (typeUrl === "/cosmos.bank.v1beta1.MsgSend") throw new ChainError("dcert", 99, "route /cosmos.bank.v1beta1.MsgSend is broken");
    });
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 5n)]));
    vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_YES);
    h.endBlock(16n);
    const p = k.getProposal(h.ctx(0n), id);
    expect(p?.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(p?.failedReason).toContain("is broken");
    expect(h.balance(RECIPIENT)).toBe(0n);
  });

  test("MsgUpdateParams inside a proposal changes the params; signed by anyone else it is refused", () => {
    const h = setup();
    const k = h.gov.keeper;
    const params = { ...k.params(h.ctx(0n)), votingPeriod: { seconds: 42n, nanos: 0 } };
    const any = (authority: string): Any => ({
      typeUrl: "/cosmos.gov.v1.MsgUpdateParams",
      value: MsgUpdateParams.encode({ authority, params: govParamsToProto(params) }).finish(),
    });
    expect(thrown(() => k.submitProposal(h.ctx(1n), proposal([any(PROPOSER)]))).code).toBe(ErrInvalidSigner.code);
    const msg = h.app.router.decode(any(PROPOSER));
    expect(thrown(() => h.app.router.execute(h.ctx(1n), msg)).code).toBe(ErrInvalidSigner.code);
    const id = k.submitProposal(h.ctx(1n), proposal([any(GOV)]));
    vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_YES);
    h.endBlock(16n);
    expect(status(h, id)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(k.params(h.ctx(0n)).votingPeriod.seconds).toBe(42n);
  });
});

describe("gov keeper: tally through the store", () => {
  test("validator vote inheritance: delegators who vote override the validator for their shares only", () => {
    const h = setup();
    h.staking.delegate(DELEGATOR, VALIDATOR, 3_000n); // validator: 4000 tokens, 1000 self + 3000 delegated
    h.staking.delegate(4, VALIDATOR, 1_000n); // 5000 tokens
    const k = h.gov.keeper;
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n)]));
    vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_YES);
    let t = k.tally(h.ctx(3n), k.getProposal(h.ctx(0n), id)!);
    // Nobody else voted: the validator's vote carries all 5000.
    expect(t.result.yesCount).toBe("5000");
    vote(k, h, 3n, id, DELEGATOR, VoteOption.VOTE_OPTION_NO);
    t = k.tally(h.ctx(3n), k.getProposal(h.ctx(0n), id)!);
    expect(t.result).toEqual({ yesCount: "2000", abstainCount: "0", noCount: "3000", noWithVetoCount: "0" });
    expect(t.decision).toBe("threshold_not_reached");
    h.endBlock(16n);
    expect(status(h, id)).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(k.getProposal(h.ctx(0n), id)?.finalTallyResult?.noCount).toBe("3000");
  });

  test("expedited: a proposal failing the expedited threshold continues as a regular proposal", () => {
    const h = setup();
    h.staking.delegate(DELEGATOR, VALIDATOR, 1_000n); // 2000 tokens
    const k = h.gov.keeper;
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 7n)], 50_000_000n, { expedited: true }));
    expect(k.getProposal(h.ctx(0n), id)?.votingEndTime?.seconds).toBe(1_700_000_011n);
    // 60% yes: above 0.5, below the expedited 0.667.
    k.addVote(
      h.ctx(2n),
      id,
      addr(VALIDATOR),
      [
        { option: VoteOption.VOTE_OPTION_YES, weight: (DEC_ONE * 6n) / 10n },
        { option: VoteOption.VOTE_OPTION_NO, weight: (DEC_ONE * 4n) / 10n },
      ],
      "",
    );
    const events = h.endBlock(11n);
    expect(attr(events, "active_proposal", "proposal_result")).toEqual(["expedited_proposal_rejected"]);
    const p = k.getProposal(h.ctx(0n), id);
    expect(p?.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(p?.expedited).toBe(false);
    expect(p?.votingEndTime?.seconds).toBe(1_700_000_016n);
    expect(h.balance(PROPOSER)).toBe(100_000_000n - 50_000_000n); // deposits still held
    h.endBlock(16n);
    expect(status(h, id)).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(h.balance(RECIPIENT)).toBe(7n);
    expect(h.balance(PROPOSER)).toBe(100_000_000n);
  });

  test("with no bonded tokens nothing can pass", () => {
    const h = setup();
    h.staking.validators = [];
    const k = h.gov.keeper;
    const id = k.submitProposal(h.ctx(1n), proposal([sendAny(GOV, RECIPIENT, 1n)]));
    vote(k, h, 2n, id, VALIDATOR, VoteOption.VOTE_OPTION_YES);
    h.endBlock(16n);
    expect(k.getProposal(h.ctx(0n), id)?.failedReason).toMatch(/no tokens are bonded/);
  });
});

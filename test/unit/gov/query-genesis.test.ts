import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import {
  QueryDepositRequest,
  QueryDepositResponse,
  QueryDepositsRequest,
  QueryDepositsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
  QueryTallyResultRequest,
  QueryTallyResultResponse,
  QueryVoteRequest,
  QueryVoteResponse,
  QueryVotesRequest,
  QueryVotesResponse,
} from "cosmjs-types/cosmos/gov/v1/query";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { ChainError } from "../../../src/baseapp/errors";
import type { SubmitProposalInput } from "../../../src/x/gov/keeper";
import { singleOption } from "../../../src/x/gov/options";
import { addr, coins, govHarness, sendAny, type GovHarness } from "./harness";

const GOV = moduleAccountAddress("gov");
const PROPOSER = addr(1);
const VALIDATOR = 2;
const OTHER = addr(3);
const RECIPIENT = addr(9);

interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
  fromPartial(o: never): T;
}

function query<Req, Res>(h: GovHarness, method: string, req: Codec<Req>, res: Codec<Res>, value: Partial<Req>): Res {
  const bytes = h.app.queries.handle(h.ctx(0n), `/cosmos.gov.v1.Query/${method}`, req.encode(req.fromPartial(value as never)).finish());
  return res.decode(bytes);
}

function input(deposit: bigint, amount = 1n): SubmitProposalInput {
  return { messages: [sendAny(GOV, RECIPIENT, amount)], initialDeposit: coins(deposit), proposer: PROPOSER, metadata: "", title: "t", summary: "s", expedited: false };
}

/** Three proposals: #1 passed, #2 in voting with votes and two deposits, #3 in its deposit period. */
function populated(): GovHarness {
  const h = govHarness({
    balances: [
      { address: PROPOSER, amount: 100_000_000n },
      { address: OTHER, amount: 100_000_000n },
      { address: GOV, amount: 1_000n },
    ],
  });
  h.staking.addValidator(VALIDATOR, 1_000n);
  h.staking.delegate(3, VALIDATOR, 500n);
  const k = h.gov.keeper;
  const p1 = k.submitProposal(h.ctx(1n), input(10_000_000n, 10n));
  k.addVote(h.ctx(2n), p1, addr(VALIDATOR), singleOption(VoteOption.VOTE_OPTION_YES), "");
  h.endBlock(16n);
  const p2 = k.submitProposal(h.ctx(20n), input(6_000_000n, 20n));
  k.addDeposit(h.ctx(21n), p2, OTHER, coins(4_000_000n));
  k.addVote(h.ctx(22n), p2, addr(VALIDATOR), singleOption(VoteOption.VOTE_OPTION_YES), "");
  k.addVote(h.ctx(22n), p2, OTHER, singleOption(VoteOption.VOTE_OPTION_NO), "I object");
  k.submitProposal(h.ctx(25n), input(1_000_000n));
  return h;
}

describe("gov queries", () => {
  test("Proposal, Proposals with status/voter/depositor filters and pagination", () => {
    const h = populated();
    expect(query(h, "Proposal", QueryProposalRequest, QueryProposalResponse, { proposalId: 2n }).proposal?.status).toBe(
      ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
    );
    expect(() => query(h, "Proposal", QueryProposalRequest, QueryProposalResponse, { proposalId: 9n })).toThrow(/proposal 9 doesn't exist/);
    const ids = (v: Partial<QueryProposalsRequest>): bigint[] =>
      query(h, "Proposals", QueryProposalsRequest, QueryProposalsResponse, v).proposals.map((p) => p.id);
    expect(ids({})).toEqual([1n, 2n, 3n]);
    expect(ids({ proposalStatus: ProposalStatus.PROPOSAL_STATUS_PASSED })).toEqual([1n]);
    expect(ids({ proposalStatus: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD })).toEqual([3n]);
    expect(ids({ voter: OTHER })).toEqual([2n]);
    expect(ids({ depositor: OTHER })).toEqual([2n]);
    expect(ids({ depositor: PROPOSER })).toEqual([2n, 3n]); // #1's deposits were refunded and deleted

    const page1 = query(h, "Proposals", QueryProposalsRequest, QueryProposalsResponse, { pagination: { limit: 2n, countTotal: true } as never });
    expect(page1.proposals.map((p) => p.id)).toEqual([1n, 2n]);
    expect(page1.pagination?.total).toBe(3n);
    const page2 = query(h, "Proposals", QueryProposalsRequest, QueryProposalsResponse, {
      pagination: { key: page1.pagination?.nextKey, limit: 2n } as never,
    });
    expect(page2.proposals.map((p) => p.id)).toEqual([3n]);
    expect(page2.pagination?.nextKey.length).toBe(0);
    const rev = query(h, "Proposals", QueryProposalsRequest, QueryProposalsResponse, { pagination: { limit: 1n, reverse: true, offset: 1n } as never });
    expect(rev.proposals.map((p) => p.id)).toEqual([2n]);
  });

  test("Vote, Votes, Deposit, Deposits, TallyResult and Params", () => {
    const h = populated();
    const v = query(h, "Vote", QueryVoteRequest, QueryVoteResponse, { proposalId: 2n, voter: OTHER }).vote;
    expect(v?.options).toEqual([{ option: VoteOption.VOTE_OPTION_NO, weight: "1.000000000000000000" }]);
    expect(v?.metadata).toBe("I object");
    expect(() => query(h, "Vote", QueryVoteRequest, QueryVoteResponse, { proposalId: 3n, voter: OTHER })).toThrow(ChainError);
    expect(query(h, "Votes", QueryVotesRequest, QueryVotesResponse, { proposalId: 2n }).votes).toHaveLength(2);
    expect(query(h, "Deposit", QueryDepositRequest, QueryDepositResponse, { proposalId: 2n, depositor: OTHER }).deposit?.amount).toEqual([
      { denom: "udcert", amount: "4000000" },
    ]);
    expect(query(h, "Deposits", QueryDepositsRequest, QueryDepositsResponse, { proposalId: 2n }).deposits).toHaveLength(2);
    // Live tally: OTHER's 500 shares vote no; the validator keeps its own 1000.
    expect(query(h, "TallyResult", QueryTallyResultRequest, QueryTallyResultResponse, { proposalId: 2n }).tally).toEqual({
      yesCount: "1000",
      abstainCount: "0",
      noCount: "500",
      noWithVetoCount: "0",
    });
    expect(query(h, "TallyResult", QueryTallyResultRequest, QueryTallyResultResponse, { proposalId: 1n }).tally?.yesCount).toBe("1500");
    expect(query(h, "TallyResult", QueryTallyResultRequest, QueryTallyResultResponse, { proposalId: 3n }).tally?.yesCount).toBe("0");
    const params = query(h, "Params", QueryParamsRequest, QueryParamsResponse, { paramsType: "voting" });
    expect(params.params?.votingPeriod?.seconds).toBe(15n);
    expect(params.votingParams?.votingPeriod?.seconds).toBe(15n);
    expect(params.params?.quorum).toBe("0.334000000000000000");
    expect(() => query(h, "Params", QueryParamsRequest, QueryParamsResponse, { paramsType: "bogus" })).toThrow(/unknown params type/);
  });
});

describe("gov genesis", () => {
  test("export → import reproduces the state and in-flight proposals continue", () => {
    const a = populated();
    const exported = a.exportState();
    const gov = exported["gov"] as Record<string, unknown>;
    expect(gov["starting_proposal_id"]).toBe("4");
    expect((gov["proposals"] as unknown[]).length).toBe(3);
    expect(gov["deposits"]).toEqual([
      { proposal_id: "2", depositor: PROPOSER, amount: [{ denom: "udcert", amount: "6000000" }] },
      { proposal_id: "2", depositor: OTHER, amount: [{ denom: "udcert", amount: "4000000" }] },
      { proposal_id: "3", depositor: PROPOSER, amount: [{ denom: "udcert", amount: "1000000" }] },
    ]);
    const json = JSON.parse(JSON.stringify(exported)) as Record<string, unknown>;
    const b = govHarness({ balances: [], appState: json });
    for (const v of a.staking.validators) b.staking.validators.push(v);
    for (const [d, list] of a.staking.delegations) b.staking.delegations.set(d, list);
    expect(JSON.stringify(b.exportState())).toBe(JSON.stringify(exported));
    expect(b.gov.keeper.escrow(b.ctx(0n))).toEqual(coins(11_000_000n));

    // #2 ends at t=36 (voting started at 21) and passes; #3 is dropped at t=85.
    b.endBlock(35n);
    expect(b.gov.keeper.getProposal(b.ctx(0n), 2n)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    b.endBlock(36n);
    expect(b.gov.keeper.getProposal(b.ctx(0n), 2n)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(b.balance(RECIPIENT)).toBe(30n);
    b.endBlock(85n);
    expect(b.gov.keeper.getProposal(b.ctx(0n), 3n)).toBeUndefined();
    expect(b.gov.keeper.escrow(b.ctx(0n))).toEqual([]);
    expect(b.gov.keeper.nextProposalId(b.ctx(0n))).toBe(4n);
  });

  test("invalid genesis sections are rejected with the JSON path", () => {
    const a = populated();
    const exported = JSON.parse(JSON.stringify(a.exportState())) as Record<string, Record<string, unknown>>;
    const mod = a.app.modules.find((m) => m.name === "gov")!;
    const gov = exported["gov"]!;
    expect(() => mod.validateGenesis({ ...gov, starting_proposal_id: "3" })).toThrow(/gov\.proposals\[2\]\.id/);
    expect(() => mod.validateGenesis({ ...gov, deposits: [...(gov["deposits"] as unknown[]), { proposal_id: "7", depositor: OTHER, amount: [] }] })).toThrow(
      /proposal 7 does not exist/,
    );
    const params = gov["params"] as Record<string, unknown>;
    expect(() => mod.validateGenesis({ ...gov, params: { ...params, expedited_voting_period: "15s" } })).toThrow(/expedited_voting_period/);
    expect(() => mod.validateGenesis({ ...gov, params: { ...params, quorum: "1.5" } })).toThrow(/quorum must be at most 1/);
    const proposals = gov["proposals"] as Record<string, unknown>[];
    const changed = proposals.map((p, i) => (i === 1 ? { ...p, total_deposit: [{ denom: "udcert", amount: "1" }] } : p));
    expect(() => mod.validateGenesis({ ...gov, proposals: changed })).toThrow(/total_deposit/);
    // Deposits the gov account does not hold fail InitChain.
    const bank = exported["bank"]!;
    const balances = (bank["balances"] as { address: string }[]).filter((b) => b.address !== GOV);
    expect(() => govHarness({ balances: [], appState: { ...exported, bank: { ...bank, balances, supply: [] } } })).toThrow(/gov module account/);
  });
});

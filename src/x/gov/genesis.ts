import {
  type Proposal,
  ProposalStatus,
  proposalStatusFromJSON,
  proposalStatusToJSON,
  type TallyResult,
  type Vote,
  voteOptionFromJSON,
  voteOptionToJSON,
} from "cosmjs-types/cosmos/gov/v1/gov";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { addrBytes } from "../auth/keeper";
import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { fromBase64, toBase64 } from "../../baseapp/encoding";
import { arr, at, bool, GenesisError, obj, optStr, str, uint } from "../../baseapp/json";
import { timeFromJson, timeToJson } from "../staking/time";
import type { GovKeeper } from "./keeper";
import { optionsToProto, parseWeightedOptions } from "./options";
import { coinsFromJson, coinsToJson, defaultGovParams, type GovParams, govParamsFromJson, govParamsToJson, validateGovParams } from "./params";
import { EMPTY_TALLY } from "./tally";

/**
 * The gov section of genesis, in the SDK's JSON shape (x/gov v1 GenesisState):
 * `starting_proposal_id`, `deposits`, `votes`, `proposals`, `params`, `constitution`.
 *
 * Proposal messages are written as `{"@type": "<type url>", "@value": "<base64 protobuf>"}` so
 * that any registered message (ours included) survives export → import byte for byte.
 */
export interface GovGenesis {
  readonly startingProposalId: bigint;
  readonly deposits: readonly { readonly proposalId: bigint; readonly depositor: string; readonly amount: Coin[] }[];
  readonly votes: readonly Vote[];
  readonly proposals: readonly Proposal[];
  readonly params: GovParams;
  readonly constitution: string;
}

export function defaultGovGenesisJson(): Record<string, unknown> {
  return { starting_proposal_id: "1", deposits: [], votes: [], proposals: [], params: govParamsToJson(defaultGovParams()), constitution: "" };
}

function address(v: unknown, path: string): string {
  const a = str(v, path);
  at(path, () => addrBytes(a));
  return a;
}

function optTime(v: unknown, path: string): Timestamp | undefined {
  if (v === undefined || v === null) return undefined;
  return at(path, () => timeFromJson(str(v, path)));
}

function anyFromJson(v: unknown, path: string): Any {
  const o = obj(v, path);
  const typeUrl = str(o["@type"], `${path}["@type"]`);
  const value = at(`${path}["@value"]`, () => fromBase64(str(o["@value"], `${path}["@value"]`)));
  return { typeUrl, value };
}

function anyToJson(a: Any): unknown {
  return { "@type": a.typeUrl, "@value": toBase64(a.value) };
}

function tallyFromJson(v: unknown, path: string): TallyResult {
  if (v === undefined || v === null) return { ...EMPTY_TALLY };
  const o = obj(v, path);
  const n = (k: string): string => uint(o[k] ?? "0", `${path}.${k}`).toString();
  return { yesCount: n("yes_count"), abstainCount: n("abstain_count"), noCount: n("no_count"), noWithVetoCount: n("no_with_veto_count") };
}

function statusFromJson(v: unknown, path: string): ProposalStatus {
  const s = proposalStatusFromJSON(v);
  if (s === ProposalStatus.UNRECOGNIZED || s === ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED) {
    throw new GenesisError(path, `unknown proposal status ${JSON.stringify(v)}`);
  }
  return s;
}

function proposalFromJson(v: unknown, path: string): Proposal {
  const o = obj(v, path);
  const totalDeposit = coinsFromJson(o["total_deposit"], `${path}.total_deposit`);
  const p: Proposal = {
    id: uint(o["id"], `${path}.id`),
    messages: arr(o["messages"], `${path}.messages`).map((m, i) => anyFromJson(m, `${path}.messages[${i}]`)),
    status: statusFromJson(o["status"], `${path}.status`),
    finalTallyResult: tallyFromJson(o["final_tally_result"], `${path}.final_tally_result`),
    totalDeposit: totalDeposit.map((c) => ({ denom: c.denom, amount: c.amount.toString() })),
    metadata: optStr(o["metadata"], `${path}.metadata`, ""),
    title: optStr(o["title"], `${path}.title`, ""),
    summary: optStr(o["summary"], `${path}.summary`, ""),
    proposer: o["proposer"] === undefined || o["proposer"] === "" ? "" : address(o["proposer"], `${path}.proposer`),
    expedited: bool(o["expedited"], `${path}.expedited`, false),
    failedReason: optStr(o["failed_reason"], `${path}.failed_reason`, ""),
  };
  const times: [keyof Proposal, string][] = [
    ["submitTime", "submit_time"],
    ["depositEndTime", "deposit_end_time"],
    ["votingStartTime", "voting_start_time"],
    ["votingEndTime", "voting_end_time"],
  ];
  const out = p as unknown as Record<string, unknown>;
  for (const [field, key] of times) {
    const t = optTime(o[key], `${path}.${key}`);
    if (t !== undefined) out[field] = t;
  }
  return p;
}

function timeOrNull(t: Timestamp | undefined): string | null {
  return t === undefined ? null : timeToJson(t);
}

function proposalToJson(p: Proposal): unknown {
  const t = p.finalTallyResult ?? EMPTY_TALLY;
  return {
    id: p.id.toString(),
    messages: p.messages.map(anyToJson),
    status: proposalStatusToJSON(p.status),
    final_tally_result: {
      yes_count: t.yesCount,
      abstain_count: t.abstainCount,
      no_count: t.noCount,
      no_with_veto_count: t.noWithVetoCount,
    },
    submit_time: timeOrNull(p.submitTime),
    deposit_end_time: timeOrNull(p.depositEndTime),
    total_deposit: p.totalDeposit.map((c) => ({ denom: c.denom, amount: c.amount })),
    voting_start_time: timeOrNull(p.votingStartTime),
    voting_end_time: timeOrNull(p.votingEndTime),
    metadata: p.metadata,
    title: p.title,
    summary: p.summary,
    proposer: p.proposer,
    expedited: p.expedited,
    failed_reason: p.failedReason,
  };
}

function voteFromJson(v: unknown, path: string): Vote {
  const o = obj(v, path);
  const options = at(`${path}.options`, () =>
    parseWeightedOptions(
      arr(o["options"], `${path}.options`).map((x, i) => {
        const xo = obj(x, `${path}.options[${i}]`);
        return { option: voteOptionFromJSON(xo["option"]), weight: str(xo["weight"], `${path}.options[${i}].weight`) };
      }),
    ),
  );
  return {
    proposalId: uint(o["proposal_id"], `${path}.proposal_id`),
    voter: address(o["voter"], `${path}.voter`),
    options: optionsToProto(options),
    metadata: optStr(o["metadata"], `${path}.metadata`, ""),
  };
}

function voteToJson(v: Vote): unknown {
  return {
    proposal_id: v.proposalId.toString(),
    voter: v.voter,
    options: v.options.map((o) => ({ option: voteOptionToJSON(o.option), weight: o.weight })),
    metadata: v.metadata,
  };
}

/** Parses the gov genesis section (missing parts take defaults). Throws GenesisError naming the path. */
export function parseGovGenesis(g: unknown): GovGenesis {
  const o = obj(g ?? {}, "gov");
  return {
    startingProposalId: o["starting_proposal_id"] === undefined ? 1n : uint(o["starting_proposal_id"], "gov.starting_proposal_id"),
    deposits: arr(o["deposits"], "gov.deposits").map((d, i) => {
      const path = `gov.deposits[${i}]`;
      const dobj = obj(d, path);
      return {
        proposalId: uint(dobj["proposal_id"], `${path}.proposal_id`),
        depositor: address(dobj["depositor"], `${path}.depositor`),
        amount: coinsFromJson(dobj["amount"], `${path}.amount`),
      };
    }),
    votes: arr(o["votes"], "gov.votes").map((v, i) => voteFromJson(v, `gov.votes[${i}]`)),
    proposals: arr(o["proposals"], "gov.proposals").map((p, i) => proposalFromJson(p, `gov.proposals[${i}]`)),
    params: govParamsFromJson(o["params"]),
    constitution: optStr(o["constitution"], "gov.constitution", ""),
  };
}

/**
 * Pure checks: valid params; proposal ids unique, non-zero and below starting_proposal_id;
 * deposits and votes name existing proposals, at most one per (proposal, address); deposits only
 * on proposals in the deposit or voting period, summing to their total_deposit; votes only on
 * proposals in the voting period; live proposals carry the times their period needs.
 */
export function validateGovGenesis(gen: GovGenesis): void {
  at("gov.params", () => validateGovParams(gen.params));
  if (gen.startingProposalId === 0n) throw new GenesisError("gov.starting_proposal_id", "must be at least 1");
  const proposals = new Map<bigint, Proposal>();
  gen.proposals.forEach((p, i) => {
    const path = `gov.proposals[${i}]`;
    if (p.id === 0n) throw new GenesisError(`${path}.id`, "proposal ids start at 1");
    if (p.id >= gen.startingProposalId) {
      throw new GenesisError(`${path}.id`, `proposal ${p.id} is not below starting_proposal_id ${gen.startingProposalId}`);
    }
    if (proposals.has(p.id)) throw new GenesisError(`${path}.id`, `duplicate proposal ${p.id}`);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && p.depositEndTime === undefined) {
      throw new GenesisError(`${path}.deposit_end_time`, "a proposal in its deposit period needs deposit_end_time");
    }
    if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD && (p.votingStartTime === undefined || p.votingEndTime === undefined)) {
      throw new GenesisError(`${path}.voting_end_time`, "a proposal in its voting period needs voting_start_time and voting_end_time");
    }
    proposals.set(p.id, p);
  });
  const live = (s: ProposalStatus): boolean =>
    s === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD || s === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
  const sums = new Map<bigint, Map<string, bigint>>();
  const seenDeposits = new Set<string>();
  gen.deposits.forEach((d, i) => {
    const path = `gov.deposits[${i}]`;
    const p = proposals.get(d.proposalId);
    if (p === undefined) throw new GenesisError(`${path}.proposal_id`, `proposal ${d.proposalId} does not exist`);
    if (!live(p.status)) throw new GenesisError(path, `proposal ${d.proposalId} is ${proposalStatusToJSON(p.status)}; its deposits were already settled`);
    const key = `${d.proposalId}/${d.depositor}`;
    if (seenDeposits.has(key)) throw new GenesisError(path, `duplicate deposit of ${d.depositor} on proposal ${d.proposalId}`);
    seenDeposits.add(key);
    const m = sums.get(d.proposalId) ?? new Map<string, bigint>();
    for (const c of d.amount) m.set(c.denom, (m.get(c.denom) ?? 0n) + c.amount);
    sums.set(d.proposalId, m);
  });
  gen.proposals.forEach((p, i) => {
    if (!live(p.status)) return;
    const m = sums.get(p.id) ?? new Map<string, bigint>();
    const total = p.totalDeposit.filter((c) => c.amount !== "0");
    const same = total.length === [...m.values()].filter((a) => a > 0n).length && total.every((c) => m.get(c.denom) === BigInt(c.amount));
    if (!same) throw new GenesisError(`gov.proposals[${i}].total_deposit`, `does not equal the sum of the deposits on proposal ${p.id}`);
  });
  const seenVotes = new Set<string>();
  gen.votes.forEach((v, i) => {
    const path = `gov.votes[${i}]`;
    const p = proposals.get(v.proposalId);
    if (p === undefined) throw new GenesisError(`${path}.proposal_id`, `proposal ${v.proposalId} does not exist`);
    if (p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      throw new GenesisError(path, `proposal ${v.proposalId} is not in its voting period`);
    }
    const key = `${v.proposalId}/${v.voter}`;
    if (seenVotes.has(key)) throw new GenesisError(path, `duplicate vote of ${v.voter} on proposal ${v.proposalId}`);
    seenVotes.add(key);
  });
}

/** Writes a validated genesis into the store; checks the gov module account holds the deposits. */
export function initGovGenesis(ctx: Context, keeper: GovKeeper, gen: GovGenesis, govBalance: (denom: string) => bigint): void {
  keeper.setParams(ctx, gen.params);
  keeper.setConstitution(ctx, gen.constitution);
  keeper.setNextProposalId(ctx, gen.startingProposalId);
  for (const p of gen.proposals) keeper.importProposal(ctx, p);
  for (const d of gen.deposits) keeper.importDeposit(ctx, d.proposalId, d.depositor, d.amount);
  for (const v of gen.votes) keeper.importVote(ctx, v);
  for (const c of keeper.escrow(ctx)) {
    const have = govBalance(c.denom);
    if (have < c.amount) {
      throw new GenesisError(
        "gov.deposits",
        `deposits total ${c.amount}${c.denom} but the gov module account ${keeper.authority} holds ${have}${c.denom}; add the deposits to its bank balance`,
      );
    }
  }
}

export function exportGovGenesis(ctx: Context, keeper: GovKeeper): Record<string, unknown> {
  return {
    starting_proposal_id: keeper.nextProposalId(ctx).toString(),
    deposits: keeper.allDeposits(ctx).map((d) => ({ proposal_id: d.proposalId.toString(), depositor: d.depositor, amount: coinsToJson(d.amount) })),
    votes: [...keeper.allVotes(ctx)].map(voteToJson),
    proposals: [...keeper.allProposals(ctx)].map(proposalToJson),
    params: govParamsToJson(keeper.params(ctx)),
    constitution: keeper.constitution(ctx),
  };
}

/**
 * The gov section of a devnet/testnet genesis: min deposit 10 000 000 of the denom (expedited
 * 50 000 000), quorum 0.334, threshold 0.5, veto 0.334 with burn on veto; voting 15 s and deposit
 * period 60 s (expedited voting 10 s) with `shortPeriods`, else 2 days each (expedited 1 day).
 */
export function devnetGovGenesis(denom: string, shortPeriods: boolean): Record<string, unknown> {
  const base = defaultGovParams(denom);
  const params: GovParams = {
    ...base,
    maxDepositPeriod: { seconds: shortPeriods ? 60n : 172_800n, nanos: 0 },
    votingPeriod: { seconds: shortPeriods ? 15n : 172_800n, nanos: 0 },
    expeditedVotingPeriod: { seconds: shortPeriods ? 10n : 86_400n, nanos: 0 },
  };
  validateGovParams(params);
  return { ...defaultGovGenesisJson(), params: govParamsToJson(params) };
}

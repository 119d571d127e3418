/**
 * `dcertd q …` (alias `dcertd query …`): read-only queries of bank, auth, staking, gov v1, dcert and
 * transactions (slashing, distribution, mint, evidence and more staking: their own files). Addresses may be given as key names of the keyring.
 * With -o json every command prints the SDK's proto-JSON of its query's response (./sdkjson.ts);
 * the JSON values built here are the text form's.
 */
import type { Registry } from "@cosmjs/proto-signing";
import { decodeTxRaw } from "@cosmjs/proto-signing";
import { proposalStatusFromJSON, proposalStatusToJSON, voteOptionToJSON, type Deposit, type Proposal, type TallyResult, type Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import { bondStatusToJSON, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Duration } from "cosmjs-types/google/protobuf/duration";
import { GetTxRequest } from "cosmjs-types/cosmos/tx/v1beta1/service";
import type { DcertClient } from "../client/dcertclient";
import { decimalToFixed18, fixed18ToDecimal } from "../client/decimal";
import { createDcertRegistry } from "../client/signingdcertclient";
import { ApiError, GrpcCode } from "../server/backend";
import { toSdkJson } from "../server/json";
import { CometRpc } from "../server/services/rpc";
import { txServiceHandlers } from "../server/services/tx";
import { groupStatusToJSON, type MemberStatus, type VoterRecord } from "../generated/dcert/v1/types";
import { stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { coordQueryLeaves } from "./coord/query";
import { distributionQueryLeaves } from "./distribution";
import { evidenceQueryLeaves } from "./evidence";
import { mintQueryLeaves } from "./mint";
import { slashingQueryLeaves } from "./slashing";
import { stakingQueryLeaves } from "./staking";
import { upgradeQueryLeaves } from "./upgrade/query";
import { describeClientError, HOME_FLAG, isValoperAddress, NODE_FLAG, PREFIX, resolveAddress, resolveNode } from "./clientenv";
import { CliError, commandTree, type Leaf } from "./cmdtree";
import { OUTPUT_FLAG, outputFormat, toJson, type Json } from "./output";
import { parseId } from "./parse";
import { HEIGHT_FLAG, runQuery } from "./sdkjson";

const GET_TX = "/cosmos.tx.v1beta1.Service/GetTx";

const COMMON: readonly FlagSpec[] = [NODE_FLAG, HOME_FLAG, OUTPUT_FLAG, HEIGHT_FLAG];

type Obj = { [key: string]: Json };

function positional(args: ParsedArgs, names: readonly string[]): string[] {
  const got = args.positionals;
  if (got.length < names.length) throw new UsageError(`missing ${names.slice(got.length).join(", ")}`);
  if (got.length > names.length) throw new UsageError(`unexpected argument "${got[names.length] ?? ""}"`);
  return [...got];
}

function q(path: string[], summary: string, positionals: string[], flags: readonly FlagSpec[], run: (client: DcertClient, args: ParsedArgs) => Promise<{ json: Json; text?: Json | string }>): Leaf {
  return {
    path,
    summary,
    positionals,
    flags: [...COMMON, ...flags],
    async run(args) {
      positional(args, positionals.filter((p) => !p.startsWith("[")));
      return runQuery(args, (client) => run(client, args));
    },
  };
}

/** An 18-decimal fixed-point string (shares, LegacyDec in its integer or decimal form) as a short decimal. */
function dec(v: string): string {
  if (/^[0-9]+$/.test(v)) return fixed18ToDecimal(v);
  if (/^[0-9]*\.[0-9]{1,18}$/.test(v)) return fixed18ToDecimal(decimalToFixed18(v));
  return v;
}

function durationString(d: Duration | undefined): string {
  if (d === undefined) return "";
  const nanos = d.nanos === 0 ? "" : `.${d.nanos.toString().padStart(9, "0").replace(/0+$/, "")}`;
  return `${d.seconds}${nanos}s`;
}

function coinsText(coins: readonly { denom: string; amount: string }[] | undefined): string {
  return (coins ?? []).map((c) => `${c.amount}${c.denom}`).join(",");
}

function decodeAny(registry: Registry, any: Any): Json {
  try {
    return { "@type": any.typeUrl, ...(toJson(registry.decode(any)) as Obj) };
  } catch {
    return { "@type": any.typeUrl, value: toJson(any.value) };
  }
}

// ---- bank, auth

const bankBalances = q(["bank", "balances"], "an account's balances", ["<address>"], [{ name: "denom", valueName: "denom", description: "only this denom" }], async (c, args) => {
  const [who] = args.positionals as [string];
  const address = resolveAddress(args, who, "<address>");
  const denom = stringFlag(args, "denom");
  if (denom !== undefined) {
    const b = await c.getBalance(address, denom);
    return { json: { denom: b.denom, amount: b.amount } };
  }
  const balances = (await c.getAllBalances(address)).map((b) => ({ denom: b.denom, amount: b.amount }));
  return { json: { address, balances } };
});

/** A single key's base64 value; a multisig key as its amino JSON value (threshold and member keys). */
function accountPubkeyJson(pubkey: { type: string; value: unknown } | null): Json {
  if (pubkey === null) return null;
  return typeof pubkey.value === "string" ? pubkey.value : (JSON.parse(JSON.stringify(pubkey.value)) as Json);
}

const authAccount = q(["auth", "account"], "an account's number, sequence and public key", ["<address>"], [], async (c, args) => {
  const address = resolveAddress(args, args.positionals[0] as string, "<address>");
  const acc = await c.getAccount(address);
  if (acc === null) throw new CliError(`account ${address} does not exist on chain`, "it is created when it first receives tokens");
  return { json: { address: acc.address, account_number: acc.accountNumber.toString(), sequence: String(acc.sequence), pubkey: accountPubkeyJson(acc.pubkey) } };
});

// ---- staking

function validatorJson(v: Validator): Obj {
  return {
    operator_address: v.operatorAddress,
    moniker: v.description.moniker,
    status: bondStatusToJSON(v.status),
    jailed: v.jailed,
    tokens: v.tokens,
    delegator_shares: dec(v.delegatorShares),
    commission_rate: dec(v.commission.commissionRates?.rate ?? "0"),
    min_self_delegation: v.minSelfDelegation,
  };
}

const STATUS_FLAG: FlagSpec = { name: "status", valueName: "status", description: "bonded, unbonding or unbonded", defaultText: "all" };

const stakingValidators = q(["staking", "validators"], "the validators", [], [STATUS_FLAG], async (c, args) => {
  const s = stringFlag(args, "status");
  const status = s === undefined ? "" : ({ bonded: "BOND_STATUS_BONDED", unbonding: "BOND_STATUS_UNBONDING", unbonded: "BOND_STATUS_UNBONDED" } as const)[s.toLowerCase() as "bonded"];
  if (status === undefined) throw new UsageError(`--status must be bonded, unbonding or unbonded, got "${s ?? ""}"`);
  return { json: { validators: (await c.getValidators(status)).map(validatorJson) } };
});

function valoperArg(text: string): string {
  if (!isValoperAddress(text)) throw new UsageError(`"${text}" is not a validator operator address (${PREFIX}valoper1…); list them with "dcertd q staking validators"`);
  return text;
}

const stakingValidator = q(["staking", "validator"], "one validator", ["<validator>"], [], async (c, args) => ({
  json: validatorJson(await c.getValidator(valoperArg(args.positionals[0] as string))),
}));

function delegationJson(d: { delegation?: { delegatorAddress: string; validatorAddress: string; shares: string }; balance?: { denom: string; amount: string } }): Obj {
  return {
    delegator_address: d.delegation?.delegatorAddress ?? "",
    validator_address: d.delegation?.validatorAddress ?? "",
    shares: dec(d.delegation?.shares ?? "0"),
    balance: d.balance === undefined ? null : { denom: d.balance.denom, amount: d.balance.amount },
  };
}

const stakingDelegation = q(["staking", "delegation"], "one delegation", ["<delegator>", "<validator>"], [], async (c, args) => {
  const [d, v] = args.positionals as [string, string];
  const res = await c.queries.queryClient.staking.delegation(resolveAddress(args, d, "<delegator>"), valoperArg(v));
  if (res.delegationResponse === undefined) throw new CliError("no such delegation", "check the delegator and validator addresses");
  return { json: delegationJson(res.delegationResponse) };
});

const stakingDelegations = q(["staking", "delegations"], "a delegator's delegations", ["<delegator>"], [], async (c, args) => ({
  json: { delegations: (await c.getDelegations(resolveAddress(args, args.positionals[0] as string, "<delegator>"))).map(delegationJson) },
}));

const stakingUnbondings = q(["staking", "unbonding-delegations"], "a delegator's unbonding delegations", ["<delegator>"], [], async (c, args) => {
  const delegator = resolveAddress(args, args.positionals[0] as string, "<delegator>");
  const list = await c.getUnbondingDelegations(delegator);
  const rows = list.flatMap((u) => u.entries.map((e) => ({ validator_address: u.validatorAddress, creation_height: e.creationHeight.toString(), completion_time: toJson(e.completionTime), initial_balance: e.initialBalance, balance: e.balance })));
  return { json: { delegator_address: delegator, unbonding: rows } };
});

// ---- gov

function tallyJson(t: TallyResult | undefined): Obj {
  return { yes: t?.yesCount ?? "0", abstain: t?.abstainCount ?? "0", no: t?.noCount ?? "0", no_with_veto: t?.noWithVetoCount ?? "0" };
}

function proposalJson(p: Proposal, registry: Registry): Obj {
  return {
    id: p.id.toString(),
    status: proposalStatusToJSON(p.status),
    title: p.title,
    summary: p.summary,
    proposer: p.proposer,
    messages: p.messages.map((m) => decodeAny(registry, m)),
    total_deposit: coinsText(p.totalDeposit),
    submit_time: toJson(p.submitTime),
    deposit_end_time: toJson(p.depositEndTime),
    voting_start_time: toJson(p.votingStartTime),
    voting_end_time: toJson(p.votingEndTime),
    final_tally_result: tallyJson(p.finalTallyResult),
    metadata: p.metadata,
    expedited: p.expedited,
    failed_reason: p.failedReason,
  };
}

function voteJson(v: Vote): Obj {
  return { proposal_id: v.proposalId.toString(), voter: v.voter, options: v.options.map((o) => ({ option: voteOptionToJSON(o.option), weight: dec(o.weight) })), metadata: v.metadata };
}

function depositJson(d: Deposit): Obj {
  return { proposal_id: d.proposalId.toString(), depositor: d.depositor, amount: coinsText(d.amount) };
}

const govProposal = q(["gov", "proposal"], "one proposal, with its messages decoded", ["<proposal-id>"], [], async (c, args) => {
  const id = parseId(args.positionals[0], "proposal id");
  const p = await c.getProposal(id);
  if (p === null) throw new CliError(`proposal ${id} does not exist`, `list proposals with "dcertd q gov proposals"`);
  const json = proposalJson(p, createDcertRegistry());
  const { messages, ...rest } = json;
  return { json, text: { ...rest, messages: (messages as Obj[]).map((m) => m["@type"] ?? "").join(", ") } };
});

const govProposals = q(
  ["gov", "proposals"],
  "proposals, optionally by status",
  [],
  [{ name: "status", valueName: "status", description: "deposit_period, voting_period, passed, rejected or failed" }],
  async (c, args) => {
    const s = stringFlag(args, "status");
    let status = 0;
    if (s !== undefined) {
      status = proposalStatusFromJSON(`PROPOSAL_STATUS_${s.toUpperCase()}`);
      if (status <= 0) throw new UsageError(`--status must be deposit_period, voting_period, passed, rejected or failed, got "${s}"`);
    }
    const registry = createDcertRegistry();
    const list = (await c.getProposals({ status })).map((p) => proposalJson(p, registry));
    return { json: { proposals: list }, text: { proposals: list.map((p) => ({ id: p["id"] ?? "", status: p["status"] ?? "", title: p["title"] ?? "", voting_end_time: p["voting_end_time"] ?? "" })) } };
  },
);

const govVote = q(["gov", "vote"], "one voter's vote on a proposal", ["<proposal-id>", "<voter>"], [], async (c, args) => {
  const id = parseId(args.positionals[0], "proposal id");
  const voter = resolveAddress(args, args.positionals[1] as string, "<voter>");
  const v = await c.getGovVote(id, voter);
  if (v === null) throw new CliError(`${voter} has not voted on proposal ${id}`, "check the proposal id and voter");
  return { json: voteJson(v) };
});

const govVotes = q(["gov", "votes"], "the votes on a proposal", ["<proposal-id>"], [], async (c, args) => ({
  json: { votes: (await c.getGovVotes(parseId(args.positionals[0], "proposal id"))).map(voteJson) },
}));

const govDeposits = q(["gov", "deposits"], "the deposits on a proposal", ["<proposal-id>"], [], async (c, args) => ({
  json: { deposits: (await c.getDeposits(parseId(args.positionals[0], "proposal id"))).map(depositJson) },
}));

const govTally = q(["gov", "tally"], "a proposal's current (or final) tally", ["<proposal-id>"], [], async (c, args) => ({
  json: tallyJson(await c.getTally(parseId(args.positionals[0], "proposal id"))),
}));

const govParams = q(["gov", "params"], "governance parameters", [], [], async (c) => {
  const p = await c.getGovParams();
  return {
    json: {
      min_deposit: coinsText(p.minDeposit),
      max_deposit_period: durationString(p.maxDepositPeriod),
      voting_period: durationString(p.votingPeriod),
      quorum: dec(p.quorum),
      threshold: dec(p.threshold),
      veto_threshold: dec(p.vetoThreshold),
      min_initial_deposit_ratio: dec(p.minInitialDepositRatio),
      expedited_voting_period: durationString(p.expeditedVotingPeriod),
      expedited_threshold: dec(p.expeditedThreshold),
      expedited_min_deposit: coinsText(p.expeditedMinDeposit),
      burn_vote_veto: p.burnVoteVeto,
      min_deposit_ratio: dec(p.minDepositRatio),
    },
  };
});

// ---- dcert

function memberStatusJson(s: MemberStatus): Obj {
  return { ...(toJson(s) as Obj), acceptance: s.acceptance === undefined ? null : (toJson(s.acceptance) as Obj), queue_entry: s.queueEntry === undefined ? null : (toJson(s.queueEntry) as Obj) };
}

function voterJson(v: VoterRecord): Obj {
  return { voter: v.voter, power: v.power, entries: v.entries.map((e) => ({ candidate: e.candidate, share: e.share, contribution: e.contribution })) };
}

const BOND_FILTERS: readonly FlagSpec[] = [
  { name: "member", valueName: "address", description: "only bonds for this member (address or key name)" },
  { name: "staker", valueName: "address", description: "only bonds from this staker (address or key name)" },
];

function bondFilter(args: ParsedArgs): { member?: string; staker?: string } {
  const m = stringFlag(args, "member");
  const s = stringFlag(args, "staker");
  return { ...(m !== undefined ? { member: resolveAddress(args, m, "--member") } : {}), ...(s !== undefined ? { staker: resolveAddress(args, s, "--staker") } : {}) };
}

const dcertParams = q(["dcert", "params"], "the dCERT parameters", [], [], async (c) => {
  const p = await c.getDcertParams();
  const json = toJson(p) as Obj;
  return { json, text: { ...json, suspension_quorum: dec(p.suspensionQuorum), disband_slash_fraction: dec(p.disbandSlashFraction) } };
});

const dcertGroup = q(["dcert", "group"], "the group: status, description, members (best first)", [], [], async (c) => {
  const g = await c.getGroup();
  return {
    json: {
      status: groupStatusToJSON(g.status),
      description: toJson(g.description ?? { name: "", details: "", website: "", securityContact: "" }),
      members: g.members.map((m) => toJson(m)),
      max_members: g.maxMembers,
      last_sequence: g.lastSequence.toString(),
      disband_pending: g.disbandPending,
    },
  };
});

const dcertMember = q(["dcert", "member"], "one address's standing: membership, tally, bond, acceptance, suspension", ["<address>"], [], async (c, args) => ({
  json: memberStatusJson(await c.getMemberStatus(resolveAddress(args, args.positionals[0] as string, "<address>"))),
}));

const dcertCandidates = q(["dcert", "candidates"], "eligible non-members, best first", [], [], async (c) => ({
  json: { candidates: (await c.getCandidates()).map((x) => toJson(x)) },
}));

const dcertVote = q(["dcert", "vote"], "a voter's counted vote", ["<voter>"], [], async (c, args) => {
  const voter = resolveAddress(args, args.positionals[0] as string, "<voter>");
  const v = await c.getVote(voter);
  if (v === null) throw new CliError(`${voter} has no counted vote`, "a vote counts from the end of the block it is sent in; vote with \"dcertd tx dcert vote\"");
  const json = voterJson(v);
  return { json, text: { ...json, entries: v.entries.map((e) => ({ candidate: e.candidate, share: dec(e.share), contribution: e.contribution })) } };
});

const dcertQueue = q(["dcert", "queue"], "the stabilization queue (pending replacements)", [], [], async (c) => ({
  json: { entries: (await c.getStabilizationQueue()).map((e) => toJson(e)) },
}));

const dcertBonds = q(["dcert", "bonds"], "bonds, by member and/or staker", [], BOND_FILTERS, async (c, args) => ({
  json: { bonds: (await c.getBonds(bondFilter(args))).map((b) => toJson(b)) },
}));

const dcertUnbondings = q(["dcert", "unbondings"], "unbonding bonds (slashable until complete)", [], BOND_FILTERS, async (c, args) => ({
  json: { unbondings: (await c.getUnbondings(bondFilter(args))).map((u) => toJson(u)) },
}));

const dcertSuspensions = q(["dcert", "suspensions"], "suspended members and suspension votes", [], [], async (c) => {
  const s = await c.getSuspensions();
  return { json: { suspensions: s.suspensions.map((x) => toJson(x)), votes: s.votes.map((x) => toJson(x)) } };
});

const dcertDisbandStatus = q(["dcert", "disband-status"], "group status and pending disband proposals", [], [], async (c) => {
  const s = await c.getDisbandStatus();
  return { json: { status: groupStatusToJSON(s.status), frozen: s.frozen, proposals: s.proposals.map((p) => toJson(p)), status_height: s.statusHeight.toString() } };
});

const dcertBrokenRoutes = q(["dcert", "broken-routes"], "routes broken by the group, with who, why and when", [], [], async (c) => ({
  json: { routes: (await c.getBrokenRoutes()).map((r) => toJson(r)) },
}));

const dcertIsBroken = q(["dcert", "is-broken"], "whether a message type URL is broken, and by which rule", ["<type-url>"], [], async (c, args) => ({
  json: toJson(await c.isRouteBroken(args.positionals[0] as string)),
}));

// ---- tx

const queryTx = q(["tx"], "a committed transaction by hash: result, messages and events", ["<hash>"], [], async (c, args) => {
  const hash = args.positionals[0] as string;
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new UsageError(`"${hash}" is not a transaction hash (64 hex characters)`);
  const tx = await c.getTxDetails(hash);
  if (tx === null) throw new CliError(`transaction ${hash} is not known to the node`, "check the hash; a transaction is found only once it is in a block");
  const registry = createDcertRegistry();
  const decoded = decodeTxRaw(tx.tx);
  const json: Obj = {
    txhash: tx.hash,
    height: String(tx.height),
    code: tx.code,
    codespace: tx.codespace,
    raw_log: tx.rawLog,
    gas_wanted: tx.gasWanted.toString(),
    gas_used: tx.gasUsed.toString(),
    memo: decoded.body.memo,
    fee: coinsText(decoded.authInfo.fee?.amount),
    messages: decoded.body.messages.map((m) => decodeAny(registry, m)),
    events: tx.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) })),
  };
  const { events: _e, messages, ...rest } = json;
  const text: Obj = { ...rest, messages: (messages as Obj[]).map((m) => m["@type"] ?? "").join(", ") };
  if (outputFormat(args) === "json") return { json: await sdkTxResponse(resolveNode(args), hash), text };
  return { json, text };
});

/** The SDK's TxResponse JSON of a committed transaction (what `simd q tx -o json` prints), from the tx service's GetTx. */
async function sdkTxResponse(node: string, hash: string): Promise<Json> {
  const getTx = txServiceHandlers(new CometRpc(node)).get(GET_TX);
  if (getTx === undefined) throw new Error(`${GET_TX} is not served`);
  let bytes: Uint8Array;
  try {
    bytes = await getTx(GetTxRequest.encode({ hash }).finish(), {});
  } catch (e) {
    if (e instanceof ApiError) throw new CliError(e.message, e.code === GrpcCode.NOT_FOUND ? "check the hash; a transaction is found only once it is in a block" : "try again, or check the node");
    throw e;
  }
  const res = toSdkJson("cosmos.tx.v1beta1.GetTxResponse", bytes) as Json;
  return res !== null && typeof res === "object" && !Array.isArray(res) ? (res["tx_response"] ?? null) : null;
}

export const QUERY_LEAVES: readonly Leaf[] = [
  bankBalances,
  authAccount,
  stakingValidators,
  stakingValidator,
  stakingDelegation,
  stakingDelegations,
  stakingUnbondings,
  ...stakingQueryLeaves(),
  ...slashingQueryLeaves(),
  ...distributionQueryLeaves(),
  ...mintQueryLeaves(),
  ...evidenceQueryLeaves(),
  govProposal,
  govProposals,
  govVote,
  govVotes,
  govDeposits,
  govTally,
  govParams,
  dcertParams,
  dcertGroup,
  dcertMember,
  dcertCandidates,
  dcertVote,
  dcertQueue,
  dcertBonds,
  dcertUnbondings,
  dcertSuspensions,
  dcertDisbandStatus,
  dcertBrokenRoutes,
  dcertIsBroken,
  queryTx,
  ...coordQueryLeaves(),
  ...upgradeQueryLeaves(),
];

const QUERY_OPTIONS = {
  intro: ["Queries the node's last committed block. Addresses may be key names of the keyring."],
  commonFlags: COMMON,
  describeError: describeClientError,
  aliases: { coordination: "coord" },
};

export const queryCommand = commandTree("q", "query the chain (bank, auth, staking, slashing, distribution, mint, evidence, gov, dcert, coord, upgrade, tx)", QUERY_LEAVES, QUERY_OPTIONS);
export const queryCommandLong = commandTree("query", "same as q", QUERY_LEAVES, QUERY_OPTIONS);

/**
 * Genesis of the dCERT module: the "dcert" section of app_state.
 *
 * JSON shape: the protobuf JSON of dcert.v1.GenesisState with snake_case keys (uint64 as strings,
 * enums by name, proto3 defaults omitted), except `params`, which is always written in full.
 * `parse` + `validate` are pure; `init` writes the records (inputs and election records, so the
 * engine rebuilds from them at the first EndBlock); `export` reads them back. An export at any
 * committed height imports to the identical state, and exporting that again gives the same JSON.
 */
import { moduleAccountAddress } from "../auth/keeper";
import { type Coin, DEC_ONE, validateDenom } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { addrBytes } from "../auth/keeper";
import { arr, at, bool, GenesisError, obj, str, uint } from "../../baseapp/json";
import { timeFromJson, timeToJson } from "../staking/time";
import { DEFAULT_DENOM } from "../../baseapp/tx/constants";
import { contributionOf, ElectionError, MAX_POWER_EXCLUSIVE, MAX_VOTE_ENTRIES_LIMIT, validateVote } from "./electionator";
import { GenesisState } from "../../generated/dcert/v1/genesis";
import { GroupStatus, type VoterRecord } from "../../generated/dcert/v1/types";
import { snakeKeys } from "./events";
import type { DcertKeeper } from "./keeper/keeper";
import { BONDS_MODULE, keys, MAX_RANK_TALLY } from "./keys";
import { type DcertParams, defaultDcertParams, devnetDcertParams, electionParamsOf, paramsToJson, validateDcertParams } from "./keeper/params";
import { voterRecordFromProto } from "./keeper/records";
import { DESCRIPTION_LIMITS, MAX_REASON_LENGTH } from "./validate";
import { isCanonicalRoute } from "./circuit/routes";

/** A parsed genesis section: typed params plus the generated record types. */
export interface DcertGenesis {
  readonly params: DcertParams;
  readonly state: GenesisState;
}

export function defaultDcertGenesisJson(denom: string = DEFAULT_DENOM): Record<string, unknown> {
  return { params: paramsToJson(defaultDcertParams(denom)), group: { status: "GROUP_STATUS_ACTIVE" }, next_unbonding_id: "1" };
}

/** Devnet/testnet section (see devnetDcertParams: small bond and wager, circuit breaking on). */
export function devnetDcertGenesisJson(denom: string = DEFAULT_DENOM): Record<string, unknown> {
  return { ...defaultDcertGenesisJson(denom), params: paramsToJson(devnetDcertParams(denom)) };
}

function coinJson(v: unknown, path: string): Coin {
  const o = obj(v, path);
  const denom = str(o["denom"], `${path}.denom`);
  at(`${path}.denom`, () => validateDenom(denom));
  return { denom, amount: uint(o["amount"], `${path}.amount`) };
}

function uint32(v: unknown, path: string): number {
  const n = uint(v, path);
  if (n > 0xffffffffn) throw new GenesisError(path, `expected a uint32, got ${n}`);
  return Number(n);
}

export function paramsFromJson(v: unknown, path = "dcert.params"): DcertParams {
  const o = obj(v, path);
  const p: DcertParams = {
    maxMembers: uint32(o["max_members"], `${path}.max_members`),
    minMemberBond: coinJson(o["min_member_bond"], `${path}.min_member_bond`),
    stipendPerBlock: coinJson(o["stipend_per_block"], `${path}.stipend_per_block`),
    suspensionQuorum: uint(o["suspension_quorum"], `${path}.suspension_quorum`),
    disbandWager: coinJson(o["disband_wager"], `${path}.disband_wager`),
    disbandSlashFraction: uint(o["disband_slash_fraction"], `${path}.disband_slash_fraction`),
    stabilizationPeriod: uint(o["stabilization_period"], `${path}.stabilization_period`),
    maxVoteEntries: uint32(o["max_vote_entries"], `${path}.max_vote_entries`),
    circuitBreakEnabled: bool(o["circuit_break_enabled"], `${path}.circuit_break_enabled`, false),
  };
  at(path, () => validateDcertParams(p));
  return p;
}

const LISTS = [
  "candidates",
  "members",
  "queue",
  "votes",
  "bonds",
  "unbondings",
  "suspensions",
  "suspension_votes",
  "disband_proposals",
  "stipends",
  "broken_routes",
  "barred",
  "disband_exposures",
] as const;

/** Parses the JSON section (structure only; `validateDcertGenesis` checks the meaning). */
export function parseDcertGenesis(json: unknown): DcertGenesis {
  const o = obj(json, "dcert");
  const params = paramsFromJson(o["params"]);
  for (const l of LISTS) {
    arr(o[l], `dcert.${l}`).forEach((x, i) => obj(x, `dcert.${l}[${i}]`));
  }
  if (o["group"] !== undefined && o["group"] !== null) obj(o["group"], "dcert.group");
  const rest: Record<string, unknown> = { ...o };
  delete rest["params"];
  const state = at("dcert", () => GenesisState.fromJSON(rest));
  // Timestamps keep their nanoseconds (protobuf JSON through Date would keep only milliseconds).
  arr(o["unbondings"], "dcert.unbondings").forEach((u, i) => {
    const p = `dcert.unbondings[${i}].completion_time`;
    const t = (u as Record<string, unknown>)["completion_time"];
    const entry = state.unbondings[i];
    if (entry !== undefined) entry.completionTime = t === undefined || t === null ? undefined : at(p, () => timeFromJson(str(t, p)));
  });
  if (o["group"] === undefined || o["group"] === null) state.group = { status: GroupStatus.GROUP_STATUS_ACTIVE, description: undefined, statusHeight: 0n };
  return { params, state };
}

function check(cond: boolean, path: string, problem: string): void {
  if (!cond) throw new GenesisError(path, problem);
}

function address(a: string, path: string): void {
  at(path, () => addrBytes(a));
}

function posInt(s: string, path: string, allowZero = false): bigint {
  check(/^(0|[1-9][0-9]{0,77})$/.test(s), path, `expected a non-negative integer string, got ${JSON.stringify(s.slice(0, 60))}`);
  const v = BigInt(s);
  check(allowZero || v > 0n, path, "must be positive");
  return v;
}

function reason(s: string, path: string): void {
  check(s.length <= MAX_REASON_LENGTH, path, `at most ${MAX_REASON_LENGTH} characters`);
}

function unique(seen: Set<string>, key: string, path: string, what: string): void {
  check(!seen.has(key), path, `duplicate ${what} ${key}`);
  seen.add(key);
}

/** Pure validation of a parsed section: every rule the keeper relies on. */
export function validateDcertGenesis(g: DcertGenesis): void {
  const { params, state: s } = g;
  const group = s.group;
  const disbanded = group?.status === GroupStatus.GROUP_STATUS_DISBANDED;
  check(
    group !== undefined && (group.status === GroupStatus.GROUP_STATUS_ACTIVE || disbanded),
    "dcert.group.status",
    "must be GROUP_STATUS_ACTIVE or GROUP_STATUS_DISBANDED",
  );
  if (group?.description !== undefined) {
    for (const [key, name, max] of DESCRIPTION_LIMITS) check(group.description[key].length <= max, `dcert.group.description.${name}`, `at most ${max} characters`);
  }

  const bondTotals = new Map<string, bigint>();
  const pairs = new Set<string>();
  s.bonds.forEach((b, i) => {
    const p = `dcert.bonds[${i}]`;
    address(b.staker, `${p}.staker`);
    address(b.member, `${p}.member`);
    unique(pairs, `${b.member}/${b.staker}`, p, "bond");
    bondTotals.set(b.member, (bondTotals.get(b.member) ?? 0n) + posInt(b.amount, `${p}.amount`));
  });

  const suspended = new Set<string>();
  s.suspensions.forEach((x, i) => {
    const p = `dcert.suspensions[${i}]`;
    address(x.member, `${p}.member`);
    unique(suspended, x.member, p, "suspension of");
    reason(x.reason, `${p}.reason`);
  });

  const barred = new Set<string>();
  s.barred.forEach((x, i) => {
    const p = `dcert.barred[${i}]`;
    address(x.member, `${p}.member`);
    unique(barred, x.member, p, "bar of");
    reason(x.reason, `${p}.reason`);
  });

  const accepted = new Set<string>();
  check(!disbanded || s.candidates.length === 0, "dcert.candidates", "a disbanded group has no standing acceptances");
  s.candidates.forEach((c, i) => {
    const p = `dcert.candidates[${i}]`;
    address(c.address, `${p}.address`);
    unique(accepted, c.address, p, "candidate");
    check(!barred.has(c.address), p, `${c.address} is barred (slashed by governance) and cannot have a standing acceptance`);
    check(c.acceptance !== undefined && Number.isSafeInteger(c.acceptance.index) && c.acceptance.index >= 0, `${p}.acceptance`, "needs a height and an index");
  });
  const eligible = (a: string): string | undefined => {
    if (disbanded) return "the group is disbanded";
    if (!accepted.has(a)) return "it has no standing acceptance";
    if (suspended.has(a)) return "it is suspended";
    if (barred.has(a)) return "it is barred (slashed by governance, not reinstated)";
    if ((bondTotals.get(a) ?? 0n) < params.minMemberBond.amount) return "its bond is below min_member_bond";
    return undefined;
  };

  const members = new Set<string>();
  const seqs = new Set<string>();
  check(s.members.length <= params.maxMembers, "dcert.members", `${s.members.length} members but max_members is ${params.maxMembers}`);
  s.members.forEach((m, i) => {
    const p = `dcert.members[${i}]`;
    address(m.address, `${p}.address`);
    unique(members, m.address, p, "member");
    check(m.sequence > 0n && m.sequence <= s.lastSequence, `${p}.sequence`, `must be between 1 and last_sequence ${s.lastSequence}`);
    unique(seqs, m.sequence.toString(), `${p}.sequence`, "sequence");
    const why = eligible(m.address);
    check(why === undefined, p, `member ${m.address} is not eligible: ${why ?? ""}`);
  });

  const challengers = new Set<string>();
  const targets = new Set<string>();
  s.queue.forEach((q, i) => {
    const p = `dcert.queue[${i}]`;
    address(q.challenger, `${p}.challenger`);
    address(q.replaces, `${p}.replaces`);
    unique(challengers, q.challenger, `${p}.challenger`, "queued challenger");
    unique(targets, q.replaces, `${p}.replaces`, "queue target");
    check(!members.has(q.challenger) && eligible(q.challenger) === undefined, `${p}.challenger`, "must be an eligible non-member");
    check(members.has(q.replaces), `${p}.replaces`, "must be a member");
    check(q.maturesAt > 0n, `${p}.matures_at`, "must be a height above 0");
  });

  const voters = new Set<string>();
  s.votes.forEach((v, i) => validateVoterRecord(v, `dcert.votes[${i}]`, voters));

  const ids = new Set<string>();
  check(s.nextUnbondingId >= 1n, "dcert.next_unbonding_id", "must be at least 1");
  s.unbondings.forEach((u, i) => {
    const p = `dcert.unbondings[${i}]`;
    unique(ids, u.id.toString(), `${p}.id`, "unbonding id");
    check(u.id >= 1n && u.id < s.nextUnbondingId, `${p}.id`, `must be between 1 and next_unbonding_id - 1 (${s.nextUnbondingId - 1n})`);
    address(u.staker, `${p}.staker`);
    address(u.member, `${p}.member`);
    check(u.completionTime !== undefined, `${p}.completion_time`, "is required");
    const initial = posInt(u.initialBalance, `${p}.initial_balance`);
    const balance = posInt(u.balance, `${p}.balance`, true);
    check(balance <= initial, `${p}.balance`, "cannot exceed initial_balance");
  });

  const votePairs = new Set<string>();
  s.suspensionVotes.forEach((v, i) => {
    const p = `dcert.suspension_votes[${i}]`;
    address(v.target, `${p}.target`);
    address(v.voter, `${p}.voter`);
    check(v.target !== v.voter, p, "a member cannot vote to suspend itself");
    unique(votePairs, `${v.target}/${v.voter}`, p, "suspension vote");
    check(members.has(v.target), `${p}.target`, "suspension votes only exist against members");
    check(members.has(v.voter), `${p}.voter`, "suspension votes are only kept for voters that hold a seat");
    reason(v.reason, `${p}.reason`);
  });

  const proposals = new Set<string>();
  s.disbandProposals.forEach((d, i) => {
    const p = `dcert.disband_proposals[${i}]`;
    check(d.proposalId > 0n, `${p}.proposal_id`, "must be positive");
    unique(proposals, d.proposalId.toString(), p, "disband proposal");
    if (d.proposer !== "") address(d.proposer, `${p}.proposer`);
    check(d.wager !== undefined, `${p}.wager`, "is required");
    if (d.wager !== undefined) {
      at(`${p}.wager.denom`, () => validateDenom(d.wager?.denom ?? ""));
      posInt(d.wager.amount, `${p}.wager.amount`, true);
    }
  });

  const exposures = new Set<string>();
  s.disbandExposures.forEach((x, i) => {
    const p = `dcert.disband_exposures[${i}]`;
    check(proposals.has(x.proposalId.toString()), `${p}.proposal_id`, "must be a pending disband proposal (listed in disband_proposals)");
    address(x.address, `${p}.address`);
    unique(exposures, `${x.proposalId}/${x.address}`, p, "disband exposure");
  });

  const paid = new Set<string>();
  s.stipends.forEach((x, i) => {
    const p = `dcert.stipends[${i}]`;
    address(x.member, `${p}.member`);
    unique(paid, x.member, p, "stipend record of");
    posInt(x.amount, `${p}.amount`);
  });

  const routes = new Set<string>();
  s.brokenRoutes.forEach((b, i) => {
    const p = `dcert.broken_routes[${i}]`;
    check(isCanonicalRoute(b.route), `${p}.route`, "must be a canonical route: an exact type URL (/cosmos.bank.v1beta1.MsgSend) or a package (/cosmos.staking.v1beta1.*)");
    unique(routes, b.route, p, "broken route");
    address(b.member, `${p}.member`);
    reason(b.reason, `${p}.reason`);
  });
}

function validateVoterRecord(v: VoterRecord, p: string, voters: Set<string>): void {
  address(v.voter, `${p}.voter`);
  unique(voters, v.voter, p, "voter");
  const power = posInt(v.power, `${p}.power`, true);
  check(power < MAX_POWER_EXCLUSIVE, `${p}.power`, "out of range");
  check(v.entries.length > 0, `${p}.entries`, "a stored vote has at least one entry");
  v.entries.forEach((e, j) => {
    const q = `${p}.entries[${j}]`;
    address(e.candidate, `${q}.candidate`);
    const share = posInt(e.share, `${q}.share`);
    check(share <= DEC_ONE, `${q}.share`, "at most 1 (1000000000000000000)");
    const c = posInt(e.contribution, `${q}.contribution`, true);
    check(c === contributionOf(power, share), `${q}.contribution`, `must be floor(power × share / 10^18) = ${contributionOf(power, share)}`);
  });
  const code = validateVote(voterRecordFromProto(v).entries, MAX_VOTE_ENTRIES_LIMIT);
  check(code === ElectionError.None, `${p}.entries`, `invalid vote (${ElectionError[code]})`);
}

export interface GenesisDeps {
  bondedStakeOf(ctx: Context, delegator: string): bigint;
  balance(ctx: Context, address: string, denom: string): bigint;
}

/** Writes a validated section into the store. */
export function initDcertGenesis(ctx: Context, keeper: DcertKeeper, g: DcertGenesis, deps: GenesisDeps): void {
  const r = keeper.records;
  const s = g.state;
  r.setParams(ctx, g.params);
  r.setGroup(ctx, s.group ?? { status: GroupStatus.GROUP_STATUS_ACTIVE, description: undefined, statusHeight: 0n });
  r.setMeta(ctx, { lastSequence: s.lastSequence, ...electionParamsOf(g.params) });
  for (const b of s.bonds) r.setBond(ctx, b.member, b.staker, BigInt(b.amount));
  let escrow = 0n;
  for (const b of s.bonds) escrow += BigInt(b.amount);
  for (const u of s.unbondings) {
    r.putUnbonding(ctx, u, true);
    escrow += BigInt(u.balance);
  }
  r.setNextUnbondingId(ctx, s.nextUnbondingId);
  for (const x of s.suspensions) r.setSuspension(ctx, x);
  for (const x of s.barred) r.setBarred(ctx, x);
  for (const x of s.disbandExposures) r.addDisbandExposure(ctx, x.proposalId, x.address);
  for (const v of s.suspensionVotes) r.setSuspensionVote(ctx, v);
  for (const d of s.disbandProposals) r.setDisbandProposal(ctx, d);
  for (const x of s.stipends) r.setStipendPaid(ctx, x.member, BigInt(x.amount));
  for (const b of s.brokenRoutes) r.setBrokenRoute(ctx, b);
  for (const c of s.candidates) r.setCandidate(ctx, c.address, { height: c.acceptance?.height ?? 0n, index: c.acceptance?.index ?? 0 });

  const tallies = new Map<string, bigint>();
  for (const v of s.votes) {
    const rec = voterRecordFromProto(v);
    r.setVote(ctx, rec);
    for (const e of rec.entries) tallies.set(e.candidate, (tallies.get(e.candidate) ?? 0n) + e.contribution);
    // A stake that moved since the export is re-weighted at the first EndBlock.
    if (deps.bondedStakeOf(ctx, rec.voter) !== rec.power) r.markVoterDirty(ctx, rec.voter);
  }
  for (const [a, t] of tallies) r.setTally(ctx, a, t);
  for (const m of s.members) r.setMember(ctx, m.address, m.sequence);
  for (const q of s.queue) r.setQueueEntry(ctx, q);
  for (const c of s.candidates) {
    const e = keeper.eligibility(ctx, c.address);
    if (!e.ok) continue;
    r.setEligible(ctx, c.address, e.acceptance);
    if (r.memberSequence(ctx, c.address) === undefined) {
      const t = tallies.get(c.address) ?? 0n;
      r.setRank(ctx, keys.rank(t > MAX_RANK_TALLY ? MAX_RANK_TALLY : t, e.acceptance.height, e.acceptance.index, addrBytes(c.address)), true);
    }
  }

  const denom = g.params.minMemberBond.denom;
  const held = deps.balance(ctx, moduleAccountAddress(BONDS_MODULE), denom);
  if (held !== escrow) {
    throw new GenesisError(
      "dcert",
      `the ${BONDS_MODULE} module account holds ${held}${denom} but bonds plus unbonding balances total ${escrow}${denom}; add or fix its bank balance`,
    );
  }
  keeper.index.invalidate();
}

/** Reads the whole section back (records in key order). */
export function exportDcertGenesis(ctx: Context, keeper: DcertKeeper): Record<string, unknown> {
  const r = keeper.records;
  const state: GenesisState = {
    params: undefined,
    group: r.group(ctx),
    lastSequence: r.meta(ctx)?.lastSequence ?? 0n,
    candidates: [...r.allCandidates(ctx)],
    members: r.members(ctx),
    queue: r.queue(ctx),
    votes: [...r.allVotes(ctx)].map((v) => ({
      voter: v.voter,
      power: v.power.toString(),
      entries: v.entries.map((e) => ({ candidate: e.candidate, share: e.share.toString(), contribution: e.contribution.toString() })),
    })),
    bonds: [...r.allBonds(ctx)].map((b) => ({ staker: b.staker, member: b.member, amount: b.amount.toString() })),
    unbondings: [...r.allUnbondings(ctx)],
    nextUnbondingId: r.peekNextUnbondingId(ctx),
    suspensions: [...r.allSuspensions(ctx)],
    suspensionVotes: [...r.allSuspensionVotes(ctx)],
    disbandProposals: r.disbandProposals(ctx),
    stipends: [...r.allStipends(ctx)].map((x) => ({ member: x.member, amount: x.amount.toString() })),
    brokenRoutes: [...r.allBrokenRoutes(ctx)],
    barred: [...r.allBarred(ctx)],
    disbandExposures: [...r.allDisbandExposures(ctx)],
  };
  const json = snakeKeys(GenesisState.toJSON(state)) as Record<string, unknown>;
  if (Array.isArray(json["unbondings"])) {
    json["unbondings"] = (json["unbondings"] as Record<string, unknown>[]).map((u, i) => {
      const t = state.unbondings[i]?.completionTime;
      return t === undefined ? u : { ...u, completion_time: timeToJson(t) };
    });
  }
  return { params: paramsToJson(keeper.params(ctx)), ...json };
}

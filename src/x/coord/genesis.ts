/**
 * Genesis of the coordination module: the "coord" section of app_state.
 *
 * JSON shape: the protobuf JSON of coord.v1.GenesisState with snake_case keys (uint64 as strings,
 * enums by name, bytes in base64, timestamps in RFC 3339 with their nanoseconds, proto3 defaults
 * omitted), except `params`, which is always written in full. Parsing is strict (unknown fields,
 * non-canonical integers, unknown enum names, bad base64 and bad times are refused with the JSON
 * path); `validateCoordGenesis` checks every invariant the keeper relies on; `initCoordGenesis`
 * writes the records and rebuilds every index of keys.ts; `exportCoordGenesis` reads the records
 * back in key order, so export → init → export is the identity.
 */
import { addrBytes, moduleAccountAddress } from "../auth/keeper";
import { validateDenom } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { bytesEqual, readU64be, toHex, u64be } from "../../baseapp/encoding";
import { arr, at, GenesisError, obj } from "../../baseapp/json";
import { prefixEnd } from "../../baseapp/store/prefix";
import type { KVStore } from "../../baseapp/store/types";
import { snakeCase, snakeKeys } from "../../baseapp/typedevents";
import { GenesisState } from "../../generated/coord/v1/genesis";
import { Params } from "../../generated/coord/v1/params";
import {
  Case,
  CaseStatus,
  CheckEntry,
  Commitment,
  CommitmentKind,
  type Component,
  Disclosure,
  DisclosureCheck,
  EmbargoState,
  Involvement,
  InvolvementStatus,
  LevelMetrics,
  Mitigation,
  Notice,
  NoticeKind,
  Party,
  PartyKind,
  Phase,
  PostCoordinationRecord,
  Revision,
  RevisionKind,
  SealedInput,
  TimelineEntry,
} from "../../generated/coord/v1/types";
import type { Timestamp } from "../../generated/google/protobuf/timestamp";
import { envelopeHash, envelopeStructureError, x25519PublicKeyError } from "../../types/coord";
import { isCanonicalRoute } from "../dcert/circuit/routes";
import { timeFromJson, timeToJson } from "../staking/time";
import { COORD_MODULE_TABLE, type CoordKeeper } from "./keeper/keeper";
import { restartCheck } from "./keeper/check";
import { defaultCoordParams, devnetCoordParams, validateCoordParams } from "./keeper/params";
import { COORD_STORE, DEPOSITS_MODULE, KEY, keys } from "./keys";
import { canonicalComponent, indexSelector } from "./match";
import { planNameProblem } from "../../types/coord/gate";

// ---------------------------------------------------------------------------------------------
// JSON

const camel = (k: string): string => k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

type Rec = Record<string, unknown>;

function isTimestamp(v: unknown): v is Timestamp {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Uint8Array) return false;
  const ks = Object.keys(v);
  return ks.length === 2 && typeof (v as Rec)["seconds"] === "bigint" && typeof (v as Rec)["nanos"] === "number";
}

function isMessage(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Replaces the generated toJSON's millisecond timestamps with exact ones (nanoseconds kept). */
function exactTimes(typed: Rec, json: Rec): void {
  for (const [k, v] of Object.entries(typed)) {
    const sk = snakeCase(k);
    const j = json[sk];
    if (j === undefined) continue;
    if (isTimestamp(v)) json[sk] = timeToJson(v);
    else if (Array.isArray(v) && Array.isArray(j)) v.forEach((x, i) => isMessage(x) && isMessage(j[i]) && exactTimes(x, j[i]));
    else if (isMessage(v) && isMessage(j)) exactTimes(v, j);
  }
}

const INT = /^-?(0|[1-9][0-9]*)$/;
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/**
 * Walks a parsed message beside the JSON it came from and refuses what the generated fromJSON
 * accepts silently: non-canonical integers, unknown enum names, non-base64 bytes, strings or
 * booleans of the wrong type; re-reads timestamps exactly (RFC 3339, nanoseconds kept).
 */
function strictFields(typed: Rec, raw: Rec, path: string): void {
  const known = new Set<string>();
  for (const [k, v] of Object.entries(typed)) {
    const sk = snakeCase(k);
    known.add(sk).add(k);
    const key = raw[sk] !== undefined ? sk : k;
    const r = raw[key];
    const p = `${path}.${sk}`;
    if (r === undefined || r === null) continue;
    if (isTimestamp(v)) {
      if (typeof r !== "string") throw new GenesisError(p, 'expected an RFC 3339 time string, e.g. "2024-01-01T00:00:00Z"');
      typed[k] = at(p, () => timeFromJson(r));
    } else if (typeof v === "bigint") {
      const ok = (typeof r === "string" && INT.test(r)) || (typeof r === "number" && Number.isSafeInteger(r));
      if (!ok) throw new GenesisError(p, `expected an integer as a decimal string without leading zeros, got ${JSON.stringify(r)}`);
    } else if (typeof v === "number") {
      if (v === -1 && typeof r === "string") throw new GenesisError(p, `unknown enum value ${JSON.stringify(r)}`);
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new GenesisError(p, `expected a non-negative 32-bit integer or an enum name, got ${JSON.stringify(r)}`);
    } else if (typeof v === "string") {
      if (typeof r !== "string") throw new GenesisError(p, "expected a string");
    } else if (typeof v === "boolean") {
      if (typeof r !== "boolean") throw new GenesisError(p, "expected true or false");
    } else if (v instanceof Uint8Array) {
      if (typeof r !== "string" || !BASE64.test(r)) throw new GenesisError(p, "expected base64 bytes");
    } else if (Array.isArray(v)) {
      if (!Array.isArray(r)) throw new GenesisError(p, "expected an array");
      v.forEach((x, i) => {
        const rx: unknown = r[i];
        const q = `${p}[${i}]`;
        if (isMessage(x)) strictFields(x, obj(rx, q), q);
        else if (typeof x === "string" && typeof rx !== "string") throw new GenesisError(q, "expected a string");
      });
    } else if (isMessage(v)) {
      strictFields(v, obj(r, p), p);
    }
  }
  for (const k of Object.keys(raw)) {
    if (!known.has(k)) throw new GenesisError(`${path}.${k}`, `unknown field; expected one of ${[...known].filter((x) => x === snakeCase(x)).join(", ")}`);
  }
}

/** Every Timestamp field of the section's records (types.proto), snake_case and camelCase. */
const TIME_FIELDS = new Set(
  ["deadline_time", "original_deadline_time", "open_time", "disclosure_time", "new_deadline_time", "expires", "time", "first_notice_time", "ack_time", "updated_time"].flatMap(
    (k) => [k, camel(k)],
  ),
);

/** Checks every time string of the raw JSON before the generated fromJSON reads it (it throws without a path). */
function checkTimes(raw: unknown, path: string): void {
  if (Array.isArray(raw)) raw.forEach((x, i) => checkTimes(x, `${path}[${i}]`));
  else if (typeof raw === "object" && raw !== null) {
    for (const [k, v] of Object.entries(raw as Rec)) {
      const p = `${path}.${snakeCase(k)}`;
      if (TIME_FIELDS.has(k) && v !== undefined && v !== null) {
        if (typeof v !== "string") throw new GenesisError(p, 'expected an RFC 3339 time string, e.g. "2024-01-01T00:00:00Z"');
        at(p, () => timeFromJson(v));
      } else checkTimes(v, p);
    }
  }
}

/** The generated codec of each record list, to name the record a parse failure comes from. */
const RECORD_CODECS: Readonly<Record<string, { fromJSON(o: unknown): unknown; encode(m: never): unknown }>> = {
  metrics: LevelMetrics,
  parties: Party,
  cases: Case,
  commitments: Commitment,
  revisions: Revision,
  timeline: TimelineEntry,
  notices: Notice,
  inputs: SealedInput,
  involvements: Involvement,
  disclosures: Disclosure,
  checks: DisclosureCheck,
  mitigations: Mitigation,
  records: PostCoordinationRecord,
};

function fromJsonLocated(o: Rec): GenesisState {
  try {
    return GenesisState.fromJSON(o);
  } catch (e) {
    for (const [list, codec] of Object.entries(RECORD_CODECS)) {
      arr(o[list], `coord.${list}`).forEach((x, i) => at(`coord.${list}[${i}]`, () => codec.fromJSON(x)));
    }
    if (o["params"] !== undefined) at("coord.params", () => Params.fromJSON(o["params"]));
    throw new GenesisError("coord", e instanceof Error ? e.message : String(e));
  }
}

/** Params in full (every field, defaults included), snake_case. */
export function coordParamsToJson(p: Params): Record<string, unknown> {
  const json = snakeKeys(Params.toJSON(p)) as Rec;
  const full: Rec = {
    enabled: p.enabled,
    levels: p.levels.map((l) => ({
      level: l.level,
      embargo_seconds: l.embargoSeconds.toString(),
      contact_lead_seconds: l.contactLeadSeconds.toString(),
      finalize_lead_seconds: l.finalizeLeadSeconds.toString(),
      reveal_window_seconds: l.revealWindowSeconds.toString(),
      follow_up_seconds: l.followUpSeconds.toString(),
    })),
    min_embargo_seconds: p.minEmbargoSeconds.toString(),
    max_embargo_seconds: p.maxEmbargoSeconds.toString(),
    revision_quorum: p.revisionQuorum,
    revision_ttl_seconds: p.revisionTtlSeconds.toString(),
    open_cosigners: p.openCosigners,
    party_deposit: p.partyDeposit === undefined ? null : { denom: p.partyDeposit.denom, amount: p.partyDeposit.amount },
    max_dependencies: p.maxDependencies,
    max_notice_bytes: p.maxNoticeBytes,
    max_input_bytes: p.maxInputBytes,
    max_notices_per_msg: p.maxNoticesPerMsg,
    max_notices_per_case: p.maxNoticesPerCase,
    max_open_cases: p.maxOpenCases,
    max_advisory_bytes: p.maxAdvisoryBytes,
    nominal_block_seconds: p.nominalBlockSeconds.toString(),
    advisory_id_prefix: p.advisoryIdPrefix,
    disclosure_check_batch: p.disclosureCheckBatch,
  };
  // Any field added to Params later still appears (from toJSON) even before it is listed above.
  return { ...json, ...full };
}

const LISTS = [
  "metrics",
  "parties",
  "cases",
  "commitments",
  "revisions",
  "timeline",
  "notices",
  "inputs",
  "involvements",
  "disclosures",
  "checks",
  "mitigations",
  "records",
] as const;

/** The default section: default params, ids from 1, no records. */
export function defaultCoordGenesisJson(): Record<string, unknown> {
  return { params: coordParamsToJson(defaultCoordParams()), next_case_id: "1", next_notice_id: "1", next_input_id: "1" };
}

/** The devnet section: devnetCoordParams (minutes instead of days), ids from 1, no records. */
export function devnetCoordGenesisJson(denom: string): Record<string, unknown> {
  return { ...defaultCoordGenesisJson(), params: coordParamsToJson(devnetCoordParams(denom)) };
}

/** Parses the JSON section (structure only; `validateCoordGenesis` checks the meaning). */
export function parseCoordGenesis(json: unknown): GenesisState {
  const o = obj(json, "coord");
  if (o["params"] === undefined || o["params"] === null) throw new GenesisError("coord.params", "is required (write the defaults in full to keep them)");
  obj(o["params"], "coord.params");
  for (const l of LISTS) arr(o[l], `coord.${l}`).forEach((x, i) => obj(x, `coord.${l}[${i}]`));
  checkTimes(o, "coord");
  const state = fromJsonLocated(o);
  strictFields(state as unknown as Rec, o, "coord");
  // 64-bit ranges (int64 vs uint64) are the codecs' to check: every record must encode.
  for (const [list, codec] of Object.entries(RECORD_CODECS)) {
    ((state as unknown as Rec)[camel(list)] as unknown[]).forEach((x, i) => at(`coord.${list}[${i}]`, () => codec.encode(x as never)));
  }
  at("coord.params", () => Params.encode(state.params ?? defaultCoordParams()));
  at("coord", () => GenesisState.encode(state));
  return state;
}

// ---------------------------------------------------------------------------------------------
// Validation

function check(cond: boolean, path: string, problem: string): asserts cond {
  if (!cond) throw new GenesisError(path, problem);
}

function address(a: string, path: string): void {
  check(a !== "", path, "is required (a bech32 account address)");
  at(path, () => addrBytes(a));
}

function unique(seen: Set<string>, key: string, path: string, what: string): void {
  check(!seen.has(key), path, `duplicate ${what} ${key}`);
  seen.add(key);
}

function hash32(h: Uint8Array, path: string): void {
  check(h.length === 32, path, `must be a 32-byte SHA-256 hash, got ${h.length} bytes`);
}

function inEnum(v: number, min: number, max: number, path: string, names: string): void {
  check(Number.isInteger(v) && v >= min && v <= max, path, `must be one of ${names}`);
}

const names = (e: Record<string, string | number>, skipZero = true): string =>
  Object.entries(e)
    .filter(([k, v]) => typeof v === "number" && v >= (skipZero ? 1 : 0) && k !== "UNRECOGNIZED")
    .map(([k]) => k)
    .join(", ");

/** (status, embargo state) pairs of the case state machine (docs/coordination.md §2.2). */
const STATUS_PAIRS: ReadonlyMap<CaseStatus, readonly EmbargoState[]> = new Map([
  [CaseStatus.CASE_STATUS_OPEN, [EmbargoState.EMBARGO_STATE_PROPOSED, EmbargoState.EMBARGO_STATE_ACTIVE, EmbargoState.EMBARGO_STATE_REVISED]],
  [CaseStatus.CASE_STATUS_OVERDUE, [EmbargoState.EMBARGO_STATE_ACTIVE, EmbargoState.EMBARGO_STATE_REVISED]],
  [CaseStatus.CASE_STATUS_DISCLOSED, [EmbargoState.EMBARGO_STATE_EXITED]],
  [CaseStatus.CASE_STATUS_CLOSED, [EmbargoState.EMBARGO_STATE_EXITED]],
  [CaseStatus.CASE_STATUS_WITHDRAWN, [EmbargoState.EMBARGO_STATE_EXITED]],
]);

const isDisclosed = (s: CaseStatus): boolean => s === CaseStatus.CASE_STATUS_DISCLOSED || s === CaseStatus.CASE_STATUS_CLOSED;
const isOpen = (s: CaseStatus): boolean => s === CaseStatus.CASE_STATUS_OPEN || s === CaseStatus.CASE_STATUS_OVERDUE;

const MAX_NAME = 70;
const MAX_CONTACT = 140;

const componentKey = (c: Component): string => `${c.kind}|${c.name}|${c.versions}`;

function canonicalComponents(list: readonly Component[], path: string): void {
  const seen = new Set<string>();
  list.forEach((c, j) => {
    const q = `${path}[${j}]`;
    const canon = at(q, () => canonicalComponent(c, COORD_MODULE_TABLE));
    check(
      canon.kind === c.kind && canon.name === c.name && canon.versions === c.versions,
      q,
      `not in canonical form; write ${JSON.stringify({ name: canon.name, versions: canon.versions })}`,
    );
    unique(seen, componentKey(c), q, "component");
  });
}

/** Pure validation of a parsed section: every rule the keeper and its indexes rely on. */
export function validateCoordGenesis(g: GenesisState): void {
  const params = g.params;
  check(params !== undefined, "coord.params", "is required");
  at("coord.params", () => validateCoordParams(params));
  check(g.nextCaseId >= 1n, "coord.next_case_id", "must be at least 1 (case ids start at 1)");
  check(g.nextNoticeId >= 1n, "coord.next_notice_id", "must be at least 1 (notice ids start at 1)");
  check(g.nextInputId >= 1n, "coord.next_input_id", "must be at least 1 (input ids start at 1)");

  const levels = new Set<string>();
  g.metrics.forEach((m, i) => {
    const p = `coord.metrics[${i}]`;
    check(m.level >= 1 && m.level <= 3, `${p}.level`, "must be 1, 2 or 3 (level 0, the sum, is computed by the Metrics query)");
    unique(levels, String(m.level), p, "metrics of level");
  });

  // Parties.
  const parties = new Map<string, Party>();
  const keyOwners = new Map<string, string>();
  g.parties.forEach((pt, i) => {
    const p = `coord.parties[${i}]`;
    address(pt.address, `${p}.address`);
    check(!parties.has(pt.address), p, `duplicate party ${pt.address}`);
    parties.set(pt.address, pt);
    inEnum(pt.kind, 1, 6, `${p}.kind`, names(PartyKind));
    check(pt.name.trim() !== "" && pt.name.length <= MAX_NAME, `${p}.name`, `must be 1 to ${MAX_NAME} characters`);
    check(pt.contact.length <= MAX_CONTACT, `${p}.contact`, `at most ${MAX_CONTACT} characters`);
    const why = x25519PublicKeyError(pt.encryptionKey);
    check(why === undefined, `${p}.encryption_key`, why ?? "");
    check(pt.keyEpoch >= 1, `${p}.key_epoch`, "must be at least 1 (1 for the key given at registration, + 1 per change)");
    if (pt.withdrawnHeight === 0n) {
      const k = toHex(pt.encryptionKey);
      const owner = keyOwners.get(k);
      check(owner === undefined, `${p}.encryption_key`, `already the key of ${owner ?? ""}; keys of registered parties are unique`);
      keyOwners.set(k, pt.address);
    }
    check(pt.deposit !== undefined, `${p}.deposit`, "is required (the coin locked at registration)");
    at(`${p}.deposit.denom`, () => validateDenom(pt.deposit?.denom ?? ""));
    check(/^(0|[1-9][0-9]*)$/.test(pt.deposit.amount), `${p}.deposit.amount`, "must be a non-negative integer string");
    check(
      pt.dependencies.length <= params.maxDependencies,
      `${p}.dependencies`,
      `${pt.dependencies.length} dependencies but params.max_dependencies is ${params.maxDependencies}`,
    );
    canonicalComponents(pt.dependencies, `${p}.dependencies`);
    check(pt.registeredHeight >= 0n, `${p}.registered_height`, "must not be negative");
    check(pt.dependenciesHeight >= pt.registeredHeight, `${p}.dependencies_height`, "cannot be before registered_height");
    check(pt.withdrawnHeight === 0n || pt.withdrawnHeight >= pt.registeredHeight, `${p}.withdrawn_height`, "0 (registered) or at least registered_height");
  });

  // Cases.
  const cases = new Map<bigint, Case>();
  g.cases.forEach((c, i) => {
    const p = `coord.cases[${i}]`;
    check(c.id >= 1n && c.id < g.nextCaseId, `${p}.id`, `must be between 1 and next_case_id - 1 (${g.nextCaseId - 1n})`);
    check(!cases.has(c.id), `${p}.id`, `duplicate case id ${c.id}`);
    cases.set(c.id, c);
    address(c.opener, `${p}.opener`);
    check(c.coordinators.length > 0 && c.coordinators[0] === c.opener, `${p}.coordinators`, "must list the opener first");
    const coords = new Set<string>();
    c.coordinators.forEach((m, j) => {
      address(m, `${p}.coordinators[${j}]`);
      unique(coords, m, `${p}.coordinators[${j}]`, "coordinator");
    });
    check(c.level <= 3, `${p}.level`, "must be 0 (sealed), 1, 2 or 3");
    const pairs = STATUS_PAIRS.get(c.status);
    check(pairs !== undefined, `${p}.status`, `must be one of ${names(CaseStatus)}`);
    check(
      pairs.includes(c.embargoState),
      `${p}.embargo_state`,
      `${EmbargoState[c.embargoState] ?? c.embargoState} is not a state of a ${CaseStatus[c.status]} case; allowed: ${pairs.map((s) => EmbargoState[s]).join(", ")}`,
    );
    const timeDeadline = c.deadlineTime !== undefined;
    check(timeDeadline !== c.deadlineHeight > 0n, `${p}.deadline_time`, "exactly one of deadline_time and deadline_height must be set");
    check(c.deadlineHeight >= 0n && c.originalDeadlineHeight >= 0n, `${p}.deadline_height`, "must not be negative");
    check(
      (c.originalDeadlineTime !== undefined) !== c.originalDeadlineHeight > 0n,
      `${p}.original_deadline_time`,
      "exactly one of original_deadline_time and original_deadline_height must be set",
    );
    inEnum(c.phase, 1, 6, `${p}.phase`, names(Phase));
    check(c.openHeight >= 0n, `${p}.open_height`, "must not be negative");
    check(c.openTime !== undefined, `${p}.open_time`, "is required");
    const someDisclosure = c.disclosureHeight !== 0n || c.disclosureTime !== undefined;
    const fullDisclosure = c.disclosureHeight > 0n && c.disclosureTime !== undefined;
    check(
      isDisclosed(c.status) ? fullDisclosure : !someDisclosure,
      `${p}.disclosure_height`,
      "disclosure_height and disclosure_time are set exactly for DISCLOSED and CLOSED cases",
    );
    check(c.status !== CaseStatus.CASE_STATUS_CLOSED || c.closedHeight > 0n, `${p}.closed_height`, "a CLOSED case needs its closed_height");
    check(
      c.closedHeight === 0n || c.status === CaseStatus.CASE_STATUS_CLOSED || c.status === CaseStatus.CASE_STATUS_WITHDRAWN,
      `${p}.closed_height`,
      "only a CLOSED or WITHDRAWN case has a closed_height",
    );
    check(
      c.embargoState !== EmbargoState.EMBARGO_STATE_PROPOSED || c.cosignersNeeded > 0,
      `${p}.cosigners_needed`,
      "a PROPOSED case still needs at least one co-signer",
    );
    check(
      !(isOpen(c.status) && c.embargoState !== EmbargoState.EMBARGO_STATE_PROPOSED) || c.cosignersNeeded === 0,
      `${p}.cosigners_needed`,
      "must be 0 once the embargo is active",
    );
    if (c.readinessPlan !== "") {
      const why = planNameProblem(c.readinessPlan);
      check(why === undefined, `${p}.readiness_plan`, `${why ?? ""} (empty: no reveal gate)`);
    }
    check(c.gateOpenHeight >= 0n, `${p}.gate_open_height`, "must not be negative");
    check(c.gateOpenHeight === 0n || c.gateDeferrals > 0, `${p}.gate_open_height`, "is set only after a deferral (gate_deferrals > 0)");
  });
  const caseOf = (id: bigint, path: string): Case => {
    const c = cases.get(id);
    check(c !== undefined, path, `no case ${id} in coord.cases`);
    return c;
  };

  // Commitments: versions 1..n per (case, kind), REPORT/COMPONENTS/ADVISORY on every case.
  const versions = new Map<string, number[]>();
  g.commitments.forEach((x, i) => {
    const p = `coord.commitments[${i}]`;
    caseOf(x.caseId, `${p}.case_id`);
    inEnum(x.kind, 1, 5, `${p}.kind`, names(CommitmentKind));
    check(x.version >= 1, `${p}.version`, "must be at least 1");
    const k = `${x.caseId}/${x.kind}`;
    const list = versions.get(k) ?? [];
    check(!list.includes(x.version), p, `duplicate commitment ${CommitmentKind[x.kind]} version ${x.version} of case ${x.caseId}`);
    list.push(x.version);
    versions.set(k, list);
    hash32(x.hash, `${p}.hash`);
    check(x.revealed === x.revealedHeight > 0n, `${p}.revealed_height`, "set exactly when revealed");
    check(x.height >= 0n, `${p}.height`, "must not be negative");
  });
  for (const [k, list] of versions) {
    const sorted = [...list].sort((a, b) => a - b);
    check(
      sorted.every((v, j) => v === j + 1),
      "coord.commitments",
      `versions of case/kind ${k} must be 1..${list.length} without gaps, got ${sorted.join(", ")}`,
    );
  }
  for (const c of cases.values()) {
    for (const kind of [CommitmentKind.COMMITMENT_KIND_REPORT, CommitmentKind.COMMITMENT_KIND_COMPONENTS, CommitmentKind.COMMITMENT_KIND_ADVISORY]) {
      check(versions.has(`${c.id}/${kind}`), "coord.commitments", `case ${c.id} has no ${CommitmentKind[kind]} commitment (required at opening)`);
    }
    if (c.level === 0) {
      check(versions.has(`${c.id}/${CommitmentKind.COMMITMENT_KIND_LEVEL}`), "coord.commitments", `case ${c.id} has a sealed level (0) but no LEVEL commitment`);
    }
  }

  // Revisions: only on open cases, exactly the cases whose embargo is REVISED.
  const revised = new Set<bigint>();
  g.revisions.forEach((r, i) => {
    const p = `coord.revisions[${i}]`;
    const c = caseOf(r.caseId, `${p}.case_id`);
    check(!revised.has(r.caseId), p, `case ${r.caseId} has more than one pending revision`);
    revised.add(r.caseId);
    check(isOpen(c.status) && c.embargoState === EmbargoState.EMBARGO_STATE_REVISED, `${p}.case_id`, `case ${r.caseId} is not an open case in embargo state REVISED`);
    inEnum(r.kind, 1, 4, `${p}.kind`, names(RevisionKind));
    address(r.proposer, `${p}.proposer`);
    check(r.approvals.length > 0, `${p}.approvals`, "a pending revision has at least its proposer's approval");
    const seen = new Set<string>();
    r.approvals.forEach((a, j) => {
      address(a, `${p}.approvals[${j}]`);
      unique(seen, a, `${p}.approvals[${j}]`, "approval of");
    });
    check(!(r.newDeadlineTime !== undefined && r.newDeadlineHeight > 0n), `${p}.new_deadline_time`, "at most one of new_deadline_time and new_deadline_height");
    check(r.newDeadlineHeight >= 0n, `${p}.new_deadline_height`, "must not be negative");
    check(r.newLevel <= 3, `${p}.new_level`, "must be 0 (unchanged), 1, 2 or 3");
    check(r.expires !== undefined, `${p}.expires`, "is required");
  });
  for (const c of cases.values()) {
    check(c.embargoState !== EmbargoState.EMBARGO_STATE_REVISED || revised.has(c.id), "coord.revisions", `case ${c.id} is REVISED but has no pending revision`);
  }

  // Timeline: seq 1..timeline_count per case.
  const seqs = new Map<bigint, Set<number>>();
  g.timeline.forEach((t, i) => {
    const p = `coord.timeline[${i}]`;
    const c = caseOf(t.caseId, `${p}.case_id`);
    const s = seqs.get(t.caseId) ?? new Set<number>();
    check(t.seq >= 1 && t.seq <= c.timelineCount, `${p}.seq`, `must be between 1 and the case's timeline_count ${c.timelineCount}`);
    check(!s.has(t.seq), `${p}.seq`, `duplicate timeline entry ${t.seq} of case ${t.caseId}`);
    s.add(t.seq);
    seqs.set(t.caseId, s);
    check(t.what !== "", `${p}.what`, "is required");
    check(t.time !== undefined, `${p}.time`, "is required");
  });
  for (const c of cases.values()) {
    const n = seqs.get(c.id)?.size ?? 0;
    check(n === c.timelineCount, "coord.timeline", `case ${c.id} has timeline_count ${c.timelineCount} but ${n} timeline entries`);
  }

  // Notices: to existing parties, structurally valid envelopes sealed to the recipient.
  const notices = new Map<bigint, Notice>();
  const noticeCount = new Map<bigint, number>();
  g.notices.forEach((n, i) => {
    const p = `coord.notices[${i}]`;
    check(n.id >= 1n && n.id < g.nextNoticeId, `${p}.id`, `must be between 1 and next_notice_id - 1 (${g.nextNoticeId - 1n})`);
    check(!notices.has(n.id), `${p}.id`, `duplicate notice id ${n.id}`);
    notices.set(n.id, n);
    caseOf(n.caseId, `${p}.case_id`);
    noticeCount.set(n.caseId, (noticeCount.get(n.caseId) ?? 0) + 1);
    address(n.sender, `${p}.sender`);
    const party = parties.get(n.recipient);
    check(party !== undefined, `${p}.recipient`, `${n.recipient} is not a party in coord.parties`);
    check(n.recipientKeyEpoch >= 1 && n.recipientKeyEpoch <= party.keyEpoch, `${p}.recipient_key_epoch`, `must be between 1 and the party's key_epoch ${party.keyEpoch}`);
    inEnum(n.kind, 1, 3, `${p}.kind`, names(NoticeKind));
    const env = n.envelope;
    check(env !== undefined, `${p}.envelope`, "is required");
    const bad = envelopeStructureError(env, Number.MAX_SAFE_INTEGER);
    check(bad === undefined, `${p}.envelope`, bad?.message ?? "");
    const [slot] = env.recipients;
    check(
      env.recipients.length === 1 && slot !== undefined && slot.address === n.recipient && slot.keyEpoch === n.recipientKeyEpoch,
      `${p}.envelope.recipients`,
      "a notice is sealed to exactly its recipient at recipient_key_epoch",
    );
    check(bytesEqual(n.envelopeHash, envelopeHash(env)), `${p}.envelope_hash`, "is not the SHA-256 of the envelope's protobuf encoding");
    check(n.height >= 0n, `${p}.height`, "must not be negative");
    check(n.time !== undefined, `${p}.time`, "is required");
  });

  const inputCount = new Map<bigint, number>();
  const inputIds = new Set<bigint>();
  g.inputs.forEach((x, i) => {
    const p = `coord.inputs[${i}]`;
    check(x.id >= 1n && x.id < g.nextInputId, `${p}.id`, `must be between 1 and next_input_id - 1 (${g.nextInputId - 1n})`);
    check(!inputIds.has(x.id), `${p}.id`, `duplicate input id ${x.id}`);
    inputIds.add(x.id);
    if (x.caseId !== 0n) {
      caseOf(x.caseId, `${p}.case_id`);
      inputCount.set(x.caseId, (inputCount.get(x.caseId) ?? 0) + 1);
    }
    address(x.sender, `${p}.sender`);
    check(x.recipients.length > 0, `${p}.recipients`, "input is sealed to at least one member");
    const seen = new Set<string>();
    x.recipients.forEach((r, j) => {
      address(r, `${p}.recipients[${j}]`);
      unique(seen, r, `${p}.recipients[${j}]`, "recipient");
    });
    const env = x.envelope;
    check(env !== undefined, `${p}.envelope`, "is required");
    const bad = envelopeStructureError(env, Number.MAX_SAFE_INTEGER);
    check(bad === undefined, `${p}.envelope`, bad?.message ?? "");
    check(
      env.recipients.length === x.recipients.length && env.recipients.every((s, j) => s.address === x.recipients[j]),
      `${p}.envelope.recipients`,
      "must be sealed to exactly the listed recipients, in the same order",
    );
    check(bytesEqual(x.envelopeHash, envelopeHash(env)), `${p}.envelope_hash`, "is not the SHA-256 of the envelope's protobuf encoding");
    check(x.time !== undefined, `${p}.time`, "is required");
  });

  // Involvements: one per (case, party); notices and acknowledgements point at this party's notices.
  const involved = new Map<string, Involvement>();
  const noticeOf = (id: bigint, caseId: bigint, party: string, path: string): void => {
    const n = notices.get(id);
    check(n !== undefined && n.caseId === caseId && n.recipient === party, path, `notice ${id} is not a notice of case ${caseId} to ${party}`);
  };
  g.involvements.forEach((v, i) => {
    const p = `coord.involvements[${i}]`;
    caseOf(v.caseId, `${p}.case_id`);
    check(parties.has(v.party), `${p}.party`, `${v.party} is not a party in coord.parties`);
    const k = `${v.caseId}/${v.party}`;
    check(!involved.has(k), p, `duplicate involvement of ${v.party} in case ${v.caseId}`);
    involved.set(k, v);
    inEnum(v.status, 1, 6, `${p}.status`, names(InvolvementStatus));
    if (v.status !== InvolvementStatus.INVOLVEMENT_STATUS_NOT_CONTACTED) noticeOf(v.firstNoticeId, v.caseId, v.party, `${p}.first_notice_id`);
    const acked = [
      InvolvementStatus.INVOLVEMENT_STATUS_ACKNOWLEDGED,
      InvolvementStatus.INVOLVEMENT_STATUS_IN_PROGRESS,
      InvolvementStatus.INVOLVEMENT_STATUS_FIXED,
    ].includes(v.status);
    check(!acked || v.ackNoticeId !== 0n, `${p}.ack_notice_id`, `a ${InvolvementStatus[v.status]} involvement names the acknowledged notice`);
    if (v.ackNoticeId !== 0n) {
      noticeOf(v.ackNoticeId, v.caseId, v.party, `${p}.ack_notice_id`);
      check(v.ackTime !== undefined && v.ackHeight > 0n, `${p}.ack_time`, "an acknowledgement has its height and time");
      check(v.secondsToAck >= 0n, `${p}.seconds_to_ack`, "must not be negative");
    }
  });
  for (const n of notices.values()) {
    const v = involved.get(`${n.caseId}/${n.recipient}`);
    check(
      v !== undefined && v.status !== InvolvementStatus.INVOLVEMENT_STATUS_NOT_CONTACTED,
      "coord.involvements",
      `${n.recipient} was sent notice ${n.id} of case ${n.caseId} but has no involvement past NOT_CONTACTED`,
    );
  }

  // What disclosed and closed cases published.
  const disclosed = new Set<bigint>();
  g.disclosures.forEach((d, i) => {
    const p = `coord.disclosures[${i}]`;
    const c = caseOf(d.caseId, `${p}.case_id`);
    check(!disclosed.has(d.caseId), p, `duplicate disclosure of case ${d.caseId}`);
    disclosed.add(d.caseId);
    canonicalComponents(d.components, `${p}.components`);
    check(d.level <= 3, `${p}.level`, "must be 0 (sealed), 1, 2 or 3");
    if (isDisclosed(c.status)) {
      // Complete: what a disclosed case published. (Before, the record holds the items revealed so far.)
      check(d.advisory !== undefined, `${p}.advisory`, `is required: case ${d.caseId} is ${CaseStatus[c.status]}`);
      check(d.components.length > 0, `${p}.components`, `a ${CaseStatus[c.status]} case published at least one affected component`);
      hash32(d.reportHash, `${p}.report_hash`);
      check(d.level >= 1, `${p}.level`, "must be 1, 2 or 3 (the revealed level)");
    } else if (d.reportHash.length > 0) {
      hash32(d.reportHash, `${p}.report_hash`);
    }
  });
  const checked = new Set<bigint>();
  g.checks.forEach((x, i) => {
    const p = `coord.checks[${i}]`;
    const c = caseOf(x.caseId, `${p}.case_id`);
    check(isDisclosed(c.status), `${p}.case_id`, `case ${x.caseId} is not disclosed`);
    // A running check (done = false) restarts at InitGenesis; a case closes only once it is done.
    check(x.done || c.status === CaseStatus.CASE_STATUS_DISCLOSED, `${p}.done`, `case ${x.caseId} is CLOSED, so its disclosure check is done`);
    check(!checked.has(x.caseId), p, `duplicate disclosure check of case ${x.caseId}`);
    checked.add(x.caseId);
    const seen = new Set<string>();
    const n = { matched: 0, notified: 0, acknowledged: 0, missed: 0, late: 0 };
    x.entries.forEach((e, j) => {
      const q = `${p}.entries[${j}]`;
      check(parties.has(e.party), `${q}.party`, `${e.party} is not a party in coord.parties`);
      unique(seen, e.party, `${q}.party`, "entry of");
      check(e.missed === (e.matchedAtOpen && !e.notified), `${q}.missed`, "missed is exactly matched_at_open and not notified");
      check(!(e.late && e.matchedAtOpen), `${q}.late`, "a late party did not match at opening");
      check(e.notified || !e.acknowledged, `${q}.acknowledged`, "only a notified party can have acknowledged");
      if (e.matchedAtOpen) n.matched++;
      if (e.notified) n.notified++;
      if (e.acknowledged) n.acknowledged++;
      if (e.missed) n.missed++;
      if (e.late) n.late++;
    });
    for (const [field, count] of Object.entries(n) as [keyof typeof n, number][]) {
      check(x[field] === count, `${p}.${field}`, `is ${x[field]} but ${count} entries are ${field === "matched" ? "matched at open" : field}`);
    }
  });
  for (const c of cases.values()) {
    check(!isDisclosed(c.status) || disclosed.has(c.id), "coord.disclosures", `case ${c.id} is ${CaseStatus[c.status]} but has no disclosure`);
  }
  const mitigationCount = new Map<bigint, number>();
  g.mitigations.forEach((m, i) => {
    const p = `coord.mitigations[${i}]`;
    caseOf(m.caseId, `${p}.case_id`);
    mitigationCount.set(m.caseId, (mitigationCount.get(m.caseId) ?? 0) + 1);
    address(m.member, `${p}.member`);
    check(m.routes.length > 0, `${p}.routes`, "a mitigation breaks at least one route");
    m.routes.forEach((r, j) => check(isCanonicalRoute(r), `${p}.routes[${j}]`, "must be a canonical route (/pkg.Msg or /pkg.*)"));
    check(m.time !== undefined, `${p}.time`, "is required");
  });
  const recorded = new Set<bigint>();
  g.records.forEach((r, i) => {
    const p = `coord.records[${i}]`;
    const c = caseOf(r.caseId, `${p}.case_id`);
    check(c.status === CaseStatus.CASE_STATUS_CLOSED, `${p}.case_id`, `case ${r.caseId} is not CLOSED`);
    check(!recorded.has(r.caseId), p, `duplicate record of case ${r.caseId}`);
    recorded.add(r.caseId);
    hash32(r.recordHash, `${p}.record_hash`);
    check(r.summary !== undefined, `${p}.summary`, "is required");
    address(r.closedBy, `${p}.closed_by`);
  });
  for (const c of cases.values()) {
    check(c.status !== CaseStatus.CASE_STATUS_CLOSED || recorded.has(c.id), "coord.records", `case ${c.id} is CLOSED but has no post-coordination record`);
    const counts: [string, number, number][] = [
      ["notice_count", c.noticeCount, noticeCount.get(c.id) ?? 0],
      ["input_count", c.inputCount, inputCount.get(c.id) ?? 0],
      ["mitigation_count", c.mitigationCount, mitigationCount.get(c.id) ?? 0],
    ];
    for (const [field, declared, actual] of counts) check(declared === actual, `coord.cases (id ${c.id}).${field}`, `is ${declared} but the section holds ${actual}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Init and export

const PRESENT = new Uint8Array();

/**
 * Writes a validated section: every record, then every index of keys.ts (key owners and the
 * dependency index of registered parties, cases by status and by coordinator, the deadline queues
 * of open cases through the keeper's scheduler, notices by recipient and case, input by case,
 * sender and recipient). Checks that the coord_deposits module account holds exactly the deposits
 * of the registered (non-withdrawn) parties.
 */
/** Bank balance lookup for the deposits check (default: the keeper's bank). */
export interface CoordGenesisDeps {
  balance(ctx: Context, address: string, denom: string): bigint;
}

export function initCoordGenesis(ctx: Context, keeper: CoordKeeper, g: GenesisState, deps?: CoordGenesisDeps): void {
  const kv = ctx.kv(COORD_STORE);
  const params = g.params ?? defaultCoordParams();
  kv.set(keys.single(KEY.params), Params.encode(params).finish());
  kv.set(keys.single(KEY.nextCaseId), u64be(g.nextCaseId));
  kv.set(keys.single(KEY.nextNoticeId), u64be(g.nextNoticeId));
  kv.set(keys.single(KEY.nextInputId), u64be(g.nextInputId));
  for (const m of g.metrics) kv.set(keys.metrics(m.level), LevelMetrics.encode(m).finish());

  const deposits = new Map<string, bigint>();
  for (const p of g.parties) {
    const addr = addrBytes(p.address);
    kv.set(keys.party(addr), Party.encode(p).finish());
    if (p.withdrawnHeight !== 0n) continue;
    kv.set(keys.keyOwner(p.encryptionKey), addr);
    for (const d of p.dependencies) {
      const s = indexSelector(d);
      kv.set(keys.depIndex(s.kind, s.name, addr), PRESENT);
    }
    if (p.deposit !== undefined) deposits.set(p.deposit.denom, (deposits.get(p.deposit.denom) ?? 0n) + BigInt(p.deposit.amount));
  }

  for (const c of g.cases) {
    kv.set(keys.case(c.id), Case.encode(c).finish());
    kv.set(keys.caseByStatus(c.status, c.id), PRESENT);
    for (const m of c.coordinators) kv.set(keys.caseByCoordinator(addrBytes(m), c.id), PRESENT);
  }
  for (const x of g.commitments) kv.set(keys.commitment(x.caseId, x.kind, x.version), Commitment.encode(x).finish());
  for (const r of g.revisions) kv.set(keys.revision(r.caseId), Revision.encode(r).finish());
  for (const t of g.timeline) kv.set(keys.timeline(t.caseId, t.seq), TimelineEntry.encode(t).finish());
  for (const n of g.notices) {
    kv.set(keys.notice(n.id), Notice.encode(n).finish());
    kv.set(keys.noticeByRecipient(addrBytes(n.recipient), n.id), PRESENT);
    kv.set(keys.noticeByCase(n.caseId, n.id), PRESENT);
  }
  for (const v of g.involvements) kv.set(keys.involvement(v.caseId, addrBytes(v.party)), Involvement.encode(v).finish());
  for (const x of g.inputs) {
    kv.set(keys.input(x.id), SealedInput.encode(x).finish());
    kv.set(keys.inputByCase(x.caseId, x.id), PRESENT);
    kv.set(keys.inputBySender(addrBytes(x.sender), x.id), PRESENT);
    for (const r of x.recipients) kv.set(keys.inputByRecipient(addrBytes(r), x.id), PRESENT);
  }
  for (const d of g.disclosures) kv.set(keys.disclosure(d.caseId), Disclosure.encode(d).finish());
  // Checks: the record without its entries, one 0x52 record per entry; a check that is not done
  // restarts from the beginning (its entries are kept and skipped, so it ends as it would have).
  for (const x of g.checks) {
    kv.set(keys.check(x.caseId), DisclosureCheck.encode({ ...x, entries: [] }).finish());
    for (const e of x.entries) kv.set(keys.checkEntry(x.caseId, addrBytes(e.party)), CheckEntry.encode(e).finish());
    if (!x.done) restartCheck(ctx, keeper, x.caseId, x.entries);
  }
  const mitigationSeq = new Map<bigint, number>();
  for (const m of g.mitigations) {
    const seq = (mitigationSeq.get(m.caseId) ?? 0) + 1; // per case from 1, in the order listed (= key order)
    mitigationSeq.set(m.caseId, seq);
    kv.set(keys.mitigation(m.caseId, seq), Mitigation.encode(m).finish());
  }
  for (const r of g.records) kv.set(keys.record(r.caseId), PostCoordinationRecord.encode(r).finish());

  // Deadline queues: whatever the keeper would have queued for each case in its current state.
  for (const c of g.cases) keeper.rescheduleCase(ctx, c);

  // Like x/dcert's bonds: the escrow account holds exactly what the records say is owed (bank's
  // genesis ran first). Denoms: every deposit's and the current params' deposit denom.
  const denoms = new Set([...deposits.keys(), params.partyDeposit?.denom ?? ""].filter((d) => d !== ""));
  for (const denom of [...denoms].sort()) {
    const account = moduleAccountAddress(DEPOSITS_MODULE);
    const held = deps === undefined ? keeper.deps.bank.getBalance(ctx, account, denom).amount : deps.balance(ctx, account, denom);
    const owed = deposits.get(denom) ?? 0n;
    if (held !== owed) {
      throw new GenesisError(
        "coord",
        `the ${DEPOSITS_MODULE} module account holds ${held}${denom} but the registered parties' deposits total ${owed}${denom}; add or fix its bank balance`,
      );
    }
  }
}

function* values(kv: KVStore, prefix: number | Uint8Array): IterableIterator<[Uint8Array, Uint8Array]> {
  const p = typeof prefix === "number" ? keys.prefix(prefix) : prefix;
  yield* kv.iterate(p, prefixEnd(p));
}

function decodeAll<T>(kv: KVStore, prefix: number | Uint8Array, codec: { decode(b: Uint8Array): T }): T[] {
  const out: T[] = [];
  for (const [, v] of values(kv, prefix)) out.push(codec.decode(v));
  return out;
}

function readId(kv: KVStore, k: number): bigint {
  const v = kv.get(keys.single(k));
  return v === undefined ? 1n : readU64be(v);
}

/** Reads the whole section back, every list in store key order. */
export function exportCoordGenesis(ctx: Context, keeper?: CoordKeeper): Record<string, unknown> {
  const kv = ctx.kv(COORD_STORE);
  const raw = kv.get(keys.single(KEY.params));
  const params = keeper?.params(ctx) ?? (raw === undefined ? defaultCoordParams() : Params.decode(raw));
  const state: GenesisState = {
    params: undefined,
    nextCaseId: readId(kv, KEY.nextCaseId),
    nextNoticeId: readId(kv, KEY.nextNoticeId),
    nextInputId: readId(kv, KEY.nextInputId),
    metrics: decodeAll(kv, KEY.metrics, LevelMetrics),
    parties: decodeAll(kv, KEY.party, Party),
    cases: decodeAll(kv, KEY.case, Case),
    commitments: decodeAll(kv, KEY.commitment, Commitment),
    revisions: decodeAll(kv, KEY.revision, Revision),
    timeline: decodeAll(kv, KEY.timeline, TimelineEntry),
    notices: decodeAll(kv, KEY.notice, Notice),
    inputs: decodeAll(kv, KEY.input, SealedInput),
    involvements: decodeAll(kv, KEY.involvement, Involvement),
    disclosures: decodeAll(kv, KEY.disclosure, Disclosure),
    checks: decodeAll(kv, KEY.check, DisclosureCheck).map((x) => ({ ...x, entries: decodeAll(kv, keys.checkEntriesOf(x.caseId), CheckEntry) })),
    mitigations: decodeAll(kv, KEY.mitigation, Mitigation),
    records: decodeAll(kv, KEY.record, PostCoordinationRecord),
  };
  const json = snakeKeys(GenesisState.toJSON(state)) as Rec;
  exactTimes(state as unknown as Rec, json);
  return { params: coordParamsToJson(params), ...json, next_case_id: state.nextCaseId.toString(), next_notice_id: state.nextNoticeId.toString(), next_input_id: state.nextInputId.toString() };
}

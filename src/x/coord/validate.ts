/**
 * Stateless checks of coordination messages (validateBasic), shared by genesis and queries. Each
 * throws a registered `coord` error naming the field and what is accepted. Caps that are params
 * (max_dependencies, envelope sizes, …) are checked against state by the keeper; the hard caps
 * here only bound the work a message can cause before state is read.
 */
import { ChainError } from "../../baseapp/errors";
import { utf8 } from "../../baseapp/encoding";
import { addrBytes } from "../auth/keeper";
import { type Component, CommitmentKind, PartyKind, RecordSummary } from "../../generated/coord/v1/types";
import type { CommitmentInput } from "../../generated/coord/v1/tx";
import { x25519PublicKeyError } from "../../types/coord";
import {
  ErrInvalidAddress,
  ErrInvalidCommitments,
  ErrInvalidDependency,
  ErrInvalidKey,
  ErrInvalidParty,
  ErrInvalidRecord,
  ErrTooManyDependencies,
} from "./errors";
import { canonicalComponent, ComponentError, indexSelector, type ModuleTable } from "./match";

export const LIMITS = {
  name: 70,
  contact: 140,
  reason: 512,
  /** Hard cap on dependencies in one message (params.max_dependencies is at most this). */
  dependencies: 256,
  /** Components of a COMPONENTS reveal. */
  components: 256,
  recordText: 4096,
  followUps: 32,
  followUp: 512,
  revealItems: 5,
  mitigationRoutes: 64,
} as const;

/** A bech32 account address ("dcert1…"). */
export function requireAddress(address: string, field: string): void {
  try {
    addrBytes(address);
  } catch (e) {
    throw ErrInvalidAddress.wrap(`${field}: ${e instanceof ChainError ? e.message : e instanceof Error ? e.message : String(e)}`);
  }
}

/** An X25519 public key the chain accepts (length, canonical, not small order): coord:5. */
export function requireEncryptionKey(key: Uint8Array, field = "encryption_key"): void {
  const why = x25519PublicKeyError(key);
  if (why !== undefined) throw ErrInvalidKey.wrap(`${field}: ${why}; generate a key with \`dcertd keys add-encryption\``);
}

export function requireHash32(h: Uint8Array, field: string, err = ErrInvalidCommitments): void {
  if (h.length !== 32) throw err.wrap(`${field} must be a 32-byte SHA-256 hash, got ${h.length} bytes`);
}

/** Canonical dependencies, in the order given; coord:7 for an invalid or duplicate one, coord:8 above the hard cap. */
export function canonicalDependencies(deps: readonly Component[], modules: ModuleTable, field = "dependencies"): Component[] {
  if (deps.length > LIMITS.dependencies) throw ErrTooManyDependencies.wrap(`${field} has ${deps.length} entries; at most ${LIMITS.dependencies} are accepted (and at most params.max_dependencies)`);
  const out: Component[] = [];
  const seen = new Set<string>();
  deps.forEach((d, i) => {
    let c: Component;
    try {
      c = canonicalComponent(d, modules);
    } catch (e) {
      if (e instanceof ComponentError) throw ErrInvalidDependency.wrap(`${field}[${i}]: ${e.message}`);
      throw e;
    }
    const sel = indexSelector(c);
    if (utf8(sel.name).length > 255) throw ErrInvalidDependency.wrap(`${field}[${i}]: the name is longer than 255 bytes`);
    const id = `${c.kind}\u0000${c.name}\u0000${c.versions}`;
    if (seen.has(id)) throw ErrInvalidDependency.wrap(`${field}[${i}] repeats an earlier entry (${c.name} ${c.versions})`.trimEnd());
    seen.add(id);
    out.push(c);
  });
  return out;
}

/** The fields of MsgRegisterParty / MsgUpdateParty; returns the canonical dependencies. */
export function validatePartyFields(m: { owner: string; kind: PartyKind; name: string; contact: string; encryptionKey: Uint8Array; dependencies: readonly Component[] }, modules: ModuleTable): Component[] {
  requireAddress(m.owner, "owner");
  if (m.kind === PartyKind.PARTY_KIND_UNSPECIFIED || PartyKind[m.kind] === undefined || m.kind === PartyKind.UNRECOGNIZED) {
    throw ErrInvalidParty.wrap(`kind must be one of VALIDATOR, CORE_DEVELOPER, OTHER_IMPLEMENTATION, DOWNSTREAM_PROJECT, EXCHANGE_OR_SERVICE, RESEARCHER (1–6), got ${m.kind}`);
  }
  const name = m.name.trim();
  if (name.length === 0 || name !== m.name) throw ErrInvalidParty.wrap("name must be non-empty, without leading or trailing spaces");
  if ([...m.name].length > LIMITS.name) throw ErrInvalidParty.wrap(`name is ${[...m.name].length} characters; at most ${LIMITS.name}`);
  if ([...m.contact].length > LIMITS.contact) throw ErrInvalidParty.wrap(`contact is ${[...m.contact].length} characters; at most ${LIMITS.contact}`);
  if ([...(m.name + m.contact)].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) throw ErrInvalidParty.wrap("name and contact may not contain control characters");
  requireEncryptionKey(m.encryptionKey);
  return canonicalDependencies(m.dependencies, modules);
}

export const COMMITMENT_KINDS: readonly CommitmentKind[] = [
  CommitmentKind.COMMITMENT_KIND_REPORT,
  CommitmentKind.COMMITMENT_KIND_COMPONENTS,
  CommitmentKind.COMMITMENT_KIND_ADVISORY,
  CommitmentKind.COMMITMENT_KIND_FIX,
  CommitmentKind.COMMITMENT_KIND_LEVEL,
];

export function requireCommitmentKind(kind: CommitmentKind, field: string): void {
  if (!COMMITMENT_KINDS.includes(kind)) throw ErrInvalidCommitments.wrap(`${field} must be REPORT, COMPONENTS, ADVISORY, FIX or LEVEL (1–5), got ${kind}`);
}

/**
 * The commitments of MsgOpenCase: one per kind, 32-byte hashes, REPORT, COMPONENTS and ADVISORY
 * present, LEVEL present exactly when the level is sealed (0).
 */
export function validateOpenCommitments(list: readonly CommitmentInput[], level: number): void {
  const seen = new Set<CommitmentKind>();
  list.forEach((c, i) => {
    requireCommitmentKind(c.kind, `commitments[${i}].kind`);
    if (seen.has(c.kind)) throw ErrInvalidCommitments.wrap(`commitments[${i}] repeats kind ${CommitmentKind[c.kind]}; one commitment per kind`);
    seen.add(c.kind);
    requireHash32(c.hash, `commitments[${i}].hash`);
  });
  for (const k of [CommitmentKind.COMMITMENT_KIND_REPORT, CommitmentKind.COMMITMENT_KIND_COMPONENTS, CommitmentKind.COMMITMENT_KIND_ADVISORY]) {
    if (!seen.has(k)) throw ErrInvalidCommitments.wrap(`a ${CommitmentKind[k]} commitment is required at opening (REPORT, COMPONENTS and ADVISORY always; FIX optional)`);
  }
  const sealed = seen.has(CommitmentKind.COMMITMENT_KIND_LEVEL);
  if (level === 0 && !sealed) throw ErrInvalidCommitments.wrap("a sealed-level case (level 0) needs a LEVEL commitment");
  if (level !== 0 && sealed) throw ErrInvalidCommitments.wrap(`a LEVEL commitment is only for sealed-level cases (level 0); this case is opened at level ${level}`);
}

/** The public summary of a post-coordination record (coord:36). */
export function validateRecordSummary(s: RecordSummary | undefined, recordHash: Uint8Array): RecordSummary {
  requireHash32(recordHash, "record_hash", ErrInvalidRecord);
  if (s === undefined) throw ErrInvalidRecord.wrap("summary is missing");
  for (const [name, v] of [["activities", s.activities], ["responses", s.responses], ["lessons_learned", s.lessonsLearned]] as const) {
    if ([...v].length > LIMITS.recordText) throw ErrInvalidRecord.wrap(`summary.${name} is ${[...v].length} characters; at most ${LIMITS.recordText}`);
  }
  if (s.followUps.length > LIMITS.followUps) throw ErrInvalidRecord.wrap(`summary.follow_ups has ${s.followUps.length} entries; at most ${LIMITS.followUps}`);
  s.followUps.forEach((f, i) => {
    if ([...f].length > LIMITS.followUp) throw ErrInvalidRecord.wrap(`summary.follow_ups[${i}] is ${[...f].length} characters; at most ${LIMITS.followUp}`);
  });
  return RecordSummary.fromPartial(s);
}

/**
 * Coordination params (proto coord.v1.Params): the production defaults of docs/coordination.md §3,
 * a devnet variant with short timelines, and stateless validation (ErrInvalidParams, coord:39).
 * Durations are whole seconds (bigint); the revision quorum is an 18-decimal fixed-point fraction.
 */
import { DEC_ONE, isCanonicalUint, validateDenom } from "../../../baseapp/coins";
import { DEFAULT_DENOM } from "../../../baseapp/tx/constants";
import type { LevelTimeline, Params } from "../../../generated/coord/v1/params";
import { ErrInvalidParams } from "../errors";

const H = 3600n;
const D = 24n * H;

/** Upper bounds that keep every sum of durations far from overflow and every tx under 256 KiB. */
export const PARAM_LIMITS = {
  maxEmbargoSeconds: 3650n * D,
  maxEnvelopeBytes: 200 * 1024,
  maxNoticesPerMsg: 256,
  maxNoticesPerCase: 100_000,
  maxOpenCases: 10_000,
  maxDependencies: 256,
  maxAdvisoryBytes: 128 * 1024,
  maxOpenCosigners: 100,
  maxNominalBlockSeconds: 3600n,
  maxDisclosureCheckBatch: 10_000,
} as const;

function level(level: number, embargo: bigint, contact: bigint, finalize: bigint, window: bigint, followUp: bigint): LevelTimeline {
  return { level, embargoSeconds: embargo, contactLeadSeconds: contact, finalizeLeadSeconds: finalize, revealWindowSeconds: window, followUpSeconds: followUp };
}

/** Production defaults (docs/coordination.md §2.2 and §3). */
export function defaultCoordParams(denom: string = DEFAULT_DENOM): Params {
  return {
    enabled: true,
    levels: [
      level(1, 14n * D, 48n * H, 24n * H, 24n * H, 24n * H),
      level(2, 72n * H, 48n * H, 24n * H, 6n * H, 24n * H),
      level(3, 12n * H, 12n * H, 4n * H, 1n * H, 24n * H),
    ],
    minEmbargoSeconds: 600n,
    maxEmbargoSeconds: 90n * D,
    revisionQuorum: (DEC_ONE / 2n).toString(),
    revisionTtlSeconds: 24n * H,
    openCosigners: 0,
    partyDeposit: { denom, amount: "10000000" },
    maxDependencies: 32,
    maxNoticeBytes: 16 * 1024,
    maxInputBytes: 64 * 1024,
    maxNoticesPerMsg: 64,
    maxNoticesPerCase: 4096,
    maxOpenCases: 64,
    maxAdvisoryBytes: 32 * 1024,
    nominalBlockSeconds: 6n,
    advisoryIdPrefix: "DCERT",
    // ~58 µs a unit in the worst case (every unit a new party; bench coord): ~9 ms of EndBlock.
    disclosureCheckBatch: 150,
  };
}

/** Devnet: the same rules with minutes instead of days (level 3 = 2 min, window 1 min), deposit 1 DCERT. */
export function devnetCoordParams(denom: string = DEFAULT_DENOM): Params {
  return {
    ...defaultCoordParams(denom),
    levels: [level(1, 600n, 300n, 120n, 120n, 120n), level(2, 300n, 240n, 120n, 60n, 120n), level(3, 120n, 120n, 60n, 60n, 120n)],
    minEmbargoSeconds: 30n,
    revisionTtlSeconds: 300n,
    partyDeposit: { denom, amount: "1000000" },
    nominalBlockSeconds: 1n,
  };
}

function fail(detail: string): never {
  throw ErrInvalidParams.wrap(detail);
}

function intIn(name: string, v: number, min: number, max: number): void {
  if (!Number.isSafeInteger(v) || v < min || v > max) fail(`${name} must be an integer between ${min} and ${max}, got ${v}`);
}

function secondsIn(name: string, v: bigint, min: bigint, max: bigint): void {
  if (v < min || v > max) fail(`${name} must be between ${min} and ${max} seconds, got ${v}`);
}

/** The revision quorum as an 18-decimal fraction in (0, 1]; throws ErrInvalidParams. */
export function revisionQuorumOf(p: Params): bigint {
  if (!isCanonicalUint(p.revisionQuorum) || p.revisionQuorum.length > 40) {
    fail(`revision_quorum must be the canonical integer string of the fraction × 10^18 (500000000000000000 is one half), got ${JSON.stringify(p.revisionQuorum.slice(0, 60))}`);
  }
  const q = BigInt(p.revisionQuorum);
  if (q <= 0n || q > DEC_ONE) fail(`revision_quorum must be above 0 and at most 1 (1000000000000000000), got ${q}`);
  return q;
}

/** Stateless validation of every field; throws ErrInvalidParams (coord:39) naming the field. */
export function validateCoordParams(p: Params): void {
  secondsIn("min_embargo_seconds", p.minEmbargoSeconds, 1n, PARAM_LIMITS.maxEmbargoSeconds);
  secondsIn("max_embargo_seconds", p.maxEmbargoSeconds, p.minEmbargoSeconds, PARAM_LIMITS.maxEmbargoSeconds);
  if (p.levels.length !== 3) fail(`levels must list exactly the three levels 1, 2 and 3, got ${p.levels.length}`);
  p.levels.forEach((l, i) => {
    const n = `levels[${i}]`;
    if (l.level !== i + 1) fail(`${n}.level must be ${i + 1} (levels are listed in order 1, 2, 3), got ${l.level}`);
    secondsIn(`${n}.embargo_seconds`, l.embargoSeconds, p.minEmbargoSeconds, p.maxEmbargoSeconds);
    secondsIn(`${n}.contact_lead_seconds`, l.contactLeadSeconds, 0n, PARAM_LIMITS.maxEmbargoSeconds);
    secondsIn(`${n}.finalize_lead_seconds`, l.finalizeLeadSeconds, 0n, l.contactLeadSeconds);
    secondsIn(`${n}.reveal_window_seconds`, l.revealWindowSeconds, 1n, PARAM_LIMITS.maxEmbargoSeconds);
    secondsIn(`${n}.follow_up_seconds`, l.followUpSeconds, 0n, PARAM_LIMITS.maxEmbargoSeconds);
  });
  revisionQuorumOf(p);
  secondsIn("revision_ttl_seconds", p.revisionTtlSeconds, 1n, PARAM_LIMITS.maxEmbargoSeconds);
  intIn("open_cosigners", p.openCosigners, 0, PARAM_LIMITS.maxOpenCosigners);
  const d = p.partyDeposit;
  if (d === undefined) fail("party_deposit is missing (use an amount of 0 for no deposit)");
  try {
    validateDenom(d.denom);
  } catch {
    fail(`party_deposit has an invalid denom ${JSON.stringify(d.denom.slice(0, 100))}`);
  }
  if (!isCanonicalUint(d.amount)) fail(`party_deposit.amount must be a non-negative integer string, got ${JSON.stringify(d.amount.slice(0, 100))}`);
  intIn("max_dependencies", p.maxDependencies, 1, PARAM_LIMITS.maxDependencies);
  intIn("max_notice_bytes", p.maxNoticeBytes, 256, PARAM_LIMITS.maxEnvelopeBytes);
  intIn("max_input_bytes", p.maxInputBytes, 256, PARAM_LIMITS.maxEnvelopeBytes);
  intIn("max_notices_per_msg", p.maxNoticesPerMsg, 1, PARAM_LIMITS.maxNoticesPerMsg);
  intIn("max_notices_per_case", p.maxNoticesPerCase, 1, PARAM_LIMITS.maxNoticesPerCase);
  intIn("max_open_cases", p.maxOpenCases, 1, PARAM_LIMITS.maxOpenCases);
  intIn("max_advisory_bytes", p.maxAdvisoryBytes, 256, PARAM_LIMITS.maxAdvisoryBytes);
  secondsIn("nominal_block_seconds", p.nominalBlockSeconds, 1n, PARAM_LIMITS.maxNominalBlockSeconds);
  intIn("disclosure_check_batch", p.disclosureCheckBatch, 1, PARAM_LIMITS.maxDisclosureCheckBatch);
  if (!/^[A-Z][A-Z0-9]{0,15}$/.test(p.advisoryIdPrefix)) {
    fail(`advisory_id_prefix must be 1–16 upper-case letters or digits starting with a letter, got ${JSON.stringify(p.advisoryIdPrefix.slice(0, 40))}`);
  }
}

/** The timeline of `level` (1–3); a sealed-level case (0) uses level 2's. */
export function levelTimeline(p: Params, level: number): LevelTimeline {
  const l = p.levels[(level === 0 ? 2 : Math.min(3, Math.max(1, level))) - 1];
  if (l === undefined) throw new Error(`params have no timeline for level ${level}`);
  return l;
}

/**
 * Legacy amino JSON converters for the coordination (`coord.v1`) messages, in CosmJS's
 * `AminoConverters` shape (amino names "coord/<Msg>"):
 *
 *   new AminoTypes({ ...createDefaultAminoConverters(), ...createCoordAminoConverters() })
 *
 * The chain registers the same converters in its amino registry (src/types/amino.ts) to rebuild the
 * sign bytes of SIGN_MODE_LEGACY_AMINO_JSON transactions, so these are part of the wire contract.
 * Values follow Go's amino JSON, as the dCERT converters (src/types/aminomessages.ts) do:
 *
 * - snake_case field names; proto3 default fields ("", 0, false, empty bytes, empty lists) omitted;
 * - uint64 and int64 as decimal strings, uint32 as numbers, enums as numbers, bools as booleans;
 * - bytes as standard base64 (with padding);
 * - google.protobuf.Timestamp as an RFC 3339 UTC string with the fraction trimmed like Go's
 *   time.RFC3339Nano ("2025-01-02T03:04:05Z", "2025-01-02T03:04:05.5Z");
 * - coins as {denom, amount} (denom omitted when empty);
 * - nested messages as objects whenever they are set (an empty set message is `{}`).
 *
 * `fromAmino(toAmino(m))` re-encodes to exactly the protobuf bytes of m. `fromAmino` is strict: it
 * refuses unknown fields and values of the wrong JSON type or out of range, rather than dropping
 * them (a dropped field would make the rebuilt tx differ from what the wallet signed).
 *
 * Every converter is built from a field table typed against the generated message, so a field
 * added to a message in the proto fails to compile until it has its amino form here.
 */
import type { AminoConverter, AminoConverters } from "@cosmjs/stargate";
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import type { Coin } from "../../generated/cosmos/base/v1beta1/coin";
import type { Timestamp } from "../../generated/google/protobuf/timestamp";
import type { LevelTimeline, Params } from "../../generated/coord/v1/params";
import {
  MsgAcknowledge,
  MsgApproveRevision,
  MsgCloseCase,
  MsgCommit,
  MsgEscalate,
  MsgJoinCase,
  MsgOpenCase,
  MsgProposeRevision,
  MsgRegisterParty,
  MsgSetRevealGate,
  MsgReveal,
  MsgSendNotice,
  MsgSubmitInput,
  MsgUpdateInvolvement,
  MsgUpdateParams,
  MsgUpdateParty,
  MsgWithdrawParty,
  type CommitmentInput,
  type NoticeInput,
  type RevealItem,
} from "../../generated/coord/v1/tx";
import type { Component, Envelope, EnvelopeRecipient, RecordSummary } from "../../generated/coord/v1/types";
import { COORD_TYPE_URLS } from "./messages";

type Json = Record<string, unknown>;

// ---- field tables ------------------------------------------------------------------------------

/** Scalar amino forms. "u32" and "enum" are both JSON numbers (enums may be any int32). */
type Scalar = "string" | "bool" | "u32" | "enum" | "u64" | "i64" | "bytes" | "timestamp";

/** A nested message: its own field table (JSON object) or a coin. */
interface Nested {
  readonly nested: Table;
}
interface Repeated {
  readonly repeated: Scalar | Nested;
}
type Field = Scalar | Nested | Repeated | "coin";

/** JSON key → [generated field name, amino form]. */
interface Table {
  readonly fields: ReadonlyArray<readonly [string, string, Field]>;
}

/** The amino forms a generated field of type V may take (checked at compile time). */
type FieldFor<V> = [V] extends [string]
  ? "string"
  : [V] extends [boolean]
    ? "bool"
    : [V] extends [number]
      ? "u32" | "enum"
      : [V] extends [bigint]
        ? "u64" | "i64"
        : [V] extends [Uint8Array]
          ? "bytes"
          : [V] extends [ReadonlyArray<infer E>]
            ? { readonly repeated: FieldFor<E> & (Scalar | Nested) }
            : [NonNullable<V>] extends [Timestamp]
              ? "timestamp"
              : [NonNullable<V>] extends [Coin]
                ? "coin"
                : Nested;

/** camelCase (ts-proto) → snake_case (proto / amino JSON). */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A field table covering every field of T (a missing or mistyped entry does not compile). */
function table<T>(fields: { readonly [K in keyof T]-?: FieldFor<T[K]> }): Table {
  return { fields: Object.entries(fields as Record<string, Field>).map(([name, f]) => [snake(name), name, f] as const) };
}

// ---- to amino ----------------------------------------------------------------------------------

const MIN_TIMESTAMP_SECONDS = -62135596800n; // 0001-01-01T00:00:00Z
const MAX_TIMESTAMP_SECONDS = 253402300799n; // 9999-12-31T23:59:59Z
const U64_MAX = 0xffffffffffffffffn;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

function pad(n: bigint, width: number): string {
  return n.toString().padStart(width, "0");
}

/** The civil (proleptic Gregorian) date of a day count since 1970-01-01 (H. Hinnant's algorithm). */
function civilFromDays(days: bigint): [bigint, bigint, bigint] {
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = doy - (153n * mp + 2n) / 5n + 1n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  const year = yoe + era * 400n + (month <= 2n ? 1n : 0n);
  return [year, month, day];
}

/** Days since 1970-01-01 of a civil date (the inverse of civilFromDays). */
function daysFromCivil(year: bigint, month: bigint, day: bigint): bigint {
  const y = month <= 2n ? year - 1n : year;
  const era = (y >= 0n ? y : y - 399n) / 400n;
  const yoe = y - era * 400n;
  const mp = month > 2n ? month - 3n : month + 9n;
  const doy = (153n * mp + 2n) / 5n + day - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146097n + doe - 719468n;
}

/** A Timestamp as Go's time.RFC3339Nano formats it in UTC. Throws outside 0001–9999 or for bad nanos. */
export function timestampToRfc3339(ts: Partial<Timestamp>): string {
  const seconds = BigInt(ts.seconds ?? 0n);
  const nanos = ts.nanos ?? 0;
  if (seconds < MIN_TIMESTAMP_SECONDS || seconds > MAX_TIMESTAMP_SECONDS) {
    throw new Error(`timestamp seconds ${seconds} are outside 0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z`);
  }
  if (!Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999) throw new Error(`timestamp nanos ${String(nanos)} are outside 0 … 999999999`);
  let days = seconds / 86400n;
  let rem = seconds % 86400n;
  if (rem < 0n) {
    rem += 86400n;
    days -= 1n;
  }
  const [year, month, day] = civilFromDays(days);
  const frac = nanos === 0 ? "" : `.${nanos.toString().padStart(9, "0").replace(/0+$/, "")}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(rem / 3600n, 2)}:${pad((rem / 60n) % 60n, 2)}:${pad(rem % 60n, 2)}${frac}Z`;
}

const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** Parses an RFC 3339 UTC time ("Z", at most nanosecond precision, years 0001–9999) to a Timestamp. */
export function timestampFromRfc3339(s: string): Timestamp {
  const m = RFC3339_UTC.exec(s);
  if (m === null) throw new Error(`expected an RFC 3339 UTC time such as "2025-01-02T03:04:05Z", got ${JSON.stringify(s)}`);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => BigInt(x ?? "0")) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const leap = (year % 4n === 0n && year % 100n !== 0n) || year % 400n === 0n;
  const monthDays = [31n, leap ? 29n : 28n, 31n, 30n, 31n, 30n, 31n, 31n, 30n, 31n, 30n, 31n];
  const maxDay = month >= 1n && month <= 12n ? monthDays[Number(month) - 1] : undefined;
  if (year < 1n || maxDay === undefined || day < 1n || day > maxDay || hour > 23n || minute > 59n || second > 59n) {
    throw new Error(`${JSON.stringify(s)} is not a valid time (years 0001–9999, no leap seconds)`);
  }
  const seconds = daysFromCivil(year, month, day) * 86400n + hour * 3600n + minute * 60n + second;
  return { seconds, nanos: Number((m[7] ?? "").padEnd(9, "0")) };
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === "" || v === 0 || v === false || (Array.isArray(v) && v.length === 0);
}

function scalarToAmino(kind: Scalar, v: unknown, where: string): unknown {
  switch (kind) {
    case "string":
    case "bool":
    case "u32":
    case "enum":
      return v;
    case "u64":
    case "i64": {
      const n = BigInt(v as bigint | number | string);
      const [lo, hi] = kind === "u64" ? [0n, U64_MAX] : [I64_MIN, I64_MAX];
      if (n < lo || n > hi) throw new Error(`${where}: ${n} is out of ${kind === "u64" ? "uint64" : "int64"} range`);
      return n === 0n ? undefined : n.toString();
    }
    case "bytes":
      return (v as Uint8Array).length === 0 ? undefined : toBase64(v as Uint8Array);
    case "timestamp":
      return timestampToRfc3339(v as Partial<Timestamp>);
  }
}

function coinToAmino(c: Partial<Coin>): Json {
  const out: Json = {};
  if (!isEmpty(c.denom)) out.denom = c.denom;
  out.amount = c.amount ?? "";
  return out;
}

function valueToAmino(field: Scalar | Nested | "coin", v: unknown, where: string): unknown {
  if (field === "coin") return coinToAmino(v as Partial<Coin>);
  if (typeof field === "object") return objectToAmino(field.nested, v as Json, where);
  return scalarToAmino(field, v, where);
}

function objectToAmino(t: Table, m: Json, where: string): Json {
  const out: Json = {};
  for (const [key, name, field] of t.fields) {
    const v = m[name];
    if (v === undefined || v === null) continue;
    const at = `${where}.${key}`;
    const value =
      typeof field === "object" && "repeated" in field
        ? (v as readonly unknown[]).map((e, i) => valueToAmino(field.repeated, e, `${at}[${i}]`))
        : valueToAmino(field, v, at);
    if (!isEmpty(value)) out[key] = value;
  }
  return out;
}

// ---- from amino --------------------------------------------------------------------------------

function expectObject(v: unknown, where: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${where}: expected an object`);
  return v as Json;
}

function scalarFromAmino(kind: Scalar, v: unknown, where: string): unknown {
  const absent = v === undefined || v === null;
  switch (kind) {
    case "string":
      if (absent) return "";
      if (typeof v !== "string") throw new Error(`${where}: expected a string`);
      return v;
    case "bool":
      if (absent) return false;
      if (typeof v !== "boolean") throw new Error(`${where}: expected a boolean`);
      return v;
    case "u32":
      if (absent) return 0;
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`${where}: expected a uint32 number, got ${JSON.stringify(v)}`);
      return v;
    case "enum":
      if (absent) return 0;
      if (typeof v !== "number" || !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new Error(`${where}: expected an enum number, got ${JSON.stringify(v)}`);
      return v;
    case "u64":
    case "i64": {
      if (absent) return 0n;
      const re = kind === "u64" ? /^(0|[1-9][0-9]*)$/ : /^(0|-?[1-9][0-9]*)$/;
      if (typeof v !== "string" || !re.test(v) || v.length > 20) {
        throw new Error(`${where}: expected a ${kind === "u64" ? "uint64" : "int64"} decimal string without leading zeros, got ${JSON.stringify(v)}`);
      }
      const n = BigInt(v);
      const [lo, hi] = kind === "u64" ? [0n, U64_MAX] : [I64_MIN, I64_MAX];
      if (n < lo || n > hi) throw new Error(`${where}: ${v} is out of ${kind === "u64" ? "uint64" : "int64"} range`);
      return n;
    }
    case "bytes": {
      if (absent) return new Uint8Array(0);
      if (typeof v !== "string") throw new Error(`${where}: expected base64 bytes`);
      let bytes: Uint8Array;
      try {
        bytes = fromBase64(v);
      } catch {
        throw new Error(`${where}: expected standard base64 bytes, got ${JSON.stringify(v.slice(0, 64))}`);
      }
      if (toBase64(bytes) !== v) throw new Error(`${where}: expected canonical standard base64 (with padding), got ${JSON.stringify(v.slice(0, 64))}`);
      return bytes;
    }
    case "timestamp":
      if (absent) return undefined;
      if (typeof v !== "string") throw new Error(`${where}: expected an RFC 3339 time string`);
      try {
        return timestampFromRfc3339(v);
      } catch (e) {
        throw new Error(`${where}: ${e instanceof Error ? e.message : String(e)}`);
      }
  }
}

function coinFromAmino(v: unknown, where: string): Coin {
  const o = expectObject(v, where);
  for (const key of Object.keys(o)) if (key !== "denom" && key !== "amount") throw new Error(`${where}: unknown field ${JSON.stringify(key)}`);
  return { denom: scalarFromAmino("string", o.denom, `${where}.denom`) as string, amount: scalarFromAmino("string", o.amount, `${where}.amount`) as string };
}

function valueFromAmino(field: Scalar | Nested | "coin", v: unknown, where: string): unknown {
  if (field === "coin") return coinFromAmino(v, where);
  if (typeof field === "object") return objectFromAmino(field.nested, v, where);
  return scalarFromAmino(field, v, where);
}

function objectFromAmino(t: Table, v: unknown, where: string): Json {
  const o = expectObject(v, where);
  const known = new Set(t.fields.map(([key]) => key));
  for (const key of Object.keys(o)) if (!known.has(key)) throw new Error(`${where}: unknown field ${JSON.stringify(key)}`);
  const out: Json = {};
  for (const [key, name, field] of t.fields) {
    const raw = o[key];
    const at = `${where}.${key}`;
    if (typeof field === "object" && "repeated" in field) {
      if (raw !== undefined && raw !== null && !Array.isArray(raw)) throw new Error(`${at}: expected an array`);
      out[name] = (raw ?? []).map((e: unknown, i: number) => valueFromAmino(field.repeated, e, `${at}[${i}]`));
    } else if (field === "coin" || (typeof field === "object" && "nested" in field)) {
      if (raw !== undefined && raw !== null) out[name] = valueFromAmino(field, raw, at);
    } else {
      const value = scalarFromAmino(field, raw, at);
      if (value !== undefined) out[name] = value;
    }
  }
  return out;
}

// ---- the coord.v1 tables -----------------------------------------------------------------------

const component = table<Component>({ kind: "enum", name: "string", versions: "string" });
const commitmentInput = table<CommitmentInput>({ kind: "enum", hash: "bytes" });
const envelopeRecipient = table<EnvelopeRecipient>({ address: "string", keyEpoch: "u32", enc: "bytes", wrappedKey: "bytes" });
const envelope = table<Envelope>({
  version: "u32",
  suite: "u32",
  recipients: { repeated: { nested: envelopeRecipient } },
  nonce: "bytes",
  ciphertext: "bytes",
});
const noticeInput = table<NoticeInput>({ recipient: "string", kind: "enum", envelope: { nested: envelope } });
const revealItem = table<RevealItem>({ kind: "enum", salt: "bytes", content: "bytes", contentHash: "bytes" });
const recordSummary = table<RecordSummary>({
  activities: "string",
  responses: "string",
  lessonsLearned: "string",
  fixDeploymentVerified: "bool",
  followUps: { repeated: "string" },
});
const levelTimeline = table<LevelTimeline>({
  level: "u32",
  embargoSeconds: "u64",
  contactLeadSeconds: "u64",
  finalizeLeadSeconds: "u64",
  revealWindowSeconds: "u64",
  followUpSeconds: "u64",
});
const params = table<Params>({
  enabled: "bool",
  levels: { repeated: { nested: levelTimeline } },
  minEmbargoSeconds: "u64",
  maxEmbargoSeconds: "u64",
  revisionQuorum: "string",
  revisionTtlSeconds: "u64",
  openCosigners: "u32",
  partyDeposit: "coin",
  maxDependencies: "u32",
  maxNoticeBytes: "u32",
  maxInputBytes: "u32",
  maxNoticesPerMsg: "u32",
  maxNoticesPerCase: "u32",
  maxOpenCases: "u32",
  maxAdvisoryBytes: "u32",
  nominalBlockSeconds: "u64",
  advisoryIdPrefix: "string",
  disclosureCheckBatch: "u32",
});

const partyFields = {
  owner: "string",
  kind: "enum",
  name: "string",
  contact: "string",
  encryptionKey: "bytes",
  dependencies: { repeated: { nested: component } },
} as const;

interface Codec<T> {
  fromPartial(object: never): T;
}

function converter<T>(aminoType: string, codec: Codec<T>, t: Table): AminoConverter {
  return {
    aminoType,
    toAmino: (m: Partial<T>): Json => objectToAmino(t, m as Json, aminoType),
    fromAmino: (v: unknown): T => codec.fromPartial(objectFromAmino(t, v, aminoType) as never),
  };
}

/** The amino type of each coord.v1 message, keyed by type URL. */
export const COORD_AMINO_TYPES = {
  [COORD_TYPE_URLS.registerParty]: "coord/MsgRegisterParty",
  [COORD_TYPE_URLS.updateParty]: "coord/MsgUpdateParty",
  [COORD_TYPE_URLS.withdrawParty]: "coord/MsgWithdrawParty",
  [COORD_TYPE_URLS.openCase]: "coord/MsgOpenCase",
  [COORD_TYPE_URLS.joinCase]: "coord/MsgJoinCase",
  [COORD_TYPE_URLS.commit]: "coord/MsgCommit",
  [COORD_TYPE_URLS.escalate]: "coord/MsgEscalate",
  [COORD_TYPE_URLS.proposeRevision]: "coord/MsgProposeRevision",
  [COORD_TYPE_URLS.approveRevision]: "coord/MsgApproveRevision",
  [COORD_TYPE_URLS.sendNotice]: "coord/MsgSendNotice",
  [COORD_TYPE_URLS.submitInput]: "coord/MsgSubmitInput",
  [COORD_TYPE_URLS.acknowledge]: "coord/MsgAcknowledge",
  [COORD_TYPE_URLS.updateInvolvement]: "coord/MsgUpdateInvolvement",
  [COORD_TYPE_URLS.reveal]: "coord/MsgReveal",
  [COORD_TYPE_URLS.closeCase]: "coord/MsgCloseCase",
  [COORD_TYPE_URLS.updateParams]: "coord/MsgUpdateParams",
  [COORD_TYPE_URLS.setRevealGate]: "coord/MsgSetRevealGate",
} as const;

/** Amino JSON converters for every coord.v1 message, keyed by type URL. */
export function createCoordAminoConverters(): AminoConverters {
  const u = COORD_TYPE_URLS;
  const a = COORD_AMINO_TYPES;
  return {
    [u.registerParty]: converter(a[u.registerParty], MsgRegisterParty, table<MsgRegisterParty>(partyFields)),
    [u.updateParty]: converter(a[u.updateParty], MsgUpdateParty, table<MsgUpdateParty>(partyFields)),
    [u.withdrawParty]: converter(a[u.withdrawParty], MsgWithdrawParty, table<MsgWithdrawParty>({ owner: "string" })),
    [u.openCase]: converter(
      a[u.openCase],
      MsgOpenCase,
      table<MsgOpenCase>({
        member: "string",
        level: "u32",
        commitments: { repeated: { nested: commitmentInput } },
        deadlineTime: "timestamp",
        deadlineHeight: "i64",
        readinessPlan: "string",
      }),
    ),
    [u.joinCase]: converter(a[u.joinCase], MsgJoinCase, table<MsgJoinCase>({ member: "string", caseId: "u64" })),
    [u.commit]: converter(a[u.commit], MsgCommit, table<MsgCommit>({ member: "string", caseId: "u64", kind: "enum", hash: "bytes" })),
    [u.escalate]: converter(
      a[u.escalate],
      MsgEscalate,
      table<MsgEscalate>({ member: "string", caseId: "u64", newLevel: "u32", levelSalt: "bytes", sealedLevel: "u32", reason: "string" }),
    ),
    [u.proposeRevision]: converter(
      a[u.proposeRevision],
      MsgProposeRevision,
      table<MsgProposeRevision>({
        member: "string",
        caseId: "u64",
        kind: "enum",
        newDeadlineTime: "timestamp",
        newDeadlineHeight: "i64",
        newLevel: "u32",
        reason: "string",
      }),
    ),
    [u.approveRevision]: converter(a[u.approveRevision], MsgApproveRevision, table<MsgApproveRevision>({ member: "string", caseId: "u64" })),
    [u.sendNotice]: converter(
      a[u.sendNotice],
      MsgSendNotice,
      table<MsgSendNotice>({ member: "string", caseId: "u64", notices: { repeated: { nested: noticeInput } } }),
    ),
    [u.submitInput]: converter(
      a[u.submitInput],
      MsgSubmitInput,
      table<MsgSubmitInput>({ sender: "string", caseId: "u64", envelope: { nested: envelope } }),
    ),
    [u.acknowledge]: converter(
      a[u.acknowledge],
      MsgAcknowledge,
      table<MsgAcknowledge>({ party: "string", noticeId: "u64", envelopeHash: "bytes" }),
    ),
    [u.updateInvolvement]: converter(
      a[u.updateInvolvement],
      MsgUpdateInvolvement,
      table<MsgUpdateInvolvement>({ party: "string", caseId: "u64", status: "enum", noteHash: "bytes" }),
    ),
    [u.reveal]: converter(
      a[u.reveal],
      MsgReveal,
      table<MsgReveal>({ member: "string", caseId: "u64", items: { repeated: { nested: revealItem } } }),
    ),
    [u.closeCase]: converter(
      a[u.closeCase],
      MsgCloseCase,
      table<MsgCloseCase>({ member: "string", caseId: "u64", recordHash: "bytes", summary: { nested: recordSummary } }),
    ),
    [u.updateParams]: converter(a[u.updateParams], MsgUpdateParams, table<MsgUpdateParams>({ authority: "string", params: { nested: params } })),
    [u.setRevealGate]: converter(
      a[u.setRevealGate],
      MsgSetRevealGate,
      table<MsgSetRevealGate>({ member: "string", caseId: "u64", readinessPlan: "string", reason: "string" }),
    ),
  };
}

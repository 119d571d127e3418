/**
 * What the coordination commands share: enum names on the command line (lower-case, dashes), ids,
 * files, and the party/case lookups that turn a chain refusal into an actionable message.
 */
import * as fs from "node:fs";
import {
  CommitmentKind,
  InvolvementStatus,
  NoticeKind,
  PartyKind,
  RevisionKind,
  type Party,
} from "../../generated/coord/v1/types";
import { UsageError } from "../args";
import { CliError } from "../cmdtree";

/** `PARTY_KIND_DOWNSTREAM_PROJECT` ↔ `downstream-project`. */
function enumWords<E extends number>(values: Record<string, string | number>, prefix: string): ReadonlyMap<string, E> {
  const out = new Map<string, E>();
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== "number" || v <= 0 || !k.startsWith(prefix)) continue;
    out.set(k.slice(prefix.length).toLowerCase().replace(/_/g, "-"), v as E);
  }
  return out;
}

export const PARTY_KINDS = enumWords<PartyKind>(PartyKind, "PARTY_KIND_");
export const COMMITMENT_KINDS = enumWords<CommitmentKind>(CommitmentKind, "COMMITMENT_KIND_");
export const REVISION_KINDS = enumWords<RevisionKind>(RevisionKind, "REVISION_KIND_");
export const NOTICE_KINDS = enumWords<NoticeKind>(NoticeKind, "NOTICE_KIND_");
export const INVOLVEMENT_STATUSES = enumWords<InvolvementStatus>(InvolvementStatus, "INVOLVEMENT_STATUS_");

/** The value of `words` named by `text` (case-insensitive, `_` or `-`); a UsageError listing them otherwise. */
export function enumArg<E>(words: ReadonlyMap<string, E>, text: string, what: string, allowed?: readonly string[]): E {
  const key = text.trim().toLowerCase().replace(/_/g, "-");
  const names = allowed ?? [...words.keys()];
  const v = names.includes(key) ? words.get(key) : undefined;
  if (v === undefined) throw new UsageError(`${what} must be one of ${names.join(", ")}, got "${text}"`);
  return v;
}

/** The word of an enum value (`downstream-project`). */
export function enumWord<E>(words: ReadonlyMap<string, E>, value: E): string {
  for (const [k, v] of words) if (v === value) return k;
  return String(value);
}

/** A case, notice or input id (a positive integer). */
export function idArg(text: string | undefined, what: string): bigint {
  if (text === undefined) throw new UsageError(`give the ${what}`);
  if (!/^[0-9]{1,20}$/.test(text) || BigInt(text) === 0n || BigInt(text) > 0xffffffffffffffffn) throw new UsageError(`the ${what} must be a positive integer, got "${text}"`);
  return BigInt(text);
}

/** Exactly `names.length` positionals (names like "<case-id>"; "[x]" ones optional at the end). */
export function positionals(got: readonly string[], names: readonly string[]): (string | undefined)[] {
  const required = names.filter((n) => !n.startsWith("[")).length;
  if (got.length < required) throw new UsageError(`missing ${names.slice(got.length, required).join(", ")}`);
  if (got.length > names.length && !(names.at(-1) ?? "").endsWith("...")) throw new UsageError(`unexpected argument "${got[names.length] ?? ""}"`);
  return names.map((_, i) => got[i]);
}

export function readFileArg(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new CliError(`cannot read ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, "check the path", 2);
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof Error && /not found|does not exist|unknown (party|case|notice)/i.test(e.message);
}

/** A party record, or a CliError saying how to register one. */
export async function requireParty(coord: { party: (a: string) => Promise<{ party?: Party | undefined }> }, address: string, who: string): Promise<Party> {
  let party: Party | undefined;
  try {
    party = (await coord.party(address)).party;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (party === undefined) throw new CliError(`${who} (${address}) is not a registered party`, `register it first: "dcertd tx coord register-party --kind … --name … --from <key>"`);
  return party;
}

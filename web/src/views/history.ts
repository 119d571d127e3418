/**
 * A member's history (seats, suspensions, slashes, reinstatements) read from the chain's events.
 * Typed events carry one attribute per field whose value is the field's protobuf JSON (strings are
 * quoted: member = "\"dcert1…\""), so a search matches the quoted address and parsing decodes JSON.
 * Plain functions (no DOM) so they are unit-tested; member.tsx does the searching.
 */

/** An ABCI event as CosmJS returns it (tx results and FinalizeBlock events alike). */
export interface ChainEvent {
  readonly type: string;
  readonly attributes: readonly { readonly key: string; readonly value: string }[];
}

export type HistoryKind = "seated" | "unseated" | "suspension-vote" | "suspended" | "slashed" | "reinstated";

export interface HistoryEntry {
  readonly height: bigint;
  readonly kind: HistoryKind;
  readonly text: string;
}

/** The event types a member's page searches for, with the attribute naming the member. */
export const HISTORY_EVENTS: readonly { readonly type: string; readonly key: string }[] = [
  { type: "dcert.v1.EventMemberAdmitted", key: "member" },
  { type: "dcert.v1.EventMemberRemoved", key: "member" },
  { type: "dcert.v1.EventSuspensionVote", key: "target" },
  { type: "dcert.v1.EventMemberSuspended", key: "member" },
  { type: "dcert.v1.EventMemberSlashed", key: "member" },
  { type: "dcert.v1.EventMemberReinstated", key: "member" },
];

/** CometBFT query matching `type.key` = the JSON-quoted `address` (as typed events write it). */
export function historyQuery(type: string, key: string, address: string): string {
  if (!/^[a-z0-9]+$/.test(address)) throw new Error(`"${address}" is not a bech32 address`);
  return `${type}.${key}='"${address}"'`;
}

/** An attribute's value decoded from protobuf JSON; the raw text when it is not JSON. */
export function attributeValue(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function attrs(e: ChainEvent): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const a of e.attributes) m.set(a.key, attributeValue(a.value));
  return m;
}

function str(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  return "";
}

/** "250000000000000000" (18-decimal fixed point) → "25%"; anything else as it is. */
function fraction(v: unknown): string {
  const s = str(v);
  if (!/^[0-9]+$/.test(s)) return s;
  const basisPoints = (BigInt(s) * 10_000n) / 10n ** 18n;
  const whole = basisPoints / 100n;
  const rest = (basisPoints % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return rest === "" ? `${whole}%` : `${whole}.${rest}%`;
}

/** The entries about `address` among the events of one block (or one transaction) at `height`. */
export function historyFromEvents(address: string, height: bigint, events: readonly ChainEvent[]): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const e of events) {
    const a = attrs(e);
    const about = (key: string): boolean => str(a.get(key)) === address;
    switch (e.type) {
      case "dcert.v1.EventMemberAdmitted":
        if (about("member")) out.push({ height, kind: "seated", text: `seated with sequence ${str(a.get("sequence"))} (tally ${str(a.get("tally"))})` });
        break;
      case "dcert.v1.EventMemberRemoved":
        if (about("member")) {
          const by = str(a.get("replaced_by"));
          out.push({ height, kind: "unseated", text: `lost the seat: ${str(a.get("reason")) || "no reason given"}${by === "" ? "" : ` (replaced by ${by})`}` });
        }
        break;
      case "dcert.v1.EventSuspensionVote":
        if (about("target")) {
          out.push({
            height,
            kind: "suspension-vote",
            text: `vote to suspend by ${str(a.get("voter"))}: ${str(a.get("reason"))} (${str(a.get("yes_votes"))} of ${str(a.get("needed"))} needed)`,
          });
        }
        break;
      case "dcert.v1.EventMemberSuspended":
        if (about("member")) out.push({ height, kind: "suspended", text: `suspended by the group (${str(a.get("yes_votes"))} yes votes, ${str(a.get("needed"))} needed)` });
        break;
      case "dcert.v1.EventMemberSlashed":
        if (about("member")) {
          out.push({
            height,
            kind: "slashed",
            text: `slashed ${fraction(a.get("fraction"))} by governance (bonded ${str(a.get("bonded_slashed"))}, unbonding ${str(a.get("unbonding_slashed"))}): ${str(a.get("reason"))}`,
          });
        }
        break;
      case "dcert.v1.EventMemberReinstated":
        if (about("member")) out.push({ height, kind: "reinstated", text: "reinstated by governance" });
        break;
      default:
        break;
    }
  }
  return out;
}

/** Newest first; entries of one height keep their event order; exact duplicates (one event found by two searches) once. */
export function mergeHistory(lists: readonly (readonly HistoryEntry[])[]): HistoryEntry[] {
  const seen = new Set<string>();
  const all: { e: HistoryEntry; order: number }[] = [];
  let order = 0;
  for (const list of lists) {
    for (const e of list) {
      const key = `${e.height}|${e.kind}|${e.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      all.push({ e, order: order++ });
    }
  }
  all.sort((x, y) => (x.e.height === y.e.height ? x.order - y.order : x.e.height > y.e.height ? -1 : 1));
  return all.map((x) => x.e);
}

/**
 * The disclosure check, bounded per block.
 *
 * The disclosing MsgReveal only STARTS the check (`startCheck`: a DisclosureCheck with counts 0 and
 * `done = false`, a cursor 0x56 and a running marker 0x57; O(1)), so registry flooding can never
 * make a disclosure too expensive for a block. EndBlock (`advanceChecks`, after the deadline
 * queues) then advances the running checks in case-id order by at most `disclosure_check_batch`
 * units per block over all of them together; a unit is one dependency-index entry (0x12) or one
 * involvement record (0x33) read. A check walks:
 *
 *   1. the candidate-selector list of the revealed components (`checkRanges`: for each component
 *      in disclosure order, its exact selectors then its prefixes, each range once), each range of
 *      the 0x12 index in key order;
 *   2. the case's involvements (0x33) in key order: this catches notified parties that withdrew
 *      since (a withdrawn party has no index entries).
 *
 * Each party reached is evaluated once (`evaluate`; skipped when its 0x52 entry exists, so a party
 * under several selectors, or a check restarted by InitGenesis, is not counted twice) against its
 * current record and the matcher: listed when it matches the components, and either was notified
 * before the disclosure height or is registered, not withdrawn, and registered at or before that
 * height. The DisclosureCheck counts are kept equal to the counts of the entries written so far;
 * when both phases are exhausted the check is done: `done = true`, cursor and marker deleted,
 * EventDisclosureCheckDone, a timeline entry and metrics.missed_parties. Iteration is only ever in
 * store key order, and the work per block is bounded whatever the size of the registry.
 */
import type { Context } from "../../../baseapp/context";
import { concat, fromUtf8, readU64be, splitLengthPrefixed, toHex, u64be } from "../../../baseapp/encoding";
import { prefixEnd } from "../../../baseapp/store/prefix";
import { addrBytes, addrString } from "../../auth/keeper";
import {
  type Case,
  CheckEntry,
  type Component,
  type DisclosureCheck,
  Involvement,
  InvolvementStatus,
} from "../../../generated/coord/v1/types";
import { emitCoord } from "../events";
import { KEY, keys } from "../keys";
import { anyMatch, candidateSelectors, type ModuleTable } from "../match";
import type { CoordKeeper } from "./keeper";
import { addMetrics, metricsLevel } from "./metrics";

/** EventDisclosureCheckDone lists at most this many missed parties (the counts are always exact). */
export const MAX_MISSED_LISTED = 100;

const PRESENT = new Uint8Array();
const EMPTY = new Uint8Array();

export const CHECK_PHASE = { selectors: 1, involvements: 2 } as const;

/** The cursor of a running check (0x56; layout in keys.ts). */
export interface CheckCursor {
  phase: number;
  /** Index into `checkRanges` (phase 1). */
  selector: number;
  /** Units (index entries + involvements) examined so far. */
  examined: bigint;
  /** The last store key processed in the current range; empty: start from its beginning. */
  last: Uint8Array;
  /** The first missed parties (raw address bytes), at most MAX_MISSED_LISTED. */
  missed: Uint8Array[];
}

export function initialCursor(missed: readonly Uint8Array[] = []): CheckCursor {
  return { phase: CHECK_PHASE.selectors, selector: 0, examined: 0n, last: EMPTY, missed: missed.slice(0, MAX_MISSED_LISTED) };
}

export function encodeCursor(c: CheckCursor): Uint8Array {
  const head = new Uint8Array(1 + 4 + 8 + 2);
  const view = new DataView(head.buffer);
  head[0] = c.phase;
  view.setUint32(1, c.selector);
  head.set(u64be(c.examined), 5);
  view.setUint16(13, c.last.length);
  const missed = c.missed.flatMap((a) => [Uint8Array.of(a.length), a]);
  return concat(head, c.last, Uint8Array.of(c.missed.length), ...missed);
}

export function decodeCursor(b: Uint8Array): CheckCursor {
  const bad = (): never => {
    throw new Error(`x/coord: malformed disclosure check cursor ${toHex(b)}`);
  };
  if (b.length < 16) bad();
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const lastLen = view.getUint16(13);
  let i = 15 + lastLen;
  if (b.length < i + 1) bad();
  const last = b.slice(15, i);
  const count = b[i++] ?? 0;
  const missed: Uint8Array[] = [];
  for (let j = 0; j < count; j++) {
    const len = b[i] ?? bad();
    if (b.length < i + 1 + len) bad();
    missed.push(b.slice(i + 1, i + 1 + len));
    i += 1 + len;
  }
  if (i !== b.length) bad();
  return { phase: b[0] ?? 0, selector: view.getUint32(1), examined: readU64be(b, 5), last, missed };
}

/** One key range of the dependency index (0x12) to walk; `prefix`: keep only selectors starting with it. */
export interface CheckRange {
  readonly start: Uint8Array;
  readonly end: Uint8Array | undefined;
  readonly prefix?: string;
}

/**
 * The deterministic candidate-selector list of `components`: for each component in order, the
 * index range of each exact selector, then of each prefix (a kind's whole range, filtered), each
 * range once (the first occurrence keeps its place).
 */
export function checkRanges(components: readonly Component[], modules: ModuleTable): CheckRange[] {
  const out: CheckRange[] = [];
  const seen = new Set<string>();
  const add = (start: Uint8Array, prefix?: string): void => {
    const id = `${toHex(start)}/${prefix ?? ""}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(prefix === undefined ? { start, end: prefixEnd(start) } : { start, end: prefixEnd(start), prefix });
  };
  for (const comp of components) {
    const s = candidateSelectors(comp, modules);
    for (const e of s.exact) add(keys.depIndexSelector(e.kind, e.name));
    for (const p of s.prefixes) add(keys.depIndexKind(p.kind), p.prefix);
  }
  return out;
}

/** Starts the check of a case just disclosed (the caller has set c.disclosureHeight). O(1). */
export function startCheck(ctx: Context, k: CoordKeeper, c: Case): void {
  k.setCheck(ctx, { caseId: c.id, height: c.disclosureHeight, matched: 0, notified: 0, acknowledged: 0, missed: 0, late: 0, entries: [], done: false });
  const kv = k.kv(ctx);
  kv.set(keys.checkCursor(c.id), encodeCursor(initialCursor()));
  kv.set(keys.checkRunning(c.id), PRESENT);
}

/**
 * (Re)starts a check that is not done from the beginning, keeping its entries (InitGenesis):
 * already listed parties are skipped, so the result is the one an uninterrupted check gives.
 */
export function restartCheck(ctx: Context, k: CoordKeeper, caseId: bigint, entries: readonly CheckEntry[]): void {
  const kv = k.kv(ctx);
  const missed = entries.filter((e) => e.missed).map((e) => addrBytes(e.party));
  kv.set(keys.checkCursor(caseId), encodeCursor(initialCursor(missed)));
  kv.set(keys.checkRunning(caseId), PRESENT);
}

/** Whether the disclosure check of the case is still running. */
export function checkRunning(ctx: Context, k: CoordKeeper, caseId: bigint): boolean {
  return k.kv(ctx).has(keys.checkRunning(caseId));
}

/** The cursor of a running check, if any. */
export function checkCursor(ctx: Context, k: CoordKeeper, caseId: bigint): CheckCursor | undefined {
  const raw = k.kv(ctx).get(keys.checkCursor(caseId));
  return raw === undefined ? undefined : decodeCursor(raw);
}

/** The entries of a case's check in store key order; at most `limit`. */
export function checkEntries(ctx: Context, k: CoordKeeper, caseId: bigint, limit = Number.MAX_SAFE_INTEGER): CheckEntry[] {
  const start = keys.checkEntriesOf(caseId);
  const out: CheckEntry[] = [];
  if (limit <= 0) return out;
  for (const [, v] of k.kv(ctx).iterate(start, prefixEnd(start))) {
    out.push(CheckEntry.decode(v));
    if (out.length >= limit) break;
  }
  return out;
}

/** Pure: the entry of a party, or undefined if the check does not list it. */
export function checkEntryOf(
  party: { address: string; dependencies: readonly Component[]; registeredHeight: bigint; dependenciesHeight: bigint; withdrawnHeight: bigint },
  inv: Involvement | undefined,
  components: readonly Component[],
  modules: ModuleTable,
  openHeight: bigint,
  disclosureHeight: bigint,
): CheckEntry | undefined {
  if (!anyMatch(party.dependencies, components, modules)) return undefined;
  const notified = inv !== undefined && inv.firstNoticeHeight > 0n && inv.firstNoticeHeight < disclosureHeight;
  // Withdrawn and never notified: skipped. Registered after the disclosure (possible while the
  // check runs) and never notified: it was not in the registry the disclosure was checked against.
  if (!notified && (party.withdrawnHeight !== 0n || party.registeredHeight > disclosureHeight)) return undefined;
  const matchedAtOpen = party.registeredHeight <= openHeight && party.dependenciesHeight <= openHeight;
  const acknowledged =
    inv !== undefined && inv.status !== InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED && inv.status !== InvolvementStatus.INVOLVEMENT_STATUS_NOT_CONTACTED && inv.ackHeight > 0n;
  return { party: party.address, matchedAtOpen, notified, acknowledged, late: !matchedAtOpen, missed: matchedAtOpen && !notified };
}

/** Adds an entry's flags to the counts of a check. */
export function countEntry(check: DisclosureCheck, e: CheckEntry): void {
  if (e.matchedAtOpen) check.matched++;
  if (e.notified) check.notified++;
  if (e.acknowledged) check.acknowledged++;
  if (e.missed) check.missed++;
  if (e.late) check.late++;
}

interface Running {
  readonly c: Case;
  readonly components: readonly Component[];
  readonly check: DisclosureCheck;
  readonly cursor: CheckCursor;
}

/** Evaluates one party reached by the check (once: skipped if it already has an entry). */
function evaluate(ctx: Context, k: CoordKeeper, r: Running, addr: Uint8Array, inv: Involvement | undefined): void {
  const kv = k.kv(ctx);
  const key = keys.checkEntry(r.c.id, addr);
  if (kv.has(key)) return;
  const address = addrString(addr);
  const p = k.getParty(ctx, address);
  if (p === undefined) return;
  const e = checkEntryOf(p, inv ?? k.getInvolvement(ctx, r.c.id, address), r.components, k.modules, r.c.openHeight, r.check.height);
  if (e === undefined) return;
  kv.set(key, CheckEntry.encode(e).finish());
  countEntry(r.check, e);
  if (e.missed && r.cursor.missed.length < MAX_MISSED_LISTED) r.cursor.missed.push(addr);
}

/** Advances the check of case `caseId` by at most `budget` units; returns the units used. */
export function advanceCheck(ctx: Context, k: CoordKeeper, caseId: bigint, budget: number): number {
  const kv = k.kv(ctx);
  const rawCursor = kv.get(keys.checkCursor(caseId));
  const c = k.getCase(ctx, caseId);
  const d = k.getDisclosure(ctx, caseId);
  const check = k.getCheck(ctx, caseId);
  if (rawCursor === undefined || c === undefined || d === undefined || check === undefined) {
    throw new Error(`x/coord: the running disclosure check of case ${caseId} lacks its cursor, case, disclosure or check record`);
  }
  const r: Running = { c, components: d.components, check, cursor: decodeCursor(rawCursor) };
  const cur = r.cursor;
  const ranges = checkRanges(d.components, k.modules);
  const involvements = keys.involvementsOf(caseId);
  let used = 0;
  for (;;) {
    let range: CheckRange;
    if (cur.phase === CHECK_PHASE.selectors) {
      const next = ranges[cur.selector];
      if (next === undefined) {
        cur.phase = CHECK_PHASE.involvements;
        cur.selector = 0;
        cur.last = EMPTY;
        continue;
      }
      range = next;
    } else {
      range = { start: involvements, end: prefixEnd(involvements) };
    }
    // Collect first (one more than the room left, to know whether the range goes on), then write.
    const room = budget - used;
    const batch: [Uint8Array, Uint8Array][] = [];
    const from = cur.last.length === 0 ? range.start : concat(cur.last, Uint8Array.of(0));
    for (const [key, value] of kv.iterate(from, range.end)) {
      batch.push([key.slice(), value.slice()]);
      if (batch.length > room) break;
    }
    const more = batch.length > room;
    if (more) batch.pop();
    for (const [key, value] of batch) {
      used++;
      cur.examined++;
      cur.last = key;
      if (cur.phase === CHECK_PHASE.selectors) {
        // key = 0x12 | kind | lp(selector) | lp(addr)
        const [sel, addr] = splitLengthPrefixed(key, 2);
        if (sel === undefined || addr === undefined) continue;
        if (range.prefix !== undefined && !fromUtf8(sel).startsWith(range.prefix)) continue;
        evaluate(ctx, k, r, addr, undefined);
      } else {
        const inv = Involvement.decode(value);
        evaluate(ctx, k, r, addrBytes(inv.party), inv);
      }
    }
    if (more) break;
    if (cur.phase === CHECK_PHASE.selectors) {
      cur.selector++;
      cur.last = EMPTY;
      continue;
    }
    finishCheck(ctx, k, r);
    return used;
  }
  k.setCheck(ctx, check);
  kv.set(keys.checkCursor(caseId), encodeCursor(cur));
  return used;
}

/** Both phases are exhausted: the check is done. */
function finishCheck(ctx: Context, k: CoordKeeper, r: Running): void {
  const { c, check } = r;
  check.done = true;
  k.setCheck(ctx, check);
  const kv = k.kv(ctx);
  kv.delete(keys.checkCursor(c.id));
  kv.delete(keys.checkRunning(c.id));
  const missedParties = r.cursor.missed.map(addrString).sort();
  emitCoord(ctx, "EventDisclosureCheckDone", {
    caseId: c.id,
    matched: check.matched,
    notified: check.notified,
    missed: check.missed,
    late: check.late,
    missedParties,
    height: ctx.block.height,
  });
  const listed = check.missed > missedParties.length ? ` (event lists the first ${missedParties.length})` : "";
  k.appendTimeline(ctx, c, "disclosure_check", "", `matched ${check.matched}, notified ${check.notified}, missed ${check.missed}${listed}, late ${check.late}`);
  k.setCase(ctx, c);
  addMetrics(ctx, k, metricsLevel(c), { missedParties: BigInt(check.missed) });
}

/**
 * EndBlock: advances the running checks (0x57) in case-id order by at most
 * `disclosure_check_batch` units in total; returns the units used. With no running check this is
 * one seek of the 0x57 range and nothing else (not even the params are read).
 */
export function advanceChecks(ctx: Context, k: CoordKeeper): number {
  const kv = k.kv(ctx);
  const start = keys.prefix(KEY.checkRunning);
  const ids: bigint[] = [];
  let budget = 0;
  for (const [key] of kv.iterate(start, prefixEnd(start))) {
    if (ids.length === 0) budget = Math.max(1, k.params(ctx).disclosureCheckBatch);
    ids.push(readU64be(key, 1));
    // Each check visited uses at least its records' reads: visit at most `budget` per block.
    if (ids.length >= budget) break;
  }
  let used = 0;
  for (const id of ids) {
    if (used >= budget) break;
    used += advanceCheck(ctx, k, id, budget - used);
  }
  return used;
}

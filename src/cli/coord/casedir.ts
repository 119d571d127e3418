/**
 * Case directories: what a member writes before opening a case, and what the CLI keeps afterwards.
 *
 * The member's draft (any folder, `tx coord open-case DIR`):
 *   report.<ext>      the report, any bytes (exactly one file named report or report.*)
 *   components.json   affected components (deps.ts syntax: ["route:/x.v1.MsgY", "pkg:npm/foo@vers:…"])
 *   advisory.json     the public advisory template (coord.v1.Advisory, snake_case or camelCase keys)
 *   fix.json          optional: coord.v1.FixRef {description, repository, commit, artifacts, fixed_versions}
 *
 * The local case (`<home>/coord/<chain-id>/<case-id>/`, directory 0700, files 0600): a copy of each
 * committed item (report.<ext>, components.json, advisory.json, fix.json, level.json) and case.json
 * with, per commitment kind, the 32-byte salt, the content hash and the commitment. Salts never
 * leave this directory except in a reveal; losing them makes the case impossible to disclose, so
 * the directory is written (as `pending-…`) before the opening transaction is broadcast and renamed
 * to the case id once the chain has assigned it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { toHex } from "@cosmjs/encoding";
import type { Timestamp } from "../../generated/google/protobuf/timestamp";
import { Advisory, AffectedComponents, CommitmentKind, commitmentKindToJSON, FixRef, SealedLevel, type Commitment, type Component } from "../../generated/coord/v1/types";
import type { CommitmentInput, RevealItem } from "../../generated/coord/v1/tx";
import { commitmentHash, encodeCommittedItem, newSalt, sha256 } from "../../types/coord";
import { UsageError } from "../args";
import { CliError } from "../cmdtree";
import { parseComponentList } from "./deps";

export const CASE_FILE = "case.json";
const CASE_FILE_VERSION = 1;

/** The committed items in the order the chain lists them, with their local file names. */
export const ITEM_FILES: readonly (readonly [CommitmentKind, string])[] = [
  [CommitmentKind.COMMITMENT_KIND_COMPONENTS, "components.json"],
  [CommitmentKind.COMMITMENT_KIND_ADVISORY, "advisory.json"],
  [CommitmentKind.COMMITMENT_KIND_FIX, "fix.json"],
  [CommitmentKind.COMMITMENT_KIND_LEVEL, "level.json"],
];

/** The content of one committed item, as the commitment encodes it. */
export type ItemContent =
  | { readonly kind: CommitmentKind.COMMITMENT_KIND_REPORT; readonly value: Uint8Array }
  | { readonly kind: CommitmentKind.COMMITMENT_KIND_COMPONENTS; readonly value: AffectedComponents }
  | { readonly kind: CommitmentKind.COMMITMENT_KIND_ADVISORY; readonly value: Advisory }
  | { readonly kind: CommitmentKind.COMMITMENT_KIND_FIX; readonly value: FixRef }
  | { readonly kind: CommitmentKind.COMMITMENT_KIND_LEVEL; readonly value: SealedLevel };

export interface CaseDraft {
  readonly reportFile: string;
  readonly report: Uint8Array;
  readonly components: readonly Component[];
  readonly advisory: Advisory;
  readonly fix?: FixRef;
}

/** One commitment as kept locally: enough to reveal it. */
export interface LocalItem {
  readonly kind: CommitmentKind;
  readonly version: number;
  readonly salt: Uint8Array;
  readonly contentHash: Uint8Array;
  readonly commitment: Uint8Array;
}

/** The embargo deadline as given: a time (RFC 3339) or a height. */
export type Deadline = { readonly time: Timestamp } | { readonly height: bigint };

export interface LocalCase {
  readonly chainId: string;
  /** 0n while the case is staged (the opening transaction not yet committed). */
  readonly caseId: bigint;
  readonly opener: string;
  /** The level as sent: 0 for a sealed level. */
  readonly level: number;
  /** The committed level of a sealed-level case. */
  readonly sealedLevel?: number;
  readonly deadline?: Deadline;
  readonly reportFile: string;
  readonly items: readonly LocalItem[];
  /** Superseded versions (amendments), oldest first. */
  readonly history: readonly LocalItem[];
}

// ---- reading a draft

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, "see docs/cli.md (\"Coordination\") for the files of a case directory", 2);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError(`${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, "fix the file", 2);
  }
}

function requireObject(json: unknown, file: string): Record<string, unknown> {
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new UsageError(`${file} must be a JSON object`);
  return json as Record<string, unknown>;
}

/** An advisory file: coord.v1.Advisory with snake_case or camelCase keys; title and summary required. */
export function parseAdvisory(json: unknown, file: string): Advisory {
  const o = requireObject(json, file);
  const a = Advisory.fromJSON(o);
  if (a.title.trim() === "" || a.summary.trim() === "") throw new UsageError(`${file} needs at least "title" and "summary" (fields: title, summary, details, impact, affected_versions, fix, recommendations, references, credits, severity, aliases)`);
  return a;
}

/** A fix file: coord.v1.FixRef; artifact hashes must be 64 lower-case hex characters. */
export function parseFix(json: unknown, file: string): FixRef {
  const f = FixRef.fromJSON(requireObject(json, file));
  for (const a of f.artifacts) {
    if (!/^[0-9a-f]{64}$/.test(a.sha256)) throw new UsageError(`${file}: artifact "${a.name}" needs "sha256" as 64 lower-case hex characters`);
  }
  if (f.description === "" && f.commit === "" && f.artifacts.length === 0) throw new UsageError(`${file} says nothing: give a description, a commit or artifacts`);
  return f;
}

/** Reads and checks a member's case draft folder. */
export function readCaseDraft(dir: string): CaseDraft {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`${dir} is not a directory`, "give the folder holding report.*, components.json, advisory.json and optionally fix.json", 2);
  const reports = fs.readdirSync(dir).filter((f) => /^report(\.[A-Za-z0-9]+)?$/.test(f)).sort();
  if (reports.length !== 1) throw new CliError(`${dir} must hold exactly one report file (report or report.<ext>), found ${reports.length === 0 ? "none" : reports.join(", ")}`, "put the report in report.md (or report.txt, report.pdf, …)", 2);
  const reportFile = reports[0] as string;
  const report = fs.readFileSync(path.join(dir, reportFile));
  if (report.length === 0) throw new CliError(`${path.join(dir, reportFile)} is empty`, "write the report first", 2);
  const components = parseComponentList(readJson(path.join(dir, "components.json")), path.join(dir, "components.json"));
  const advisory = parseAdvisory(readJson(path.join(dir, "advisory.json")), path.join(dir, "advisory.json"));
  const fixPath = path.join(dir, "fix.json");
  const fix = fs.existsSync(fixPath) ? parseFix(readJson(fixPath), fixPath) : undefined;
  return { reportFile, report: new Uint8Array(report), components, advisory, ...(fix !== undefined ? { fix } : {}) };
}

// ---- commitments

export function contentBytes(item: ItemContent): Uint8Array {
  return encodeCommittedItem(item.kind, item.value);
}

/** A new salt and the commitment of `item` on `chainId`. */
export function commitItem(chainId: string, item: ItemContent, version = 1, salt: Uint8Array = newSalt()): LocalItem {
  const contentHash = sha256(contentBytes(item));
  return { kind: item.kind, version, salt, contentHash, commitment: commitmentHash(chainId, item.kind, salt, contentHash) };
}

/** The items a draft commits to, in kind order: REPORT, COMPONENTS, ADVISORY, FIX (if any), LEVEL (if sealed). */
export function draftItems(draft: CaseDraft, sealedLevel?: number): ItemContent[] {
  const items: ItemContent[] = [
    { kind: CommitmentKind.COMMITMENT_KIND_REPORT, value: draft.report },
    { kind: CommitmentKind.COMMITMENT_KIND_COMPONENTS, value: AffectedComponents.fromPartial({ components: [...draft.components] }) },
    { kind: CommitmentKind.COMMITMENT_KIND_ADVISORY, value: draft.advisory },
  ];
  if (draft.fix !== undefined) items.push({ kind: CommitmentKind.COMMITMENT_KIND_FIX, value: draft.fix });
  if (sealedLevel !== undefined) items.push({ kind: CommitmentKind.COMMITMENT_KIND_LEVEL, value: SealedLevel.fromPartial({ level: sealedLevel }) });
  return items;
}

export function commitmentInputs(items: readonly LocalItem[]): CommitmentInput[] {
  return items.map((i) => ({ kind: i.kind, hash: Buffer.from(i.commitment) }));
}

// ---- the local case directory

export function coordRoot(home: string, chainId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(chainId)) throw new CliError(`the chain id "${chainId}" cannot name a folder`, "use a node whose chain id is letters, digits, '.', '_' or '-'");
  return path.join(home, "coord", chainId);
}

export function caseDir(home: string, chainId: string, caseId: bigint): string {
  return path.join(coordRoot(home, chainId), caseId.toString());
}

function mkdirPrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

function writePrivate(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

function itemFile(kind: CommitmentKind, reportFile: string): string {
  if (kind === CommitmentKind.COMMITMENT_KIND_REPORT) return reportFile;
  const f = ITEM_FILES.find(([k]) => k === kind);
  if (f === undefined) throw new Error(`no file for commitment kind ${kind}`);
  return f[1];
}

function itemText(item: ItemContent): string | Uint8Array {
  switch (item.kind) {
    case CommitmentKind.COMMITMENT_KIND_REPORT:
      return item.value;
    case CommitmentKind.COMMITMENT_KIND_COMPONENTS:
      return `${JSON.stringify(AffectedComponents.toJSON(item.value), null, 2)}\n`;
    case CommitmentKind.COMMITMENT_KIND_ADVISORY:
      return `${JSON.stringify(Advisory.toJSON(item.value), null, 2)}\n`;
    case CommitmentKind.COMMITMENT_KIND_FIX:
      return `${JSON.stringify(FixRef.toJSON(item.value), null, 2)}\n`;
    case CommitmentKind.COMMITMENT_KIND_LEVEL:
      return `${JSON.stringify(SealedLevel.toJSON(item.value), null, 2)}\n`;
  }
}

interface ItemJson {
  kind: string;
  version: number;
  salt: string;
  content_hash: string;
  commitment: string;
}

interface CaseJson {
  version: number;
  chain_id: string;
  case_id: string;
  opener: string;
  level: number;
  sealed_level?: number;
  deadline_time?: string;
  deadline_height?: string;
  report_file: string;
  items: ItemJson[];
  history: ItemJson[];
}

function itemJson(i: LocalItem): ItemJson {
  return { kind: commitmentKindToJSON(i.kind), version: i.version, salt: Buffer.from(i.salt).toString("base64"), content_hash: toHex(i.contentHash), commitment: toHex(i.commitment) };
}

function itemFromJson(j: ItemJson, file: string): LocalItem {
  const kind = (CommitmentKind as unknown as Record<string, CommitmentKind | undefined>)[j.kind];
  const salt = Buffer.from(j.salt, "base64");
  if (kind === undefined || salt.length !== 32 || !/^[0-9a-f]{64}$/.test(j.content_hash) || !/^[0-9a-f]{64}$/.test(j.commitment)) {
    throw new CliError(`${file} has a damaged commitment record (${String(j.kind)})`, "restore the case directory from a backup (or from another coordinator)");
  }
  return { kind, version: j.version, salt: new Uint8Array(salt), contentHash: Buffer.from(j.content_hash, "hex"), commitment: Buffer.from(j.commitment, "hex") };
}

function timestampToRfc3339(t: Timestamp): string {
  return new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6)).toISOString();
}

/** Parses `--deadline`: an RFC 3339 time with a zone, or `height:N`. */
export function parseDeadline(text: string): Deadline {
  const h = /^height:([0-9]{1,18})$/.exec(text);
  if (h !== null) {
    const height = BigInt(h[1] as string);
    if (height <= 0n) throw new UsageError("--deadline height:N needs N ≥ 1");
    return { height };
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) throw new UsageError(`--deadline must be an RFC 3339 time like 2026-01-31T12:00:00Z or height:N, got "${text}"`);
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new UsageError(`--deadline "${text}" is not a valid time`);
  return { time: { seconds: BigInt(Math.floor(ms / 1000)), nanos: 0 } };
}

export function deadlineText(d: Deadline | undefined): string {
  if (d === undefined) return "the level's default";
  return "height" in d ? `height ${d.height}` : timestampToRfc3339(d.time);
}

function caseJson(c: LocalCase): CaseJson {
  return {
    version: CASE_FILE_VERSION,
    chain_id: c.chainId,
    case_id: c.caseId.toString(),
    opener: c.opener,
    level: c.level,
    ...(c.sealedLevel !== undefined ? { sealed_level: c.sealedLevel } : {}),
    ...(c.deadline !== undefined ? ("height" in c.deadline ? { deadline_height: c.deadline.height.toString() } : { deadline_time: timestampToRfc3339(c.deadline.time) }) : {}),
    report_file: c.reportFile,
    items: c.items.map(itemJson),
    history: c.history.map(itemJson),
  };
}

/**
 * Writes a new local case (staged: `pending-<tag>` under the chain's folder) holding the draft's
 * items and their salts; returns its directory. Call `finalizeCase` once the case id is known.
 */
export function stageCase(home: string, c: LocalCase, contents: readonly ItemContent[], tag: string): string {
  const dir = path.join(coordRoot(home, c.chainId), `pending-${tag}`);
  mkdirPrivate(path.dirname(dir));
  mkdirPrivate(dir);
  for (const item of contents) writePrivate(path.join(dir, itemFile(item.kind, c.reportFile)), itemText(item));
  writePrivate(path.join(dir, CASE_FILE), `${JSON.stringify(caseJson(c), null, 2)}\n`);
  return dir;
}

/** Renames a staged case to its case id (and records the id); returns the final directory. */
export function finalizeCase(home: string, staged: string, caseId: bigint): string {
  const file = path.join(staged, CASE_FILE);
  const j = readJson(file) as CaseJson;
  j.case_id = caseId.toString();
  writePrivate(file, `${JSON.stringify(j, null, 2)}\n`);
  const target = caseDir(home, j.chain_id, caseId);
  if (fs.existsSync(target)) throw new CliError(`${target} already exists, so the new case's salts stay in ${staged}`, `move ${staged} to ${target} by hand once you have checked which case the old folder belongs to`);
  fs.renameSync(staged, target);
  return target;
}

/** Reads a local case and checks every committed item's file still hashes to its commitment. */
export function loadCase(home: string, chainId: string, caseId: bigint): { readonly c: LocalCase; readonly dir: string; readonly contents: ItemContent[] } {
  const dir = caseDir(home, chainId, caseId);
  const file = path.join(dir, CASE_FILE);
  if (!fs.existsSync(file)) {
    throw new CliError(`there is no local copy of case ${caseId} on ${chainId} (${dir})`, "run the command where the case was opened, or copy the case folder from the coordinator who opened it (it holds the salts)");
  }
  const j = readJson(file) as CaseJson;
  if (j.version !== CASE_FILE_VERSION || j.chain_id !== chainId) throw new CliError(`${file} is not a case file of ${chainId}`, "restore the case directory from a backup");
  const items = (j.items ?? []).map((i) => itemFromJson(i, file));
  const c: LocalCase = {
    chainId,
    caseId: BigInt(j.case_id),
    opener: j.opener,
    level: j.level,
    ...(j.sealed_level !== undefined ? { sealedLevel: j.sealed_level } : {}),
    ...(j.deadline_height !== undefined ? { deadline: { height: BigInt(j.deadline_height) } } : j.deadline_time !== undefined ? { deadline: parseDeadline(j.deadline_time) } : {}),
    reportFile: j.report_file,
    items,
    history: (j.history ?? []).map((i) => itemFromJson(i, file)),
  };
  const contents = items.map((i) => readItem(dir, c.reportFile, i));
  return { c, dir, contents };
}

function readItem(dir: string, reportFile: string, item: LocalItem, suffix = ""): ItemContent {
  const file = `${path.join(dir, itemFile(item.kind, reportFile))}${suffix}`;
  let content: ItemContent;
  if (item.kind === CommitmentKind.COMMITMENT_KIND_REPORT) {
    content = { kind: item.kind, value: new Uint8Array(fs.readFileSync(file)) };
  } else {
    const json = readJson(file);
    switch (item.kind) {
      case CommitmentKind.COMMITMENT_KIND_COMPONENTS:
        content = { kind: item.kind, value: AffectedComponents.fromJSON(json) };
        break;
      case CommitmentKind.COMMITMENT_KIND_ADVISORY:
        content = { kind: item.kind, value: Advisory.fromJSON(json) };
        break;
      case CommitmentKind.COMMITMENT_KIND_FIX:
        content = { kind: item.kind, value: FixRef.fromJSON(json) };
        break;
      case CommitmentKind.COMMITMENT_KIND_LEVEL:
        content = { kind: item.kind, value: SealedLevel.fromJSON(json) };
        break;
      default:
        throw new CliError(`${dir} records an unknown commitment kind ${item.kind}`, "restore the case directory from a backup");
    }
  }
  if (toHex(sha256(contentBytes(content))) !== toHex(item.contentHash)) {
    throw new CliError(`${file} no longer matches what case ${path.basename(dir)} committed to`, `restore the file, or commit the new content with "dcertd tx coord commit ${path.basename(dir)} ${commitmentKindToJSON(item.kind).replace("COMMITMENT_KIND_", "").toLowerCase()} --file …"`);
  }
  return content;
}

/**
 * Records an amended (or added) commitment: the new content and salt replace the current ones, the
 * superseded file is kept as `<file>.v<version>`.
 */
export function amendCase(home: string, chainId: string, caseId: bigint, content: ItemContent, item: LocalItem): void {
  const { c, dir } = loadCase(home, chainId, caseId);
  const old = c.items.find((i) => i.kind === content.kind);
  const file = path.join(dir, itemFile(content.kind, c.reportFile));
  if (old !== undefined && fs.existsSync(file)) fs.renameSync(file, `${file}.v${old.version}`);
  writePrivate(file, itemText(content));
  const next: LocalCase = {
    ...c,
    items: [...c.items.filter((i) => i.kind !== content.kind), item].sort((a, b) => a.kind - b.kind),
    history: old === undefined ? c.history : [...c.history, old],
  };
  writePrivate(path.join(dir, CASE_FILE), `${JSON.stringify(caseJson(next), null, 2)}\n`);
}

/**
 * The reveal items of a local case: every current commitment opened with its salt. The report is
 * opened by its content hash only unless `publishReport`.
 */
export function revealItems(items: readonly LocalItem[], contents: readonly ItemContent[], publishReport: boolean): RevealItem[] {
  return items.map((i) => {
    const content = contents.find((x) => x.kind === i.kind);
    if (content === undefined) throw new Error(`no content for ${commitmentKindToJSON(i.kind)}`);
    const hideReport = i.kind === CommitmentKind.COMMITMENT_KIND_REPORT && !publishReport;
    return {
      kind: i.kind,
      salt: Buffer.from(i.salt),
      content: hideReport ? Buffer.alloc(0) : Buffer.from(contentBytes(content)),
      contentHash: hideReport ? Buffer.from(i.contentHash) : Buffer.alloc(0),
    };
  });
}

/**
 * The reveal items for what the chain still holds sealed: for each kind, its latest unrevealed
 * commitment, opened with the local item (current or superseded) whose commitment equals it.
 */
export function revealItemsFor(home: string, chainId: string, caseId: bigint, commitments: readonly Commitment[], publishReport: boolean): RevealItem[] {
  const { c, dir } = loadCase(home, chainId, caseId);
  const latest = new Map<CommitmentKind, Commitment>();
  for (const x of commitments) {
    const seen = latest.get(x.kind);
    if (seen === undefined || x.version > seen.version) latest.set(x.kind, x);
  }
  const out: RevealItem[] = [];
  for (const kind of [...latest.keys()].sort((a, b) => a - b)) {
    const onChain = latest.get(kind) as Commitment;
    if (onChain.revealed) continue;
    const want = toHex(onChain.hash);
    const current = c.items.find((i) => i.kind === kind && toHex(i.commitment) === want);
    const old = current === undefined ? c.history.find((i) => i.kind === kind && toHex(i.commitment) === want) : undefined;
    const item = current ?? old;
    const name = commitmentKindToJSON(kind).replace("COMMITMENT_KIND_", "").toLowerCase();
    if (item === undefined) {
      throw new CliError(`the local copy of case ${caseId} has no salt for its ${name} commitment (version ${onChain.version})`, `reveal from the case directory of the member who made that commitment (${dir} holds other versions)`);
    }
    const content = readItem(dir, c.reportFile, item, current !== undefined ? "" : `.v${item.version}`);
    out.push(...revealItems([item], [content], publishReport));
  }
  return out;
}

/** The commitment a reveal item opens, recomputed as the chain does. */
export function revealedCommitment(chainId: string, r: RevealItem): Uint8Array {
  const contentHash = r.content.length > 0 ? sha256(r.content) : r.contentHash;
  return commitmentHash(chainId, r.kind, r.salt, contentHash);
}

/** The components of a local case (for --matching and templates). */
export function caseComponents(contents: readonly ItemContent[]): Component[] {
  const c = contents.find((x) => x.kind === CommitmentKind.COMMITMENT_KIND_COMPONENTS);
  return c === undefined ? [] : [...(c.value as AffectedComponents).components];
}

/**
 * `dcertd q coord …` (alias `q coordination …`): one command per coord.v1 query, printed in
 * protobuf JSON (enum names, 64-bit integers as strings, bytes base64, times RFC 3339) with
 * snake_case keys; `advisory` renders a disclosed case as markdown, JSON, OSV or CSAF.
 */
import { fromBech32 } from "@cosmjs/encoding";
import { renderPublicAdvisory, type AdvisoryFormat, type CaseExport } from "../../client/coord/render";
import type { DcertClient } from "../../client/dcertclient";
import {
  QueryCaseResponse,
  QueryCasesResponse,
  QueryDisclosureResponse,
  QueryGroupKeysResponse,
  QueryInputsResponse,
  QueryInvolvementsResponse,
  QueryMatchResponse,
  QueryMetricsResponse,
  QueryNoticeResponse,
  QueryNoticesResponse,
  QueryParamsResponse,
  QueryPartiesResponse,
  QueryPartyResponse,
  QueryTimelineResponse,
} from "../../generated/coord/v1/query";
import { CaseStatus, type Involvement, type Party, type TimelineEntry } from "../../generated/coord/v1/types";
import { booleanFlag, stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "../args";
import { HOME_FLAG, NODE_FLAG, resolveAddress } from "../clientenv";
import { CliError, type Leaf } from "../cmdtree";
import { OUTPUT_FLAG, toJson } from "../output";
import { emitQuery, HEIGHT_FLAG, openQuery } from "../sdkjson";
import { enumArg, idArg, isNotFound, PARTY_KINDS, positionals } from "./common";
import { parseComponent } from "./deps";

const COMMON: readonly FlagSpec[] = [NODE_FLAG, HOME_FLAG, OUTPUT_FLAG, HEIGHT_FLAG];

const CASE_STATUSES: ReadonlyMap<string, CaseStatus> = new Map([
  ["open", CaseStatus.CASE_STATUS_OPEN],
  ["overdue", CaseStatus.CASE_STATUS_OVERDUE],
  ["disclosed", CaseStatus.CASE_STATUS_DISCLOSED],
  ["closed", CaseStatus.CASE_STATUS_CLOSED],
  ["withdrawn", CaseStatus.CASE_STATUS_WITHDRAWN],
]);

function q(path: string[], summary: string, names: string[], flags: readonly FlagSpec[], run: (c: DcertClient, args: ParsedArgs, pos: (string | undefined)[]) => Promise<unknown>, details?: string[]): Leaf {
  return {
    path: ["coord", ...path],
    summary,
    positionals: names,
    flags: [...COMMON, ...flags],
    ...(details !== undefined ? { details } : {}),
    async run(args) {
      const pos = positionals(args.positionals, names);
      const session = await openQuery(args);
      try {
        const out = await run(session.client, args, pos);
        if (typeof out === "string") process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
        else emitQuery(args, session, toJson(out));
        return 0;
      } catch (e) {
        if (isNotFound(e)) throw new CliError(`the node has no such record (${e instanceof Error ? e.message.replace(/^Query failed with \(\d+\): /, "") : String(e)})`, "check the id or address");
        throw e;
      } finally {
        session.client.disconnect();
      }
    },
  };
}

function afterArg(args: ParsedArgs): bigint {
  const a = stringFlag(args, "after");
  if (a === undefined) return 0n;
  if (!/^[0-9]{1,20}$/.test(a)) throw new UsageError(`--after must be an id (a non-negative integer), got "${a}"`);
  return BigInt(a);
}

function limitArg(args: ParsedArgs): number {
  const l = stringFlag(args, "limit");
  if (l === undefined) return 0;
  if (!/^[0-9]{1,4}$/.test(l) || Number(l) === 0) throw new UsageError(`--limit must be between 1 and 9999, got "${l}"`);
  return Number(l);
}

async function allPages<T>(fetch: (key: Uint8Array | undefined) => Promise<{ pagination?: { nextKey: Uint8Array } | undefined }>, items: (r: never) => readonly T[]): Promise<T[]> {
  const out: T[] = [];
  let key: Uint8Array | undefined;
  for (let page = 0; page < 10_000; page++) {
    const r = await fetch(key);
    out.push(...items(r as never));
    const next = r.pagination?.nextKey;
    if (next === undefined || next.length === 0) return out;
    key = next;
  }
  throw new CliError("the query returned more than 10000 pages", "narrow it down");
}

function isBech32(a: string): boolean {
  try {
    fromBech32(a, 90);
    return true;
  } catch {
    return false;
  }
}

const AFTER: FlagSpec = { name: "after", valueName: "id", description: "only ids after this one", defaultText: "0" };
const LIMIT: FlagSpec = { name: "limit", valueName: "n", description: "at most this many", defaultText: "the node's page size" };
const FORMATS: readonly AdvisoryFormat[] = ["md", "json", "osv", "csaf"];

/** Everything an advisory export needs, from the chain's queries. */
export async function buildCaseExport(c: DcertClient, caseId: bigint): Promise<CaseExport> {
  const [caseRes, params, disclosure] = await Promise.all([c.coord.case(caseId), c.coord.params(), c.coord.disclosure(caseId).catch(() => undefined)]);
  if (caseRes.case === undefined) throw new CliError(`case ${caseId} does not exist`, `list cases with "dcertd q coord cases"`);
  const timeline = await allPages<TimelineEntry>((k) => c.coord.timeline(caseId, k), (r: QueryTimelineResponse) => r.entries);
  const involvements = await allPages<Involvement>((k) => c.coord.involvements(caseId, k), (r: QueryInvolvementsResponse) => r.involvements);
  const parties: Party[] = [];
  for (const address of [...new Set(involvements.map((i) => i.party))].sort()) {
    const p = await c.coord.party(address).catch(() => undefined);
    if (p?.party !== undefined) parties.push(p.party);
  }
  return {
    chainId: await c.getChainId(),
    advisoryIdPrefix: params.params?.advisoryIdPrefix ?? "DCERT",
    case: caseRes.case,
    commitments: caseRes.commitments,
    timeline,
    involvements,
    parties,
    ...(disclosure?.disclosure !== undefined ? { disclosure: disclosure.disclosure } : {}),
    ...(disclosure?.check !== undefined ? { check: disclosure.check } : {}),
    mitigations: disclosure?.mitigations ?? [],
    ...(disclosure?.record !== undefined ? { record: disclosure.record } : {}),
  };
}

export function coordQueryLeaves(): Leaf[] {
  return [
    q(["params"], "the coordination parameters", [], [], async (c) => QueryParamsResponse.toJSON(await c.coord.params())),
    q(["party"], "one party record (withdrawn ones too)", ["<address>"], [], async (c, args, [a]) => QueryPartyResponse.toJSON(await c.coord.party(resolveAddress(args, a as string, "<address>")))),
    q(
      ["parties"],
      "registered parties, optionally of one kind",
      [],
      [
        { name: "kind", valueName: "kind", description: `only this kind: ${[...PARTY_KINDS.keys()].join(", ")}` },
        { name: "include-withdrawn", boolean: true, description: "withdrawn parties too" },
      ],
      async (c, args) => {
        const k = stringFlag(args, "kind");
        const filter = { ...(k !== undefined ? { kind: enumArg(PARTY_KINDS, k, "--kind") } : {}), includeWithdrawn: booleanFlag(args, "include-withdrawn") };
        const parties = await allPages<Party>((key) => c.coord.parties(filter, key), (r: QueryPartiesResponse) => r.parties);
        return QueryPartiesResponse.toJSON({ parties, pagination: undefined });
      },
    ),
    q(
      ["match"],
      "registered parties whose dependencies match the given components (the module's matcher)",
      ["<component>..."],
      [],
      async (c, args) => {
        const components = args.positionals.map(parseComponent);
        const parties = await allPages<Party>((key) => c.coord.match(components, key), (r: QueryMatchResponse) => r.parties);
        return QueryMatchResponse.toJSON({ parties, pagination: undefined });
      },
      ["Components in the --dep syntax, e.g. q coord match route:/cosmos.bank.v1beta1.MsgSend 'pkg:npm/foo@vers:semver/<1.2.0'"],
    ),
    q(["group-keys"], "the current members' encryption keys (what sealed input is sealed to)", [], [], async (c) => QueryGroupKeysResponse.toJSON(await c.coord.groupKeys())),
    q(["case"], "a case with its commitments and pending revision", ["<case-id>"], [], async (c, _a, [id]) => QueryCaseResponse.toJSON(await c.coord.case(idArg(id, "case id")))),
    q(
      ["cases"],
      "cases, newest first, optionally of one status",
      [],
      [{ name: "status", valueName: "status", description: "open, overdue, disclosed, closed or withdrawn" }],
      async (c, args) => {
        const s = stringFlag(args, "status");
        const status = s === undefined ? undefined : enumArg(CASE_STATUSES, s, "--status");
        const cases = await allPages((key) => c.coord.cases(status, key), (r: QueryCasesResponse) => r.cases);
        return QueryCasesResponse.toJSON({ cases, pagination: undefined });
      },
    ),
    q(["timeline"], "a case's public timeline", ["<case-id>"], [], async (c, _a, [id]) => {
      const entries = await allPages<TimelineEntry>((key) => c.coord.timeline(idArg(id, "case id"), key), (r: QueryTimelineResponse) => r.entries);
      return QueryTimelineResponse.toJSON({ entries, pagination: undefined });
    }),
    q(["notice"], "one notice (with its envelope)", ["<notice-id>"], [], async (c, _a, [id]) => QueryNoticeResponse.toJSON(await c.coord.notice(idArg(id, "notice id")))),
    q(
      ["notices"],
      "notices to one recipient or of one case (metadata only unless --envelopes)",
      [],
      [
        { name: "recipient", valueName: "address", description: "notices to this party (address or key name)" },
        { name: "case", valueName: "id", description: "notices of this case" },
        { name: "envelopes", boolean: true, description: "include the envelopes" },
        AFTER,
        LIMIT,
      ],
      async (c, args) => {
        const r = stringFlag(args, "recipient");
        const cs = stringFlag(args, "case");
        if (r === undefined && cs === undefined) throw new UsageError("give --recipient <address> or --case <id> (or both)");
        return QueryNoticesResponse.toJSON(
          await c.coord.notices({
            ...(r !== undefined ? { recipient: resolveAddress(args, r, "--recipient") } : {}),
            ...(cs !== undefined ? { caseId: idArg(cs, "case id") } : {}),
            afterId: afterArg(args),
            omitEnvelope: !booleanFlag(args, "envelopes"),
            limit: limitArg(args),
          }),
        );
      },
    ),
    q(
      ["inputs"],
      "sealed input of one case (0 or none: the general inbox), from one sender or sealed to one member",
      [],
      [
        { name: "case", valueName: "id", description: "input about this case (0 = general inbox)", defaultText: "0" },
        { name: "sender", valueName: "address", description: "input from this sender (address or key name)" },
        { name: "recipient", valueName: "address", description: "input sealed to this member (address or key name)" },
        { name: "envelopes", boolean: true, description: "include the envelopes" },
        AFTER,
        LIMIT,
      ],
      async (c, args) => {
        const cs = stringFlag(args, "case");
        const s = stringFlag(args, "sender");
        const r = stringFlag(args, "recipient");
        if (s !== undefined && r !== undefined) throw new UsageError("give --sender or --recipient, not both");
        return QueryInputsResponse.toJSON(
          await c.coord.inputs({
            ...(cs !== undefined && cs !== "0" ? { caseId: idArg(cs, "case id") } : {}),
            ...(s !== undefined ? { sender: isBech32(s) ? s : resolveAddress(args, s, "--sender") } : {}),
            ...(r !== undefined ? { recipient: isBech32(r) ? r : resolveAddress(args, r, "--recipient") } : {}),
            afterId: afterArg(args),
            omitEnvelope: !booleanFlag(args, "envelopes"),
            limit: limitArg(args),
          }),
        );
      },
    ),
    q(["involvements"], "per party: contacted, acknowledged, in progress, fixed or disputed (CSAF involvements)", ["<case-id>"], [], async (c, _a, [id]) => {
      const involvements = await allPages<Involvement>((key) => c.coord.involvements(idArg(id, "case id"), key), (r: QueryInvolvementsResponse) => r.involvements);
      return QueryInvolvementsResponse.toJSON({ involvements, pagination: undefined });
    }),
    q(["disclosure"], "what a disclosed case published, its disclosure check, mitigations and record", ["<case-id>"], [], async (c, _a, [id]) => QueryDisclosureResponse.toJSON(await c.coord.disclosure(idArg(id, "case id")))),
    q(
      ["metrics"],
      "time to acknowledge, time to reveal, embargo slippage, overdue cases (per level; 0 = all)",
      [],
      [{ name: "level", valueName: "0-3", description: "one level, or 0 for all", defaultText: "0" }],
      async (c, args) => {
        const l = stringFlag(args, "level") ?? "0";
        if (!/^[0-3]$/.test(l)) throw new UsageError(`--level must be 0, 1, 2 or 3, got "${l}"`);
        return QueryMetricsResponse.toJSON(await c.coord.metrics(Number(l)));
      },
    ),
    q(
      ["advisory"],
      "a disclosed case's public advisory: markdown, JSON, OSV 1.7 or CSAF 2.0",
      ["<case-id>"],
      [{ name: "format", valueName: "md|json|osv|csaf", description: "the document format", defaultText: "md" }],
      async (c, args, [id]) => {
        const format = (stringFlag(args, "format") ?? "md") as AdvisoryFormat;
        if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, got "${format}"`);
        const caseId = idArg(id, "case id");
        const x = await buildCaseExport(c, caseId);
        if (x.disclosure === undefined) throw new CliError(`case ${caseId} is not disclosed yet: its advisory is published at the reveal`, `members can preview it with "dcertd coord template public --case ${caseId}"`);
        return renderPublicAdvisory(x, format);
      },
    ),
  ];
}

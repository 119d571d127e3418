/**
 * `dcertd q upgrade readiness [PLAN]` and `dcertd q upgrade builds`: how much of the voting power
 * runs a build that holds a plan's upgrade handler (from the validators' vote extensions), and
 * which builds the validator set runs. The text form of readiness is one progress line, e.g.
 * `v2 @ height 120: ready 50.0% of voting power (1/3 crossed at 87, 2/3 not yet)`; `dcertd watch`
 * prints the same line when it changes. Heights are those of the tallied precommits.
 */
import type { DcertClient } from "../../client/dcertclient";
import { QueryBuildsRequest, QueryBuildsResponse, QueryReadinessRequest, QueryReadinessResponse } from "../../generated/dcert/upgrade/v1/query";
import type { BuildTally, PlanReadiness } from "../../generated/dcert/upgrade/v1/types";
import { UsageError, type FlagSpec } from "../args";
import { HOME_FLAG, NODE_FLAG } from "../clientenv";
import { CliError, type Leaf } from "../cmdtree";
import { OUTPUT_FLAG, toJson, type Json } from "../output";
import { HEIGHT_FLAG, runQuery } from "../sdkjson";

const COMMON: readonly FlagSpec[] = [NODE_FLAG, HOME_FLAG, OUTPUT_FLAG, HEIGHT_FLAG];
const READINESS_PATH = "/dcert.upgrade.v1.Query/Readiness";
const BUILDS_PATH = "/dcert.upgrade.v1.Query/Builds";

/** `part` of `total` as a percentage with one decimal (rounded down), e.g. "66.6%"; integer arithmetic. */
export function percent(part: bigint, total: bigint): string {
  if (total <= 0n) return "0.0%";
  const tenths = (part * 1000n) / total;
  return `${tenths / 10n}.${tenths % 10n}%`;
}

/** The progress line of a plan's readiness (and "applied at H" once applied). */
export function readinessLine(r: PlanReadiness, appliedHeight = 0n): string {
  const crossed = (h: bigint): string => (h > 0n ? `crossed at ${h}` : "not yet");
  const line = `${r.planName} @ height ${r.height}: ready ${percent(r.readyPower, r.totalPower)} of voting power (1/3 ${crossed(r.oneThirdHeight)}, 2/3 ${crossed(r.twoThirdsHeight)})`;
  return appliedHeight > 0n ? `${line}; applied at height ${appliedHeight}` : line;
}

/** One line per build: power share, validators, version, build hash (first 12 hex), handlers; then the unknown power. */
export function buildsText(t: BuildTally | undefined): string {
  if (t === undefined) return "no build tally yet (vote extensions are disabled, or no block carried them yet)";
  const lines = [`builds @ height ${t.height} (total power ${t.totalPower}):`];
  for (const b of t.builds) {
    const handlers = b.upgradeHandlers.length === 0 ? "no upgrade handlers" : `handlers ${b.upgradeHandlers.join(",")}`;
    lines.push(`  ${percent(b.power, t.totalPower).padStart(6)}  power ${b.power}  ${b.validators} validator(s)  ${b.appVersion || "?"}  ${Buffer.from(b.buildHash).toString("hex").slice(0, 12)}  ${handlers}`);
  }
  lines.push(`  ${percent(t.unknownPower, t.totalPower).padStart(6)}  power ${t.unknownPower}  unknown (absent, nil or no valid extension)`);
  return lines.join("\n");
}

/** The chain's readiness of `plan` ("" = the scheduled plan). */
export async function queryReadiness(client: DcertClient, plan: string): Promise<QueryReadinessResponse> {
  const res = await client.queries.queryClient.queryAbci(READINESS_PATH, QueryReadinessRequest.encode({ planName: plan }).finish());
  return QueryReadinessResponse.decode(res.value);
}

export async function queryBuilds(client: DcertClient): Promise<QueryBuildsResponse> {
  const res = await client.queries.queryClient.queryAbci(BUILDS_PATH, QueryBuildsRequest.encode({}).finish());
  return QueryBuildsResponse.decode(res.value);
}

async function withClient(args: Parameters<Leaf["run"]>[0], run: (c: DcertClient) => Promise<{ json: Json; text: string }>): Promise<number> {
  return runQuery(args, run);
}

export const readinessQueryCommands: Leaf[] = [
  {
    path: ["upgrade", "readiness"],
    summary: "voting power ready for an upgrade plan (default: the scheduled plan)",
    details: [
      "Ready = validators whose vote extension lists the plan's upgrade handler. Thresholds are strict (> 1/3, > 2/3);",
      "the heights are those of the tallied precommits (one less than the block that carried them).",
    ],
    positionals: ["[PLAN]"],
    flags: COMMON,
    async run(args) {
      if (args.positionals.length > 1) throw new UsageError(`unexpected argument "${args.positionals[1] ?? ""}"`);
      const plan = args.positionals[0] ?? "";
      return withClient(args, async (c) => {
        let res: QueryReadinessResponse;
        try {
          res = await queryReadiness(c, plan);
        } catch (e) {
          if (plan === "" && e instanceof Error && /no upgrade plan is scheduled/.test(e.message)) {
            throw new CliError("no upgrade plan is scheduled", 'name a plan ("dcertd q upgrade readiness v2") to see its last readiness record');
          }
          throw e;
        }
        const text =
          res.readiness === undefined
            ? `${plan || "the plan"}: no readiness record${res.appliedHeight > 0n ? ` (applied at height ${res.appliedHeight})` : " (not scheduled, or no block carried vote extensions yet)"}`
            : readinessLine(res.readiness, res.appliedHeight);
        return { json: toJson(res), text };
      });
    },
  },
  {
    path: ["upgrade", "builds"],
    summary: "voting power by the build validators run (app version, build hash, upgrade handlers)",
    flags: COMMON,
    async run(args) {
      if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
      return withClient(args, async (c) => {
        const res = await queryBuilds(c);
        return { json: toJson(res), text: buildsText(res.tally) };
      });
    },
  },
];

/** The readiness of the scheduled plan, or undefined when none is scheduled (or the chain has no readiness query). */
export async function scheduledReadiness(client: DcertClient): Promise<QueryReadinessResponse | undefined> {
  try {
    return await queryReadiness(client, "");
  } catch (e) {
    if (e instanceof Error && /no upgrade plan is scheduled|unknown query path|not found/i.test(e.message)) return undefined;
    throw e;
  }
}

/**
 * For `dcertd watch`: each call fetches the scheduled plan's readiness and returns its progress
 * line when it differs from the last one returned (undefined otherwise, and while no plan has a
 * record).
 */
export function readinessChanges(fetch: () => Promise<QueryReadinessResponse | undefined>): () => Promise<string | undefined> {
  let last = "";
  return async () => {
    const res = await fetch();
    if (res?.readiness === undefined) return undefined;
    const line = readinessLine(res.readiness, res.appliedHeight);
    if (line === last) return undefined;
    last = line;
    return line;
  };
}

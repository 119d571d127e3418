/**
 * `npm run bench -- goals`: every goal row of the performance targets (docs/design.md §8), measured
 * in one run, each beside its reference, in one table (and bench/results/goals.json). The parts, in
 * the order they run (the engine first, before any node has run on the machine):
 *
 *   engine   the election engine at 1M voters in process (bench/electionator.ts): the restart from
 *            the tallies, and a block of 1,000 16-entry votes applied at EndBlock (mean of 50)
 *   flood    a devnet with its defaults, idle and then with 3 and 10 clients flooding Simulate
 *            of 500 MsgSends (what the node's caps allow) over CometBFT's RPC
 *            (bench/simulate-flood.ts): the block interval p99 with 10 against idle
 *   sends    alternating pairs (devnet, simd) of the peer bench's closed-loop MsgSend load
 *            (bench/peer): committed tx/s and CPU s per 1,000 txs as the median of the paired
 *            ratios, and the devnet's block interval mean (the median of its runs) beside simd's
 *   latency  one pair at 800 tx/s offered, open loop, 10,000 txs: the ratio of the p50 latencies
 *   votes    pairs of 16-entry dCERT votes and sends on the devnet: the ratio of their tx/s
 *
 * Environment: BENCH_GOALS_PAIRS (2: pairs for sends and votes), BENCH_GOALS_PARTS (all: a comma-
 * separated subset of the parts), BENCH_GOALS_VOTERS (1000000: the engine's voters; fewer for a
 * quick look, but the goal is stated at 1M), BENCH_FLOOD_SECONDS (20 per phase), and the peer
 * bench's BENCH_SIMD / BENCH_SIMD_DIR / COMETBFT_BIN. The loads themselves are the method
 * and take no other setting. About 7 minutes on the 2-core machine.
 */
import { cpus, release, totalmem } from "node:os";
import { benchElectionator } from "./electionator";
import { floodNamed } from "./simulate-flood";
import { gitHead, peerConfig, peerSetup, positiveInt, runPeer, type PeerSetup } from "./peer/main";
import { median, summarize, type PeerRun } from "./peer/summary";
import { progress, report } from "./lib/report";

export const GOAL_PARTS = ["engine", "flood", "sends", "latency", "votes"] as const;
export type GoalPart = (typeof GOAL_PARTS)[number];

/** What the parts measured; a part that did not run is absent, and one that failed says why. */
export interface GoalInputs {
  readonly engine?: { readonly voters: number; readonly restartS: number; readonly votesBlockMs: number };
  readonly flood?: { readonly flooders: number; readonly idleP99Ms: number; readonly floodP99Ms: number; readonly simulates: number };
  readonly sends?: readonly PeerRun[];
  readonly latency?: readonly PeerRun[];
  readonly votes?: readonly PeerRun[];
  readonly failed?: Readonly<Partial<Record<GoalPart, string>>>;
}

export interface GoalRow {
  readonly row: string;
  readonly goal: string;
  /** The figure the goal reads (a ratio, ms or s); NaN when the part did not run. */
  readonly value: number;
  /** `value` as the goal states it ("2.06×", "663 ms"); "-" when the part did not run. */
  readonly figure: string;
  readonly measured: string;
  readonly reference: string;
  /** "failed": the part stopped with an error, which `measured` gives. */
  readonly met: "yes" | "no" | "not run" | "failed";
}

const tps = (x: number): string => Math.round(x).toLocaleString("en-US");
const ms = (x: number): string => `${Math.round(x).toLocaleString("en-US")} ms`;
const list = (xs: readonly number[], f: (x: number) => string): string => xs.map(f).join(", ");

/** The runs of one series (a chain and a load), in run order. */
function series(runs: readonly PeerRun[], chain: PeerRun["chain"], msg: PeerRun["msg"]): PeerRun[] {
  return runs.filter((r) => r.chain === chain && r.msg === msg).sort((a, b) => a.run - b.run);
}

/** A goal's figure in the goal's own unit: "≥ 2.5×" reads a ratio, "≤ 600 ms" milliseconds. */
function figureOf(goal: string, value: number): string {
  if (!Number.isFinite(value)) return "-";
  if (goal.endsWith("×")) return `${value.toFixed(2)}×`;
  // Whole milliseconds for block intervals; two decimals for the engine's block of votes.
  if (goal.endsWith(" ms")) return `${value >= 100 ? Math.round(value) : Number(value.toFixed(2))} ms`;
  return `${Number(value.toFixed(3))} s`;
}

function row(name: string, goal: string, value: number, met: (v: number) => boolean, measured: string, reference: string): GoalRow {
  const ran = Number.isFinite(value);
  return { row: name, goal, value, figure: figureOf(goal, value), measured, reference, met: ran ? (met(value) ? "yes" : "no") : "not run" };
}

/** The row of a part that did not run, or that failed (`why`). */
function notRun(name: string, goal: string, why: string | undefined): GoalRow {
  const failed = why !== undefined;
  return { row: name, goal, value: NaN, figure: "-", measured: failed ? `failed: ${why}` : "-", reference: "-", met: failed ? "failed" : "not run" };
}

/**
 * The goal table from what the parts measured, in the order. Ratios of peer runs are the
 * median of the paired ratios (run n of one series against run n of the other, adjacent in time).
 */
export function goalTable(inputs: GoalInputs): GoalRow[] {
  const rows: GoalRow[] = [];
  const why = (part: GoalPart): string | undefined => inputs.failed?.[part];
  const sends = inputs.sends ?? [];
  const ds = series(sends, "dcert", "send");
  const ss = series(sends, "simd", "send");
  const sendRatios = summarize(sends).ratios;
  const sendsRan = ds.length > 0 && ss.length > 0;

  const TPS = "committed tx/s, ratio to simd";
  if (sendsRan) {
    rows.push(
      row(TPS, "≥ 2.5×", sendRatios["tx/s"]?.medianOfPairs ?? NaN, (v) => v >= 2.5, `dcert ${list(ds.map((r) => r.result.committedTps), tps)}`, `simd ${list(ss.map((r) => r.result.committedTps), tps)}`),
    );
  } else rows.push(notRun(TPS, "≥ 2.5×", why("sends")));

  const LAT = "p50 latency at 800 tx/s offered (open loop), ratio to simd";
  const lat = inputs.latency ?? [];
  const dl = series(lat, "dcert", "send");
  const sl = series(lat, "simd", "send");
  if (dl.length > 0 && sl.length > 0) {
    const p50 = (rs: PeerRun[]): string => `${list(rs.map((r) => r.result.latencyP50Ms), ms)} at ${list(rs.map((r) => r.result.committedTps), tps)} tx/s`;
    rows.push(row(LAT, "≤ 1.0×", summarize(lat).ratios["p50 ms"]?.medianOfPairs ?? NaN, (v) => v <= 1, `dcert ${p50(dl)}`, `simd ${p50(sl)}`));
  } else rows.push(notRun(LAT, "≤ 1.0×", why("latency")));

  const BLOCK = "block interval mean under saturating load (configured 500 ms)";
  if (sendsRan) {
    const means = ds.map((r) => r.result.blockIntervalMeanMs);
    rows.push(row(BLOCK, "≤ 600 ms", median(means), (v) => v <= 600, `dcert ${list(means, ms)}`, `simd ${list(ss.map((r) => r.result.blockIntervalMeanMs), ms)}`));
  } else rows.push(notRun(BLOCK, "≤ 600 ms", why("sends")));

  const CPU = "CPU s per 1,000 txs, ratio to simd";
  if (sendsRan) {
    const cpu = (r: PeerRun): string => {
      const c = r.result.cpuSecondsPer1kTx;
      return `${(c["total"] ?? NaN).toFixed(2)} (${(c["app"] ?? NaN).toFixed(2)} + ${(c["cometbft"] ?? NaN).toFixed(2)})`;
    };
    rows.push(
      row(CPU, "≤ 0.4×", sendRatios["CPU s/1k tx"]?.medianOfPairs ?? NaN, (v) => v <= 0.4, `dcert ${ds.map(cpu).join(", ")} (app + CometBFT)`, `simd ${ss.map((r) => (r.result.cpuSecondsPer1kTx["total"] ?? NaN).toFixed(2)).join(", ")}`),
    );
  } else rows.push(notRun(CPU, "≤ 0.4×", why("sends")));

  const FLOOD = "block interval p99, 10 Simulate flooders against idle";
  const f = inputs.flood;
  if (f !== undefined) {
    rows.push(row(FLOOD, "≤ 1.2×", f.floodP99Ms / f.idleP99Ms, (v) => v <= 1.2, `p99 ${ms(f.floodP99Ms)} with ${f.flooders} flooders (${tps(f.simulates)} simulates answered)`, `idle p99 ${ms(f.idleP99Ms)}`));
  } else rows.push(notRun(FLOOD, "≤ 1.2×", why("flood")));

  const e = inputs.engine;
  const RESTART = "engine restart";
  const VOTES = "1,000 16-entry votes applied at EndBlock";
  if (e !== undefined) {
    const at = `${e.voters.toLocaleString("en-US")} voters × 16 entries, 10,000 candidates`;
    rows.push(row(`${RESTART} at ${e.voters.toLocaleString("en-US")} voters`, "≤ 2 s", e.restartS, (v) => v <= 2, `${figureOf("≤ 2 s", e.restartS)} (from the tallies)`, at));
    rows.push(row(`${VOTES}, ${e.voters.toLocaleString("en-US")} voters`, "≤ 10 ms", e.votesBlockMs, (v) => v <= 10, `${figureOf("≤ 10 ms", e.votesBlockMs)} (mean of 50 blocks)`, at));
  } else {
    rows.push(notRun(RESTART, "≤ 2 s", why("engine")));
    rows.push(notRun(VOTES, "≤ 10 ms", why("engine")));
  }

  const VOTE_ROW = "16-entry dCERT votes/s against sends/s, end to end";
  const votes = inputs.votes ?? [];
  const dv = series(votes, "dcert", "vote");
  const dvs = series(votes, "dcert", "send");
  if (dv.length > 0 && dvs.length > 0) {
    rows.push(row(VOTE_ROW, "≥ 0.8×", summarize(votes).ratios["tx/s"]?.medianOfPairs ?? NaN, (v) => v >= 0.8, `votes ${list(dv.map((r) => r.result.committedTps), tps)} tx/s`, `sends ${list(dvs.map((r) => r.result.committedTps), tps)} tx/s`));
  } else rows.push(notRun(VOTE_ROW, "≥ 0.8×", why("votes")));
  return rows;
}

/** BENCH_GOALS_PARTS: a comma-separated subset of GOAL_PARTS; unset or empty = all. */
export function goalParts(raw: string | undefined): GoalPart[] {
  const items = (raw ?? "").split(",").map((x) => x.trim()).filter((x) => x !== "");
  if (items.length === 0) return [...GOAL_PARTS];
  for (const item of items) {
    if (!(GOAL_PARTS as readonly string[]).includes(item)) throw new Error(`BENCH_GOALS_PARTS: "${item}" is not a part; choose from ${GOAL_PARTS.join(", ")}`);
  }
  return GOAL_PARTS.filter((p) => items.includes(p));
}

/** The peer bench's runs for one part, with only the settings the method names. */
function peerRuns(setup: PeerSetup, settings: Record<string, string>): Promise<PeerRun[]> {
  return runPeer(peerConfig(settings), setup);
}

export async function main(): Promise<void> {
  const env = process.env;
  const parts = goalParts(env["BENCH_GOALS_PARTS"]);
  const pairs = positiveInt(env, "BENCH_GOALS_PAIRS", 2);
  const voters = positiveInt(env, "BENCH_GOALS_VOTERS", 1_000_000, 1_000);
  const floodSeconds = positiveInt(env, "BENCH_FLOOD_SECONDS", 20, 5);
  const inputs: { -readonly [K in keyof GoalInputs]: GoalInputs[K] } = {};
  const failed: Partial<Record<GoalPart, string>> = {};
  const started = Date.now();
  /** Runs one part; a part that fails is reported in its rows, and the others still run. */
  const attempt = async (part: GoalPart, run: () => Promise<void> | void): Promise<void> => {
    if (!parts.includes(part)) return;
    progress(`== goals: ${part} (${parts.indexOf(part) + 1} of ${parts.length}, ${Math.round((Date.now() - started) / 1000)} s in)`);
    try {
      await run();
    } catch (e) {
      failed[part] = e instanceof Error ? e.message : String(e);
      progress(`goals: ${part} failed: ${failed[part]}`);
    }
  };

  await attempt("engine", () => {
    const r = benchElectionator(voters);
    inputs.engine = { voters, restartS: r.lazyRestartMs / 1000, votesBlockMs: r.blockWith1000VotesMeanMs };
  });
  await attempt("flood", async () => {
    const rows = await floodNamed("capped", "rpc", floodSeconds, 500, 20_000);
    const idle = rows.find((r) => r["flooders"] === 0);
    const flood = rows.find((r) => r["flooders"] === 10);
    if (idle === undefined || flood === undefined) throw new Error("the flood bench returned no idle or 10-flooder phase");
    inputs.flood = { flooders: 10, idleP99Ms: Number(idle["interval p99 ms"]), floodP99Ms: Number(flood["interval p99 ms"]), simulates: Number(flood["simulates"]) };
  });
  // CometBFT for every peer part, simd (built on first use) only for the parts that compare with it.
  let setup: PeerSetup | undefined;
  const setupFor = (withSimd: boolean): PeerSetup => {
    if (setup === undefined || (withSimd && setup.simd === undefined)) setup = peerSetup({ simd: withSimd });
    return setup;
  };
  await attempt("sends", async () => {
    inputs.sends = await peerRuns(setupFor(true), { BENCH_RUNS: String(pairs), BENCH_ORDER: "dcert simd", BENCH_MSG: "send" });
  });
  await attempt("latency", async () => {
    inputs.latency = await peerRuns(setupFor(true), { BENCH_RUNS: "1", BENCH_ORDER: "dcert simd", BENCH_MSG: "send", BENCH_RATE: "800", BENCH_TXS: "10000" });
  });
  await attempt("votes", async () => {
    inputs.votes = await peerRuns(setupFor(false), { BENCH_RUNS: String(pairs), BENCH_ORDER: "dcert", BENCH_MSG: "vote,send" });
  });
  if (Object.keys(failed).length > 0) inputs.failed = failed;

  const table = goalTable(inputs);
  // Assigned inside setupFor, which the compiler's flow analysis does not follow.
  const ran = setup as PeerSetup | undefined;
  report(
    "goals",
    table.map((r) => ({ row: r.row, goal: r.goal, value: r.figure, met: r.met, measured: r.measured, reference: r.reference })),
    {
      parts,
      pairs,
      minutes: Math.round((Date.now() - started) / 600) / 100,
      dcert: ran === undefined ? undefined : { commit: gitHead(ran.repoRoot), cometbft: ran.cometbftVersion },
      simd: ran?.simd?.info,
      machine: { cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), kernel: release(), node: process.version },
      values: table.map((r) => ({ row: r.row, value: Number.isFinite(r.value) ? r.value : null, met: r.met })),
      inputs,
    },
  );
  const failures = Object.keys(failed);
  if (failures.length > 0) {
    progress(`goals: ${failures.length} of ${parts.length} parts failed (${failures.join(", ")}); their rows say why`);
    process.exitCode = 1;
  }
}

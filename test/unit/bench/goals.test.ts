/**
 * `npm run bench -- goals` without running anything: the goal table from what its parts measured
 * (each row's figure, what it is set beside, whether it is met), and the choice of parts.
 */
import fc from "fast-check";
import { GOAL_PARTS, goalParts, goalTable, type GoalInputs } from "../../../bench/goals";
import { loadResult, peerRun } from "../../helpers/peer-runs";

const sends = [
  peerRun("dcert", "send", 1, loadResult(2400, 1200, { app: 0.36, cometbft: 0.33, total: 0.69 }, { blockIntervalMeanMs: 640 })),
  peerRun("simd", "send", 1, loadResult(1200, 800, { simd: 1.2, total: 1.2 }, { blockIntervalMeanMs: 570 })),
  peerRun("dcert", "send", 2, loadResult(3100, 900, { app: 0.2, cometbft: 0.2, total: 0.4 }, { blockIntervalMeanMs: 580 })),
  peerRun("simd", "send", 2, loadResult(1200, 800, { simd: 1.25, total: 1.25 }, { blockIntervalMeanMs: 575 })),
];

const full: GoalInputs = {
  engine: { voters: 1_000_000, restartS: 0.03, votesBlockMs: 10.4 },
  flood: { flooders: 10, idleP99Ms: 520, floodP99Ms: 572, simulates: 880 },
  sends,
  latency: [peerRun("dcert", "send", 1, loadResult(798, 360, { total: 0.6 })), peerRun("simd", "send", 1, loadResult(795, 470, { total: 1.1 }))],
  votes: [
    peerRun("dcert", "vote", 1, loadResult(1800, 900, { total: 0.9 })),
    peerRun("dcert", "send", 1, loadResult(2400, 900, { total: 0.7 })),
    peerRun("dcert", "vote", 2, loadResult(1900, 900, { total: 0.9 })),
    peerRun("dcert", "send", 2, loadResult(2300, 900, { total: 0.7 })),
  ],
};

describe("the goal table", () => {
  it("has the eight rows in the issue's order, each against its goal", () => {
    const rows = goalTable(full);
    expect(rows.map((r) => r.goal)).toEqual(["≥ 2.5×", "≤ 1.0×", "≤ 600 ms", "≤ 0.4×", "≤ 1.2×", "≤ 2 s", "≤ 10 ms", "≥ 0.8×"]);
    const byGoal = new Map(rows.map((r) => [r.goal, r]));
    // tx/s: pairs 2.0 and 2.583, median 2.29: not met.
    expect(byGoal.get("≥ 2.5×")).toMatchObject({ met: "no", measured: "dcert 2,400, 3,100", reference: "simd 1,200, 1,200" });
    expect(byGoal.get("≥ 2.5×")!.value).toBeCloseTo((2 + 3100 / 1200) / 2, 6);
    // p50 at 800 tx/s: 360 / 470.
    expect(byGoal.get("≤ 1.0×")).toMatchObject({ met: "yes", measured: "dcert 360 ms at 798 tx/s", reference: "simd 470 ms at 795 tx/s" });
    expect(byGoal.get("≤ 1.0×")!.value).toBeCloseTo(360 / 470, 6);
    // The devnet's block interval: the median of its runs' means, simd's beside it.
    expect(byGoal.get("≤ 600 ms")).toMatchObject({ value: 610, figure: "610 ms", met: "no", measured: "dcert 640 ms, 580 ms", reference: "simd 570 ms, 575 ms" });
    const quicker = goalTable({ sends: sends.map((r) => (r.run === 1 && r.chain === "dcert" ? { ...r, result: { ...r.result, blockIntervalMeanMs: 600 } } : r)) })[2]!;
    expect(quicker).toMatchObject({ value: 590, met: "yes" });
    expect(goalTable({ sends: sends.map((r) => ({ ...r, result: { ...r.result, blockIntervalMeanMs: 655.04 } })) })[2]!.figure).toBe("655 ms");
    // CPU: pairs 0.575 and 0.32, median 0.4475: not met; the app and CometBFT shares are shown.
    expect(byGoal.get("≤ 0.4×")!.value).toBeCloseTo((0.69 / 1.2 + 0.4 / 1.25) / 2, 6);
    expect(byGoal.get("≤ 0.4×")).toMatchObject({ met: "no", measured: "dcert 0.69 (0.36 + 0.33), 0.40 (0.20 + 0.20) (app + CometBFT)" });
    expect(byGoal.get("≤ 1.2×")).toMatchObject({ met: "yes", reference: "idle p99 520 ms" });
    expect(byGoal.get("≤ 1.2×")!.value).toBeCloseTo(572 / 520, 6);
    expect(byGoal.get("≤ 2 s")).toMatchObject({ value: 0.03, figure: "0.03 s", met: "yes", row: "engine restart at 1,000,000 voters" });
    expect(byGoal.get("≤ 10 ms")).toMatchObject({ value: 10.4, figure: "10.4 ms", met: "no" });
    // A ratio is shown as one.
    expect(byGoal.get("≥ 2.5×")!.figure).toBe("2.29×");
    // Votes against sends, pair by pair: 0.75 and 0.826, median 0.788.
    expect(byGoal.get("≥ 0.8×")).toMatchObject({ met: "no", measured: "votes 1,800, 1,900 tx/s", reference: "sends 2,400, 2,300 tx/s" });
    expect(byGoal.get("≥ 0.8×")!.value).toBeCloseTo((1800 / 2400 + 1900 / 2300) / 2, 6);
  });

  it("marks the rows of a part that did not run, and only those", () => {
    const rows = goalTable({ sends });
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.met === "not run").map((r) => r.goal)).toEqual(["≤ 1.0×", "≤ 1.2×", "≤ 2 s", "≤ 10 ms", "≥ 0.8×"]);
    for (const r of rows.filter((x) => x.met === "not run")) {
      expect(r.value).toBeNaN();
      expect(r.figure).toBe("-");
    }
    // Sends of one chain only are no comparison.
    expect(goalTable({ sends: sends.filter((r) => r.chain === "dcert") }).every((r) => r.met === "not run")).toBe(true);
  });

  it("says which rows a failed part leaves empty, and why, apart from the parts that did not run", () => {
    const rows = goalTable({ sends, failed: { engine: "out of memory", votes: "CometBFT did not start" } });
    const engine = rows.filter((r) => r.goal === "≤ 2 s" || r.goal === "≤ 10 ms");
    expect(engine.map((r) => [r.met, r.measured])).toEqual([
      ["failed", "failed: out of memory"],
      ["failed", "failed: out of memory"],
    ]);
    expect(rows.find((r) => r.goal === "≥ 0.8×")).toMatchObject({ met: "failed", measured: "failed: CometBFT did not start", figure: "-" });
    expect(rows.find((r) => r.goal === "≤ 1.2×")).toMatchObject({ met: "not run", measured: "-" });
    // A failure recorded for a part that did measure does not hide its figures.
    expect(goalTable({ sends, failed: { sends: "late" } })[0]!.met).toBe("no");
  });

  it("meets a ratio goal exactly at its bound, and a figure one step past it does not (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 5000 }), fc.integer({ min: 1, max: 3 }), (simd, over) => {
        const pair = (dcertTps: number) => [
          peerRun("dcert", "send", 1, loadResult(dcertTps, 500, { total: 0.5 })),
          peerRun("simd", "send", 1, loadResult(simd, 500, { total: 1 })),
        ];
        const at = goalTable({ sends: pair(2.5 * simd) })[0]!;
        const below = goalTable({ sends: pair(2.5 * simd - over) })[0]!;
        expect(at.met).toBe("yes");
        expect(below.met).toBe("no");
      }),
    );
  });
});

describe("the parts", () => {
  it("runs all parts by default, in their fixed order whatever order they are named in", () => {
    expect(goalParts(undefined)).toEqual([...GOAL_PARTS]);
    expect(goalParts("")).toEqual([...GOAL_PARTS]);
    expect(goalParts("votes, engine")).toEqual(["engine", "votes"]);
  });

  it("refuses a part it does not know, naming the choices", () => {
    expect(() => goalParts("engine,peer")).toThrow('BENCH_GOALS_PARTS: "peer" is not a part; choose from engine, flood, sends, latency, votes');
  });
});

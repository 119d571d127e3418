/**
 * The app's charts: the tally distribution (members vs candidates, with the seat line), the
 * group's membership over time, and a delegator's split (`SplitChart`, used by the vote editor).
 */
import { useMemo } from "preact/hooks";
import type uPlot from "uplot";
import { compactNumber, formatAmount, formatPercent } from "../format";
import { splitSlices, tallyColumns, type MembershipSample, type SplitEntry } from "./data";
import { bars, Chart, COLORS } from "./uplot";

const axis = (label: string): uPlot.Axis => ({ label, stroke: COLORS.line, grid: { stroke: COLORS.grid }, values: (_u, ticks) => ticks.map(compactNumber), size: 56 });
/** An axis of whole numbers (ranks, heights): fractional ticks stay unlabelled. */
const wholeAxis = (label: string): uPlot.Axis => ({ ...axis(label), values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : "")) });

/** Tallies by rank: members' bars, candidates' bars, and the lowest seat's tally as a line. */
export function TallyChart({ members, candidates, maxMembers }: { members: readonly { address: string; tally: string }[]; candidates: readonly { address: string; tally: string }[]; maxMembers: number }) {
  const cols = useMemo(() => tallyColumns(members, candidates, maxMembers), [members, candidates, maxMembers]);
  const options: Omit<uPlot.Options, "width" | "height"> = {
    scales: { x: { time: false, range: (_u, _min, max) => [0.5, Math.max(1.5, max + 0.5)] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [wholeAxis("rank"), axis("tally")],
    series: [
      {},
      { label: "members", fill: COLORS.member, stroke: COLORS.member, paths: bars(), points: { show: false } },
      { label: "candidates", fill: COLORS.candidate, stroke: COLORS.candidate, paths: bars(), points: { show: false } },
      { label: "lowest seat", stroke: COLORS.line, width: 2, dash: [6, 4], points: { show: false } },
    ],
  };
  const lowest = cols.seatLine[0];
  return (
    <Chart
      optionsKey="tally"
      options={options}
      data={[cols.rank, cols.members, cols.candidates, cols.seatLine] as uPlot.AlignedData}
      caption={
        <>
          Tally by rank: <span class="key key-member">members</span> ({members.length} of {maxMembers} seats),{" "}
          <span class="key key-candidate">candidates</span> ({candidates.length})
          {lowest === null || lowest === undefined ? ", no seat line while seats are free." : <>, dashed line: the lowest seat's tally ({formatAmount(BigInt(lowest))}).</>}
        </>
      }
    />
  );
}

/** Members seated over the heights this page has seen (sampled at each new block since it opened). */
export function MembershipChart({ samples }: { samples: readonly MembershipSample[] }) {
  const data = useMemo(() => [samples.map((s) => s.height), samples.map((s) => s.members), samples.map((s) => s.seats)] as uPlot.AlignedData, [samples]);
  const options: Omit<uPlot.Options, "width" | "height"> = {
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max + 1)] } },
    axes: [wholeAxis("height"), wholeAxis("members")],
    series: [
      {},
      { label: "members", stroke: COLORS.member, width: 2, fill: "rgba(28,93,153,0.12)", points: { show: samples.length < 40 } },
      { label: "seats", stroke: COLORS.line, width: 1, dash: [6, 4], points: { show: false } },
    ],
  };
  const first = samples[0];
  const last = samples[samples.length - 1];
  return (
    <Chart
      optionsKey="membership"
      options={options}
      data={data}
      height={180}
      caption={
        first === undefined || last === undefined
          ? "Membership over time: waiting for the first block."
          : `Membership over time, sampled at each block this page has seen since it opened (heights ${first.height}–${last.height}): ${last.members} of ${last.seats} seats now.`
      }
    />
  );
}

/** A delegator's split vote: one bar per candidate, in percent of the vote, plus what is unallocated. */
export function SplitChart({ entries }: { entries: readonly SplitEntry[] }) {
  const split = useMemo(() => {
    try {
      return splitSlices(entries);
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  }, [entries]);
  if (split instanceof Error) return <p class="error" role="alert">{split.message}</p>;
  const labels = split.slices.map((s) => s.candidate);
  const options: Omit<uPlot.Options, "width" | "height"> = {
    scales: { x: { time: false, range: (_u, _min, max) => [0.5, Math.max(1.5, max + 0.5)] }, y: { range: [0, 100] } },
    axes: [{ ...axis("candidate"), values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? `#${t}` : "")) }, wholeAxis("% of the vote")],
    series: [{}, { label: "share", fill: COLORS.member, stroke: COLORS.member, paths: bars(0.6), points: { show: false } }],
  };
  const data = [split.slices.map((_, i) => i + 1), split.slices.map((s) => s.basisPoints / 100)] as uPlot.AlignedData;
  return (
    <Chart
      optionsKey="split"
      options={options}
      data={data}
      height={180}
      caption={
        <>
          The split:{" "}
          {split.slices.length === 0
            ? "no candidates yet"
            : split.slices.map((s, i) => `#${i + 1} ${labels[i]} ${formatPercent(BigInt(s.basisPoints), 10_000n)}`).join(", ")}
          {split.unallocatedBasisPoints > 0 ? `; unallocated ${formatPercent(BigInt(split.unallocatedBasisPoints), 10_000n)}` : ""}.
        </>
      }
    />
  );
}

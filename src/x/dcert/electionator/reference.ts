/**
 * A plain reference model of the election rules, for property tests to compare the engine with.
 *
 * It shares no data structures with the engine: votes are a Map, tallies are recomputed from all
 * votes whenever they are needed, and every choice ("best challenger", "lowest member") sorts the
 * relevant addresses from scratch. It is O(voters · entries + n log n) per decision, so only for
 * small inputs. The rules are those documented at the top of `engine.ts` (docs/design.md §5);
 * because incumbents keep their seat on ties, the outcome depends on history, so the model is
 * incremental too: it keeps the seated set and applies the same steps each block.
 */
import {
  DecisionKind,
  DropReason,
  ElectionError,
  ElectionInputError,
  KickReason,
  ONE,
  type Acceptance,
  type Decision,
  type ElectionParams,
  type QueueEntry,
  type VoteEntry,
} from "./types";
import { validateVote } from "./vote";

interface RefVote {
  power: bigint;
  entries: VoteEntry[];
}

export class ReferenceElection {
  params: ElectionParams;
  lastSequence = 0n;
  readonly votes = new Map<string, RefVote>();
  readonly eligible = new Map<string, Acceptance>();
  readonly members = new Map<string, bigint>();
  queue: QueueEntry[] = [];

  constructor(params: ElectionParams) {
    this.params = { ...params };
  }

  castVote(voter: string, power: bigint, entries: readonly VoteEntry[]): void {
    const err = validateVote(entries, this.params.maxVoteEntries);
    if (err !== ElectionError.None) throw new ElectionInputError(err, voter);
    if (entries.length === 0) this.votes.delete(voter);
    else this.votes.set(voter, { power, entries: entries.map((e) => ({ ...e })) });
  }

  clearVote(voter: string): void {
    this.votes.delete(voter);
  }

  setVoterPower(voter: string, power: bigint): void {
    const v = this.votes.get(voter);
    if (v !== undefined) v.power = power;
  }

  /** Every address's tally: Σ floor(power · share / ONE) over all votes. */
  tallies(): Map<string, bigint> {
    const t = new Map<string, bigint>();
    for (const v of this.votes.values()) {
      for (const e of v.entries) t.set(e.candidate, (t.get(e.candidate) ?? 0n) + (v.power * e.share) / ONE);
    }
    return t;
  }

  markEligible(address: string, acceptance: Acceptance): void {
    this.eligible.set(address, acceptance);
  }

  markIneligible(address: string, reason: KickReason): Decision[] {
    const out: Decision[] = [];
    if (!this.eligible.has(address)) return out;
    if (this.members.has(address)) this.unseat(address, reason, null, this.tallies(), out);
    const q = this.queue.find((e) => e.challenger === address);
    if (q !== undefined) this.drop(q, DropReason.ChallengerIneligible, out);
    this.eligible.delete(address);
    return out;
  }

  endBlock(height: bigint): Decision[] {
    const out: Decision[] = [];
    const t = this.tallies();
    const tally = (a: string): bigint => t.get(a) ?? 0n;
    const max = this.params.maxMembers;

    while (this.members.size > max) {
      this.unseat(this.sortedMembers(t)[0]!, KickReason.SeatsReduced, null, t, out);
    }

    const matured = this.queue
      .filter((e) => e.maturesAt <= height)
      .sort((a, b) => (a.maturesAt !== b.maturesAt ? (a.maturesAt < b.maturesAt ? -1 : 1) : cmpStr(a.challenger, b.challenger)));
    for (const e of matured) {
      this.queue = this.queue.filter((x) => x !== e);
      if (tally(e.challenger) > tally(e.replaces)) {
        const replacedSequence = this.members.get(e.replaces)!;
        this.members.delete(e.replaces);
        const sequence = ++this.lastSequence;
        this.members.set(e.challenger, sequence);
        out.push({
          kind: DecisionKind.Swapped,
          challenger: e.challenger,
          sequence,
          challengerTally: tally(e.challenger),
          replaced: e.replaces,
          replacedSequence,
          replacedTally: tally(e.replaces),
        });
      } else {
        out.push({ kind: DecisionKind.QueueDropped, challenger: e.challenger, replaces: e.replaces, maturesAt: e.maturesAt, reason: DropReason.NoLongerOutranks });
      }
    }

    while (this.members.size < max) {
      const best = this.sortedChallengers(t)[0];
      if (best === undefined || tally(best) <= 0n) break;
      const q = this.queue.find((e) => e.challenger === best);
      if (q !== undefined) this.drop(q, DropReason.ChallengerAdmitted, out);
      this.admit(best, t, out);
    }

    if (this.members.size >= max) {
      const queuedChallengers = (): Set<string> => new Set(this.queue.map((e) => e.challenger));
      const targets = (): Set<string> => new Set(this.queue.map((e) => e.replaces));
      while (true) {
        const qc = queuedChallengers();
        const tg = targets();
        const c = this.sortedChallengers(t).find((a) => !qc.has(a));
        const u = this.sortedMembers(t).find((a) => !tg.has(a));
        if (c === undefined || u === undefined || !(tally(c) > tally(u))) break;
        if (this.params.stabilizationPeriod === 0n) {
          this.unseat(u, KickReason.Outranked, c, t, out);
          this.admit(c, t, out);
        } else {
          const maturesAt = height + this.params.stabilizationPeriod;
          this.queue.push({ challenger: c, replaces: u, maturesAt });
          out.push({ kind: DecisionKind.Queued, challenger: c, replaces: u, maturesAt });
        }
      }
    }
    return out;
  }

  /** Members in kick order: tally ascending, then sequence descending. */
  sortedMembers(t: Map<string, bigint>): string[] {
    return [...this.members.keys()].sort((a, b) => {
      const ta = t.get(a) ?? 0n;
      const tb = t.get(b) ?? 0n;
      if (ta !== tb) return ta < tb ? -1 : 1;
      const sa = this.members.get(a)!;
      const sb = this.members.get(b)!;
      return sa > sb ? -1 : sa < sb ? 1 : 0;
    });
  }

  /** Eligible non-members, best first: tally desc, acceptance height, index, address. */
  sortedChallengers(t: Map<string, bigint>): string[] {
    return [...this.eligible.keys()]
      .filter((a) => !this.members.has(a))
      .sort((a, b) => {
        const ta = t.get(a) ?? 0n;
        const tb = t.get(b) ?? 0n;
        if (ta !== tb) return ta > tb ? -1 : 1;
        const x = this.eligible.get(a)!;
        const y = this.eligible.get(b)!;
        if (x.height !== y.height) return x.height < y.height ? -1 : 1;
        if (x.index !== y.index) return x.index - y.index;
        return cmpStr(a, b);
      });
  }

  /** The queue in the engine's order: maturity, then challenger address. */
  sortedQueue(): QueueEntry[] {
    return [...this.queue].sort((a, b) =>
      a.maturesAt !== b.maturesAt ? (a.maturesAt < b.maturesAt ? -1 : 1) : cmpStr(a.challenger, b.challenger),
    );
  }

  private admit(address: string, t: Map<string, bigint>, out: Decision[]): void {
    const sequence = ++this.lastSequence;
    this.members.set(address, sequence);
    out.push({ kind: DecisionKind.Admitted, address, sequence, tally: t.get(address) ?? 0n });
  }

  private unseat(address: string, reason: KickReason, by: string | null, t: Map<string, bigint>, out: Decision[]): void {
    const sequence = this.members.get(address)!;
    this.members.delete(address);
    out.push({ kind: DecisionKind.Kicked, address, sequence, tally: t.get(address) ?? 0n, by, reason });
    const q = this.queue.find((e) => e.replaces === address);
    if (q !== undefined) this.drop(q, DropReason.TargetNotMember, out);
  }

  private drop(e: QueueEntry, reason: DropReason, out: Decision[]): void {
    this.queue = this.queue.filter((x) => x !== e);
    out.push({ kind: DecisionKind.QueueDropped, challenger: e.challenger, replaces: e.replaces, maturesAt: e.maturesAt, reason });
  }
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

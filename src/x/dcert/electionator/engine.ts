/**
 * The continuous-voting election engine (ADR 008 "Electionator"): tallies, ranking, seat rules and
 * the stabilization queue, kept incrementally in memory. No store, no I/O, no clock, and no
 * rounding: doubles hold only exact integers (word sums, contribution limbs) or order tallies that
 * the bigints decide on equal numbers (`cKeyF`).
 *
 * Model. Every address that has support or is eligible gets a small integer id (interned; ids are
 * recycled and never observable). An id is in exactly one of these states:
 *   NONE        support only (not eligible): tally kept, not ranked;
 *   CHALLENGER  eligible non-member, not in the queue     → tree `challengers`        (best first);
 *   QUEUED      eligible non-member with a queue entry     → tree `queuedChallengers`  (best first);
 *   MEMBER      seated, not targeted by a queue entry     → tree `members`            (kick-first);
 *   TARGETED    seated and targeted by a queue entry       → tree `targetedMembers`    (kick-first).
 * "Best first" orders by tally desc, acceptance (height, index) asc, address asc. "Kick-first"
 * orders by tally asc, then sequence desc: the first member is the one to kick (lowest tally; on a
 * tie the largest sequence number leaves and the smallest keeps its seat).
 *
 * Seat rules, applied by `endBlock(height)` in this order (each step loops only while it acts):
 *  1. Shrink: while members > maxMembers, the lowest member (over both member trees) is kicked
 *     (SeatsReduced; a queue entry targeting it is dropped, TargetNotMember).
 *  2. Maturity: queue entries with maturesAt ≤ height, by (maturesAt, challenger address): if the
 *     challenger's tally is strictly greater than the target's, they swap (Swapped); otherwise the
 *     entry is dropped (NoLongerOutranks). Entries whose challenger turned ineligible or whose
 *     target lost its seat were already dropped when that happened, so both are still valid here.
 *  3. Free seats: while members < maxMembers, the best eligible non-member (queued or not) with
 *     tally > 0 is admitted at once; if it was queued its entry is dropped first
 *     (ChallengerAdmitted) and its target goes back to being an ordinary member.
 *  4. Replacement (group full): while the best unqueued challenger has a tally strictly greater
 *     than the lowest untargeted member: with stabilizationPeriod = 0 the member is kicked
 *     (Outranked, by the challenger) and the challenger admitted; with a period > 0 a queue entry
 *     {challenger, replaces, maturesAt = height + period} is created instead. Both lists are
 *     walked in order (challengers descending, members ascending), so the loop stops at the first
 *     pair that does not qualify and no later pair could.
 * Immediate rules (outside endBlock): `markIneligible` removes a member at once (Kicked with the
 * keeper's reason) and drops any queue entry in which the address is challenger
 * (ChallengerIneligible) or target (TargetNotMember). A queue entry is never retargeted.
 *
 * Sequence numbers come from one counter: every admission (step 3, step 4, a swap) takes
 * `lastSequence + 1`; a member that leaves and comes back gets a new number.
 *
 * PERF: castVote/clearVote/setVoterPower cost O(entries) (tallies move; the trees do not). A
 * block's votes go through stageVote/stageVoterPower instead: their deltas are summed per
 * candidate in 32-bit words (no bigint per entry, exact; see `dW0`) and applied once per candidate
 * by commitStaged or by the next other call. Each
 * eligible candidate whose tally moved is re-positioned in its tree once, when the order is next
 * read (endBlock, eligibility changes, ranking queries): O(distinct candidates moved · log
 * candidates) per block however many votes moved them. endBlock then costs
 * O((1 + decisions) · log candidates + matured entries · queue length); it never looks at
 * voters, and when nothing changes it only compares two tree heads.
 * Memory follows the live state, not its history: vote blocks are packed per size (entry-pool.ts)
 * and candidate ids are renumbered once most are free (`compactIds`, O(1) amortized per entry),
 * so an engine holds about what one restored from the same records holds.
 */
import { AvlForest, AvlTree, NIL } from "./avl";
import { EntryPool, type EntryBlocks, F64, HI_WORD, LO_WORD, NO_OWNER, U64_WORDS } from "./entry-pool";
import { StringIndex } from "./string-index";
import { VoterSlots } from "./voter-slots";
import {
  DecisionKind,
  DropReason,
  ElectionError,
  ElectionInputError,
  KickReason,
  MAX_VOTE_ENTRIES_LIMIT,
  type Acceptance,
  type CandidateInfo,
  type Decision,
  type ElectionHeader,
  type ElectionParams,
  type ElectionState,
  type MemberInfo,
  type QueueEntry,
  type StoredVoteEntry,
  type TallyChange,
  type VoteEntry,
  type VoterRecord,
  type VoteUpdate,
} from "./types";
import { Contributions, ShareSum, contributionOf, validateAcceptance, validateParams, validatePower, validateVote } from "./vote";

const S_NONE = 0;
const S_CHALLENGER = 1;
const S_QUEUED = 2;
const S_MEMBER = 3;
const S_TARGETED = 4;

/**
 * Candidate ids are renumbered densely once the free ids outnumber the live ids, an eighth of the
 * stored entries and this floor (see `compactIds`; `ElectionatorOptions.idCompactionFloor`).
 */
const DEFAULT_ID_COMPACTION_FLOOR = 1024;

const TWO20 = 2 ** 20;
const TWO32 = 2 ** 32;
const TWO52 = 2 ** 52;

interface QEntry {
  readonly challenger: number;
  readonly target: number;
  readonly maturesAt: bigint;
}

export interface ElectionatorOptions {
  /**
   * Expected number of stored entries in votes of `maxVoteEntries` entries (pre-sizes their typed
   * arrays; storage grows and shrinks with the votes anyway).
   */
  readonly entryCapacity?: number;
  /**
   * Free candidate ids tolerated before they are renumbered (default 1024). Tests pass 0 to make
   * renumbering as frequent as possible; it never changes what the engine decides.
   */
  readonly idCompactionFloor?: number;
  /**
   * How candidates whose tally moved are re-positioned: true rebuilds their tree, false moves them
   * one by one; by default a tree is rebuilt when at least an eighth of its ids moved. For tests;
   * it never changes what the engine decides.
   */
  readonly rebuildTrees?: boolean;
  /**
   * Entries summed into pending tally deltas before they are folded into bigints (default and
   * most 2^20, which keeps every sum exact). Tests pass 0 to fold before every call; it never
   * changes what the engine decides.
   */
  readonly foldWordsAfter?: number;
}

/**
 * Reads one voter's stored record (its counted vote: power and entries with their contributions)
 * for an engine restored with `Electionator.restoreFromTallies`; undefined when it has none. The
 * record must be the one whose contributions the restored tallies include (see
 * `restoreFromTallies`).
 */
export type VoterLoader = (voter: string) => VoterRecord | undefined;

export interface RestoreOptions extends ElectionatorOptions {
  /** Check each stored contribution against floor(power · share / ONE) (default true). */
  readonly verifyContributions?: boolean;
}

export interface EngineStats {
  /** Voters in memory: all of them, or for a lazily restored engine those loaded since (see `voterCount`). */
  readonly voters: number;
  /** Addresses with support or eligibility (live candidate ids). */
  readonly candidateIds: number;
  /** Candidate ids live or free (the length of every per-candidate array). */
  readonly candidateSlots: number;
  readonly eligible: number;
  readonly members: number;
  readonly queue: number;
  /** Vote entries stored (of the voters in memory). */
  readonly entries: number;
  /** Entry slots in blocks in use (≤ 2 × entries: blocks have power-of-two sizes). */
  readonly entrySlots: number;
  /** Bytes of the entry storage's typed arrays. */
  readonly entryBytes: number;
}

/**
 * Entries summed into the pending deltas before they are folded into bigints: a call adds at most
 * 2 · MAX_VOTE_ENTRIES_LIMIT more, so no word sum reaches 2^21 terms (each term < 2^32).
 */
const WORDS_BEFORE_FOLD = 1 << 20;

function fail(code: ElectionError, detail: string): never {
  throw new ElectionInputError(code, detail);
}

export class Electionator {
  private params: ElectionParams;
  private lastSeq = 0n;

  // Per candidate id.
  private readonly candIndex = new StringIndex();
  private readonly cAddr: string[] = [];
  private readonly cTally: bigint[] = [];
  /**
   * The tally the trees order the id by. Equal to cTally except for ids in `stale`: a vote moves
   * cTally only, and the ids whose tally moved are re-positioned once, before anything reads the
   * order (`settleKeys`), rather than on every vote.
   */
  private readonly cKey: bigint[] = [];
  /**
   * `Number(cKey[id])`, kept beside it. PERF: the trees' comparators compare these first and the
   * bigints only when they are equal. The ECMAScript conversion rounds to nearest, which is
   * monotonic (a < b ⇒ Number(a) ≤ Number(b)), so unequal numbers order exactly as their bigints
   * do and equal ones fall back to them: the order is the bigint order, decided without rounding.
   */
  private readonly cKeyF: number[] = [];
  /** 1 while the id is listed in `stale`. */
  private readonly cStale: number[] = [];
  private readonly stale: number[] = [];
  private readonly cRefs: number[] = [];
  private readonly cState: number[] = [];
  private readonly cAccH: bigint[] = [];
  private readonly cAccI: number[] = [];
  private readonly cSeq: bigint[] = [];
  private readonly freeCands: number[] = [];

  private readonly forest = new AvlForest();
  private readonly challengers: AvlTree;
  private readonly queuedChallengers: AvlTree;
  private readonly members: AvlTree;
  private readonly targetedMembers: AvlTree;

  // Stabilization queue, sorted by (maturesAt, challenger address).
  private readonly queue: QEntry[] = [];
  private readonly queueByChallenger = new Map<number, QEntry>();
  private readonly queueByTarget = new Map<number, QEntry>();

  // Per voter slot. Slots are dense (0 … voters − 1): a withdrawn voter's slot takes the last one.
  private readonly voterIndex = new StringIndex();
  private readonly vAddr: string[] = [];
  /** Per voter slot: its entry block's first slot in `pool.blocksFor(len)`, its length and power. */
  private readonly vSlots = new VoterSlots();
  private readonly pool: EntryPool;
  private entryCount = 0;
  private readonly idCompactionFloor: number;
  private readonly rebuildTrees: boolean | undefined;
  private readonly foldWordsAfter: number;

  // Tally deltas grouped per candidate id until they are applied (after each reporting call, or
  // at commitStaged for staged votes), as three signed sums of the 32-bit words of the stored
  // contributions (bits 0–31, 32–63, 64–95): moving a stored contribution is three float adds
  // and allocates nothing. A sum of fewer than 2^21 words is an exact integer (|sum| < 2^53);
  // `dWords` counts the entries summed and `foldWords` moves the sums into `dFolded` (bigints)
  // before a call could pass that. Zero for every id not in `dTouched`.
  private readonly dW0: number[] = [];
  private readonly dW1: number[] = [];
  private readonly dW2: number[] = [];
  private readonly dMark: number[] = [];
  private readonly dTouched: number[] = [];
  private readonly dFolded = new Map<number, bigint>();
  private dWords = 0;
  private dEpoch = 1;
  /** Deltas of staged votes not applied to the tallies yet, and whose tallies they moved since commitStaged. */
  private staged = false;
  private stagedMoved = new Set<string>();
  // Scratch for checking a vote (per candidate id: the last check that saw it) and its ids.
  private readonly cSeen: number[] = [];
  private seenEpoch = 0;
  private readonly voteIds: number[] = [];
  private readonly loadIds: number[] = [];
  /** Scratch: the shares' 32-bit words that checkVote leaves for applyVote (and for takeIn). */
  private readonly voteWords: number[] = [];
  private readonly loadWords: number[] = [];
  /** Computes a vote's contributions (one power, many shares). */
  private readonly contributions = new Contributions();
  private readonly shareSum = new ShareSum();

  /** During restore: tallies are summed without touching the trees, which are built at the end. */
  private bulk = false;

  /**
   * Restored from tallies (`restoreFromTallies`): voters are in memory only once used, and a
   * candidate's tally also counts the votes of voters not in memory. `loader` reads those.
   */
  private lazy = false;
  private loader: VoterLoader | undefined;

  constructor(params: ElectionParams, options: ElectionatorOptions = {}) {
    if (validateParams(params) !== ElectionError.None) fail(ElectionError.InvalidParams, JSON.stringify(params, bigintJson));
    this.params = { ...params };
    this.pool = new EntryPool(options.entryCapacity ?? 0, params.maxVoteEntries);
    this.idCompactionFloor = options.idCompactionFloor ?? DEFAULT_ID_COMPACTION_FLOOR;
    this.foldWordsAfter = Math.min(options.foldWordsAfter ?? WORDS_BEFORE_FOLD, WORDS_BEFORE_FOLD);
    this.rebuildTrees = options.rebuildTrees;
    const tally = this.cKey;
    const approx = this.cKeyF;
    const accH = this.cAccH;
    const accI = this.cAccI;
    const addr = this.cAddr;
    const seq = this.cSeq;
    const bestFirst = (a: number, b: number): number => {
      const fa = approx[a]!;
      const fb = approx[b]!;
      if (fa !== fb) return fa > fb ? -1 : 1;
      const ta = tally[a]!;
      const tb = tally[b]!;
      if (ta !== tb) return ta > tb ? -1 : 1;
      const ha = accH[a]!;
      const hb = accH[b]!;
      if (ha !== hb) return ha < hb ? -1 : 1;
      const ia = accI[a]!;
      const ib = accI[b]!;
      if (ia !== ib) return ia - ib;
      const sa = addr[a]!;
      const sb = addr[b]!;
      return sa < sb ? -1 : sa > sb ? 1 : 0;
    };
    const kickFirst = (a: number, b: number): number => {
      const fa = approx[a]!;
      const fb = approx[b]!;
      if (fa !== fb) return fa < fb ? -1 : 1;
      const ta = tally[a]!;
      const tb = tally[b]!;
      if (ta !== tb) return ta < tb ? -1 : 1;
      const sa = seq[a]!;
      const sb = seq[b]!;
      return sa > sb ? -1 : sa < sb ? 1 : 0;
    };
    this.bestFirst = bestFirst;
    this.kickFirst = kickFirst;
    this.challengers = new AvlTree(this.forest, bestFirst);
    this.queuedChallengers = new AvlTree(this.forest, bestFirst);
    this.members = new AvlTree(this.forest, kickFirst);
    this.targetedMembers = new AvlTree(this.forest, kickFirst);
  }

  private readonly bestFirst: (a: number, b: number) => number;
  private readonly kickFirst: (a: number, b: number) => number;

  // ---------------------------------------------------------------------------------------------
  // Parameters

  getParams(): ElectionParams {
    return { ...this.params };
  }

  /**
   * Replaces the parameters. Takes effect at the next endBlock (a lower maxMembers shrinks the
   * group there). Votes already stored stay valid even if maxVoteEntries drops below their size;
   * queue entries keep the maturity they were given.
   */
  setParams(params: ElectionParams): void {
    this.flushStaged();
    if (validateParams(params) !== ElectionError.None) fail(ElectionError.InvalidParams, JSON.stringify(params, bigintJson));
    this.params = { ...params };
  }

  get lastSequence(): bigint {
    return this.lastSeq;
  }

  // ---------------------------------------------------------------------------------------------
  // Votes

  /**
   * Stores `voter`'s vote, replacing any previous one, with contributions floor(power·share/ONE).
   * An empty list withdraws the vote. Throws ElectionInputError for an invalid vote or power.
   * PERF: O(entries · log candidates).
   */
  castVote(voter: string, power: bigint, entries: readonly VoteEntry[]): VoteUpdate {
    this.flushStaged();
    const record = this.applyVote(voter, power, entries);
    return { voter, record, tallies: this.applyDelta([]) };
  }

  /**
   * `castVote` for a block's worth of votes: the vote is stored now, but its tally changes are
   * grouped with the other staged ones and applied once per candidate, by `commitStaged` or by
   * the next call that reads or changes anything else. Returns the stored record (null: no vote).
   * Throws as castVote does, before changing anything. PERF: O(entries), no tree work.
   */
  stageVote(voter: string, power: bigint, entries: readonly VoteEntry[]): VoterRecord | null {
    const record = this.applyVote(voter, power, entries);
    this.staged = this.dTouched.length > 0;
    return record;
  }

  /**
   * Applies the staged tally changes. Returns each candidate whose tally staged votes moved since
   * the last call, once, in the order they were first applied, with its tally now. (Changes made
   * by castVote, clearVote and setVoterPower are in their own results.) PERF: O(candidates
   * touched), plus their re-positioning when the order is next read.
   */
  commitStaged(): TallyChange[] {
    if (this.stagedMoved.size === 0) {
      // Nothing applied them yet (the keeper's path): each moved candidate once, tally now.
      if (!this.staged) return [];
      this.staged = false;
      return this.applyDelta([]);
    }
    this.flushStaged();
    const out: TallyChange[] = [];
    for (const candidate of this.stagedMoved) out.push({ candidate, tally: this.tallyOf(candidate) });
    this.stagedMoved = new Set();
    return out;
  }

  private applyVote(voter: string, power: bigint, entries: readonly VoteEntry[]): VoterRecord | null {
    if (voter.length === 0) fail(ElectionError.EmptyVoter, "voter address is empty");
    const words = this.voteWords;
    const ids = this.checkVote(voter, entries, this.params.maxVoteEntries, this.voteIds, words);
    if (validatePower(power) !== ElectionError.None) fail(ElectionError.PowerOutOfRange, `power ${power} of ${voter}`);
    const n = entries.length;
    let v = this.voterSlot(voter);
    this.makeRoomForWords();
    if (v !== undefined) {
      this.unapply(v);
      if (n === 0) {
        this.dropVoter(v);
        return null;
      }
      const oldLen = this.vSlots.len(v);
      this.entryCount -= oldLen;
      if (EntryPool.capacityFor(n) !== EntryPool.capacityFor(oldLen)) {
        this.releaseBlock(v);
        this.vSlots.setOff(v, this.pool.alloc(n, v));
      }
    } else {
      if (n === 0) return null;
      v = this.newVoter(voter);
      this.vSlots.setOff(v, this.pool.alloc(n, v));
    }
    this.vSlots.setLen(v, n);
    this.vSlots.setPower(v, power);
    this.entryCount += n;
    const blocks = this.pool.blocksFor(n);
    const off = this.vSlots.off(v);
    const stored: StoredVoteEntry[] = new Array<StoredVoteEntry>(n);
    const contributions = this.contributions;
    contributions.setPower(power);
    for (let i = 0; i < n; i++) {
      const e = entries[i]!;
      const known = ids[i]!;
      const id = known === NIL ? this.intern(e.candidate) : known;
      this.cRefs[id]!++;
      const k = off + i;
      blocks.setCandidate(k, id);
      // The share's words, kept by checkVote (every share is in (0, ONE] once it passed).
      const hi = words[2 * i]!;
      const lo = words[2 * i + 1]!;
      blocks.setShareWords(k, hi, lo);
      const exact = contributions.ofWords(hi, lo);
      let c: bigint;
      if (exact >= 0) {
        c = BigInt(exact);
        blocks.setContributionExact(k, exact);
      } else {
        c = contributions.of(e.share);
        blocks.setContribution(k, c);
      }
      this.addWords(blocks, k, id);
      stored[i] = { candidate: e.candidate, share: e.share, contribution: c };
    }
    this.dWords += n;
    return { voter, power, entries: stored };
  }

  /**
   * `validateVote(entries, max)` (same checks, same order, same first failure; throws it), done
   * with the candidate ids instead of a set of strings. Fills `ids` with each entry's candidate id,
   * NIL for an address without one yet (valid until the next intern, applyDelta or compaction),
   * and `words` with each share's high and low 32-bit words (entry i at 2i and 2i + 1).
   * PERF: the caller stores the shares and their contributions from those words, so a share is
   * read as a bigint once, not three times.
   */
  private checkVote(voter: string, entries: readonly VoteEntry[], max: number, ids: number[], words: number[]): number[] {
    const n = entries.length;
    if (n > max) fail(ElectionError.TooManyEntries, `vote of ${voter}`);
    ids.length = n;
    const epoch = ++this.seenEpoch;
    let fresh: Set<string> | undefined;
    const sum = this.shareSum;
    sum.reset();
    for (let i = 0; i < n; i++) {
      const e = entries[i]!;
      const candidate = e.candidate;
      if (candidate.length === 0) fail(ElectionError.EmptyCandidate, `vote of ${voter}`);
      if (e.share <= 0n) fail(ElectionError.ShareNotPositive, `vote of ${voter}`);
      const id = this.candIndex.get(candidate);
      if (id === undefined) {
        if (fresh === undefined) fresh = new Set<string>();
        else if (fresh.has(candidate)) fail(ElectionError.DuplicateCandidate, `vote of ${voter}`);
        fresh.add(candidate);
        ids[i] = NIL;
      } else {
        if (this.cSeen[id] === epoch) fail(ElectionError.DuplicateCandidate, `vote of ${voter}`);
        this.cSeen[id] = epoch;
        ids[i] = id;
      }
      if (sum.add(e.share)) {
        words[2 * i] = U64_WORDS[HI_WORD]!;
        words[2 * i + 1] = U64_WORDS[LO_WORD]!;
      }
    }
    if (sum.exceedsOne()) fail(ElectionError.SharesExceedOne, `vote of ${voter}`);
    return ids;
  }

  /** Withdraws `voter`'s vote (no-op without one). PERF: O(entries · log candidates). */
  clearVote(voter: string): VoteUpdate {
    this.flushStaged();
    const v = this.voterSlot(voter);
    if (v === undefined) return { voter, record: null, tallies: [] };
    this.makeRoomForWords();
    this.unapply(v);
    this.dropVoter(v);
    return { voter, record: null, tallies: this.applyDelta([]) };
  }

  /**
   * The voter's power changed (its bonded stake moved): each contribution is recomputed from the
   * stored share; the tally moves by exactly (new − old). Returns null when the voter has no vote
   * (nothing is tracked for it). PERF: O(entries · log candidates).
   */
  setVoterPower(voter: string, power: bigint): VoteUpdate | null {
    this.flushStaged();
    const record = this.applyPower(voter, power);
    return record === undefined ? null : { voter, record, tallies: this.applyDelta([]) };
  }

  /** `setVoterPower`, staged like `stageVote`; undefined when the voter has no vote. */
  stageVoterPower(voter: string, power: bigint): VoterRecord | undefined {
    const record = this.applyPower(voter, power);
    this.staged = this.dTouched.length > 0;
    return record;
  }

  private applyPower(voter: string, power: bigint): VoterRecord | undefined {
    const v = this.voterSlot(voter);
    if (v === undefined) return undefined;
    if (validatePower(power) !== ElectionError.None) fail(ElectionError.PowerOutOfRange, `power ${power} of ${voter}`);
    if (this.vSlots.powerEquals(v, power)) return this.recordOf(v);
    this.makeRoomForWords();
    const blocks = this.pool.blocksFor(this.vSlots.len(v));
    const off = this.vSlots.off(v);
    const end = off + this.vSlots.len(v);
    const contributions = this.contributions;
    contributions.setPower(power);
    for (let k = off; k < end; k++) {
      const old = blocks.contribution(k);
      const next = contributions.of(blocks.share(k));
      if (next !== old) {
        const id = blocks.candidate(k);
        this.subWords(blocks, k, id);
        blocks.setContribution(k, next);
        this.addWords(blocks, k, id);
      }
    }
    this.dWords += 2 * (end - off);
    this.vSlots.setPower(v, power);
    return this.recordOf(v);
  }

  voteOf(voter: string): VoterRecord | undefined {
    this.flushStaged();
    const v = this.voterSlot(voter);
    return v === undefined ? undefined : this.recordOf(v);
  }

  /**
   * Voters in memory. That is every voter with a vote, except in an engine restored with
   * `restoreFromTallies`, which holds only the voters used since (the others are counted in the
   * tallies and read through the loader when needed).
   */
  get voterCount(): number {
    return this.voterIndex.size;
  }

  /** False for an engine restored with `restoreFromTallies`: some voters may not be in memory. */
  get allVotersResident(): boolean {
    return !this.lazy;
  }

  /**
   * Binds where voters not in memory are read from (engines from `restoreFromTallies` only; the
   * others hold every voter and never call it). Pass undefined to unbind: a lazily restored engine
   * then throws when it meets a voter it does not hold, rather than read a stale source.
   */
  setLoader(loader: VoterLoader | undefined): void {
    this.loader = loader;
  }

  /**
   * Takes `voters` in from `loader` ahead of the block that will change them (a lazily restored
   * engine; the others hold every voter). This is the load `castVote` and the other voter calls
   * do first, done earlier: no tally, decision or record changes, only which voters are in memory,
   * which nothing decided depends on. Voters in memory and voters without a record are skipped.
   * Does nothing while staged votes are not committed, and stops at the first record that is not
   * the voter's or fails the load's checks (nothing of it is taken in; the call that needs it
   * meets the error then). Returns how many voters it took in.
   * PERF: per voter taken in, one `loader` call and O(entries); per other voter, one lookup.
   */
  takeInAhead(voters: Iterable<string>, loader: VoterLoader): number {
    if (!this.lazy || this.staged || this.stagedMoved.size > 0) return 0;
    let taken = 0;
    for (const voter of voters) {
      if (this.voterIndex.get(voter) !== undefined) continue;
      try {
        if (this.load(voter, loader) !== undefined) taken++;
      } catch (err) {
        if (err instanceof ElectionInputError) break;
        throw err;
      }
    }
    return taken;
  }

  /** The candidate's tally (0 for unknown addresses). */
  tallyOf(address: string): bigint {
    this.flushStaged();
    const id = this.candIndex.get(address);
    return id === undefined ? 0n : this.cTally[id]!;
  }

  // ---------------------------------------------------------------------------------------------
  // Eligibility (decided by the keeper)

  /**
   * `address` is eligible: it accepted admission (at `acceptance`), is bonded enough, not
   * suspended or barred, and the group is not disbanded. It competes from the next endBlock.
   * Calling it again updates the acceptance order. PERF: O(log candidates).
   */
  markEligible(address: string, acceptance: Acceptance): void {
    this.flushStaged();
    if (address.length === 0) fail(ElectionError.EmptyCandidate, "candidate address is empty");
    if (validateAcceptance(acceptance) !== ElectionError.None) {
      fail(ElectionError.InvalidAcceptance, `acceptance ${acceptance.height}/${acceptance.index} of ${address}`);
    }
    this.settleKeys();
    const id = this.intern(address);
    const st = this.cState[id]!;
    const tree = this.bulk ? null : this.treeOf(st);
    if (tree !== null && (st === S_CHALLENGER || st === S_QUEUED)) tree.remove(id);
    this.cAccH[id] = acceptance.height;
    this.cAccI[id] = acceptance.index;
    if (st === S_NONE) {
      this.cState[id] = S_CHALLENGER;
      if (!this.bulk) this.challengers.insert(id);
    } else if (tree !== null && (st === S_CHALLENGER || st === S_QUEUED)) {
      tree.insert(id);
    }
  }

  /**
   * `address` is no longer eligible. A member loses its seat at once (Kicked with `reason`, by
   * null); queue entries it is part of are dropped (ChallengerIneligible / TargetNotMember).
   * No-op for an address that is not eligible. PERF: O(log candidates + queue length).
   */
  markIneligible(address: string, reason: KickReason): Decision[] {
    this.flushStaged();
    this.settleKeys();
    const id = this.candIndex.get(address);
    const out: Decision[] = [];
    if (id === undefined) return out;
    const st = this.cState[id]!;
    if (st === S_NONE) return out;
    if (st === S_MEMBER || st === S_TARGETED) this.unseat(id, reason, null, out);
    else if (st === S_QUEUED) this.dropEntry(this.queueByChallenger.get(id)!, DropReason.ChallengerIneligible, out);
    // Now an unqueued challenger.
    this.challengers.remove(id);
    this.cState[id] = S_NONE;
    this.cAccH[id] = 0n;
    this.cAccI[id] = 0;
    this.maybeFree(id);
    this.maybeCompactIds();
    return out;
  }

  isEligible(address: string): boolean {
    this.flushStaged();
    const id = this.candIndex.get(address);
    return id !== undefined && this.cState[id] !== S_NONE;
  }

  acceptanceOf(address: string): Acceptance | undefined {
    this.flushStaged();
    const id = this.candIndex.get(address);
    if (id === undefined || this.cState[id] === S_NONE) return undefined;
    return { height: this.cAccH[id]!, index: this.cAccI[id]! };
  }

  // ---------------------------------------------------------------------------------------------
  // Membership queries

  get memberCount(): number {
    this.flushStaged();
    return this.members.size + this.targetedMembers.size;
  }

  isMember(address: string): boolean {
    this.flushStaged();
    const id = this.candIndex.get(address);
    if (id === undefined) return false;
    const st = this.cState[id]!;
    return st === S_MEMBER || st === S_TARGETED;
  }

  sequenceOf(address: string): bigint | undefined {
    this.flushStaged();
    return this.isMember(address) ? this.cSeq[this.candIndex.get(address)!]! : undefined;
  }

  /** Members, best first (tally desc, then sequence asc). PERF: O(m log m). */
  memberList(): MemberInfo[] {
    this.flushStaged();
    this.settleKeys();
    const ids = [...this.members.ascending(), ...this.targetedMembers.ascending()];
    ids.sort((a, b) => this.kickFirst(b, a));
    return ids.map((id) => this.memberInfo(id));
  }

  /** The member that a shrink would kick: lowest tally, then largest sequence. PERF: O(log m). */
  lowestMember(): MemberInfo | undefined {
    this.flushStaged();
    this.settleKeys();
    const id = this.lowestMemberId();
    return id === NIL ? undefined : this.memberInfo(id);
  }

  /** The member with the most support (then smallest sequence). PERF: O(log m). */
  topMember(): MemberInfo | undefined {
    this.flushStaged();
    this.settleKeys();
    const a = this.members.last();
    const b = this.targetedMembers.last();
    const id = a === NIL ? b : b === NIL ? a : this.kickFirst(a, b) > 0 ? a : b;
    return id === NIL ? undefined : this.memberInfo(id);
  }

  /** The best eligible non-member (queued or not). PERF: O(log candidates). */
  bestChallenger(): CandidateInfo | undefined {
    this.flushStaged();
    this.settleKeys();
    const id = this.bestChallengerId();
    return id === NIL ? undefined : this.candidateInfo(id);
  }

  /** Up to `limit` eligible non-members, best first. PERF: O(log candidates + limit). */
  challengerList(limit: number): CandidateInfo[] {
    this.flushStaged();
    this.settleKeys();
    const out: CandidateInfo[] = [];
    const a = this.challengers.ascending();
    const b = this.queuedChallengers.ascending();
    let x = a.next();
    let y = b.next();
    while (out.length < limit && (!x.done || !y.done)) {
      if (y.done || (!x.done && this.bestFirst(x.value, y.value) < 0)) {
        out.push(this.candidateInfo(x.value as number));
        x = a.next();
      } else {
        out.push(this.candidateInfo(y.value));
        y = b.next();
      }
    }
    return out;
  }

  /** Queue entries by (maturesAt, challenger address). */
  queueEntries(): QueueEntry[] {
    this.flushStaged();
    return this.queue.map((e) => this.publicEntry(e));
  }

  /** The queue entry in which `address` is the challenger or the member to be replaced. */
  queueEntryOf(address: string): QueueEntry | undefined {
    this.flushStaged();
    const id = this.candIndex.get(address);
    if (id === undefined) return undefined;
    const e = this.queueByChallenger.get(id) ?? this.queueByTarget.get(id);
    return e === undefined ? undefined : this.publicEntry(e);
  }

  stats(): EngineStats {
    this.flushStaged();
    return {
      voters: this.voterIndex.size,
      candidateIds: this.candIndex.size,
      candidateSlots: this.cAddr.length,
      eligible: this.challengers.size + this.queuedChallengers.size + this.memberCount,
      members: this.memberCount,
      queue: this.queue.length,
      entries: this.entryCount,
      entrySlots: this.pool.slotsInUse,
      entryBytes: this.pool.bytes,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // End of block

  /**
   * Applies the seat rules (see the top of this file) for the state at the end of block `height`
   * and returns what happened, in the order it happened.
   */
  endBlock(height: bigint): Decision[] {
    this.flushStaged();
    this.settleKeys();
    const out: Decision[] = [];
    const max = this.params.maxMembers;

    // 1. Shrink to maxMembers.
    while (this.memberCount > max) this.unseat(this.lowestMemberId(), KickReason.SeatsReduced, null, out);

    // 2. Matured queue entries.
    while (this.queue.length > 0 && this.queue[0]!.maturesAt <= height) {
      const e = this.queue[0]!;
      this.detachEntry(e);
      const ch = e.challenger;
      const tg = e.target;
      const ct = this.cTally[ch]!;
      const tt = this.cTally[tg]!;
      if (ct > tt) {
        const replacedSequence = this.cSeq[tg]!;
        this.members.remove(tg);
        this.cSeq[tg] = 0n;
        this.cState[tg] = S_CHALLENGER;
        this.challengers.insert(tg);
        this.challengers.remove(ch);
        const sequence = ++this.lastSeq;
        this.cSeq[ch] = sequence;
        this.cState[ch] = S_MEMBER;
        this.members.insert(ch);
        out.push({
          kind: DecisionKind.Swapped,
          challenger: this.cAddr[ch]!,
          sequence,
          challengerTally: ct,
          replaced: this.cAddr[tg]!,
          replacedSequence,
          replacedTally: tt,
        });
      } else {
        out.push(this.droppedDecision(e, DropReason.NoLongerOutranks));
      }
    }

    // 3. Free seats: admit at once, queue or not.
    while (this.memberCount < max) {
      const b = this.bestChallengerId();
      if (b === NIL || this.cTally[b]! <= 0n) break;
      if (this.cState[b] === S_QUEUED) this.dropEntry(this.queueByChallenger.get(b)!, DropReason.ChallengerAdmitted, out);
      this.admit(b, out);
    }

    // 4. Replacements in a full group.
    if (this.memberCount >= max) {
      const period = this.params.stabilizationPeriod;
      while (true) {
        const c = this.challengers.first();
        const u = this.members.first();
        if (c === NIL || u === NIL || !(this.cTally[c]! > this.cTally[u]!)) break;
        if (period === 0n) {
          this.unseat(u, KickReason.Outranked, this.cAddr[c]!, out);
          this.admit(c, out);
        } else {
          this.enqueue(c, u, height + period, out);
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Persistence

  /** Parameters, counters, eligibility, members and queue in canonical order. */
  exportHeader(): ElectionHeader {
    this.flushStaged();
    const eligible: { address: string; acceptance: Acceptance }[] = [];
    const members: { address: string; sequence: bigint }[] = [];
    this.candIndex.forEach((address, id) => {
      const st = this.cState[id]!;
      if (st === S_NONE) return;
      eligible.push({ address, acceptance: { height: this.cAccH[id]!, index: this.cAccI[id]! } });
      if (st === S_MEMBER || st === S_TARGETED) members.push({ address, sequence: this.cSeq[id]! });
    });
    eligible.sort((a, b) => compareStrings(a.address, b.address));
    members.sort((a, b) => compareStrings(a.address, b.address));
    return { params: this.getParams(), lastSequence: this.lastSeq, eligible, members, queue: this.queueEntries() };
  }

  /**
   * Voter records by voter address ascending: every voter, or for a lazily restored engine (see
   * `allVotersResident`) the voters in memory only. PERF: O(v log v) for the sort, then streamed.
   */
  *exportVoters(): Generator<VoterRecord> {
    const names = this.voterIndex.keyList().sort(compareStrings);
    for (const name of names) yield this.recordOf(this.voterIndex.get(name)!);
  }

  exportState(): ElectionState {
    this.flushStaged();
    return { header: this.exportHeader(), voters: [...this.exportVoters()] };
  }

  /**
   * Rebuilds an engine from plain records (e.g. read back from the store at startup). The result
   * does not depend on the order of `voters`. Votes are accepted up to MAX_VOTE_ENTRIES_LIMIT
   * entries (they were valid under the parameters of their time). Throws ElectionInputError on
   * invalid or inconsistent input. PERF: O(entries + candidates · log candidates).
   */
  static restore(header: ElectionHeader, voters: Iterable<VoterRecord>, options: RestoreOptions = {}): Electionator {
    const e = new Electionator(header.params, options);
    e.bulk = true;
    e.loadHeader(header);
    const verify = options.verifyContributions ?? true;
    for (const r of voters) e.loadVoter(r, verify);
    e.bulk = false;
    e.buildTrees();
    return e;
  }

  /**
   * Rebuilds an engine without reading any vote: from the header and every candidate's tally (as
   * kept by the caller, e.g. the store's tally records; addresses with tally 0 may be left out),
   * and `loader`, which reads a voter's stored record when the engine first needs it (castVote,
   * clearVote, setVoterPower, voteOf of a voter not in memory). A loaded record is taken in
   * without touching the tallies, which already count it; then the call proceeds as in an engine
   * holding every voter. So the records the loader returns must be exactly the ones the tallies
   * sum, and stay so: the caller writes a voter's record only from this engine's results (which
   * it produces only once the voter is in memory), or restores again. Decisions, tallies, members
   * and queue are then those of `restore` over the same records. Throws ElectionInputError on an
   * invalid or inconsistent header or tally; later, a loaded record that is invalid, whose
   * contributions do not match its power and shares or exceed the tallies makes the call that
   * loads it throw ElectionInputError with code InconsistentState or ContributionMismatch (the
   * store is corrupt; nothing changed). Voters stay in memory once loaded:
   * `voterCount`, `stats().voters` and `exportVoters` cover those only.
   * PERF: O(candidates · log candidates), independent of the number of voters; each voter
   * loaded later costs one `loader` call and O(entries).
   */
  static restoreFromTallies(
    header: ElectionHeader,
    tallies: Iterable<readonly [string, bigint]>,
    loader?: VoterLoader,
    options: ElectionatorOptions = {},
  ): Electionator {
    const e = new Electionator(header.params, options);
    e.bulk = true;
    e.loadHeader(header);
    for (const [address, tally] of tallies) {
      if (address.length === 0) fail(ElectionError.InconsistentState, "tally of an empty address");
      if (tally < 0n) fail(ElectionError.InconsistentState, `tally ${tally} of ${address}`);
      if (tally === 0n) continue;
      const id = e.intern(address);
      if (e.cTally[id] !== 0n) fail(ElectionError.InconsistentState, `tally of ${address} listed twice`);
      e.cTally[id] = tally;
    }
    e.bulk = false;
    e.lazy = true;
    e.loader = loader;
    e.buildTrees();
    return e;
  }

  /**
   * Full consistency check (tallies = sums of stored contributions, or ≥ them while not every
   * voter is in memory; reference counts, tree order and balance, states, sequences, queue
   * constraints). Returns the problems found, [] when none.
   * PERF: O(entries + candidates); for tests.
   */
  checkInvariants(): string[] {
    this.flushStaged();
    const problems: string[] = [];
    const ids = this.cAddr.length;
    const sum: bigint[] = new Array<bigint>(ids).fill(0n);
    const refs: number[] = new Array<number>(ids).fill(0);
    const pool = this.pool;
    let entries = 0;
    let slots = 0;
    if (this.vAddr.length !== this.voterIndex.size) problems.push(`${this.vAddr.length} voter slots for ${this.voterIndex.size} voters`);
    if (this.vSlots.count !== this.vAddr.length) problems.push(`${this.vSlots.count} voter records for ${this.vAddr.length} voter slots`);
    for (const [name, index] of [["voter", this.voterIndex] as const, ["candidate", this.candIndex] as const]) {
      const broken = index.check();
      if (broken !== null) problems.push(`${name} index: ${broken}`);
    }
    for (const [voter, v] of this.voterIndex.entryList()) {
      if (this.vAddr[v] !== voter) problems.push(`voter slot ${v} holds ${this.vAddr[v]} not ${voter}`);
      const off = this.vSlots.off(v);
      const len = this.vSlots.len(v);
      if (len === 0) {
        problems.push(`voter ${voter} has an empty vote stored`);
        continue;
      }
      if (pool.ownerOf(off, len) !== v) problems.push(`voter ${voter}: its block at ${off} is held by ${pool.ownerOf(off, len)}`);
      entries += len;
      slots += EntryPool.capacityFor(len);
      const blocks = pool.blocksFor(len);
      const seen = new Set<number>();
      for (let k = off; k < off + len; k++) {
        const id = blocks.candidate(k);
        if (seen.has(id)) problems.push(`voter ${voter} votes twice for id ${id}`);
        seen.add(id);
        const c = blocks.contribution(k);
        if (c !== contributionOf(this.vSlots.power(v), blocks.share(k))) problems.push(`voter ${voter}: stale contribution`);
        sum[id] = sum[id]! + c;
        refs[id] = refs[id]! + 1;
      }
    }
    if (entries !== this.entryCount) problems.push(`${this.entryCount} entries counted but ${entries} stored`);
    if (pool.blocksInUse !== this.voterIndex.size || pool.slotsInUse !== slots) {
      problems.push(`entry pool holds ${pool.blocksInUse} blocks / ${pool.slotsInUse} slots for ${this.voterIndex.size} votes / ${slots} slots`);
    }
    const stateCount = [0, 0, 0, 0, 0];
    const seqs = new Set<bigint>();
    for (const [address, id] of this.candIndex.entryList()) {
      if (this.cAddr[id] !== address) problems.push(`candidate id ${id} holds ${this.cAddr[id]} not ${address}`);
      // A lazily restored engine's tallies also count the voters not in memory.
      if (this.lazy ? this.cTally[id]! < sum[id]! : this.cTally[id] !== sum[id]) {
        problems.push(`tally of ${address} is ${this.cTally[id]} but contributions in memory sum to ${sum[id]}`);
      }
      if (this.cRefs[id] !== refs[id]) problems.push(`refs of ${address} are ${this.cRefs[id]} but ${refs[id]} entries`);
      const st = this.cState[id]!;
      stateCount[st]!++;
      if (st === S_NONE && refs[id] === 0 && this.cTally[id] === 0n) problems.push(`${address} has no support, no vote entry and is not eligible but kept`);
      const seated = st === S_MEMBER || st === S_TARGETED;
      const s = this.cSeq[id]!;
      if (seated) {
        if (s <= 0n || s > this.lastSeq) problems.push(`member ${address} has sequence ${s} (last ${this.lastSeq})`);
        if (seqs.has(s)) problems.push(`sequence ${s} used twice`);
        seqs.add(s);
      } else if (s !== 0n) problems.push(`non-member ${address} keeps sequence ${s}`);
      if ((st === S_QUEUED) !== this.queueByChallenger.has(id)) problems.push(`${address}: queued state and queue disagree`);
      if ((st === S_TARGETED) !== this.queueByTarget.has(id)) problems.push(`${address}: targeted state and queue disagree`);
    }
    if (this.candIndex.size + this.freeCands.length !== ids) problems.push(`${this.candIndex.size} live and ${this.freeCands.length} free ids but ${ids} slots`);
    for (const a of [this.cTally, this.cKey, this.cKeyF, this.cStale, this.cRefs, this.cState, this.cAccH, this.cAccI, this.cSeq, this.dW0, this.dW1, this.dW2, this.dMark, this.cSeen, this.forest.left, this.forest.right, this.forest.height]) {
      if (a.length !== ids) problems.push(`a per-candidate array has ${a.length} slots, not ${ids}`);
    }
    const listed = new Set(this.stale);
    if (listed.size !== this.stale.length) problems.push("an id is listed twice for re-positioning");
    if (this.dTouched.length > 0 || this.dFolded.size > 0) problems.push("tally deltas left pending");
    for (let id = 0; id < ids; id++) {
      if (this.dW0[id] !== 0 || this.dW1[id] !== 0 || this.dW2[id] !== 0) problems.push(`a pending delta left for id ${id}`);
      if ((this.cStale[id] === 1) !== listed.has(id)) problems.push(`id ${id}: re-positioning flag and list disagree`);
      if (this.cKeyF[id] !== Number(this.cKey[id])) problems.push(`id ${id}: numeric key ${this.cKeyF[id]} for key ${this.cKey[id]}`);
      if (this.cStale[id] === 1 ? this.cState[id] === S_NONE : this.cKey[id] !== this.cTally[id]) {
        problems.push(`id ${id}: tree key ${this.cKey[id]} for tally ${this.cTally[id]} in state ${this.cState[id]}`);
      }
    }
    for (const id of this.freeCands) {
      if (this.candIndex.get(this.cAddr[id]!) === id) problems.push(`free id ${id} still indexed`);
      if (this.cTally[id] !== 0n || sum[id] !== 0n) problems.push(`free id ${id} has a tally`);
    }
    const trees: [AvlTree, number, string][] = [
      [this.challengers, S_CHALLENGER, "challengers"],
      [this.queuedChallengers, S_QUEUED, "queuedChallengers"],
      [this.members, S_MEMBER, "members"],
      [this.targetedMembers, S_TARGETED, "targetedMembers"],
    ];
    for (const [tree, st, name] of trees) {
      const p = tree.check();
      if (p !== null) problems.push(`${name}: ${p}`);
      if (tree.size !== stateCount[st]) problems.push(`${name} has ${tree.size} nodes but ${stateCount[st]} ids in that state`);
      for (const id of tree.ascending()) if (this.cState[id] !== st) problems.push(`${name} holds id ${id} in state ${this.cState[id]}`);
    }
    if (this.queueByChallenger.size !== this.queue.length || this.queueByTarget.size !== this.queue.length) {
      problems.push("queue maps and queue differ in size");
    }
    for (let i = 0; i < this.queue.length; i++) {
      const q = this.queue[i]!;
      if (this.queueByChallenger.get(q.challenger) !== q || this.queueByTarget.get(q.target) !== q) problems.push(`queue entry ${i} not indexed`);
      if (this.cState[q.challenger] !== S_QUEUED) problems.push(`queue entry ${i}: challenger not an eligible non-member`);
      if (this.cState[q.target] !== S_TARGETED) problems.push(`queue entry ${i}: target not a member`);
      if (i > 0 && compareEntries(this.queue[i - 1]!, q, this.cAddr) >= 0) problems.push(`queue entry ${i} out of order`);
    }
    return problems;
  }

  // ---------------------------------------------------------------------------------------------
  // Internals

  private treeOf(st: number): AvlTree | null {
    switch (st) {
      case S_CHALLENGER:
        return this.challengers;
      case S_QUEUED:
        return this.queuedChallengers;
      case S_MEMBER:
        return this.members;
      case S_TARGETED:
        return this.targetedMembers;
      default:
        return null;
    }
  }

  /**
   * Re-positions the ids whose tally moved since the order was last read (once each, whatever the
   * number of votes that moved it). Called first by everything that reads or changes the trees.
   * A tree in which many ids moved is rebuilt instead: its ids in their old order, sorted by the
   * new keys (the old order is nearly sorted, which the sort exploits), then built balanced.
   * PERF: per tree of n ids with k moved, O(k · log n), or O(n log n) (about O(n) on nearly
   * sorted input) when k ≥ n / 8.
   */
  private settleKeys(): void {
    const stale = this.stale;
    if (stale.length === 0) return;
    const moved: number[][] = [[], [], [], [], []];
    for (let i = 0; i < stale.length; i++) {
      const id = stale[i]!;
      if (this.cKey[id] === this.cTally[id]) this.cStale[id] = 0;
      else moved[this.cState[id]!]!.push(id);
    }
    stale.length = 0;
    for (let st = S_CHALLENGER; st <= S_TARGETED; st++) {
      const ids = moved[st]!;
      if (ids.length === 0) continue;
      // Only ids in a tree are listed, and an id leaves its tree only after a settleKeys.
      const tree = this.treeOf(st)!;
      if (!(this.rebuildTrees ?? ids.length * 8 >= tree.size)) {
        for (const id of ids) {
          tree.remove(id);
          this.setKey(id, this.cTally[id]!);
          this.cStale[id] = 0;
          tree.insert(id);
        }
        continue;
      }
      const best = st === S_CHALLENGER || st === S_QUEUED;
      const cmp = best ? this.bestFirst : this.kickFirst;
      for (const id of ids) {
        this.setKey(id, this.cTally[id]!);
        this.cStale[id] = 0;
      }
      // Many ids moved: one sort of the whole tree beats removing and inserting each.
      const all: number[] = [];
      tree.appendAscending(all);
      sortIds(all, this.cKeyF, best, cmp);
      tree.rebuild(all);
    }
  }

  /** Sets the tree key of `id` (and its numeric twin, see `cKeyF`). */
  private setKey(id: number, key: bigint): void {
    this.cKey[id] = key;
    this.cKeyF[id] = Number(key);
  }

  private intern(address: string): number {
    const known = this.candIndex.get(address);
    if (known !== undefined) return known;
    let id = this.freeCands.pop();
    if (id === undefined) {
      id = this.cAddr.length;
      this.cAddr.push(address);
      this.cTally.push(0n);
      this.cKey.push(0n);
      this.cKeyF.push(0);
      this.cStale.push(0);
      this.cRefs.push(0);
      this.cState.push(S_NONE);
      this.cAccH.push(0n);
      this.cAccI.push(0);
      this.cSeq.push(0n);
      this.dW0.push(0);
      this.dW1.push(0);
      this.dW2.push(0);
      this.dMark.push(0);
      this.cSeen.push(0);
      this.forest.ensure(id);
    } else {
      this.cAddr[id] = address;
    }
    this.candIndex.set(address, id);
    return id;
  }

  /**
   * Forgets an id that has no support, no eligibility and no vote entry pointing at it. (In an
   * engine holding every voter no entry means no support; in a lazily restored one the tally may
   * also count voters not in memory, so it is checked too.)
   */
  private maybeFree(id: number): void {
    if (this.cRefs[id] !== 0 || this.cState[id] !== S_NONE || this.cTally[id] !== 0n) return;
    this.candIndex.delete(this.cAddr[id]!);
    this.cAddr[id] = "";
    this.cTally[id] = 0n;
    this.setKey(id, 0n);
    this.freeCands.push(id);
  }

  /**
   * Renumbers the candidate ids when most are free: a vote naming many addresses nobody else
   * names grows every per-id array, and without this they would keep their peak size after the
   * vote changes (5,000 votes of 1,024 fresh addresses kept ~770 MB that a restore did not).
   * Called between operations only (no id is held in a local then).
   * PERF: O(ids + stored entries), run only when free ids > max(live ids, entries / 8, floor), so
   * at most 10 steps per id freed since the last run: O(1) amortized per vote entry written.
   */
  private maybeCompactIds(): void {
    const free = this.freeCands.length;
    if (free > this.idCompactionFloor && free > this.candIndex.size && free * 8 > this.entryCount) this.compactIds();
  }

  /**
   * Gives the live candidate ids the numbers 0 … live − 1 in their current order and shortens
   * every per-id array. Ids are never observable and every ordering has a total tie-break on
   * state, so nothing the engine decides or reports changes.
   */
  private compactIds(): void {
    this.settleKeys();
    const n = this.cAddr.length;
    const map = new Int32Array(n);
    for (const id of this.freeCands) map[id] = NIL;
    let live = 0;
    for (let id = 0; id < n; id++) if (map[id] !== NIL) map[id] = live++;
    const re = (x: number): number => (x === NIL ? NIL : map[x]!);
    const { left, right, height } = this.forest;
    // map[id] ≤ id and ids go up, so each write lands on a slot already read.
    for (let id = 0; id < n; id++) {
      const to = map[id]!;
      if (to === NIL) continue;
      this.cAddr[to] = this.cAddr[id]!;
      this.cTally[to] = this.cTally[id]!;
      this.cKey[to] = this.cKey[id]!;
      this.cKeyF[to] = this.cKeyF[id]!;
      this.cStale[to] = 0;
      this.cRefs[to] = this.cRefs[id]!;
      this.cState[to] = this.cState[id]!;
      this.cAccH[to] = this.cAccH[id]!;
      this.cAccI[to] = this.cAccI[id]!;
      this.cSeq[to] = this.cSeq[id]!;
      left[to] = re(left[id]!);
      right[to] = re(right[id]!);
      height[to] = height[id]!;
    }
    for (const a of [this.cAddr, this.cTally, this.cKey, this.cKeyF, this.cStale, this.cRefs, this.cState, this.cAccH, this.cAccI, this.cSeq, left, right, height]) a.length = live;
    for (const a of [this.dW0, this.dW1, this.dW2, this.dMark, this.cSeen]) a.length = 0;
    for (let id = 0; id < live; id++) {
      this.dW0.push(0);
      this.dW1.push(0);
      this.dW2.push(0);
      this.dMark.push(0);
      this.cSeen.push(0);
    }
    this.dTouched.length = 0;
    this.freeCands.length = 0;
    for (const tree of [this.challengers, this.queuedChallengers, this.members, this.targetedMembers]) tree.root = re(tree.root);
    // Values only change (no key is added or removed), so the layout does not move under forEach.
    this.candIndex.forEach((address, id) => this.candIndex.set(address, map[id]!));
    for (let v = 0; v < this.vAddr.length; v++) {
      const len = this.vSlots.len(v);
      const blocks = this.pool.blocksFor(len);
      const off = this.vSlots.off(v);
      for (let k = off; k < off + len; k++) blocks.setCandidate(k, map[blocks.candidate(k)]!);
    }
    const entries = this.queue.map((e) => ({ challenger: map[e.challenger]!, target: map[e.target]!, maturesAt: e.maturesAt }));
    this.queue.length = 0;
    this.queueByChallenger.clear();
    this.queueByTarget.clear();
    for (const e of entries) {
      this.queue.push(e);
      this.queueByChallenger.set(e.challenger, e);
      this.queueByTarget.set(e.target, e);
    }
  }

  /**
   * The voter's slot; a lazily restored engine first takes the voter in from its loader if it is
   * not in memory. Undefined when the voter has no vote.
   */
  private voterSlot(voter: string): number | undefined {
    const v = this.voterIndex.get(voter);
    if (v !== undefined || !this.lazy) return v;
    const loader = this.loader;
    if (loader === undefined) throw new Error(`electionator: voter ${voter} is not in memory and no loader is bound`);
    return this.load(voter, loader);
  }

  /** Reads a voter not in memory through `loader` and takes it in; undefined when it has no vote. */
  private load(voter: string, loader: VoterLoader): number | undefined {
    const r = loader(voter);
    if (r === undefined || r.entries.length === 0) return undefined;
    if (r.voter !== voter) fail(ElectionError.InconsistentState, `the record loaded for ${voter} is ${r.voter}'s`);
    return this.takeIn(r);
  }

  /**
   * Takes a stored record of a voter not in memory in, without touching the tallies (they count
   * it already). Checks it first (valid vote and power, exact contributions, each no larger than
   * its candidate's tally), so a failed check changes nothing.
   */
  private takeIn(r: VoterRecord): number {
    const ids = this.loadIds;
    try {
      this.checkVote(r.voter, r.entries, MAX_VOTE_ENTRIES_LIMIT, ids, this.loadWords);
    } catch (err) {
      if (!(err instanceof ElectionInputError)) throw err;
      fail(ElectionError.InconsistentState, `stored ${err.message}`);
    }
    if (validatePower(r.power) !== ElectionError.None) fail(ElectionError.InconsistentState, `stored power ${r.power} of ${r.voter}`);
    const n = r.entries.length;
    const contributions = this.contributions;
    contributions.setPower(r.power);
    for (let i = 0; i < n; i++) {
      const e = r.entries[i]!;
      const id = ids[i]!;
      if (e.contribution !== contributions.of(e.share) || e.contribution > (id === NIL ? 0n : this.cTally[id]!)) {
        fail(ElectionError.ContributionMismatch, `stored vote of ${r.voter}, candidate ${e.candidate}`);
      }
    }
    const v = this.newVoter(r.voter);
    this.vSlots.setOff(v, this.pool.alloc(n, v));
    this.vSlots.setLen(v, n);
    this.vSlots.setPower(v, r.power);
    this.entryCount += n;
    const blocks = this.pool.blocksFor(n);
    const off = this.vSlots.off(v);
    for (let i = 0; i < n; i++) {
      const e = r.entries[i]!;
      const known = ids[i]!;
      const id = known === NIL ? this.intern(e.candidate) : known;
      this.cRefs[id]!++;
      const k = off + i;
      blocks.setCandidate(k, id);
      blocks.setShare(k, e.share);
      blocks.setContribution(k, e.contribution);
    }
    return v;
  }

  private newVoter(voter: string): number {
    const v = this.vSlots.push();
    this.vAddr.push(voter);
    this.voterIndex.set(voter, v);
    return v;
  }

  /** Frees voter `v`'s entry block; the voter whose block moved into its place learns its new offset. */
  private releaseBlock(v: number): void {
    const off = this.vSlots.off(v);
    const moved = this.pool.release(off, this.vSlots.len(v));
    if (moved !== NO_OWNER) this.vSlots.setOff(moved, off);
  }

  /** Forgets voter `v` (its contributions already taken out); the last voter slot moves into `v`. */
  private dropVoter(v: number): void {
    this.releaseBlock(v);
    this.entryCount -= this.vSlots.len(v);
    this.voterIndex.delete(this.vAddr[v]!);
    const last = this.vAddr.length - 1;
    if (v !== last) {
      const address = this.vAddr[last]!;
      this.vAddr[v] = address;
      this.vSlots.copy(last, v);
      this.voterIndex.set(address, v);
      this.pool.setOwner(this.vSlots.off(v), this.vSlots.len(v), v);
    }
    this.vAddr.pop();
    this.vSlots.pop();
  }

  /** Takes the voter's stored contributions out (as deltas) and releases its references. */
  private unapply(v: number): void {
    const blocks = this.pool.blocksFor(this.vSlots.len(v));
    const off = this.vSlots.off(v);
    const end = off + this.vSlots.len(v);
    for (let k = off; k < end; k++) {
      const id = blocks.candidate(k);
      this.subWords(blocks, k, id);
      this.cRefs[id]!--;
    }
    this.dWords += end - off;
  }

  private recordOf(v: number): VoterRecord {
    const off = this.vSlots.off(v);
    const n = this.vSlots.len(v);
    const blocks = this.pool.blocksFor(n);
    const entries: StoredVoteEntry[] = new Array<StoredVoteEntry>(n);
    for (let i = 0; i < n; i++) {
      const k = off + i;
      entries[i] = { candidate: this.cAddr[blocks.candidate(k)]!, share: blocks.share(k), contribution: blocks.contribution(k) };
    }
    return { voter: this.vAddr[v]!, power: this.vSlots.power(v), entries };
  }

  /** Adds the stored contribution of slot `k` to candidate `id`'s pending delta. */
  private addWords(blocks: EntryBlocks, k: number, id: number): void {
    if (this.dMark[id] !== this.dEpoch) {
      this.dMark[id] = this.dEpoch;
      this.dTouched.push(id);
    }
    this.dW0[id] = this.dW0[id]! + blocks.contributionWord0(k);
    this.dW1[id] = this.dW1[id]! + blocks.contributionWord1(k);
    this.dW2[id] = this.dW2[id]! + blocks.contributionWord2(k);
  }

  /** Subtracts the stored contribution of slot `k` from candidate `id`'s pending delta. */
  private subWords(blocks: EntryBlocks, k: number, id: number): void {
    if (this.dMark[id] !== this.dEpoch) {
      this.dMark[id] = this.dEpoch;
      this.dTouched.push(id);
    }
    this.dW0[id] = this.dW0[id]! - blocks.contributionWord0(k);
    this.dW1[id] = this.dW1[id]! - blocks.contributionWord1(k);
    this.dW2[id] = this.dW2[id]! - blocks.contributionWord2(k);
  }

  /** Candidate `id`'s pending delta as a bigint; its word sums are zeroed. */
  private takeWords(id: number): bigint {
    const a = this.dW0[id]!;
    const b = this.dW1[id]!;
    const c = this.dW2[id]!;
    this.dW0[id] = 0;
    this.dW1[id] = 0;
    this.dW2[id] = 0;
    // PERF: one conversion when a + b·2^32 is exact in a double: |a| ≤ 2^52 and |b| < 2^20 keep
    // every term and the sum below 2^53 (the usual case: a block's delta under 2^52).
    const d =
      c === 0 && a <= TWO52 && a >= -TWO52 && b < TWO20 && b > -TWO20
        ? BigInt(a + b * TWO32)
        : BigInt(a) + (BigInt(b) << 32n) + (BigInt(c) << 64n);
    const folded = this.dFolded.get(id);
    return folded === undefined ? d : d + folded;
  }

  /**
   * Called before a call sums up to 2 · MAX_VOTE_ENTRIES_LIMIT more entries: past 2^20 entries
   * since the sums were last emptied, they are folded into `dFolded`, so no sum ever takes 2^21
   * words. (Only a block of over a million staged entries gets here.)
   */
  private makeRoomForWords(): void {
    if (this.dWords < this.foldWordsAfter || this.dWords === 0) return;
    for (const id of this.dTouched) {
      const d = this.takeWords(id);
      if (d === 0n) this.dFolded.delete(id);
      else this.dFolded.set(id, d);
    }
    this.dWords = 0;
  }

  /** Applies staged deltas (the candidates moved are kept for commitStaged). Run first by every other call. */
  private flushStaged(): void {
    if (!this.staged) return;
    this.staged = false;
    for (const c of this.applyDelta([])) this.stagedMoved.add(c.candidate);
  }

  /**
   * Applies the pending deltas (one re-position per candidate), appends the changes to `out`,
   * frees unreferenced ids and empties the pending set. Returns `out`.
   */
  private applyDelta(out: TallyChange[]): TallyChange[] {
    const touched = this.dTouched;
    for (let i = 0; i < touched.length; i++) {
      const id = touched[i]!;
      const d = this.takeWords(id);
      if (d === 0n) continue;
      const t = this.cTally[id]! + d;
      this.cTally[id] = t;
      if (this.cState[id] === S_NONE) this.setKey(id, t);
      else if (this.cStale[id] === 0) {
        this.cStale[id] = 1;
        this.stale.push(id);
      }
      out.push({ candidate: this.cAddr[id]!, tally: t });
    }
    this.dFolded.clear();
    this.dWords = 0;
    for (let i = 0; i < touched.length; i++) this.maybeFree(touched[i]!);
    touched.length = 0;
    this.dEpoch++;
    this.maybeCompactIds();
    return out;
  }

  private bestChallengerId(): number {
    const a = this.challengers.first();
    const b = this.queuedChallengers.first();
    if (a === NIL) return b;
    if (b === NIL) return a;
    return this.bestFirst(a, b) < 0 ? a : b;
  }

  private lowestMemberId(): number {
    const a = this.members.first();
    const b = this.targetedMembers.first();
    if (a === NIL) return b;
    if (b === NIL) return a;
    return this.kickFirst(a, b) < 0 ? a : b;
  }

  /** Seats an unqueued challenger with the next sequence number. */
  private admit(id: number, out: Decision[]): void {
    this.challengers.remove(id);
    const sequence = ++this.lastSeq;
    this.cSeq[id] = sequence;
    this.cState[id] = S_MEMBER;
    this.members.insert(id);
    out.push({ kind: DecisionKind.Admitted, address: this.cAddr[id]!, sequence, tally: this.cTally[id]! });
  }

  /** Takes a member's seat; it stays eligible as an unqueued challenger. Drops an entry targeting it. */
  private unseat(id: number, reason: KickReason, by: string | null, out: Decision[]): void {
    const st = this.cState[id]!;
    const entry = st === S_TARGETED ? this.queueByTarget.get(id)! : undefined;
    (st === S_TARGETED ? this.targetedMembers : this.members).remove(id);
    out.push({
      kind: DecisionKind.Kicked,
      address: this.cAddr[id]!,
      sequence: this.cSeq[id]!,
      tally: this.cTally[id]!,
      by,
      reason,
    });
    this.cSeq[id] = 0n;
    this.cState[id] = S_CHALLENGER;
    this.challengers.insert(id);
    if (entry !== undefined) this.dropEntry(entry, DropReason.TargetNotMember, out);
  }

  private enqueue(c: number, u: number, maturesAt: bigint, out: Decision[]): void {
    this.challengers.remove(c);
    this.cState[c] = S_QUEUED;
    this.queuedChallengers.insert(c);
    this.members.remove(u);
    this.cState[u] = S_TARGETED;
    this.targetedMembers.insert(u);
    const e: QEntry = { challenger: c, target: u, maturesAt };
    let i = this.queue.length;
    while (i > 0 && compareEntries(this.queue[i - 1]!, e, this.cAddr) > 0) i--;
    this.queue.splice(i, 0, e);
    this.queueByChallenger.set(c, e);
    this.queueByTarget.set(u, e);
    out.push({ kind: DecisionKind.Queued, challenger: this.cAddr[c]!, replaces: this.cAddr[u]!, maturesAt });
  }

  /**
   * Removes an entry from the queue and its indexes. The challenger goes back to the unqueued
   * challengers; the target, if still targeted, back to the untargeted members.
   */
  private detachEntry(e: QEntry): void {
    const i = this.queue.indexOf(e);
    if (i >= 0) this.queue.splice(i, 1);
    this.queueByChallenger.delete(e.challenger);
    this.queueByTarget.delete(e.target);
    if (this.cState[e.challenger] === S_QUEUED) {
      this.queuedChallengers.remove(e.challenger);
      this.cState[e.challenger] = S_CHALLENGER;
      this.challengers.insert(e.challenger);
    }
    if (this.cState[e.target] === S_TARGETED) {
      this.targetedMembers.remove(e.target);
      this.cState[e.target] = S_MEMBER;
      this.members.insert(e.target);
    }
  }

  private dropEntry(e: QEntry, reason: DropReason, out: Decision[]): void {
    this.detachEntry(e);
    out.push(this.droppedDecision(e, reason));
  }

  private droppedDecision(e: QEntry, reason: DropReason): Decision {
    return {
      kind: DecisionKind.QueueDropped,
      challenger: this.cAddr[e.challenger]!,
      replaces: this.cAddr[e.target]!,
      maturesAt: e.maturesAt,
      reason,
    };
  }

  private publicEntry(e: QEntry): QueueEntry {
    return { challenger: this.cAddr[e.challenger]!, replaces: this.cAddr[e.target]!, maturesAt: e.maturesAt };
  }

  private memberInfo(id: number): MemberInfo {
    return { address: this.cAddr[id]!, sequence: this.cSeq[id]!, tally: this.cTally[id]! };
  }

  private candidateInfo(id: number): CandidateInfo {
    return { address: this.cAddr[id]!, tally: this.cTally[id]!, acceptance: { height: this.cAccH[id]!, index: this.cAccI[id]! } };
  }

  private loadHeader(h: ElectionHeader): void {
    const bad = (detail: string): never => fail(ElectionError.InconsistentState, detail);
    if (h.lastSequence < 0n) bad(`lastSequence ${h.lastSequence}`);
    this.lastSeq = h.lastSequence;
    for (const { address, acceptance } of h.eligible) {
      if (this.isEligible(address)) bad(`${address} listed twice as eligible`);
      this.markEligible(address, acceptance);
    }
    const seqs = new Set<bigint>();
    for (const { address, sequence } of h.members) {
      const id = this.candIndex.get(address);
      if (id === undefined || this.cState[id] !== S_CHALLENGER) bad(`member ${address} is not eligible or listed twice`);
      if (sequence <= 0n || sequence > h.lastSequence || seqs.has(sequence)) bad(`member ${address} has sequence ${sequence}`);
      seqs.add(sequence);
      this.cState[id!] = S_MEMBER;
      this.cSeq[id!] = sequence;
    }
    for (const q of h.queue) {
      const c = this.candIndex.get(q.challenger);
      const t = this.candIndex.get(q.replaces);
      if (c === undefined || this.cState[c] !== S_CHALLENGER) bad(`queue challenger ${q.challenger} is not an eligible non-member or is queued twice`);
      if (t === undefined || this.cState[t] !== S_MEMBER) bad(`queue target ${q.replaces} is not a member or is targeted twice`);
      this.cState[c!] = S_QUEUED;
      this.cState[t!] = S_TARGETED;
      const e: QEntry = { challenger: c!, target: t!, maturesAt: q.maturesAt };
      this.queue.push(e);
      this.queueByChallenger.set(c!, e);
      this.queueByTarget.set(t!, e);
    }
    this.queue.sort((a, b) => compareEntries(a, b, this.cAddr));
  }

  private loadVoter(r: VoterRecord, verify: boolean): void {
    if (r.voter.length === 0) fail(ElectionError.EmptyVoter, "voter address is empty");
    if (this.voterIndex.has(r.voter)) fail(ElectionError.InconsistentState, `voter ${r.voter} listed twice`);
    const verr = validateVote(r.entries, MAX_VOTE_ENTRIES_LIMIT);
    if (verr !== ElectionError.None) fail(verr, `stored vote of ${r.voter}`);
    if (validatePower(r.power) !== ElectionError.None) fail(ElectionError.PowerOutOfRange, `stored power of ${r.voter}`);
    const n = r.entries.length;
    if (n === 0) return;
    const v = this.newVoter(r.voter);
    const off = this.pool.alloc(n, v);
    this.vSlots.setOff(v, off);
    this.vSlots.setLen(v, n);
    this.vSlots.setPower(v, r.power);
    this.entryCount += n;
    const pool = this.pool.blocksFor(n);
    const contributions = this.contributions;
    contributions.setPower(r.power);
    for (let i = 0; i < n; i++) {
      const e = r.entries[i]!;
      if (verify) {
        if (e.contribution !== contributions.of(e.share)) fail(ElectionError.ContributionMismatch, `voter ${r.voter}, candidate ${e.candidate}`);
      } else if (e.contribution < 0n || e.contribution > r.power) {
        fail(ElectionError.ContributionMismatch, `voter ${r.voter}, candidate ${e.candidate}`);
      }
      const id = this.intern(e.candidate);
      this.cRefs[id]!++;
      const k = off + i;
      pool.setCandidate(k, id);
      pool.setShare(k, e.share);
      pool.setContribution(k, e.contribution);
      this.cTally[id] = this.cTally[id]! + e.contribution;
    }
  }

  private buildTrees(): void {
    // Any insertion order gives the same order (the comparators are total); only shapes differ.
    this.candIndex.forEach((_address, id) => {
      this.setKey(id, this.cTally[id]!);
      const tree = this.treeOf(this.cState[id]!);
      if (tree !== null) tree.insert(id);
    });
  }
}

let sortKeys = new BigUint64Array(0);
let sortWords = new Uint32Array(0);

/**
 * Sorts `ids` by `cmp`, a total order whose first key is `approx` (`cKeyF`: tallies, so
 * non-negative), larger first when `desc`. PERF: `Array.prototype.sort` called `cmp` for every
 * comparison, about a millisecond per block of 1,000 votes. Here each id becomes one unsigned
 * 64-bit word, the high bits of its number's bit pattern (which orders non-negative numbers as
 * their values) above the id, and the words are sorted natively; ids whose kept bits are equal are
 * then put in `cmp`'s order among themselves. Truncating a number keeps its order (not strictly),
 * so the result is `cmp`'s order, which, being total, is the same whatever sort produced it.
 */
export function sortIds(ids: number[], approx: readonly number[], desc: boolean, cmp: (a: number, b: number) => number): void {
  const n = ids.length;
  if (n < 2) return;
  // Every id indexes `approx`, so ids are below its length.
  let idBits = 1;
  while (idBits < 31 && 2 ** idBits < approx.length) idBits++;
  const idMask = 2 ** idBits - 1;
  if (sortKeys.length < n) {
    sortKeys = new BigUint64Array(Math.max(n, 2 * sortKeys.length));
    sortWords = new Uint32Array(sortKeys.buffer);
  }
  const words = sortWords;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    const x = approx[id]!;
    if (!(x >= 0)) {
      // Not a tally (negative or NaN): the bit patterns would not keep the order.
      ids.sort(cmp);
      return;
    }
    F64[0] = x;
    words[2 * i + HI_WORD] = U64_WORDS[HI_WORD]!;
    // (x >>> b) * 2^b clears the low b bits of a 32-bit word exactly (b ≤ 31), unlike `<<`.
    words[2 * i + LO_WORD] = ((U64_WORDS[LO_WORD]! >>> idBits) * 2 ** idBits + id) >>> 0;
  }
  sortKeys.subarray(0, n).sort();
  let group: number[] | undefined;
  let out = 0;
  for (let r = 0; r < n; r++) {
    const i = desc ? n - 1 - r : r;
    const id = words[2 * i + LO_WORD]! & idMask;
    const next = desc ? i - 1 : i + 1;
    const tied =
      r + 1 < n &&
      words[2 * next + HI_WORD] === words[2 * i + HI_WORD] &&
      words[2 * next + LO_WORD]! >>> idBits === words[2 * i + LO_WORD]! >>> idBits;
    if (tied || group !== undefined) {
      (group ??= []).push(id);
      if (!tied) {
        group.sort(cmp);
        for (const g of group) ids[out++] = g;
        group = undefined;
      }
    } else ids[out++] = id;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEntries(a: QEntry, b: QEntry, addr: readonly string[]): number {
  if (a.maturesAt !== b.maturesAt) return a.maturesAt < b.maturesAt ? -1 : 1;
  return compareStrings(addr[a.challenger]!, addr[b.challenger]!);
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

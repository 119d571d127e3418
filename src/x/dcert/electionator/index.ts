/**
 * The dCERT election engine (ADR 008 "Continuous Voting Electionator"; docs/design.md §5).
 *
 * Pure code: no store, no I/O, no clock, no rounding (doubles only where exact). Amounts are bigint; shares are 18-decimal
 * fixed point (ONE = 10^18). The dCERT keeper owns persistence and drives the engine, only from
 * the module's EndBlock (src/x/dcert/keeper/abci.ts `runElection`); transactions and hooks just record
 * inputs for it:
 *
 *   MsgVote             → validateVote(entries, params.max_vote_entries) at the tx; the vote is
 *                         stored as pending and EndBlock calls engine.castVote(voter, bondedStake,
 *                         entries)
 *   staking hooks       → the voter is marked; EndBlock calls engine.setVoterPower(voter, stake)
 *   eligibility inputs  → (accept, leave, bond or unbond, suspend, slash, reinstate, disband,
 *                         re-establish, params) the address is marked; EndBlock re-evaluates it and
 *                         calls engine.markEligible(addr, acceptance) / engine.markIneligible(addr,
 *                         reason), whose decisions it applies
 *   params change       → EndBlock calls engine.setParams(...) when the election fields changed
 *   seat rules          → engine.endBlock(height) → decisions, applied in order
 *
 * Persistence (the dCERT keeper's; the layout is declared in src/x/dcert/keys.ts, store "dcert/").
 * Only the module's EndBlock writes the election records, from the engine's results; the keeper
 * rebuilds the engine from them (src/x/dcert/keeper/election.ts) at start and whenever the engine
 * does not reflect the committed height, with `Electionator.restoreFromTallies(header, tallies)`:
 * from the tallies, eligibility, members, queue and meta, reading a voter's record only when
 * EndBlock first changes that voter (the loader, bound per EndBlock). `Electionator.restore(header,
 * voters)` rebuilds from every vote instead (tests, tools):
 *
 *   engine state                     record (key → value)                         written from
 *   ------------------------------   ------------------------------------------   ---------------------------------
 *   a voter's counted vote           0x10 | lp(voter) → VoterRecord {power,       VoteUpdate.record (null → delete)
 *     (VoterRecord)                    entries[{candidate, share, contribution}]}
 *   eligible + acceptance order      0x22 | lp(addr) → Acceptance {height, index}  markEligible / markIneligible
 *     (ElectionHeader.eligible)
 *   members (ElectionHeader.members) 0x30 | lp(addr) → Member {sequence}           Admitted, Kicked, Swapped
 *   queue (ElectionHeader.queue)     0x31 | lp(challenger) → QueueEntry            Queued, QueueDropped, Swapped
 *                                      {replaces, maturesAt}
 *   lastSequence + engine params     0x03 → ElectionMeta {lastSequence,            end of every EndBlock that
 *                                      maxMembers, stabilizationPeriod,            changed them
 *                                      maxVoteEntries}
 *   tallies                          0x13 | lp(addr) → tally, only when > 0;       the engine's tallyOf; read by
 *                                                                                  restoreFromTallies
 *   rank (derived, for queries)      0x23 | rank key → empty: eligible             the engine's tallyOf and
 *                                      non-members, best first                     acceptanceOf
 *
 * (lp = one-byte length prefix + address bytes.) The keeper's inputs are separate records:
 * pending votes (0x11) and stake-change markers (0x12) that EndBlock feeds to castVote and
 * setVoterPower, standing acceptances (0x20) and dirty-candidate markers (0x21) from which it
 * decides eligibility, and the dCERT params (0x01), whose election fields it passes to setParams.
 *
 * Rebuilding gives an identical engine whatever order the records are read in: tallies are sums,
 * every ordering has a total tie-break on state (tally, acceptance, sequence, address), and the
 * internal integer ids are never observable. Restore verifies each stored contribution equals
 * floor(power · share / ONE) by default; a lazily loaded record is always verified (and each
 * contribution must not exceed its candidate's tally).
 *
 * Files: types.ts (codes, records), vote.ts (pure validation and arithmetic), engine.ts (the
 * incremental engine), avl.ts (balanced ordered index), entry-pool.ts (compact entry storage),
 * string-index.ts (the address → id indexes), voter-slots.ts (per-voter offset, length, power),
 * reference.ts (a naive model of the same rules, for property tests).
 */
export * from "./types";
export {
  compareAcceptance,
  contributionOf,
  formatDecimal,
  parseDecimal,
  validateAcceptance,
  validateParams,
  validatePower,
  validateVote,
} from "./vote";
export { Electionator, type ElectionatorOptions, type EngineStats, type RestoreOptions, type VoterLoader } from "./engine";
export { ReferenceElection } from "./reference";

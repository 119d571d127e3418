/**
 * The dCERT election engine (ADR 008 "Continuous Voting Electionator"; DESIGN.md §5).
 *
 * Pure code: no store, no I/O, no clock, no floats. Amounts are bigint; shares are 18-decimal
 * fixed point (ONE = 10^18). The dCERT keeper owns persistence and drives the engine:
 *
 *   tx MsgVote           → validateVote(entries, params.max_vote_entries) (map the code to a
 *                          registered error), then engine.castVote(voter, bondedStake, entries)
 *   staking hooks        → engine.setVoterPower(delegator, newBondedStake)
 *   eligibility changes  → engine.markEligible(addr, acceptance) / engine.markIneligible(addr, reason)
 *                          (accept, leave, bond crossing min_member_bond, suspend, reinstate,
 *                          disband, re-establish); returned decisions apply at once
 *   params change        → engine.setParams(...)
 *   EndBlock             → engine.endBlock(height) → decisions, applied in order
 *
 * Persistence mapping (intended KV layout; the keeper writes these as it applies the results
 * above, and on restart streams them back into `Electionator.restore(header, voters)`):
 *
 *   engine state                      KV record (key → value)                     written when
 *   ------------------------------    -----------------------------------------   ---------------------------------------
 *   voter's vote (VoterRecord)        votes/<voter> → {power, entries[{candidate,   castVote / clearVote / setVoterPower:
 *                                     share, contribution}]}                      VoteUpdate.record (null → delete)
 *   eligible + acceptance order       candidates/<addr> → {acceptance{height,      keeper's own eligibility inputs; the
 *     (ElectionHeader.eligible)       index}, eligible, …keeper fields}           keeper decides what "eligible" means
 *   members (ElectionHeader.members)  members/<addr> → {sequence}                  Admitted (+), Kicked (−), Swapped (±)
 *   lastSequence                      seq → u64                                   Admitted, Swapped
 *   queue (ElectionHeader.queue)      queue/<maturesAt u64 BE>/<challenger> →      Queued (+), QueueDropped (−),
 *                                     {replaces}                                  Swapped (−)
 *   params                            params → {max_members, stabilization_period,  MsgUpdateParams
 *                                     max_vote_entries, …}
 *   tallies (derived)                 optional tallies/<addr> → bigint, from       VoteUpdate.tallies; never needed for
 *                                     VoteUpdate.tallies, for queries              restore (recomputed from votes)
 *
 * Rebuilding gives an identical engine whatever order the records are read in: tallies are sums,
 * every ordering has a total tie-break on state (tally, acceptance, sequence, address), and the
 * internal integer ids are never observable. Restore verifies each stored contribution equals
 * floor(power · share / ONE) by default.
 *
 * Files: types.ts (codes, records), vote.ts (pure validation and arithmetic), engine.ts (the
 * incremental engine), avl.ts (balanced ordered index), entry-pool.ts (compact entry storage),
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
export { Electionator, type ElectionatorOptions, type EngineStats, type RestoreOptions } from "./engine";
export { ReferenceElection } from "./reference";

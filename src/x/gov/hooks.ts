import type { Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import type { DecodedMsg } from "../../baseapp/router";

/** How a proposal's voting period ended. */
export type ProposalOutcome = "passed" | "rejected" | "vetoed" | "failed";

/** What an end-of-proposal hook may ask of the deposits. */
export interface DepositDisposition {
  /**
   * Coins to burn out of the proposal's deposits instead of refunding them (e.g. the dCERT disband
   * wager of a proposal that did not pass). They are taken from the deposits in deposit order
   * (the proposer's initial deposit first); the rest is refunded. Requests beyond what was
   * deposited burn what there is. Ignored when the deposits are burned anyway (veto with
   * burn_vote_veto, quorum failure with burn_vote_quorum, burn_proposal_deposit_prevote).
   */
  readonly burnFromDeposits?: readonly Coin[];
}

/**
 * Governance hooks (the dCERT module uses them for the disband proposal's wager and the freeze of
 * circuit breaking). All are optional; every registered hook object is called in registration
 * order.
 *
 * - `beforeProposalSubmission` runs inside the submitting tx after the proposal's messages and
 *   initial deposit were validated and before anything is stored; throwing a registered error
 *   rejects the submission (the tx fails with that error).
 * - `afterProposalSubmission`, `afterProposalDeposit`, `afterProposalVote` run inside the tx;
 *   throwing fails the tx.
 * - `afterProposalVotingPeriodEnded` and `afterProposalDropped` run in EndBlock, each in its own
 *   cache branch: if one throws, its writes are dropped, a `gov_hook_error` event is emitted and
 *   the proposal is processed as if the hook had returned nothing (a hook cannot halt the chain).
 *   `msgs` are the proposal's messages (those that still decode).
 */
export interface GovHooks {
  beforeProposalSubmission?(ctx: Context, msgs: readonly DecodedMsg[], initialDeposit: readonly Coin[], proposer: string): void;
  afterProposalSubmission?(ctx: Context, proposalId: bigint, msgs: readonly DecodedMsg[]): void;
  afterProposalDeposit?(ctx: Context, proposalId: bigint, depositor: string, amount: readonly Coin[]): void;
  afterProposalVote?(ctx: Context, proposalId: bigint, voter: string): void;
  /**
   * After the tally and (for a passing proposal) the execution of its messages, before deposits
   * are refunded or burned. `failed` means it passed but a message failed (nothing of the execution
   * was written). Not called when an expedited proposal is converted to a regular one.
   */
  afterProposalVotingPeriodEnded?(
    ctx: Context,
    proposalId: bigint,
    outcome: ProposalOutcome,
    msgs: readonly DecodedMsg[],
  ): DepositDisposition | void;
  /** The deposit period ended without reaching min_deposit; the proposal is deleted after this. */
  afterProposalDropped?(ctx: Context, proposalId: bigint, msgs: readonly DecodedMsg[]): DepositDisposition | void;
}

/** Event types and attributes of x/gov (types/events.go). */
export const GOV_EVENTS = {
  submitProposal: "submit_proposal",
  proposalDeposit: "proposal_deposit",
  proposalVote: "proposal_vote",
  activeProposal: "active_proposal",
  inactiveProposal: "inactive_proposal",
  hookError: "gov_hook_error",
} as const;

export const PROPOSAL_RESULT = {
  dropped: "proposal_dropped",
  passed: "proposal_passed",
  rejected: "proposal_rejected",
  failed: "proposal_failed",
  expeditedRejected: "expedited_proposal_rejected",
} as const;

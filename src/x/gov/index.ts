export * from "./errors";
export type { BondedValidatorInfo, DelegationInfo, StakingForGov } from "./expected";
export type { DepositDisposition, GovHooks, ProposalOutcome } from "./hooks";
export { GovKeeper, GOV_EVENTS, PROPOSAL_RESULT, type GovKeeperDeps, type StoredDeposit, type SubmitProposalInput, type TallyOutcome } from "./keeper";
export { GOV_MODULE, GOV_STORE } from "./keys";
export { govModule, type GovModule } from "./module";
export { MSG_DEPOSIT, MSG_SUBMIT_PROPOSAL, MSG_UPDATE_PARAMS, MSG_VOTE, MSG_VOTE_WEIGHTED } from "./msg_server";
export { defaultGovParams, type GovParams, govParamsFromJson, govParamsToJson, validateGovParams } from "./params";
export { countVotes, decideTally, sharesToPower, type TallyCounts, type TallyDecision, type WeightedOption } from "./tally";

export { consensusVersionOf, UpgradeKeeper, type UpgradeKeeperDeps } from "./keeper";
export { appliedHeight, deleteScheduledPlan, getScheduledPlan, setApplied, setScheduledPlan } from "./store";

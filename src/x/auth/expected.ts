/**
 * Keepers of other modules that x/auth uses (the Cosmos SDK's `expected_keepers.go`): none. Auth
 * is the bottom of the module stack; bank, distribution, staking, gov and dCERT depend on it.
 */
export {};

/**
 * Errors of x/genutil. The module registers no error codes: it runs only at InitChain, and every
 * failure (a malformed `gen_txs` entry, a failing gentx, gentxs that bond no validator) is a
 * GenesisError naming the genesis path. This file re-exports it, so the module's errors are
 * listed in one place.
 */
export { GenesisError } from "../../baseapp/json";

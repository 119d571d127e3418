import { moduleAccountAddress } from "./keeper";
import { ErrUnauthorized, type RegisteredError } from "../../baseapp/errors";

/** The address every governance-only message must name as its authority: the gov module account. */
export function govAuthority(): string {
  return moduleAccountAddress("gov");
}

/**
 * Throws unless `authority` is the gov module account (governance-only messages check this first).
 * Modules whose SDK counterpart has its own code for this pass that registered error.
 */
export function requireGovAuthority(authority: string, what: string, err: RegisteredError = ErrUnauthorized): void {
  const gov = govAuthority();
  if (authority !== gov) {
    throw err.wrap(`invalid authority for ${what}; expected ${gov} (the gov module account), got ${authority}: submit it inside a governance proposal`);
  }
}

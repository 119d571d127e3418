import { moduleAccountAddress } from "./auth/keeper";
import { ErrUnauthorized } from "./errors";

/** The address every governance-only message must name as its authority: the gov module account. */
export function govAuthority(): string {
  return moduleAccountAddress("gov");
}

/** Throws unless `authority` is the gov module account (governance-only messages check this first). */
export function requireGovAuthority(authority: string, what: string): void {
  const gov = govAuthority();
  if (authority !== gov) {
    throw ErrUnauthorized.wrap(`invalid authority for ${what}; expected ${gov} (the gov module account), got ${authority}: submit it inside a governance proposal`);
  }
}

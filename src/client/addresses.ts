/**
 * Addresses the client needs without asking the chain: module accounts (the gov module account is
 * the `authority` of every governance-only dCERT message).
 */
import { sha256 } from "@cosmjs/crypto";
import { toBech32, toUtf8 } from "@cosmjs/encoding";

/** Bech32 prefix of dCERT account addresses. */
export const DCERT_BECH32_PREFIX = "dcert";

/** The address of a module account, as the SDK derives it: the first 20 bytes of sha256(name). */
export function moduleAddress(name: string, prefix: string = DCERT_BECH32_PREFIX): string {
  return toBech32(prefix, sha256(toUtf8(name)).slice(0, 20));
}

/** The gov module account: the `authority` of MsgSlashMember, MsgUpdateParams and the other governance-only messages. */
export function govAuthority(prefix: string = DCERT_BECH32_PREFIX): string {
  return moduleAddress("gov", prefix);
}

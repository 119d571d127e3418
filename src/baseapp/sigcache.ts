import { createHash } from "node:crypto";
import { verifySecp256k1 } from "./tx/verify";

/**
 * Remembers signatures that verified, so that a tx checked in CheckTx is not verified again in
 * FinalizeBlock. The key is the hash of (sign bytes, signature, pubkey): a hit means exactly the
 * same verification succeeded before, so the cache can never change a result (determinism holds).
 * Bounded: the oldest half is dropped when full.
 */
export class SignatureCache {
  private entries = new Set<string>();
  private old = new Set<string>();
  constructor(private readonly capacity = 100_000) {}

  verify(signature: Uint8Array, signBytes: Uint8Array, pubKey: Uint8Array): boolean {
    const key = createHash("sha256").update(signBytes).update(signature).update(pubKey).digest("binary");
    if (this.entries.has(key) || this.old.has(key)) return true;
    const ok = verifySecp256k1(signature, signBytes, pubKey);
    if (ok) {
      if (this.entries.size >= this.capacity / 2) {
        this.old = this.entries;
        this.entries = new Set();
      }
      this.entries.add(key);
    }
    return ok;
  }
}

import { createHash } from "node:crypto";
import type { SignatureItem, SignatureVerifierPool } from "./sigpool";
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
    const key = keyOf(signature, signBytes, pubKey);
    if (this.has(key)) return true;
    const ok = verifySecp256k1(signature, signBytes, pubKey);
    if (ok) this.add(key);
    return ok;
  }

  /**
   * Verifies on `pool` the items not cached yet and remembers those that verify, so that the
   * `verify` calls that follow are hits. Never rejects: if the pool fails, nothing is added and
   * `verify` does the work as before.
   */
  async preverify(items: readonly SignatureItem[], pool: SignatureVerifierPool): Promise<void> {
    const todo: SignatureItem[] = [];
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const it of items) {
      const key = keyOf(it.signature, it.message, it.pubkey);
      if (this.has(key) || seen.has(key)) continue;
      seen.add(key);
      todo.push(it);
      keys.push(key);
    }
    if (todo.length === 0) return;
    let ok: boolean[];
    try {
      ok = await pool.verify(todo);
    } catch {
      return;
    }
    for (let i = 0; i < keys.length; i++) if (ok[i] === true) this.add(keys[i]!);
  }

  private has(key: string): boolean {
    return this.entries.has(key) || this.old.has(key);
  }

  private add(key: string): void {
    if (this.entries.size >= this.capacity / 2) {
      this.old = this.entries;
      this.entries = new Set();
    }
    this.entries.add(key);
  }
}

function keyOf(signature: Uint8Array, signBytes: Uint8Array, pubKey: Uint8Array): string {
  return createHash("sha256").update(signBytes).update(signature).update(pubKey).digest("binary");
}

import { createHash } from "node:crypto";
import { bytesEqual } from "./encoding";
import type { SignatureItem, SignatureOrigin, SignatureVerifierPool } from "./sigpool";
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
  /** Single-key SIGN_MODE_DIRECT signers that verified, by the decoded tx they sign (see `verifiedFor`). */
  private readonly byTx = new WeakMap<object, VerifiedSigner[]>();
  constructor(private readonly capacity = 100_000) {}

  /**
   * Whether signer `index` of `tx` verified before (`rememberVerified`) with this account number,
   * chain id and public key. For SIGN_MODE_DIRECT the sign bytes are the tx's body and auth info
   * bytes with the chain id and account number, and the signature is the tx's own, so with one
   * decoded tx (frozen, decoded from exactly one byte string, as the decoded-tx cache hands it
   * out) a hit is exactly a verification that succeeded before. PERF: FinalizeBlock no longer
   * builds and hashes the sign bytes of every tx CheckTx verified (about a tenth of a send's time).
   */
  verifiedFor(tx: object, index: number, accountNumber: bigint, chainId: string, pubKey: Uint8Array): boolean {
    const list = this.byTx.get(tx);
    if (list === undefined) return false;
    for (const v of list) {
      if (v.index === index && v.accountNumber === accountNumber && v.chainId === chainId && bytesEqual(v.pubKey, pubKey)) return true;
    }
    return false;
  }

  /** Records that signer `index` of `tx` verified with these (SIGN_MODE_DIRECT only; see `verifiedFor`). */
  rememberVerified(tx: object, index: number, accountNumber: bigint, chainId: string, pubKey: Uint8Array): void {
    let list = this.byTx.get(tx);
    if (list === undefined) {
      list = [];
      this.byTx.set(tx, list);
    }
    // A handful at most (one per signer and chain id); a tx re-verified under other values is rare.
    if (list.length < 8) list.push({ index, accountNumber, chainId, pubKey: Uint8Array.from(pubKey) });
  }

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
    const origins: (SignatureOrigin | undefined)[] = [];
    const seen = new Set<string>();
    for (const it of items) {
      const key = keyOf(it.signature, it.message, it.pubkey);
      if (this.has(key) || seen.has(key)) continue;
      seen.add(key);
      todo.push(it);
      keys.push(key);
      origins.push(it.origin);
    }
    if (todo.length === 0) return;
    let ok: boolean[];
    try {
      ok = await pool.verify(todo);
    } catch {
      return;
    }
    for (let i = 0; i < keys.length; i++) {
      if (ok[i] !== true) continue;
      this.add(keys[i]!);
      const o = origins[i];
      if (o !== undefined) this.rememberVerified(o.tx, o.index, o.accountNumber, o.chainId, todo[i]!.pubkey);
    }
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

interface VerifiedSigner {
  readonly index: number;
  readonly accountNumber: bigint;
  readonly chainId: string;
  readonly pubKey: Uint8Array;
}

function keyOf(signature: Uint8Array, signBytes: Uint8Array, pubKey: Uint8Array): string {
  return createHash("sha256").update(signBytes).update(signature).update(pubKey).digest("binary");
}

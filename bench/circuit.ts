/**
 * CheckTx cost of a tx on a broken route against a normal CheckTx (docs/design.md §8: a
 * broken-route tx is rejected before any signature work).
 *
 * Two apps on LMDB with identical state except that the second has /cosmos.bank.v1beta1.MsgSend
 * circuit-broken (in its genesis). The same signed MsgSend txs, one per account (fresh signatures
 * each pass, so the signature cache never helps), go through CheckTx:
 *   - normal:            the first app (full ante chain, one secp256k1 verification per tx);
 *   - broken route:      the second app (refused by ante slot 0 with dcert:50);
 *   - broken, forged:    the second app with a corrupted signature (same answer, same cost:
 *                        nothing looks at the signature).
 * Signature verifications are counted by wrapping SignatureCache.verify. Each case runs
 * BENCH_PASSES times (after a warm-up), interleaved; the median pass (by CPU time of this process,
 * which other processes on the machine do not inflate) is reported, with its wall time.
 * Run: npm run bench -- circuit   (env: BENCH_TXS, BENCH_PASSES)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import type { DcertApp } from "../src/app/app";
import { buildDevnetAppState } from "../src/app/genesis";
import { createApp } from "../src/app/node";
import { SignatureCache } from "../src/baseapp/sigcache";
import { LmdbCommitStore } from "../src/baseapp/store/lmdb";
import { DEFAULT_DENOM } from "../src/baseapp/tx/constants";
import { benchKeys, signedSend, type BenchKey } from "./lib/keys";
import { progress, report } from "./lib/report";

const CHAIN_ID = "bench-circuit-1";
const SEND = "/cosmos.bank.v1beta1.MsgSend";
const FEE = 5_000n;
const GAS = 200_000n;

let verifications = 0;

/** Counts signature verifications (cache hits included) by wrapping SignatureCache.verify once. */
function countVerifications(): void {
  const proto = SignatureCache.prototype as unknown as { verify: SignatureCache["verify"]; counted?: boolean };
  if (proto.counted === true) return;
  const inner = proto.verify;
  proto.verify = function (this: SignatureCache, ...args: Parameters<SignatureCache["verify"]>) {
    verifications++;
    return inner.apply(this, args);
  };
  proto.counted = true;
}

function nowUs(): number {
  return Number(process.hrtime.bigint()) / 1e3;
}

/** CPU time of this process (user + system), µs: robust to other processes sharing the cores. */
function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

interface BenchApp {
  readonly app: DcertApp;
  readonly store: LmdbCommitStore;
  readonly dir: string;
  height: bigint;
}

function openApp(keys: readonly BenchKey[], brokenRoutes: readonly string[]): BenchApp {
  const dir = mkdtempSync(join(tmpdir(), "dcert-bench-circuit-"));
  // "inline": no background writer thread, so the CPU time measured is CheckTx's alone.
  const store = LmdbCommitStore.open(dir, { apply: "inline" });
  const app = createApp({ store });
  const validator = benchKeys(1, "validator")[0]!;
  const appState = buildDevnetAppState({
    denom: DEFAULT_DENOM,
    accounts: [validator, ...keys].map((k) => ({ address: k.address, amount: 10n ** 15n })),
    validator: { operatorAddress: validator.address, consensusPubkeyEd25519Base64: Buffer.alloc(32, 1).toString("base64"), selfDelegation: 10n ** 12n },
    shortPeriods: true,
  });
  const dcert = appState["dcert"] as Record<string, unknown>;
  dcert["broken_routes"] = brokenRoutes.map((route) => ({ route, member: validator.address, reason: "bench", height: "0" }));
  app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN_ID, validators: [], appStateBytes: Buffer.from(JSON.stringify(appState)), initialHeight: 1n });
  const b: BenchApp = { app, store, dir, height: 0n };
  emptyBlock(b);
  return b;
}

/** An empty block: CheckTx state goes back to committed state (sequences as committed). */
function emptyBlock(b: BenchApp): void {
  b.height += 1n;
  b.app.finalizeBlock({
    txs: [],
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height: b.height,
    time: { seconds: 1_700_000_000n + b.height, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  b.app.commit();
}

function forge(tx: Uint8Array): Uint8Array {
  const raw = TxRaw.decode(tx);
  const sig = Uint8Array.from(raw.signatures[0] ?? []);
  sig[9] = (sig[9] ?? 0) ^ 0x55;
  return TxRaw.encode({ ...raw, signatures: [sig] }).finish();
}

/** One tx per account, at its committed sequence 0; `salt` varies the amount so every pass has new signatures. */
function presign(keys: readonly BenchKey[], numbers: readonly bigint[], salt: number): Uint8Array[] {
  return keys.map((k, i) =>
    signedSend({ from: k, to: keys[(i + 1) % keys.length]!.address, amount: BigInt(1 + salt), chainId: CHAIN_ID, accountNumber: numbers[i]!, sequence: 0n, fee: FEE, gas: GAS }),
  );
}

interface Pass {
  /** CPU µs for the pass. */
  readonly us: number;
  /** Wall-clock µs for the pass. */
  readonly wallUs: number;
  readonly codes: Map<string, number>;
  readonly verifications: number;
}

function checkPass(b: BenchApp, txs: readonly Uint8Array[]): Pass {
  emptyBlock(b);
  const codes = new Map<string, number>();
  const v0 = verifications;
  const c0 = cpuUs();
  const t0 = nowUs();
  for (const tx of txs) {
    const r = b.app.checkTx({ tx, type: CheckTxType.NEW });
    const c = r.code === 0 ? "0" : `${r.codespace}:${r.code}`;
    codes.set(c, (codes.get(c) ?? 0) + 1);
  }
  const wallUs = nowUs() - t0;
  return { us: cpuUs() - c0, wallUs, codes, verifications: verifications - v0 };
}

function median(passes: readonly Pass[]): Pass {
  const sorted = [...passes].sort((a, b) => a.us - b.us);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function main(): Record<string, string | number>[] {
  const n = Number(process.env["BENCH_TXS"] ?? 2_000);
  const passes = Number(process.env["BENCH_PASSES"] ?? 5);
  countVerifications();
  const keys = benchKeys(n, "dcert-bench-circuit");
  progress(`circuit: two apps with ${n} accounts (one with ${SEND} broken)`);
  const normal = openApp(keys, []);
  const broken = openApp(keys, [SEND]);
  try {
    const ctx = normal.app.queryContext();
    const numbers = keys.map((k) => normal.app.auth.getAccount(ctx, k.address)!.accountNumber);
    progress(`circuit: pre-signing ${(passes + 1) * n} txs`);
    const sets = Array.from({ length: passes + 1 }, (_, i) => presign(keys, numbers, i));
    const forged = sets.map((s) => s.map(forge));
    // Warm-up (JIT, LMDB pages) on a set that is not measured.
    checkPass(normal, sets[passes]!);
    checkPass(broken, sets[passes]!);
    checkPass(broken, forged[passes]!);
    const runs = { normal: [] as Pass[], broken: [] as Pass[], forged: [] as Pass[] };
    for (let p = 0; p < passes; p++) {
      // Interleaved, so drift (GC, the LMDB writer thread) hits every case alike.
      runs.normal.push(checkPass(normal, sets[p]!));
      runs.broken.push(checkPass(broken, sets[p]!));
      runs.forged.push(checkPass(broken, forged[p]!));
    }
    const row = (name: string, p: Pass): Record<string, string | number> => ({
      case: name,
      txs: n,
      results: [...p.codes].map(([c, k]) => `${c}×${k}`).join(" "),
      "CPU µs/CheckTx": p.us / n,
      "CheckTx/s per core": Math.round(n / (p.us / 1e6)),
      "wall µs/CheckTx": p.wallUs / n,
      "sig verifications": p.verifications,
    });
    const m = { normal: median(runs.normal), broken: median(runs.broken), forged: median(runs.forged) };
    const ratio = m.broken.us / m.normal.us;
    const rows = [row("normal MsgSend", m.normal), row("broken route (dcert:50)", m.broken), row("broken route, forged signature", m.forged)];
    report("circuit", rows, {
      txs: n,
      passes,
      ratio_broken_to_normal: Number(ratio.toFixed(4)),
      ratio_forged_to_normal: Number((m.forged.us / m.normal.us).toFixed(4)),
      ratio_wall_broken_to_normal: Number((m.broken.wallUs / m.normal.wallUs).toFixed(4)),
      note: "median pass by CPU time; the broken-route CheckTx is refused by ante slot 0, before any signature verification",
    });
    console.log(`\nbroken-route CheckTx / normal CheckTx = ${ratio.toFixed(3)} (${(1 / ratio).toFixed(1)}× cheaper)`);
    return rows;
  } finally {
    for (const b of [normal, broken]) {
      b.store.close();
      rmSync(b.dir, { recursive: true, force: true });
    }
  }
}

if (require.main === module) main();

/**
 * The x/auth ante decorators (the SDK's x/auth/ante): size, memo and gas checks, the node-local
 * minimum gas price (CheckTx only), fee deduction, pubkey on first use, sequence and signature
 * verification, sequence increment. The runtime runs them after its route guard (slot 0); the
 * composition root hands them to the app.
 */
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import type { SignerInfo } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { AnteDecorator } from "../../baseapp/ante";
import { coinsFromProto, formatCoins, requiredFee, type Coin } from "../../baseapp/coins";
import type { Context } from "../../baseapp/context";
import { toBase64, bytesEqual } from "../../baseapp/encoding";
import {
  ErrInsufficientFee,
  ErrInvalidGasLimit,
  ErrInvalidPubKey,
  ErrMemoTooLarge,
  ErrNoSignatures,
  ErrTooManySignatures,
  ErrTxTimeoutHeight,
  ErrTxTooLarge,
  ErrUnauthorized,
  ErrUnknownAddress,
  ErrWrongSequence,
  ErrNotSupported,
} from "./errors";
import type { SignatureCache } from "../../baseapp/sigcache";
import type { SignatureItem } from "../../baseapp/sigpool";
import type { DecodedTx } from "../../baseapp/tx/decode";
import { decodePubKeyAny } from "../../baseapp/tx/pubkey";
import { bitArrayGet, bitArraySize, decodeMultisigPubKeyAny, isMultisigPubKeyAny, multisigAddress, verifyMultisig, type MultisigPubKey } from "../../baseapp/tx/multisig";
import { pubkeyToAddress } from "../../baseapp/tx/address";
import { aminoSignBytes, directSignBytes } from "../../baseapp/tx/signdoc";
import type { AminoConverterRegistry } from "../../types/amino";
import { addrString, type Account, type AuthKeeper } from "./keeper";

/** The module account that collects tx fees (the SDK's authtypes.FeeCollectorName). */
export const FEE_COLLECTOR = "fee_collector";
/** Largest tx CheckTx accepts (bytes); CometBFT's own mempool limit is 1 MiB by default. */
export const MAX_TX_BYTES = 1024 * 1024;

/** What the ante decorators need from x/bank (the SDK's expected BankKeeper of x/auth/ante). */
export interface BankKeeperForAnte {
  getAllBalances(ctx: Context, address: string): Coin[];
  sendFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void;
}

export interface AnteDeps {
  readonly auth: AuthKeeper;
  readonly bank: BankKeeperForAnte;
  /** The app's amino registry (LEGACY_AMINO_JSON sign bytes). */
  readonly amino: AminoConverterRegistry;
  /** Node-local cache of verified signatures (CheckTx then FinalizeBlock verify once). */
  readonly sigCache: SignatureCache;
}

function validateBasic(deps: AnteDeps): AnteDecorator {
  return (ctx, { tx, signers, simulate }) => {
    const params = deps.auth.params(ctx);
    if (tx.raw.length > MAX_TX_BYTES) throw ErrTxTooLarge.wrap(`tx is ${tx.raw.length} bytes, the limit is ${MAX_TX_BYTES}`);
    if (!simulate && tx.signatures.length === 0) throw ErrNoSignatures.wrap("a transaction must be signed");
    // As the SDK's ValidateSigCountDecorator: a multisig key counts as many keys as it holds.
    const sigCount = tx.signers.reduce((n, s) => n + (s.multisigKey?.pubKeys.length ?? 1), 0);
    if (BigInt(sigCount) > params.txSigLimit) {
      throw ErrTooManySignatures.wrap(`${sigCount} signatures (a multisig key counts as many as it holds keys), the limit is ${params.txSigLimit}`);
    }
    if (tx.authInfo.signerInfos.length !== signers.length) {
      throw ErrUnauthorized.wrap(`wrong number of signers; expected ${signers.length}, got ${tx.authInfo.signerInfos.length}`);
    }
    if (tx.signatures.length !== signers.length) {
      throw ErrUnauthorized.wrap(`wrong number of signatures; expected ${signers.length}, got ${tx.signatures.length}`);
    }
    const memoLen = [...tx.body.memo].length;
    if (BigInt(memoLen) > params.maxMemoCharacters) {
      throw ErrMemoTooLarge.wrap(`maximum number of characters is ${params.maxMemoCharacters} but received ${memoLen} characters`);
    }
    if (tx.body.timeoutHeight > 0n && ctx.block.height > tx.body.timeoutHeight) {
      throw ErrTxTimeoutHeight.wrap(`block height: ${ctx.block.height}, timeout height: ${tx.body.timeoutHeight}`);
    }
    const gasLimit = tx.authInfo.fee?.gasLimit ?? 0n;
    if (!simulate && gasLimit === 0n) throw ErrInvalidGasLimit.wrap("gas limit must be positive; set --gas or use auto");
    ctx.gasMeter.consume(params.txSizeCostPerByte * BigInt(tx.raw.length), "txSize");
  };
}

function feeCoins(tx: DecodedTx): Coin[] {
  return coinsFromProto(tx.authInfo.fee?.amount ?? []);
}

/** Node-local minimum gas prices, applied in CheckTx only (never in consensus). */
function minGasPriceDecorator(): AnteDecorator {
  return (ctx, { tx, simulate }) => {
    if (!ctx.isCheck || simulate || ctx.minGasPrices.length === 0) return;
    const gas = tx.authInfo.fee?.gasLimit ?? 0n;
    const fees = feeCoins(tx);
    const required = ctx.minGasPrices.map((p) => requiredFee(gas, p)).filter((c) => c.amount > 0n);
    if (required.length === 0) return;
    const ok = required.some((r) => fees.some((f) => f.denom === r.denom && f.amount >= r.amount));
    if (!ok) {
      throw ErrInsufficientFee.wrap(`insufficient fees; got: ${formatCoins(fees) || "nothing"} required: ${formatCoins(required)}`);
    }
  };
}

/**
 * Clients simulate with an empty fee (CosmJS does), which would leave the fee transfer's gas out
 * of the estimate. A simulation without a fee therefore deducts one unit of the payer's first
 * balance on its throwaway branch, so "auto" gas covers the real tx.
 */
function simulatedFee(deps: AnteDeps, ctx: Context, payer: string): Coin[] {
  const first = deps.bank.getAllBalances(ctx, payer)[0];
  return first === undefined ? [] : [{ denom: first.denom, amount: 1n }];
}

function deductFeeDecorator(deps: AnteDeps): AnteDecorator {
  return (ctx, { tx, signers, simulate }) => {
    let fees = feeCoins(tx);
    const payer = tx.authInfo.fee?.payer !== undefined && tx.authInfo.fee.payer !== "" ? tx.authInfo.fee.payer : signers[0];
    if (payer === undefined) throw ErrNoSignatures.wrap("no fee payer");
    if (!signers.includes(payer)) throw ErrUnauthorized.wrap(`fee payer ${payer} must sign the transaction`);
    if (deps.auth.getAccount(ctx, payer) === undefined) throw ErrUnknownAddress.wrap(`fee payer address: ${payer} does not exist`);
    if (simulate && fees.length === 0) fees = simulatedFee(deps, ctx, payer);
    if (fees.length > 0) deps.bank.sendFromAccountToModule(ctx, payer, FEE_COLLECTOR, fees);
    // PERF: CheckTx and rechecks drop events; formatting them cost about 1 µs a tx there.
    if (!ctx.events.enabled) return;
    ctx.events.emit("tx", [
      ["fee", formatCoins(fees)],
      ["fee_payer", payer],
    ]);
  };
}

function signerAccount(deps: AnteDeps, ctx: Context, address: string): Account {
  const acc = deps.auth.getAccount(ctx, address);
  if (acc === undefined) throw ErrUnknownAddress.wrap(`account ${address} does not exist; it must receive funds first`);
  return acc;
}

/** Sets each signer's public key on first use; the key must hash to the signer's address. */
function setPubKeyDecorator(deps: AnteDeps): AnteDecorator {
  return (ctx, { tx, signers }) => {
    signers.forEach((address, i) => {
      const info = tx.authInfo.signerInfos[i] as SignerInfo;
      const acc = signerAccount(deps, ctx, address);
      if (info.publicKey === undefined) {
        if (acc.pubKey === undefined && acc.multisig === undefined) throw ErrInvalidPubKey.wrap(`account ${address} has no public key yet; the tx must include it`);
        return;
      }
      if (isMultisigPubKeyAny(info.publicKey)) {
        setMultisigKey(deps, ctx, acc, decodeMultisigPubKeyAny(info.publicKey));
        return;
      }
      if (acc.multisig !== undefined) throw ErrInvalidPubKey.wrap(`account ${address} is a multisig account; it signs with its multisig key`);
      const key = decodePubKeyAny(info.publicKey);
      // The stored key was checked against the address when it was set.
      if (acc.pubKey !== undefined && bytesEqual(acc.pubKey, key)) return;
      if (addrString(pubkeyToAddress(key)) !== address) {
        throw ErrInvalidPubKey.wrap(`public key does not match signer address ${address}`);
      }
      if (acc.pubKey === undefined) deps.auth.setAccount(ctx, { ...acc, pubKey: key });
      else if (!bytesEqual(acc.pubKey, key)) throw ErrInvalidPubKey.wrap(`public key differs from the one stored for ${address}`);
    });
  };
}

function sameMultisig(a: MultisigPubKey, b: MultisigPubKey): boolean {
  return a.threshold === b.threshold && a.pubKeys.length === b.pubKeys.length && a.pubKeys.every((k, i) => bytesEqual(k, b.pubKeys[i] as Uint8Array));
}

/** Stores a multisig account's key on first use; it must hash to the account's address. */
function setMultisigKey(deps: AnteDeps, ctx: Context, acc: Account, key: MultisigPubKey): void {
  if (acc.multisig !== undefined) {
    if (!sameMultisig(acc.multisig, key)) throw ErrInvalidPubKey.wrap(`multisig public key differs from the one stored for ${acc.address}`);
    return;
  }
  if (acc.pubKey !== undefined) throw ErrInvalidPubKey.wrap(`account ${acc.address} has a single secp256k1 key; it cannot sign with a multisig key`);
  if (addrString(multisigAddress(key)) !== acc.address) {
    throw ErrInvalidPubKey.wrap(`multisig public key (threshold ${key.threshold} of ${key.pubKeys.length}) does not match signer address ${acc.address}`);
  }
  deps.auth.setAccount(ctx, { ...acc, multisig: key });
}

function signMode(info: SignerInfo): SignMode {
  const single = info.modeInfo?.single;
  if (single === undefined) throw ErrNotSupported.wrap("only single-signer mode infos are supported (no multisig)");
  return single.mode;
}

/** The LEGACY_AMINO_JSON sign bytes of `tx` for `acc` (single signers and multisig alike). */
function txAminoSignBytes(deps: AnteDeps, ctx: Context, tx: DecodedTx, acc: Account, accountNumber: bigint): Uint8Array {
  return aminoSignBytes(
    {
      chainId: ctx.block.chainId,
      accountNumber,
      sequence: acc.sequence,
      fee: tx.authInfo.fee ?? { amount: [], gasLimit: 0n, payer: "", granter: "" },
      memo: tx.body.memo,
      msgs: tx.body.messages,
      timeoutHeight: tx.body.timeoutHeight,
    },
    deps.amino,
  );
}

/** Sequence, sign bytes (DIRECT or LEGACY_AMINO_JSON), native secp256k1 verification, gas per signature. */
function sigVerifyDecorator(deps: AnteDeps): AnteDecorator {
  return (ctx, { tx, signers, simulate }) => {
    const params = deps.auth.params(ctx);
    signers.forEach((address, i) => {
      const info = tx.authInfo.signerInfos[i] as SignerInfo;
      const acc = signerAccount(deps, ctx, address);
      const multi = tx.signers[i]?.multi;
      if (acc.multisig !== undefined || multi !== undefined) {
        verifyMultisigSigner(deps, ctx, { tx, address, acc, index: i, simulate });
        return;
      }
      ctx.gasMeter.consume(params.sigVerifyCostSecp256k1, "ante verify: secp256k1");
      if (simulate) return;
      if (info.sequence !== acc.sequence) {
        throw ErrWrongSequence.wrap(`account sequence mismatch, expected ${acc.sequence}, got ${info.sequence}`);
      }
      // A recheck (after each Commit) only re-validates sequences and fees: the signature was
      // verified when the tx entered the mempool, and the signed bytes have not changed (as in the SDK).
      if (ctx.mode === "recheck") return;
      const pubKey = acc.pubKey;
      if (pubKey === undefined) throw ErrInvalidPubKey.wrap(`account ${address} has no public key`);
      // Gentxs are signed before account numbers exist: as in the SDK, genesis txs sign over 0.
      const accountNumber = ctx.mode === "genesis" ? 0n : acc.accountNumber;
      const mode = signMode(info);
      const direct = mode === SignMode.SIGN_MODE_DIRECT;
      if (direct && deps.sigCache.verifiedFor(tx, i, accountNumber, ctx.block.chainId, pubKey)) return;
      let signBytes: Uint8Array;
      if (direct) {
        signBytes = directSignBytes(tx.bodyBytes, tx.authInfoBytes, ctx.block.chainId, accountNumber);
      } else if (mode === SignMode.SIGN_MODE_LEGACY_AMINO_JSON) {
        signBytes = txAminoSignBytes(deps, ctx, tx, acc, accountNumber);
      } else {
        throw ErrNotSupported.wrap(`sign mode ${mode} is not supported; use SIGN_MODE_DIRECT or SIGN_MODE_LEGACY_AMINO_JSON`);
      }
      const signature = tx.signatures[i] ?? new Uint8Array();
      if (!deps.sigCache.verify(signature, signBytes, pubKey)) {
        throw ErrUnauthorized.wrap(
          `signature verification failed; please verify account number (${accountNumber}) and chain-id (${ctx.block.chainId})`,
        );
      }
      if (direct) deps.sigCache.rememberVerified(tx, i, accountNumber, ctx.block.chainId, pubKey);
    });
  };
}

/**
 * A multisig signer: the account's multisig key, a multi mode info, the sequence, then every
 * signature of the MultiSignature over the amino JSON sign bytes (SDK: ConsumeMultisignatureVerificationGas
 * and VerifyMultisignature). Gas: the secp256k1 cost per signature present (per key when simulating).
 */
function verifyMultisigSigner(
  deps: AnteDeps,
  ctx: Context,
  s: { tx: DecodedTx; address: string; acc: Account; index: number; simulate: boolean },
): void {
  const params = deps.auth.params(ctx);
  const { tx, address, acc } = s;
  const key = acc.multisig;
  const decoded = tx.signers[s.index]?.multi;
  if (key === undefined && acc.pubKey !== undefined) throw ErrUnauthorized.wrap(`account ${address} has a single secp256k1 key; it signs with a single mode info, not a multi one`);
  if (key === undefined) throw ErrInvalidPubKey.wrap(`account ${address} has no multisig public key yet; the tx must include it`);
  if (decoded === undefined) throw ErrUnauthorized.wrap(`account ${address} is a multisig account; sign with a multi mode info ("dcertd tx multisign")`);
  if (s.simulate) {
    ctx.gasMeter.consume(params.sigVerifyCostSecp256k1 * BigInt(key.pubKeys.length), "ante verify: multisig");
    return;
  }
  let present = 0;
  const size = Math.min(bitArraySize(decoded.bitarray), key.pubKeys.length);
  for (let k = 0; k < size; k++) if (bitArrayGet(decoded.bitarray, k)) present++;
  ctx.gasMeter.consume(params.sigVerifyCostSecp256k1 * BigInt(present), "ante verify: multisig");
  const sequence = tx.signers[s.index]?.sequence;
  if (sequence !== acc.sequence) throw ErrWrongSequence.wrap(`account sequence mismatch, expected ${acc.sequence}, got ${sequence}`);
  if (ctx.mode === "recheck") return;
  if (tx.signers[s.index]?.signMode !== SignMode.SIGN_MODE_LEGACY_AMINO_JSON) {
    throw ErrNotSupported.wrap("multisig signatures must use SIGN_MODE_LEGACY_AMINO_JSON; sign with --sign-mode amino-json");
  }
  const accountNumber = ctx.mode === "genesis" ? 0n : acc.accountNumber;
  const signBytes = txAminoSignBytes(deps, ctx, tx, acc, accountNumber);
  try {
    verifyMultisig(key, decoded.bitarray, decoded.signatures, signBytes, (sig, bytes, pk) => deps.sigCache.verify(sig, bytes, pk));
  } catch (e) {
    if (ErrUnauthorized.is(e)) {
      throw ErrUnauthorized.wrap(`${(e as Error).message.replace(/: unauthorized$/, "")}; please verify account number (${accountNumber}) and chain-id (${ctx.block.chainId})`);
    }
    throw e;
  }
}

function incrementSequenceDecorator(deps: AnteDeps): AnteDecorator {
  return (ctx, { tx, signers }) => {
    signers.forEach((address, i) => {
      const acc = signerAccount(deps, ctx, address);
      deps.auth.setAccount(ctx, { ...acc, sequence: acc.sequence + 1n });
      if (!ctx.events.enabled) return;
      ctx.events.emit("tx", [["acc_seq", `${address}/${acc.sequence}`]]);
      ctx.events.emit("tx", [["signature", toBase64(tx.signatures[i] ?? new Uint8Array())]]);
    });
  };
}

/** The x/auth decorators, in the SDK's order; the runtime runs them after the route guard (slot 0). */
export function authAnteDecorators(deps: AnteDeps): AnteDecorator[] {
  return [
    validateBasic(deps),
    minGasPriceDecorator(),
    deductFeeDecorator(deps),
    setPubKeyDecorator(deps),
    sigVerifyDecorator(deps),
    incrementSequenceDecorator(deps),
  ];
}

/**
 * The single-key SIGN_MODE_DIRECT signatures CheckTx will verify for `tx` against `ctx`'s state,
 * found without running the ante (for verification ahead of CheckTx on worker threads,
 * baseapp/sigpool.ts). Anything else (multisig, amino JSON, unknown accounts, undecodable keys)
 * is left out: CheckTx verifies it itself. Only a hint: an item that CheckTx does not need costs
 * a worker's time, never a result.
 */
export function directSignatureItems(auth: AuthKeeper, ctx: Context, tx: DecodedTx, signers: readonly string[]): SignatureItem[] {
  const out: SignatureItem[] = [];
  signers.forEach((address, i) => {
    const info = tx.authInfo.signerInfos[i];
    const signature = tx.signatures[i];
    if (info === undefined || signature === undefined || tx.signers[i]?.multi !== undefined) return;
    if (info.modeInfo?.single?.mode !== SignMode.SIGN_MODE_DIRECT) return;
    const acc = auth.getAccount(ctx, address);
    if (acc === undefined || acc.multisig !== undefined) return;
    let pubkey = acc.pubKey;
    if (pubkey === undefined && info.publicKey !== undefined && !isMultisigPubKeyAny(info.publicKey)) {
      try {
        pubkey = decodePubKeyAny(info.publicKey);
      } catch {
        return;
      }
    }
    if (pubkey === undefined) return;
    out.push({
      signature,
      message: directSignBytes(tx.bodyBytes, tx.authInfoBytes, ctx.block.chainId, acc.accountNumber),
      pubkey,
      origin: { tx, index: i, accountNumber: acc.accountNumber, chainId: ctx.block.chainId },
    });
  });
  return out;
}

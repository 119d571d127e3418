/**
 * Builds transactions signed exactly as CosmJS's SigningStargateClient signs them, for tests of the
 * decoder, ante handler and anything downstream. Only CosmJS does the signing here, so these txs
 * are an independent check of our sign-bytes and verification code.
 */
import {
  encodeSecp256k1Pubkey,
  makeSignDoc as makeAminoSignDoc,
  Secp256k1HdWallet,
  type OfflineAminoSigner,
  type StdFee,
} from "@cosmjs/amino";
import { fromBase64 } from "@cosmjs/encoding";
import {
  DirectSecp256k1HdWallet,
  encodePubkey,
  makeAuthInfoBytes,
  makeSignDoc,
  Registry,
  type EncodeObject,
  type GeneratedType,
  type OfflineDirectSigner,
} from "@cosmjs/proto-signing";
import { AminoTypes, createDefaultAminoConverters, defaultRegistryTypes } from "@cosmjs/stargate";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { createDefaultAminoRegistry } from "../../src/types/amino";
import { BECH32_PREFIX, DEFAULT_DENOM } from "../../src/baseapp/tx/constants";

/** A fixed test mnemonic (the BIP-39 test vector). Never use it for anything of value. */
export const TEST_MNEMONIC =
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

/** A second fixed mnemonic, for a distinct account. */
export const TEST_MNEMONIC_2 =
  "legal winner thank year wave sausage worth useful legal winner thank yellow";

export const TEST_CHAIN_ID = "dcert-test-1";

/** Protobuf types of the standard Cosmos messages (CosmJS's defaults); pass extra ones for module messages. */
export function testRegistry(extra: Iterable<[string, GeneratedType]> = []): Registry {
  return new Registry([...defaultRegistryTypes, ...extra]);
}

/** CosmJS's default amino converters plus our gov v1 ones (CosmJS has none for gov v1). */
export function testAminoTypes(): AminoTypes {
  return new AminoTypes({ ...createDefaultAminoRegistry().aminoConverters(), ...createDefaultAminoConverters() });
}

const walletCache = new Map<string, Promise<unknown>>();

/** A direct-mode HD wallet (account 0 of m/44'/118'/0'/0/0) with the chain prefix; cached per mnemonic. */
export function directWallet(mnemonic: string = TEST_MNEMONIC, prefix: string = BECH32_PREFIX): Promise<DirectSecp256k1HdWallet> {
  const key = `direct:${prefix}:${mnemonic}`;
  let w = walletCache.get(key) as Promise<DirectSecp256k1HdWallet> | undefined;
  if (w === undefined) {
    w = DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix });
    walletCache.set(key, w);
  }
  return w;
}

/** An amino-only HD wallet (like Ledger / amino-only extensions) with the chain prefix; cached per mnemonic. */
export function aminoWallet(mnemonic: string = TEST_MNEMONIC, prefix: string = BECH32_PREFIX): Promise<Secp256k1HdWallet> {
  const key = `amino:${prefix}:${mnemonic}`;
  let w = walletCache.get(key) as Promise<Secp256k1HdWallet> | undefined;
  if (w === undefined) {
    w = Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix });
    walletCache.set(key, w);
  }
  return w;
}

export interface TxSpec {
  readonly msgs: readonly EncodeObject[];
  readonly fee: StdFee;
  readonly memo?: string;
  readonly chainId: string;
  readonly accountNumber: bigint | number;
  readonly sequence: bigint | number;
  readonly timeoutHeight?: bigint;
  /** Defaults to the wallet's first account. */
  readonly signerAddress?: string;
  /** Protobuf types for the messages; defaults to `testRegistry()`. */
  readonly registry?: Registry;
}

/** A fee of `amount` of the chain denom for `gas`. */
export function testFee(amount: bigint | number = 5000n, gas: bigint | number = 200000n, denom: string = DEFAULT_DENOM): StdFee {
  return { amount: [{ denom, amount: amount.toString() }], gas: gas.toString() };
}

/** A bank MsgSend as CosmJS's `sendTokens` builds it. */
export function msgSend(fromAddress: string, toAddress: string, amount: bigint | number, denom: string = DEFAULT_DENOM): EncodeObject {
  return {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress, toAddress, amount: [{ denom, amount: amount.toString() }] },
  };
}

async function accountOf(
  signer: OfflineDirectSigner | OfflineAminoSigner,
  address: string | undefined,
): Promise<{ address: string; pubkey: Uint8Array }> {
  const accounts = await signer.getAccounts();
  const acc = address === undefined ? accounts[0] : accounts.find((a) => a.address === address);
  if (acc === undefined) throw new Error(`signer has no account ${address ?? "#0"}`);
  return acc;
}

/** Signs in SIGN_MODE_DIRECT as SigningStargateClient.signDirect does and returns the TxRaw bytes. */
export async function signDirect(wallet: OfflineDirectSigner, spec: TxSpec): Promise<Uint8Array> {
  const registry = spec.registry ?? testRegistry();
  const account = await accountOf(wallet, spec.signerAddress);
  const pubkey = encodePubkey(encodeSecp256k1Pubkey(account.pubkey));
  const bodyBytes = registry.encodeTxBody({
    messages: [...spec.msgs],
    memo: spec.memo ?? "",
    ...(spec.timeoutHeight !== undefined ? { timeoutHeight: spec.timeoutHeight } : {}),
  });
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey, sequence: BigInt(spec.sequence) }],
    spec.fee.amount,
    Number(spec.fee.gas),
    spec.fee.granter,
    spec.fee.payer,
  );
  const signDoc = makeSignDoc(bodyBytes, authInfoBytes, spec.chainId, BigInt(spec.accountNumber));
  const { signature, signed } = await wallet.signDirect(account.address, signDoc);
  return TxRaw.encode(
    TxRaw.fromPartial({
      bodyBytes: signed.bodyBytes,
      authInfoBytes: signed.authInfoBytes,
      signatures: [fromBase64(signature.signature)],
    }),
  ).finish();
}

/**
 * Signs in SIGN_MODE_LEGACY_AMINO_JSON as SigningStargateClient.signAmino does (amino msgs →
 * StdSignDoc → signature; the body is rebuilt from the signed amino msgs) and returns the TxRaw bytes.
 */
export async function signAmino(
  wallet: OfflineAminoSigner,
  spec: TxSpec,
  aminoTypes: AminoTypes = testAminoTypes(),
): Promise<Uint8Array> {
  const registry = spec.registry ?? testRegistry();
  const account = await accountOf(wallet, spec.signerAddress);
  const pubkey = encodePubkey(encodeSecp256k1Pubkey(account.pubkey));
  const msgs = spec.msgs.map((m) => aminoTypes.toAmino(m));
  const signDoc = makeAminoSignDoc(
    msgs,
    spec.fee,
    spec.chainId,
    spec.memo,
    BigInt(spec.accountNumber),
    spec.sequence.toString(),
    spec.timeoutHeight,
  );
  const { signature, signed } = await wallet.signAmino(account.address, signDoc);
  const bodyBytes = registry.encodeTxBody({
    messages: signed.msgs.map((m) => aminoTypes.fromAmino(m)),
    memo: signed.memo,
    ...(spec.timeoutHeight !== undefined ? { timeoutHeight: spec.timeoutHeight } : {}),
  });
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey, sequence: BigInt(signed.sequence) }],
    signed.fee.amount,
    Number(signed.fee.gas),
    signed.fee.granter,
    signed.fee.payer,
    SignMode.SIGN_MODE_LEGACY_AMINO_JSON,
  );
  return TxRaw.encode(
    TxRaw.fromPartial({ bodyBytes, authInfoBytes, signatures: [fromBase64(signature.signature)] }),
  ).finish();
}

/** The first account's address and compressed public key of a wallet. */
export async function firstAccount(
  wallet: OfflineDirectSigner | OfflineAminoSigner,
): Promise<{ address: string; pubkey: Uint8Array }> {
  return accountOf(wallet, undefined);
}

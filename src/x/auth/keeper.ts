import { BinaryWriter } from "cosmjs-types/binary";
import { BaseAccount, ModuleAccount, Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { Context } from "../../baseapp/context";
import { readU64be, u64be } from "../../baseapp/encoding";
import { ErrInvalidPubKey, ErrLogic } from "./errors";
import { BECH32_PREFIX } from "../../baseapp/tx/constants";
import { decodeAddress, encodeAddress, moduleAddress } from "../../baseapp/tx/address";
import { decodeMultisigPubKeyAny, encodeMultisigPubKeyAny, LEGACY_AMINO_PUBKEY_TYPE_URL, type MultisigPubKey } from "../../baseapp/tx/multisig";
import { BoundedMemo, DecodeMemo, LastValueMemo } from "../../baseapp/perf";
import { AUTH, keys } from "./keys";

const BASE_ACCOUNT_URL = "/cosmos.auth.v1beta1.BaseAccount";
const MODULE_ACCOUNT_URL = "/cosmos.auth.v1beta1.ModuleAccount";
const SECP256K1_PUBKEY_URL = "/cosmos.crypto.secp256k1.PubKey";

export interface Account {
  readonly address: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  /** Compressed secp256k1 public key, once the account has signed a transaction. */
  readonly pubKey: Uint8Array | undefined;
  /** A multisig account's key (LegacyAminoPubKey), once it has signed a transaction; `pubKey` is then undefined. */
  readonly multisig?: MultisigPubKey;
  /** Set for module accounts. */
  readonly module?: { readonly name: string; readonly permissions: readonly string[] };
}

export function defaultAuthParams(): Params {
  return {
    maxMemoCharacters: 256n,
    txSigLimit: 7n,
    txSizeCostPerByte: 10n,
    sigVerifyCostEd25519: 590n,
    sigVerifyCostSecp256k1: 1000n,
  };
}

// PERF: bech32 decoding/encoding was ~8% of block execution; addresses repeat constantly.
// Cached values are shared: callers must not mutate the returned bytes.
const decodeMemo = new BoundedMemo((address: string) => decodeAddress(address, BECH32_PREFIX));
const encodeMemo = new BoundedMemo((hex: string) => encodeAddress(Buffer.from(hex, "hex"), BECH32_PREFIX));

/** Address bytes of a bech32 account address; throws ErrInvalidAddress (invalid input is not cached). */
export function addrBytes(address: string): Uint8Array {
  return decodeMemo.get(address);
}

export function addrString(bytes: Uint8Array): string {
  return encodeMemo.get(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex"));
}

const moduleAddressMemo = new BoundedMemo((name: string) => addrString(moduleAddress(name)), 1_000);

export function moduleAccountAddress(name: string): string {
  return moduleAddressMemo.get(name);
}

/** Accounts, account numbers, sequences and public keys (x/auth). */
export class AuthKeeper {
  /** Module accounts the app declares, with their permissions ("minter", "burner", "staking"). */
  readonly moduleAccounts = new Map<string, readonly string[]>();

  declareModuleAccount(name: string, permissions: readonly string[] = []): string {
    this.moduleAccounts.set(name, permissions);
    return moduleAccountAddress(name);
  }

  isModuleAddress(address: string): boolean {
    for (const name of this.moduleAccounts.keys()) if (moduleAccountAddress(name) === address) return true;
    return false;
  }

  params(ctx: Context): Params {
    const raw = ctx.kv(AUTH).get(keys.params());
    return raw === undefined ? defaultAuthParams() : this.paramsMemo.get(raw);
  }

  // PERF: params are read twice per tx and almost never change.
  private readonly paramsMemo = new LastValueMemo((raw) => Params.decode(raw));

  setParams(ctx: Context, p: Params): void {
    ctx.kv(AUTH).set(keys.params(), Params.encode(p).finish());
  }

  getAccount(ctx: Context, address: string): Account | undefined {
    const raw = ctx.kv(AUTH).get(keys.account(addrBytes(address)));
    return raw === undefined ? undefined : decodedAccounts.get(raw);
  }

  hasAccount(ctx: Context, address: string): boolean {
    return ctx.kv(AUTH).has(keys.account(addrBytes(address)));
  }

  /** Raw Any of the stored account, as the Account query returns it. */
  getAccountAny(ctx: Context, address: string): Any | undefined {
    const raw = ctx.kv(AUTH).get(keys.account(addrBytes(address)));
    return raw === undefined ? undefined : Any.decode(raw);
  }

  setAccount(ctx: Context, acc: Account): void {
    const raw = encodeAccount(acc);
    decodedAccounts.remember(raw, acc);
    ctx.kv(AUTH).set(keys.account(addrBytes(acc.address)), raw);
  }

  nextAccountNumber(ctx: Context): bigint {
    const store = ctx.kv(AUTH);
    const raw = store.get(keys.nextAccountNumber());
    const n = raw === undefined ? 0n : readU64be(raw);
    store.set(keys.nextAccountNumber(), u64be(n + 1n));
    return n;
  }

  /** Creates a base account with the next account number (bank does this for a new recipient). */
  newAccount(ctx: Context, address: string): Account {
    const acc: Account = { address, accountNumber: this.nextAccountNumber(ctx), sequence: 0n, pubKey: undefined };
    this.setAccount(ctx, acc);
    return acc;
  }

  getOrCreateModuleAccount(ctx: Context, name: string): Account {
    const address = moduleAccountAddress(name);
    const existing = this.getAccount(ctx, address);
    if (existing?.module !== undefined) return existing;
    const permissions = this.moduleAccounts.get(name);
    if (permissions === undefined) throw ErrLogic.wrap(`module account ${name} was not declared`);
    const acc: Account = {
      address,
      accountNumber: existing?.accountNumber ?? this.nextAccountNumber(ctx),
      sequence: 0n,
      pubKey: undefined,
      module: { name, permissions },
    };
    this.setAccount(ctx, acc);
    return acc;
  }

  /** All accounts in address-byte order (genesis export). */
  allAccounts(ctx: Context): Account[] {
    const out: Account[] = [];
    const start = keys.accountPrefix();
    const end = keys.accountEnd();
    for (const [, v] of ctx.kv(AUTH).iterate(start, end)) out.push(decodeAccount(v));
    return out;
  }

  peekNextAccountNumber(ctx: Context): bigint {
    const raw = ctx.kv(AUTH).get(keys.nextAccountNumber());
    return raw === undefined ? 0n : readU64be(raw);
  }

  setNextAccountNumber(ctx: Context, n: bigint): void {
    ctx.kv(AUTH).set(keys.nextAccountNumber(), u64be(n));
  }
}

/**
 * PERF: the encoded `PubKey` per key array. Every sequence increment re-encodes the account with
 * the same key array (decoded accounts are shared and their copies keep it), so this saves an
 * encoding per signer in every CheckTx, recheck and FinalizeBlock. Values are only read.
 */
const pubKeyBytes = new WeakMap<Uint8Array, Uint8Array>();

function encodePubKeyAny(pubKey: Uint8Array): Any {
  let value = pubKeyBytes.get(pubKey);
  if (value === undefined) {
    value = PubKey.encode({ key: pubKey }).finish();
    pubKeyBytes.set(pubKey, value);
  }
  return { typeUrl: SECP256K1_PUBKEY_URL, value };
}

function baseAccountOf(acc: Account): BaseAccount {
  return {
    address: acc.address,
    pubKey: acc.multisig !== undefined ? encodeMultisigPubKeyAny(acc.multisig) : acc.pubKey === undefined ? undefined : encodePubKeyAny(acc.pubKey),
    accountNumber: acc.accountNumber,
    sequence: acc.sequence,
  } as BaseAccount;
}

export function encodeAccount(acc: Account): Uint8Array {
  const base = baseAccountOf(acc);
  if (acc.module === undefined && acc.address !== "") {
    // PERF: the BaseAccount is written inside the Any's writer instead of into bytes of its own
    // first: one allocation and copy fewer (V8 allocates a typed array over 64 bytes outside its
    // heap, about 1 µs), three times per tx. The same bytes as Any.encode with the encoded
    // BaseAccount as value, which is never empty with an address (Any leaves out an empty value).
    const w = BinaryWriter.create();
    w.uint32(10).string(BASE_ACCOUNT_URL);
    BaseAccount.encode(base, w.uint32(18).fork()).ldelim();
    return w.finish();
  }
  const any: Any =
    acc.module === undefined
      ? { typeUrl: BASE_ACCOUNT_URL, value: BaseAccount.encode(base).finish() }
      : {
          typeUrl: MODULE_ACCOUNT_URL,
          value: ModuleAccount.encode({
            baseAccount: base,
            name: acc.module.name,
            permissions: [...acc.module.permissions],
          }).finish(),
        };
  return Any.encode(any).finish();
}

// PERF: the ante reads each signer's account several times per tx, so decoded accounts are
// memoised by the identity of their stored bytes. Shared but not frozen: every field of Account
// is readonly, and freezing cost about 7 µs per tx (see DecodeMemo).
const decodedAccounts = new DecodeMemo<Account>((raw) => decodeAccount(raw), false);

export function decodeAccount(raw: Uint8Array): Account {
  const any = Any.decode(raw);
  if (any.typeUrl === MODULE_ACCOUNT_URL) {
    const m = ModuleAccount.decode(any.value);
    const base = fromBase(m.baseAccount ?? BaseAccount.fromPartial({}));
    return { ...base, module: { name: m.name, permissions: m.permissions } };
  }
  return fromBase(BaseAccount.decode(any.value));
}

function fromBase(b: BaseAccount): Account {
  let pubKey: Uint8Array | undefined;
  if (b.pubKey !== undefined && b.pubKey.typeUrl === LEGACY_AMINO_PUBKEY_TYPE_URL) {
    return { address: b.address, accountNumber: b.accountNumber, sequence: b.sequence, pubKey: undefined, multisig: decodeMultisigPubKeyAny(b.pubKey) };
  }
  if (b.pubKey !== undefined && b.pubKey.typeUrl !== "") {
    if (b.pubKey.typeUrl !== SECP256K1_PUBKEY_URL) throw ErrInvalidPubKey.wrap(`unsupported account key ${b.pubKey.typeUrl}`);
    pubKey = PubKey.decode(b.pubKey.value).key;
  }
  return { address: b.address, accountNumber: b.accountNumber, sequence: b.sequence, pubKey };
}

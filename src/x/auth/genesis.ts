/** Genesis of x/auth: params and accounts in the SDK's JSON shape; default, validate, init, export. */
import type { Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import type { Context } from "../../baseapp/context";
import { arr, at, obj, optUint, str, uint } from "../../baseapp/json";
import { toBase64, fromBase64 } from "../../baseapp/encoding";
import { type Account, type AuthKeeper, addrBytes, defaultAuthParams } from "./keeper";
import { LEGACY_AMINO_PUBKEY_TYPE_URL, type MultisigPubKey } from "../../baseapp/tx/multisig";

function paramsFromJson(v: unknown): Params {
  const d = defaultAuthParams();
  const o = obj(v ?? {}, "auth.params");
  return {
    maxMemoCharacters: optUint(o["max_memo_characters"], "auth.params.max_memo_characters", d.maxMemoCharacters),
    txSigLimit: optUint(o["tx_sig_limit"], "auth.params.tx_sig_limit", d.txSigLimit),
    txSizeCostPerByte: optUint(o["tx_size_cost_per_byte"], "auth.params.tx_size_cost_per_byte", d.txSizeCostPerByte),
    sigVerifyCostEd25519: optUint(o["sig_verify_cost_ed25519"], "auth.params.sig_verify_cost_ed25519", d.sigVerifyCostEd25519),
    sigVerifyCostSecp256k1: optUint(o["sig_verify_cost_secp256k1"], "auth.params.sig_verify_cost_secp256k1", d.sigVerifyCostSecp256k1),
  };
}

function paramsToJson(p: Params): unknown {
  return {
    max_memo_characters: p.maxMemoCharacters.toString(),
    tx_sig_limit: p.txSigLimit.toString(),
    tx_size_cost_per_byte: p.txSizeCostPerByte.toString(),
    sig_verify_cost_ed25519: p.sigVerifyCostEd25519.toString(),
    sig_verify_cost_secp256k1: p.sigVerifyCostSecp256k1.toString(),
  };
}

const PUBKEY_TYPE = "/cosmos.crypto.secp256k1.PubKey";

function accountFromJson(v: unknown, path: string): Account {
  const o = obj(v, path);
  const type = str(o["@type"], `${path}["@type"]`);
  const isModule = type === "/cosmos.auth.v1beta1.ModuleAccount";
  if (!isModule && type !== "/cosmos.auth.v1beta1.BaseAccount") {
    throw new Error(`genesis ${path}: unsupported account type ${type} (BaseAccount or ModuleAccount)`);
  }
  const base = isModule ? obj(o["base_account"], `${path}.base_account`) : o;
  const address = str(base["address"], `${path}.address`);
  at(`${path}.address`, () => addrBytes(address));
  let pubKey: Uint8Array | undefined;
  let multisig: MultisigPubKey | undefined;
  if (base["pub_key"] !== undefined && base["pub_key"] !== null) {
    const pk = obj(base["pub_key"], `${path}.pub_key`);
    if (pk["@type"] === LEGACY_AMINO_PUBKEY_TYPE_URL) multisig = multisigFromJson(pk, `${path}.pub_key`);
    else if (pk["@type"] !== PUBKEY_TYPE) throw new Error(`genesis ${path}.pub_key: only ${PUBKEY_TYPE} and ${LEGACY_AMINO_PUBKEY_TYPE_URL} are supported`);
    else pubKey = fromBase64(str(pk["key"], `${path}.pub_key.key`));
  }
  const acc: Account = {
    address,
    accountNumber: uint(base["account_number"] ?? "0", `${path}.account_number`),
    sequence: uint(base["sequence"] ?? "0", `${path}.sequence`),
    pubKey,
    ...(multisig !== undefined ? { multisig } : {}),
  };
  if (!isModule) return acc;
  const permissions = arr(o["permissions"], `${path}.permissions`).map((p, i) => str(p, `${path}.permissions[${i}]`));
  return { ...acc, module: { name: str(o["name"], `${path}.name`), permissions } };
}

/** A LegacyAminoPubKey in proto-JSON: {"@type", "threshold", "public_keys": [{"@type", "key"}]}. */
function multisigFromJson(pk: Record<string, unknown>, path: string): MultisigPubKey {
  const threshold = Number(uint(pk["threshold"], `${path}.threshold`));
  const pubKeys = arr(pk["public_keys"], `${path}.public_keys`).map((k, i) => {
    const o = obj(k, `${path}.public_keys[${i}]`);
    if (o["@type"] !== PUBKEY_TYPE) throw new Error(`genesis ${path}.public_keys[${i}]: only ${PUBKEY_TYPE} is supported`);
    return fromBase64(str(o["key"], `${path}.public_keys[${i}].key`));
  });
  if (threshold < 1 || threshold > pubKeys.length) throw new Error(`genesis ${path}.threshold must be between 1 and ${pubKeys.length}`);
  return { threshold, pubKeys };
}

function pubKeyToJson(a: Account): unknown {
  if (a.multisig !== undefined) {
    return { "@type": LEGACY_AMINO_PUBKEY_TYPE_URL, threshold: a.multisig.threshold, public_keys: a.multisig.pubKeys.map((k) => ({ "@type": PUBKEY_TYPE, key: toBase64(k) })) };
  }
  return a.pubKey === undefined ? null : { "@type": PUBKEY_TYPE, key: toBase64(a.pubKey) };
}

function accountToJson(a: Account): unknown {
  const base = {
    address: a.address,
    pub_key: pubKeyToJson(a),
    account_number: a.accountNumber.toString(),
    sequence: a.sequence.toString(),
  };
  if (a.module === undefined) return { "@type": "/cosmos.auth.v1beta1.BaseAccount", ...base };
  return { "@type": "/cosmos.auth.v1beta1.ModuleAccount", base_account: base, name: a.module.name, permissions: [...a.module.permissions] };
}

function parseGenesis(g: unknown): { params: Params; accounts: Account[] } {
  const o = obj(g ?? {}, "auth");
  return {
    params: paramsFromJson(o["params"]),
    accounts: arr(o["accounts"], "auth.accounts").map((a, i) => accountFromJson(a, `auth.accounts[${i}]`)),
  };
}

export function defaultAuthGenesis(): unknown {
  return { params: paramsToJson(defaultAuthParams()), accounts: [] };
}

export function validateAuthGenesis(g: unknown): void {
  const gen = parseGenesis(g);
  const seenAddr = new Set<string>();
  const seenNum = new Set<bigint>();
  for (const a of gen.accounts) {
    if (seenAddr.has(a.address)) throw new Error(`genesis auth.accounts: duplicate account ${a.address}`);
    if (seenNum.has(a.accountNumber)) throw new Error(`genesis auth.accounts: duplicate account number ${a.accountNumber}`);
    seenAddr.add(a.address);
    seenNum.add(a.accountNumber);
  }
}

export function initAuthGenesis(ctx: Context, auth: AuthKeeper, g: unknown): void {
  const gen = parseGenesis(g);
  auth.setParams(ctx, gen.params);
  let next = 0n;
  for (const a of gen.accounts) {
    auth.setAccount(ctx, a);
    if (a.accountNumber >= next) next = a.accountNumber + 1n;
  }
  auth.setNextAccountNumber(ctx, next);
  // Module accounts exist from genesis on, in a fixed (sorted) order so numbers are deterministic.
  for (const name of [...auth.moduleAccounts.keys()].sort()) auth.getOrCreateModuleAccount(ctx, name);
}

export function exportAuthGenesis(ctx: Context, auth: AuthKeeper): unknown {
  return { params: paramsToJson(auth.params(ctx)), accounts: auth.allAccounts(ctx).map(accountToJson) };
}

/**
 * `dcertd keys add|list|show|rename|import|export|delete`: the keyring (src/cli/keyring.ts), with
 * the SDK's `--keyring-backend file|test`, multisig keys (`keys add --multisig`), HD paths
 * (`--account`/`--index`/`--hd-path`) and the SDK's armored private key for export and import.
 */
import * as fs from "node:fs";
import { Bip39, Random } from "@cosmjs/crypto";
import { booleanFlag, stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { ArmorError, decryptArmorPrivKey, encryptArmorPrivKey } from "./armor";
import { describeClientError, HOME_FLAG, KEYRING_BACKEND_FLAG, keyringOf, isAddress } from "./clientenv";
import { CliError, commandTree, type Leaf } from "./cmdtree";
import { addEncryptionLeaf, listEncryptionLeaf, showEncryptionLeaf } from "./coord/keys";
import { hdPathOf, type FileKeyring, type KeyInfo } from "./keyring";
import { emit, OUTPUT_FLAG, type Json } from "./output";
import { confirm, getPassphrase, isInteractive, PASSPHRASE_FLAG, processTerminal, readAll, readHidden, readLine, type Terminal } from "./prompt";

const YES_FLAG: FlagSpec = { name: "yes", boolean: true, description: "do not ask for confirmation; -y for short" };
const COMMON: readonly FlagSpec[] = [HOME_FLAG, KEYRING_BACKEND_FLAG, PASSPHRASE_FLAG, OUTPUT_FLAG];

export const EXPORT_PASSPHRASE_ENV = "DCERT_EXPORT_PASSPHRASE";
export const IMPORT_PASSPHRASE_ENV = "DCERT_IMPORT_PASSPHRASE";

export function keyJson(k: KeyInfo): { [key: string]: Json } {
  return {
    name: k.name,
    type: k.type,
    address: k.address,
    pubkey: k.pubkey,
    ...(k.multisig !== undefined ? { threshold: k.multisig.threshold, pubkeys: [...k.multisig.pubkeys] } : {}),
  };
}

/** The keyring passphrase when the backend needs one (file), else "" (test). */
export async function keyringPassphrase(args: ParsedArgs, keyring: FileKeyring, opts: { confirm?: boolean } = {}): Promise<string> {
  return keyring.needsPassphrase ? getPassphrase(args, opts) : "";
}

/**
 * A passphrase for an armored key: `$<env>`, else a hidden prompt on a terminal (twice when
 * `confirm`), else the first line of stdin (as simd reads it).
 */
async function armorPassphrase(env: string, question: string, opts: { confirm?: boolean; term?: Terminal } = {}): Promise<string> {
  const fromEnv = process.env[env];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const term = opts.term ?? processTerminal();
  if (isInteractive(term)) {
    const first = await readHidden(term, `${question}: `);
    if (opts.confirm === true && (await readHidden(term, `Repeat the passphrase: `)) !== first) throw new CliError("the two passphrases differ", "run the command again and type the same passphrase twice");
    return first;
  }
  const line = (await readAll(process.stdin)).split(/\r?\n/)[0] ?? "";
  if (line === "") throw new CliError(`no passphrase for the armored key`, `set ${env}, pipe it on stdin, or run the command on a terminal`);
  return line;
}

function describeKeysError(e: unknown): CliError | undefined {
  if (e instanceof ArmorError) {
    return new CliError(e.message, e.wrongPassphrase ? "give the passphrase the key was exported with" : "give a file written by \"keys export\" (dcertd, simd or gaiad)");
  }
  return describeClientError(e);
}

function oneName(args: ParsedArgs, max = 1): string {
  const [name, ...rest] = args.positionals;
  if (name === undefined) throw new UsageError("name the key");
  if (rest.length > max - 1) throw new UsageError(`unexpected argument "${rest[max - 1] ?? ""}"`);
  return name;
}

/** A mnemonic from a file, from piped stdin, or typed at a prompt. */
async function readMnemonic(file: string | undefined): Promise<string> {
  if (file !== undefined) {
    try {
      return fs.readFileSync(file, "utf8");
    } catch (e) {
      throw new CliError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, "give the path of a file holding the mnemonic");
    }
  }
  const term = processTerminal();
  const text = isInteractive(term) ? await readLine(term, "Enter your BIP-39 mnemonic: ") : await readAll(process.stdin);
  if (text.trim() === "") throw new CliError("no mnemonic was given", "pipe it on stdin, give a file, or type it at the prompt");
  return text;
}

function intFlag(args: ParsedArgs, name: string): number | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v) || Number(v) >= 2 ** 31) throw new UsageError(`--${name} must be an integer from 0 to 2147483647, got "${v}"`);
  return Number(v);
}

/** The HD path of --account/--index/--hd-path (m/44'/118'/0'/0/0 by default). */
function hdPathFlags(args: ParsedArgs): string {
  const account = intFlag(args, "account");
  const index = intFlag(args, "index");
  const hdPath = stringFlag(args, "hd-path");
  return hdPathOf({ ...(account !== undefined ? { account } : {}), ...(index !== undefined ? { index } : {}), ...(hdPath !== undefined ? { hdPath } : {}) });
}

const HD_FLAGS: readonly FlagSpec[] = [
  { name: "account", valueName: "n", description: "HD account number: m/44'/118'/<n>'/0/<index>", defaultText: "0" },
  { name: "index", valueName: "n", description: "HD address index: m/44'/118'/<account>'/0/<n>", defaultText: "0" },
  { name: "hd-path", valueName: "path", description: "the full BIP-32 path instead of --account/--index, e.g. m/44'/118'/0'/0/3" },
];

/** `keys add NAME --multisig k1,k2,k3 --multisig-threshold 2`: member keys by name, address of a stored key, or base64 public key. */
function addMultisig(args: ParsedArgs, keyring: FileKeyring, name: string, list: string): number {
  const thresholdText = stringFlag(args, "multisig-threshold");
  if (thresholdText === undefined || !/^[0-9]+$/.test(thresholdText)) throw new UsageError("--multisig needs --multisig-threshold <k> (how many of the keys must sign)");
  for (const f of ["recover", "account", "index", "hd-path"]) if (args.flags[f] !== undefined) throw new UsageError(`--${f} does not apply to a multisig key`);
  const members = list.split(",").map((m) => m.trim()).filter((m) => m !== "");
  const pubkeys = members.map((m) => {
    // A 33-byte compressed public key in base64 is 44 characters without padding.
    if (!isAddress(m) && !keyring.has(m) && /^[A-Za-z0-9+/]{44}$/.test(m)) return Uint8Array.from(Buffer.from(m, "base64"));
    const k = keyring.get(m);
    if (k.type === "multi") throw new CliError(`"${m}" is itself a multisig key`, "nested multisig keys are not supported; list single keys");
    return Uint8Array.from(Buffer.from(k.pubkey, "base64"));
  });
  const info = keyring.addMultisig(name, Number(thresholdText), pubkeys, { nosort: booleanFlag(args, "nosort") });
  emit(args, keyJson(info), [`stored multisig key "${name}" (${info.multisig?.threshold ?? 0} of ${pubkeys.length}) in ${keyring.dir}`, "", `address  ${info.address}`].join("\n"));
  return 0;
}

const addLeaf: Leaf = {
  path: ["add"],
  summary: "create a key (a new 24-word mnemonic), store one (--recover), or a multisig key (--multisig)",
  positionals: ["<name>"],
  details: [
    "The mnemonic is encrypted with the keyring passphrase (file backend); it is printed once, unless --no-backup.",
    "With --recover the mnemonic is read from stdin (or a prompt on a terminal).",
    "--multisig k1,k2,k3 --multisig-threshold 2 stores a 2-of-3 multisig key (public keys only) made of stored keys",
    "(names or addresses) or base64 public keys; the keys are sorted by address as the SDK does, unless --nosort.",
  ],
  flags: [
    ...COMMON,
    { name: "recover", boolean: true, description: "store an existing mnemonic instead of creating one" },
    { name: "no-backup", boolean: true, description: "do not print the new mnemonic" },
    ...HD_FLAGS,
    { name: "multisig", valueName: "keys", description: "comma-separated member keys of a multisig key" },
    { name: "multisig-threshold", valueName: "k", description: "how many member signatures the multisig key needs" },
    { name: "nosort", boolean: true, description: "keep the --multisig keys in the order given" },
  ],
  async run(args) {
    const name = oneName(args);
    const keyring = keyringOf(args);
    if (keyring.has(name)) throw new CliError(`a key named "${name}" already exists in ${keyring.dir}`, `choose another name, or delete it first with "dcertd keys delete ${name}"`);
    const multisig = stringFlag(args, "multisig");
    if (multisig !== undefined) return addMultisig(args, keyring, name, multisig);
    if (stringFlag(args, "multisig-threshold") !== undefined || booleanFlag(args, "nosort")) throw new UsageError("--multisig-threshold and --nosort go with --multisig");
    const hdPath = hdPathFlags(args);
    const recover = booleanFlag(args, "recover");
    const mnemonic = recover ? await readMnemonic(undefined) : Bip39.encode(Random.getBytes(32)).toString();
    const passphrase = await keyringPassphrase(args, keyring, { confirm: keyring.list().length === 0 });
    const info = await keyring.add(name, mnemonic, passphrase, { hdPath });
    const showMnemonic = !recover && !booleanFlag(args, "no-backup");
    const json = { ...keyJson(info), ...(showMnemonic ? { mnemonic } : {}) };
    const text = [
      `stored key "${name}" in ${keyring.dir}`,
      "",
      ...[["name", info.name], ["address", info.address], ["pubkey", info.pubkey], ["hd path", info.hdPath]].map(([k, v]) => `${(k ?? "").padEnd(9)}${v ?? ""}`),
      ...(showMnemonic
        ? ["", "**Important** write this mnemonic phrase in a safe place.", "It is the only way to recover your account if you ever forget your passphrase.", "", mnemonic]
        : []),
    ].join("\n");
    emit(args, json, text);
    return 0;
  },
};

const renameLeaf: Leaf = {
  path: ["rename"],
  summary: "rename a key (after the passphrase and a confirmation)",
  positionals: ["<old-name>", "<new-name>"],
  flags: [...COMMON, YES_FLAG],
  async run(args) {
    const [from, to, extra] = args.positionals;
    if (from === undefined || to === undefined) throw new UsageError("give the key's name and its new name");
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const keyring = keyringOf(args);
    const info = keyring.get(from);
    if (keyring.has(to)) throw new CliError(`a key named "${to}" already exists in ${keyring.dir}`, "choose another name");
    const passphrase = info.type === "local" ? await keyringPassphrase(args, keyring) : "";
    if (!booleanFlag(args, "yes")) {
      const ok = await confirm(`Rename key "${info.name}" (${info.address}) to "${to}"?`, "add --yes to rename without a prompt");
      if (!ok) throw new CliError("renaming cancelled", "nothing was changed");
    }
    const renamed = keyring.rename(info.name, to, passphrase);
    emit(args, keyJson(renamed), `renamed key "${info.name}" to "${to}"`);
    return 0;
  },
};

const listLeaf: Leaf = {
  path: ["list"],
  summary: "list the keys (no passphrase needed)",
  flags: [HOME_FLAG, KEYRING_BACKEND_FLAG, OUTPUT_FLAG],
  async run(args) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
    const keys = keyringOf(args).list();
    emit(args, keys.map(keyJson), keys.length === 0 ? `no keys in ${keyringOf(args).dir}; create one with "dcertd keys add <name>"` : undefined);
    return 0;
  },
};

const showLeaf: Leaf = {
  path: ["show"],
  summary: "show a key's address and public key (no passphrase needed)",
  positionals: ["<name-or-address>"],
  flags: [HOME_FLAG, KEYRING_BACKEND_FLAG, OUTPUT_FLAG, { name: "address", boolean: true, description: "print only the address; -a for short" }],
  async run(args) {
    const info = keyringOf(args).get(oneName(args));
    if (booleanFlag(args, "address")) {
      emit(args, info.address, info.address);
      return 0;
    }
    emit(args, keyJson(info));
    return 0;
  },
};

const importLeaf: Leaf = {
  path: ["import"],
  summary: "store a key from an armored export (simd/gaiad/dcertd keys export) or a mnemonic",
  positionals: ["<name>", "[file]"],
  details: [
    "A file starting with -----BEGIN TENDERMINT PRIVATE KEY----- is the SDK's armored private key (kdf bcrypt or argon2):",
    `its passphrase comes from $${IMPORT_PASSPHRASE_ENV}, a prompt on a terminal, or the first line of stdin.`,
    "Anything else is read as a mnemonic (from the file, else stdin or a prompt).",
  ],
  flags: [...COMMON],
  async run(args) {
    const [name, file, extra] = args.positionals;
    if (name === undefined) throw new UsageError("name the key");
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const keyring = keyringOf(args);
    if (keyring.has(name)) throw new CliError(`a key named "${name}" already exists in ${keyring.dir}`, `choose another name, or delete it first with "dcertd keys delete ${name}"`);
    const content = await readMnemonic(file);
    let info: KeyInfo;
    if (content.trimStart().startsWith("-----BEGIN ")) {
      const privateKey = decryptArmorPrivKey(content, await armorPassphrase(IMPORT_PASSPHRASE_ENV, "Enter the passphrase of the armored key"));
      info = await keyring.addPrivateKey(name, privateKey, await keyringPassphrase(args, keyring, { confirm: keyring.list().length === 0 }));
      privateKey.fill(0);
    } else {
      info = await keyring.add(name, content, await keyringPassphrase(args, keyring, { confirm: keyring.list().length === 0 }));
    }
    emit(args, keyJson(info), `imported key "${name}" (${info.address}) into ${keyring.dir}`);
    return 0;
  },
};

const exportLeaf: Leaf = {
  path: ["export"],
  summary: "print a key as the SDK's armored, passphrase-encrypted private key (simd/gaiad keys import read it)",
  positionals: ["<name-or-address>"],
  details: [
    `The export passphrase comes from $${EXPORT_PASSPHRASE_ENV}, a prompt on a terminal (twice), or the first line of stdin.`,
    "--unsafe prints the mnemonic in plain text instead; --unsafe --unarmored-hex the private key in hex.",
    "Anyone who sees those controls the account: print them only where nobody else can read them.",
  ],
  flags: [
    ...COMMON,
    { name: "unsafe", boolean: true, description: "print the mnemonic in plain text (with a warning on stderr)" },
    { name: "unarmored-hex", boolean: true, description: "with --unsafe: print the private key in hex instead" },
  ],
  async run(args) {
    const unsafe = booleanFlag(args, "unsafe");
    const hex = booleanFlag(args, "unarmored-hex");
    if (hex && !unsafe) throw new UsageError("--unarmored-hex prints the private key in plain text, which gives control of the account; add --unsafe to print it anyway");
    const keyring = keyringOf(args);
    const info = keyring.get(oneName(args));
    if (info.type === "multi") throw new CliError(`"${info.name}" is a multisig key: it has no private key to export`, `share its public keys instead ("dcertd keys show ${info.name} -o json")`);
    const passphrase = await keyringPassphrase(args, keyring);
    if (unsafe) {
      if (hex) {
        const key = Buffer.from(await keyring.privateKey(info.name, passphrase)).toString("hex");
        process.stderr.write(`warning: this is the plain-text private key of "${info.name}" (${info.address}); anyone who sees it controls the account\n`);
        emit(args, { name: info.name, address: info.address, private_key: key }, key);
        return 0;
      }
      const mnemonic = keyring.decrypt(info.name, passphrase);
      process.stderr.write(`warning: this is the plain-text mnemonic of "${info.name}" (${info.address}); anyone who sees it controls the account: do not share it, log it or store it unencrypted\n`);
      emit(args, { name: info.name, address: info.address, mnemonic }, mnemonic);
      return 0;
    }
    const privateKey = await keyring.privateKey(info.name, passphrase);
    const exportPassphrase = await armorPassphrase(EXPORT_PASSPHRASE_ENV, "Enter a passphrase to encrypt the exported key", { confirm: true });
    const armor = encryptArmorPrivKey(privateKey, exportPassphrase);
    privateKey.fill(0);
    emit(args, { name: info.name, address: info.address, armor }, armor);
    return 0;
  },
};

const deleteLeaf: Leaf = {
  path: ["delete"],
  summary: "delete a key (after the passphrase and a confirmation)",
  positionals: ["<name-or-address>"],
  flags: [...COMMON, YES_FLAG],
  async run(args) {
    const keyring = keyringOf(args);
    const info = keyring.get(oneName(args));
    const passphrase = info.type === "local" ? await keyringPassphrase(args, keyring) : "";
    if (info.type === "local") keyring.secret(info.name, passphrase);
    if (!booleanFlag(args, "yes")) {
      const ok = await confirm(`Delete key "${info.name}" (${info.address})? It cannot be recovered without its mnemonic.`, "add --yes to delete without a prompt");
      if (!ok) throw new CliError("deletion cancelled", "nothing was deleted");
    }
    keyring.delete(info.name, passphrase);
    emit(args, { name: info.name, address: info.address, deleted: true }, `deleted key "${info.name}"`);
    return 0;
  },
};

export const keysCommand = commandTree("keys", "manage the local keyring (encrypted with a passphrase)", [addLeaf, listLeaf, showLeaf, renameLeaf, importLeaf, exportLeaf, deleteLeaf, addEncryptionLeaf, showEncryptionLeaf, listEncryptionLeaf], {
  intro: [
    "Keys are files under <home>/keyring-file/, each secret encrypted (scrypt + AES-256-GCM) with the",
    `keyring passphrase: --keyring-passphrase, $DCERT_KEYRING_PASSPHRASE, or a prompt on a terminal.`,
    "--keyring-backend test keeps them unencrypted under <home>/keyring-test/ (no passphrase; for scripts and tests).",
    "Encryption keys (X25519, for coordination notices) live under <home>/keyring-file/encryption/, same passphrase.",
  ],
  commonFlags: COMMON,
  describeError: describeKeysError,
});

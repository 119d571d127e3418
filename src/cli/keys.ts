/**
 * `dcertd keys add|list|show|import|export|delete`: the file keyring (src/cli/keyring.ts).
 */
import * as fs from "node:fs";
import { Bip39, Random } from "@cosmjs/crypto";
import { booleanFlag, UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { describeClientError, HOME_FLAG, keyringOf } from "./clientenv";
import { CliError, commandTree, type Leaf } from "./cmdtree";
import { addEncryptionLeaf, listEncryptionLeaf, showEncryptionLeaf } from "./coord/keys";
import type { KeyInfo } from "./keyring";
import { emit, OUTPUT_FLAG, type Json } from "./output";
import { confirm, getPassphrase, isInteractive, PASSPHRASE_FLAG, processTerminal, readAll, readLine } from "./prompt";

const YES_FLAG: FlagSpec = { name: "yes", boolean: true, description: "do not ask for confirmation; -y for short" };
const COMMON: readonly FlagSpec[] = [HOME_FLAG, PASSPHRASE_FLAG, OUTPUT_FLAG];

function keyJson(k: KeyInfo): { [key: string]: Json } {
  return { name: k.name, type: k.type, address: k.address, pubkey: k.pubkey };
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

const addLeaf: Leaf = {
  path: ["add"],
  summary: "create a key (a new 24-word mnemonic) or, with --recover, store an existing mnemonic",
  positionals: ["<name>"],
  details: [
    "The mnemonic is encrypted with the keyring passphrase; it is printed once, unless --no-backup.",
    "With --recover the mnemonic is read from stdin (or a prompt on a terminal).",
  ],
  flags: [
    ...COMMON,
    { name: "recover", boolean: true, description: "store an existing mnemonic instead of creating one" },
    { name: "no-backup", boolean: true, description: "do not print the new mnemonic" },
  ],
  async run(args) {
    const name = oneName(args);
    const keyring = keyringOf(args);
    if (keyring.has(name)) throw new CliError(`a key named "${name}" already exists in ${keyring.dir}`, `choose another name, or delete it first with "dcertd keys delete ${name}"`);
    const recover = booleanFlag(args, "recover");
    const mnemonic = recover ? await readMnemonic(undefined) : Bip39.encode(Random.getBytes(32)).toString();
    const passphrase = await getPassphrase(args, { confirm: keyring.list().length === 0 });
    const info = await keyring.add(name, mnemonic, passphrase);
    const showMnemonic = !recover && !booleanFlag(args, "no-backup");
    const json = { ...keyJson(info), ...(showMnemonic ? { mnemonic } : {}) };
    const text = [
      `stored key "${name}" in ${keyring.dir}`,
      "",
      ...[["name", info.name], ["address", info.address], ["pubkey", info.pubkey]].map(([k, v]) => `${(k ?? "").padEnd(9)}${v ?? ""}`),
      ...(showMnemonic
        ? ["", "**Important** write this mnemonic phrase in a safe place.", "It is the only way to recover your account if you ever forget your passphrase.", "", mnemonic]
        : []),
    ].join("\n");
    emit(args, json, text);
    return 0;
  },
};

const listLeaf: Leaf = {
  path: ["list"],
  summary: "list the keys (no passphrase needed)",
  flags: [HOME_FLAG, OUTPUT_FLAG],
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
  flags: [HOME_FLAG, OUTPUT_FLAG, { name: "address", boolean: true, description: "print only the address; -a for short" }],
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
  summary: "store a mnemonic (from a file, or stdin) under a new name",
  positionals: ["<name>", "[mnemonic-file]"],
  details: ["Reads what `dcertd keys export` prints: the mnemonic words (from the file, else stdin or a prompt)."],
  flags: [...COMMON],
  async run(args) {
    const [name, file, extra] = args.positionals;
    if (name === undefined) throw new UsageError("name the key");
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const keyring = keyringOf(args);
    if (keyring.has(name)) throw new CliError(`a key named "${name}" already exists in ${keyring.dir}`, `choose another name, or delete it first with "dcertd keys delete ${name}"`);
    const mnemonic = await readMnemonic(file);
    const passphrase = await getPassphrase(args, { confirm: keyring.list().length === 0 });
    const info = await keyring.add(name, mnemonic, passphrase);
    emit(args, keyJson(info), `imported key "${name}" (${info.address}) into ${keyring.dir}`);
    return 0;
  },
};

const exportLeaf: Leaf = {
  path: ["export"],
  summary: "print a key's mnemonic in plain text (only with --unsafe; after the passphrase)",
  positionals: ["<name-or-address>"],
  details: [
    "Anyone who sees the mnemonic controls the account: print it only where nobody else can read it.",
    "Refuses (exit 2) without --unsafe; with it, prints the mnemonic and a warning on stderr.",
  ],
  flags: [...COMMON, { name: "unsafe", boolean: true, description: "print the mnemonic in plain text (required)" }],
  async run(args) {
    if (!booleanFlag(args, "unsafe")) {
      throw new UsageError("keys export prints the mnemonic in plain text, which gives control of the account; add --unsafe to print it anyway, where nobody else can read it");
    }
    const keyring = keyringOf(args);
    const info = keyring.get(oneName(args));
    const passphrase = await getPassphrase(args);
    const mnemonic = keyring.decrypt(info.name, passphrase);
    process.stderr.write(`warning: this is the plain-text mnemonic of "${info.name}" (${info.address}); anyone who sees it controls the account: do not share it, log it or store it unencrypted\n`);
    emit(args, { name: info.name, address: info.address, mnemonic }, mnemonic);
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
    const passphrase = await getPassphrase(args);
    keyring.decrypt(info.name, passphrase);
    if (!booleanFlag(args, "yes")) {
      const ok = await confirm(`Delete key "${info.name}" (${info.address})? It cannot be recovered without its mnemonic.`, "add --yes to delete without a prompt");
      if (!ok) throw new CliError("deletion cancelled", "nothing was deleted");
    }
    keyring.delete(info.name, passphrase);
    emit(args, { name: info.name, address: info.address, deleted: true }, `deleted key "${info.name}"`);
    return 0;
  },
};

export const keysCommand = commandTree("keys", "manage the local keyring (encrypted with a passphrase)", [addLeaf, listLeaf, showLeaf, importLeaf, exportLeaf, deleteLeaf, addEncryptionLeaf, showEncryptionLeaf, listEncryptionLeaf], {
  intro: [
    "Keys are files under <home>/keyring-file/, each mnemonic encrypted (scrypt + AES-256-GCM) with the",
    `keyring passphrase: --keyring-passphrase, $DCERT_KEYRING_PASSPHRASE, or a prompt on a terminal.`,
    "Encryption keys (X25519, for coordination notices) live under <home>/keyring-file/encryption/, same passphrase.",
  ],
  commonFlags: COMMON,
  describeError: describeClientError,
});

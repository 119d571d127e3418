/**
 * `dcertd keys add-encryption|show-encryption|list-encryption`: the X25519 keys sealed notices and
 * input are encrypted to (enckeys.ts), and `dcertd coord template private|public`: the coordination
 * templates rendered from a local case directory (templates.ts).
 */
import type { AdvisoryFormat } from "../../client/coord/render";
import { booleanFlag, stringFlag, UsageError, type FlagSpec, type Leaf, type ParsedArgs } from "../args";
import { describeClientError, HOME_FLAG, keyringOf, resolveAddress, resolveHome, connectReader, NODE_FLAG, resolveNode } from "../clientenv";
import { CliError, commandTree } from "../cmdtree";
import { emit, OUTPUT_FLAG } from "../output";
import { getPassphrase, PASSPHRASE_FLAG } from "../prompt";
import { loadCase } from "./casedir";
import { idArg, isNotFound, positionals } from "./common";
import { EncryptionKeyring, type EncryptionKeyInfo } from "./enckeys";
import { localChainOf, privateDisclosureText, publicPreview } from "./templates";

function keyJson(k: EncryptionKeyInfo): { [key: string]: string | number } {
  return {
    name: k.name,
    algo: k.algo,
    public_key: Buffer.from(k.publicKey).toString("base64"),
    public_key_hex: Buffer.from(k.publicKey).toString("hex"),
    versions: k.publicKeys.length,
  };
}

function nameArg(args: ParsedArgs): string {
  const [name] = positionals(args.positionals, ["<name>"]) as [string];
  return name;
}

export const addEncryptionLeaf: Leaf = {
  path: ["add-encryption"],
  summary: "create an X25519 encryption key (for coordination notices); --rotate adds a new one, keeping the old",
  positionals: ["<name>"],
  details: [
    "Name it like your account key, so that tx coord register-party and watch find it without --encryption-key.",
    "After --rotate, publish the new key with \"dcertd tx coord update-party --from <name>\"; old notices still open.",
  ],
  flags: [HOME_FLAG, PASSPHRASE_FLAG, OUTPUT_FLAG, { name: "rotate", boolean: true, description: "replace the current key of an existing name (old secrets are kept)" }],
  async run(args) {
    const name = nameArg(args);
    const ring = new EncryptionKeyring(keyringOf(args));
    const rotate = booleanFlag(args, "rotate");
    if (rotate && !ring.has(name)) throw new CliError(`there is no encryption key named "${name}" to rotate`, `create it with "dcertd keys add-encryption ${name}"`);
    if (!rotate && ring.has(name)) throw new CliError(`an encryption key named "${name}" already exists`, `rotate it with "dcertd keys add-encryption ${name} --rotate", or choose another name`);
    const fresh = keyringOf(args).list().length === 0 && ring.list().length === 0;
    const passphrase = await getPassphrase(args, { confirm: fresh });
    const info = rotate ? ring.rotate(name, passphrase) : ring.add(name, passphrase);
    emit(args, keyJson(info), `${rotate ? "rotated" : "stored"} encryption key "${name}" in ${ring.dir}\n\npublic key  ${Buffer.from(info.publicKey).toString("base64")}\n${rotate ? "\npublish it: dcertd tx coord update-party --from " + name : ""}`.trimEnd());
    return 0;
  },
};

export const showEncryptionLeaf: Leaf = {
  path: ["show-encryption"],
  summary: "show an encryption key's current public key, base64 and hex (no passphrase needed)",
  positionals: ["<name>"],
  flags: [HOME_FLAG, OUTPUT_FLAG],
  async run(args) {
    emit(args, keyJson(new EncryptionKeyring(keyringOf(args)).get(nameArg(args))));
    return 0;
  },
};

export const listEncryptionLeaf: Leaf = {
  path: ["list-encryption"],
  summary: "list the encryption keys (no passphrase needed)",
  flags: [HOME_FLAG, OUTPUT_FLAG],
  async run(args) {
    positionals(args.positionals, []);
    const ring = new EncryptionKeyring(keyringOf(args));
    const keys = ring.list();
    emit(args, keys.map(keyJson), keys.length === 0 ? `no encryption keys in ${ring.dir}; create one with "dcertd keys add-encryption <name>"` : undefined);
    return 0;
  },
};

// ---- dcertd coord template private|public

const TEMPLATE_FLAGS: readonly FlagSpec[] = [
  HOME_FLAG,
  NODE_FLAG,
  { name: "case", valueName: "id", description: "the case (from the local case directory)" },
  { name: "chain-id", valueName: "id", description: "the chain of the local case", defaultText: "the only chain folder holding the case" },
  { name: "to", valueName: "party", description: "private: the recipient (address or key name; its registered name is looked up on --node), or a plain name" },
  { name: "from", valueName: "key", description: "private: the member signing it (key name or address)", defaultText: "the case's opener" },
  { name: "format", valueName: "md|json|osv|csaf", description: "public: the document format", defaultText: "md" },
  { name: "prefix", valueName: "text", description: "public: advisory id prefix (the chain's advisory_id_prefix)", defaultText: "DCERT" },
];

async function recipientName(args: ParsedArgs, to: string): Promise<string> {
  let address: string;
  try {
    address = resolveAddress(args, to, "--to");
  } catch {
    return to;
  }
  const client = await connectReader(resolveNode(args)).catch(() => undefined);
  if (client === undefined) return address;
  try {
    return (await client.coord.party(address)).party?.name ?? address;
  } catch (e) {
    if (isNotFound(e)) return address;
    throw e;
  } finally {
    client.disconnect();
  }
}

const templateLeaf: Leaf = {
  path: ["template"],
  summary: "render the private disclosure (to one party) or a preview of the public advisory from a local case",
  positionals: ["<private|public>"],
  details: ["Example: dcertd coord template private --case 3 --to dcert1… ; dcertd coord template public --case 3 --format osv"],
  flags: TEMPLATE_FLAGS,
  async run(args) {
    const [which] = positionals(args.positionals, ["<private|public>"]) as [string];
    if (which !== "private" && which !== "public") throw new UsageError(`the template is private or public, got "${which}"`);
    const caseText = stringFlag(args, "case");
    if (caseText === undefined) throw new UsageError("--case <id> is required");
    const caseId = idArg(caseText, "case id");
    const home = resolveHome(args);
    const loaded = loadCase(home, localChainOf(home, caseId, stringFlag(args, "chain-id")), caseId);
    if (which === "private") {
      const to = stringFlag(args, "to");
      if (to === undefined) throw new UsageError("--to <party> is required for the private template (it names the recipient)");
      const from = stringFlag(args, "from");
      const coordinator = from === undefined ? loaded.c.opener : (keyringOf(args).list().find((k) => k.name === from || k.address === from)?.name ?? from);
      process.stdout.write(privateDisclosureText(loaded, { recipientName: await recipientName(args, to), coordinator }));
      return 0;
    }
    const format = (stringFlag(args, "format") ?? "md") as AdvisoryFormat;
    if (!["md", "json", "osv", "csaf"].includes(format)) throw new UsageError(`--format must be md, json, osv or csaf, got "${format}"`);
    const out = publicPreview(loaded, stringFlag(args, "prefix") ?? "DCERT", format);
    process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
    return 0;
  },
};

export const coordCommand = commandTree("coord", "coordination tools that work on local case directories (templates)", [templateLeaf], {
  intro: ["Local case directories are <home>/coord/<chain-id>/<case-id>/, written by \"dcertd tx coord open-case\"."],
  describeError: describeClientError,
});

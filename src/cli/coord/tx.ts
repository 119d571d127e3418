/**
 * `dcertd tx coord …` (alias `tx coordination …`): one command per coord.v1 message. The commands
 * that handle secrets do the cryptography locally: open-case makes the salts and commitments and
 * keeps them in the local case directory (casedir.ts); notify and submit-input seal to the
 * recipients' registered keys; ack hashes the fetched envelope; reveal rebuilds the items from the
 * case directory. Signing, gas, confirmation and output are tx.ts's (`runTx`), passed in so this
 * module does not import tx.ts at run time.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { toHex } from "@cosmjs/encoding";
import type { DeliverTxResponse } from "@cosmjs/stargate";
import {
  buildAcknowledge,
  buildApproveRevision,
  buildCloseCase,
  buildCommit,
  buildEscalate,
  buildJoinCase,
  buildOpenCase,
  buildProposeRevision,
  buildRegisterParty,
  buildReveal,
  buildSendNotice,
  buildSetRevealGate,
  buildSubmitInput,
  buildUpdateInvolvement,
  buildUpdateParty,
  buildWithdrawParty,
  type NoticeArg,
} from "../../client/coord/builders";
import type { SigningDcertClient } from "../../client/signingdcertclient";
import { MsgOpenCaseResponse } from "../../generated/coord/v1/tx";
import {
  AffectedComponents,
  CommitmentKind,
  commitmentKindToJSON,
  RecordSummary,
  RevisionKind,
  SealedLevel,
  type Component,
  type Notice,
  type Party,
} from "../../generated/coord/v1/types";
import { envelopeHash, planNameProblem, sealEnvelope, sha256 } from "../../types/coord";
import { booleanFlag, listFlag, stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "../args";
import { keyringOf, resolveAddress, resolveHome } from "../clientenv";
import { CliError, type Leaf } from "../cmdtree";
import type { Json } from "../output";
import type { Builder, TxPlan } from "../tx";
import {
  amendCase,
  caseComponents,
  commitItem,
  commitmentInputs,
  deadlineText,
  draftItems,
  finalizeCase,
  loadCase,
  parseAdvisory,
  parseDeadline,
  parseFix,
  readCaseDraft,
  revealItemsFor,
  stageCase,
  type Deadline,
  type ItemContent,
  type LocalCase,
} from "./casedir";
import { COMMITMENT_KINDS, enumArg, idArg, INVOLVEMENT_STATUSES, isNotFound, NOTICE_KINDS, PARTY_KINDS, positionals, readFileArg, requireParty, REVISION_KINDS } from "./common";
import { DEPENDENCY_SYNTAX, parseComponent, parseComponentList } from "./deps";
import { EncryptionKeyring } from "./enckeys";
import { privateDisclosureText } from "./templates";

/** What tx.ts lends this module: its common flags and its sign-and-broadcast runner. */
export interface TxRunner {
  readonly common: readonly FlagSpec[];
  readonly run: (args: ParsedArgs, build: Builder, fromOverride?: string) => Promise<number>;
}

const REASON: FlagSpec = { name: "reason", valueName: "text", description: "why (public, recorded on chain)" };
const READINESS_PLAN: FlagSpec = {
  name: "readiness-plan",
  valueName: "plan",
  description: "gate the reveal on this upgrade plan: nothing is revealed until 2/3 of voting power runs a build ready for it (public)",
};
const DEADLINE: FlagSpec = { name: "deadline", valueName: "time|height:N", description: "embargo deadline T: an RFC 3339 time (2026-01-31T12:00:00Z) or height:N" };
const PARTY_FLAGS: readonly FlagSpec[] = [
  { name: "kind", valueName: "kind", description: `what the party is: ${[...PARTY_KINDS.keys()].join(", ")}` },
  { name: "name", valueName: "text", description: "public name (≤ 70 characters)" },
  { name: "contact", valueName: "text", description: "public contact, e.g. security@example.org (optional)" },
  { name: "encryption-key", valueName: "name", description: "the keyring's encryption key whose current public key is published", defaultText: "the key named like --from" },
  { name: "dep", valueName: "dependency", multiple: true, description: "a dependency, repeatable: route:/x.v1.MsgY, module:bank, tag:a/b, pkg:npm/foo@vers:semver/>=1.0.0|<1.2.0" },
];

/** --readiness-plan, checked against the plan-name rule ("" when absent). */
function readinessPlanOf(args: ParsedArgs): string {
  const plan = stringFlag(args, "readiness-plan");
  if (plan === undefined) return "";
  const why = planNameProblem(plan);
  if (why !== undefined) throw new UsageError(`--readiness-plan: ${why}`);
  return plan;
}

function caseIdOf(args: ParsedArgs, names: readonly string[] = ["<case-id>"]): bigint {
  const [id] = positionals(args.positionals, names);
  return idArg(id, "case id");
}

/** The current public key of the encryption key named by --encryption-key (or like the --from key). */
function encryptionKeyOf(args: ParsedArgs, from: string): Uint8Array {
  const accounts = keyringOf(args);
  const name = stringFlag(args, "encryption-key") ?? accounts.list().find((k) => k.address === from)?.name;
  if (name === undefined) throw new UsageError("--encryption-key <name> is required when --from is not a key of this keyring");
  const ring = new EncryptionKeyring(accounts);
  if (!ring.has(name)) throw new CliError(`the keyring has no encryption key named "${name}"`, `create it with "dcertd keys add-encryption ${name}" (or name another with --encryption-key)`);
  return ring.get(name).publicKey;
}

function dependencies(args: ParsedArgs): Component[] {
  return listFlag(args, "dep").map(parseComponent);
}

function chainOf(client: SigningDcertClient): Promise<string> {
  return client.getChainId();
}

// ---- parties

const registerParty = (r: TxRunner): Leaf => ({
  path: ["coord", "register-party"],
  summary: "register the signer as a party: kind, name, encryption key, dependencies (locks the party deposit)",
  details: ["Dependency syntax: " + DEPENDENCY_SYNTAX, "Example: --kind downstream-project --name 'Foo wallet' --dep route:/cosmos.bank.v1beta1.MsgSend --dep 'pkg:npm/foo@vers:semver/>=1.0.0|<1.2.0'"],
  flags: [...r.common, ...PARTY_FLAGS],
  run: (args) =>
    r.run(args, (from) => {
      positionals(args.positionals, []);
      const kindText = stringFlag(args, "kind");
      const name = stringFlag(args, "name");
      if (kindText === undefined || name === undefined) throw new UsageError("--kind and --name are required");
      return {
        msgs: [
          buildRegisterParty({
            owner: from,
            kind: enumArg(PARTY_KINDS, kindText, "--kind"),
            name,
            contact: stringFlag(args, "contact") ?? "",
            encryptionKey: encryptionKeyOf(args, from),
            dependencies: dependencies(args),
          }),
        ],
      };
    }),
});

const updateParty = (r: TxRunner): Leaf => ({
  path: ["coord", "update-party"],
  summary: "change your party record; fields not given stay as registered (--dep replaces all dependencies)",
  details: ["A new --encryption-key (or a rotated one: keys add-encryption NAME --rotate) bumps the key epoch.", "--no-deps removes every dependency."],
  flags: [...r.common, ...PARTY_FLAGS, { name: "no-deps", boolean: true, description: "declare no dependencies" }],
  run: (args) =>
    r.run(args, async (from, client) => {
      positionals(args.positionals, []);
      const current = await requireParty(client.coord, from, "the --from key");
      const kindText = stringFlag(args, "kind");
      const deps = dependencies(args);
      if (booleanFlag(args, "no-deps") && deps.length > 0) throw new UsageError("give --dep or --no-deps, not both");
      const keyGiven = stringFlag(args, "encryption-key") !== undefined || new EncryptionKeyring(keyringOf(args)).has(keyringOf(args).list().find((k) => k.address === from)?.name ?? "-");
      return {
        msgs: [
          buildUpdateParty({
            owner: from,
            kind: kindText === undefined ? current.kind : enumArg(PARTY_KINDS, kindText, "--kind"),
            name: stringFlag(args, "name") ?? current.name,
            contact: stringFlag(args, "contact") ?? current.contact,
            encryptionKey: keyGiven ? encryptionKeyOf(args, from) : current.encryptionKey,
            dependencies: booleanFlag(args, "no-deps") ? [] : deps.length > 0 ? deps : current.dependencies,
          }),
        ],
      };
    }),
});

const withdrawParty = (r: TxRunner): Leaf => ({
  path: ["coord", "withdraw-party"],
  summary: "withdraw your party record (kept as a tombstone) and get the deposit back",
  flags: r.common,
  run: (args) =>
    r.run(args, (from) => {
      positionals(args.positionals, []);
      return { msgs: [buildWithdrawParty(from)] };
    }),
});

// ---- cases

function levelArg(text: string, what: string): number {
  if (!/^[123]$/.test(text)) throw new UsageError(`${what} must be 1 (standard), 2 (enhanced) or 3 (emergency), got "${text}"`);
  return Number(text);
}

function openCaseId(res: DeliverTxResponse): bigint | undefined {
  const r = res.msgResponses.find((m) => m.typeUrl === "/coord.v1.MsgOpenCaseResponse");
  if (r !== undefined) return MsgOpenCaseResponse.decode(r.value).caseId;
  for (const e of res.events) {
    const a = e.attributes.find((x) => x.key === "case_id");
    if (e.type.includes("coord") && a !== undefined && /^[0-9]+$/.test(a.value.replace(/"/g, ""))) return BigInt(a.value.replace(/"/g, ""));
  }
  return undefined;
}

const openCase = (r: TxRunner): Leaf => ({
  path: ["coord", "open-case"],
  summary: "as a member, open a case from a case directory: commit to its report, components, advisory and fix",
  positionals: ["<case-dir>"],
  details: [
    "<case-dir> holds report.<ext>, components.json, advisory.json and optionally fix.json (docs/cli.md, \"Coordination\").",
    "Salts and committed contents are kept in <home>/coord/<chain-id>/<case-id>/ (0700): back it up and share it",
    "with co-coordinators only through sealed notices; without it the case cannot be disclosed.",
    "--sealed-level N keeps the level private (committed); it needs --deadline.",
    "--readiness-plan NAME: the reveal waits until 2/3 of voting power is ready for upgrade plan NAME (dcertd q upgrade readiness NAME).",
  ],
  flags: [
    ...r.common,
    { name: "level", valueName: "1|2|3", description: "escalation level: 1 standard, 2 enhanced, 3 emergency (public)" },
    { name: "sealed-level", valueName: "1|2|3", description: "the level, committed instead of public (needs --deadline)" },
    DEADLINE,
    READINESS_PLAN,
  ],
  async run(args) {
    const [dir] = positionals(args.positionals, ["<case-dir>"]) as [string];
    const levelText = stringFlag(args, "level");
    const sealedText = stringFlag(args, "sealed-level");
    if ((levelText === undefined) === (sealedText === undefined)) throw new UsageError("give --level N or --sealed-level N (one of them)");
    const sealed = sealedText === undefined ? undefined : levelArg(sealedText, "--sealed-level");
    const level = levelText === undefined ? 0 : levelArg(levelText, "--level");
    const deadlineFlag = stringFlag(args, "deadline");
    const deadline: Deadline | undefined = deadlineFlag === undefined ? undefined : parseDeadline(deadlineFlag);
    if (sealed !== undefined && deadline === undefined) throw new UsageError("--sealed-level needs an explicit --deadline (a per-level default would reveal the level)");
    const readinessPlan = readinessPlanOf(args);
    const draft = readCaseDraft(dir);
    const home = resolveHome(args);
    let staged: string | undefined;
    let committed = false;
    try {
      return await r.run(args, async (from, client) => {
        const chainId = await chainOf(client);
        const contents = draftItems(draft, sealed);
        const items = contents.map((c) => commitItem(chainId, c));
        const local: LocalCase = { chainId, caseId: 0n, opener: from, level, ...(sealed !== undefined ? { sealedLevel: sealed } : {}), ...(deadline !== undefined ? { deadline } : {}), reportFile: draft.reportFile, items, history: [] };
        staged = stageCase(home, local, contents, randomBytes(6).toString("hex"));
        return {
          msgs: [
            buildOpenCase({
              member: from,
              level,
              commitments: commitmentInputs(items),
              ...(deadline !== undefined ? { deadline: "height" in deadline ? { height: deadline.height } : deadline.time } : {}),
              readinessPlan,
            }),
          ],
          extra: (res) => {
            committed = true;
            const caseId = openCaseId(res);
            if (caseId === undefined || staged === undefined) return { case_dir: staged ?? "" };
            const final = finalizeCase(home, staged, caseId);
            return { case_id: caseId.toString(), case_dir: final, deadline: deadlineText(deadline), ...(readinessPlan === "" ? {} : { readiness_plan: readinessPlan }) };
          },
        };
      });
    } finally {
      if (staged !== undefined && !committed && fs.existsSync(staged)) fs.rmSync(staged, { recursive: true, force: true });
    }
  },
});

const joinCase = (r: TxRunner): Leaf => ({
  path: ["coord", "join"],
  summary: "as a member, join a case as coordinator (co-signs a proposed case)",
  positionals: ["<case-id>"],
  flags: r.common,
  run: (args) => r.run(args, (from) => ({ msgs: [buildJoinCase(from, caseIdOf(args))] })),
});

/** An item's content from a file, as `commit` reads it. */
export function itemFromFile(kind: CommitmentKind, file: string): ItemContent {
  const bytes = readFileArg(file, "the item");
  if (kind === CommitmentKind.COMMITMENT_KIND_REPORT) return { kind, value: new Uint8Array(bytes) };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new CliError(`${file} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, "fix the file", 2);
  }
  switch (kind) {
    case CommitmentKind.COMMITMENT_KIND_COMPONENTS:
      return { kind, value: AffectedComponents.fromPartial({ components: parseComponentList(json, file) }) };
    case CommitmentKind.COMMITMENT_KIND_ADVISORY:
      return { kind, value: parseAdvisory(json, file) };
    case CommitmentKind.COMMITMENT_KIND_FIX:
      return { kind, value: parseFix(json, file) };
    default:
      throw new UsageError("the level cannot be amended (escalate instead)");
  }
}

const commit = (r: TxRunner): Leaf => ({
  path: ["coord", "commit"],
  summary: "as a member, add or amend a commitment (report, components, advisory or fix) from a file",
  positionals: ["<case-id>", "<kind>"],
  details: ["The new salt and content are kept in the local case directory; the old version stays there too."],
  flags: [...r.common, { name: "file", valueName: "path", description: "the new content (the report, or components/advisory/fix JSON)" }],
  run: (args) =>
    r.run(args, async (from, client) => {
      const [idText, kindText] = positionals(args.positionals, ["<case-id>", "<kind>"]) as [string, string];
      const caseId = idArg(idText, "case id");
      const kind = enumArg(COMMITMENT_KINDS, kindText, "<kind>", ["report", "components", "advisory", "fix"]);
      const file = stringFlag(args, "file");
      if (file === undefined) throw new UsageError("--file <path> is required");
      const content = itemFromFile(kind, file);
      const chainId = await chainOf(client);
      const home = resolveHome(args);
      loadCase(home, chainId, caseId);
      const onChain = (await client.coord.case(caseId)).commitments.filter((c) => c.kind === kind);
      const version = Math.max(0, ...onChain.map((c) => c.version)) + 1;
      const item = commitItem(chainId, content, version);
      // Written before broadcasting: if the tx fails, reveal still finds the version the chain holds.
      amendCase(home, chainId, caseId, content, item);
      return { msgs: [buildCommit({ member: from, caseId, kind, hash: item.commitment })], extra: () => ({ version }) };
    }),
});

const escalate = (r: TxRunner): Leaf => ({
  path: ["coord", "escalate"],
  summary: "as a member, raise a case's level (a sealed level is opened from the local case directory)",
  positionals: ["<case-id>", "<new-level>"],
  flags: [...r.common, REASON],
  run: (args) =>
    r.run(args, async (from, client) => {
      const [idText, levelText] = positionals(args.positionals, ["<case-id>", "<new-level>"]) as [string, string];
      const caseId = idArg(idText, "case id");
      const newLevel = levelArg(levelText, "<new-level>");
      const c = (await client.coord.case(caseId)).case;
      if (c === undefined) throw new CliError(`case ${caseId} does not exist`, `list cases with "dcertd q coord cases"`);
      let sealed: { levelSalt: Uint8Array; sealedLevel: number } | undefined;
      if (c.level === 0) {
        const { c: local, contents } = loadCase(resolveHome(args), await chainOf(client), caseId);
        const item = local.items.find((i) => i.kind === CommitmentKind.COMMITMENT_KIND_LEVEL);
        const content = contents.find((i) => i.kind === CommitmentKind.COMMITMENT_KIND_LEVEL);
        if (item === undefined || content === undefined) throw new CliError(`the local copy of case ${caseId} has no sealed level`, "escalate from the case directory of the member who opened it");
        sealed = { levelSalt: item.salt, sealedLevel: (content.value as SealedLevel).level };
      }
      return { msgs: [buildEscalate({ member: from, caseId, newLevel, reason: stringFlag(args, "reason") ?? "", ...(sealed ?? {}) })] };
    }),
});

const proposeRevision = (r: TxRunner): Leaf => ({
  path: ["coord", "propose-revision"],
  summary: "as a member, propose a change that needs a quorum: extend, shorten, deescalate or withdraw",
  positionals: ["<case-id>", "<kind>"],
  details: ["extend/shorten need --deadline; deescalate needs --level. Your proposal counts as your approval."],
  flags: [...r.common, DEADLINE, { name: "level", valueName: "1|2|3", description: "the new level (deescalate)" }, REASON],
  run: (args) =>
    r.run(args, (from) => {
      const [idText, kindText] = positionals(args.positionals, ["<case-id>", "<kind>"]) as [string, string];
      const kind = enumArg(REVISION_KINDS, kindText, "<kind>");
      const d = stringFlag(args, "deadline");
      const l = stringFlag(args, "level");
      const needsDeadline = kind === RevisionKind.REVISION_KIND_EXTEND || kind === RevisionKind.REVISION_KIND_SHORTEN;
      if (needsDeadline !== (d !== undefined)) throw new UsageError(needsDeadline ? "--deadline is required to extend or shorten" : "--deadline only goes with extend or shorten");
      if ((kind === RevisionKind.REVISION_KIND_DEESCALATE) !== (l !== undefined)) throw new UsageError(kind === RevisionKind.REVISION_KIND_DEESCALATE ? "--level is required to deescalate" : "--level only goes with deescalate");
      const deadline = d === undefined ? undefined : parseDeadline(d);
      return {
        msgs: [
          buildProposeRevision({
            member: from,
            caseId: idArg(idText, "case id"),
            kind,
            ...(deadline !== undefined ? { newDeadline: "height" in deadline ? { height: deadline.height } : deadline.time } : {}),
            ...(l !== undefined ? { newLevel: levelArg(l, "--level") } : {}),
            reason: stringFlag(args, "reason") ?? "",
          }),
        ],
      };
    }),
});

const approveRevision = (r: TxRunner): Leaf => ({
  path: ["coord", "approve-revision"],
  summary: "as a member, approve a case's pending revision (it applies at quorum)",
  positionals: ["<case-id>"],
  flags: r.common,
  run: (args) => r.run(args, (from) => ({ msgs: [buildApproveRevision(from, caseIdOf(args))] })),
});

// ---- notices and input

async function notifiedParties(client: SigningDcertClient, caseId: bigint): Promise<Set<string>> {
  const out = new Set<string>();
  let after = 0n;
  for (let page = 0; page < 10_000; page++) {
    const res = await client.coord.notices({ caseId, afterId: after, omitEnvelope: true, limit: 100 });
    for (const n of res.notices) out.add(n.recipient);
    const last = res.notices.at(-1);
    if (last === undefined || res.nextAfterId === 0n) break;
    after = last.id;
  }
  return out;
}

async function matchingParties(client: SigningDcertClient, components: readonly Component[]): Promise<Party[]> {
  const out: Party[] = [];
  let key: Uint8Array | undefined;
  for (let page = 0; page < 10_000; page++) {
    const res = await client.coord.match(components, key);
    out.push(...res.parties);
    const next = res.pagination?.nextKey;
    if (next === undefined || next.length === 0) break;
    key = next;
  }
  return out;
}

const notify = (r: TxRunner): Leaf => ({
  path: ["coord", "notify"],
  summary: "as a member, send sealed notices for a case to parties (--to …) or to every matching party (--matching)",
  positionals: ["<case-id>"],
  details: [
    "Each notice is sealed to the recipient's current registered key. Without --file, the notice is the private",
    "disclosure template rendered from the local case directory for each recipient. --matching asks the chain",
    "which registered parties depend on the case's components and skips those already notified. More recipients",
    "than max_notices_per_msg are sent in several transactions.",
  ],
  flags: [
    ...r.common,
    { name: "to", valueName: "address", multiple: true, description: "a recipient party (address or key name), repeatable" },
    { name: "matching", boolean: true, description: "every registered party matching the case's components, not yet notified" },
    { name: "file", valueName: "path", description: "the notice text (instead of the private disclosure template)" },
    { name: "kind", valueName: "kind", description: "disclosure, update or relay", defaultText: "disclosure" },
  ],
  async run(args) {
    const caseId = caseIdOf(args);
    const to = listFlag(args, "to").flatMap((t) => t.split(",")).filter((t) => t !== "");
    const matching = booleanFlag(args, "matching");
    if ((to.length > 0) === matching) throw new UsageError("give --to <address>… or --matching (one of them)");
    const kind = enumArg(NOTICE_KINDS, stringFlag(args, "kind") ?? "disclosure", "--kind");
    const file = stringFlag(args, "file");
    const fixed = file === undefined ? undefined : new Uint8Array(readFileArg(file, "the notice"));
    const home = resolveHome(args);
    let queue: Party[] | undefined;
    let exit = 0;
    let sent = 0;
    while (exit === 0 && (queue === undefined || queue.length > 0)) {
      exit = await r.run(args, async (from, client): Promise<TxPlan> => {
        const chainId = await chainOf(client);
        if (queue === undefined) {
          const local = fixed === undefined || matching ? loadCase(home, chainId, caseId) : undefined;
          if (matching) {
            const components = caseComponents(local?.contents ?? []);
            const done = await notifiedParties(client, caseId);
            queue = (await matchingParties(client, components)).filter((p) => p.withdrawnHeight === 0n && !done.has(p.address));
            if (queue.length === 0) throw new CliError(`every registered party matching case ${caseId}'s components has been notified`, "nothing to send; check with \"dcertd q coord notices --case " + caseId.toString() + "\"");
          } else {
            queue = [];
            for (const t of to) {
              const p = await requireParty(client.coord, resolveAddress(args, t, "--to"), `--to ${t}`);
              if (p.withdrawnHeight !== 0n) throw new CliError(`party ${p.address} ("${p.name}") has withdrawn`, "it receives no notices; remove it from --to");
              queue.push(p);
            }
          }
        }
        const max = (await client.coord.params()).params?.maxNoticesPerMsg ?? 64;
        const batch = queue.splice(0, Math.max(1, max));
        const memberName = keyringOf(args).list().find((k) => k.address === from)?.name;
        const local = fixed === undefined ? loadCase(home, chainId, caseId) : undefined;
        const notices: NoticeArg[] = [];
        for (const p of batch) {
          const plaintext = fixed ?? Buffer.from(privateDisclosureText(local as NonNullable<typeof local>, { recipientName: p.name, coordinator: memberName ?? from, ackCommand: `dcertd tx coord ack <notice-id> --from <your key>` }), "utf8");
          const envelope = await sealEnvelope(plaintext, [{ address: p.address, keyEpoch: p.keyEpoch, publicKey: p.encryptionKey }], { chainId, caseId, purpose: "notice" });
          notices.push({ recipient: p.address, kind, envelope });
        }
        sent += batch.length;
        return {
          msgs: [buildSendNotice({ member: from, caseId, notices })],
          extra: () => ({ recipients: batch.map((p) => `${p.name} (${p.address})`), sent: String(sent), remaining: String(queue?.length ?? 0) }),
        };
      });
      if (booleanFlag(args, "dry-run")) break;
    }
    return exit;
  },
});

const submitInput = (r: TxRunner): Leaf => ({
  path: ["coord", "submit-input"],
  summary: "send sealed input to the dCERT (about a case, or to the general inbox): only current members can read it",
  positionals: ["[case-id]"],
  details: ["Sealed to every current member's key (q coord group-keys); members without a key cannot read it (listed)."],
  flags: [...r.common, { name: "file", valueName: "path", description: "the input (any text or bytes)" }],
  run: (args) =>
    r.run(args, async (from, client) => {
      const [idText] = positionals(args.positionals, ["[case-id]"]);
      const caseId = idText === undefined ? 0n : idArg(idText, "case id");
      const file = stringFlag(args, "file");
      if (file === undefined) throw new UsageError("--file <path> is required");
      const plaintext = new Uint8Array(readFileArg(file, "the input"));
      const keys = await client.coord.groupKeys();
      if (keys.keys.length === 0) throw new CliError("no dCERT member has an encryption key registered, so nobody could read the input", "try again later, or reach the group another way");
      const recipients = [...keys.keys].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)).map((k) => ({ address: k.address, keyEpoch: k.keyEpoch, publicKey: k.encryptionKey }));
      const envelope = await sealEnvelope(plaintext, recipients, { chainId: await chainOf(client), caseId, purpose: "input" });
      const extra: Record<string, Json> = { recipients: recipients.map((x) => x.address), ...(keys.missing.length > 0 ? { members_without_key: keys.missing } : {}) };
      return { msgs: [buildSubmitInput({ sender: from, caseId, envelope })], extra: () => extra };
    }),
});

const ack = (r: TxRunner): Leaf => ({
  path: ["coord", "ack"],
  summary: "acknowledge a notice addressed to you (signs its envelope hash)",
  positionals: ["<notice-id>"],
  flags: r.common,
  run: (args) =>
    r.run(args, async (from, client) => {
      const [idText] = positionals(args.positionals, ["<notice-id>"]);
      const noticeId = idArg(idText, "notice id");
      let notice: Notice | undefined;
      try {
        notice = (await client.coord.notice(noticeId)).notice;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      if (notice === undefined) throw new CliError(`notice ${noticeId} does not exist`, `list yours with "dcertd q coord notices --recipient ${from}"`);
      if (notice.recipient !== from) throw new CliError(`notice ${noticeId} is addressed to ${notice.recipient}, not to ${from}`, "sign with the recipient's key (--from)");
      if (notice.envelope === undefined) throw new CliError(`the node returned notice ${noticeId} without its envelope`, "ask a node that keeps ciphertexts");
      const hash = envelopeHash(notice.envelope);
      if (toHex(hash) !== toHex(notice.envelopeHash)) throw new CliError(`notice ${noticeId}'s envelope does not hash to the hash the chain recorded`, "the node may be faulty; query another node");
      return { msgs: [buildAcknowledge({ party: from, noticeId, envelopeHash: hash })], extra: () => ({ notice_id: noticeId.toString(), case_id: (notice as Notice).caseId.toString(), envelope_hash: toHex(hash) }) };
    }),
});

const involvement = (r: TxRunner): Leaf => ({
  path: ["coord", "involvement"],
  summary: "report your progress on a case you were notified of: in-progress, fixed or disputed",
  positionals: ["<case-id>", "<status>"],
  details: ["--note F publishes only the SHA-256 of the file (keep the file: it is your evidence)."],
  flags: [...r.common, { name: "note", valueName: "path", description: "a private note whose hash is recorded" }],
  run: (args) =>
    r.run(args, (from) => {
      const [idText, statusText] = positionals(args.positionals, ["<case-id>", "<status>"]) as [string, string];
      const status = enumArg(INVOLVEMENT_STATUSES, statusText, "<status>", ["in-progress", "fixed", "disputed"]);
      const note = stringFlag(args, "note");
      return { msgs: [buildUpdateInvolvement({ party: from, caseId: idArg(idText, "case id"), status, ...(note !== undefined ? { noteHash: sha256(readFileArg(note, "the note")) } : {}) })] };
    }),
});

const reveal = (r: TxRunner): Leaf => ({
  path: ["coord", "reveal"],
  summary: "as a member, at or after the deadline, open the case's commitments from the local case directory",
  positionals: ["<case-id>"],
  details: ["The report is opened by its hash only, unless --publish-report puts it on chain in clear."],
  flags: [...r.common, { name: "publish-report", boolean: true, description: "publish the report itself, not only its hash" }],
  run: (args) =>
    r.run(args, async (from, client) => {
      const caseId = caseIdOf(args);
      const chainId = await chainOf(client);
      const res = await client.coord.case(caseId);
      if (res.case === undefined) throw new CliError(`case ${caseId} does not exist`, `list cases with "dcertd q coord cases"`);
      if (!res.revealGateOpen) {
        const plan = res.case.readinessPlan;
        throw new CliError(
          `case ${caseId}'s reveal is gated on upgrade plan "${plan}" and 2/3 of voting power is not ready for it yet`,
          `watch "dcertd q upgrade readiness ${plan}" and reveal once it crossed 2/3 (or the plan was applied), or clear the gate with "dcertd tx coord set-reveal-gate ${caseId} --clear"`,
        );
      }
      const items = revealItemsFor(resolveHome(args), chainId, caseId, res.commitments, booleanFlag(args, "publish-report"));
      if (items.length === 0) throw new CliError(`every commitment of case ${caseId} is already revealed`, `see "dcertd q coord disclosure ${caseId}"`);
      return {
        msgs: [buildReveal({ member: from, caseId, items })],
        extra: () => ({ revealed: items.map((i) => commitmentKindToJSON(i.kind).replace("COMMITMENT_KIND_", "").toLowerCase()) }),
      };
    }),
});

const setRevealGate = (r: TxRunner): Leaf => ({
  path: ["coord", "set-reveal-gate"],
  summary: "as a coordinator of a case, gate its reveal on an upgrade plan (--readiness-plan NAME) or clear the gate (--clear)",
  positionals: ["<case-id>"],
  details: [
    "While gated, no item of the case is revealed until 2/3 of voting power runs a build ready for the plan",
    "(dcertd q upgrade readiness NAME) or the plan was applied; the case is not marked overdue while it waits.",
    "Setting is refused while the group is frozen; clearing is not. Both are recorded on the case's timeline.",
  ],
  flags: [...r.common, READINESS_PLAN, { name: "clear", boolean: true, description: "remove the gate" }, REASON],
  run(args) {
    const caseId = caseIdOf(args);
    const plan = readinessPlanOf(args);
    const clear = booleanFlag(args, "clear");
    if ((plan === "") === !clear) throw new UsageError("give --readiness-plan <plan> or --clear (one of them)");
    return r.run(args, (from) => ({ msgs: [buildSetRevealGate({ member: from, caseId, readinessPlan: plan, reason: stringFlag(args, "reason") ?? "" })] }));
  },
});

/** `--summary`: inline JSON, or the path of a JSON file. */
function summaryArg(text: string): RecordSummary {
  const raw = text.trim().startsWith("{") ? text : readFileArg(text, "the summary").toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new UsageError(`--summary must be JSON (or a JSON file): ${e instanceof Error ? e.message : String(e)}`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new UsageError("--summary must be a JSON object {activities, responses, lessons_learned, fix_deployment_verified, follow_ups}");
  return RecordSummary.fromJSON(json);
}

const close = (r: TxRunner): Leaf => ({
  path: ["coord", "close"],
  summary: "as a member, close a disclosed case with its post-coordination record (hash) and public summary",
  positionals: ["<case-id>"],
  details: ['--summary \'{"activities": "…", "responses": "…", "lessons_learned": "…", "fix_deployment_verified": true, "follow_ups": ["…"]}\''],
  flags: [
    ...r.common,
    { name: "record", valueName: "path", description: "the full post-coordination record (only its SHA-256 goes on chain)" },
    { name: "summary", valueName: "json|path", description: "the public summary, inline JSON or a JSON file" },
  ],
  run: (args) =>
    r.run(args, (from) => {
      const caseId = caseIdOf(args);
      const record = stringFlag(args, "record");
      const summary = stringFlag(args, "summary");
      if (record === undefined || summary === undefined) throw new UsageError("--record <path> and --summary <json> are required");
      return { msgs: [buildCloseCase({ member: from, caseId, recordHash: sha256(readFileArg(record, "the record")), summary: summaryArg(summary) })] };
    }),
});

/** Every `tx coord …` leaf. */
export function coordTxLeaves(r: TxRunner): Leaf[] {
  return [registerParty, updateParty, withdrawParty, openCase, joinCase, commit, escalate, proposeRevision, approveRevision, notify, submitInput, ack, involvement, reveal, setRevealGate, close].map((f) => f(r));
}

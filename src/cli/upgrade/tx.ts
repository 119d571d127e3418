/**
 * `dcertd tx upgrade …`, as the SDK's CLI spells them:
 *
 * - `software-upgrade NAME --upgrade-height H [--upgrade-info S] --title T --summary S --deposit C`
 *   submits a gov v1 proposal carrying MsgSoftwareUpgrade (authority: the gov module account);
 * - `cancel-software-upgrade --title T --summary S --deposit C`: a proposal carrying MsgCancelUpgrade;
 * - `pre-approve NAME --upgrade-height H --binary-sha256 HEX [--info S] [--case ID]` (an active
 *   dCERT member);
 * - `withdraw-pre-approval NAME`.
 */
import { buildSubmitProposal } from "../../client/builders";
import { govAuthority } from "../../client/addresses";
import { buildCancelUpgrade, buildPreApproveUpgrade, buildSoftwareUpgrade, buildWithdrawPreApproval } from "../../client/upgrade/builders";
import { MsgPreApproveUpgradeResponse } from "../../generated/dcert/upgrade/v1/tx";
import { stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "../args";
import type { Leaf } from "../cmdtree";
import { idArg } from "../coord/common";
import type { Json } from "../output";
import { parseCoins } from "../parse";
import type { TxRunner } from "../coord/tx";
import { heightFlag, planNameArg, positionals, sha256Flag } from "./common";

const HEIGHT: FlagSpec = { name: "upgrade-height", valueName: "height", description: "the block height at which the chain upgrades (the old binary halts before executing it)" };
const PROPOSAL_FLAGS: readonly FlagSpec[] = [
  { name: "title", valueName: "text", description: "proposal title" },
  { name: "summary", valueName: "text", description: "proposal summary" },
  { name: "deposit", valueName: "coins", description: "initial deposit, e.g. 10000000udcert" },
  { name: "metadata", valueName: "text", description: "proposal metadata (optional)" },
];

function proposal(args: ParsedArgs): { title: string; summary: string; deposit: ReturnType<typeof parseCoins>; metadata: string } {
  const title = stringFlag(args, "title");
  const summary = stringFlag(args, "summary");
  const deposit = stringFlag(args, "deposit");
  if (title === undefined || summary === undefined || deposit === undefined) throw new UsageError("--title, --summary and --deposit are required (the plan is a governance proposal)");
  return { title, summary, deposit: parseCoins(deposit, "--deposit"), metadata: stringFlag(args, "metadata") ?? "" };
}

function proposalId(res: { events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[] }): Record<string, Json> {
  const id = res.events.find((e) => e.type === "submit_proposal")?.attributes.find((a) => a.key === "proposal_id")?.value;
  return id === undefined ? {} : { proposal_id: id };
}

const softwareUpgrade = (r: TxRunner): Leaf => ({
  path: ["upgrade", "software-upgrade"],
  summary: "propose a governance upgrade plan: the chain halts at the height until nodes run a binary with the plan's handler",
  positionals: ["<name>"],
  details: [
    "Submits a gov v1 proposal with /cosmos.upgrade.v1beta1.MsgSoftwareUpgrade (authority: the gov module account).",
    "A plan replaces any plan already scheduled. The name is also cosmovisor's directory name (upgrades/<name>/bin).",
    "--upgrade-info is free text for operators, e.g. cosmovisor's {\"binaries\":{…}} JSON.",
  ],
  flags: [...r.common, HEIGHT, { name: "upgrade-info", valueName: "text", description: "plan info (≤ 2048 bytes)" }, ...PROPOSAL_FLAGS],
  run: (args) =>
    r.run(args, (from, client) => {
      const [name] = positionals(args.positionals, ["<name>"]);
      const p = proposal(args);
      const msg = buildSoftwareUpgrade({ name: planNameArg(name), height: heightFlag(args, "upgrade-height"), info: stringFlag(args, "upgrade-info") ?? "", authority: govAuthority() });
      return {
        msgs: [buildSubmitProposal({ proposer: from, messages: [msg], initialDeposit: p.deposit, title: p.title, summary: p.summary, metadata: p.metadata }, client.registry)],
        extra: proposalId,
      };
    }),
});

const cancelUpgrade = (r: TxRunner): Leaf => ({
  path: ["upgrade", "cancel-software-upgrade"],
  summary: "propose cancelling the scheduled plan (governance or dCERT)",
  positionals: [],
  details: ["Cancelling a dCERT-approved plan closes its name to the dCERT for good; governance may still schedule it."],
  flags: [...r.common, ...PROPOSAL_FLAGS],
  run: (args) =>
    r.run(args, (from, client) => {
      positionals(args.positionals, []);
      const p = proposal(args);
      return {
        msgs: [buildSubmitProposal({ proposer: from, messages: [buildCancelUpgrade(govAuthority())], initialDeposit: p.deposit, title: p.title, summary: p.summary, metadata: p.metadata }, client.registry)],
        extra: proposalId,
      };
    }),
});

const preApprove = (r: TxRunner): Leaf => ({
  path: ["upgrade", "pre-approve"],
  summary: "as an active dCERT member, pre-approve a security upgrade by name, height and binary hash",
  positionals: ["<name>"],
  details: [
    "At the quorum (q upgrade params) of identical approvals (name, height, info, hash) the plan is scheduled without a",
    "governance vote. Refused when pre-approval is disabled, a plan is scheduled, or the height is too close (min delay).",
  ],
  flags: [
    ...r.common,
    HEIGHT,
    { name: "binary-sha256", valueName: "hex", description: "SHA-256 of the binary or patch (64 hex characters)" },
    { name: "info", valueName: "text", description: "plan info (≤ 2048 bytes, must match the other approvals)" },
    { name: "case", valueName: "id", description: "coordination case the plan cites" },
  ],
  run: (args) =>
    r.run(args, (from) => {
      const [name] = positionals(args.positionals, ["<name>"]);
      const c = stringFlag(args, "case");
      const msg = buildPreApproveUpgrade({
        member: from,
        name: planNameArg(name),
        height: heightFlag(args, "upgrade-height"),
        binarySha256: sha256Flag(args, "binary-sha256"),
        info: stringFlag(args, "info") ?? "",
        caseId: c === undefined ? 0n : idArg(c, "--case"),
      });
      return {
        msgs: [msg],
        extra: (res) => {
          const data = res.msgResponses[0];
          if (data === undefined) return {};
          const d = MsgPreApproveUpgradeResponse.decode(data.value);
          return { approvals: d.approvals, needed: d.needed, scheduled: d.scheduled };
        },
      };
    }),
});

const withdraw = (r: TxRunner): Leaf => ({
  path: ["upgrade", "withdraw-pre-approval"],
  summary: "withdraw your pending pre-approval of a plan name",
  positionals: ["<name>"],
  flags: r.common,
  run: (args) =>
    r.run(args, (from) => {
      const [name] = positionals(args.positionals, ["<name>"]);
      return { msgs: [buildWithdrawPreApproval(from, planNameArg(name))] };
    }),
});

export function upgradeTxLeaves(r: TxRunner): Leaf[] {
  return [softwareUpgrade, cancelUpgrade, preApprove, withdraw].map((f) => f(r));
}

/**
 * `dcertd tx …`: build messages, sign with a keyring key (SIGN_MODE_DIRECT, or legacy amino JSON
 * with --sign-mode amino-json), estimate gas by simulation (--gas auto, × --gas-adjustment),
 * confirm, broadcast, wait for the block, print the result.
 */
import * as fs from "node:fs";
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { DeliverTxResponse } from "@cosmjs/stargate";
import { MsgUndelegate, MsgDelegate } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { govAuthority } from "../client/addresses";
import {
  buildAcceptAdmission,
  buildBond,
  buildCircuitBreak,
  buildGovDeposit,
  buildGovVote,
  buildGovVoteWeighted,
  buildLeaveGroup,
  buildSubmitProposal,
  buildUnbond,
  buildUpdateDescription,
  buildVote,
  buildVoteSuspend,
} from "../client/builders";
import { SigningDcertClient } from "../client/signingdcertclient";
import { booleanFlag, stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { coordTxLeaves } from "./coord/tx";
import { distributionTxLeaves } from "./distribution";
import { slashingTxLeaves } from "./slashing";
import { stakingTxLeaves } from "./staking";
import { upgradeTxLeaves } from "./upgrade/tx";
import {
  describeClientError,
  HOME_FLAG,
  isValoperAddress,
  KEYRING_BACKEND_FLAG,
  keyringOf,
  NODE_FLAG,
  PREFIX,
  resolveAddress,
  resolveNode,
  unreachable,
} from "./clientenv";
import { clientSetting } from "./clientconfig";
import { CliError, commandTree, type Leaf } from "./cmdtree";
import { emit, OUTPUT_FLAG, toJson, type Json } from "./output";
import { requireBondedStake } from "./votestake";
import { parseCoin, parseCoins, parseId, parseProposalFile, parseSplit, parseVoteOption, parseWeightedOptions } from "./parse";
import { keyringPassphrase } from "./keys";
import { confirm, isInteractive, PASSPHRASE_FLAG, processTerminal } from "./prompt";
import { generateOnly, signLeaves } from "./sign";
import { BROADCAST_MODE_FLAG, broadcastAndReport, DEFAULT_GAS_ADJUSTMENT, DEFAULT_GAS_PRICES, feeFor, gasSettings, GENERATE_ONLY_FLAG, signerFor, signMode, BROADCAST_POLL_MS, BROADCAST_TIMEOUT_MS } from "./txbroadcast";

export { DEFAULT_GAS_ADJUSTMENT, DEFAULT_GAS_PRICES, feeFor, gasSettings, signMode, type GasSettings } from "./txbroadcast";

const FROM_FLAG: FlagSpec = { name: "from", valueName: "key", description: "the signing key: a key name or its address (required)" };
export const TX_FLAGS: readonly FlagSpec[] = [
  { name: "chain-id", valueName: "id", description: "the chain id; checked against the node's", defaultText: "the node's" },
  { name: "gas", valueName: "auto|limit", description: "gas limit, or auto to simulate and multiply by --gas-adjustment", defaultText: "auto" },
  { name: "gas-adjustment", valueName: "factor", description: "multiplier of the simulated gas with --gas auto", defaultText: DEFAULT_GAS_ADJUSTMENT },
  { name: "gas-prices", valueName: "price", description: "fee = gas limit × price, e.g. 0.025udcert", defaultText: DEFAULT_GAS_PRICES },
  { name: "fees", valueName: "coins", description: "exact fee, e.g. 5000udcert (instead of --gas-prices)" },
  { name: "memo", valueName: "text", description: "transaction memo" },
  { name: "sign-mode", valueName: "mode", description: "direct or amino-json (legacy amino JSON, as Ledger signs)", defaultText: "direct" },
  { name: "yes", boolean: true, description: "broadcast without asking for confirmation; -y for short" },
  { name: "dry-run", boolean: true, description: "simulate and print the gas estimate and fee, do not broadcast" },
  { name: "verbose", boolean: true, description: "print a line per new block to stderr while waiting for the tx (always on a terminal)" },
  GENERATE_ONLY_FLAG,
  BROADCAST_MODE_FLAG,
  NODE_FLAG,
  HOME_FLAG,
  KEYRING_BACKEND_FLAG,
  PASSPHRASE_FLAG,
  OUTPUT_FLAG,
];
const COMMON: readonly FlagSpec[] = [FROM_FLAG, ...TX_FLAGS];

/** What a leaf contributes: its messages, plus extra result fields taken from the committed tx. */
export interface TxPlan {
  readonly msgs: readonly EncodeObject[];
  readonly extra?: (res: DeliverTxResponse) => Record<string, Json>;
}

export type Builder = (from: string, client: SigningDcertClient, args: ParsedArgs) => Promise<TxPlan> | TxPlan;

function messagesJson(msgs: readonly EncodeObject[]): Json {
  return msgs.map((m) => ({ "@type": m.typeUrl, ...(toJson(m.value) as Record<string, Json>) }));
}

/** Signs and broadcasts what `build` returns for the --from key; prints and returns the exit code. */
async function runTx(args: ParsedArgs, build: Builder, fromOverride?: string): Promise<number> {
  const fromName = fromOverride ?? stringFlag(args, "from");
  if (fromName === undefined) throw new UsageError("--from <key> is required (a key name from \"dcertd keys list\", or its address)");
  if (booleanFlag(args, "generate-only")) return generateOnly(args, build, fromName);
  const keyring = keyringOf(args);
  const key = keyring.get(fromName);
  const prompting = !booleanFlag(args, "yes") && !booleanFlag(args, "dry-run");
  if (prompting && !isInteractive(processTerminal())) {
    throw new CliError("cannot ask for confirmation without a terminal", "add --yes (-y) to sign and broadcast without a prompt");
  }
  const mode = signMode(args);
  const gas = gasSettings(args);
  const node = resolveNode(args);
  const memo = stringFlag(args, "memo") ?? "";
  if (key.type === "multi") {
    throw new CliError(`"${key.name}" is a multisig key: it cannot sign alone`, `generate the tx with --generate-only, have its members sign it ("dcertd tx sign --multisig ${key.address}"), then "dcertd tx multisign" and "dcertd tx broadcast"`);
  }
  const passphrase = await keyringPassphrase(args, keyring);
  const signer = await signerFor(await keyring.privateKey(key.name, passphrase), mode);

  let client: SigningDcertClient;
  try {
    client = await SigningDcertClient.connectWithSigner(node, signer, {
      broadcastTimeoutMs: BROADCAST_TIMEOUT_MS,
      broadcastPollIntervalMs: BROADCAST_POLL_MS,
      simulationFeeDenom: feeFor(args, 1).amount[0]?.denom ?? "udcert",
    });
  } catch (e) {
    throw unreachable(node, e);
  }
  try {
    const chainId = await client.getChainId();
    const wanted = clientSetting(args, "chain-id");
    if (wanted !== undefined && wanted !== chainId) throw new CliError(`--chain-id is ${wanted} but the node at ${node} runs ${chainId}`, "pass the node's chain id, or point --node at the right chain");
    if ((await client.getAccount(key.address)) === null) {
      throw new CliError(`account ${key.address} ("${key.name}") does not exist on chain ${chainId} yet`, `send it some tokens first ("dcertd tx bank send <from> ${key.address} <amount>")`);
    }
    const plan = await build(key.address, client, args);
    let gasLimit: number;
    let estimate: number | undefined;
    if (gas.gas === "auto") {
      try {
        estimate = await client.simulate(key.address, plan.msgs, memo);
      } catch (e) {
        const failure = describeClientError(e);
        const what = failure?.what.replace(/^the node refused the query/, "the transaction would fail") ?? (e instanceof Error ? e.message : String(e));
        throw new CliError(`simulation failed: ${what}`, "fix what the message says; or pass --gas <limit> to skip the simulation");
      }
      gasLimit = Math.ceil(estimate * gas.adjustment);
    } else {
      gasLimit = gas.gas;
    }
    const fee = feeFor(args, gasLimit);
    const summary: Json = {
      from: key.name,
      address: key.address,
      chain_id: chainId,
      sign_mode: mode,
      messages: messagesJson(plan.msgs),
      fee: { amount: fee.amount.map((c) => `${c.amount}${c.denom}`).join(","), gas: fee.gas },
      ...(memo !== "" ? { memo } : {}),
      ...(estimate !== undefined ? { gas_estimate: String(estimate) } : {}),
    };
    if (booleanFlag(args, "dry-run")) {
      emit(args, summary);
      return 0;
    }
    if (prompting) {
      console.error(JSON.stringify(summary, null, 2));
      const ok = await confirm("Sign and broadcast this transaction?", "add --yes (-y) to sign and broadcast without a prompt");
      if (!ok) throw new CliError("transaction cancelled", "nothing was broadcast");
    }
    const signed = await client.sign(key.address, plan.msgs, fee, memo);
    return await broadcastAndReport(args, client, node, TxRaw.encode(signed).finish(), plan.extra);
  } finally {
    client.disconnect();
  }
}

function args0(args: ParsedArgs, names: readonly string[]): string[] {
  const got = args.positionals;
  if (got.length < names.length) throw new UsageError(`missing ${names.slice(got.length).join(", ")}`);
  if (got.length > names.length) throw new UsageError(`unexpected argument "${got[names.length] ?? ""}"`);
  return [...got];
}

function valoper(text: string): string {
  if (!isValoperAddress(text)) throw new UsageError(`"${text}" is not a validator operator address (${PREFIX}valoper1…); list them with "dcertd q staking validators"`);
  return text;
}

function eventAttr(res: DeliverTxResponse, type: string, key: string): string | undefined {
  return res.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;
}

function leaf(path: string[], summary: string, positionals: string[], flags: readonly FlagSpec[], build: Builder, details?: string[]): Leaf {
  return {
    path,
    summary,
    positionals,
    flags: [...COMMON, ...flags],
    ...(details !== undefined ? { details } : {}),
    run: (args) => runTx(args, build),
  };
}

// ---- bank, staking, gov

const bankSend: Leaf = {
  path: ["bank", "send"],
  summary: "send coins",
  positionals: ["<from>", "<to>", "<amount>"],
  details: ["<from> is a key name or address of the keyring (it signs); <to> an address or key name."],
  flags: TX_FLAGS,
  run(args) {
    const [from, to, amount] = args0(args, ["<from>", "<to>", "<amount>"]) as [string, string, string];
    return runTx(
      args,
      (sender) => ({
        msgs: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.fromPartial({ fromAddress: sender, toAddress: resolveAddress(args, to, "<to>"), amount: parseCoins(amount) }) }],
      }),
      from,
    );
  },
};

const stakingDelegate = leaf(["staking", "delegate"], "delegate tokens to a validator (they count as dCERT vote power)", ["<validator>", "<amount>"], [], (from, _c, args) => {
  const [val, amount] = args0(args, ["<validator>", "<amount>"]) as [string, string];
  return { msgs: [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: MsgDelegate.fromPartial({ delegatorAddress: from, validatorAddress: valoper(val), amount: parseCoin(amount) }) }] };
});

const stakingUnbond = leaf(["staking", "unbond"], "undelegate tokens from a validator (paid back after the unbonding time)", ["<validator>", "<amount>"], [], (from, _c, args) => {
  const [val, amount] = args0(args, ["<validator>", "<amount>"]) as [string, string];
  return { msgs: [{ typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate", value: MsgUndelegate.fromPartial({ delegatorAddress: from, validatorAddress: valoper(val), amount: parseCoin(amount) }) }] };
});

const govSubmit = leaf(
  ["gov", "submit-proposal"],
  "submit a gov v1 proposal from a JSON file",
  ["<proposal.json>"],
  [],
  (from, client, args) => {
    const [file] = args0(args, ["<proposal.json>"]) as [string];
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new CliError(`cannot read the proposal ${file}: ${e instanceof Error ? e.message : String(e)}`, "give the path of a JSON proposal file (see docs/cli.md)", 2);
    }
    const p = parseProposalFile(json, client.registry, govAuthority(PREFIX));
    return {
      msgs: [buildSubmitProposal({ proposer: from, messages: p.messages, initialDeposit: p.deposit, title: p.title, summary: p.summary, metadata: p.metadata, expedited: p.expedited }, client.registry)],
      extra: (res) => {
        const id = eventAttr(res, "submit_proposal", "proposal_id");
        return id === undefined ? {} : { proposal_id: id };
      },
    };
  },
  [
    'The file: {"messages": [{"@type": "/dcert.v1.MsgUpdateParams", "params": {…}}], "deposit": "10000000udcert",',
    '"title": "…", "summary": "…", "metadata": "", "expedited": false}. Message fields may be snake_case or camelCase;',
    "a message whose authority is left out gets the gov module account. Proposals containing /dcert.v1.MsgDisbandGroup",
    "need a deposit that covers the disband wager (q dcert params).",
  ],
);

const govDeposit = leaf(["gov", "deposit"], "add a deposit to a proposal", ["<proposal-id>", "<amount>"], [], (from, _c, args) => {
  const [id, amount] = args0(args, ["<proposal-id>", "<amount>"]) as [string, string];
  return { msgs: [buildGovDeposit(from, parseId(id, "proposal id"), parseCoins(amount))] };
});

const govVote = leaf(["gov", "vote"], "vote on a proposal: yes, no, abstain or no_with_veto", ["<proposal-id>", "<option>"], [], (from, _c, args) => {
  const [id, option] = args0(args, ["<proposal-id>", "<option>"]) as [string, string];
  return { msgs: [buildGovVote(from, parseId(id, "proposal id"), parseVoteOption(option))] };
});

const govWeightedVote = leaf(["gov", "weighted-vote"], "split a vote between options, e.g. yes=0.6,no=0.4", ["<proposal-id>", "<options>"], [], (from, _c, args) => {
  const [id, options] = args0(args, ["<proposal-id>", "<options>"]) as [string, string];
  return { msgs: [buildGovVoteWeighted(from, parseId(id, "proposal id"), parseWeightedOptions(options))] };
});

// ---- dcert

const MEMBER_FLAG: FlagSpec = { name: "member", valueName: "address", description: "the member the bond is for (address or key name)", defaultText: "--from" };
const REASON_FLAG: FlagSpec = { name: "reason", valueName: "text", description: "why (recorded on chain)" };

const dcertVote = leaf(
  ["dcert", "vote"],
  "set your dCERT vote: shares of your bonded stake for candidates",
  [],
  [
    { name: "split", valueName: "addr=share,…", description: "candidates and shares (0.25 or 25%), adding up to at most 1" },
    { name: "clear", boolean: true, description: "withdraw your vote instead" },
    { name: "force", boolean: true, description: "vote even when --from has no bonded stake (the vote then counts with power 0)" },
  ],
  async (from, client, args) => {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}" (give the candidates with --split)`);
    const split = stringFlag(args, "split");
    if (booleanFlag(args, "clear")) {
      if (split !== undefined) throw new UsageError("give --split or --clear, not both");
      return { msgs: [buildVote(from, [])] };
    }
    if (split === undefined) throw new UsageError("--split <address>=<share>,… is required (or --clear to withdraw the vote)");
    const entries = parseSplit(split).map((e) => ({ candidate: resolveAddress(args, e.who, "candidate"), share: e.share.toString() }));
    if (!booleanFlag(args, "force")) await requireBondedStake(client.queries, from);
    return { msgs: [buildVote(from, entries)] };
  },
  [
    "A new vote replaces the previous one. Your power is your bonded stake (tx staking delegate); candidates may be",
    "addresses or key names. Example: --split dcert1…=0.5,dcert1…=25%",
    "A vote from an address with no bonded stake is refused before broadcasting (it would count with power 0)",
    "unless --force.",
  ],
);

const noArgs = (args: ParsedArgs): void => {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
};

const dcertAccept = leaf(["dcert", "accept-admission"], "accept to serve if elected (needs a bond ≥ min_member_bond)", [], [], (from, _c, args) => {
  noArgs(args);
  return { msgs: [buildAcceptAdmission(from)] };
});

const dcertLeave = leaf(["dcert", "leave"], "withdraw your acceptance (a member leaves the group)", [], [], (from, _c, args) => {
  noArgs(args);
  return { msgs: [buildLeaveGroup(from)] };
});

function memberOf(args: ParsedArgs, from: string): string {
  const m = stringFlag(args, "member");
  return m === undefined ? from : resolveAddress(args, m, "--member");
}

const dcertBond = leaf(["dcert", "bond"], "bond tokens for a member (yourself by default; anyone may bond for anyone)", ["<amount>"], [MEMBER_FLAG], (from, _c, args) => {
  const [amount] = args0(args, ["<amount>"]) as [string];
  return { msgs: [buildBond(from, memberOf(args, from), parseCoin(amount))] };
});

const dcertUnbond = leaf(["dcert", "unbond"], "start unbonding what you bonded for a member (slashable until it completes)", ["<amount>"], [MEMBER_FLAG], (from, _c, args) => {
  const [amount] = args0(args, ["<amount>"]) as [string];
  return { msgs: [buildUnbond(from, memberOf(args, from), parseCoin(amount))] };
});

const dcertSuspend = leaf(["dcert", "suspend"], "as a member, vote to suspend another member", ["<member>"], [REASON_FLAG], (from, _c, args) => {
  const [target] = args0(args, ["<member>"]) as [string];
  return { msgs: [buildVoteSuspend(from, resolveAddress(args, target, "<member>"), stringFlag(args, "reason") ?? "")] };
});

const dcertCircuitBreak: Leaf = {
  path: ["dcert", "circuit-break"],
  summary: "as a member, disable message routes (type URLs or /package.*)",
  positionals: ["<route>..."],
  details: [
    "Example: dcertd tx dcert circuit-break /cosmos.bank.v1beta1.MsgSend --reason \"exploit in send\" --case 3 --from alice",
    "--case cites the coordination case the break mitigates; the case lists it as a mitigation.",
  ],
  flags: [...COMMON, REASON_FLAG, { name: "case", valueName: "id", description: "coordination case this break mitigates" }],
  run: (args) =>
    runTx(args, (from) => {
      if (args.positionals.length === 0) throw new UsageError("give at least one route, e.g. /cosmos.bank.v1beta1.MsgSend or /cosmos.bank.v1beta1.*");
      const caseFlag = stringFlag(args, "case");
      const caseId = caseFlag === undefined ? 0n : parseId(caseFlag, "--case");
      return { msgs: [buildCircuitBreak(from, args.positionals, stringFlag(args, "reason") ?? "", caseId)] };
    }),
};

const DESCRIPTION_FIELDS = [
  ["name", "name"],
  ["details", "details"],
  ["website", "website"],
  ["security-contact", "securityContact"],
] as const;

const dcertUpdateDescription = leaf(
  ["dcert", "update-description"],
  "as a member, change the group's description (fields not given stay as they are)",
  [],
  DESCRIPTION_FIELDS.map(([flag]) => ({ name: flag, valueName: "text", description: `the group's ${flag.replace("-", " ")}` })),
  async (from, client, args) => {
    noArgs(args);
    const given = DESCRIPTION_FIELDS.filter(([flag]) => stringFlag(args, flag) !== undefined);
    if (given.length === 0) throw new UsageError("give at least one of --name, --details, --website, --security-contact");
    const current = (await client.getGroup()).description ?? { name: "", details: "", website: "", securityContact: "" };
    const next = { ...current };
    for (const [flag, field] of given) next[field] = stringFlag(args, flag) ?? "";
    return { msgs: [buildUpdateDescription(from, next)] };
  },
);

export const TX_LEAVES: readonly Leaf[] = [
  bankSend,
  stakingDelegate,
  stakingUnbond,
  ...stakingTxLeaves({ common: COMMON, run: runTx }),
  ...distributionTxLeaves({ common: COMMON, run: runTx }),
  ...slashingTxLeaves({ common: COMMON, run: runTx }),
  govSubmit,
  govDeposit,
  govVote,
  govWeightedVote,
  dcertVote,
  dcertAccept,
  dcertLeave,
  dcertBond,
  dcertUnbond,
  dcertSuspend,
  dcertCircuitBreak,
  dcertUpdateDescription,
  ...coordTxLeaves({ common: COMMON, run: runTx }),
  ...upgradeTxLeaves({ common: COMMON, run: runTx }),
  ...signLeaves,
];

export const txCommand = commandTree("tx", "sign and broadcast transactions (bank, staking, distribution, slashing, gov, dcert, coord, upgrade)", TX_LEAVES, {
  intro: [
    "Signs with a keyring key (--from), estimates gas by simulation (--gas auto × --gas-adjustment 1.4), asks",
    "for confirmation unless --yes, broadcasts and waits until the transaction is in a block (a progress line per",
    "block on stderr when it is a terminal, or with --verbose).",
    "Exit code 0 only when the transaction succeeded. --broadcast-mode sync or async return after CheckTx, or at once.",
    "Offline and multi-party signing: --generate-only prints the unsigned tx as JSON; tx sign, tx multisign and",
    "tx broadcast take it from there (docs/cli-signing.md).",
  ],
  commonFlags: COMMON,
  describeError: describeClientError,
  aliases: { coordination: "coord" },
});

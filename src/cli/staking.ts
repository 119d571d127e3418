/**
 * Staking commands beyond delegate/unbond (tx.ts), as the SDK's CLI spells them:
 *
 * - tx: `create-validator --amount --pubkey --moniker [--commission-rate --commission-max-rate
 *   --commission-max-change-rate --min-self-delegation --identity --website --security-contact
 *   --details]`, `edit-validator [--new-moniker … --commission-rate --min-self-delegation]`,
 *   `redelegate <src-validator> <dst-validator> <amount>`,
 *   `cancel-unbond <validator> <amount> <creation-height>`;
 * - q: `historical-info <height>`, `redelegations <delegator> [--src-validator --dst-validator]`.
 */
import { bondStatusToJSON, type HistoricalInfo, type RedelegationResponse } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { decimalToFixed18 } from "../client/decimal";
import { buildBeginRedelegate, buildCancelUnbondingDelegation, buildCreateValidator, buildEditValidator, type ValidatorDescription } from "../client/rewards/messages";
import { collectPages } from "../client/dcertclient";
import { stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { resolveAddress } from "./clientenv";
import { CliError, type Leaf } from "./cmdtree";
import type { TxRunner } from "./coord/tx";
import { toJson, type Json } from "./output";
import { parseCoin } from "./parse";
import { consensusPubkeyArg, decText, heightArg, notFound, operatorOf, positionalArgs, positiveIntArg, queryLeaf, rateArg, valoperArg } from "./stakingargs";
import type { TxPlan } from "./tx";

/** The SDK CLI's defaults for a new validator's commission. */
export const DEFAULT_COMMISSION = { rate: "0.1", maxRate: "0.2", maxChangeRate: "0.01" } as const;

const DESCRIPTION_FLAGS: readonly FlagSpec[] = [
  { name: "identity", valueName: "text", description: "identity signature (e.g. a Keybase key id)" },
  { name: "website", valueName: "url", description: "website" },
  { name: "security-contact", valueName: "email", description: "security contact" },
  { name: "details", valueName: "text", description: "free text about the validator" },
];

const CREATE_FLAGS: readonly FlagSpec[] = [
  { name: "amount", valueName: "coin", description: "self-delegation, e.g. 1000000udcert (required)" },
  { name: "pubkey", valueName: "key", description: 'consensus key: {"@type":"/cosmos.crypto.ed25519.PubKey","key":"…"}, base64, or a priv_validator_key.json path (required)' },
  { name: "moniker", valueName: "name", description: "the validator's name (required)" },
  ...DESCRIPTION_FLAGS,
  { name: "commission-rate", valueName: "rate", description: "initial commission rate", defaultText: DEFAULT_COMMISSION.rate },
  { name: "commission-max-rate", valueName: "rate", description: "maximum commission rate, fixed for good", defaultText: DEFAULT_COMMISSION.maxRate },
  { name: "commission-max-change-rate", valueName: "rate", description: "maximum daily change of the rate, fixed for good", defaultText: DEFAULT_COMMISSION.maxChangeRate },
  { name: "min-self-delegation", valueName: "amount", description: "minimum self-delegation (integer); below it the validator is jailed", defaultText: "1" },
];

const EDIT_FLAGS: readonly FlagSpec[] = [
  { name: "new-moniker", valueName: "name", description: "new name" },
  ...DESCRIPTION_FLAGS,
  { name: "commission-rate", valueName: "rate", description: "new commission rate (at most once a day, within the max change rate)" },
  { name: "min-self-delegation", valueName: "amount", description: "new minimum self-delegation (may only increase)" },
];

function descriptionFlags(args: ParsedArgs): Partial<ValidatorDescription> {
  const out: { -readonly [K in keyof ValidatorDescription]?: string } = {};
  const identity = stringFlag(args, "identity");
  const website = stringFlag(args, "website");
  const contact = stringFlag(args, "security-contact");
  const details = stringFlag(args, "details");
  if (identity !== undefined) out.identity = identity;
  if (website !== undefined) out.website = website;
  if (contact !== undefined) out.securityContact = contact;
  if (details !== undefined) out.details = details;
  return out;
}

export function createValidatorPlan(from: string, args: ParsedArgs, readFile?: (p: string) => string): TxPlan {
  positionalArgs(args, []);
  const amount = stringFlag(args, "amount");
  const pubkey = stringFlag(args, "pubkey");
  const moniker = stringFlag(args, "moniker");
  const missing = [amount === undefined ? "--amount" : "", pubkey === undefined ? "--pubkey" : "", moniker === undefined ? "--moniker" : ""].filter((s) => s !== "");
  if (missing.length > 0) throw new UsageError(`${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} required`);
  const rate = rateArg(stringFlag(args, "commission-rate") ?? DEFAULT_COMMISSION.rate, "--commission-rate");
  const maxRate = rateArg(stringFlag(args, "commission-max-rate") ?? DEFAULT_COMMISSION.maxRate, "--commission-max-rate");
  const maxChangeRate = rateArg(stringFlag(args, "commission-max-change-rate") ?? DEFAULT_COMMISSION.maxChangeRate, "--commission-max-change-rate");
  if (BigInt(rate) > BigInt(maxRate)) throw new UsageError("--commission-rate must not exceed --commission-max-rate");
  if (BigInt(maxChangeRate) > BigInt(maxRate)) throw new UsageError("--commission-max-change-rate must not exceed --commission-max-rate");
  const msd = positiveIntArg(stringFlag(args, "min-self-delegation") ?? "1", "--min-self-delegation");
  const value = parseCoin(amount as string, "--amount");
  if (BigInt(value.amount) < BigInt(msd)) throw new UsageError(`--amount ${value.amount} is below --min-self-delegation ${msd}`);
  const msg = buildCreateValidator({
    delegator: from,
    validator: operatorOf(from),
    consensusPubkey: consensusPubkeyArg(pubkey as string, "--pubkey", readFile),
    selfDelegation: value,
    description: { moniker: moniker as string, ...descriptionFlags(args) },
    commission: { rate, maxRate, maxChangeRate },
    minSelfDelegation: msd,
  });
  return { msgs: [msg] };
}

export function editValidatorPlan(from: string, args: ParsedArgs): TxPlan {
  positionalArgs(args, []);
  const moniker = stringFlag(args, "new-moniker");
  const description = { ...(moniker !== undefined ? { moniker } : {}), ...descriptionFlags(args) };
  const rateText = stringFlag(args, "commission-rate");
  const msdText = stringFlag(args, "min-self-delegation");
  if (Object.keys(description).length === 0 && rateText === undefined && msdText === undefined) {
    throw new UsageError("give at least one of --new-moniker, --identity, --website, --security-contact, --details, --commission-rate, --min-self-delegation");
  }
  const msg = buildEditValidator({
    validator: operatorOf(from),
    description,
    ...(rateText !== undefined ? { commissionRate: rateArg(rateText, "--commission-rate") } : {}),
    ...(msdText !== undefined ? { minSelfDelegation: positiveIntArg(msdText, "--min-self-delegation") } : {}),
  });
  return { msgs: [msg] };
}

export function redelegatePlan(from: string, args: ParsedArgs): TxPlan {
  const [src, dst, amount] = positionalArgs(args, ["<src-validator>", "<dst-validator>", "<amount>"]);
  const source = valoperArg(src, "<src-validator>");
  const destination = valoperArg(dst, "<dst-validator>");
  if (source === destination) throw new UsageError("<src-validator> and <dst-validator> are the same validator");
  return { msgs: [buildBeginRedelegate(from, source, destination, parseCoin(amount as string))] };
}

export function cancelUnbondPlan(from: string, args: ParsedArgs): TxPlan {
  const [val, amount, height] = positionalArgs(args, ["<validator>", "<amount>", "<creation-height>"]);
  return { msgs: [buildCancelUnbondingDelegation(from, valoperArg(val), parseCoin(amount as string), heightArg(height, "<creation-height>"))] };
}

export function stakingTxLeaves(r: TxRunner): Leaf[] {
  return [
    {
      path: ["staking", "create-validator"],
      summary: "create a validator operated by --from, with its consensus key and a self-delegation",
      positionals: [],
      details: [
        "The operator address is --from's address with the valoper prefix. Rates are decimals (0.1 = 10%); the max rate and",
        "max change rate are fixed for good. Get the consensus key with \"cometbft show-validator --home <node>/cometbft\".",
      ],
      flags: [...r.common, ...CREATE_FLAGS],
      run: (args) => r.run(args, (from) => createValidatorPlan(from, args)),
    },
    {
      path: ["staking", "edit-validator"],
      summary: "change your validator's description, commission rate or minimum self-delegation (others stay)",
      positionals: [],
      flags: [...r.common, ...EDIT_FLAGS],
      run: (args) => r.run(args, (from) => editValidatorPlan(from, args)),
    },
    {
      path: ["staking", "redelegate"],
      summary: "move a delegation to another validator at once (no unbonding time; still slashable for the source's faults)",
      positionals: ["<src-validator>", "<dst-validator>", "<amount>"],
      flags: r.common,
      run: (args) =>
        r.run(args, (from) => ({
          ...redelegatePlan(from, args),
          extra: (res) => {
            const t = res.events.find((e) => e.type === "redelegate")?.attributes.find((a) => a.key === "completion_time")?.value;
            return t === undefined ? {} : { completion_time: t };
          },
        })),
    },
    {
      path: ["staking", "cancel-unbond"],
      summary: "cancel (part of) an unbonding delegation: the tokens are delegated to the validator again",
      positionals: ["<validator>", "<amount>", "<creation-height>"],
      details: ['<creation-height> is the entry\'s creation_height in "dcertd q staking unbonding-delegations <delegator>".'],
      flags: r.common,
      run: (args) => r.run(args, (from) => cancelUnbondPlan(from, args)),
    },
  ];
}

// ---- queries

export function historicalInfoJson(h: HistoricalInfo): Json {
  return {
    header: { chain_id: h.header.chainId, height: h.header.height.toString(), time: toJson(h.header.time), app_hash: toJson(h.header.appHash) },
    valset: h.valset.map((v) => ({
      operator_address: v.operatorAddress,
      moniker: v.description.moniker,
      status: bondStatusToJSON(v.status),
      jailed: v.jailed,
      tokens: v.tokens,
      delegator_shares: decText(v.delegatorShares),
    })),
  };
}

export function redelegationJson(r: RedelegationResponse): Json {
  return {
    delegator_address: r.redelegation.delegatorAddress,
    validator_src_address: r.redelegation.validatorSrcAddress,
    validator_dst_address: r.redelegation.validatorDstAddress,
    entries: r.entries.map((e) => ({
      creation_height: e.redelegationEntry.creationHeight.toString(),
      completion_time: toJson(e.redelegationEntry.completionTime),
      initial_balance: e.redelegationEntry.initialBalance,
      shares_dst: decText(e.redelegationEntry.sharesDst),
      balance: e.balance,
    })),
  };
}

/** Heights go to CosmJS's historicalInfo as a number. */
function heightNumber(h: bigint): number {
  if (h > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`height ${h} is too large`);
  return Number(h);
}

export function stakingQueryLeaves(): Leaf[] {
  return [
    queryLeaf(["staking", "historical-info"], "the header and validator set the chain kept for a height (the last historical_entries heights)", ["<height>"], [], (_a, [h]) => {
      const height = heightArg(h, "<height>");
      const n = heightNumber(height);
      return async (c) => {
        let res: Awaited<ReturnType<typeof c.queries.queryClient.staking.historicalInfo>>;
        try {
          res = await c.queries.queryClient.staking.historicalInfo(n);
        } catch (e) {
          notFound(e, `no historical info for height ${height}`, "the chain keeps only the last historical_entries heights; ask for a recent one");
        }
        if (res.hist === undefined) throw new CliError(`no historical info for height ${height}`, "the chain keeps only the most recent heights");
        return { json: historicalInfoJson(res.hist) };
      };
    }),
    queryLeaf(
      ["staking", "redelegations"],
      "a delegator's redelegations in progress (optionally between two validators)",
      ["<delegator>"],
      [
        { name: "src-validator", valueName: "valoper", description: "only from this validator" },
        { name: "dst-validator", valueName: "valoper", description: "only to this validator (needs --src-validator)" },
      ],
      (args, [d]) => {
        const delegator = resolveAddress(args, d as string, "<delegator>");
        const srcText = stringFlag(args, "src-validator");
        const dstText = stringFlag(args, "dst-validator");
        if (dstText !== undefined && srcText === undefined) throw new UsageError("--dst-validator needs --src-validator");
        const src = srcText === undefined ? "" : valoperArg(srcText, "--src-validator");
        const dst = dstText === undefined ? "" : valoperArg(dstText, "--dst-validator");
        return async (c) => {
          const list = await collectPages((key) => c.queries.queryClient.staking.redelegations(delegator, src, dst, key), (r) => r.redelegationResponses);
          return { json: { redelegation_responses: list.map(redelegationJson) } };
        };
      },
    ),
  ];
}

/** For tests and callers that want the fixed-point form of the default rates. */
export function defaultCommissionFixed(): { rate: string; maxRate: string; maxChangeRate: string } {
  return { rate: decimalToFixed18(DEFAULT_COMMISSION.rate), maxRate: decimalToFixed18(DEFAULT_COMMISSION.maxRate), maxChangeRate: decimalToFixed18(DEFAULT_COMMISSION.maxChangeRate) };
}

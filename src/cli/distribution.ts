/**
 * `dcertd tx distribution …` and `dcertd q distribution …`, as the SDK's CLI spells them:
 *
 * - tx: `withdraw-rewards <validator> [--commission]`, `withdraw-all-rewards`,
 *   `set-withdraw-addr <address>`, `fund-community-pool <amount>`;
 * - q: `params`, `rewards <delegator> [validator]`, `commission <validator>`,
 *   `outstanding-rewards <validator>`, `slashes <validator> <start-height> <end-height>`,
 *   `community-pool`, `validator-distribution-info <validator>`.
 *
 * Reward amounts are decimal coins (the chain keeps 18 decimals; a withdrawal pays the integer part).
 */
import type { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { collectPages } from "../client/dcertclient";
import type { SigningDcertClient } from "../client/signingdcertclient";
import {
  buildFundCommunityPool,
  buildSetWithdrawAddress,
  buildWithdrawDelegatorReward,
  buildWithdrawValidatorCommission,
} from "../client/rewards/messages";
import { booleanFlag, UsageError, type ParsedArgs } from "./args";
import { resolveAddress } from "./clientenv";
import { CliError, type Leaf } from "./cmdtree";
import type { TxRunner } from "./coord/tx";
import type { Json } from "./output";
import { parseCoins } from "./parse";
import { decCoinsJson, decCoinsText, decText, heightArg, operatorOf, positionalArgs, queryLeaf, valoperArg } from "./stakingargs";
import type { TxPlan } from "./tx";

// ---- tx

/** `withdraw-rewards <validator> [--commission]`: the delegator's rewards (and, for the operator, the commission). */
export function withdrawRewardsPlan(from: string, args: ParsedArgs): TxPlan {
  const [val] = positionalArgs(args, ["<validator>"]);
  const validator = valoperArg(val);
  const msgs: TxPlan["msgs"][number][] = [buildWithdrawDelegatorReward(from, validator)];
  if (booleanFlag(args, "commission")) {
    if (operatorOf(from) !== validator) {
      throw new UsageError(`--commission withdraws the commission of the signer's own validator (${operatorOf(from)}), not of ${validator}`);
    }
    msgs.push(buildWithdrawValidatorCommission(validator));
  }
  return { msgs };
}

/** Something that lists the validators a delegator has delegations with. */
export interface DelegatorValidatorsSource {
  delegatorValidators(delegator: string): Promise<{ validators: string[] }>;
}

/** `withdraw-all-rewards`: one MsgWithdrawDelegatorReward per validator the signer delegates to. */
export async function withdrawAllRewardsPlan(from: string, args: ParsedArgs, source: DelegatorValidatorsSource): Promise<TxPlan> {
  positionalArgs(args, []);
  const { validators } = await source.delegatorValidators(from);
  if (validators.length === 0) throw new CliError(`${from} has no delegations, so there are no rewards to withdraw`, `delegate first ("dcertd tx staking delegate <validator> <amount>")`);
  return { msgs: [...validators].sort().map((v) => buildWithdrawDelegatorReward(from, v)) };
}

export function setWithdrawAddrPlan(from: string, args: ParsedArgs): TxPlan {
  const [to] = positionalArgs(args, ["<withdraw-address>"]);
  return { msgs: [buildSetWithdrawAddress(from, resolveAddress(args, to as string, "<withdraw-address>"))] };
}

export function fundCommunityPoolPlan(from: string, args: ParsedArgs): TxPlan {
  const [amount] = positionalArgs(args, ["<amount>"]);
  // Sorted by denom, as the SDK's coins must be.
  const coins = parseCoins(amount as string).sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
  return { msgs: [buildFundCommunityPool(from, coins)] };
}

function withdrawnExtra(res: { events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[] }): Record<string, Json> {
  const amounts = res.events.filter((e) => e.type === "withdraw_rewards" || e.type === "withdraw_commission").map((e) => ({ type: e.type, amount: e.attributes.find((a) => a.key === "amount")?.value ?? "", validator: e.attributes.find((a) => a.key === "validator")?.value ?? "" }));
  return amounts.length === 0 ? {} : { withdrawn: amounts };
}

export function distributionTxLeaves(r: TxRunner): Leaf[] {
  return [
    {
      path: ["distribution", "withdraw-rewards"],
      summary: "withdraw your rewards from one validator (with --commission, also your own validator's commission)",
      positionals: ["<validator>"],
      flags: [...r.common, { name: "commission", boolean: true, description: "also withdraw the commission (the signer must be the validator's operator)" }],
      run: (args) => r.run(args, (from) => ({ ...withdrawRewardsPlan(from, args), extra: withdrawnExtra })),
    },
    {
      path: ["distribution", "withdraw-all-rewards"],
      summary: "withdraw your rewards from every validator you delegate to (one message each)",
      positionals: [],
      flags: r.common,
      run: (args) =>
        r.run(args, async (from, client: SigningDcertClient) => ({ ...(await withdrawAllRewardsPlan(from, args, client.queries.distribution)), extra: withdrawnExtra })),
    },
    {
      path: ["distribution", "set-withdraw-addr"],
      summary: "set the address your rewards (and commission) are paid to",
      positionals: ["<withdraw-address>"],
      flags: r.common,
      run: (args) => r.run(args, (from) => setWithdrawAddrPlan(from, args)),
    },
    {
      path: ["distribution", "fund-community-pool"],
      summary: "give coins to the community pool (which pays the dCERT stipend)",
      positionals: ["<amount>"],
      flags: r.common,
      run: (args) => r.run(args, (from) => fundCommunityPoolPlan(from, args)),
    },
  ];
}

// ---- queries

export function distributionParamsJson(p: Params | undefined): Json {
  return {
    community_tax: decText(p?.communityTax ?? "0"),
    base_proposer_reward: decText(p?.baseProposerReward ?? "0"),
    bonus_proposer_reward: decText(p?.bonusProposerReward ?? "0"),
    withdraw_addr_enabled: p?.withdrawAddrEnabled ?? false,
  };
}

export function distributionQueryLeaves(): Leaf[] {
  return [
    queryLeaf(["distribution", "params"], "the distribution parameters (community tax, withdraw address enabled)", [], [], () => async (c) => ({
      json: distributionParamsJson((await c.queries.distribution.params()).params),
    })),
    queryLeaf(["distribution", "rewards"], "a delegator's rewards: from every validator (with the total), or from one", ["<delegator>", "[validator]"], [], (args, [d, v]) => {
      const delegator = resolveAddress(args, d as string, "<delegator>");
      const validator = v === undefined ? undefined : valoperArg(v, "[validator]");
      return async (c) => {
        if (validator !== undefined) {
          const res = await c.queries.distribution.delegationRewards(delegator, validator);
          return { json: { rewards: decCoinsJson(res.rewards) }, text: { rewards: decCoinsText(res.rewards) } };
        }
        const res = await c.queries.distribution.delegationTotalRewards(delegator);
        const rows = res.rewards.map((x) => ({ validator_address: x.validatorAddress, reward: decCoinsJson(x.reward) }));
        return {
          json: { rewards: rows, total: decCoinsJson(res.total) },
          text: { rewards: res.rewards.map((x) => ({ validator_address: x.validatorAddress, reward: decCoinsText(x.reward) })), total: decCoinsText(res.total) },
        };
      };
    }),
    queryLeaf(["distribution", "commission"], "a validator's accumulated commission (not yet withdrawn)", ["<validator>"], [], (_a, [v]) => {
      const validator = valoperArg(v);
      return async (c) => {
        const res = await c.queries.distribution.validatorCommission(validator);
        return { json: { commission: decCoinsJson(res.commission?.commission) }, text: { commission: decCoinsText(res.commission?.commission) } };
      };
    }),
    queryLeaf(["distribution", "outstanding-rewards"], "a validator's outstanding rewards (all its delegators' and its commission, not yet withdrawn)", ["<validator>"], [], (_a, [v]) => {
      const validator = valoperArg(v);
      return async (c) => {
        const res = await c.queries.distribution.validatorOutstandingRewards(validator);
        return { json: { rewards: decCoinsJson(res.rewards?.rewards) }, text: { rewards: decCoinsText(res.rewards?.rewards) } };
      };
    }),
    queryLeaf(["distribution", "slashes"], "a validator's slash events between two heights (inclusive)", ["<validator>", "<start-height>", "<end-height>"], [], (_a, [v, s, e]) => {
      const validator = valoperArg(v);
      const start = heightArg(s, "<start-height>");
      const end = heightArg(e, "<end-height>");
      if (end < start) throw new UsageError(`<end-height> ${end} is before <start-height> ${start}`);
      return async (c) => {
        const all = await collectPages((key) => c.queries.distribution.validatorSlashes(validator, start, end, key), (r) => r.slashes);
        return { json: { slashes: all.map((x) => ({ validator_period: x.validatorPeriod.toString(), fraction: decText(x.fraction) })) } };
      };
    }),
    queryLeaf(["distribution", "community-pool"], "the community pool (pays the dCERT stipend and community spends)", [], [], () => async (c) => {
      const res = await c.queries.distribution.communityPool();
      return { json: { pool: decCoinsJson(res.pool) }, text: { pool: decCoinsText(res.pool) } };
    }),
    queryLeaf(["distribution", "validator-distribution-info"], "a validator's operator, self-bond rewards and commission", ["<validator>"], [], (_a, [v]) => {
      const validator = valoperArg(v);
      return async (c) => {
        const res = await c.queries.distribution.validatorDistributionInfo(validator);
        return {
          json: { operator_address: res.operatorAddress, self_bond_rewards: decCoinsJson(res.selfBondRewards), commission: decCoinsJson(res.commission) },
          text: { operator_address: res.operatorAddress, self_bond_rewards: decCoinsText(res.selfBondRewards), commission: decCoinsText(res.commission) },
        };
      };
    }),
  ];
}

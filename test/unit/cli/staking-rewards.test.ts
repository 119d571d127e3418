/**
 * The staking, slashing, distribution, mint and evidence commands before any node is reached: the
 * leaves exist with the SDK's names and flags, arguments parse into the right messages (operator
 * address from --from, rates as 18-decimal fixed point, consensus keys in every printed form), and
 * mistakes are usage errors (exit code 2) saying what to do.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { runCli, parseArgs, type CommandNode, type Leaf } from "../../../src/cli/args";
import { fundCommunityPoolPlan, setWithdrawAddrPlan, withdrawAllRewardsPlan, withdrawRewardsPlan } from "../../../src/cli/distribution";
import { evidenceHashArg } from "../../../src/cli/evidence";
import { queryCommand } from "../../../src/cli/query";
import { consensusAddressOf, slashingParamsJson, unjailPlan } from "../../../src/cli/slashing";
import { cancelUnbondPlan, createValidatorPlan, editValidatorPlan, redelegatePlan } from "../../../src/cli/staking";
import { consensusPubkeyArg, decCoinsText, heightArg, operatorOf, rateArg } from "../../../src/cli/stakingargs";
import { TX_LEAVES, txCommand } from "../../../src/cli/tx";
import { QUERY_LEAVES } from "../../../src/cli/query";
import { consensusAddress, REWARDS_TYPE_URLS } from "../../../src/client";
import { UsageError } from "../../../src/cli/errors";

const ME = toBech32("dcert", new Uint8Array(20).fill(1));
const MY_VAL = toBech32("dcertvaloper", new Uint8Array(20).fill(1));
const OTHER_VAL = toBech32("dcertvaloper", new Uint8Array(20).fill(2));
const THIRD_VAL = toBech32("dcertvaloper", new Uint8Array(20).fill(3));
const KEY = new Uint8Array(32).map((_, i) => 200 - i);
const KEY_B64 = Buffer.from(KEY).toString("base64");

function leaf(leaves: readonly Leaf[], ...p: string[]): Leaf {
  const l = leaves.find((x) => x.path.join(" ") === p.join(" "));
  if (l === undefined) throw new Error(`no leaf ${p.join(" ")}`);
  return l;
}

/** Parses `argv` with the flags of the tx leaf at `p`, as runCli would. */
function txArgs(p: string[], argv: string[]) {
  return parseArgs(argv, leaf(TX_LEAVES, ...p).flags, { shorts: true });
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
  const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
  try {
    return { code: await runCli("dcertd", [txCommand, queryCommand] as CommandNode[], argv), out: out.join("\n"), err: err.join("\n") };
  } finally {
    a.mockRestore();
    b.mockRestore();
  }
}

describe("the command tree", () => {
  test("every new tx and query leaf is there", () => {
    const tx = TX_LEAVES.map((l) => l.path.join(" "));
    for (const p of [
      "slashing unjail",
      "distribution withdraw-rewards",
      "distribution withdraw-all-rewards",
      "distribution set-withdraw-addr",
      "distribution fund-community-pool",
      "staking create-validator",
      "staking edit-validator",
      "staking redelegate",
      "staking cancel-unbond",
    ]) {
      expect(tx).toContain(p);
    }
    const q = QUERY_LEAVES.map((l) => l.path.join(" "));
    for (const p of [
      "slashing params",
      "slashing signing-info",
      "slashing signing-infos",
      "distribution params",
      "distribution rewards",
      "distribution commission",
      "distribution outstanding-rewards",
      "distribution slashes",
      "distribution community-pool",
      "distribution validator-distribution-info",
      "mint params",
      "mint inflation",
      "mint annual-provisions",
      "evidence",
      "staking historical-info",
      "staking redelegations",
    ]) {
      expect(q).toContain(p);
    }
  });

  test("create-validator's help lists the SDK's flags and their defaults", async () => {
    const r = await run("tx", "staking", "create-validator", "--help");
    expect(r.code).toBe(0);
    for (const f of ["--amount", "--pubkey", "--moniker", "--commission-rate", "--commission-max-rate", "--commission-max-change-rate", "--min-self-delegation"]) expect(r.out).toContain(f);
    expect(r.out).toContain("(default 0.1)");
  });

  test("mistakes exit 2 before any key or node is needed", async () => {
    const bad = await run("q", "distribution", "slashes", MY_VAL, "10", "abc");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/<end-height> must be a positive block height, got "abc"/);
    const notVal = await run("q", "distribution", "commission", ME);
    expect(notVal.code).toBe(2);
    expect(notVal.err).toMatch(/is not a validator operator address \(dcertvaloper1…\); list them with "dcertd q staking validators"/);
    const extra = await run("q", "mint", "inflation", "x");
    expect(extra.code).toBe(2);
    expect((await run("q", "evidence", "nothex")).code).toBe(2);
  });
});

describe("tx plans", () => {
  test("unjail: the signer's own operator address", () => {
    const plan = unjailPlan(ME, txArgs(["slashing", "unjail"], []));
    expect(plan.msgs).toEqual([{ typeUrl: REWARDS_TYPE_URLS.unjail, value: { validatorAddr: MY_VAL } }]);
    expect(() => unjailPlan(ME, txArgs(["slashing", "unjail"], [MY_VAL]))).toThrow(UsageError);
  });

  test("withdraw-rewards, with --commission only for one's own validator", () => {
    const p = ["distribution", "withdraw-rewards"];
    expect(withdrawRewardsPlan(ME, txArgs(p, [OTHER_VAL])).msgs.map((m) => m.typeUrl)).toEqual([REWARDS_TYPE_URLS.withdrawDelegatorReward]);
    const both = withdrawRewardsPlan(ME, txArgs(p, [MY_VAL, "--commission"])).msgs;
    expect(both).toEqual([
      { typeUrl: REWARDS_TYPE_URLS.withdrawDelegatorReward, value: { delegatorAddress: ME, validatorAddress: MY_VAL } },
      { typeUrl: REWARDS_TYPE_URLS.withdrawValidatorCommission, value: { validatorAddress: MY_VAL } },
    ]);
    expect(() => withdrawRewardsPlan(ME, txArgs(p, [OTHER_VAL, "--commission"]))).toThrow(/commission of the signer's own validator/);
    expect(() => withdrawRewardsPlan(ME, txArgs(p, [ME]))).toThrow(/not a validator operator address/);
  });

  test("withdraw-all-rewards: one message per validator, sorted; none is an error", async () => {
    const args = txArgs(["distribution", "withdraw-all-rewards"], []);
    const plan = await withdrawAllRewardsPlan(ME, args, { delegatorValidators: async () => ({ validators: [THIRD_VAL, OTHER_VAL] }) });
    expect(plan.msgs.map((m) => (m.value as { validatorAddress: string }).validatorAddress)).toEqual([OTHER_VAL, THIRD_VAL].sort());
    await expect(withdrawAllRewardsPlan(ME, args, { delegatorValidators: async () => ({ validators: [] }) })).rejects.toThrow(/has no delegations/);
  });

  test("set-withdraw-addr and fund-community-pool", () => {
    const other = toBech32("dcert", new Uint8Array(20).fill(5));
    expect(setWithdrawAddrPlan(ME, txArgs(["distribution", "set-withdraw-addr"], [other])).msgs[0]?.value).toEqual({ delegatorAddress: ME, withdrawAddress: other });
    expect(fundCommunityPoolPlan(ME, txArgs(["distribution", "fund-community-pool"], ["5udcert,3uatom"])).msgs[0]?.value).toEqual({
      depositor: ME,
      amount: [
        { denom: "uatom", amount: "3" },
        { denom: "udcert", amount: "5" },
      ].sort((a, b) => (a.denom < b.denom ? -1 : 1)),
    });
  });

  test("create-validator: defaults, rates in fixed point, operator from --from, the consensus key", () => {
    const p = ["staking", "create-validator"];
    const plan = createValidatorPlan(ME, txArgs(p, ["--amount", "1000000udcert", "--pubkey", `{"@type":"/cosmos.crypto.ed25519.PubKey","key":"${KEY_B64}"}`, "--moniker", "v1", "--website", "https://v1"]));
    const v = plan.msgs[0]?.value as { commission: unknown; validatorAddress: string; delegatorAddress: string; minSelfDelegation: string; pubkey: { typeUrl: string; value: Uint8Array }; description: { moniker: string; website: string }; value: unknown };
    expect(plan.msgs[0]?.typeUrl).toBe(REWARDS_TYPE_URLS.createValidator);
    expect(v.commission).toEqual({ rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" });
    expect([v.delegatorAddress, v.validatorAddress, v.minSelfDelegation]).toEqual([ME, MY_VAL, "1"]);
    expect(Ed25519PubKey.decode(v.pubkey.value).key).toEqual(KEY);
    expect(v.description).toMatchObject({ moniker: "v1", website: "https://v1" });
    expect(v.value).toEqual({ denom: "udcert", amount: "1000000" });

    const custom = createValidatorPlan(ME, txArgs(p, ["--amount", "5udcert", "--pubkey", KEY_B64, "--moniker", "v", "--commission-rate", "0.05", "--commission-max-rate", "0.5", "--commission-max-change-rate", "0.02", "--min-self-delegation", "5"]));
    expect((custom.msgs[0]?.value as { commission: unknown }).commission).toEqual({ rate: "50000000000000000", maxRate: "500000000000000000", maxChangeRate: "20000000000000000" });

    expect(() => createValidatorPlan(ME, txArgs(p, ["--amount", "5udcert"]))).toThrow(/--pubkey, --moniker are required/);
    expect(() => createValidatorPlan(ME, txArgs(p, ["--amount", "5udcert", "--pubkey", KEY_B64, "--moniker", "v", "--commission-rate", "0.3"]))).toThrow(/must not exceed --commission-max-rate/);
    expect(() => createValidatorPlan(ME, txArgs(p, ["--amount", "5udcert", "--pubkey", KEY_B64, "--moniker", "v", "--commission-max-rate", "1.5"]))).toThrow(/at most 1/);
    expect(() => createValidatorPlan(ME, txArgs(p, ["--amount", "4udcert", "--pubkey", KEY_B64, "--moniker", "v", "--min-self-delegation", "5"]))).toThrow(/below --min-self-delegation/);
  });

  test("edit-validator: only what is given changes", () => {
    const p = ["staking", "edit-validator"];
    const plan = editValidatorPlan(ME, txArgs(p, ["--new-moniker", "renamed", "--commission-rate", "0.12"]));
    const v = plan.msgs[0]?.value as { description: Record<string, string>; commissionRate: string; minSelfDelegation: string; validatorAddress: string };
    expect(v.validatorAddress).toBe(MY_VAL);
    expect(v.description["moniker"]).toBe("renamed");
    expect(v.description["website"]).toBe("[do-not-modify]");
    expect(v.commissionRate).toBe("120000000000000000");
    expect(v.minSelfDelegation).toBe("");
    expect(() => editValidatorPlan(ME, txArgs(p, []))).toThrow(/give at least one of/);
  });

  test("redelegate and cancel-unbond", () => {
    expect(redelegatePlan(ME, txArgs(["staking", "redelegate"], [MY_VAL, OTHER_VAL, "7udcert"])).msgs[0]?.value).toEqual({
      delegatorAddress: ME,
      validatorSrcAddress: MY_VAL,
      validatorDstAddress: OTHER_VAL,
      amount: { denom: "udcert", amount: "7" },
    });
    expect(() => redelegatePlan(ME, txArgs(["staking", "redelegate"], [MY_VAL, MY_VAL, "7udcert"]))).toThrow(/same validator/);
    expect(() => redelegatePlan(ME, txArgs(["staking", "redelegate"], [MY_VAL, OTHER_VAL]))).toThrow(/missing <amount>/);
    expect(cancelUnbondPlan(ME, txArgs(["staking", "cancel-unbond"], [OTHER_VAL, "3udcert", "120"])).msgs[0]?.value).toEqual({
      delegatorAddress: ME,
      validatorAddress: OTHER_VAL,
      amount: { denom: "udcert", amount: "3" },
      creationHeight: 120n,
    });
    expect(() => cancelUnbondPlan(ME, txArgs(["staking", "cancel-unbond"], [OTHER_VAL, "3udcert", "0"]))).toThrow(/positive block height/);
  });
});

describe("argument parsers", () => {
  test("consensus keys: SDK JSON, CometBFT JSON, a priv_validator_key.json, bare base64", () => {
    expect(consensusPubkeyArg(`{"@type":"/cosmos.crypto.ed25519.PubKey","key":"${KEY_B64}"}`)).toEqual(KEY);
    expect(consensusPubkeyArg(`{"type":"tendermint/PubKeyEd25519","value":"${KEY_B64}"}`)).toEqual(KEY);
    expect(consensusPubkeyArg(KEY_B64)).toEqual(KEY);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli13-"));
    const file = path.join(dir, "priv_validator_key.json");
    fs.writeFileSync(file, JSON.stringify({ address: "AB", pub_key: { type: "tendermint/PubKeyEd25519", value: KEY_B64 }, priv_key: { type: "tendermint/PrivKeyEd25519", value: "x" } }));
    expect(consensusPubkeyArg(file)).toEqual(KEY);
    fs.rmSync(dir, { recursive: true });
    expect(() => consensusPubkeyArg(`{"@type":"/cosmos.crypto.secp256k1.PubKey","key":"${KEY_B64}"}`)).toThrow(/only ed25519/);
    expect(() => consensusPubkeyArg(`{"@type":"/cosmos.crypto.ed25519.PubKey","key":"AAAA"}`)).toThrow(/32 bytes/);
    expect(() => consensusPubkeyArg("/no/such/file")).toThrow(/none of them/);
  });

  test("signing-info's validator: valcons as is, a key's address, a valoper looked up on chain", async () => {
    const cons = consensusAddress(KEY);
    const never = async (): Promise<never> => {
      throw new Error("no lookup expected");
    };
    expect(await consensusAddressOf(cons, never)).toBe(cons);
    expect(await consensusAddressOf(KEY_B64, never)).toBe(cons);
    const lookup = async () => ({ consensusPubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: KEY }).finish() } });
    expect(await consensusAddressOf(MY_VAL, lookup)).toBe(cons);
    await expect(
      consensusAddressOf(MY_VAL, async () => {
        throw new Error("validator not found");
      }),
    ).rejects.toThrow(/does not exist/);
  });

  test("rates, heights, operator addresses, decimal coins, evidence hashes", () => {
    expect(rateArg("0.1", "--x")).toBe("100000000000000000");
    expect(rateArg("1", "--x")).toBe("1000000000000000000");
    expect(() => rateArg("-0.1", "--x")).toThrow(UsageError);
    expect(() => rateArg("10%", "--x")).toThrow(/decimal between 0 and 1/);
    expect(heightArg("9223372036854775807", "h")).toBe(9223372036854775807n);
    expect(() => heightArg("9223372036854775808", "h")).toThrow(UsageError);
    expect(operatorOf(ME)).toBe(MY_VAL);
    expect(decCoinsText([{ denom: "udcert", amount: "1500000000000000000" }])).toBe("1.5udcert");
    expect(decCoinsText([])).toBe("0");
    expect(evidenceHashArg("ab".repeat(32))).toBe("AB".repeat(32));
    expect(() => evidenceHashArg("ab")).toThrow(/64 hex/);
  });

  test("slashing params: the bytes decimals and the jail duration read as people write them", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(
      slashingParamsJson({
        signedBlocksWindow: 100n,
        minSignedPerWindow: enc("500000000000000000"),
        downtimeJailDuration: { seconds: 600n, nanos: 0 },
        slashFractionDoubleSign: enc("50000000000000000"),
        slashFractionDowntime: enc("10000000000000000"),
      }),
    ).toEqual({ signed_blocks_window: "100", min_signed_per_window: "0.5", downtime_jail_duration: "600s", slash_fraction_double_sign: "0.05", slash_fraction_downtime: "0.01" });
  });
});

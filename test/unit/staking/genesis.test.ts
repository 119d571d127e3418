import { buildDevnetAppState } from "../../../src/app/genesis";
import { parseStakingGenesis, validateStakingGenesis } from "../../../src/x/staking/genesis";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { BONDED_POOL } from "../../../src/x/staking/keeper";
import { createApp } from "../../../src/app/node";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import { addr } from "./fixture";

function devnetStaking(): Record<string, unknown> {
  const state = buildDevnetAppState({
    denom: "udcert",
    accounts: [
      { address: addr(1), amount: 1_000_000_000n },
      { address: addr(2), amount: 5n },
    ],
    validator: { operatorAddress: addr(1), consensusPubkeyEd25519Base64: Buffer.alloc(32, 3).toString("base64"), selfDelegation: 400_000_000n },
    shortPeriods: true,
  });
  return state["staking"] as Record<string, unknown>;
}

describe("staking genesis", () => {
  test("the devnet builder takes the self-delegation out of accounts[0] into the bonded pool", () => {
    const state = buildDevnetAppState({
      denom: "udcert",
      accounts: [{ address: addr(1), amount: 1_000n }],
      validator: { operatorAddress: addr(1), consensusPubkeyEd25519Base64: Buffer.alloc(32, 3).toString("base64"), selfDelegation: 400n },
      shortPeriods: false,
    });
    const balances = (state["bank"] as { balances: { address: string; coins: { amount: string }[] }[] }).balances;
    const total = balances.reduce((s, b) => s + BigInt(b.coins[0]?.amount ?? "0"), 0n);
    expect(total).toBe(1_000n);
    expect(balances.find((b) => b.address === addr(1))?.coins).toEqual([{ denom: "udcert", amount: "600" }]);
    expect((state["staking"] as { params: { unbonding_time: string } }).params.unbonding_time).toBe("1814400s");
    expect(() =>
      buildDevnetAppState({
        denom: "udcert",
        accounts: [{ address: addr(1), amount: 1n }],
        validator: { operatorAddress: addr(1), consensusPubkeyEd25519Base64: Buffer.alloc(32, 3).toString("base64"), selfDelegation: 2n },
        shortPeriods: true,
      }),
    ).toThrow(/at most accounts\[0\]'s balance/);
  });

  test("validation names the JSON path of the problem", () => {
    const g = devnetStaking();
    expect(() => validateStakingGenesis(parseStakingGenesis(g))).not.toThrow();
    const vals = g["validators"] as Record<string, unknown>[];
    const v0 = vals[0] as Record<string, unknown>;
    expect(() => parseStakingGenesis({ ...g, validators: [{ ...v0, status: "BONDED" }] })).toThrow(/staking.validators\[0\].status/);
    expect(() => parseStakingGenesis({ ...g, validators: [{ ...v0, consensus_pubkey: { "@type": "/cosmos.crypto.secp256k1.PubKey", key: "AA==" } }] })).toThrow(
      /consensus_pubkey/,
    );
    expect(() => validateStakingGenesis(parseStakingGenesis({ ...g, validators: [v0, v0] }))).toThrow(/duplicate validator/);
    expect(() => validateStakingGenesis(parseStakingGenesis({ ...g, delegations: [] }))).toThrow(/add up to 0.000000000000000000 shares/);
    expect(() => parseStakingGenesis({ ...g, params: { unbonding_time: "0s" } })).toThrow(/unbonding_time must be positive/);
    expect(() => parseStakingGenesis({ ...g, params: { unbonding_time: "10 days" } })).toThrow(/staking.params.unbonding_time/);
  });

  test("InitChain refuses a bonded pool balance that does not match the bonded tokens", () => {
    const state = buildDevnetAppState({
      denom: "udcert",
      accounts: [{ address: addr(1), amount: 1_000_000_000n }],
      validator: { operatorAddress: addr(1), consensusPubkeyEd25519Base64: Buffer.alloc(32, 3).toString("base64"), selfDelegation: 400_000_000n },
      shortPeriods: true,
    });
    const pool = moduleAccountAddress(BONDED_POOL);
    const bank = state["bank"] as { balances: { address: string; coins: { denom: string; amount: string }[] }[] };
    bank.balances = bank.balances.map((b) => (b.address === pool ? { ...b, coins: [{ denom: "udcert", amount: "399999999" }] } : b));
    const app = createApp({ store: new MemoryCommitStore() });
    expect(() =>
      app.initChain({
        time: { seconds: 1n, nanos: 0 },
        chainId: "x",
        validators: [],
        appStateBytes: new TextEncoder().encode(JSON.stringify(state)),
        initialHeight: 1n,
      }),
    ).toThrow(/bonded_tokens_pool .* holds 399999999udcert but the staking state needs 400000000udcert/);
  });
});

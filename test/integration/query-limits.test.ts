/**
 * Node-local caps on queries and Simulate (AppOptions.queryGasLimit / maxQueryBytes): an
 * unauthenticated query must not keep the app's one thread, shared with consensus, busy for long.
 * Normal queries and the Simulate of normal txs pass under the defaults; a 3,000-message Simulate
 * and a query iterating a huge range are cut short with a registered error naming the setting.
 */
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import fc from "fast-check";
import type { ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import type { App } from "../../src/baseapp/app";
import { ErrOutOfGas } from "../../src/baseapp/errors";
import {
  checkQuerySize,
  DEFAULT_MAX_QUERY_BYTES,
  DEFAULT_QUERY_GAS_LIMIT,
  ErrQueryTooLarge,
  QueryGasMeter,
} from "../../src/baseapp/querylimits";
import { accountValoper } from "../../src/x/staking/keeper";
import { anyOf, dcertEnv, DENOM, GOV, m, ONE, type DcertEnv } from "./dcert-harness";
import { testChain } from "../helpers/app";
import { signDirect, TEST_CHAIN_ID, directWallet, firstAccount } from "../helpers/txs";

const SIMULATE = "/cosmos.tx.v1beta1.Service/Simulate";

function simulate(app: App, txBytes: Uint8Array): ResponseQuery {
  return app.query({ path: SIMULATE, data: SimulateRequest.encode({ txBytes }).finish(), height: 0n, prove: false });
}

function gasUsed(res: ResponseQuery): bigint {
  expect(`${res.codespace}:${res.code} ${res.log}`).toBe(":0 ");
  return SimulateResponse.decode(res.value).gasInfo?.gasUsed ?? -1n;
}

const sends = (e: DcertEnv, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: e.addr(0), toAddress: e.addr(1 + (i % 19)), amount: [{ denom: DENOM, amount: "1" }] },
  }));

let env: DcertEnv;
beforeAll(async () => {
  env = await dcertEnv({ balances: Array.from({ length: 20 }, (_, i) => (i === 0 ? 10n ** 15n : 10n ** 12n)) });
});

describe("queries and Simulate under the default caps", () => {
  test("the defaults are the documented ones", () => {
    expect(env.app.queryLimits).toEqual({ queryGasLimit: DEFAULT_QUERY_GAS_LIMIT, maxQueryBytes: DEFAULT_MAX_QUERY_BYTES });
    expect(DEFAULT_QUERY_GAS_LIMIT).toBe(20_000_000n);
    expect(DEFAULT_MAX_QUERY_BYTES).toBe(131_072);
  });

  test("Simulate of normal txs works: a gov proposal, a 16-entry dCERT vote, 50 sends, a 500-output MultiSend", async () => {
    const e = env;
    const voter = e.acct(1);
    const entries: [string, bigint][] = Array.from({ length: 16 }, (_, i) => [e.addr(2 + i), ONE / 16n]);
    const vote = await e.sign(voter, [m.delegate(voter.address, accountValoper(e.addr(0)), 5_000_000n), m.vote(voter.address, entries)]);
    const proposal = await e.sign(e.acct(0), [
      {
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: {
          messages: [anyOf("MsgDisbandGroup", { authority: GOV })],
          initialDeposit: [{ denom: DENOM, amount: "60000000" }],
          proposer: e.addr(0),
          metadata: "",
          title: "t".repeat(140),
          summary: "s".repeat(5_000),
          expedited: false,
        },
      },
    ]);
    const fifty = await e.sign(e.acct(0), sends(e, 50));
    const { benchKeys } = jest.requireActual<typeof import("../../bench/lib/keys")>("../../bench/lib/keys");
    const outputs = benchKeys(500).map((k) => ({ address: k.address, coins: [{ denom: DENOM, amount: "10" }] }));
    const multi = await e.sign(e.acct(0), [
      { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: { inputs: [{ address: e.addr(0), coins: [{ denom: DENOM, amount: "5000" }] }], outputs } },
    ]);
    const gas = {
      vote: gasUsed(simulate(e.app, vote)),
      proposal: gasUsed(simulate(e.app, proposal)),
      fifty: gasUsed(simulate(e.app, fifty)),
      multi: gasUsed(simulate(e.app, multi)),
    };
    // Headroom: each is at most half the cap.
    for (const g of Object.values(gas)) expect(g).toBeLessThan(DEFAULT_QUERY_GAS_LIMIT / 2n);
    for (const tx of [vote, proposal, fifty, multi]) expect(tx.length).toBeLessThan(DEFAULT_MAX_QUERY_BYTES / 4);
  });

  test("a 3,000-message Simulate is refused before it is decoded, naming max-query-bytes", async () => {
    const tx = await env.sign(env.acct(0), sends(env, 3_000));
    expect(tx.length).toBeGreaterThan(DEFAULT_MAX_QUERY_BYTES);
    const res = simulate(env.app, tx);
    expect([res.codespace, res.code]).toEqual([ErrQueryTooLarge.codespace, ErrQueryTooLarge.code]);
    expect(res.log).toMatch(/max-query-bytes of 131072/);
    expect(res.log).toMatch(/--max-query-bytes/);
    expect(res.height).toBe(env.chain.height);
  });
});

describe("caps set by the node operator", () => {
  async function chainWith(opts: { queryGasLimit?: bigint; maxQueryBytes?: number }, editGenesis?: (s: Record<string, unknown>) => void) {
    const wallet = await directWallet();
    const alice = (await firstAccount(wallet)).address;
    const chain = testChain({ accounts: [{ address: alice, amount: 10n ** 15n }], ...opts, ...(editGenesis === undefined ? {} : { editGenesis }) });
    chain.block();
    return { chain, wallet, alice };
  }

  test("with the size cap lifted, a 3,000-message Simulate runs out of query gas (the cap, not the tx's gas limit)", async () => {
    const { chain, wallet, alice } = await chainWith({ maxQueryBytes: 0 });
    const msgs = Array.from({ length: 3_000 }, () => ({
      typeUrl: "/cosmos.bank.v1beta1.MsgSend",
      value: { fromAddress: alice, toAddress: alice, amount: [{ denom: DENOM, amount: "1" }] },
    }));
    // The tx asks for far more gas than the cap: Simulate must still stop at the cap.
    const tx = await signDirect(wallet, { msgs, fee: { amount: [], gas: "900000000" }, chainId: TEST_CHAIN_ID, accountNumber: 0, sequence: 0 });
    const res = simulate(chain.app, tx);
    expect([res.codespace, res.code]).toEqual([ErrOutOfGas.codespace, ErrOutOfGas.code]);
    expect(res.log).toMatch(/query gas limit exceeded/);
    expect(res.log).toMatch(/limit: 20000000\b/);
    expect(res.log).toMatch(/--query-gas-limit/);
    const used = BigInt(/gasUsed: (\d+)/.exec(res.log)?.[1] ?? "0");
    // Stopped at the cap: well short of the ~37.6M gas all 3,000 messages would use.
    expect(used).toBeGreaterThan(DEFAULT_QUERY_GAS_LIMIT);
    expect(used).toBeLessThan(DEFAULT_QUERY_GAS_LIMIT + 100_000n);
  });

  test("a query iterating a range larger than the gas cap allows is cut short; within the cap it answers", async () => {
    const denoms = Array.from({ length: 2_000 }, (_, i) => `tok${String(i).padStart(5, "0")}`);
    const wallet = await directWallet();
    const alice = (await firstAccount(wallet)).address;
    const edit = (state: Record<string, unknown>): void => {
      const bank = state["bank"] as { balances: { address: string; coins: { denom: string; amount: string }[] }[] };
      const entry = bank.balances.find((b) => b.address === alice);
      if (entry === undefined) throw new Error("no alice balance");
      entry.coins = [...denoms.map((denom) => ({ denom, amount: "1" })), ...entry.coins].sort((a, b) => (a.denom < b.denom ? -1 : 1));
    };
    const all = QueryAllBalancesRequest.encode({ address: alice, resolveDenom: false }).finish();
    const query = (app: App, path = "/cosmos.bank.v1beta1.Query/AllBalances", data = all): ResponseQuery =>
      app.query({ path, data, height: 0n, prove: false });

    // ~170 gas per balance entry: 2,001 entries need ~340k gas.
    const capped = await chainWith({ queryGasLimit: 100_000n }, edit);
    const res = query(capped.chain.app);
    expect([res.codespace, res.code]).toEqual([ErrOutOfGas.codespace, ErrOutOfGas.code]);
    expect(res.log).toMatch(/query gas limit exceeded in location: (IterNextFlat|ValuePerByte)/);
    expect(res.log).toMatch(/limit: 100000\b/);
    expect(res.log).toMatch(/--query-gas-limit/);
    // A point lookup stays far below the cap.
    const one = query(capped.chain.app, "/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address: alice, denom: DENOM }).finish());
    expect(one.code).toBe(0);

    const roomy = await chainWith({ queryGasLimit: 1_000_000n }, edit);
    const ok = query(roomy.chain.app);
    expect(ok.code).toBe(0);
    expect(QueryAllBalancesResponse.decode(ok.value).balances).toHaveLength(2_001);
  });

  test("a query larger than max-query-bytes is refused whatever its path", async () => {
    const { chain } = await chainWith({ maxQueryBytes: 64 });
    const res = chain.app.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data: new Uint8Array(65), height: 0n, prove: false });
    expect([res.codespace, res.code]).toEqual([ErrQueryTooLarge.codespace, ErrQueryTooLarge.code]);
    expect(res.log).toMatch(/max-query-bytes of 64/);
  });

  test("0 means unlimited for both caps", async () => {
    const { chain } = await chainWith({ queryGasLimit: 0n, maxQueryBytes: 0 });
    expect(chain.app.queryLimits).toEqual({ queryGasLimit: 0n, maxQueryBytes: 0 });
    const meter = new QueryGasMeter(0n);
    meter.consume(10n ** 15n, "huge");
    expect(meter.consumed()).toBe(10n ** 15n);
  });
});

describe("the caps decide exactly at the limit", () => {
  test("checkQuerySize refuses exactly the requests above a non-zero limit", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.nat({ max: 300 }), fc.nat({ max: 400 }), (path, n, max) => {
        const size = new TextEncoder().encode(path).length + n;
        const refused = ((): boolean => {
          try {
            checkQuerySize(path, new Uint8Array(n), max);
            return false;
          } catch (err) {
            expect(ErrQueryTooLarge.is(err)).toBe(true);
            return true;
          }
        })();
        expect(refused).toBe(max > 0 && size > max);
      }),
    );
  });

  test("QueryGasMeter runs out exactly past its limit", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 1_000n }), { maxLength: 30 }), fc.bigInt({ min: 1n, max: 10_000n }), (amounts, limit) => {
        const meter = new QueryGasMeter(limit);
        let total = 0n;
        for (const a of amounts) {
          total += a;
          if (total > limit) {
            expect(() => meter.consume(a, "step")).toThrow(/query gas limit exceeded/);
            return;
          }
          meter.consume(a, "step");
          expect(meter.consumed()).toBe(total);
        }
      }),
    );
  });
});

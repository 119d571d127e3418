/**
 * `dcertd q … -o json` prints the SDK's proto-JSON of the query's response (what `simd q … -o json`
 * prints): the real command table over a fake CometBFT connection whose ABCI queries answer with
 * encoded responses, compared with hand-written SDK JSON; pages merged; `--height` passed as the
 * ABCI query height and the app's refusal passed through.
 */
import { toBech32 } from "@cosmjs/encoding";
import * as tendermintRpc from "@cosmjs/tendermint-rpc";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { Params as GovParams } from "cosmjs-types/cosmos/gov/v1/gov";
import { QueryParamsResponse as GovParamsResponse } from "cosmjs-types/cosmos/gov/v1/query";
import { QueryValidatorResponse, QueryValidatorsRequest, QueryValidatorsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { runCli, type CommandNode } from "../../../src/cli/args";
import { PREFIX } from "../../../src/cli/clientenv";
import { queryCommand } from "../../../src/cli/query";
import { mergePages, sdkJsonOf } from "../../../src/cli/sdkjson";
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { QueryValidatorRequest } from "cosmjs-types/cosmos/staking/v1beta1/query";

jest.mock("@cosmjs/tendermint-rpc", () => {
  const actual = jest.requireActual<typeof tendermintRpc>("@cosmjs/tendermint-rpc");
  return { ...actual, connectComet: jest.fn() };
});

const COMMANDS: readonly CommandNode[] = [queryCommand];
const VALOPER = toBech32(`${PREFIX}valoper`, new Uint8Array(20).fill(1));
const VALOPER2 = toBech32(`${PREFIX}valoper`, new Uint8Array(20).fill(2));
const CONS_KEY = new Uint8Array(32).fill(7);

interface AbciAsk {
  path: string;
  data: Uint8Array;
  height?: number;
}

type Answer = { value: Uint8Array } | { code: number; codespace: string; log: string };

/** A CometClient whose abciQuery answers with `answer` (and records what was asked). */
function fakeComet(answer: (q: AbciAsk) => Answer): { asked: AbciAsk[] } {
  const asked: AbciAsk[] = [];
  const comet = {
    abciQuery: (q: AbciAsk) => {
      asked.push(q);
      const a = answer(q);
      const base = { key: new Uint8Array(), value: new Uint8Array(), height: 42, index: 0, code: 0, codespace: "", log: "", info: "" };
      return Promise.resolve({ ...base, ...a });
    },
    disconnect: () => undefined,
  };
  (tendermintRpc.connectComet as jest.Mock).mockResolvedValue(comet);
  return { asked };
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
  const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
  try {
    return { code: await runCli("dcertd", COMMANDS, [...argv, "--node", "http://127.0.0.1:1"]), out: out.join("\n"), err: err.join("\n") };
  } finally {
    a.mockRestore();
    b.mockRestore();
  }
}

function validator(operator: string, moniker: string): Validator {
  return Validator.fromPartial({
    operatorAddress: operator,
    consensusPubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key: CONS_KEY }).finish() },
    jailed: false,
    status: BondStatus.BOND_STATUS_BONDED,
    tokens: "1000000",
    delegatorShares: "1000000000000000000000000", // LegacyDec on the wire: 1000000 × 10^18
    description: { moniker, identity: "", website: "https://example.org", securityContact: "", details: "" },
    unbondingHeight: 0n,
    unbondingTime: { seconds: 0n, nanos: 0 },
    commission: {
      commissionRates: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
      updateTime: { seconds: 1_700_000_000n, nanos: 0 },
    },
    minSelfDelegation: "1",
    unbondingOnHoldRefCount: 0n,
    unbondingIds: [],
  });
}

/** The SDK JSON of validator(operator, moniker), written out as simd prints a staking.v1beta1.Validator. */
function validatorSdkJson(operator: string, moniker: string): unknown {
  return {
    operator_address: operator,
    consensus_pubkey: { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.from(CONS_KEY).toString("base64") },
    jailed: false,
    status: "BOND_STATUS_BONDED",
    tokens: "1000000",
    delegator_shares: "1000000.000000000000000000",
    description: { moniker, identity: "", website: "https://example.org", security_contact: "", details: "" },
    unbonding_height: "0",
    unbonding_time: "1970-01-01T00:00:00Z",
    commission: {
      commission_rates: { rate: "0.100000000000000000", max_rate: "0.200000000000000000", max_change_rate: "0.010000000000000000" },
      update_time: "2023-11-14T22:13:20Z",
    },
    min_self_delegation: "1",
    unbonding_on_hold_ref_count: "0",
    unbonding_ids: [],
  };
}

afterEach(() => jest.clearAllMocks());

describe("q -o json: the SDK's proto-JSON of the response", () => {
  test("q staking validator: {validator: {consensus_pubkey{@type,key}, description{}, commission{commission_rates{}}}}", async () => {
    const { asked } = fakeComet((q) => {
      expect(q.path).toBe("/cosmos.staking.v1beta1.Query/Validator");
      return { value: QueryValidatorResponse.encode({ validator: validator(VALOPER, "alpha") }).finish() };
    });
    const r = await run("q", "staking", "validator", VALOPER, "-o", "json");
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(JSON.parse(r.out)).toEqual({ validator: validatorSdkJson(VALOPER, "alpha") });
    expect(asked).toHaveLength(1);
    expect(asked[0]?.height).toBeUndefined();

    // The text form stays the readable table.
    const text = await run("q", "staking", "validator", VALOPER);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^moniker\s+alpha$/m);
  });

  test("q staking validators over two pages: one response, validators of both pages, next_key null", async () => {
    fakeComet((q) => {
      const req = QueryValidatorsRequest.decode(q.data);
      const second = (req.pagination?.key.length ?? 0) > 0;
      return {
        value: QueryValidatorsResponse.encode({
          validators: [second ? validator(VALOPER2, "beta") : validator(VALOPER, "alpha")],
          pagination: second ? { nextKey: new Uint8Array(), total: 0n } : { nextKey: new Uint8Array([9]), total: 2n },
        }).finish(),
      };
    });
    const r = await run("q", "staking", "validators", "-o", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      validators: [validatorSdkJson(VALOPER, "alpha"), validatorSdkJson(VALOPER2, "beta")],
      pagination: { next_key: null, total: "2" },
    });
  });

  test("q gov params: {voting_params, deposit_params, tally_params (deprecated, null), params{…}}", async () => {
    fakeComet(() => ({
      value: GovParamsResponse.encode({
        params: GovParams.fromPartial({
          minDeposit: [{ denom: "udcert", amount: "10000000" }],
          maxDepositPeriod: { seconds: 172800n, nanos: 0 },
          votingPeriod: { seconds: 60n, nanos: 500_000_000 },
          quorum: "0.334000000000000000",
          threshold: "0.500000000000000000",
          vetoThreshold: "0.334000000000000000",
          minInitialDepositRatio: "0.000000000000000000",
          burnVoteVeto: true,
          minDepositRatio: "0.010000000000000000",
        }),
      }).finish(),
    }));
    const r = await run("q", "gov", "params", "-o", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      voting_params: null,
      deposit_params: null,
      tally_params: null,
      params: {
        min_deposit: [{ denom: "udcert", amount: "10000000" }],
        max_deposit_period: "172800s",
        voting_period: "60.500s",
        quorum: "0.334000000000000000",
        threshold: "0.500000000000000000",
        veto_threshold: "0.334000000000000000",
        min_initial_deposit_ratio: "0.000000000000000000",
        proposal_cancel_ratio: "",
        proposal_cancel_dest: "",
        expedited_voting_period: null,
        expedited_threshold: "",
        expedited_min_deposit: [],
        burn_vote_quorum: false,
        burn_proposal_deposit_prevote: false,
        burn_vote_veto: true,
        min_deposit_ratio: "0.010000000000000000",
      },
    });
  });
});

describe("q --height", () => {
  test("is the ABCI query height of the command's query", async () => {
    const { asked } = fakeComet(() => ({ value: QueryValidatorResponse.encode({ validator: validator(VALOPER, "alpha") }).finish() }));
    const r = await run("q", "staking", "validator", VALOPER, "--height", "41", "-o", "json");
    expect(r.code).toBe(0);
    expect(asked.map((q) => q.height)).toEqual([41]);
  });

  test("an older height: the app's error is passed through", async () => {
    fakeComet(() => ({ code: 26, codespace: "sdk", log: "historical queries are not supported; query height 0 or the latest height 42: invalid height" }));
    const r = await run("q", "staking", "validator", VALOPER, "--height", "7", "-o", "json");
    expect(r.code).not.toBe(0);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/historical queries are not supported; query height 0 or the latest height 42/);
  });

  test("a height that is not a positive integer is a usage error (exit 2), before any node is asked", async () => {
    fakeComet(() => ({ value: new Uint8Array() }));
    for (const bad of ["0", "-3", "abc", "1.5", "99999999999999999999"]) {
      const r = await run("q", "staking", "validator", VALOPER, "--height", bad);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--height must be a positive block height/);
    }
    expect(tendermintRpc.connectComet).not.toHaveBeenCalled();
  });
});

describe("mergePages", () => {
  test("concatenates the lists, keeps the first page's other fields, ends with next_key null", () => {
    expect(
      mergePages([
        { items: [1], other: "a", pagination: { next_key: "AQ==", total: "3" } },
        { items: [2, 3], other: "b", pagination: { next_key: null, total: "0" } },
      ]),
    ).toEqual({ items: [1, 2, 3], other: "a", pagination: { next_key: null, total: "3" } });
    expect(mergePages([{ x: 1 }])).toEqual({ x: 1 });
    expect(mergePages([])).toBeNull();
  });

  test("an argument's lookup (the validator behind a valoper) is not the answer when a query follows it", () => {
    const lookup = {
      path: "/cosmos.staking.v1beta1.Query/Validator",
      request: QueryValidatorRequest.encode({ validatorAddr: "dcertvaloper1x" }).finish(),
      response: QueryValidatorResponse.encode({ validator: Validator.fromPartial({ operatorAddress: "dcertvaloper1x" }) }).finish(),
    };
    const answer = {
      path: "/cosmos.slashing.v1beta1.Query/SigningInfo",
      request: QuerySigningInfoRequest.encode({ consAddress: "dcertvalcons1x" }).finish(),
      response: QuerySigningInfoResponse.encode({ valSigningInfo: { address: "dcertvalcons1x", startHeight: 3n, indexOffset: 0n, jailedUntil: { seconds: 0n, nanos: 0 }, tombstoned: false, missedBlocksCounter: 1n } }).finish(),
    };
    expect(sdkJsonOf([lookup, answer])).toMatchObject({ val_signing_info: { address: "dcertvalcons1x", tombstoned: false, missed_blocks_counter: "1" } });
    // Alone, the validator query is the answer (q staking validator).
    expect(sdkJsonOf([lookup])).toMatchObject({ validator: { operator_address: "dcertvaloper1x" } });
  });
});

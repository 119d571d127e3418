/**
 * x/slashing, x/evidence and the dCERT keeping up, on an in-process chain driven through
 * FinalizeBlock with decided_last_commit votes and misbehavior: a validator that stops
 * signing is slashed (downtime fraction at height − 2), jailed and leaves the set; its delegators'
 * dCERT tallies leave with it and come back, lower by exactly the slash, after MsgUnjail (refused
 * before jailed_until); duplicate-vote evidence slashes, jails and tombstones for good.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { QueryAllEvidenceRequest, QueryAllEvidenceResponse } from "cosmjs-types/cosmos/evidence/v1beta1/query";
import { Equivocation } from "cosmjs-types/cosmos/evidence/v1beta1/evidence";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { MisbehaviorType, type ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { keepersOf } from "../../src/app/wiring";
import { consAddrString } from "../../src/x/slashing/keeper";
import { accountValoper, consensusAddress, validatorTokens } from "../../src/x/staking/keeper";
import { TEST_VALIDATOR_PUBKEY_B64 } from "../helpers/app";
import { DENOM, dcertEnv, type DcertEnv, m, ONE, registry } from "./dcert-harness";

// CosmJS's default registry has no slashing messages (the CLI/client branch adds them to the app's).
registry.register("/cosmos.slashing.v1beta1.MsgUnjail", MsgUnjail);

const V1_KEY = new Uint8Array(Buffer.from(TEST_VALIDATOR_PUBKEY_B64, "base64"));
const V2_KEY = new Uint8Array(32).fill(0x22);
const V1 = consensusAddress(V1_KEY);
const V2 = consensusAddress(V2_KEY);

function createValidatorMsg(operatorAccount: string, amount: bigint): EncodeObject {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
    value: {
      description: { moniker: "v2", identity: "", website: "", securityContact: "", details: "" },
      commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
      minSelfDelegation: "1",
      delegatorAddress: operatorAccount,
      validatorAddress: accountValoper(operatorAccount),
      pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key: V2_KEY }).finish() },
      value: { denom: DENOM, amount: amount.toString() },
    },
  };
}

const unjailMsg = (operatorAccount: string): EncodeObject => ({
  typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail",
  value: MsgUnjail.fromPartial({ validatorAddr: accountValoper(operatorAccount) }),
});

/** One block with the given last-commit votes (and misbehavior), committed. */
function blockWith(e: DcertEnv, votes: [Uint8Array, bigint, boolean][], misbehavior: { power: bigint; height: bigint; time: { seconds: bigint; nanos: number } }[] = []): ResponseFinalizeBlock {
  const chain = e.chain;
  const req = chain.nextBlockRequest();
  req.decidedLastCommit = {
    round: 0,
    votes: votes.map(([address, power, signed]) => ({
      validator: { address, power },
      blockIdFlag: signed ? BlockIDFlag.BLOCK_ID_FLAG_COMMIT : BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
    })),
  };
  req.misbehavior = misbehavior.map((x) => ({
    type: MisbehaviorType.DUPLICATE_VOTE,
    validator: { address: V2, power: x.power },
    height: x.height,
    time: x.time,
    totalVotingPower: 0n,
  }));
  chain.height = req.height;
  chain.time = req.time?.seconds ?? chain.time;
  const res = chain.app.finalizeBlock(req);
  chain.app.commit();
  return res;
}

async function setup(): Promise<{ e: DcertEnv; op2: string; voter: string; candidate: string }> {
  const e = await dcertEnv({ balances: [20_000_000_000n, 5_000_000_000n, 5_000_000_000n, 5_000_000_000n] });
  const op2 = e.addr(1);
  const voter = e.addr(2);
  const candidate = e.addr(3);
  await e.ok(e.acct(1), [createValidatorMsg(op2, 600_000_000n)]);
  await e.ok(e.acct(2), [m.delegate(voter, accountValoper(op2), 300_000_000n), m.vote(voter, [[candidate, ONE]])]);
  return { e, op2, voter, candidate };
}

function signingInfo(e: DcertEnv, cons: Uint8Array) {
  const r = e.app.query({ path: "/cosmos.slashing.v1beta1.Query/SigningInfo", data: QuerySigningInfoRequest.encode({ consAddress: consAddrString(cons) }).finish(), height: 0n, prove: false });
  if (r.code !== 0) throw new Error(r.log);
  return QuerySigningInfoResponse.decode(r.value).valSigningInfo;
}

describe("slashing: downtime", () => {
  test("a validator that stops signing is slashed 1% at height − 2, jailed, leaves the set; the dCERT follows; unjail after 20 s restores it", async () => {
    const { e, op2, voter, candidate } = await setup();
    const staking = keepersOf(e.app).staking;
    const v2 = accountValoper(op2);
    expect(staking.getValidator(e.ctx(), v2)?.status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect(e.tally(candidate)).toBe(300_000_000n);
    const start = signingInfo(e, V2).startHeight;

    // Window 20, min signed 0.5: jailed at the first height > start + 20 with more than 10 missed.
    let jailedAt: ResponseFinalizeBlock | undefined;
    let liveness = 0;
    let blocks = 0;
    for (; blocks < 40 && jailedAt === undefined; blocks++) {
      const res = blockWith(e, [
        [V1, 1000n, true],
        [V2, 900n, false],
      ]);
      liveness += res.events.filter((x) => x.type === "liveness").length;
      if (res.events.some((x) => x.type === "slash")) jailedAt = res;
    }
    if (jailedAt === undefined) throw new Error("never jailed");
    expect(e.chain.height).toBe(start + 21n);
    // One liveness event per missed block.
    expect(liveness).toBe(blocks);
    const slash = jailedAt.events.find((x) => x.type === "slash");
    expect(Object.fromEntries(slash?.attributes.map((a) => [a.key, a.value]) ?? [])).toMatchObject({
      address: consAddrString(V2),
      power: "900",
      reason: "missing_signature",
      jailed: consAddrString(V2),
      burned_coins: "9000000",
    });
    // The set change reaches CometBFT in the same block.
    expect(jailedAt.validatorUpdates).toEqual([{ pubKey: { ed25519: V2_KEY }, power: 0n }]);
    const v = staking.mustGetValidator(e.ctx(), v2);
    expect([v.jailed, v.status, validatorTokens(v)]).toEqual([true, BondStatus.BOND_STATUS_UNBONDING, 891_000_000n]);
    // The voter's stake is no longer bonded: the candidate's tally is gone.
    expect(e.tally(candidate)).toBe(0n);
    const info = signingInfo(e, V2);
    expect(info.missedBlocksCounter).toBe(0n);
    expect(info.jailedUntil.seconds).toBe(e.chain.time + 20n);

    // Too early: refused with slashing 4 and the time to wait.
    const early = await e.send(e.acct(1), [unjailMsg(op2)]);
    expect([early.codespace, early.code]).toEqual(["slashing", 4]);
    expect(early.log).toMatch(/jailed until/);
    // A non-jailed validator: slashing 5.
    const notJailed = await e.send(e.acct(0), [unjailMsg(e.addr(0))]);
    expect([notJailed.codespace, notJailed.code]).toEqual(["slashing", 5]);

    e.blocks(1, 25n);
    await e.ok(e.acct(1), [unjailMsg(op2)]);
    expect(staking.mustGetValidator(e.ctx(), v2).status).toBe(BondStatus.BOND_STATUS_BONDED);
    // Back with 1% less: the voter's 300 000 000 became 297 000 000.
    expect(staking.bondedStakeOf(e.ctx(), voter)).toBe(297_000_000n);
    expect(e.tally(candidate)).toBe(297_000_000n);
    expect(signingInfo(e, V2).startHeight).toBe(e.chain.height);
  });
});

describe("evidence: double signing", () => {
  test("duplicate-vote evidence slashes 5% at the infraction, jails, tombstones; unjail is refused for good; stale evidence is ignored", async () => {
    const { e, op2, candidate } = await setup();
    const staking = keepersOf(e.app).staking;
    const v2 = accountValoper(op2);
    const supply0 = e.supply();
    // Two seconds and one block old: well within the max age.
    const h = e.chain.height;
    const res = blockWith(
      e,
      [
        [V1, 1000n, true],
        [V2, 900n, true],
      ],
      [{ power: 900n, height: h - 1n, time: { seconds: e.chain.time - 2n, nanos: 0 } }],
    );
    const slash = res.events
      .filter((x) => x.type === "slash")
      .map((x) => Object.fromEntries(x.attributes.filter((a) => a.key !== "mode").map((a) => [a.key, a.value])));
    expect(slash).toEqual([
      { address: consAddrString(V2), power: "900", reason: "double_sign", burned_coins: "45000000" },
      { jailed: consAddrString(V2) },
    ]);
    expect(e.supply()).toBe(supply0 - 45_000_000n);
    expect(res.validatorUpdates).toEqual([{ pubKey: { ed25519: V2_KEY }, power: 0n }]);
    const info = signingInfo(e, V2);
    expect(info.tombstoned).toBe(true);
    expect(info.jailedUntil.seconds).toBe(253_402_300_799n);
    expect(e.tally(candidate)).toBe(0n);
    expect(validatorTokens(staking.mustGetValidator(e.ctx(), v2))).toBe(855_000_000n);

    const all = e.app.query({ path: "/cosmos.evidence.v1beta1.Query/AllEvidence", data: QueryAllEvidenceRequest.encode({}).finish(), height: 0n, prove: false });
    const ev = QueryAllEvidenceResponse.decode(all.value).evidence;
    expect(ev.map((a) => a.typeUrl)).toEqual(["/cosmos.evidence.v1beta1.Equivocation"]);
    expect(Equivocation.decode(ev[0]?.value ?? new Uint8Array())).toMatchObject({ height: h - 1n, power: 900n, consensusAddress: consAddrString(V2) });

    // The same evidence again: already tombstoned, ignored.
    const again = blockWith(e, [[V1, 1000n, true]], [{ power: 900n, height: h - 1n, time: { seconds: e.chain.time - 3n, nanos: 0 } }]);
    expect(again.events.filter((x) => x.type === "slash")).toEqual([]);

    e.blocks(1, 1000n);
    const refused = await e.send(e.acct(1), [unjailMsg(op2)]);
    expect([refused.codespace, refused.code]).toEqual(["slashing", 4]);
    expect(refused.log).toMatch(/tombstoned/);
  });

  test("evidence older than both max ages is ignored", async () => {
    const { e } = await setup();
    e.blocks(1, 200_000n); // more than 48 h later
    const supply0 = e.supply();
    // Older than both the SDK defaults (100 000 blocks and 48 h): the height is given far in the past.
    const res = blockWith(e, [[V1, 1000n, true]], [{ power: 900n, height: -200_000n, time: { seconds: 0n, nanos: 0 } }]);
    expect(res.events.filter((x) => x.type === "slash")).toEqual([]);
    expect(e.supply()).toBe(supply0);
  });
});

/**
 * Vote extensions through the whole app (every module wired as in the node, real ed25519 keys):
 * ExtendVote/VerifyVoteExtension, the injected commit tx in PrepareProposal, ProcessProposal's
 * checks against the proposed last commit and the extension signatures, and FinalizeBlock's
 * handling of the injected tx and the build tally.
 */
import { CheckTxType, type ExtendedCommitInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { encodeVeTx } from "../../src/baseapp/voteext";
import { ReadinessKeeper, checkReadinessExtension } from "../../src/x/upgrade/readiness";
import { QueryReadinessRequest, QueryReadinessResponse } from "../../src/generated/dcert/upgrade/v1/query";
import { developmentBuild } from "../../src/x/upgrade/build";
import { testChain, testValidatorAddress, type TestChain } from "../helpers/app";
import { TEST_CHAIN_ID } from "../helpers/txs";
import { ACCEPT, REJECT, commitInfoOf, extendedCommit, processAt, signExtension, testValidatorKey, veBlock, type VoteSpec } from "../helpers/voteext";

const K = testValidatorKey(1);
const STRANGER = testValidatorKey(2); // not a validator in staking
const OTHER_ADDR = new Uint8Array(20).fill(3);

async function veChain(opts: { enable?: bigint; plan?: { name: string; height: bigint } } = {}): Promise<TestChain> {
  const plan = opts.plan;
  const chain = testChain({
    ...(plan === undefined
      ? {}
      : {
          editGenesis: (s: Record<string, unknown>) => {
            s["upgrade"] = {
              ...(s["upgrade"] as Record<string, unknown>),
              plan: { name: plan.name, height: String(plan.height), info: "", source: "PLAN_SOURCE_GOVERNANCE", binary_sha256: "", case_id: "0", scheduled_at: "0" },
            };
          },
        }),
    accounts: [{ address: await testValidatorAddress(), amount: 5_000_000_000n }],
    validatorPubkeyB64: K.pubkeyB64,
    ...(opts.enable === 0n ? {} : { voteExtensionsEnableHeight: opts.enable ?? 1n }),
    build: { ...developmentBuild("0.1.0"), upgradeHandlers: ["v2"] },
  });
  chain.block(); // height 1: nothing to carry yet
  return chain;
}

function ownExtension(chain: TestChain): Uint8Array {
  return chain.app.extendVote({
    hash: new Uint8Array(32),
    height: chain.height,
    time: { seconds: chain.time, nanos: 0 },
    txs: [],
    proposedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  }).voteExtension;
}

/** The votes of the chain's last height: K (power 10) with the app's extension, a stranger, an absent validator. */
function lastVotes(chain: TestChain, extra: Partial<VoteSpec> = {}, round = 0): ExtendedCommitInfo {
  return extendedCommit(
    [
      { key: K, power: 10n, extension: ownExtension(chain), ...extra },
      { key: STRANGER, power: 10n, extension: ownExtension(chain) },
      { address: OTHER_ADDR, power: 10n, flag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT },
    ],
    chain.height,
    TEST_CHAIN_ID,
    round,
  );
}

describe("vote extensions in-process", () => {
  test("ExtendVote votes with this build's readiness; VerifyVoteExtension checks shape only", async () => {
    const chain = await veChain();
    const ext = ownExtension(chain);
    expect(checkReadinessExtension(ext)).toBeUndefined();
    const verify = (voteExtension: Uint8Array) =>
      chain.app.verifyVoteExtension({ hash: new Uint8Array(32), validatorAddress: K.address, height: 2n, voteExtension }).status;
    expect(verify(ext)).toBe(1); // ACCEPT
    expect(verify(new Uint8Array())).toBe(1);
    expect(verify(new Uint8Array(1025))).toBe(2); // REJECT
    expect(verify(Uint8Array.of(0xff, 0xff))).toBe(2);
  });

  test("the injected tx is first, answered with code 0 and no events, and tallied by build", async () => {
    const chain = await veChain();
    const { txs, res } = veBlock(chain, lastVotes(chain));
    expect(txs.length).toBe(1);
    expect(txs[0]![0]).toBe(0);
    expect(res.txResults[0]).toMatchObject({ code: 0, events: [], gasWanted: 0n, gasUsed: 0n });
    const tally = new ReadinessKeeper().builds(chain.app.queryContext());
    // K's extension counts (power 10); the stranger's is ignored (unknown to staking), the absent one is unknown.
    expect(tally).toMatchObject({ height: 1n, totalPower: 30n, unknownPower: 20n });
    expect(tally?.builds.map((b) => [b.power, b.validators, b.appVersion, b.upgradeHandlers])).toEqual([[10n, 1, "0.1.0", ["v2"]]]);
    // No plan is scheduled: no readiness record.
    expect(new ReadinessKeeper().planReadiness(chain.app.queryContext(), "v2")).toBeUndefined();
  });

  test("blocks keep carrying votes; mempool txs follow the injected tx; 0x00 mempool txs are dropped", async () => {
    const chain = await veChain();
    veBlock(chain, lastVotes(chain));
    const { txs, res } = veBlock(chain, lastVotes(chain, {}, 2), [Uint8Array.of(0, 1, 2), Uint8Array.of(1, 2, 3)]);
    expect(txs.length).toBe(2);
    expect(Buffer.from(txs[1]!)).toEqual(Buffer.from([1, 2, 3]));
    expect(res.txResults[1]!.code).not.toBe(0); // garbage tx: a decode error, as always
    expect(new ReadinessKeeper().builds(chain.app.queryContext())?.height).toBe(2n);
  });

  describe("ProcessProposal", () => {
    let chain: TestChain;
    let good: ExtendedCommitInfo;
    beforeEach(async () => {
      chain = await veChain();
      good = lastVotes(chain);
    });
    const tx = (info: ExtendedCommitInfo) => encodeVeTx(info);

    test("accepts CometBFT's votes as the first tx, also in a later round", () => {
      expect(processAt(chain, [tx(good)], commitInfoOf(good))).toBe(ACCEPT);
      const r2 = lastVotes(chain, {}, 3);
      expect(processAt(chain, [tx(r2)], commitInfoOf(r2))).toBe(ACCEPT);
    });

    test.each([
      ["signed for the wrong height", (c: TestChain) => signExtension(K, ownExtension(c), c.height + 1n, 0, TEST_CHAIN_ID)],
      ["signed for the wrong round", (c: TestChain) => signExtension(K, ownExtension(c), c.height, 1, TEST_CHAIN_ID)],
      ["signed for another chain", (c: TestChain) => signExtension(K, ownExtension(c), c.height, 0, "other-chain")],
      ["signed by another key", (c: TestChain) => signExtension(STRANGER, ownExtension(c), c.height, 0, TEST_CHAIN_ID)],
      ["garbage signature", () => new Uint8Array(64).fill(1)],
      ["no signature", () => new Uint8Array()],
    ])("rejects a known validator's extension %s", (_name, sig) => {
      const bad: ExtendedCommitInfo = { ...good, votes: good.votes.map((v, i) => (i === 0 ? { ...v, extensionSignature: sig(chain) } : v)) };
      expect(processAt(chain, [tx(bad)], commitInfoOf(good))).toBe(REJECT);
    });

    test("ignores an unknown validator's extension whatever its signature", () => {
      const odd: ExtendedCommitInfo = { ...good, votes: good.votes.map((v, i) => (i === 1 ? { ...v, extensionSignature: new Uint8Array(64) } : v)) };
      expect(processAt(chain, [tx(odd)], commitInfoOf(good))).toBe(ACCEPT);
    });

    test.each([
      ["power changed", (p: ReturnType<typeof commitInfoOf>) => ({ ...p, votes: p.votes.map((v, i) => (i === 2 ? { ...v, validator: { ...v.validator, power: 11n } } : v)) })],
      ["vote dropped", (p: ReturnType<typeof commitInfoOf>) => ({ ...p, votes: p.votes.slice(0, 2) })],
      ["vote added", (p: ReturnType<typeof commitInfoOf>) => ({ ...p, votes: [...p.votes, { validator: { address: new Uint8Array(20), power: 1n }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT }] })],
      ["flag changed", (p: ReturnType<typeof commitInfoOf>) => ({ ...p, votes: p.votes.map((v, i) => (i === 2 ? { ...v, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_NIL } : v)) })],
      ["round changed", (p: ReturnType<typeof commitInfoOf>) => ({ ...p, round: 1 })],
    ])("rejects injected votes that differ from the proposed last commit: %s", (_name, change) => {
      expect(processAt(chain, [tx(good)], change(commitInfoOf(good)))).toBe(REJECT);
    });

    test("rejects a block without the injected tx, with it not first, twice, or undecodable", () => {
      const user = Uint8Array.of(1, 2, 3);
      const p = commitInfoOf(good);
      expect(processAt(chain, [], p)).toBe(REJECT);
      expect(processAt(chain, [user], p)).toBe(REJECT);
      expect(processAt(chain, [user, tx(good)], p)).toBe(REJECT);
      expect(processAt(chain, [tx(good), tx(good)], p)).toBe(REJECT);
      expect(processAt(chain, [tx(good), Uint8Array.of(0, 9)], p)).toBe(REJECT);
      expect(processAt(chain, [new Uint8Array([...tx(good).subarray(0, 9), 0xff, 0xff])], p)).toBe(REJECT);
      expect(processAt(chain, [tx(good), user], p)).toBe(ACCEPT);
    });

    test("PrepareProposal blanks a known validator's extension whose signature fails, so its block is accepted", () => {
      const forged: ExtendedCommitInfo = { ...good, votes: good.votes.map((v, i) => (i === 0 ? { ...v, extensionSignature: new Uint8Array(64).fill(5) } : v)) };
      const { res } = veBlock(chain, forged); // veBlock throws if ProcessProposal rejects
      expect(res.txResults[0]!.code).toBe(0);
      expect(new ReadinessKeeper().builds(chain.app.queryContext())).toMatchObject({ totalPower: 30n, unknownPower: 30n, builds: [] });
    });
  });

  test("FinalizeBlock re-checks signatures (a block that skipped ProcessProposal counts a forged extension as unknown)", async () => {
    const chain = await veChain();
    const forged = lastVotes(chain, { extension: ownExtension(chain) });
    const v0 = forged.votes[0]!;
    forged.votes[0] = { ...v0, extensionSignature: new Uint8Array(64).fill(5) };
    const req = chain.nextBlockRequest([encodeVeTx(forged)]);
    const res = chain.app.finalizeBlock({ ...req, decidedLastCommit: commitInfoOf(forged) });
    chain.app.commit();
    expect(res.txResults[0]!.code).toBe(0);
    expect(new ReadinessKeeper().builds(chain.app.queryContext())).toMatchObject({ totalPower: 30n, unknownPower: 30n });
  });

  test("a scheduled plan: readiness by power, thresholds, events, the query; the record outlives the applied plan", async () => {
    const chain = await veChain({ plan: { name: "v2", height: 5n } });
    const q = (planName: string) =>
      QueryReadinessResponse.decode(
        chain.app.query({ path: "/dcert.upgrade.v1.Query/Readiness", data: QueryReadinessRequest.encode({ planName }).finish(), height: 0n, prove: false }).value,
      );
    // K (power 20 of 40) runs a build with the v2 handler: 50% ready, over 1/3, not over 2/3.
    const { res } = veBlock(chain, lastVotes(chain, { power: 20n })); // height 2
    expect(q("").readiness).toMatchObject({ planName: "v2", planHeight: 5n, height: 1n, readyPower: 20n, totalPower: 40n, oneThirdHeight: 1n, twoThirdsHeight: 0n });
    const types = res.events.map((e) => e.type);
    expect(types).toContain("dcert.upgrade.v1.EventReadiness");
    expect(types).toContain("dcert.upgrade.v1.EventReadinessThreshold");
    expect(new ReadinessKeeper().twoThirdsReady(chain.app.queryContext(), "v2")).toBe(false);
    veBlock(chain, lastVotes(chain, { power: 50n })); // height 3: 50 of 70 is over 2/3
    expect(q("v2").readiness).toMatchObject({ height: 2n, readyPower: 50n, totalPower: 70n, oneThirdHeight: 1n, twoThirdsHeight: 2n });
    expect(new ReadinessKeeper().twoThirdsReady(chain.app.queryContext(), "v2")).toBe(true);
    veBlock(chain, lastVotes(chain, { power: 50n })); // height 4
    veBlock(chain, lastVotes(chain, { power: 50n })); // height 5: PreBlock applies v2, then the tally sees no plan
    expect(q("v2")).toMatchObject({ appliedHeight: 5n, readiness: { height: 3n } });
    const none = chain.app.query({ path: "/dcert.upgrade.v1.Query/Readiness", data: new Uint8Array(), height: 0n, prove: false });
    expect(none).toMatchObject({ codespace: "upgrade", code: 6 });
  });

  describe("without vote extensions", () => {
    test("nothing is injected, a 0x00 tx is rejected by ProcessProposal, refused by CheckTx and dropped by PrepareProposal", async () => {
      const chain = await veChain({ enable: 0n });
      const info = lastVotes(chain);
      expect(processAt(chain, [encodeVeTx(info)], commitInfoOf(info))).toBe(REJECT);
      expect(processAt(chain, [Uint8Array.of(0)], commitInfoOf(info))).toBe(REJECT);
      expect(processAt(chain, [], commitInfoOf(info))).toBe(ACCEPT);
      const check = chain.app.checkTx({ tx: encodeVeTx(info), type: CheckTxType.NEW });
      expect(check.code).not.toBe(0);
      expect(check.log).toMatch(/0x00/);
      const base = chain.nextBlockRequest();
      const prepared = chain.app.prepareProposal({
        maxTxBytes: 1_000_000n,
        txs: [encodeVeTx(info), Uint8Array.of(1, 2)],
        localLastCommit: info,
        misbehavior: [],
        height: base.height,
        time: base.time!,
        nextValidatorsHash: base.nextValidatorsHash,
        proposerAddress: base.proposerAddress,
      });
      expect(prepared.txs.map((t) => Buffer.from(t).toString("hex"))).toEqual(["0102"]);
      // FinalizeBlock runs a 0x00 tx as a tx: refused with a code, nothing tallied.
      const res = chain.block([encodeVeTx(info)]);
      expect(res.txResults[0]!.code).not.toBe(0);
      expect(new ReadinessKeeper().builds(chain.app.queryContext())).toBeUndefined();
    });

    test("an enable height later than 1: votes are carried from the block after it", async () => {
      const chain = await veChain({ enable: 3n });
      const info = lastVotes(chain);
      expect(processAt(chain, [], commitInfoOf(info))).toBe(ACCEPT); // height 2
      chain.block(); // 2
      chain.block(); // 3: extensions enabled from here, carried by 4
      const at4 = lastVotes(chain);
      expect(processAt(chain, [], commitInfoOf(at4))).toBe(REJECT);
      expect(processAt(chain, [encodeVeTx(at4)], commitInfoOf(at4))).toBe(ACCEPT);
    });
  });
});

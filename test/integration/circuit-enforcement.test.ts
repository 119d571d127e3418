/**
 * Where a broken route is enforced, in process: CheckTx (ante slot 0, before any signature work),
 * simulate, FinalizeBlock given a tx no CheckTx saw (as a proposer could send it; a failure result
 * and no state change), ProcessProposal (the block is rejected), and execution of messages nested
 * in a governance proposal. Plus genesis import/export of broken routes and clearing them.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgUpdateParams as GovMsgUpdateParams } from "cosmjs-types/cosmos/gov/v1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { SimulateRequest } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { CheckTxType, ResponseProcessProposal_ProposalStatus, type ResponseCheckTx } from "cosmjs-types/tendermint/abci/types";
import { govParamsToProto } from "../../src/x/gov/params";
import { createApp } from "../../src/app/node";
import { accountValoper } from "../../src/x/staking/keeper";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import { keepersOf } from "../../src/app/wiring";
import { clearBrokenRoutes } from "../../src/x/dcert/circuit";
import * as q from "../../src/generated/dcert/v1/query";
import { GENESIS_TIME_SECONDS, testChain } from "../helpers/app";
import { signDirect, TEST_CHAIN_ID } from "../helpers/txs";
import { account, dcertEnv, type DcertEnv, DENOM, GOV, m, ONE, registry } from "./dcert-harness";

const SEND = "/cosmos.bank.v1beta1.MsgSend";
const GOV_UPDATE_PARAMS = "/cosmos.gov.v1.MsgUpdateParams";
const BALANCES = [100_000_000_000n, ...Array.from({ length: 5 }, () => 10_000_000_000n)];

function send(from: string, to: string, amount: bigint): EncodeObject {
  return { typeUrl: SEND, value: { fromAddress: from, toAddress: to, amount: [{ denom: DENOM, amount: amount.toString() }] } };
}

function breakMsg(member: string, routes: readonly string[], reason = "exploit under investigation"): EncodeObject {
  return { typeUrl: "/dcert.v1.MsgCircuitBreak", value: { member, routes: [...routes], reason } };
}

/** Accounts 1 and 2 are members; circuit breaking is on. */
async function withMembers(): Promise<DcertEnv> {
  const e = await dcertEnv({ balances: BALANCES, params: { stabilization_period: "0", max_members: 3, circuit_break_enabled: true } });
  const val = accountValoper(e.addr(0));
  e.block([
    await e.sign(e.acct(1), [m.bond(e.addr(1), e.addr(1), 1_000_000n), m.accept(e.addr(1))]),
    await e.sign(e.acct(2), [m.bond(e.addr(2), e.addr(2), 1_000_000n), m.accept(e.addr(2))]),
    await e.sign(e.acct(3), [m.delegate(e.addr(3), val, 3_000_000n), m.vote(e.addr(3), [[e.addr(1), ONE / 2n], [e.addr(2), ONE / 2n]])]),
  ]);
  expect(e.members().size).toBe(2);
  return e;
}

/** A chain whose genesis already has MsgSend broken (no members needed). */
function brokenAtGenesis(routes: readonly string[] = [SEND]): Promise<DcertEnv> {
  return dcertEnv({
    balances: BALANCES,
    editGenesis: (state) => {
      const bank = state["bank"] as { balances: { address: string }[] };
      const member = bank.balances[0]?.address ?? "";
      const dcert = state["dcert"] as Record<string, unknown>;
      dcert["broken_routes"] = routes.map((route) => ({ route, member, reason: "broken at genesis", height: "0" }));
    },
  });
}

function checkTx(e: DcertEnv, tx: Uint8Array): ResponseCheckTx {
  return e.app.checkTx({ tx, type: CheckTxType.NEW });
}

function withBadSignature(tx: Uint8Array): Uint8Array {
  const raw = TxRaw.decode(tx);
  const sig = Uint8Array.from(raw.signatures[0] ?? []);
  sig[5] = (sig[5] ?? 0) ^ 0xff;
  return TxRaw.encode({ ...raw, signatures: [sig] }).finish();
}

function sequence(e: DcertEnv, address: string): bigint {
  return e.app.auth.getAccount(e.ctx(), address)?.sequence ?? -1n;
}

describe("enforcement of broken routes", () => {
  test("CheckTx rejects a broken-route tx with dcert:50 before any signature work; other messages still pass", async () => {
    const e = await withMembers();
    const [x, y] = [e.acct(4), e.acct(5)];
    const sendTx = await e.sign(x, [send(x.address, y.address, 7n)]);
    const forged = withBadSignature(sendTx);
    // Before the break: the forged signature is what CheckTx objects to.
    expect([checkTx(e, forged).codespace, checkTx(e, forged).code]).toEqual(["sdk", 4]);
    e.block();
    await e.ok(e.acct(1), [breakMsg(e.addr(1), [SEND])]);

    const fresh = await e.sign(x, [send(x.address, y.address, 7n)]);
    const r = checkTx(e, fresh);
    expect([r.codespace, r.code]).toEqual(["dcert", 50]);
    expect(r.log).toContain(`${SEND} is circuit-broken by rule ${SEND}`);
    expect(r.log).toContain(`by ${e.addr(1)}`);
    // Slot 0 runs before signature verification: a forged signature gets the same answer, and
    // no gas is used (nothing was read, verified or charged).
    const rf = checkTx(e, withBadSignature(fresh));
    expect([rf.codespace, rf.code, rf.gasUsed]).toEqual(["dcert", 50, 0n]);
    // A tx that mixes a broken message with allowed ones is refused whole.
    const mixed = await e.sign(y, [m.fundPool(y.address, 5n), send(y.address, x.address, 1n)]);
    expect(checkTx(e, mixed).code).toBe(50);
    // Other messages still pass CheckTx and execute.
    e.block();
    const other = await e.sign(x, [m.fundPool(x.address, 5n)]);
    expect(checkTx(e, other).code).toBe(0);
    e.block();
    await e.ok(x, [m.fundPool(x.address, 5n)]);
    await e.ok(x, [m.delegate(x.address, accountValoper(e.addr(0)), 5n)]);
  });

  test("simulate (CosmJS fee: auto) answers the circuit code too", async () => {
    const e = await brokenAtGenesis();
    const tx = await e.sign(e.acct(1), [send(e.addr(1), e.addr(2), 1n)]);
    const res = e.app.query({ path: "/cosmos.tx.v1beta1.Service/Simulate", data: SimulateRequest.encode({ txBytes: tx }).finish(), height: 0n, prove: false });
    expect([res.codespace, res.code]).toEqual(["dcert", 50]);
  });

  test("FinalizeBlock given a broken-route tx (as a proposer could) returns a failure and leaves state exactly as an empty block", async () => {
    const a = await brokenAtGenesis();
    const b = await brokenAtGenesis();
    const [x, y] = [a.acct(1), a.acct(2)];
    const before = { x: a.balance(x.address), y: a.balance(y.address), seq: sequence(a, x.address) };
    const tx = await a.sign(x, [send(x.address, y.address, 1_000n)]);
    const withTx = a.block([tx]);
    const empty = b.block([]);
    const result = withTx.txResults[0];
    expect([result?.codespace, result?.code]).toEqual(["dcert", 50]);
    expect(result?.events).toEqual([]);
    expect(a.balance(x.address)).toBe(before.x); // no fee taken either
    expect(a.balance(y.address)).toBe(before.y);
    expect(sequence(a, x.address)).toBe(before.seq);
    expect(Buffer.from(withTx.appHash).toString("hex")).toBe(Buffer.from(empty.appHash).toString("hex"));
    // The same tx on a chain without the break is a valid tx that succeeds.
    const c = await dcertEnv({ balances: BALANCES });
    expect((await c.send(c.acct(1), [send(x.address, y.address, 1_000n)])).code).toBe(0);
  });

  test("a route broken by one tx is refused to the next tx of the same block, but not at CheckTx until Commit", async () => {
    const e = await withMembers();
    const [x, y] = [e.acct(4), e.acct(5)];
    const breakTx = await e.sign(e.acct(1), [breakMsg(e.addr(1), [SEND])]);
    const sendTx = await e.sign(x, [send(x.address, y.address, 1n)]);
    // CheckTx state is the committed state: the break is not in force yet.
    expect(checkTx(e, sendTx).code).toBe(0);
    const res = e.block([breakTx, sendTx]);
    expect(res.txResults.map((r) => [r.codespace, r.code])).toEqual([["", 0], ["dcert", 50]]);
  });

  test("ProcessProposal rejects a block that contains a broken-route tx and accepts one that does not", async () => {
    const e = await brokenAtGenesis();
    const [x, y] = [e.acct(1), e.acct(2)];
    const proposal = (txs: Uint8Array[]) =>
      e.app.processProposal({
        txs,
        proposedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: e.chain.height + 1n,
        time: { seconds: e.chain.time + 1n, nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      }).status;
    const fund = await e.sign(x, [m.fundPool(x.address, 5n)]);
    const bad = await e.sign(y, [send(y.address, x.address, 1n)]);
    expect(proposal([])).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
    expect(proposal([fund])).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
    expect(proposal([fund, bad])).toBe(ResponseProcessProposal_ProposalStatus.REJECT);
    // Undecodable bytes are not this check's business (FinalizeBlock answers them with a code).
    expect(proposal([fund, Uint8Array.of(1, 2, 3)])).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
  });

  test("PrepareProposal leaves out broken-route txs (e.g. in the mempool since before the break), so the proposer never proposes a block it would reject", async () => {
    const e = await withMembers();
    const [x, y] = [e.acct(4), e.acct(5)];
    const sendTx = await e.sign(x, [send(x.address, y.address, 1n)]);
    const fund = await e.sign(y, [m.fundPool(y.address, 5n)]);
    expect(checkTx(e, sendTx).code).toBe(0); // admitted to the mempool before the break
    e.block();
    await e.ok(e.acct(1), [breakMsg(e.addr(1), [SEND])]);
    const at = { height: e.chain.height + 1n, time: { seconds: e.chain.time + 1n, nanos: 0 }, proposerAddress: new Uint8Array(20) };
    const prepared = e.app.prepareProposal({ ...at, maxTxBytes: 1_000_000n, txs: [sendTx, fund], localLastCommit: { round: 0, votes: [] }, misbehavior: [], nextValidatorsHash: new Uint8Array(32) });
    expect(prepared.txs).toEqual([fund]);
    const verdict = (txs: Uint8Array[]) =>
      e.app.processProposal({ ...at, txs, proposedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), nextValidatorsHash: new Uint8Array(32) }).status;
    expect(verdict(prepared.txs)).toBe(ResponseProcessProposal_ProposalStatus.ACCEPT);
    expect(verdict([sendTx, fund])).toBe(ResponseProcessProposal_ProposalStatus.REJECT);
  });

  test("routes broken in genesis are enforced by ProcessProposal of the very first block (before anything is committed)", async () => {
    const x = await account(1);
    const chain = testChain({
      accounts: [{ address: (await account(0)).address, amount: 10n ** 12n }, { address: x.address, amount: 10n ** 10n }],
      editGenesis: (state) => {
        (state["dcert"] as Record<string, unknown>)["broken_routes"] = [{ route: SEND, member: x.address, reason: "genesis", height: "0" }];
      },
    });
    const tx = await signDirect(x.direct, { msgs: [send(x.address, x.address, 1n)], fee: { amount: [], gas: "200000" }, chainId: TEST_CHAIN_ID, accountNumber: 1, sequence: 0, registry });
    const status = chain.app.processProposal({
      txs: [tx],
      proposedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: 1n,
      time: { seconds: chain.time + 1n, nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    }).status;
    expect(status).toBe(ResponseProcessProposal_ProposalStatus.REJECT);
    expect(chain.deliver(tx).code).toBe(50);
  });

  test("a governance proposal whose message is on a broken route fails at execution", async () => {
    const e = await withMembers();
    const gov = keepersOf(e.app).gov;
    const params = (quorum: bigint): Any => ({
      typeUrl: GOV_UPDATE_PARAMS,
      value: GovMsgUpdateParams.encode({ authority: GOV, params: govParamsToProto({ ...gov.params(e.ctx()), quorum }) }).finish(),
    });
    // Control: the same kind of proposal passes while the route is open.
    expect((await e.proposal([params(ONE / 2n)])).status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(gov.params(e.ctx()).quorum).toBe(ONE / 2n);
    await e.ok(e.acct(1), [breakMsg(e.addr(1), [GOV_UPDATE_PARAMS])]);
    // Submission is allowed (nothing executes then); execution is refused by the router's guard.
    const p = await e.proposal([params(ONE / 3n)]);
    expect(p.submit.code).toBe(0);
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(gov.getProposal(e.ctx(), p.id)?.failedReason).toContain(`${GOV_UPDATE_PARAMS} is circuit-broken`);
    expect(gov.params(e.ctx()).quorum).toBe(ONE / 2n);
  });

  test("governance itself can be broken: submitting and voting are refused", async () => {
    const e = await withMembers();
    await e.ok(e.acct(1), [breakMsg(e.addr(1), ["/cosmos.gov.v1.*"])]);
    const submit = await e.send(e.acct(0), [
      {
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: { messages: [], initialDeposit: [{ denom: DENOM, amount: "60000000" }], proposer: e.addr(0), metadata: "", title: "t", summary: "s", expedited: false },
      },
    ]);
    expect([submit.codespace, submit.code]).toEqual(["dcert", 50]);
    const vote = await e.send(e.acct(0), [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: 1n, voter: e.addr(0), option: 1, metadata: "" } }]);
    expect([vote.codespace, vote.code]).toEqual(["dcert", 50]);
  });

  test("genesis export → import keeps broken routes in force; clearing them in the genesis restores the routes", async () => {
    const e = await withMembers();
    await e.ok(e.acct(1), [breakMsg(e.addr(1), [SEND, "/cosmos.staking.v1beta1.*"], "two exploits")]);
    const exported = e.app.exportGenesis();
    expect((exported["dcert"] as { broken_routes: unknown[] }).broken_routes).toEqual([
      { route: SEND, member: e.addr(1), reason: "two exploits", height: e.chain.height.toString() },
      { route: "/cosmos.staking.v1beta1.*", member: e.addr(1), reason: "two exploits", height: e.chain.height.toString() },
    ]);
    const fresh = (appState: Record<string, unknown>) => {
      const app = createApp({ store: new MemoryCommitStore() });
      app.initChain({
        time: { seconds: GENESIS_TIME_SECONDS, nanos: 0 },
        chainId: TEST_CHAIN_ID,
        validators: [],
        appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
        initialHeight: e.chain.height + 1n,
      });
      // Commit the first block so that queries (committed state) see the imported genesis.
      app.finalizeBlock({
        txs: [],
        decidedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: e.chain.height + 1n,
        time: { seconds: e.chain.time + 1n, nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      });
      app.commit();
      return app;
    };
    const imported = fresh(exported);
    const isBroken = imported.query({ path: "/dcert.v1.Query/IsBroken", data: q.QueryIsBrokenRequest.encode({ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate" }).finish(), height: 0n, prove: false });
    expect(q.QueryIsBrokenResponse.decode(isBroken.value)).toEqual({ broken: true, rule: "/cosmos.staking.v1beta1.*" });
    expect((imported.exportGenesis()["dcert"] as { broken_routes: unknown[] }).broken_routes).toEqual((exported["dcert"] as { broken_routes: unknown[] }).broken_routes);
    const tx = await e.sign(e.acct(4), [send(e.addr(4), e.addr(5), 1n)]);
    expect(imported.checkTx({ tx, type: CheckTxType.NEW }).code).toBe(50);

    const { genesis, cleared } = clearBrokenRoutes({ chain_id: TEST_CHAIN_ID, app_state: exported });
    expect(cleared).toEqual([SEND, "/cosmos.staking.v1beta1.*"]);
    const restored = fresh(genesis["app_state"] as Record<string, unknown>);
    expect(restored.checkTx({ tx, type: CheckTxType.NEW }).code).toBe(0);
    const answer = restored.query({ path: "/dcert.v1.Query/BrokenRoutes", data: q.QueryBrokenRoutesRequest.encode({ pagination: undefined }).finish(), height: 0n, prove: false });
    expect(q.QueryBrokenRoutesResponse.decode(answer.value).routes).toEqual([]);
    // Everything else came across: the members and their bonds.
    const group = restored.query({ path: "/dcert.v1.Query/Group", data: q.QueryGroupRequest.encode({}).finish(), height: 0n, prove: false });
    expect(q.QueryGroupResponse.decode(group.value).members.map((x) => x.address).sort()).toEqual([e.addr(1), e.addr(2)].sort());
  });

  test("genesis validation refuses routes that are not canonical", async () => {
    await expect(brokenAtGenesis(["cosmos.bank.v1beta1.MsgSend"])).rejects.toThrow("dcert.broken_routes[0].route: must be a canonical route");
    await expect(brokenAtGenesis([SEND, SEND])).rejects.toThrow("duplicate broken route");
  });
});

/**
 * The REST gateway on a real devnet: every route of the explorer and wallet list answers with the
 * same value as the ABCI query (or, for the tx and node services, as CometBFT's RPC), a signed tx
 * broadcast through POST /cosmos/tx/v1beta1/txs lands in a block, POST simulate estimates gas, and
 * the CORS headers are there.
 *
 * Each ABCI comparison decodes the ABCI answer into the SDK's JSON (src/server/json) and compares
 * it with the REST answer: a read of values that move every block (rewards, the community pool) is
 * repeated until two ABCI answers around the REST one agree.
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { toHex } from "@cosmjs/encoding";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { accountValoper } from "../../src/x/staking/keeper";
import { DEVNET_MIN_GAS_PRICES } from "../../src/localnet/devnet";
import { pollUntil } from "../../src/localnet/proc";
import { fromSdkJson, toSdkJson } from "../../src/server/json";
import { methodOf } from "../../src/server/schema";
import { SigningDcertClient } from "../../src/client/signingdcertclient";
import { decimalToFixed18 } from "../../src/client/decimal";
import * as grpc from "@grpc/grpc-js";
import { startDevnet, type Devnet } from "./harness";

jest.setTimeout(600_000);

type Json = Record<string, unknown>;
const FEE: StdFee = { amount: [{ denom: "udcert", amount: "50000" }], gas: "2000000" };

interface Row {
  /** The REST path (with its query string). */
  readonly rest: string;
  /** The gRPC method the route serves, and its request as the SDK's JSON. */
  readonly method: string;
  readonly request: Json;
  /** Key fields of the answer, checked on top of the equality with ABCI. */
  readonly check?: (body: Json) => void;
  /** Served only once another change lands (denom metadata): an unserved method must then 404. */
  readonly optional?: boolean;
}

describe("REST gateway on a devnet", () => {
  let devnet: Devnet;
  let comet: Comet38Client;
  let validator: string;
  let alice: string;
  let valoper: string;
  let consAddress: string;
  let proposalId: string;
  let aliceClient: SigningStargateClient;

  async function signer(i: number): Promise<SigningStargateClient> {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(devnet.accounts[i]!.mnemonic, { prefix: "dcert" });
    return SigningStargateClient.connectWithSigner(devnet.rpc, wallet, { gasPrice: GasPrice.fromString(DEVNET_MIN_GAS_PRICES), broadcastPollIntervalMs: 300 });
  }

  async function rest(path: string, init: RequestInit = {}): Promise<{ status: number; body: Json; headers: Headers }> {
    const res = await fetch(`${devnet.rest}${path}`, init);
    const text = await res.text();
    return { status: res.status, body: text === "" ? {} : (JSON.parse(text) as Json), headers: res.headers };
  }

  async function abci(method: string, request: Json): Promise<{ code: number; json?: Json; log: string }> {
    const desc = methodOf(method);
    if (desc === undefined) throw new Error(`no method ${method}`);
    const res = await comet.abciQuery({ path: method, data: fromSdkJson(desc.input.typeName, request as never) });
    if ((res.code ?? 0) !== 0) return { code: res.code ?? 0, log: res.log ?? "" };
    return { code: 0, json: toSdkJson(desc.output.typeName, res.value) as Json, log: "" };
  }

  beforeAll(async () => {
    devnet = await startDevnet();
    comet = await Comet38Client.connect(devnet.rpc);
    validator = devnet.accounts[0]!.address;
    alice = devnet.accounts[1]!.address;
    valoper = accountValoper(validator);
    aliceClient = await signer(1);
    const valClient = await signer(0);
    // State for the routes to show: a delegation and an unbonding of alice's, a proposal with a
    // deposit and a vote.
    expect((await aliceClient.delegateTokens(alice, valoper, { denom: devnet.denom, amount: "3000000" }, FEE)).code).toBe(0);
    expect((await aliceClient.undelegateTokens(alice, valoper, { denom: devnet.denom, amount: "1000000" }, FEE)).code).toBe(0);
    const submit = await aliceClient.signAndBroadcast(
      alice,
      [{ typeUrl: "/cosmos.gov.v1.MsgSubmitProposal", value: { messages: [], initialDeposit: [{ denom: devnet.denom, amount: "10000000" }], proposer: alice, metadata: "ipfs://rest-e2e", title: "rest", summary: "a text proposal", expedited: false } }],
      FEE,
    );
    expect(submit.code).toBe(0);
    const id = submit.events.find((e) => e.type === "submit_proposal")?.attributes.find((a) => a.key === "proposal_id")?.value;
    proposalId = id ?? "1";
    const vote = await valClient.signAndBroadcast(validator, [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: BigInt(proposalId), voter: validator, option: VoteOption.VOTE_OPTION_YES, metadata: "" } }], FEE);
    expect(vote.code).toBe(0);
    // A dCERT vote of alice's, all for bob.
    const dcertWallet = await DirectSecp256k1HdWallet.fromMnemonic(devnet.accounts[1]!.mnemonic, { prefix: "dcert" });
    const dcert = await SigningDcertClient.connectWithSigner(devnet.rpc, dcertWallet, { gasPrice: GasPrice.fromString(DEVNET_MIN_GAS_PRICES), broadcastPollIntervalMs: 300 });
    const dv = await dcert.vote(alice, [{ candidate: devnet.accounts[2]!.address, share: decimalToFixed18("1") }], FEE);
    expect(dv.code).toBe(0);
    dcert.disconnect();
    const vals = await comet.validatorsAll();
    const { toBech32 } = await import("@cosmjs/encoding");
    consAddress = toBech32("dcertvalcons", vals.validators[0]!.address);
  });

  afterAll(async () => {
    comet?.disconnect();
    await devnet?.stop();
  });

  function rows(): Row[] {
    const p = proposalId;
    const nonEmpty = (key: string) => (b: Json) => expect((b[key] as unknown[]).length).toBeGreaterThan(0);
    return [
      // auth
      { rest: `/cosmos/auth/v1beta1/accounts/${alice}`, method: "/cosmos.auth.v1beta1.Query/Account", request: { address: alice }, check: (b) => expect(b["account"]).toMatchObject({ "@type": "/cosmos.auth.v1beta1.BaseAccount", address: alice }) },
      { rest: "/cosmos/auth/v1beta1/bech32", method: "/cosmos.auth.v1beta1.Query/Bech32Prefix", request: {}, check: (b) => expect(b).toEqual({ bech32_prefix: "dcert" }) },
      { rest: "/cosmos/auth/v1beta1/params", method: "/cosmos.auth.v1beta1.Query/Params", request: {} },
      { rest: "/cosmos/auth/v1beta1/module_accounts/gov", method: "/cosmos.auth.v1beta1.Query/ModuleAccountByName", request: { name: "gov" } },
      // bank
      { rest: `/cosmos/bank/v1beta1/balances/${alice}`, method: "/cosmos.bank.v1beta1.Query/AllBalances", request: { address: alice }, check: nonEmpty("balances") },
      { rest: `/cosmos/bank/v1beta1/balances/${alice}/by_denom?denom=udcert`, method: "/cosmos.bank.v1beta1.Query/Balance", request: { address: alice, denom: "udcert" }, check: (b) => expect(b["balance"]).toMatchObject({ denom: "udcert" }) },
      { rest: `/cosmos/bank/v1beta1/spendable_balances/${alice}`, method: "/cosmos.bank.v1beta1.Query/SpendableBalances", request: { address: alice } },
      { rest: "/cosmos/bank/v1beta1/supply", method: "/cosmos.bank.v1beta1.Query/TotalSupply", request: {}, check: nonEmpty("supply") },
      { rest: "/cosmos/bank/v1beta1/supply/by_denom?denom=udcert", method: "/cosmos.bank.v1beta1.Query/SupplyOf", request: { denom: "udcert" } },
      { rest: "/cosmos/bank/v1beta1/params", method: "/cosmos.bank.v1beta1.Query/Params", request: {} },
      { rest: "/cosmos/bank/v1beta1/denoms_metadata", method: "/cosmos.bank.v1beta1.Query/DenomsMetadata", request: {}, optional: true },
      { rest: "/cosmos/bank/v1beta1/denoms_metadata/udcert", method: "/cosmos.bank.v1beta1.Query/DenomMetadata", request: { denom: "udcert" }, optional: true },
      // staking
      { rest: "/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED&pagination.limit=10&pagination.count_total=true", method: "/cosmos.staking.v1beta1.Query/Validators", request: { status: "BOND_STATUS_BONDED", pagination: { limit: "10", count_total: true } }, check: nonEmpty("validators") },
      { rest: `/cosmos/staking/v1beta1/validators/${valoper}`, method: "/cosmos.staking.v1beta1.Query/Validator", request: { validator_addr: valoper }, check: (b) => expect((b["validator"] as Json)["operator_address"]).toBe(valoper) },
      { rest: `/cosmos/staking/v1beta1/validators/${valoper}/delegations`, method: "/cosmos.staking.v1beta1.Query/ValidatorDelegations", request: { validator_addr: valoper }, check: nonEmpty("delegation_responses") },
      { rest: `/cosmos/staking/v1beta1/validators/${valoper}/delegations/${alice}`, method: "/cosmos.staking.v1beta1.Query/Delegation", request: { validator_addr: valoper, delegator_addr: alice } },
      { rest: `/cosmos/staking/v1beta1/validators/${valoper}/unbonding_delegations`, method: "/cosmos.staking.v1beta1.Query/ValidatorUnbondingDelegations", request: { validator_addr: valoper } },
      { rest: `/cosmos/staking/v1beta1/validators/${valoper}/delegations/${alice}/unbonding_delegation`, method: "/cosmos.staking.v1beta1.Query/UnbondingDelegation", request: { validator_addr: valoper, delegator_addr: alice } },
      { rest: `/cosmos/staking/v1beta1/delegations/${alice}`, method: "/cosmos.staking.v1beta1.Query/DelegatorDelegations", request: { delegator_addr: alice }, check: nonEmpty("delegation_responses") },
      { rest: `/cosmos/staking/v1beta1/delegators/${alice}/unbonding_delegations`, method: "/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations", request: { delegator_addr: alice }, check: nonEmpty("unbonding_responses") },
      { rest: `/cosmos/staking/v1beta1/delegators/${alice}/validators`, method: "/cosmos.staking.v1beta1.Query/DelegatorValidators", request: { delegator_addr: alice } },
      { rest: `/cosmos/staking/v1beta1/delegators/${alice}/validators/${valoper}`, method: "/cosmos.staking.v1beta1.Query/DelegatorValidator", request: { delegator_addr: alice, validator_addr: valoper } },
      { rest: "/cosmos/staking/v1beta1/pool", method: "/cosmos.staking.v1beta1.Query/Pool", request: {} },
      { rest: "/cosmos/staking/v1beta1/params", method: "/cosmos.staking.v1beta1.Query/Params", request: {} },
      // distribution
      { rest: "/cosmos/distribution/v1beta1/params", method: "/cosmos.distribution.v1beta1.Query/Params", request: {} },
      { rest: "/cosmos/distribution/v1beta1/community_pool", method: "/cosmos.distribution.v1beta1.Query/CommunityPool", request: {} },
      { rest: `/cosmos/distribution/v1beta1/validators/${valoper}`, method: "/cosmos.distribution.v1beta1.Query/ValidatorDistributionInfo", request: { validator_address: valoper } },
      { rest: `/cosmos/distribution/v1beta1/validators/${valoper}/outstanding_rewards`, method: "/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards", request: { validator_address: valoper } },
      { rest: `/cosmos/distribution/v1beta1/validators/${valoper}/commission`, method: "/cosmos.distribution.v1beta1.Query/ValidatorCommission", request: { validator_address: valoper } },
      { rest: `/cosmos/distribution/v1beta1/validators/${valoper}/slashes`, method: "/cosmos.distribution.v1beta1.Query/ValidatorSlashes", request: { validator_address: valoper } },
      { rest: `/cosmos/distribution/v1beta1/delegators/${alice}/rewards`, method: "/cosmos.distribution.v1beta1.Query/DelegationTotalRewards", request: { delegator_address: alice } },
      { rest: `/cosmos/distribution/v1beta1/delegators/${alice}/rewards/${valoper}`, method: "/cosmos.distribution.v1beta1.Query/DelegationRewards", request: { delegator_address: alice, validator_address: valoper } },
      { rest: `/cosmos/distribution/v1beta1/delegators/${alice}/validators`, method: "/cosmos.distribution.v1beta1.Query/DelegatorValidators", request: { delegator_address: alice } },
      { rest: `/cosmos/distribution/v1beta1/delegators/${alice}/withdraw_address`, method: "/cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress", request: { delegator_address: alice } },
      // slashing, mint
      { rest: "/cosmos/slashing/v1beta1/params", method: "/cosmos.slashing.v1beta1.Query/Params", request: {} },
      { rest: "/cosmos/slashing/v1beta1/signing_infos", method: "/cosmos.slashing.v1beta1.Query/SigningInfos", request: {}, check: nonEmpty("info") },
      { rest: `/cosmos/slashing/v1beta1/signing_infos/${consAddress}`, method: "/cosmos.slashing.v1beta1.Query/SigningInfo", request: { cons_address: consAddress } },
      { rest: "/cosmos/mint/v1beta1/params", method: "/cosmos.mint.v1beta1.Query/Params", request: {} },
      { rest: "/cosmos/mint/v1beta1/inflation", method: "/cosmos.mint.v1beta1.Query/Inflation", request: {} },
      { rest: "/cosmos/mint/v1beta1/annual_provisions", method: "/cosmos.mint.v1beta1.Query/AnnualProvisions", request: {} },
      // gov v1
      { rest: "/cosmos/gov/v1/params/tallying", method: "/cosmos.gov.v1.Query/Params", request: { params_type: "tallying" } },
      { rest: "/cosmos/gov/v1/proposals?proposal_status=PROPOSAL_STATUS_VOTING_PERIOD", method: "/cosmos.gov.v1.Query/Proposals", request: { proposal_status: "PROPOSAL_STATUS_VOTING_PERIOD" }, check: nonEmpty("proposals") },
      { rest: `/cosmos/gov/v1/proposals/${p}`, method: "/cosmos.gov.v1.Query/Proposal", request: { proposal_id: p }, check: (b) => expect(b["proposal"]).toMatchObject({ id: p, title: "rest" }) },
      { rest: `/cosmos/gov/v1/proposals/${p}/tally`, method: "/cosmos.gov.v1.Query/TallyResult", request: { proposal_id: p } },
      { rest: `/cosmos/gov/v1/proposals/${p}/votes`, method: "/cosmos.gov.v1.Query/Votes", request: { proposal_id: p }, check: nonEmpty("votes") },
      { rest: `/cosmos/gov/v1/proposals/${p}/votes/${validator}`, method: "/cosmos.gov.v1.Query/Vote", request: { proposal_id: p, voter: validator } },
      { rest: `/cosmos/gov/v1/proposals/${p}/deposits`, method: "/cosmos.gov.v1.Query/Deposits", request: { proposal_id: p }, check: nonEmpty("deposits") },
      { rest: `/cosmos/gov/v1/proposals/${p}/deposits/${alice}`, method: "/cosmos.gov.v1.Query/Deposit", request: { proposal_id: p, depositor: alice } },
      // gov v1beta1
      { rest: "/cosmos/gov/v1beta1/params/voting", method: "/cosmos.gov.v1beta1.Query/Params", request: { params_type: "voting" } },
      { rest: "/cosmos/gov/v1beta1/params/deposit", method: "/cosmos.gov.v1beta1.Query/Params", request: { params_type: "deposit" } },
      { rest: "/cosmos/gov/v1beta1/params/tallying", method: "/cosmos.gov.v1beta1.Query/Params", request: { params_type: "tallying" } },
      { rest: "/cosmos/gov/v1beta1/proposals", method: "/cosmos.gov.v1beta1.Query/Proposals", request: {}, check: nonEmpty("proposals") },
      { rest: `/cosmos/gov/v1beta1/proposals/${p}`, method: "/cosmos.gov.v1beta1.Query/Proposal", request: { proposal_id: p } },
      { rest: `/cosmos/gov/v1beta1/proposals/${p}/tally`, method: "/cosmos.gov.v1beta1.Query/TallyResult", request: { proposal_id: p } },
      { rest: `/cosmos/gov/v1beta1/proposals/${p}/votes`, method: "/cosmos.gov.v1beta1.Query/Votes", request: { proposal_id: p } },
      { rest: `/cosmos/gov/v1beta1/proposals/${p}/votes/${validator}`, method: "/cosmos.gov.v1beta1.Query/Vote", request: { proposal_id: p, voter: validator } },
      { rest: `/cosmos/gov/v1beta1/proposals/${p}/deposits`, method: "/cosmos.gov.v1beta1.Query/Deposits", request: { proposal_id: p } },
      { rest: `/cosmos/gov/v1beta1/proposals/${p}/deposits/${alice}`, method: "/cosmos.gov.v1beta1.Query/Deposit", request: { proposal_id: p, depositor: alice } },
      // upgrade, evidence
      { rest: "/cosmos/upgrade/v1beta1/current_plan", method: "/cosmos.upgrade.v1beta1.Query/CurrentPlan", request: {} },
      { rest: "/cosmos/upgrade/v1beta1/module_versions", method: "/cosmos.upgrade.v1beta1.Query/ModuleVersions", request: {} },
      { rest: "/cosmos/evidence/v1beta1/evidence", method: "/cosmos.evidence.v1beta1.Query/AllEvidence", request: {} },
      // dCERT
      { rest: "/dcert/v1/params", method: "/dcert.v1.Query/Params", request: {} },
      { rest: "/dcert/v1/group", method: "/dcert.v1.Query/Group", request: {} },
      { rest: `/dcert/v1/members/${validator}`, method: "/dcert.v1.Query/Member", request: { address: validator } },
      { rest: "/dcert/v1/candidates?pagination.limit=5", method: "/dcert.v1.Query/Candidates", request: { pagination: { limit: "5" } } },
      { rest: `/dcert/v1/votes/${alice}`, method: "/dcert.v1.Query/Vote", request: { voter: alice }, check: (b) => expect(b["vote"]).toMatchObject({ voter: alice }) },
      { rest: "/dcert/v1/stabilization_queue", method: "/dcert.v1.Query/StabilizationQueue", request: {} },
      { rest: `/dcert/v1/bonds?staker=${alice}`, method: "/dcert.v1.Query/Bonds", request: { staker: alice } },
      { rest: `/dcert/v1/unbondings?member=${validator}`, method: "/dcert.v1.Query/Unbondings", request: { member: validator } },
      { rest: "/dcert/v1/suspensions", method: "/dcert.v1.Query/Suspensions", request: {} },
      { rest: "/dcert/v1/disband_status", method: "/dcert.v1.Query/DisbandStatus", request: {} },
      { rest: "/dcert/v1/broken_routes", method: "/dcert.v1.Query/BrokenRoutes", request: {} },
      { rest: `/dcert/v1/broken_routes/${encodeURIComponent("/cosmos.bank.v1beta1.MsgSend")}`, method: "/dcert.v1.Query/IsBroken", request: { type_url: "/cosmos.bank.v1beta1.MsgSend" }, check: (b) => expect(b["broken"]).toBe(false) },
      { rest: "/dcert/coord/v1/params", method: "/coord.v1.Query/Params", request: {} },
      { rest: "/dcert/coord/v1/parties?include_withdrawn=true", method: "/coord.v1.Query/Parties", request: { include_withdrawn: true } },
      { rest: "/dcert/coord/v1/group_keys", method: "/coord.v1.Query/GroupKeys", request: {} },
      { rest: "/dcert/coord/v1/cases", method: "/coord.v1.Query/Cases", request: {} },
      { rest: `/dcert/coord/v1/notices?recipient=${alice}`, method: "/coord.v1.Query/Notices", request: { recipient: alice } },
      { rest: "/dcert/coord/v1/metrics", method: "/coord.v1.Query/Metrics", request: {} },
      { rest: "/dcert/coord/v1/metrics/1", method: "/coord.v1.Query/Metrics", request: { level: 1 } },
      { rest: "/dcert/upgrade/v1/params", method: "/dcert.upgrade.v1.Query/Params", request: {} },
      { rest: "/dcert/upgrade/v1/scheduled_plan", method: "/dcert.upgrade.v1.Query/ScheduledPlan", request: {} },
      { rest: "/dcert/upgrade/v1/pre_approvals", method: "/dcert.upgrade.v1.Query/PreApprovals", request: {} },
      { rest: "/dcert/upgrade/v1/builds", method: "/dcert.upgrade.v1.Query/Builds", request: {} },
    ];
  }

  test("every query route answers what the ABCI query answers", async () => {
    const failures: string[] = [];
    for (const row of rows()) {
      // A stable read: ABCI, REST, ABCI until both ABCI answers agree (values that move every block).
      const got = await pollUntil({
        what: `a stable answer of ${row.rest}`,
        timeoutMs: 60_000,
        intervalMs: 200,
        check: async () => {
          const before = await abci(row.method, row.request);
          const r = await rest(row.rest);
          const after = await abci(row.method, row.request);
          return JSON.stringify(before) === JSON.stringify(after) ? { before, r } : undefined;
        },
      });
      const { before, r } = got;
      if (before.code !== 0) {
        if (row.optional === true && /unknown|not found|no handler/i.test(before.log)) {
          if (r.status !== 404) failures.push(`${row.rest}: not served by the app, yet REST answered ${r.status}`);
          continue;
        }
        failures.push(`${row.rest}: the ABCI query failed (${before.log}); REST answered ${r.status} ${JSON.stringify(r.body)}`);
        continue;
      }
      if (r.status !== 200) {
        failures.push(`${row.rest}: REST ${r.status} ${JSON.stringify(r.body)}`);
        continue;
      }
      try {
        expect(r.body).toEqual(before.json);
        row.check?.(r.body);
      } catch (e) {
        failures.push(`${row.rest}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test("tendermint service: node_info, blocks, validator sets and syncing agree with CometBFT", async () => {
    const info = await rest("/cosmos/base/tendermint/v1beta1/node_info");
    expect(info.status).toBe(200);
    const status = await comet.status();
    expect(info.body["default_node_info"]).toMatchObject({ network: devnet.chainId, default_node_id: toHex(status.nodeInfo.id) });
    expect(info.body["application_version"]).toMatchObject({ name: "dcert", app_name: "dcertd", cosmos_sdk_version: "v0.50.15" });
    expect((await rest("/cosmos/base/tendermint/v1beta1/syncing")).body).toEqual({ syncing: false });

    const latest = await rest("/cosmos/base/tendermint/v1beta1/blocks/latest");
    expect(latest.status).toBe(200);
    const height = Number(((latest.body["block"] as Json)["header"] as Json)["height"]);
    expect(height).toBeGreaterThan(0);
    const byHeight = await rest(`/cosmos/base/tendermint/v1beta1/blocks/${height}`);
    const block = await comet.block(height);
    expect(byHeight.body["block_id"]).toMatchObject({ hash: Buffer.from(block.blockId.hash).toString("base64") });
    expect(((byHeight.body["block"] as Json)["header"] as Json)["chain_id"]).toBe(devnet.chainId);

    const set = await rest(`/cosmos/base/tendermint/v1beta1/validatorsets/${height}`);
    const cometSet = await comet.validators({ height });
    expect(set.body["block_height"]).toBe(String(height));
    expect((set.body["validators"] as Json[]).map((v) => v["voting_power"])).toEqual(cometSet.validators.map((v) => v.votingPower.toString()));
    expect(((set.body["validators"] as Json[])[0]?.["address"] as string).startsWith("dcertvalcons1")).toBe(true);
    const latestSet = await rest("/cosmos/base/tendermint/v1beta1/validatorsets/latest");
    expect(latestSet.body["validators"]).toHaveLength(cometSet.validators.length);
  });

  test("POST simulate and POST txs: a signed tx is estimated, broadcast, and found by hash and by query", async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(devnet.accounts[1]!.mnemonic, { prefix: "dcert" });
    const client = await SigningStargateClient.connectWithSigner(devnet.rpc, wallet);
    const bob = devnet.accounts[2]!.address;
    const send = { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: alice, toAddress: bob, amount: [{ denom: devnet.denom, amount: "12345" }] } };
    const raw = await client.sign(alice, [send], FEE, "via REST");
    const txBytes = Buffer.from(TxRaw.encode(raw).finish()).toString("base64");

    const sim = await rest("/cosmos/tx/v1beta1/simulate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tx_bytes: txBytes }) });
    expect(sim.status).toBe(200);
    expect(Number((sim.body["gas_info"] as Json)["gas_used"])).toBeGreaterThan(0);

    const bobBefore = BigInt((await client.getBalance(bob, devnet.denom)).amount);
    const sent = await rest("/cosmos/tx/v1beta1/txs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tx_bytes: txBytes, mode: "BROADCAST_MODE_SYNC" }) });
    expect(sent.status).toBe(200);
    const txResponse = sent.body["tx_response"] as Json;
    expect(txResponse["code"]).toBe(0);
    const hash = txResponse["txhash"] as string;
    expect(hash).toMatch(/^[0-9A-F]{64}$/);

    const found = await pollUntil({
      what: `tx ${hash} by hash over REST`,
      timeoutMs: 60_000,
      intervalMs: 300,
      check: async () => {
        const r = await rest(`/cosmos/tx/v1beta1/txs/${hash}`);
        return r.status === 200 ? r.body : undefined;
      },
    });
    const cometTx = await comet.tx({ hash: Buffer.from(hash, "hex") });
    expect(found["tx_response"]).toMatchObject({ txhash: hash, height: String(cometTx.height), code: 0, gas_used: String(cometTx.result.gasUsed) });
    expect(((found["tx"] as Json)["body"] as Json)["memo"]).toBe("via REST");
    expect((((found["tx"] as Json)["body"] as Json)["messages"] as Json[])[0]).toEqual({ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: alice, to_address: bob, amount: [{ denom: devnet.denom, amount: "12345" }] });
    expect(BigInt((await client.getBalance(bob, devnet.denom)).amount)).toBe(bobBefore + 12345n);

    const byQuery = await rest(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`tx.height=${cometTx.height}`)}`);
    expect(byQuery.status).toBe(200);
    expect((byQuery.body["tx_responses"] as Json[]).map((t) => t["txhash"])).toContain(hash);
    client.disconnect();
  });

  test("gRPC on the devnet serves the same query services as REST", async () => {
    const client = new grpc.Client(devnet.grpc, grpc.credentials.createInsecure());
    try {
      const call = (method: string, request: Json): Promise<Buffer> =>
        new Promise((resolve, reject) => {
          const desc = methodOf(method);
          if (desc === undefined) throw new Error(`no method ${method}`);
          client.makeUnaryRequest(method, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(fromSdkJson(desc.input.typeName, request as never)), (err, res) => (err !== null || res === undefined ? reject(err ?? new Error("no answer")) : resolve(res)));
        });
      for (const [method, request, path] of [
        ["/dcert.v1.Query/Group", {}, "/dcert/v1/group"],
        ["/cosmos.staking.v1beta1.Query/Validator", { validator_addr: valoper }, `/cosmos/staking/v1beta1/validators/${valoper}`],
        ["/cosmos.gov.v1.Query/Proposal", { proposal_id: proposalId }, `/cosmos/gov/v1/proposals/${proposalId}`],
      ] as const) {
        const desc = methodOf(method)!;
        expect(toSdkJson(desc.output.typeName, await call(method, request))).toEqual((await rest(path)).body);
      }
    } finally {
      client.close();
    }
  });

  test("CORS: answers carry Access-Control-Allow-Origin, preflights are answered", async () => {
    const r = await rest("/cosmos/bank/v1beta1/supply", { headers: { origin: "https://ping.example" } });
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    const pre = await fetch(`${devnet.rest}/cosmos/tx/v1beta1/txs`, {
      method: "OPTIONS",
      headers: { origin: "https://ping.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")).toBe("content-type");
    const missing = await rest("/cosmos/no/such/route");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: 5, message: "Not Found", details: [] });
  });
});

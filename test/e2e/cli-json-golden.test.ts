/**
 * Golden test of `dcertd q … -o json` on a devnet: each query command's JSON is the REST gateway's
 * JSON of the same query (the SDK's proto-JSON of the response message, what `simd q … -o json`
 * prints): same keys, same values. A value that moves every block (rewards, signing infos) is read
 * from REST before and after the command until both REST reads agree. A query of a record that
 * does not exist fails on both sides. Every `q` leaf is in the table, or named with the reason it
 * has no response message of its own.
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { toBech32 } from "@cosmjs/encoding";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { decimalToFixed18 } from "../../src/client/decimal";
import { SigningDcertClient } from "../../src/client/signingdcertclient";
import { QUERY_LEAVES } from "../../src/cli/query";
import { DEVNET_MIN_GAS_PRICES } from "../../src/localnet/devnet";
import { accountValoper } from "../../src/x/staking/keeper";
import { startDevnet, type Devnet } from "./harness";
import { runDcertd, type Run } from "./upgrade-harness";

jest.setTimeout(900_000);

const FEE: StdFee = { amount: [{ denom: "udcert", amount: "50000" }], gas: "2000000" };

interface Row {
  /** The command after `dcertd q`. */
  readonly argv: readonly string[];
  /** The REST route of the same query (path and query string); the JSON to compare with. */
  readonly rest: string;
  /** A POST route's JSON body (the route is GET without it). */
  readonly post?: unknown;
  /** The part of the REST answer the command prints (default: all of it). */
  readonly pick?: (body: Record<string, unknown>) => unknown;
  /** The record does not exist: the command fails (exit 1) and REST with an error status. */
  readonly missing?: boolean;
}

/** Leaves without a response message of their own. */
const NOT_RESPONSES: ReadonlyMap<string, string> = new Map([["coord advisory", "renders a disclosed case as a document (markdown, OSV, CSAF)"]]);

describe("q -o json is the SDK's proto-JSON (the REST gateway's) of each query", () => {
  let devnet: Devnet;
  let validator: string;
  let alice: string;
  let valoper: string;
  let consAddress: string;
  let proposalId: string;
  let txHash: string;
  let height: number;

  async function signer(i: number): Promise<SigningStargateClient> {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(devnet.accounts[i]!.mnemonic, { prefix: "dcert" });
    return SigningStargateClient.connectWithSigner(devnet.rpc, wallet, { gasPrice: GasPrice.fromString(DEVNET_MIN_GAS_PRICES), broadcastPollIntervalMs: 300 });
  }

  async function rest(path: string, post?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${devnet.rest}${path}`, post === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(post) });
    return { status: res.status, body: JSON.parse(await res.text()) as Record<string, unknown> };
  }

  /**
   * Runs `dcertd q <row> -o json` while reading the REST route over and over (blocks come every
   * 500 ms; a read takes milliseconds): the answers REST gave from before the command started
   * until after it ended, one of which the command's must be.
   */
  async function cliWhileRest(row: Row): Promise<{ cli: Run; seen: { status: number; body: Record<string, unknown>; text: string }[] }> {
    const seen: { status: number; body: Record<string, unknown>; text: string }[] = [];
    const read = async (): Promise<void> => {
      const g = await rest(row.rest, row.post);
      seen.push({ ...g, text: JSON.stringify(g.body) });
    };
    await read();
    let finished = false;
    const running = runDcertd(["q", ...row.argv, "-o", "json", "--node", devnet.rpc]).finally(() => {
      finished = true;
    });
    while (!finished) {
      await read();
      await new Promise((r) => setTimeout(r, 50));
    }
    const cli = await running;
    await read();
    return { cli, seen };
  }

  beforeAll(async () => {
    devnet = await startDevnet();
    validator = devnet.accounts[0]!.address;
    alice = devnet.accounts[1]!.address;
    valoper = accountValoper(validator);
    const aliceClient = await signer(1);
    const valClient = await signer(0);
    // State for the queries to show: a delegation and an unbonding, a dCERT vote.
    const del = await aliceClient.delegateTokens(alice, valoper, { denom: devnet.denom, amount: "3000000" }, FEE);
    expect(del.code).toBe(0);
    txHash = del.transactionHash;
    expect((await aliceClient.undelegateTokens(alice, valoper, { denom: devnet.denom, amount: "1000000" }, FEE)).code).toBe(0);
    const dcertWallet = await DirectSecp256k1HdWallet.fromMnemonic(devnet.accounts[1]!.mnemonic, { prefix: "dcert" });
    const dcert = await SigningDcertClient.connectWithSigner(devnet.rpc, dcertWallet, { gasPrice: GasPrice.fromString(DEVNET_MIN_GAS_PRICES), broadcastPollIntervalMs: 300 });
    expect((await dcert.vote(alice, [{ candidate: devnet.accounts[2]!.address, share: decimalToFixed18("1") }], FEE)).code).toBe(0);
    dcert.disconnect();
    const comet = await Comet38Client.connect(devnet.rpc);
    consAddress = toBech32("dcertvalcons", (await comet.validatorsAll()).validators[0]!.address);
    height = (await comet.status()).syncInfo.latestBlockHeight;
    comet.disconnect();
    // Last, as the voting period is short (its votes and deposits go when it ends): a proposal
    // with a deposit and a vote, for the gov rows at the head of the table.
    const submit = await aliceClient.signAndBroadcast(
      alice,
      [{ typeUrl: "/cosmos.gov.v1.MsgSubmitProposal", value: { messages: [], initialDeposit: [{ denom: devnet.denom, amount: "10000000" }], proposer: alice, metadata: "ipfs://golden", title: "golden", summary: "a text proposal", expedited: false } }],
      FEE,
    );
    expect(submit.code).toBe(0);
    proposalId = submit.events.find((e) => e.type === "submit_proposal")?.attributes.find((a) => a.key === "proposal_id")?.value ?? "1";
    const vote = await valClient.signAndBroadcast(validator, [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: BigInt(proposalId), voter: validator, option: VoteOption.VOTE_OPTION_YES, metadata: "" } }], FEE);
    expect(vote.code).toBe(0);
    aliceClient.disconnect();
    valClient.disconnect();
  });

  afterAll(async () => {
    await devnet?.stop();
  });

  function rows(): Row[] {
    const p = proposalId;
    const ghost = toBech32("dcert", new Uint8Array(20).fill(9));
    return [
      // gov v1, while the proposal is in its voting period
      { argv: ["gov", "vote", p, validator], rest: `/cosmos/gov/v1/proposals/${p}/votes/${validator}` },
      { argv: ["gov", "votes", p], rest: `/cosmos/gov/v1/proposals/${p}/votes` },
      { argv: ["gov", "deposits", p], rest: `/cosmos/gov/v1/proposals/${p}/deposits` },
      { argv: ["gov", "proposals", "--status", "voting_period"], rest: "/cosmos/gov/v1/proposals?proposal_status=PROPOSAL_STATUS_VOTING_PERIOD" },
      // bank, auth
      { argv: ["bank", "balances", alice], rest: `/cosmos/bank/v1beta1/balances/${alice}` },
      { argv: ["bank", "balances", alice, "--denom", "udcert"], rest: `/cosmos/bank/v1beta1/balances/${alice}/by_denom?denom=udcert` },
      { argv: ["auth", "account", alice], rest: `/cosmos/auth/v1beta1/accounts/${alice}` },
      { argv: ["auth", "account", ghost], rest: `/cosmos/auth/v1beta1/accounts/${ghost}`, missing: true },
      // staking
      { argv: ["staking", "validators"], rest: "/cosmos/staking/v1beta1/validators" },
      { argv: ["staking", "validators", "--status", "bonded"], rest: "/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED" },
      { argv: ["staking", "validator", valoper], rest: `/cosmos/staking/v1beta1/validators/${valoper}` },
      { argv: ["staking", "delegation", alice, valoper], rest: `/cosmos/staking/v1beta1/validators/${valoper}/delegations/${alice}` },
      { argv: ["staking", "delegations", alice], rest: `/cosmos/staking/v1beta1/delegations/${alice}` },
      { argv: ["staking", "unbonding-delegations", alice], rest: `/cosmos/staking/v1beta1/delegators/${alice}/unbonding_delegations` },
      { argv: ["staking", "historical-info", String(height)], rest: `/cosmos/staking/v1beta1/historical_info/${height}` },
      { argv: ["staking", "redelegations", alice], rest: `/cosmos/staking/v1beta1/delegators/${alice}/redelegations` },
      // slashing, distribution, mint, evidence
      { argv: ["slashing", "params"], rest: "/cosmos/slashing/v1beta1/params" },
      { argv: ["slashing", "signing-info", consAddress], rest: `/cosmos/slashing/v1beta1/signing_infos/${consAddress}` },
      { argv: ["slashing", "signing-infos"], rest: "/cosmos/slashing/v1beta1/signing_infos" },
      { argv: ["distribution", "params"], rest: "/cosmos/distribution/v1beta1/params" },
      { argv: ["distribution", "rewards", alice], rest: `/cosmos/distribution/v1beta1/delegators/${alice}/rewards` },
      { argv: ["distribution", "rewards", alice, valoper], rest: `/cosmos/distribution/v1beta1/delegators/${alice}/rewards/${valoper}` },
      { argv: ["distribution", "commission", valoper], rest: `/cosmos/distribution/v1beta1/validators/${valoper}/commission` },
      { argv: ["distribution", "outstanding-rewards", valoper], rest: `/cosmos/distribution/v1beta1/validators/${valoper}/outstanding_rewards` },
      { argv: ["distribution", "slashes", valoper, "1", String(height)], rest: `/cosmos/distribution/v1beta1/validators/${valoper}/slashes?starting_height=1&ending_height=${height}` },
      { argv: ["distribution", "community-pool"], rest: "/cosmos/distribution/v1beta1/community_pool" },
      { argv: ["distribution", "validator-distribution-info", valoper], rest: `/cosmos/distribution/v1beta1/validators/${valoper}` },
      { argv: ["mint", "params"], rest: "/cosmos/mint/v1beta1/params" },
      { argv: ["mint", "inflation"], rest: "/cosmos/mint/v1beta1/inflation" },
      { argv: ["mint", "annual-provisions"], rest: "/cosmos/mint/v1beta1/annual_provisions" },
      { argv: ["evidence"], rest: "/cosmos/evidence/v1beta1/evidence" },
      { argv: ["evidence", "AB".repeat(32)], rest: `/cosmos/evidence/v1beta1/evidence/${"AB".repeat(32)}`, missing: true },
      // gov v1
      { argv: ["gov", "proposal", p], rest: `/cosmos/gov/v1/proposals/${p}` },
      { argv: ["gov", "proposals"], rest: "/cosmos/gov/v1/proposals" },
      { argv: ["gov", "tally", p], rest: `/cosmos/gov/v1/proposals/${p}/tally` },
      // The command asks with no params_type (only "params", as simd does); the route needs one, and
      // adds that deprecated section.
      { argv: ["gov", "params"], rest: "/cosmos/gov/v1/params/tallying", pick: (b) => ({ ...b, tally_params: null }) },
      // dCERT
      { argv: ["dcert", "params"], rest: "/dcert/v1/params" },
      { argv: ["dcert", "group"], rest: "/dcert/v1/group" },
      { argv: ["dcert", "member", validator], rest: `/dcert/v1/members/${validator}` },
      { argv: ["dcert", "candidates"], rest: "/dcert/v1/candidates" },
      { argv: ["dcert", "vote", alice], rest: `/dcert/v1/votes/${alice}` },
      { argv: ["dcert", "queue"], rest: "/dcert/v1/stabilization_queue" },
      { argv: ["dcert", "bonds", "--staker", alice], rest: `/dcert/v1/bonds?staker=${alice}` },
      { argv: ["dcert", "unbondings", "--member", validator], rest: `/dcert/v1/unbondings?member=${validator}` },
      { argv: ["dcert", "suspensions"], rest: "/dcert/v1/suspensions" },
      { argv: ["dcert", "disband-status"], rest: "/dcert/v1/disband_status" },
      { argv: ["dcert", "broken-routes"], rest: "/dcert/v1/broken_routes" },
      { argv: ["dcert", "is-broken", "/cosmos.bank.v1beta1.MsgSend"], rest: `/dcert/v1/broken_routes/${encodeURIComponent("/cosmos.bank.v1beta1.MsgSend")}` },
      // tx: simd prints the TxResponse
      { argv: ["tx", txHash], rest: `/cosmos/tx/v1beta1/txs/${txHash}`, pick: (b) => b["tx_response"] },
      // coord
      { argv: ["coord", "params"], rest: "/dcert/coord/v1/params" },
      { argv: ["coord", "party", alice], rest: `/dcert/coord/v1/parties/${alice}`, missing: true },
      { argv: ["coord", "parties"], rest: "/dcert/coord/v1/parties" },
      { argv: ["coord", "match", "route:/cosmos.bank.v1beta1.MsgSend"], rest: "/dcert/coord/v1/match", post: { components: [{ kind: "COMPONENT_KIND_ROUTE", name: "/cosmos.bank.v1beta1.MsgSend", versions: "" }] } },
      { argv: ["coord", "group-keys"], rest: "/dcert/coord/v1/group_keys" },
      { argv: ["coord", "case", "1"], rest: "/dcert/coord/v1/cases/1", missing: true },
      { argv: ["coord", "cases"], rest: "/dcert/coord/v1/cases" },
      { argv: ["coord", "timeline", "1"], rest: "/dcert/coord/v1/cases/1/timeline", missing: true },
      { argv: ["coord", "notice", "1"], rest: "/dcert/coord/v1/notices/1", missing: true },
      { argv: ["coord", "notices", "--recipient", alice], rest: `/dcert/coord/v1/notices?recipient=${alice}&omit_envelope=true` },
      { argv: ["coord", "inputs"], rest: "/dcert/coord/v1/cases/0/inputs?omit_envelope=true" },
      { argv: ["coord", "involvements", "1"], rest: "/dcert/coord/v1/cases/1/involvements", missing: true },
      { argv: ["coord", "disclosure", "1"], rest: "/dcert/coord/v1/cases/1/disclosure", missing: true },
      { argv: ["coord", "metrics"], rest: "/dcert/coord/v1/metrics" },
      // upgrade
      { argv: ["upgrade", "plan"], rest: "/dcert/upgrade/v1/scheduled_plan" },
      { argv: ["upgrade", "applied", "v2"], rest: "/cosmos/upgrade/v1beta1/applied_plan/v2" },
      { argv: ["upgrade", "module-versions"], rest: "/cosmos/upgrade/v1beta1/module_versions" },
      { argv: ["upgrade", "params"], rest: "/dcert/upgrade/v1/params" },
      { argv: ["upgrade", "pre-approvals"], rest: "/dcert/upgrade/v1/pre_approvals" },
      { argv: ["upgrade", "readiness", "v2"], rest: "/dcert/upgrade/v1/readiness/v2" },
      { argv: ["upgrade", "builds"], rest: "/dcert/upgrade/v1/builds" },
    ];
  }

  test("every q leaf is in the table (or has no response message of its own)", () => {
    const covered = new Set(rows().map((r) => r.argv.filter((a) => /^[a-z][a-z-]*$/.test(a)).join(" ")));
    const leaves = QUERY_LEAVES.map((l) => l.path.join(" "));
    const uncovered = leaves.filter((l) => !NOT_RESPONSES.has(l) && ![...covered].some((c) => c === l || c.startsWith(`${l} `)));
    expect(uncovered).toEqual([]);
  });

  test("each command's -o json equals the REST JSON of the same query", async () => {
    const failures: string[] = [];
    for (const row of rows()) {
      const what = `q ${row.argv.join(" ")}`;
      if (row.missing === true) {
        const r = await runDcertd(["q", ...row.argv, "-o", "json", "--node", devnet.rpc]);
        const g = await rest(row.rest);
        if (r.code !== 1 || r.stdout !== "" || !r.stderr.startsWith("error: ") || g.status < 400) failures.push(`${what}: expected a failure on both sides, got exit ${r.code} (${r.stderr.trim()}) and HTTP ${g.status}`);
        continue;
      }
      let verdict = "";
      for (let attempt = 0; attempt < 3; attempt++) {
        const { cli, seen } = await cliWhileRest(row);
        const bad = seen.find((g) => g.status !== 200);
        if (bad !== undefined) {
          verdict = `REST ${row.rest} answered ${bad.status}: ${bad.text}`;
          break;
        }
        if (cli.code !== 0) {
          verdict = `exit ${cli.code}: ${cli.stderr.trim()}`;
          break;
        }
        // Same keys in the same order, same values as one of the REST answers of the same time.
        const got = JSON.stringify(JSON.parse(cli.stdout) as unknown);
        const wants = seen.map((g) => JSON.stringify(row.pick === undefined ? g.body : row.pick(g.body)));
        if (wants.includes(got)) {
          verdict = "";
          break;
        }
        verdict = `\n  cli:  ${got}\n  rest: ${wants[wants.length - 1] ?? ""}`;
      }
      if (verdict !== "") failures.push(`${what}: ${verdict}`);
    }
    expect(failures).toEqual([]);
  });

  test("--height: an older height gets the app's error, passed through", async () => {
    const old = await runDcertd(["q", "bank", "balances", alice, "--height", "1", "-o", "json", "--node", devnet.rpc]);
    expect(old.code).toBe(1);
    expect(old.stdout).toBe("");
    expect(old.stderr).toMatch(/historical queries are not supported; query height 0 or the latest height \d+/);
  });
});

/**
 * Circuit breaking end to end on a real CometBFT devnet with stock CosmJS (issue: circuit breaker):
 * a dCERT member breaks /cosmos.bank.v1beta1.MsgSend; broadcasting a send is then rejected at
 * CheckTx with the circuit code (dcert:50) while other messages still work; and the hard-fork
 * procedure of docs/hard-fork.md — stop, `dcertd export --clear-broken-routes`, `cometbft
 * unsafe-reset-all`, new genesis, restart — brings sends back with the rest of the state intact.
 *
 * Runs after `npm run build` (the app and the export command run from dist/).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DirectSecp256k1HdWallet, Registry } from "@cosmjs/proto-signing";
import { BroadcastTxError, defaultRegistryTypes, SigningStargateClient, StargateClient, type StdFee } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { resolveCometbft } from "../../src/localnet/cometbft";
import {
  compiledDcertd,
  findRepoRoot,
  launchDevnet,
  prepareDevnet,
  stopDevnet,
  type DevnetAccount,
  type DevnetPaths,
  type DevnetPorts,
  type DevnetProcesses,
} from "../../src/localnet/devnet";
import { reservePorts, type PortReservation } from "../../src/localnet/proc";
import { createDcertQueryClient, type DcertQueryClient } from "../../src/client/dcertclient";
import { dcertTypes } from "../../src/types/messages";

jest.setTimeout(300_000);

const SEND = "/cosmos.bank.v1beta1.MsgSend";
const ONE = "1000000000000000000";
const registry = new Registry([...defaultRegistryTypes, ...dcertTypes]);
const POLL = { broadcastPollIntervalMs: 300, broadcastTimeoutMs: 30_000 };

function fee(gas = 400_000): StdFee {
  // The devnet's minimum gas price is 0.025udcert.
  return { amount: [{ denom: "udcert", amount: String(Math.ceil(gas * 0.025)) }], gas: String(gas) };
}

interface Signer {
  readonly address: string;
  readonly client: SigningStargateClient;
}

async function signer(rpc: string, acc: DevnetAccount): Promise<Signer> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(acc.mnemonic, { prefix: "dcert" });
  return { address: acc.address, client: await SigningStargateClient.connectWithSigner(rpc, wallet, { registry, ...POLL }) };
}

async function queries(rpc: string): Promise<{ q: DcertQueryClient; close(): void }> {
  const comet = await connectComet(rpc);
  return { q: createDcertQueryClient(comet), close: () => comet.disconnect() };
}

async function expectRejected(p: Promise<unknown>): Promise<BroadcastTxError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BroadcastTxError);
    return e as BroadcastTxError;
  }
  throw new Error("expected CheckTx to reject the tx");
}

describe("circuit breaking on the devnet", () => {
  const repoRoot = findRepoRoot(__dirname);
  const cometbftBin = resolveCometbft(repoRoot);
  const dcertd = compiledDcertd(repoRoot);
  let home: string;
  let work: string;
  let paths: DevnetPaths;
  let ports: DevnetPorts;
  let accounts: readonly DevnetAccount[];
  let rpc: string;
  let procs: DevnetProcesses = {};
  let reservation: PortReservation | undefined;
  const clients: { disconnect(): void }[] = [];

  async function launch(): Promise<number> {
    procs = {};
    return launchDevnet({ paths, ports, cometbftBin, dcertdScript: dcertd, procs, detached: false, ...(reservation === undefined ? {} : { reservation }) });
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-e2e-circuit-"));
    work = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-e2e-circuit-work-"));
    reservation = await reservePorts(3);
    const [r, p2p, abci] = reservation.ports as [number, number, number];
    const prepared = await prepareDevnet({ home, reset: false, ports: { rpc: r, p2p, abci }, cometbftBin });
    ({ paths, ports } = prepared);
    accounts = prepared.info.accounts;
    rpc = prepared.info.rpc;
    await launch();
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await stopDevnet(procs);
    await reservation?.release();
    if (process.env["KEEP_DEVNET"] !== "1") {
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  test("a member breaks MsgSend: sends are refused at CheckTx with dcert:50, other messages still work; export → clear → restart restores sends", async () => {
    const [operator, alice, bob, carol] = await Promise.all(accounts.slice(0, 4).map((a) => signer(rpc, a)));
    for (const s of [operator, alice, bob, carol]) clients.push(s!.client);
    const { q, close } = await queries(rpc);

    // alice becomes a member: bond + standing acceptance, and the operator's stake votes for her.
    const bonded = await alice!.client.signAndBroadcast(
      alice!.address,
      [
        { typeUrl: "/dcert.v1.MsgBond", value: { staker: alice!.address, member: alice!.address, amount: { denom: "udcert", amount: "1000000" } } },
        { typeUrl: "/dcert.v1.MsgAcceptAdmission", value: { candidate: alice!.address } },
      ],
      fee(),
    );
    expect(bonded.code).toBe(0);
    const voted = await operator!.client.signAndBroadcast(
      operator!.address,
      [{ typeUrl: "/dcert.v1.MsgVote", value: { voter: operator!.address, entries: [{ candidate: alice!.address, share: ONE }] } }],
      fee(),
    );
    expect(voted.code).toBe(0);
    expect((await q.dcert.group()).members.map((m) => m.address)).toContain(alice!.address);

    // Sends work before the break.
    expect((await bob!.client.sendTokens(bob!.address, carol!.address, [{ denom: "udcert", amount: "1000" }], fee())).code).toBe(0);

    const broke = await alice!.client.signAndBroadcast(
      alice!.address,
      [{ typeUrl: "/dcert.v1.MsgCircuitBreak", value: { member: alice!.address, routes: ["cosmos.bank.v1beta1.MsgSend"], reason: "e2e: bank exploit" } }],
      fee(),
    );
    expect(broke.code).toBe(0);
    expect(broke.events.map((e) => e.type)).toContain("dcert.v1.EventCircuitBroken");
    expect(await q.dcert.isBroken(SEND)).toEqual({ broken: true, rule: SEND });

    // Refused at CheckTx (broadcast_tx_sync answers the CheckTx code) with the circuit code.
    const refused = await expectRejected(bob!.client.sendTokens(bob!.address, carol!.address, [{ denom: "udcert", amount: "1000" }], fee()));
    expect([refused.codespace, refused.code]).toEqual(["dcert", 50]);
    expect(refused.log).toContain(`${SEND} is circuit-broken`);
    // fee "auto" simulates first, and simulation refuses it too.
    await expect(bob!.client.sendTokens(bob!.address, carol!.address, [{ denom: "udcert", amount: "1000" }], "auto")).rejects.toThrow("circuit-broken");
    // Other messages still work: a delegation and a multi-send (another route of the same package).
    const valoper = (await q.staking.validators("BOND_STATUS_BONDED")).validators[0]?.operatorAddress ?? "";
    expect((await bob!.client.delegateTokens(bob!.address, valoper, { denom: "udcert", amount: "5000" }, fee())).code).toBe(0);
    const multi = await bob!.client.signAndBroadcast(
      bob!.address,
      [
        {
          typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
          value: { inputs: [{ address: bob!.address, coins: [{ denom: "udcert", amount: "700" }] }], outputs: [{ address: carol!.address, coins: [{ denom: "udcert", amount: "700" }] }] },
        },
      ],
      fee(),
    );
    expect(multi.code).toBe(0);

    const reader = await StargateClient.connect(rpc);
    const before = {
      bob: (await reader.getBalance(bob!.address, "udcert")).amount,
      carol: (await reader.getBalance(carol!.address, "udcert")).amount,
      height: await reader.getHeight(),
    };
    reader.disconnect();
    close();

    // ---- The hard-fork procedure (docs/hard-fork.md) ----
    // 1. Stop the chain (CometBFT first, then the app).
    await stopDevnet(procs);
    // 2. Export the app's committed state with the broken routes cleared.
    const newGenesis = path.join(work, "genesis.json");
    execFileSync(process.execPath, [dcertd, "export", "--home", home, "--clear-broken-routes", "--output", newGenesis], { stdio: ["ignore", "ignore", "pipe"] });
    const genesis = JSON.parse(fs.readFileSync(newGenesis, "utf8")) as { chain_id: string; initial_height: string; app_state: { dcert: { broken_routes: unknown[] } } };
    expect(genesis.app_state.dcert.broken_routes).toEqual([]);
    const initialHeight = Number(genesis.initial_height);
    expect(initialHeight).toBeGreaterThanOrEqual(before.height + 1);
    // 3. Reset CometBFT's data (blocks, state, signing state; keys and config stay) and the app's store.
    execFileSync(cometbftBin, ["unsafe-reset-all", "--home", paths.cometHome], { stdio: "ignore" });
    fs.rmSync(path.join(paths.appHome, "data"), { recursive: true, force: true });
    // 4. Install the new genesis and restart.
    fs.copyFileSync(newGenesis, path.join(paths.cometHome, "config", "genesis.json"));
    const height = await launch();
    expect(height).toBeGreaterThanOrEqual(initialHeight);

    const after = await StargateClient.connect(rpc);
    clients.push(after);
    expect(await after.getChainId()).toBe(genesis.chain_id);
    expect((await after.getBalance(bob!.address, "udcert")).amount).toBe(before.bob);
    expect((await after.getBalance(carol!.address, "udcert")).amount).toBe(before.carol);
    const q2 = await queries(rpc);
    expect(await q2.q.dcert.isBroken(SEND)).toEqual({ broken: false, rule: "" });
    expect((await q2.q.dcert.group()).members.map((m) => m.address)).toContain(alice!.address);
    q2.close();

    // Sends are back (new clients: the chain restarted).
    const bob2 = await signer(rpc, accounts[2]!);
    clients.push(bob2.client);
    const sent = await bob2.client.sendTokens(bob2.address, carol!.address, [{ denom: "udcert", amount: "1234" }], fee());
    expect(sent.code).toBe(0);
    expect(sent.height).toBeGreaterThanOrEqual(initialHeight);
    expect(BigInt((await after.getBalance(carol!.address, "udcert")).amount)).toBe(BigInt(before.carol) + 1234n);
  });
});

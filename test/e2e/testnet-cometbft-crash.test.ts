/**
 * docs/consensus-safety.md end to end: on a 4-validator testnet under a little load, one node's CometBFT
 * (only CometBFT) dies between FinalizeBlock(H) and Commit(H) while its app keeps running, the
 * separate-process layout of docs/testnet.md. The app kills its own CometBFT at that point (the
 * test-only crash point DCERT_KILL_COMETBFT_AFTER_FINALIZE_HEIGHT, src/app/crashpoint.ts).
 * CometBFT restarted alone sends FinalizeBlock(H) again to the same app process: the app must
 * execute block H from committed state, so the node rejoins with the app hashes of the others.
 * Before the fix the app built block H on top of its own uncommitted block H and the node halted
 * with "wrong Block.Header.AppHash".
 */
import * as fs from "node:fs";
import { COMETBFT_PIDFILE_ENV, KILL_COMETBFT_ENV } from "../../src/app/crashpoint";
import { pollUntil, withTimeout } from "../../src/localnet/proc";
import { cometbftPidFile } from "../../src/localnet/testnet";
import { height, Load, LOAD_BALANCE, loadSenders, resultAppHashes, rpcResult, startTestnet, waitForHeight, type Testnet } from "./testnet-harness";

jest.setTimeout(600_000);

const SENDERS = 8;
const CRASHED = 3;
const senders = loadSenders(SENDERS, "dcert-cometbft-crash-load");
let net: Testnet | undefined;
let load: Load | undefined;

function say(line: string): void {
  process.stderr.write(`[cometbft crash e2e] ${line}\n`);
}

beforeAll(async () => {
  net = await startTestnet({ validators: 4, extraAccounts: senders.map((k) => ({ address: k.address, amount: LOAD_BALANCE })), log: say });
}, 400_000);

afterAll(async () => {
  await load?.stop().catch(() => undefined);
  await net?.stop();
});

test("CometBFT SIGKILLed between FinalizeBlock(H) and Commit(H), restarted alone against the still-running app: the node rejoins with equal app hashes", async () => {
  const t = net as Testnet;
  const sink = t.info.accounts.find((a) => a.name === "alice")!.address;
  load = new Load(t.info.chainId, senders, sink, [t.node(0).rpc, t.node(1).rpc], [t.node(0).rpc, t.node(1).rpc]);
  await load.start();
  const l = load;
  await pollUntil({ what: "the load to commit txs", check: () => (l.committed.size >= 2 * SENDERS ? true : undefined), timeoutMs: 120_000, lastSeen: () => `${l.committed.size} committed` });

  // Arm the crash point on node 3: restart it with the variables set, H a few blocks ahead.
  await t.stopNode(CRASHED);
  const H = ((await height(t.node(0).rpc)) ?? 0) + 5;
  const home = t.info.nodes[CRASHED]!.home;
  const logStart = t.appLog(CRASHED).length;
  await t.startNode(CRASHED, { [KILL_COMETBFT_ENV]: String(H), [COMETBFT_PIDFILE_ENV]: cometbftPidFile(home) });
  const { app, comet } = t.node(CRASHED).procs;
  say(`armed: node${CRASHED}'s app (pid ${app!.pid}) kills its CometBFT (pid ${comet!.pid}) at Commit(${H})`);

  // CometBFT dies by SIGKILL at H; the app does not.
  const exit = await withTimeout(comet!.exited, 180_000);
  if (exit === undefined) throw new Error(`node${CRASHED}'s CometBFT was not killed within 180 s (crash point at height ${H}); see ${t.info.nodes[CRASHED]!.appLog}`);
  expect(exit.signal).toBe("SIGKILL");
  // The app logs the kill after making it, and its log reaches the file after CometBFT is gone:
  // wait for the line rather than read once.
  const killed = `crash point: FinalizeBlock(${H}) answered, killed CometBFT (pid ${comet!.pid}) with SIGKILL before Commit(${H})`;
  await pollUntil({ what: `node${CRASHED}'s app to log the kill`, check: () => (t.appLog(CRASHED).slice(logStart).includes(killed) ? true : undefined), timeoutMs: 30_000 });
  expect(t.appLog(CRASHED).slice(logStart)).toContain(killed);
  expect(await height(t.node(CRASHED).rpc)).toBeUndefined();
  expect(app!.exitStatus()).toBeUndefined();
  // Block H carries load txs, so executing it twice over itself would change the state.
  await waitForHeight(t.node(0).rpc, H, 120_000);
  const block = await rpcResult<{ block: { data: { txs: string[] | null } } }>(t.node(0).rpc, `/block?height=${H}`);
  expect((block.block.data.txs ?? []).length).toBeGreaterThan(0);

  // Restart CometBFT alone: its handshake finds the app (Info: H-1) one block behind its store
  // and sends FinalizeBlock(H) and Commit(H) to the same app process.
  await t.startComet(CRASHED);
  const restarted = t.node(CRASHED).procs.comet!;
  const target = H + 4;
  const cometLog = t.info.nodes[CRASHED]!.cometLog;
  await waitForHeight(t.node(CRASHED).rpc, target, 180_000, () => {
    if (restarted.exitStatus() !== undefined) return `node${CRASHED}'s restarted CometBFT exited; see ${cometLog}`;
    // A node whose app computed another app hash halts (and keeps running) with this line.
    const failure = /CONSENSUS FAILURE.*?err="[^"]*"/.exec(fs.readFileSync(cometLog, "utf8").slice(restarted.logStart));
    if (failure !== null) return `node${CRASHED} halted: ${failure[0]}`;
    if (app!.exitStatus() !== undefined) return `node${CRASHED}'s app exited; see ${t.info.nodes[CRASHED]!.appLog}`;
    return undefined;
  });
  // The same app process all along.
  expect(t.node(CRASHED).procs.app).toBe(app);
  expect(app!.exitStatus()).toBeUndefined();

  // Every node has the compared heights; FinalizeBlock's app hash as each node computed it.
  for (const i of [0, 1, 2]) await waitForHeight(t.node(i).rpc, target, 120_000);
  const [ref, crashed] = await Promise.all([resultAppHashes(t.node(0).rpc, H - 1, target), resultAppHashes(t.node(CRASHED).rpc, H - 1, target)]);
  for (let h = H - 1; h <= target; h++) {
    expect({ height: h, appHash: crashed.get(h) }).toEqual({ height: h, appHash: ref.get(h) });
  }
  const { differing } = await t.compareAppHashes([0, 1, 2, CRASHED], H - 1, target);
  expect(differing).toEqual([]);
  const info = await rpcResult<{ response: { last_block_height: string } }>(t.node(CRASHED).rpc, "/abci_info");
  expect(Number(info.response.last_block_height)).toBeGreaterThanOrEqual(target);
  await load.stop();
});

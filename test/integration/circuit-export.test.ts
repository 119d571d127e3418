/**
 * The export half of the hard-fork procedure, in process on a real LMDB store: `dcertd export`
 * reads a stopped app's committed state into a genesis document at last height + 1, broken routes
 * are cleared (export flag or `dcertd clear-broken-routes`), and a new app started from that
 * genesis continues at the next height with the routes restored and everything else intact.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { createApp } from "../../src/app/node";
import { LmdbCommitStore } from "../../src/baseapp/store/lmdb";
import { accountValoper } from "../../src/x/staking/keeper";
import { parseArgs } from "../../src/cli/args";
import { clearBrokenRoutesCommand, exportCommand, exportGenesis, type GenesisDoc } from "../../src/cli/export";
import { TEST_CHAIN_ID } from "../helpers/txs";
import { dcertEnv, type DcertEnv, DENOM, m, ONE } from "./dcert-harness";

const SEND = "/cosmos.bank.v1beta1.MsgSend";

function send(from: string, to: string, amount: bigint): EncodeObject {
  return { typeUrl: SEND, value: { fromAddress: from, toAddress: to, amount: [{ denom: DENOM, amount: amount.toString() }] } };
}

let home: string;
const opened: LmdbCommitStore[] = [];

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-export-"));
});

afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** A chain on LMDB in `<home>/data` with MsgSend broken by a member; the store is closed at the end (the app is "stopped"). */
async function stoppedChainWithBrokenSend(): Promise<{ e: DcertEnv; height: bigint; sendTx: Uint8Array }> {
  const store = LmdbCommitStore.open(path.join(home, "data"));
  const e = await dcertEnv({
    balances: [100_000_000_000n, 10_000_000_000n, 10_000_000_000n, 10_000_000_000n],
    params: { stabilization_period: "0", circuit_break_enabled: true },
    store,
  });
  const val = accountValoper(e.addr(0));
  e.block([
    await e.sign(e.acct(1), [m.bond(e.addr(1), e.addr(1), 1_000_000n), m.accept(e.addr(1))]),
    await e.sign(e.acct(2), [m.delegate(e.addr(2), val, 3_000_000n), m.vote(e.addr(2), [[e.addr(1), ONE]])]),
  ]);
  await e.ok(e.acct(1), [{ typeUrl: "/dcert.v1.MsgCircuitBreak", value: { member: e.addr(1), routes: [SEND], reason: "bank exploit" } }]);
  await e.ok(e.acct(3), [m.fundPool(e.addr(3), 12_345n)]);
  const height = e.chain.height;
  // Signed now (the account number and sequence carry over to the new chain).
  const sendTx = await e.sign(e.acct(3), [send(e.addr(3), e.addr(1), 5n)]);
  store.close();
  return { e, height, sendTx };
}

/** Starts a new app from a genesis document on a fresh LMDB store and commits its first block. */
function startFrom(genesis: GenesisDoc): ReturnType<typeof createApp> {
  const store = LmdbCommitStore.open(path.join(home, "new-data"), { apply: "inline" });
  opened.push(store);
  const app = createApp({ store });
  const initialHeight = BigInt(genesis.initial_height);
  app.initChain({
    time: { seconds: BigInt(Math.floor(Date.parse(genesis.genesis_time) / 1000)), nanos: 0 },
    chainId: genesis.chain_id,
    validators: [],
    appStateBytes: new TextEncoder().encode(JSON.stringify(genesis.app_state)),
    initialHeight,
  });
  app.finalizeBlock({
    txs: [],
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height: initialHeight,
    time: { seconds: 1_900_000_000n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  app.commit();
  return app;
}

describe("dcertd export and clearing broken routes", () => {
  test("export gives the committed state at last height + 1 with the chain-id; clearing and restarting restores the route", async () => {
    const { e, height, sendTx } = await stoppedChainWithBrokenSend();
    const kept = exportGenesis({ home, genesisTime: "2030-01-01T00:00:00Z" });
    expect(kept.height).toBe(height);
    expect(kept.genesis).toMatchObject({ genesis_time: "2030-01-01T00:00:00Z", chain_id: TEST_CHAIN_ID, initial_height: (height + 1n).toString(), app_hash: "" });
    expect(kept.genesis.consensus_params).toBeUndefined();
    expect((kept.genesis.app_state["dcert"] as { broken_routes: { route: string }[] }).broken_routes.map((r) => r.route)).toEqual([SEND]);
    expect(kept.cleared).toEqual([]);

    const r = exportGenesis({ home, clearBrokenRoutes: true, genesisTime: "2030-01-01T00:00:00Z" });
    expect(r.cleared).toEqual([SEND]);
    expect((r.genesis.app_state["dcert"] as { broken_routes: unknown[] }).broken_routes).toEqual([]);
    // Everything but the broken routes is the same state.
    const strip = (g: GenesisDoc) => JSON.stringify({ ...g.app_state, dcert: { ...(g.app_state["dcert"] as object), broken_routes: [] } });
    expect(strip(r.genesis)).toBe(strip(kept.genesis));

    const app = startFrom(r.genesis);
    expect(app.lastHeight).toBe(height + 1n);
    const ctx = app.queryContext();
    expect(app.bank.getBalance(ctx, e.addr(3), DENOM).amount).toBe(10_000_000_000n - 12_345n);
    // The exported sequence carries over, so a send signed for the new chain passes CheckTx.
    const acc = app.auth.getAccount(ctx, e.addr(3));
    expect(acc?.sequence).toBe(1n);
    expect(app.checkTx({ tx: sendTx, type: CheckTxType.NEW }).code).toBe(0);
  });

  test("export without clearing keeps the route broken in the new chain", async () => {
    const { sendTx } = await stoppedChainWithBrokenSend();
    const app = startFrom(exportGenesis({ home, genesisTime: "2030-01-01T00:00:00Z" }).genesis);
    expect(app.checkTx({ tx: sendTx, type: CheckTxType.NEW }).code).toBe(50);
  });

  test("a devnet home is recognised and its genesis supplies consensus params and validators; --height must be the committed one", async () => {
    const { height } = await stoppedChainWithBrokenSend();
    const devnet = path.join(home, "devnet");
    fs.mkdirSync(path.join(devnet, "app"), { recursive: true });
    fs.renameSync(path.join(home, "data"), path.join(devnet, "app", "data"));
    fs.mkdirSync(path.join(devnet, "cometbft", "config"), { recursive: true });
    const previous = { genesis_time: "2020-01-01T00:00:00Z", chain_id: TEST_CHAIN_ID, consensus_params: { block: { max_bytes: "8388608", max_gas: "-1" } }, validators: [{ name: "v", power: "10" }], app_state: {} };
    fs.writeFileSync(path.join(devnet, "cometbft", "config", "genesis.json"), JSON.stringify(previous));
    const r = exportGenesis({ home: devnet, height, chainId: "dcert-fork-2" });
    expect(r.genesis).toMatchObject({ chain_id: "dcert-fork-2", consensus_params: previous.consensus_params, validators: previous.validators });
    expect(Number.isNaN(Date.parse(r.genesis.genesis_time))).toBe(false);
    expect(() => exportGenesis({ home: devnet, height: height - 1n })).toThrow(`the store keeps only the latest state (height ${height}); it cannot export height ${height - 1n}`);
    expect(() => exportGenesis({ home: path.join(home, "nothing-here") })).toThrow("no app state under");
  });

  test("the commands: export --clear-broken-routes --output, and clear-broken-routes --in-place", async () => {
    const { height } = await stoppedChainWithBrokenSend();
    const out = path.join(home, "genesis.json");
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await exportCommand.run(parseArgs(["--home", home, "--output", out, "--genesis-time", "2030-01-01T00:00:00Z"], exportCommand.flags))).toBe(0);
      const doc = JSON.parse(fs.readFileSync(out, "utf8")) as GenesisDoc;
      expect(doc.initial_height).toBe((height + 1n).toString());
      expect((doc.app_state["dcert"] as { broken_routes: unknown[] }).broken_routes).toHaveLength(1);
      expect(await clearBrokenRoutesCommand.run(parseArgs([out, "--in-place"], clearBrokenRoutesCommand.flags))).toBe(0);
      const cleared = JSON.parse(fs.readFileSync(out, "utf8")) as GenesisDoc;
      expect((cleared.app_state["dcert"] as { broken_routes: unknown[] }).broken_routes).toEqual([]);
      expect({ ...cleared, app_state: {} }).toEqual({ ...doc, app_state: {} });
      expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toContain(`cleared 1 broken route(s): ${SEND}`);

      const direct = path.join(home, "direct.json");
      expect(await exportCommand.run(parseArgs(["--home", home, "--clear-broken-routes", "--output", direct], exportCommand.flags))).toBe(0);
      expect((JSON.parse(fs.readFileSync(direct, "utf8")) as GenesisDoc).app_state["dcert"]).toMatchObject({ broken_routes: [] });
      await expect(exportCommand.run(parseArgs(["--home", home, "--genesis-time", "tomorrow"], exportCommand.flags))).rejects.toThrow("RFC 3339");
    } finally {
      stderr.mockRestore();
    }
  });
});

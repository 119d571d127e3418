/**
 * The x/upgrade path on a 4-validator testnet (issue: coordinated upgrades). Every node runs the
 * `v1` release (no handler for plan `v2`). A dCERT member breaks a route; governance schedules `v2`
 * at height H; every node halts at H with upgrade-info.json written and nothing of H committed;
 * `dcertd testnet upgrade` restarts each node on the `v2` release; the chain goes on from H with
 * the route restored by the v2 handler, balances and tx history intact (a pre-upgrade tx is found
 * by hash), and equal app hashes on all nodes. Needs `npm run build` and CometBFT.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { makeReleases, removeRoot, tempRoot, UpgradeNet, type Releases } from "./upgrade-harness";

jest.setTimeout(900_000);

const ROUTE = "/cosmos.bank.v1beta1.MsgSend";

let root: string;
let rel: Releases;
let net: UpgradeNet;

beforeAll(async () => {
  root = tempRoot("upgrade-gov");
  rel = makeReleases(root);
  net = new UpgradeNet(root);
  await net.init(4, rel.v1);
  await net.testnet(["start"]);
});

afterAll(async () => {
  await net?.stop();
  if (root !== undefined) removeRoot(root);
});

test("a governance plan halts every node at its height; the v2 release resumes the chain with the broken route restored", async () => {
  // History that must survive: a send, found by hash after the upgrade.
  const bob = net.address("bob");
  const before = await net.q<{ balances: { denom: string; amount: string }[] }>(["bank", "balances", bob]);
  const sent = await net.tx(["bank", "send", "carol", bob, "12345udcert"]);
  const sentHash = String(sent["txhash"]);

  // A member breaks the send route (ADR 008: only an upgrade brings it back).
  await net.electMembers(["alice"]);
  await net.tx(["dcert", "circuit-break", ROUTE, "--reason", "upgrade e2e", "--from", "alice"]);
  expect((await net.q(["dcert", "is-broken", ROUTE]))["broken"]).toBe(true);
  const refused = await net.cli(["tx", "bank", "send", "carol", bob, "1udcert", "-y", "-o", "json"]);
  expect(refused.code).not.toBe(0);
  expect(`${refused.stdout}${refused.stderr}`).toMatch(/dcert:50|circuit-broken/);

  // Governance schedules v2 well past the voting period (15 s on the testnet profile).
  const h0 = await net.height();
  const planHeight = h0 + 70;
  const res = await net.tx([
    "upgrade", "software-upgrade", "v2",
    "--upgrade-height", String(planHeight),
    "--upgrade-info", "restore circuits",
    "--title", "v2", "--summary", "restore the broken routes",
    "--deposit", "10000000udcert",
    "--from", "validator0",
  ]);
  const id = String(res["proposal_id"]);
  await net.voteYes(id);
  expect(await net.proposalOutcome(id)).toBe("PROPOSAL_STATUS_PASSED");
  const plan = await net.q<{ plan?: { name: string; height: string } }>(["upgrade", "plan"]);
  expect(plan.plan).toEqual(expect.objectContaining({ name: "v2", height: String(planHeight) }));

  // Every node halts at H: upgrade-info.json in its data directory, the app gone with the
  // UPGRADE NEEDED line; `testnet upgrade` waits for that, then restarts each node on v2.
  const out = await net.testnet(["upgrade", "--name", "v2", "--binary", rel.v2, "--timeout", "300"], 600_000);
  for (const [i, node] of net.info.nodes.entries()) {
    expect(out).toContain(`node${i}: halted at ${planHeight} for v2`);
    const info = JSON.parse(fs.readFileSync(path.join(node.home, "app", "data", "upgrade-info.json"), "utf8")) as Record<string, unknown>;
    expect(info).toEqual({ name: "v2", height: planHeight, info: "restore circuits" });
    expect(fs.readFileSync(node.appLog, "utf8")).toContain(`UPGRADE NEEDED: "v2" at height ${planHeight}`);
  }

  // The chain goes on from H under v2: the plan applied at H (so H was executed by v2, not v1).
  await net.waitForHeight(planHeight + 3);
  expect((await net.q(["upgrade", "applied", "v2"]))["height"]).toBe(String(planHeight));
  expect((await net.q<{ plan?: unknown }>(["upgrade", "plan"])).plan ?? null).toBeNull();
  for (let i = 0; i < 4; i++) expect(net.info.nodes[i]?.binary).toContain(path.join(rel.v2, "dist"));

  // The route is restored; the rest of the state and the history are intact.
  expect((await net.q(["dcert", "is-broken", ROUTE]))["broken"]).toBe(false);
  await net.tx(["bank", "send", "carol", bob, "1000udcert"]);
  const found = await net.q(["tx", sentHash]);
  expect(found["code"]).toBe(0);
  expect(Number(found["height"])).toBeLessThan(planHeight);
  const after = await net.q<{ balances: { denom: string; amount: string }[] }>(["bank", "balances", bob]);
  const amount = (b: { balances: { denom: string; amount: string }[] }): bigint => BigInt(b.balances.find((c) => c.denom === "udcert")?.amount ?? "0");
  expect(amount(after) - amount(before)).toBe(12345n + 1000n);
  const members = await net.q<{ members: { address: string }[] }>(["dcert", "group"]);
  expect(members.members.map((m) => m.address)).toContain(net.address("alice"));

  // Every node's app computed the same hashes around the upgrade.
  const top = await net.waitForHeight(planHeight + 5);
  await Promise.all(net.info.nodes.map((_, i) => net.waitForHeight(top, i)));
  await net.expectEqualAppHashes(planHeight - 3, top);
});

/**
 * dCERT pre-approval of a security upgrade on a testnet (issue: coordinated upgrades; ADR 008's
 * "pre-approving a security update on behalf of the community"). Governance turns pre-approval on;
 * two elected members pre-approve a plan by name, height and binary hash without revealing it:
 * one approval is short of the quorum, the second schedules the plan with no governance vote.
 * Governance cancels such a plan before its height (and the group cannot bring the name back); a
 * second pre-approved plan, `v2`, executes: the node halts at its height and resumes on the v2
 * release with the plan applied. Needs `npm run build` and CometBFT.
 */
import { makeReleases, removeRoot, tempRoot, UpgradeNet, type Releases } from "./upgrade-harness";

jest.setTimeout(900_000);

interface PreApprovals {
  approvals: { member: string; name: string }[];
  needed: number;
  active_members: number;
  cancelled_names: string[];
}

interface Scheduled {
  plan?: { name: string; height: string; source: string; binary_sha256: string };
}

let root: string;
let rel: Releases;
let net: UpgradeNet;

beforeAll(async () => {
  root = tempRoot("upgrade-preapproval");
  rel = makeReleases(root);
  net = new UpgradeNet(root);
  await net.init(1, rel.v1);
  await net.testnet(["start"]);
  await net.electMembers(["alice", "bob"]);
});

afterAll(async () => {
  await net?.stop();
  if (root !== undefined) removeRoot(root);
});

async function proposalCount(): Promise<number> {
  const r = await net.q<{ proposals: unknown[] }>(["gov", "proposals"]);
  return r.proposals.length;
}

test("pre-approval is refused until governance enables it", async () => {
  const h = await net.height();
  const r = await net.cli(["tx", "upgrade", "pre-approve", "early", "--upgrade-height", String(h + 100), "--binary-sha256", rel.v2Hash, "--from", "alice", "-y", "-o", "json"]);
  expect(`${r.stdout}${r.stderr}`).toMatch(/upgrade:7|disabled/);

  const params = await net.q<{ params: Record<string, unknown> }>(["upgrade", "params"]);
  const id = await net.propose(
    [{ "@type": "/dcert.upgrade.v1.MsgUpdateParams", params: { ...params.params, preapproval_enabled: true, preapproval_min_delay_blocks: "10" } }],
    "enable dCERT pre-approval",
  );
  await net.voteYes(id);
  expect(await net.proposalOutcome(id)).toBe("PROPOSAL_STATUS_PASSED");
  expect((await net.q<{ params: { preapproval_enabled: boolean } }>(["upgrade", "params"])).params.preapproval_enabled).toBe(true);
});

test("governance cancels a pre-approved plan before its height; the group cannot re-approve the name", async () => {
  const target = (await net.height()) + 120;
  const approve = (from: string): Promise<Record<string, unknown>> =>
    net.tx(["upgrade", "pre-approve", "sec-1", "--upgrade-height", String(target), "--binary-sha256", rel.v2Hash, "--from", from]);
  await approve("alice");
  const one = await net.q<PreApprovals>(["upgrade", "pre-approvals", "sec-1"]);
  expect(one.approvals.map((a) => a.member)).toEqual([net.address("alice")]);
  expect(one.needed).toBe(2);
  expect((await net.q<Scheduled>(["upgrade", "plan"])).plan ?? null).toBeNull();

  await approve("bob");
  const scheduled = await net.q<Scheduled>(["upgrade", "plan"]);
  expect(scheduled.plan).toEqual(expect.objectContaining({ name: "sec-1", height: String(target), source: "PLAN_SOURCE_DCERT", binary_sha256: rel.v2Hash }));

  const res = await net.tx(["upgrade", "cancel-software-upgrade", "--title", "cancel sec-1", "--summary", "not this one", "--deposit", "10000000udcert", "--from", "validator0"]);
  const id = String(res["proposal_id"]);
  await net.voteYes(id);
  expect(await net.proposalOutcome(id)).toBe("PROPOSAL_STATUS_PASSED");
  expect(await net.height()).toBeLessThan(target);
  expect((await net.q<Scheduled>(["upgrade", "plan"])).plan ?? null).toBeNull();
  expect((await net.q<PreApprovals>(["upgrade", "pre-approvals"])).cancelled_names).toContain("sec-1");

  const again = await net.cli(["tx", "upgrade", "pre-approve", "sec-1", "--upgrade-height", String(target + 50), "--binary-sha256", rel.v2Hash, "--from", "alice", "-y", "-o", "json"]);
  expect(`${again.stdout}${again.stderr}`).toMatch(/upgrade:12|cancelled/);
  // The chain passes the cancelled height: nothing halts.
  await net.waitForHeight(target + 2, 0, 300_000);
});

test("a plan pre-approved at quorum executes without a governance vote", async () => {
  const proposalsBefore = await proposalCount();
  const planHeight = (await net.height()) + 40;
  for (const from of ["alice", "bob"]) {
    await net.tx(["upgrade", "pre-approve", "v2", "--upgrade-height", String(planHeight), "--binary-sha256", rel.v2Hash, "--from", from]);
  }
  expect((await net.q<Scheduled>(["upgrade", "plan"])).plan).toEqual(expect.objectContaining({ name: "v2", source: "PLAN_SOURCE_DCERT" }));
  const out = await net.testnet(["upgrade", "--name", "v2", "--binary", rel.v2, "--timeout", "300"], 600_000);
  expect(out).toContain(`node0: halted at ${planHeight} for v2`);
  await net.waitForHeight(planHeight + 2);
  expect((await net.q(["upgrade", "applied", "v2"]))["height"]).toBe(String(planHeight));
  expect(await proposalCount()).toBe(proposalsBefore);
});

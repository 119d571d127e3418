/**
 * Patch readiness by voting power on a 4-validator testnet (issue: coordinated upgrades). Every
 * node starts on the `v1` release; governance schedules plan `v2`; validators switch to the `v2`
 * release (which holds the handler) one by one before the height, as operators pre-install a
 * build. Their vote extensions say so: with two of four switched readiness reads 50% of voting
 * power, has crossed 1/3 but not 2/3; with a third it crosses 2/3. At the height the three
 * upgraded nodes apply v2 and go on; the fourth halts and rejoins on v2. Needs `npm run build`.
 */
import { pollUntil } from "../../src/localnet/proc";
import { makeReleases, removeRoot, tempRoot, UpgradeNet, type Releases } from "./upgrade-harness";

jest.setTimeout(900_000);

interface Readiness {
  readiness?: { plan_name: string; height: string; ready_power: string; total_power: string; one_third_height: string; two_thirds_height: string };
  applied_height: string;
}

interface Builds {
  tally?: { height: string; total_power: string; builds: { build_hash: string; power: string; validators: number; upgrade_handlers: string[] }[] };
}

let root: string;
let rel: Releases;
let net: UpgradeNet;

beforeAll(async () => {
  root = tempRoot("upgrade-readiness");
  rel = makeReleases(root);
  net = new UpgradeNet(root);
  await net.init(4, rel.v1);
  await net.testnet(["start"]);
});

afterAll(async () => {
  await net?.stop();
  if (root !== undefined) removeRoot(root);
});

/** Waits until the readiness of v2 satisfies `ok` (read from node0 after a block with fresh extensions). */
async function readinessUntil(what: string, ok: (r: NonNullable<Readiness["readiness"]>) => boolean): Promise<NonNullable<Readiness["readiness"]>> {
  return pollUntil({
    what,
    check: async () => {
      // -o json is the SDK's proto-JSON: an unset message is null.
      const r = (await net.q<Readiness>(["upgrade", "readiness", "v2"]).catch(() => undefined))?.readiness ?? undefined;
      return r !== undefined && ok(r) ? r : undefined;
    },
    timeoutMs: 120_000,
    intervalMs: 500,
  });
}

/** Waits for a build tally from a block that carries all four validators' extensions and satisfies `ok`. */
async function buildsUntil(what: string, ok: (t: NonNullable<Builds["tally"]>) => boolean): Promise<NonNullable<Builds["tally"]>> {
  return pollUntil({
    what,
    check: async () => {
      const t = (await net.q<Builds>(["upgrade", "builds"]).catch(() => undefined))?.tally ?? undefined;
      const counted = t?.builds.reduce((n, b) => n + b.validators, 0);
      return t !== undefined && counted === 4 && ok(t) ? t : undefined;
    },
    timeoutMs: 120_000,
    intervalMs: 500,
  });
}

test("readiness by voting power follows the validators that switch to a build holding the plan's handler", async () => {
  // Every node reports the v1 build, which holds no handler for v2. A commit needs only 2/3 of the
  // power, so on a busy machine one block's tally can lack a late validator's extension: wait for
  // a block whose tally counts all four.
  const builds = await buildsUntil("a build tally of all four validators", () => true);
  expect(builds.builds).toEqual([expect.objectContaining({ build_hash: expect.stringMatching(/./), validators: 4, upgrade_handlers: [] })]);

  const planHeight = (await net.height()) + 200;
  const res = await net.tx([
    "upgrade", "software-upgrade", "v2",
    "--upgrade-height", String(planHeight),
    "--title", "v2", "--summary", "readiness e2e",
    "--deposit", "10000000udcert",
    "--from", "validator0",
  ]);
  const id = String(res["proposal_id"]);
  await net.voteYes(id);
  expect(await net.proposalOutcome(id)).toBe("PROPOSAL_STATUS_PASSED");
  const none = await readinessUntil("a readiness tally of v2", () => true);
  expect(none.ready_power).toBe("0");
  expect(none.one_third_height).toBe("0");

  // Two of four validators (50% of the power) switch now.
  await net.testnet(["upgrade", "--name", "v2", "--binary", rel.v2, "--now", "--node", "0"]);
  await net.testnet(["upgrade", "--name", "v2", "--binary", rel.v2, "--now", "--node", "1"]);
  const half = await readinessUntil("50% ready", (r) => BigInt(r.ready_power) * 2n === BigInt(r.total_power));
  expect(BigInt(half.one_third_height)).toBeGreaterThan(0n);
  expect(half.two_thirds_height).toBe("0");
  const text = await net.cli(["q", "upgrade", "readiness", "v2"]);
  expect(text.stdout).toMatch(/v2.*50\.0%/);
  const mixed = await buildsUntil("a build tally with v2", (t) => t.builds.some((b) => b.upgrade_handlers.includes("v2")));
  expect(mixed.builds.map((b) => [b.validators, b.upgrade_handlers.includes("v2")]).sort()).toEqual([
    [2, false],
    [2, true],
  ]);

  // A third: 75% > 2/3.
  await net.testnet(["upgrade", "--name", "v2", "--binary", rel.v2, "--now", "--node", "2"]);
  // The record is the latest block's: wait for one that carries all three switched extensions.
  const most = await readinessUntil("75% ready", (r) => BigInt(r.two_thirds_height) > 0n && BigInt(r.ready_power) * 4n === BigInt(r.total_power) * 3n);
  expect(BigInt(most.two_thirds_height)).toBeGreaterThan(BigInt(half.one_third_height));
  expect(BigInt(most.one_third_height)).toBe(BigInt(half.one_third_height));

  // At the height: the three apply v2 and go on (75% of the power); node3 halts and rejoins on v2.
  await net.waitForHeight(planHeight + 2, 0, 400_000);
  expect((await net.q(["upgrade", "applied", "v2"]))["height"]).toBe(String(planHeight));
  const out = await net.testnet(["upgrade", "--name", "v2", "--binary", rel.v2, "--node", "3", "--timeout", "120"], 300_000);
  expect(out).toContain(`node3: halted at ${planHeight} for v2`);
  const top = await net.waitForHeight(planHeight + 4, 3);
  await net.expectEqualAppHashes(planHeight - 2, top);
  expect((await net.q<Readiness>(["upgrade", "readiness", "v2"]))["applied_height"]).toBe(String(planHeight));
});

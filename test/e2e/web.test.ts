/**
 * The web app end to end in headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core) on a real devnet, served as `dcertd devnet` serves it (test/e2e/harness.ts):
 * a delegator connects the development wallet and casts a 50/25/25 vote, and the tallies and the
 * chart change after the block; a candidate accepts admission and appears in the group; a member
 * breaks a route and the broken-routes view shows it with its reason. Every view passes axe-core
 * (no serious or critical violation), the page never reports an unhandled error or a console
 * error, and each view's screenshot is written under test-output/web/.
 *
 * Run after `npm run build` (the app runs from dist/ and the web app from web/dist).
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice } from "@cosmjs/stargate";
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { SigningDcertClient, decimalToFixed18 } from "../../src/client";
import { findRepoRoot } from "../../src/localnet/devnet";
import { pollUntil } from "../../src/localnet/proc";
import { accountValoper } from "../../src/x/staking/keeper";
import { startDevnet, type Devnet } from "./harness";

jest.setTimeout(600_000);

const CHROMIUM = process.env["CHROMIUM_BIN"] ?? "/usr/bin/chromium";
const ROOT = findRepoRoot(__dirname);
const OUT = path.join(ROOT, "test-output", "web");
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
/** The route the member breaks: nothing else in this test sends it. */
const BROKEN = "/cosmos.bank.v1beta1.MsgMultiSend";
const REASON = "e2e: multi-send drains accounts";

interface Actor {
  readonly name: string;
  readonly address: string;
  readonly client: SigningDcertClient;
}

function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  return pollUntil({ what, check: f, timeoutMs, intervalMs: 400 });
}

async function actor(devnet: Devnet, name: string, mnemonic: string): Promise<Actor> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "dcert" });
  const [acc] = await wallet.getAccounts();
  const client = await SigningDcertClient.connectWithSigner(devnet.rpc, wallet, { gasPrice: GasPrice.fromString(`0.025${devnet.denom}`), broadcastPollIntervalMs: 300 });
  return { name, address: acc!.address, client };
}

function ok(res: { code: number; rawLog?: string }, what: string): void {
  if (res.code !== 0) throw new Error(`${what} failed with code ${res.code}: ${res.rawLog ?? ""}`);
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown }[];
}

describe("the web app on a real devnet", () => {
  let devnet: Devnet;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const actors: Record<string, Actor> = {};
  /** Three candidates bonded and accepted, not yet voted for: the targets of the 50/25/25 split. */
  const targets: Actor[] = [];

  beforeAll(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    devnet = await startDevnet();
    for (const a of devnet.accounts) actors[a.name] = await actor(devnet, a.name, a.mnemonic);
    const { validator, alice, bob, carol } = actors as Record<"validator" | "alice" | "bob" | "carol", Actor>;
    for (let i = 0; i < 3; i++) {
      const w = await DirectSecp256k1HdWallet.generate(12, { prefix: "dcert" });
      targets.push(await actor(devnet, `x${i + 1}`, w.mnemonic));
    }
    const coins = (amount: bigint) => [{ denom: devnet.denom, amount: amount.toString() }];
    for (const t of targets) ok(await validator.client.sendTokens(validator.address, t.address, coins(100_000_000n), "auto"), `funding ${t.name}`);
    for (const t of targets) {
      ok(await t.client.bond(t.address, t.address, coins(2_000_000n)[0]!, "auto"), `${t.name}'s bond`);
      ok(await t.client.acceptAdmission(t.address, "auto"), `${t.name}'s acceptance`);
    }
    // Delegators with stake: alice votes in the browser; bob backs carol, who bonds now and accepts
    // in the browser.
    const valoper = accountValoper(validator.address);
    ok(await alice.client.delegateTokens(alice.address, valoper, coins(4_000_000_000n)[0]!, "auto"), "alice's delegation");
    ok(await bob.client.delegateTokens(bob.address, valoper, coins(3_000_000_000n)[0]!, "auto"), "bob's delegation");
    ok(await carol.client.bond(carol.address, carol.address, coins(2_000_000n)[0]!, "auto"), "carol's bond");
    ok(await bob.client.vote(bob.address, [{ candidate: carol.address, share: decimalToFixed18("1") }], "auto"), "bob's vote");

    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (e) => problems.push(`unhandled: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    for (const a of [...Object.values(actors), ...targets]) a.client.disconnect();
    await devnet?.stop();
  });

  afterEach(() => {
    // The page never shows an unhandled error nor logs one.
    expect(problems).toEqual([]);
  });

  /** Opens `#/<hash>` and waits for the view's heading (and for "Loading …" to go). */
  async function open(hash: string): Promise<void> {
    await page.goto(`${devnet.web}/#/${hash}`);
    await page.locator("main section h1").first().waitFor();
    await until(`#/${hash} to load`, async () => ((await page.getByText(/^Loading/).count()) === 0 ? true : undefined));
  }

  /** axe-core on the current view: no serious or critical violation; then a screenshot. */
  async function check(name: string): Promise<void> {
    // This file is compiled without the DOM's types: the page's globals are typed here.
    if (!(await page.evaluate(() => "axe" in globalThis))) await page.addScriptTag({ content: AXE });
    const violations = await page.evaluate(async () => {
      const g = globalThis as unknown as { document: unknown; axe: { run(ctx: unknown, o: object): Promise<{ violations: AxeViolation[] }> } };
      return (await g.axe.run(g.document, { resultTypes: ["violations"] })).violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target) }));
    });
    expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  }

  async function connectAs(name: string): Promise<void> {
    await open("wallet");
    await page.getByText("development wallet — devnet only").first().waitFor();
    await page.getByLabel("development account").selectOption({ label: name });
    await page.getByRole("button", { name: "Connect development wallet" }).click();
    await page.getByText(actors[name]!.address).first().waitFor();
  }

  /** The text of the group table's row of `address` (shown shortened: found by its link's title). */
  async function groupRow(address: string): Promise<string | undefined> {
    const row = page.locator("main tr").filter({ has: page.locator(`a[title="${address}"]`) });
    return (await row.count()) > 0 ? (await row.first().innerText()) : undefined;
  }

  test("every view renders, passes axe and is screenshotted", async () => {
    const nav = await page.goto(`${devnet.web}/`).then(() => page.locator("nav a").evaluateAll((as) => as.map((a) => (a as unknown as { hash: string }).hash.replace(/^#\//, ""))));
    expect(nav).toEqual(expect.arrayContaining(["group", "candidates", "queue", "params", "routes", "governance", "wallet", "vote", "act"]));
    for (const hash of nav) {
      await open(hash);
      await check(hash);
    }
    await open(`member/${targets[0]!.address}`);
    await check("member");
  });

  test("a delegator casts a 50/25/25 vote from the development wallet; tallies and chart follow", async () => {
    await open("group");
    // The tally distribution: a uPlot canvas with a caption saying the same in words.
    const chart = page.locator("main figure.chart").first();
    await chart.locator("canvas").first().waitFor();
    expect(await chart.locator("figcaption").innerText()).toContain("(0 of 7 seats)");
    const before = await chart.locator("canvas").first().screenshot();
    for (const t of targets) expect(await groupRow(t.address)).toBeUndefined();

    await connectAs("alice");
    await open("vote");
    const shares = [50, 25, 25];
    // Each row has a slider (aria-label "share for …") and a number ("percent for …") kept in step.
    for (const [i, t] of targets.entries()) await page.getByLabel(`percent for ${t.address}`).fill(String(shares[i]));
    for (const [i, t] of targets.entries()) expect(Number(await page.getByLabel(`share for ${t.address}`).inputValue())).toBe(shares[i]);
    // The preview: alice's 4,000 DCERT split before signing.
    const preview = page.locator("table.preview tr", { hasText: targets[0]!.address });
    expect(await preview.innerText()).toContain("2000000000");
    await page.screenshot({ path: path.join(OUT, "vote-preview.png"), fullPage: true });
    await page.getByRole("button", { name: "Sign and send vote" }).click();
    const vote = await until("alice's vote on chain", async () => (await actors["alice"]!.client.getVote(actors["alice"]!.address)) ?? undefined);
    expect(vote.entries.map((e) => e.candidate)).toEqual(targets.map((t) => t.address));

    await open("group");
    // 4,000 DCERT of stake: 2,000 / 1,000 / 1,000 DCERT of tally, shown without reloading the data by hand.
    await until("the three targets in the group", async () => {
      const rows = await Promise.all(targets.map((t) => groupRow(t.address)));
      return rows.every((r) => r !== undefined) ? rows : undefined;
    });
    const [r1, r2, r3] = (await Promise.all(targets.map((t) => groupRow(t.address)))) as [string, string, string];
    expect(r1).toContain("2,000,000,000");
    expect(r2).toContain("1,000,000,000");
    expect(r3).toContain("1,000,000,000");
    await until("the chart's caption to count three members", async () => ((await chart.locator("figcaption").innerText()).includes("(3 of 7 seats)") ? true : undefined));
    await until("the chart to change", async () => (Buffer.compare(await chart.locator("canvas").first().screenshot(), before) !== 0 ? true : undefined));
    await check("group-after-vote");
  });

  test("a candidate accepts admission and appears in the group", async () => {
    const carol = actors["carol"]!;
    await connectAs("carol");
    await open("act");
    await page.getByRole("button", { name: "Accept admission" }).click();
    await until("carol a member", async () => ((await carol.client.getGroup()).members.some((m) => m.address === carol.address) ? true : undefined));
    await open("group");
    await until("carol in the group view", async () => ((await groupRow(carol.address)) !== undefined ? true : undefined));
    await check("group-after-accept");
  });

  test("a member breaks a route; the broken-routes view shows it with its reason", async () => {
    const carol = actors["carol"]!;
    await open("act");
    const form = page.locator("form", { has: page.getByRole("button", { name: "Break route" }) });
    await form.getByLabel(/^Routes/).fill(BROKEN);
    await form.getByLabel("Reason", { exact: true }).fill(REASON);
    await form.getByRole("button", { name: "Break route" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    // The confirmation names what stops working.
    expect(await dialog.innerText()).toContain(BROKEN);
    await check("break-route-dialog");
    await dialog.getByRole("button", { name: "Confirm: break" }).click();
    await until("the route broken on chain", async () => ((await carol.client.isRouteBroken(BROKEN)).broken ? true : undefined));
    await open("routes");
    await until("the broken route listed", async () => {
      const row = page.locator("main tr", { hasText: BROKEN });
      return (await row.count()) > 0 ? row.first().innerText() : undefined;
    }).then((text) => {
      expect(text).toContain(REASON);
    });
    await check("routes-after-break");
  });
});

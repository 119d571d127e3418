/**
 * The REST API as a browser wallet or explorer uses it: a devnet (REST with CORS on), a page served
 * from another origin (a tiny HTTP server on another reserved port), and headless Debian Chromium
 * (playwright-core, /usr/bin/chromium) fetching Ping.pub-style routes from the page. The browser
 * enforces CORS itself, so every answer read here proves the headers are right, including the
 * preflight of a JSON POST. Then `dcertd chain-info`'s Keplr ChainInfo: its `rest` is the REST
 * URL, and the page reads the denom metadata through it.
 *
 * Needs `npm run build`, CometBFT (scripts/install-cometbft.sh) and Debian's chromium
 * (`apt-get install chromium`; .ci/run installs it).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { StargateClient } from "@cosmjs/stargate";
import { chromium, type Browser, type Page } from "playwright-core";
import { compiledDcertd, findRepoRoot } from "../../src/localnet/devnet";
import { reservePorts, type PortReservation } from "../../src/localnet/proc";
import { chainRegistryValidator } from "../helpers/chain-registry-schemas";
import { startDevnet, type Devnet } from "./harness";

jest.setTimeout(300_000);

const CHROMIUM = "/usr/bin/chromium";
const run = promisify(execFile);

/** What the page's fetch saw: the HTTP status, the JSON body, and the CORS header it could read. */
interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly allowOrigin: string | null;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Serves one empty HTML page on a reserved port: the other origin the fetches come from. */
async function pageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const reservation: PortReservation = await reservePorts(1);
  const [port] = reservation.ports as [number];
  await reservation.unhold();
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><html><head><title>dCERT explorer</title></head><body></body></html>");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await reservation.release();
    },
  };
}

/** Fetches `urls` from inside the page (the browser's CORS rules apply); a blocked fetch rejects. */
async function fetchFromPage(page: Page, requests: readonly { url: string; method?: string; body?: string }[]): Promise<Answer[]> {
  return page.evaluate(async (reqs) => {
    const out: { status: number; body: unknown; allowOrigin: string | null }[] = [];
    for (const r of reqs) {
      const init: RequestInit = r.method === "POST" ? { method: "POST", headers: { "content-type": "application/json" }, body: r.body ?? "{}" } : {};
      const res = await fetch(r.url, init);
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      out.push({ status: res.status, body, allowOrigin: res.headers.get("access-control-allow-origin") });
    }
    return out;
  }, requests);
}

describe("REST from a browser page on another origin (CORS in headless Chromium)", () => {
  let devnet: Devnet | undefined;
  let site: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
    devnet = await startDevnet();
    site = await pageServer();
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage();
    await page.goto(site.url);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await devnet?.stop();
  });

  function env(): { devnet: Devnet; rest: string; page: Page; origin: string } {
    if (devnet === undefined || page === undefined || site === undefined) throw new Error("the devnet, the page or the browser did not start");
    if (devnet.rest === "") throw new Error("the devnet serves no REST API (Devnet.rest is empty)");
    return { devnet, rest: devnet.rest, page, origin: new URL(site.url).origin };
  }

  test("Ping.pub-style routes answer the page, with the values the chain has", async () => {
    const { devnet: net, rest, page: p, origin } = env();
    expect(new URL(rest).origin).not.toBe(origin);
    const holder = net.accounts[1];
    if (holder === undefined) throw new Error("the devnet has no second account");
    const routes = [
      "/cosmos/base/tendermint/v1beta1/node_info",
      "/cosmos/base/tendermint/v1beta1/blocks/latest",
      "/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED&pagination.count_total=true",
      "/cosmos/staking/v1beta1/pool",
      "/cosmos/bank/v1beta1/supply",
      "/cosmos/bank/v1beta1/denoms_metadata",
      `/cosmos/bank/v1beta1/balances/${holder.address}`,
      "/cosmos/gov/v1/proposals?pagination.limit=10",
      "/cosmos/slashing/v1beta1/params",
      "/cosmos/auth/v1beta1/bech32",
      "/dcert/v1/params",
      "/dcert/v1/group",
    ];
    const answers = await fetchFromPage(
      p,
      routes.map((r) => ({ url: `${rest}${r}` })),
    );
    const by = new Map(routes.map((r, i) => [r, answers[i] as Answer]));
    for (const [route, a] of by) {
      expect([route, a.status]).toEqual([route, 200]);
      expect([route, a.allowOrigin]).toEqual([route, "*"]);
    }
    const body = (route: string): Obj => obj(by.get(route)?.body);

    const nodeInfo = body(routes[0] as string);
    expect(obj(nodeInfo["default_node_info"])["network"]).toBe(net.chainId);
    expect(String(obj(nodeInfo["application_version"])["cosmos_sdk_version"])).toMatch(/^v0\.50\./);

    const header = obj(obj(body(routes[1] as string)["block"])["header"]);
    expect(header["chain_id"]).toBe(net.chainId);
    expect(Number(header["height"])).toBeGreaterThan(0);

    const validators = body(routes[2] as string);
    expect(list(validators["validators"]).map((v) => obj(v)["status"])).toEqual(["BOND_STATUS_BONDED"]);
    expect(obj(validators["pagination"])["total"]).toBe("1");
    expect(BigInt(String(obj(body(routes[3] as string)["pool"])["bonded_tokens"]))).toBeGreaterThan(0n);

    const supply = list(body(routes[4] as string)["supply"]).map(obj);
    expect(BigInt(String(supply.find((c) => c["denom"] === net.denom)?.["amount"] ?? "0"))).toBeGreaterThan(0n);

    const metadata = list(body(routes[5] as string)["metadatas"]).map(obj);
    expect(metadata.map((m) => [m["base"], m["display"], m["symbol"]])).toEqual([["udcert", "dcert", "DCERT"]]);
    expect(metadata[0]?.["denom_units"]).toEqual([
      { denom: "udcert", exponent: 0, aliases: [] },
      { denom: "dcert", exponent: 6, aliases: [] },
    ]);

    // The same balance as an ABCI query through CosmJS (the second account pays no fees here).
    const stargate = await StargateClient.connect(net.rpc);
    try {
      const viaAbci = await stargate.getBalance(holder.address, net.denom);
      expect(list(body(routes[6] as string)["balances"])).toEqual([{ denom: net.denom, amount: viaAbci.amount }]);
    } finally {
      stargate.disconnect();
    }

    expect(body(routes[7] as string)["proposals"]).toEqual([]);
    expect(obj(body(routes[8] as string)["params"])["signed_blocks_window"]).toBe("20");
    expect(body(routes[9] as string)).toEqual({ bech32_prefix: "dcert" });
    expect(Object.keys(obj(body(routes[10] as string)["params"])).length).toBeGreaterThan(0);
    expect(by.get(routes[11] as string)?.body).toEqual(expect.any(Object));
  });

  test("a JSON POST passes the browser's preflight and an error answers as gateway JSON", async () => {
    const { rest, page: p } = env();
    const [simulate] = await fetchFromPage(p, [{ url: `${rest}/cosmos/tx/v1beta1/simulate`, method: "POST", body: JSON.stringify({ tx_bytes: "AAAA" }) }]);
    expect(simulate?.allowOrigin).toBe("*");
    expect(simulate?.status).toBeGreaterThanOrEqual(400);
    expect(simulate?.body).toEqual({ code: expect.any(Number), message: expect.any(String), details: [] });
    const [missing] = await fetchFromPage(p, [{ url: `${rest}/cosmos/bank/v1beta1/denoms_metadata/unone` }]);
    expect(missing).toEqual({ status: 404, body: { code: 5, message: expect.stringContaining("client metadata for denom unone"), details: [] }, allowOrigin: "*" });
  });

  test("dcertd chain-info's Keplr ChainInfo carries the REST URL, and the page reads the metadata through it", async () => {
    const { devnet: net, rest, page: p } = env();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-chaininfo-"));
    try {
      const script = compiledDcertd(findRepoRoot(__dirname));
      const { stdout } = await run(process.execPath, [script, "chain-info", "--node", net.rpc, "--rest", rest, "--out", out, "-o", "json"], { timeout: 120_000 });
      const printed = JSON.parse(stdout) as Record<string, Obj>;
      const keplr = JSON.parse(fs.readFileSync(path.join(out, "keplr-chain-info.json"), "utf8")) as Obj;
      expect(keplr).toEqual(printed["keplr-chain-info.json"]);
      expect(keplr).toMatchObject({ chainId: net.chainId, rpc: net.rpc, rest, stakeCurrency: { coinDenom: "DCERT", coinMinimalDenom: "udcert", coinDecimals: 6 } });
      expect(chainRegistryValidator("chain")(printed["chain.json"])).toEqual([]);
      expect(chainRegistryValidator("assetlist")(printed["assetlist.json"])).toEqual([]);
      const [answer] = await fetchFromPage(p, [{ url: `${String(keplr["rest"])}/cosmos/bank/v1beta1/denoms_metadata` }]);
      expect(answer?.status).toBe(200);
      expect(list(obj(answer?.body)["metadatas"]).map((m) => obj(m)["base"])).toEqual(["udcert"]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

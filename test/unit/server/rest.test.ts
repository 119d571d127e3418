/**
 * The REST gateway on an in-process app: routes from the generated table, path and query
 * parameters, POST bodies, errors, CORS and the height header, answered by the app's query router
 * exactly as an ABCI query.
 */
import { directWallet, msgSend, signDirect, testFee, TEST_CHAIN_ID, TEST_MNEMONIC_2 } from "../../helpers/txs";
import { testChain, type TestChain } from "../../helpers/app";
import { appQueryHandlers, createBackend, ApiError, GrpcCode, type MethodHandler } from "../../../src/server/backend";
import { startRestServer, findRoute, buildRoutes, parseTemplate, matchTemplate, parseListenAddress, httpStatusOf, type RestServer } from "../../../src/server/rest";
import { GATEWAY_ROUTES } from "../../../src/generated/gateway/routes";

type Json = Record<string, unknown>;

let chain: TestChain;
let rest: RestServer;
let plain: RestServer;
let alice: string;
let bob: string;
const logs: string[] = [];

beforeAll(async () => {
  alice = (await (await directWallet()).getAccounts())[0]?.address ?? "";
  bob = (await (await directWallet(TEST_MNEMONIC_2)).getAccounts())[0]?.address ?? "";
  chain = testChain({
    accounts: [{ address: alice, amount: 10_000_000_000n }, { address: bob, amount: 5_000_000n }],
    // Three more denoms in bob's account, for pagination.
    editGenesis: (state) => {
      const bank = state["bank"] as { balances: { address: string; coins: { denom: string; amount: string }[] }[]; supply: { denom: string; amount: string }[] };
      const extra = ["uaaa", "ubbb", "uccc"].map((denom) => ({ denom, amount: "9" }));
      const byDenom = (a: { denom: string }, b: { denom: string }): number => (a.denom < b.denom ? -1 : 1);
      const entry = bank.balances.find((b) => b.address === bob);
      if (entry !== undefined) entry.coins = [...entry.coins, ...extra].sort(byDenom);
      if (bank.supply.length > 0) bank.supply = [...bank.supply, ...extra].sort(byDenom);
    },
  });
  chain.block();
  chain.block();
  // A method the app does not serve, failing the way a node service can.
  const extra = new Map<string, MethodHandler>([
    ["/cosmos.base.tendermint.v1beta1.Service/GetSyncing", () => Promise.reject(new ApiError(GrpcCode.UNAVAILABLE, "CometBFT RPC unreachable"))],
  ]);
  const backend = createBackend(appQueryHandlers(chain.app), extra);
  rest = await startRestServer(backend, { address: "tcp://127.0.0.1:0", cors: true, log: (l) => logs.push(l) });
  plain = await startRestServer(backend, { address: "tcp://127.0.0.1:0", cors: false, log: (l) => logs.push(l) });
  // Three text proposals (gov v1), for pagination over a store range.
  const acc = (await get(`/cosmos/auth/v1beta1/accounts/${alice}`)).body["account"] as Json;
  const wallet = await directWallet();
  for (let i = 0; i < 3; i++) {
    const msg = { typeUrl: "/cosmos.gov.v1.MsgSubmitProposal", value: { messages: [], initialDeposit: [{ denom: "udcert", amount: "200000" }], proposer: alice, metadata: "ipfs://text", title: `t${i}`, summary: "s", expedited: false } };
    const tx = await signDirect(wallet, { msgs: [msg], fee: testFee(), chainId: TEST_CHAIN_ID, accountNumber: BigInt(acc["account_number"] as string), sequence: BigInt(acc["sequence"] as string) + BigInt(i) });
    const r = chain.deliver(tx);
    if (r.code !== 0) throw new Error(`proposal ${i}: ${r.log}`);
  }
});

afterAll(async () => {
  await rest?.close();
  await plain?.close();
});

async function get(path: string, init: RequestInit = {}, server: RestServer = rest): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text === "" ? {} : (JSON.parse(text) as Json), headers: res.headers };
}

describe("routes", () => {
  test("bank balances by address, and by denom from a query parameter", async () => {
    const all = await get(`/cosmos/bank/v1beta1/balances/${alice}`);
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toBe("application/json");
    expect(all.body["balances"]).toEqual([{ denom: "udcert", amount: expect.stringMatching(/^\d+$/) }]);
    const one = await get(`/cosmos/bank/v1beta1/balances/${bob}/by_denom?denom=udcert`);
    expect(one.body).toEqual({ balance: { denom: "udcert", amount: "5000000" } });
  });

  test("staking validators with a status filter, decimals as the SDK writes them", async () => {
    const bonded = await get("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED");
    expect(bonded.status).toBe(200);
    const vals = bonded.body["validators"] as Json[];
    expect(vals).toHaveLength(1);
    expect(vals[0]?.["status"]).toBe("BOND_STATUS_BONDED");
    expect(vals[0]?.["delegator_shares"]).toMatch(/^\d+\.\d{18}$/);
    expect(vals[0]?.["consensus_pubkey"]).toMatchObject({ "@type": "/cosmos.crypto.ed25519.PubKey" });
    expect((await get("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_UNBONDED")).body["validators"]).toEqual([]);
    const val = vals[0]?.["operator_address"] as string;
    const dels = await get(`/cosmos/staking/v1beta1/validators/${val}/delegations`);
    expect(dels.body["delegation_responses"]).toHaveLength(1);
  });

  test("pagination parameters as the gateway names them (snake_case and lowerCamel)", async () => {
    const base = "/cosmos/gov/v1/proposals";
    const ids = (b: Json): unknown[] => (b["proposals"] as Json[]).map((p) => p["id"]);
    const first = await get(`${base}?pagination.limit=2&pagination.count_total=true`);
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual(["1", "2"]);
    const page = first.body["pagination"] as Json;
    expect(page["total"]).toBe("3");
    expect(typeof page["next_key"]).toBe("string");
    const second = await get(`${base}?pagination.limit=2&pagination.key=${encodeURIComponent(page["next_key"] as string)}`);
    expect(ids(second.body)).toEqual(["3"]);
    expect((second.body["pagination"] as Json)["next_key"]).toBeNull();
    const camel = await get(`${base}?pagination.limit=2&pagination.countTotal=true`);
    expect(camel.body).toEqual(first.body);
    expect(ids((await get(`${base}?pagination.limit=1&pagination.reverse=true`)).body)).toEqual(["3"]);
    expect(ids((await get(`${base}?pagination.offset=1`)).body)).toEqual(["2", "3"]);
    // An enum filter by name.
    const deposit = await get(`${base}?proposal_status=PROPOSAL_STATUS_DEPOSIT_PERIOD`);
    expect(ids(deposit.body)).toEqual(["1", "2", "3"]);
    expect((deposit.body["proposals"] as Json[])[0]).toMatchObject({ title: "t0", summary: "s", messages: [], status: "PROPOSAL_STATUS_DEPOSIT_PERIOD" });
    // v1beta1 shows the same proposals.
    expect(((await get("/cosmos/gov/v1beta1/proposals")).body["proposals"] as Json[]).map((p) => p["proposal_id"])).toEqual(["1", "2", "3"]);
    expect(ids((await get(`${base}?proposal_status=PROPOSAL_STATUS_PASSED`)).body)).toEqual([]);
  });

  test("an account as an expanded Any; auth bech32", async () => {
    const acc = await get(`/cosmos/auth/v1beta1/accounts/${alice}`);
    expect(acc.body["account"]).toMatchObject({ "@type": "/cosmos.auth.v1beta1.BaseAccount", address: alice, account_number: expect.stringMatching(/^\d+$/) });
    expect((await get("/cosmos/auth/v1beta1/bech32")).body).toEqual({ bech32_prefix: "dcert" });
  });

  test("dCERT routes: group, params, a member by address, is-broken with a type URL in the path", async () => {
    const group = await get("/dcert/v1/group");
    expect(group.status).toBe(200);
    expect(group.body).toMatchObject({ members: expect.any(Array), max_members: expect.any(Number), last_sequence: expect.stringMatching(/^\d+$/) });
    const params = await get("/dcert/v1/params");
    expect(params.body["params"]).not.toBeNull();
    const member = await get(`/dcert/v1/members/${alice}`);
    expect(member.status).toBe(200);
    expect(member.body["status"]).toMatchObject({ address: alice });
    const broken = await get(`/dcert/v1/broken_routes/${encodeURIComponent("/cosmos.bank.v1beta1.MsgSend")}`);
    expect(broken.body).toEqual({ broken: false, rule: "" });
    expect((await get("/dcert/coord/v1/params")).status).toBe(200);
    expect((await get("/dcert/upgrade/v1/params")).status).toBe(200);
    expect((await get("/dcert/coord/v1/metrics/0")).body).toEqual((await get("/dcert/coord/v1/metrics")).body);
  });

  test("POST simulate with a JSON body of tx bytes", async () => {
    const acc = (await get(`/cosmos/auth/v1beta1/accounts/${alice}`)).body["account"] as Json;
    const tx = await signDirect(await directWallet(), { msgs: [msgSend(alice, bob, 7)], fee: testFee(), chainId: TEST_CHAIN_ID, accountNumber: BigInt(acc["account_number"] as string), sequence: BigInt(acc["sequence"] as string) });
    const sim = await get("/cosmos/tx/v1beta1/simulate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tx_bytes: Buffer.from(tx).toString("base64") }) });
    expect(sim.status).toBe(200);
    expect(Number((sim.body["gas_info"] as Json)["gas_used"])).toBeGreaterThan(0);
    expect((sim.body["result"] as Json)["events"]).toEqual(expect.any(Array));
    const bad = await get("/cosmos/tx/v1beta1/simulate", { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 3, message: expect.stringContaining("not JSON"), details: [] });
  });
});

describe("errors", () => {
  test("unknown route: 404 with the gateway's body", async () => {
    const r = await get("/cosmos/nothing/here");
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ code: 5, message: "Not Found", details: [] });
  });

  test("a bad address: 400 INVALID_ARGUMENT with the app's message", async () => {
    const r = await get("/cosmos/bank/v1beta1/balances/notanaddress");
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 3, details: [] });
    expect(String(r.body["message"]).length).toBeGreaterThan(0);
  });

  test("a bad query parameter: 400 naming it", async () => {
    const r = await get(`/cosmos/bank/v1beta1/balances/${bob}?pagination.limit=ten`);
    expect(r.status).toBe(400);
    expect(r.body["message"]).toContain("pagination.limit");
    const twice = await get(`/cosmos/bank/v1beta1/balances/${bob}/by_denom?denom=a&denom=b`);
    expect(twice.status).toBe(400);
    // Unknown parameters are ignored, as grpc-gateway v1 ignores them.
    expect((await get(`/cosmos/bank/v1beta1/balances/${bob}?cachebust=1`)).status).toBe(200);
  });

  test("a failing service maps its gRPC code to the gateway's HTTP status", async () => {
    const r = await get("/cosmos/base/tendermint/v1beta1/syncing");
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ code: 14, message: "CometBFT RPC unreachable", details: [] });
    expect(logs.some((l) => l.includes("CometBFT RPC unreachable"))).toBe(true);
  });

  test("a route whose method is not served is not routed; a wrong verb is 405", async () => {
    expect((await get("/cosmos/tx/v1beta1/txs/ABCD")).status).toBe(404);
    const r = await get("/cosmos/bank/v1beta1/balances/x", { method: "POST", body: "{}" });
    expect(r.status).toBe(405);
    expect(r.body).toEqual({ code: 12, message: "Method Not Allowed", details: [] });
  });

  test("the height header: the latest height by default, a malformed one refused", async () => {
    expect((await get("/dcert/v1/params", { headers: { "x-cosmos-block-height": "0" } })).status).toBe(200);
    const r = await get("/dcert/v1/params", { headers: { "x-cosmos-block-height": "-1" } });
    expect(r.status).toBe(400);
    expect(r.body["message"]).toContain("x-cosmos-block-height");
  });
});

describe("CORS", () => {
  test("on: every answer carries the headers; a preflight is answered", async () => {
    const r = await get("/cosmos/bank/v1beta1/denoms_metadata", { headers: { origin: "https://explorer.example" } });
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect((await get("/nope")).headers.get("access-control-allow-origin")).toBe("*");
    const pre = await fetch(`${rest.url}/cosmos/tx/v1beta1/txs`, {
      method: "OPTIONS",
      headers: { origin: "https://explorer.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-cosmos-block-height" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    expect(pre.headers.get("access-control-allow-headers")).toBe("content-type,x-cosmos-block-height");
  });

  test("off: no CORS headers, no preflight", async () => {
    const r = await get("/dcert/v1/params", {}, plain);
    expect(r.status).toBe(200);
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await fetch(`${plain.url}/dcert/v1/params`, { method: "OPTIONS" });
    expect(pre.status).toBe(405);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("route table", () => {
  test("every generated route parses, and the more literal of two matches wins", () => {
    const routes = buildRoutes(() => true);
    expect(routes).toHaveLength(GATEWAY_ROUTES.length);
    const latest = findRoute(routes, "GET", "/cosmos/base/tendermint/v1beta1/validatorsets/latest");
    expect(latest !== undefined && latest !== "wrongVerb" && latest.route.method).toBe("/cosmos.base.tendermint.v1beta1.Service/GetLatestValidatorSet");
    const byHeight = findRoute(routes, "GET", "/cosmos/base/tendermint/v1beta1/validatorsets/12");
    expect(byHeight !== undefined && byHeight !== "wrongVerb" && byHeight.vars.get("height")).toBe("12");
    for (const r of GATEWAY_ROUTES) {
      // Each route is reachable from a concrete path built from its own template.
      const path = r.pattern.replace(/\{[^}=]+=\*\*\}/g, "a/b").replace(/\{[^}]+\}/g, "x1");
      const m = findRoute(routes, r.verb, path);
      expect(m).not.toBe(undefined);
    }
  });

  test("templates: variables, globs and percent-decoding", () => {
    const t = parseTemplate("/a/{x.y}/b/{rest=**}");
    expect(matchTemplate(t, ["a", "v%2F1", "b", "c", "d"])).toEqual(new Map([["x.y", "v/1"], ["rest", "c/d"]]));
    expect(matchTemplate(t, ["a", "v", "b"])).toBeUndefined();
    expect(matchTemplate(t, ["a", "", "b", "c"])).toBeUndefined();
    expect(() => parseTemplate("/a/{x")).toThrow("unclosed");
    expect(() => parseTemplate("/a/{rest=**}/b")).toThrow('"**" must be last');
    expect(() => parseTemplate("/a/b:verb")).toThrow("unsupported segment");
  });

  test("listen addresses and HTTP statuses", () => {
    expect(parseListenAddress("tcp://127.0.0.1:1317")).toEqual({ host: "127.0.0.1", port: 1317 });
    expect(parseListenAddress("0.0.0.0:9")).toEqual({ host: "0.0.0.0", port: 9 });
    expect(parseListenAddress("[::1]:1317")).toEqual({ host: "::1", port: 1317 });
    expect(() => parseListenAddress("localhost")).toThrow("bad listen address");
    expect([3, 5, 7, 8, 9, 12, 14, 4, 13, 2].map((c) => httpStatusOf(c))).toEqual([400, 404, 403, 429, 400, 501, 503, 504, 500, 500]);
  });
});

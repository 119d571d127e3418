/**
 * `dcertd chain-info`: the document builders (chain-registry chain.json and assetlist.json, the
 * Keplr/Leap ChainInfo), validated against the chain-registry's own JSON schemas; reading the
 * facts from a node (a fake CometBFT RPC in front of an in-process chain: /status, /abci_info and
 * /abci_query answered by the app); the command's files and -o json; usage mistakes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { runCli } from "../../../src/cli/args";
import { UsageError } from "../../../src/cli/errors";
import {
  chainInfoDocuments,
  chainRegistryAssetList,
  chainRegistryChain,
  guessNetworkType,
  keplrChainInfo,
  makeChainInfoCommand,
  parseGasPriceStep,
  readChainFacts,
  type ChainFacts,
  type PublishOptions,
} from "../../../src/cli/chaininfo";
import type { RpcGet } from "../../../src/cli/status";
import { fromHex, toBase64 } from "@cosmjs/encoding";
import { chainRegistryValidator } from "../../helpers/chain-registry-schemas";
import { testChain } from "../../helpers/app";
import { directWallet, firstAccount, TEST_MNEMONIC } from "../../helpers/txs";

const DCERT = {
  description: "The staking and fee token of the dCERT chain.",
  denomUnits: [
    { denom: "udcert", exponent: 0, aliases: [] },
    { denom: "dcert", exponent: 6, aliases: [] },
  ],
  base: "udcert",
  display: "dcert",
  name: "dCERT",
  symbol: "DCERT",
  uri: "",
  uriHash: "",
};
const FACTS: ChainFacts = {
  chainId: "dcert-devnet-1",
  cometbftVersion: "0.38.17",
  appVersion: "0.1.0",
  bondDenom: "udcert",
  unbondingSeconds: 1_814_400n,
  metadata: [
    { ...DCERT, base: "uatom", display: "atom", name: "Atom", symbol: "ATOM", description: "", denomUnits: [{ denom: "uatom", exponent: 0, aliases: ["microatom"] }, { denom: "atom", exponent: 6, aliases: [] }] },
    DCERT,
  ],
};
const OPTS: PublishOptions = {
  rpc: "http://127.0.0.1:26657",
  rest: "http://127.0.0.1:1317",
  grpc: "127.0.0.1:9090",
  chainName: "dcert",
  prettyName: "dCERT",
  networkType: "devnet",
  gasPriceStep: { low: "0.025", average: "0.03", high: "0.04" },
};

describe("document builders", () => {
  const chain = chainRegistryValidator("chain");
  const assets = chainRegistryValidator("assetlist");

  test("chain.json: ids, endpoints, fee and staking tokens; valid by chain.schema.json", () => {
    const doc = chainRegistryChain(FACTS, OPTS);
    expect(doc).toMatchObject({
      $schema: "../chain.schema.json",
      chain_name: "dcert",
      chain_type: "cosmos",
      chain_id: "dcert-devnet-1",
      status: "live",
      network_type: "devnet",
      bech32_prefix: "dcert",
      slip44: 118,
      fees: { fee_tokens: [{ denom: "udcert", fixed_min_gas_price: 0.025, low_gas_price: 0.025, average_gas_price: 0.03, high_gas_price: 0.04 }] },
      staking: { staking_tokens: [{ denom: "udcert" }], lock_duration: { time: "1814400s" } },
      codebase: { recommended_version: "0.1.0", consensus: { type: "cometbft", version: "0.38.17" } },
      apis: { rpc: [{ address: OPTS.rpc }], rest: [{ address: OPTS.rest }], grpc: [{ address: OPTS.grpc }] },
    });
    expect(chain(doc)).toEqual([]);
    // A CometBFT version the schema's pattern does not take is left out rather than published.
    expect(chainRegistryChain({ ...FACTS, cometbftVersion: "0.38.17-dev+abc" }, OPTS)["codebase"]).toEqual({ recommended_version: "0.1.0", language: { type: "other" }, consensus: { type: "cometbft" } });
    expect(chain(chainRegistryChain({ ...FACTS, cometbftVersion: "0.38.17-dev+abc", appVersion: "" }, OPTS))).toEqual([]);
  });

  test("assetlist.json: the staking token first with its units; valid by assetlist.schema.json", () => {
    const doc = chainRegistryAssetList(FACTS, OPTS);
    expect(doc).toEqual({
      $schema: "../assetlist.schema.json",
      chain_name: "dcert",
      assets: [
        {
          description: "The staking and fee token of the dCERT chain.",
          denom_units: [
            { denom: "udcert", exponent: 0 },
            { denom: "dcert", exponent: 6 },
          ],
          type_asset: "sdk.coin",
          base: "udcert",
          name: "dCERT",
          display: "dcert",
          symbol: "DCERT",
        },
        {
          denom_units: [
            { denom: "uatom", exponent: 0, aliases: ["microatom"] },
            { denom: "atom", exponent: 6 },
          ],
          type_asset: "sdk.coin",
          base: "uatom",
          name: "Atom",
          display: "atom",
          symbol: "ATOM",
        },
      ],
    });
    expect(assets(doc)).toEqual([]);
  });

  test("the schemas do reject what is wrong (the validation is not vacuous)", () => {
    const doc = chainRegistryChain(FACTS, OPTS);
    const { chain_id: _dropped, ...noChainId } = doc;
    expect(chain(noChainId).map((e) => e.keyword)).toContain("required");
    expect(chain({ ...doc, network_type: "beta" }).length).toBeGreaterThan(0);
    const list = chainRegistryAssetList(FACTS, OPTS);
    expect(assets({ ...list, assets: [{ ...(list["assets"] as object[])[0], type_asset: "coin" }] }).length).toBeGreaterThan(0);
    expect(assets({ ...list, extra: 1 }).map((e) => e.keyword)).toContain("additionalProperties");
  });

  test("Keplr ChainInfo: rpc, rest, bech32Config, currencies with 6 decimals, gasPriceStep, stakeCurrency", () => {
    expect(keplrChainInfo(FACTS, OPTS)).toEqual({
      chainId: "dcert-devnet-1",
      chainName: "dCERT",
      rpc: OPTS.rpc,
      rest: OPTS.rest,
      bip44: { coinType: 118 },
      bech32Config: {
        bech32PrefixAccAddr: "dcert",
        bech32PrefixAccPub: "dcertpub",
        bech32PrefixValAddr: "dcertvaloper",
        bech32PrefixValPub: "dcertvaloperpub",
        bech32PrefixConsAddr: "dcertvalcons",
        bech32PrefixConsPub: "dcertvalconspub",
      },
      currencies: [
        { coinDenom: "DCERT", coinMinimalDenom: "udcert", coinDecimals: 6 },
        { coinDenom: "ATOM", coinMinimalDenom: "uatom", coinDecimals: 6 },
      ],
      feeCurrencies: [{ coinDenom: "DCERT", coinMinimalDenom: "udcert", coinDecimals: 6, gasPriceStep: { low: 0.025, average: 0.03, high: 0.04 } }],
      stakeCurrency: { coinDenom: "DCERT", coinMinimalDenom: "udcert", coinDecimals: 6 },
      features: [],
    });
  });

  test("a bond denom without metadata is published in base units (and still valid)", () => {
    const facts: ChainFacts = { ...FACTS, bondDenom: "stake", metadata: [] };
    expect(keplrChainInfo(facts, OPTS)["stakeCurrency"]).toEqual({ coinDenom: "STAKE", coinMinimalDenom: "stake", coinDecimals: 0 });
    expect(assets(chainRegistryAssetList(facts, OPTS))).toEqual([]);
    expect(chain(chainRegistryChain(facts, OPTS))).toEqual([]);
  });
});

describe("flags", () => {
  test("--gas-price-step: three canonical decimals, not decreasing", () => {
    expect(parseGasPriceStep("0.025,0.03,0.04")).toEqual({ low: "0.025", average: "0.03", high: "0.04" });
    expect(parseGasPriceStep("0,0,0")).toEqual({ low: "0", average: "0", high: "0" });
    for (const bad of ["0.025,0.03", "0.04,0.03,0.05", "1e3,2,3", "-1,0,1", ".5,1,2", "a,b,c", "1,2,3,4"]) expect(() => parseGasPriceStep(bad)).toThrow(UsageError);
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const r = parseGasPriceStep(s);
          expect(Number(r.low)).toBeLessThanOrEqual(Number(r.high));
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
        }
      }),
    );
  });

  test("the network type follows the chain id unless given", () => {
    expect(guessNetworkType("dcert-devnet-1")).toBe("devnet");
    expect(guessNetworkType("dcert-testnet-2")).toBe("testnet");
    expect(guessNetworkType("dcert-1")).toBe("mainnet");
  });
});

/** A CometBFT RPC in front of an in-process chain: /status, /abci_info and /abci_query (URI form). */
async function chainRpc(): Promise<RpcGet & { routes: string[] }> {
  const alice = (await firstAccount(await directWallet(TEST_MNEMONIC))).address;
  const c = testChain({ accounts: [{ address: alice, amount: 10_000_000_000n }], chainId: "dcert-devnet-7" });
  c.block();
  const routes: string[] = [];
  const rpc = (_node: string, route: string): Promise<unknown> => {
    routes.push(route);
    if (route === "status") return Promise.resolve({ node_info: { network: "dcert-devnet-7", version: "0.38.17" }, sync_info: { latest_block_height: "1" } });
    if (route === "abci_info") return Promise.resolve({ response: { data: "dcertd", version: "0.1.0" } });
    const m = /^abci_query\?path=([^&]+)&data=0x([0-9a-f]*)$/.exec(route);
    if (m === null) return Promise.reject(new Error(`unexpected route ${route}`));
    const r = c.app.query({ path: JSON.parse(decodeURIComponent(m[1] ?? "")) as string, data: fromHex(m[2] ?? ""), height: 0n, prove: false });
    return Promise.resolve({ response: { code: r.code, log: r.log, codespace: r.codespace, value: toBase64(r.value) } });
  };
  return Object.assign(rpc, { routes });
}

async function run(rpc: RpcGet, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
  const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
  try {
    return { code: await runCli("dcertd", [makeChainInfoCommand({ rpc })], argv), out: out.join("\n"), err: err.join("\n") };
  } finally {
    a.mockRestore();
    b.mockRestore();
  }
}

describe("reading a node", () => {
  test("readChainFacts: chain id, versions, bond denom, unbonding time and the devnet's udcert metadata", async () => {
    const rpc = await chainRpc();
    const facts = await readChainFacts(rpc, "http://node:26657");
    expect(facts).toMatchObject({ chainId: "dcert-devnet-7", cometbftVersion: "0.38.17", appVersion: "0.1.0", bondDenom: "udcert" });
    expect(facts.unbondingSeconds).toBeGreaterThan(0n);
    expect(facts.metadata.map((m) => [m.base, m.symbol, m.display])).toEqual([["udcert", "DCERT", "dcert"]]);
    expect(rpc.routes.some((r) => r.startsWith("abci_query?path=%22%2Fcosmos.bank.v1beta1.Query%2FDenomsMetadata%22"))).toBe(true);
  });

  test("the command writes the three files into --out and prints them with -o json", async () => {
    const rpc = await chainRpc();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chaininfo-"));
    try {
      const out = path.join(dir, "nested");
      const r = await run(rpc, "chain-info", "--node", "http://node:26657", "--rest", "https://api.example.org/", "--grpc", "grpc.example.org:443", "--out", out, "-o", "json");
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const printed = JSON.parse(r.out) as Record<string, Record<string, unknown>>;
      expect(Object.keys(printed)).toEqual(["chain.json", "assetlist.json", "keplr-chain-info.json"]);
      for (const name of Object.keys(printed)) expect(JSON.parse(fs.readFileSync(path.join(out, name), "utf8"))).toEqual(printed[name]);
      const keplr = printed["keplr-chain-info.json"];
      expect(keplr).toMatchObject({ chainId: "dcert-devnet-7", rpc: "http://node:26657", rest: "https://api.example.org", stakeCurrency: { coinDenom: "DCERT", coinDecimals: 6 } });
      expect(chainRegistryValidator("chain")(printed["chain.json"])).toEqual([]);
      expect(chainRegistryValidator("assetlist")(printed["assetlist.json"])).toEqual([]);
      expect(printed["chain.json"]).toMatchObject({ network_type: "devnet", apis: { grpc: [{ address: "grpc.example.org:443" }] } });
      const text = await run(rpc, "chain-info", "--node", "http://node:26657", "--network-type", "testnet");
      expect(text.code).toBe(0);
      expect(text.out).toContain("DCERT (udcert, 6 decimals)");
      expect(text.out).toContain("nothing (give --out DIR)");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("usage mistakes are refused before the node is asked", async () => {
    const rpc = await chainRpc();
    for (const [flag, value, message] of [
      ["--rest", "ftp://x", "--rest must be an http(s) URL"],
      ["--grpc", "http://x:9090", "--grpc must be host:port"],
      ["--chain-name", "dCERT", "--chain-name must be lowercase letters and digits"],
      ["--network-type", "beta", "--network-type must be mainnet, testnet or devnet"],
      ["--gas-price-step", "1,2", "--gas-price-step must be three decimals"],
    ] as const) {
      const r = await run(rpc, "chain-info", "--node", "http://node:26657", flag, value);
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
    }
    expect(rpc.routes).toEqual([]);
  });

  test("a node that refuses the query is a clear error", async () => {
    const refusing: RpcGet = (_n, route) =>
      Promise.resolve(route === "status" ? { node_info: { network: "x-1", version: "0.38.17" } } : route === "abci_info" ? { response: {} } : { response: { code: 6, codespace: "sdk", log: "unknown query path" } });
    const r = await run(refusing, "chain-info", "--node", "http://node:26657");
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("refused the query /cosmos.staking.v1beta1.Query/Params: unknown query path (sdk:6)");
  });

  test("chainInfoDocuments names the three files", () => {
    expect(Object.keys(chainInfoDocuments(FACTS, OPTS))).toEqual(["chain.json", "assetlist.json", "keplr-chain-info.json"]);
  });
});

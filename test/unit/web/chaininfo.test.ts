import fc from "fast-check";
import { keplrChainInfo } from "../../../src/cli/chaininfo";
import { buildChainInfo, defaultToken, parseGasPrice } from "../../../web/src/wallet/chaininfo";

describe("the web app's ChainInfo for Keplr and Leap", () => {
  it("is what dcertd chain-info writes for the devnet (same token, chain-info's default steps)", () => {
    const denom = "udcert";
    const facts = {
      chainId: "dcert-devnet-1",
      cometbftVersion: "0.38.17",
      appVersion: "",
      bondDenom: denom,
      unbondingSeconds: 60n,
      metadata: [{ description: "", denomUnits: [{ denom, exponent: 0, aliases: [] }, { denom: "dcert", exponent: 6, aliases: [] }], base: denom, display: "dcert", name: "dCERT", symbol: "DCERT", uri: "", uriHash: "" }],
    };
    const cli = keplrChainInfo(facts, {
      rpc: "http://127.0.0.1:26657",
      rest: "http://127.0.0.1:1317",
      grpc: "127.0.0.1:9090",
      chainName: "dcert",
      prettyName: "dCERT",
      networkType: "devnet",
      gasPriceStep: { low: "0.025", average: "0.03", high: "0.04" },
    });
    const web = buildChainInfo({ chainId: "dcert-devnet-1", rpc: "http://127.0.0.1:26657", rest: "http://127.0.0.1:1317", gasPrice: "0.025udcert", name: "dCERT" });
    expect(JSON.stringify(web)).toBe(JSON.stringify(cli));
  });

  it("pays fees in the gas price's denom at 1×, 1.2× and 1.6× the gas price, named after the chain id", () => {
    const info = buildChainInfo({ chainId: "c-1", rpc: "r", rest: "s", gasPrice: "0.5uatom" });
    expect(info.chainName).toBe("dCERT (c-1)");
    expect(info.feeCurrencies).toEqual([{ coinDenom: "ATOM", coinMinimalDenom: "uatom", coinDecimals: 6, gasPriceStep: { low: 0.5, average: 0.6, high: 0.8 } }]);
    const token = { denom: "ibc/AB", symbol: "AB", decimals: 3 };
    expect(buildChainInfo({ chainId: "c", rpc: "r", rest: "s", gasPrice: "1ibc/AB", token }).stakeCurrency).toEqual({ coinDenom: "AB", coinMinimalDenom: "ibc/AB", coinDecimals: 3 });
  });

  it("parses gas prices and refuses anything else", () => {
    expect(parseGasPrice("0.025udcert")).toEqual({ amount: "0.025", denom: "udcert" });
    expect(parseGasPrice("1stake")).toEqual({ amount: "1", denom: "stake" });
    for (const bad of ["", "udcert", "0.025", "-1udcert", "1.udcert", "0.025 udcert"]) expect(parseGasPrice(bad)).toBeUndefined();
    expect(() => buildChainInfo({ chainId: "c", rpc: "r", rest: "s", gasPrice: "free" })).toThrow(/not a decimal coin/);
    fc.assert(
      fc.property(fc.string(), (t) => {
        const p = parseGasPrice(t);
        if (p !== undefined) expect(`${p.amount}${p.denom}`).toBe(t.trim());
      }),
    );
    expect(defaultToken("ufoo")).toEqual({ denom: "ufoo", symbol: "FOO", decimals: 6 });
  });
});

/**
 * The shared Keplr/Leap ChainInfo builder (src/types/chaininfo.ts) that `dcertd chain-info` and the
 * web app both publish through: prefixes derived from the one given, the staking token first and
 * paying the fees at exactly the steps given, and a fixed key order (the published files are diffed).
 */
import fc from "fast-check";
import { bech32Config, chainInfo, currency, SLIP44_COIN_TYPE, type ChainInfoParams, type TokenInfo } from "../../../src/types/chaininfo";

const token: fc.Arbitrary<TokenInfo> = fc.record({ denom: fc.string({ minLength: 1 }), symbol: fc.string({ minLength: 1 }), decimals: fc.nat(18) });
const price = fc.double({ min: 0, max: 1e6, noNaN: true });
const params: fc.Arbitrary<ChainInfoParams> = fc.record({
  chainId: fc.string(),
  chainName: fc.string(),
  rpc: fc.webUrl(),
  rest: fc.webUrl(),
  bech32Prefix: fc.stringMatching(/^[a-z]{1,10}$/),
  stakeToken: token,
  otherTokens: fc.array(token, { maxLength: 4 }),
  gasPriceStep: fc.record({ low: price, average: price, high: price }),
});

describe("the shared ChainInfo builder", () => {
  it("derives every bech32 prefix from the account prefix", () => {
    expect(bech32Config("dcert")).toEqual({
      bech32PrefixAccAddr: "dcert",
      bech32PrefixAccPub: "dcertpub",
      bech32PrefixValAddr: "dcertvaloper",
      bech32PrefixValPub: "dcertvaloperpub",
      bech32PrefixConsAddr: "dcertvalcons",
      bech32PrefixConsPub: "dcertvalconspub",
    });
  });

  it("publishes what it is given: prefixes, the staking token first and as fee token, the steps as given", () => {
    fc.assert(
      fc.property(params, (p) => {
        const info = chainInfo(p);
        expect(Object.keys(info)).toEqual(["chainId", "chainName", "rpc", "rest", "bip44", "bech32Config", "currencies", "feeCurrencies", "stakeCurrency", "features"]);
        expect([info.chainId, info.chainName, info.rpc, info.rest]).toEqual([p.chainId, p.chainName, p.rpc, p.rest]);
        expect(info.bip44).toEqual({ coinType: SLIP44_COIN_TYPE });
        expect(Object.keys(info.bech32Config)).toHaveLength(6);
        for (const v of Object.values(info.bech32Config)) expect(v.startsWith(p.bech32Prefix)).toBe(true);
        expect(info.bech32Config.bech32PrefixAccAddr).toBe(p.bech32Prefix);
        expect(info.currencies).toEqual([p.stakeToken, ...(p.otherTokens ?? [])].map(currency));
        expect(info.feeCurrencies).toHaveLength(1);
        expect(info.feeCurrencies[0]).toEqual({ ...info.currencies[0], gasPriceStep: p.gasPriceStep });
        expect(info.stakeCurrency).toEqual(info.currencies[0]);
        expect(info.features).toEqual([]);
      }),
    );
  });

  it("lists only the staking token when there are no others", () => {
    const info = chainInfo({ chainId: "c", chainName: "C", rpc: "r", rest: "s", bech32Prefix: "x", stakeToken: { denom: "stake", symbol: "STAKE", decimals: 0 }, gasPriceStep: { low: 0, average: 0, high: 0 } });
    expect(info.currencies).toEqual([{ coinDenom: "STAKE", coinMinimalDenom: "stake", coinDecimals: 0 }]);
  });
});

import { getTomlValue, setTomlValue } from "../../../src/localnet/cometbft";

describe("setTomlValue with an array of strings", () => {
  test("writes an inline array, replacing CometBFT's default", () => {
    const text = '[rpc]\nladdr = "tcp://127.0.0.1:26657"\ncors_allowed_origins = []\n\n[p2p]\n';
    const out = setTomlValue(text, "rpc", "cors_allowed_origins", ["*", 'http://a"b']);
    expect(out).toContain('cors_allowed_origins = ["*", "http://a\\"b"]');
    expect(out.match(/cors_allowed_origins/g)).toHaveLength(1);
    expect(getTomlValue(out, "rpc", "laddr")).toBe("tcp://127.0.0.1:26657");
  });
});

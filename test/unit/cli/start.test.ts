import fc from "fast-check";
import { UsageError, parseArgs } from "../../../src/cli/args";
import { nodeLimits, startCommand } from "../../../src/cli/start";

const parse = (argv: string[]) => parseArgs(argv, startCommand.flags);

describe("dcertd start: node-local query and scheduling limits", () => {
  it("reads the flags, else the environment, else leaves the app's defaults", () => {
    expect(nodeLimits(parse([]), {})).toEqual({});
    expect(nodeLimits(parse(["--query-gas-limit", "5000000", "--max-query-bytes=65536", "--abci-turn-budget-ms", "2"]), {})).toEqual({
      queryGasLimit: 5_000_000n,
      maxQueryBytes: 65_536,
      abciTurnBudgetMs: 2,
    });
    const env = { DCERTD_QUERY_GAS_LIMIT: "0", DCERTD_MAX_QUERY_BYTES: "0", DCERTD_ABCI_TURN_BUDGET_MS: "0" };
    expect(nodeLimits(parse([]), env)).toEqual({ queryGasLimit: 0n, maxQueryBytes: 0, abciTurnBudgetMs: 0 });
    // A flag wins over the environment.
    expect(nodeLimits(parse(["--query-gas-limit", "7"]), env).queryGasLimit).toBe(7n);
  });

  it("accepts exactly whole numbers within range, naming the flag or variable otherwise", () => {
    expect(() => nodeLimits(parse(["--query-gas-limit", "-1"]), {})).toThrow(/--query-gas-limit must be a whole number/);
    expect(() => nodeLimits(parse([]), { DCERTD_MAX_QUERY_BYTES: "1e6" })).toThrow(/\$DCERTD_MAX_QUERY_BYTES must be a whole number/);
    expect(() => nodeLimits(parse(["--abci-turn-budget-ms", "60001"]), {})).toThrow(/at most 60000/);
    fc.assert(
      fc.property(fc.string({ maxLength: 22 }), (text) => {
        let value: bigint | undefined;
        try {
          value = nodeLimits(parse([`--query-gas-limit=${text}`]), {}).queryGasLimit;
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
          expect(/^[0-9]{1,19}$/.test(text) && BigInt(text) <= 10n ** 18n).toBe(false);
          return;
        }
        expect(text).toMatch(/^[0-9]{1,19}$/);
        expect(value).toBe(BigInt(text));
      }),
    );
  });
});

import fc from "fast-check";
import { UsageError, parseArgs } from "../../../src/cli/args";
import { apiSettings, nodeLimits, startCommand } from "../../../src/cli/start";
import { apiStartFlags } from "../../../src/localnet/devnet";

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
    // Signature workers: flag, variable, app.toml; 0 turns them off; the message says what 0 means.
    expect(nodeLimits(parse(["--sig-verify-workers", "3"]), {}).sigVerifyWorkers).toBe(3);
    expect(nodeLimits(parse([]), { DCERTD_SIG_VERIFY_WORKERS: "0" }).sigVerifyWorkers).toBe(0);
    expect(nodeLimits(parse([]), {}, { sigVerifyWorkers: 2n }).sigVerifyWorkers).toBe(2);
    expect(() => nodeLimits(parse(["--sig-verify-workers", "two"]), {})).toThrow(/--sig-verify-workers must be a whole number \(0 = off\)/);
    expect(() => nodeLimits(parse(["--sig-verify-workers", "65"]), {})).toThrow(/at most 64/);
    expect(nodeLimits(parse(["--sig-verify-nice", "10"]), {}).sigVerifyNice).toBe(10);
    expect(nodeLimits(parse([]), { DCERTD_SIG_VERIFY_NICE: "0" }).sigVerifyNice).toBe(0);
    expect(nodeLimits(parse([]), {}, { sigVerifyNice: 7n }).sigVerifyNice).toBe(7);
    expect(() => nodeLimits(parse(["--sig-verify-nice", "20"]), {})).toThrow(/--sig-verify-nice must be at most 19/);
    expect(() => nodeLimits(parse(["--sig-verify-nice", "-1"]), {})).toThrow(/--sig-verify-nice must be a whole number \(0 = the main thread's priority\)/);
    expect(nodeLimits(parse(["--query-workers", "2"]), {}).queryWorkers).toBe(2);
    expect(nodeLimits(parse([]), { DCERTD_QUERY_WORKERS: "0" }).queryWorkers).toBe(0);
    expect(nodeLimits(parse([]), {}, { queryWorkers: 3n }).queryWorkers).toBe(3);
    expect(() => nodeLimits(parse(["--query-workers", "-1"]), {})).toThrow(/--query-workers must be a whole number \(0 = off\)/);
    expect(nodeLimits(parse(["--query-workers-nice", "3"]), {}).queryWorkersNice).toBe(3);
    expect(nodeLimits(parse([]), { DCERTD_QUERY_WORKERS_NICE: "0" }).queryWorkersNice).toBe(0);
    expect(nodeLimits(parse([]), {}, { queryWorkersNice: 12n }).queryWorkersNice).toBe(12);
    expect(nodeLimits(parse([]), {}).queryWorkersNice).toBeUndefined();
    expect(() => nodeLimits(parse([]), { DCERTD_QUERY_WORKERS_NICE: "20" })).toThrow(/\$DCERTD_QUERY_WORKERS_NICE must be at most 19/);
    expect(() => nodeLimits(parse(["--query-workers-nice", "low"]), {})).toThrow(/--query-workers-nice must be a whole number \(0 = the main thread's priority\)/);
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

describe("dcertd start: the API servers' flags", () => {
  it("defaults to the SDK's: REST on 127.0.0.1:1317 without CORS, gRPC on 127.0.0.1:9090", () => {
    expect(apiSettings(parse([]))).toEqual({
      rest: { address: "tcp://127.0.0.1:1317", cors: false },
      grpc: { address: "127.0.0.1:9090" },
      rpcUrl: "http://127.0.0.1:26657",
      ownThread: true,
    });
  });

  it("reads addresses, CORS, the switches and CometBFT's RPC address", () => {
    const s = apiSettings(parse(["--api.address", "tcp://0.0.0.0:1400", "--api.enabled-unsafe-cors=true", "--grpc.enable=false", "--rpc.laddr", "tcp://0.0.0.0:36657", "--api.own-thread=false"]));
    expect(s).toEqual({ rest: { address: "tcp://0.0.0.0:1400", cors: true }, rpcUrl: "http://127.0.0.1:36657", ownThread: false });
    expect(apiSettings(parse(["--api.enable=false", "--grpc.address", "[::1]:9091"]))).toEqual({ grpc: { address: "[::1]:9091" }, rpcUrl: "http://127.0.0.1:26657", ownThread: true });
  });

  it("refuses a malformed address or boolean, naming the flag", () => {
    expect(() => apiSettings(parse(["--api.address", "localhost"]))).toThrow(/--api.address must look like tcp:\/\/127.0.0.1:1317/);
    expect(() => apiSettings(parse(["--grpc.address", "127.0.0.1:99999"]))).toThrow(/--grpc.address/);
    expect(() => apiSettings(parse(["--api.enabled-unsafe-cors=yes"]))).toThrow(/--api.enabled-unsafe-cors must be true or false/);
    expect(() => apiSettings(parse(["--api.enable"]))).toThrow(UsageError);
    expect(() => apiSettings(parse(["--api.own-thread=no"]))).toThrow(/--api.own-thread must be true or false/);
  });

  it("the devnet's flags turn on what the ports give, and parse back", () => {
    const on = parse(apiStartFlags({ rpc: 1, p2p: 2, abci: 3, api: 4, grpc: 5 }));
    expect(apiSettings(on)).toEqual({ rest: { address: "tcp://127.0.0.1:4", cors: true }, grpc: { address: "127.0.0.1:5" }, rpcUrl: "http://127.0.0.1:1", ownThread: true });
    expect(apiSettings(parse(apiStartFlags({ rpc: 1, p2p: 2, abci: 3 })))).toEqual({ rpcUrl: "http://127.0.0.1:1", ownThread: true });
  });
});

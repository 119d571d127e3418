import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { parseArgs } from "../../../src/cli/args";
import { CliError } from "../../../src/cli/errors";
import { describeStartError, startCommand, startSettings } from "../../../src/cli/start";
import {
  APP_CONFIG_DEFAULTS,
  APP_CONFIG_KEYS,
  AppConfigError,
  appConfigPath,
  KEY_EXAMPLES,
  parseAppConfig,
  renderAppConfig,
  updateAppConfig,
  writeAppConfig,
  type AppConfig,
} from "../../../src/localnet/appconfig";
import { appConfigOf } from "../../../src/localnet/devnet";

const parse = (argv: string[]) => parseArgs(argv, startCommand.flags);
const F = "/h/config/app.toml";

function tmpHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "dcert-appconfig-"));
}

describe("app.toml: parsing", () => {
  it("reads every key into the settings", () => {
    const text = [
      'minimum-gas-prices = "0.5udcert"',
      'log_level = "debug"',
      'log_format = "json"',
      'index-events = ["message.sender", "dcert.v1.EventVote.voter"]',
      "[abci]",
      'address = "tcp://127.0.0.1:3000"',
      "[api]",
      "enable = false",
      'address = "tcp://0.0.0.0:1400"',
      "enabled-unsafe-cors = true",
      "[grpc]",
      "enable = true",
      'address = "[::1]:9091"',
      "[rpc]",
      'laddr = "tcp://127.0.0.1:36657"',
      "[query]",
      "gas-limit = 5000",
      "max-bytes = 100",
      "turn-budget-ms = 0",
    ].join("\n");
    expect(parseAppConfig(text, F)).toEqual({
      minimumGasPrices: "0.5udcert",
      logLevel: "debug",
      logFormat: "json",
      indexEvents: ["message.sender", "dcert.v1.EventVote.voter"],
      abciAddress: "tcp://127.0.0.1:3000",
      apiEnable: false,
      apiAddress: "tcp://0.0.0.0:1400",
      apiEnabledUnsafeCors: true,
      grpcEnable: true,
      grpcAddress: "[::1]:9091",
      rpcLaddr: "tcp://127.0.0.1:36657",
      queryGasLimit: 5000n,
      queryMaxBytes: 100n,
      queryTurnBudgetMs: 0n,
    });
    expect(parseAppConfig("", F)).toEqual({});
  });

  it("refuses an unknown key, table or a bad value, naming the file, the key and what is expected", () => {
    const err = (text: string): AppConfigError => {
      try {
        parseAppConfig(text, F);
      } catch (e) {
        expect(e).toBeInstanceOf(AppConfigError);
        return e as AppConfigError;
      }
      throw new Error("no error");
    };
    expect(err("[api]\nenabled = true").message).toBe(`${F}: unknown key "api.enabled"; the keys in [api] are enable, address, enabled-unsafe-cors, own-thread`);
    expect(err("pruning = 1").message).toMatch(/^\/h\/config\/app.toml: unknown key "pruning"; the keys at the top level are minimum-gas-prices, log_level, log_format, index-events, optimistic-execution and the tables \[abci\]/);
    for (const bad of ['"message.sender"', '["message"]', '["message."]', '[".sender"]', '["message sender.x"]', "[1]"]) {
      expect(err(`index-events = ${bad}`).message).toMatch(/index-events must be a list of "<event type>.<attribute key>" strings/);
    }
    expect(err("[statesync]\nenable = true").message).toMatch(/unknown table \[statesync\]/);
    expect(err("[mempool]\nsize = 1").message).toMatch(/unknown key "mempool.size"; the keys in \[mempool\] are sig-verify-workers/);
    expect(err("[mempool]\nsig-verify-workers = 65").message).toMatch(/mempool.sig-verify-workers must be a whole number from 0 to 64, got 65/);
    expect(err('[api]\nenable = "yes"')).toMatchObject({ key: "api.enable", message: `${F}: api.enable must be true or false, got "yes"` });
    expect(err("[query]\ngas-limit = -1").message).toBe(`${F}: query.gas-limit must be a whole number from 0 to 1000000000000000000, got -1`);
    expect(err("[query]\nturn-budget-ms = 60001").message).toMatch(/query.turn-budget-ms must be a whole number from 0 to 60000, got 60001/);
    expect(err('minimum-gas-prices = "cheap"').message).toMatch(/minimum-gas-prices must be decimal coins like "0.025udcert"/);
    expect(err('[abci]\naddress = "127.0.0.1:26658"').message).toMatch(/abci.address must be an address like "tcp:\/\/127.0.0.1:26658"/);
    // A unix socket: an absolute path (the app and CometBFT run from different folders) that fits
    // in Linux's sun_path.
    expect(err('[abci]\naddress = "unix://app.sock"').message).toMatch(/abci.address must be an address like "tcp:\/\/127.0.0.1:26658" or "unix:\/\/\/var\/run\/dcert\/app.sock" \(an absolute path of at most 107 bytes\), got "unix:\/\/app.sock"/);
    expect(err(`[abci]\naddress = "unix:///${"s".repeat(107)}"`).key).toBe("abci.address");
    expect(err('[abci]\naddress = "unix://"').key).toBe("abci.address");
    expect(parseAppConfig(`[abci]\naddress = "unix:///${"s".repeat(106)}"`, F).abciAddress).toBe(`unix:///${"s".repeat(106)}`);
    expect(parseAppConfig('[abci]\naddress = "unix:///var/run/dcert/app.sock"', F).abciAddress).toBe("unix:///var/run/dcert/app.sock");
    expect(err('[grpc]\naddress = "tcp://127.0.0.1:9090"').message).toMatch(/grpc.address must be an address like "127.0.0.1:9090"/);
    expect(err("[query]\ngas-limit = 1.5").message).toMatch(/got 1.5/);
    expect(err("[api]\naddress = [1]").message).toMatch(/api.address must be .*got an array/);
    expect(err("min = ").message).toMatch(/^\/h\/config\/app.toml: not valid TOML at line 1/);
  });

  it("the file it writes reads back as the same settings (property)", () => {
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    const port = fc.integer({ min: 1, max: 65535 });
    const cfg = fc.record({
      minimumGasPrices: opt(fc.constantFrom("", "0udcert", "0.025udcert", "1udcert,0.5uatom")),
      logLevel: opt(fc.string()),
      logFormat: opt(fc.string()),
      abciAddress: opt(port.map((p) => `tcp://127.0.0.1:${p}`)),
      apiEnable: opt(fc.boolean()),
      apiAddress: opt(port.map((p) => `tcp://0.0.0.0:${p}`)),
      apiEnabledUnsafeCors: opt(fc.boolean()),
      grpcEnable: opt(fc.boolean()),
      grpcAddress: opt(port.map((p) => `[::1]:${p}`)),
      rpcLaddr: opt(port.map((p) => `tcp://localhost:${p}`)),
      queryGasLimit: opt(fc.bigInt({ min: 0n, max: 10n ** 18n })),
      queryMaxBytes: opt(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) })),
      queryTurnBudgetMs: opt(fc.bigInt({ min: 0n, max: 60_000n })),
    });
    fc.assert(
      fc.property(cfg, (c) => {
        const set = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as AppConfig;
        expect(parseAppConfig(renderAppConfig(set, APP_CONFIG_DEFAULTS), F)).toEqual(set);
      }),
    );
  });

  it("documents every key in the file, unset ones commented out", () => {
    const text = renderAppConfig({ minimumGasPrices: "" }, { ...APP_CONFIG_DEFAULTS, ...KEY_EXAMPLES });
    for (const k of APP_CONFIG_KEYS) expect(text).toMatch(new RegExp(`^(# )?${k.key} = `, "m"));
    expect(text).toMatch(/^minimum-gas-prices = ""$/m);
    expect(text).toMatch(/^# log_level = "info"$/m);
    expect(parseAppConfig(text, F)).toEqual({ minimumGasPrices: "" });
  });

  it("a launcher's update keeps the operator's other keys", () => {
    const home = tmpHome();
    writeAppConfig(home, { logLevel: "debug", queryGasLimit: 7n, minimumGasPrices: "1udcert" });
    updateAppConfig(home, appConfigOf({ rpc: 1, p2p: 2, abci: 3, api: 4 }));
    const back = parseAppConfig(fs.readFileSync(appConfigPath(home), "utf8"), F);
    expect(back).toEqual({
      logLevel: "debug",
      queryGasLimit: 7n,
      minimumGasPrices: "0.025udcert",
      abciAddress: "tcp://127.0.0.1:3",
      rpcLaddr: "tcp://127.0.0.1:1",
      apiEnable: true,
      apiAddress: "tcp://127.0.0.1:4",
      apiEnabledUnsafeCors: true,
      grpcEnable: false,
    });
  });
});

describe("dcertd start: settings from app.toml, the environment and the flags", () => {
  it("takes every setting from the file when no flag is given", () => {
    const home = tmpHome();
    writeAppConfig(home, {
      minimumGasPrices: "0.1udcert",
      logLevel: "warn",
      abciAddress: "tcp://127.0.0.1:4000",
      apiAddress: "tcp://127.0.0.1:4001",
      apiEnabledUnsafeCors: true,
      apiOwnThread: false,
      grpcAddress: "127.0.0.1:4002",
      rpcLaddr: "tcp://127.0.0.1:4003",
      queryGasLimit: 9n,
      queryMaxBytes: 10n,
      queryTurnBudgetMs: 11n,
      indexEvents: ["transfer.recipient"],
      optimisticExecution: true,
    });
    expect(startSettings(parse(["--home", home]), {})).toEqual({
      home,
      configFile: appConfigPath(home),
      abciAddress: "tcp://127.0.0.1:4000",
      minGasPrices: "0.1udcert",
      limits: { queryGasLimit: 9n, maxQueryBytes: 10, abciTurnBudgetMs: 11 },
      indexEvents: ["transfer.recipient"],
      optimisticExecution: true,
      api: { rest: { address: "tcp://127.0.0.1:4001", cors: true }, grpc: { address: "127.0.0.1:4002" }, rpcUrl: "http://127.0.0.1:4003", ownThread: false },
      logLevel: "warn",
    });
  });

  it("a flag beats the environment, which beats the file, which beats the default", () => {
    const home = tmpHome();
    writeAppConfig(home, { minimumGasPrices: "0.1udcert", queryGasLimit: 9n, apiEnable: false, grpcEnable: false, apiOwnThread: false });
    const s = startSettings(
      parse(["--home", home, "--minimum-gas-prices", "0udcert", "--abci", "tcp://127.0.0.1:5000", "--api.enable=true", "--api.own-thread=true", "--query-gas-limit", "1"]),
      { DCERTD_QUERY_GAS_LIMIT: "2", DCERTD_MAX_QUERY_BYTES: "3" },
    );
    expect(s).toMatchObject({ minGasPrices: "0udcert", abciAddress: "tcp://127.0.0.1:5000", limits: { queryGasLimit: 1n, maxQueryBytes: 3 } });
    expect(s.api).toEqual({ rest: { address: "tcp://127.0.0.1:1317", cors: false }, rpcUrl: "http://127.0.0.1:26657", ownThread: true });
    expect(startSettings(parse(["--home", home]), {}).api.ownThread).toBe(false);
    // Optimistic execution: off unless the file or the flag turns it on; the flag wins.
    expect(s.optimisticExecution).toBe(false);
    writeAppConfig(home, { minimumGasPrices: "0.1udcert", optimisticExecution: true });
    expect(startSettings(parse(["--home", home]), {}).optimisticExecution).toBe(true);
    expect(startSettings(parse(["--home", home, "--optimistic-execution=false"]), {}).optimisticExecution).toBe(false);
    expect(() => startSettings(parse(["--home", home, "--optimistic-execution=yes"]), {})).toThrow("--optimistic-execution must be true or false");
    expect(startSettings(parse(["--home", home]), { DCERTD_QUERY_GAS_LIMIT: "2" }).limits.queryGasLimit).toBe(2n);
  });

  it("refuses to run with no minimum gas price, in the file or as a flag", () => {
    const home = tmpHome();
    expect(() => startSettings(parse(["--home", home]), {})).toThrow(CliError);
    expect(() => startSettings(parse(["--home", home]), {})).toThrow(`no minimum gas price: ${appConfigPath(home)} does not exist and --minimum-gas-prices is not given`);
    writeAppConfig(home, { ...APP_CONFIG_DEFAULTS });
    expect(() => startSettings(parse(["--home", home]), {})).toThrow(`no minimum gas price: minimum-gas-prices is empty in ${appConfigPath(home)} and --minimum-gas-prices is not given`);
    expect(startSettings(parse(["--home", home, "--minimum-gas-prices", "0udcert"]), {}).minGasPrices).toBe("0udcert");
    expect(() => startSettings(parse(["--home", home, "--minimum-gas-prices", "free"]), {})).toThrow(/--minimum-gas-prices must be decimal coins/);
  });

  it("a bad file is an error naming the file and key, with what to do", () => {
    const home = tmpHome();
    fs.mkdirSync(path.join(home, "config"));
    fs.writeFileSync(appConfigPath(home), "[grpc]\nport = 9090\n");
    let caught: unknown;
    try {
      startSettings(parse(["--home", home, "--minimum-gas-prices", "1udcert"]), {});
    } catch (e) {
      caught = e;
    }
    const described = describeStartError(caught);
    expect(described?.what).toBe(`${appConfigPath(home)}: unknown key "grpc.port"; the keys in [grpc] are enable, address`);
    expect(described?.todo).toMatch(/fix "grpc.port"/);
  });
});

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs, runCli, type CommandNode } from "../../../src/cli/args";
import { clientConfigPath, clientSetting, readClientConfig, writeClientConfig } from "../../../src/cli/clientconfig";
import { keyringBackend, resolveNode } from "../../../src/cli/clientenv";
import { configCommand } from "../../../src/cli/config";
import { CliError } from "../../../src/cli/errors";
import { outputFormat } from "../../../src/cli/output";
import { broadcastMode, feeFor, gasSettings } from "../../../src/cli/txbroadcast";

const COMMANDS: readonly CommandNode[] = [configCommand];

async function run(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
  const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
  try {
    return { code: await runCli("dcertd", COMMANDS, argv), out: out.join("\n"), err: err.join("\n") };
  } finally {
    a.mockRestore();
    b.mockRestore();
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const FLAGS = [
  { name: "home", valueName: "d", description: "" },
  { name: "node", valueName: "u", description: "" },
  { name: "chain-id", valueName: "c", description: "" },
  { name: "output", valueName: "o", description: "" },
  { name: "keyring-backend", valueName: "k", description: "" },
  { name: "broadcast-mode", valueName: "m", description: "" },
  { name: "gas", valueName: "g", description: "" },
  { name: "gas-prices", valueName: "p", description: "" },
  { name: "gas-adjustment", valueName: "a", description: "" },
  { name: "fees", valueName: "f", description: "" },
];

function home(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "dcert-client-"));
}

describe("client.toml: precedence flag > env > client.toml > default", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (k.startsWith("DCERT")) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it("each setting of every client command", () => {
    const h = home();
    for (const k of Object.keys(process.env)) if (k.startsWith("DCERT")) delete process.env[k];
    const args = (...extra: string[]) => parseArgs(["--home", h, ...extra], FLAGS);
    // Default.
    expect(resolveNode(args())).toBe("http://127.0.0.1:26657");
    expect(outputFormat(args())).toBe("text");
    expect(keyringBackend(args())).toBe("file");
    expect(broadcastMode(args())).toBe("block");
    expect(gasSettings(args())).toEqual({ gas: "auto", adjustment: 1.4 });
    expect(feeFor(args(), 100000).amount).toEqual([{ denom: "udcert", amount: "2500" }]);
    expect(clientSetting(args(), "chain-id")).toBeUndefined();
    // client.toml.
    writeClientConfig(clientConfigPath(h), {
      node: "tcp://10.0.0.1:26657",
      "chain-id": "file-chain",
      output: "json",
      "keyring-backend": "test",
      "broadcast-mode": "sync",
      gas: "300000",
      "gas-prices": "1udcert",
      "gas-adjustment": "2",
    });
    expect(resolveNode(args())).toBe("http://10.0.0.1:26657");
    expect(outputFormat(args())).toBe("json");
    expect(keyringBackend(args())).toBe("test");
    expect(broadcastMode(args())).toBe("sync");
    expect(gasSettings(args())).toEqual({ gas: 300000, adjustment: 2 });
    expect(feeFor(args(), 1000).amount).toEqual([{ denom: "udcert", amount: "1000" }]);
    expect(clientSetting(args(), "chain-id")).toBe("file-chain");
    // --fees wins over a gas price from the file (no "not both" error).
    expect(feeFor(args("--fees", "7udcert"), 1000).amount).toEqual([{ denom: "udcert", amount: "7" }]);
    // Environment over the file.
    const env = { DCERTD_NODE: "http://env:1", DCERTD_OUTPUT: "text", DCERTD_KEYRING_BACKEND: "file", DCERTD_BROADCAST_MODE: "async", DCERTD_GAS: "5", DCERTD_CHAIN_ID: "env-chain" };
    Object.assign(process.env, env);
    expect(resolveNode(args(), process.env)).toBe("http://env:1");
    expect(outputFormat(args())).toBe("text");
    expect(keyringBackend(args(), process.env)).toBe("file");
    expect(broadcastMode(args())).toBe("async");
    expect(gasSettings(args()).gas).toBe(5);
    expect(clientSetting(args(), "chain-id")).toBe("env-chain");
    // The older node variable still counts, after DCERTD_NODE.
    expect(resolveNode(args(), { DCERT_NODE: "http://legacy:2" })).toBe("http://legacy:2");
    // A flag over everything.
    expect(resolveNode(args("--node", "http://flag:3"), process.env)).toBe("http://flag:3");
    expect(outputFormat(args("--output", "json"))).toBe("json");
    expect(broadcastMode(args("--broadcast-mode", "block"))).toBe("block");
    expect(gasSettings(args("--gas", "9", "--gas-adjustment", "1.5"))).toEqual({ gas: 9, adjustment: 1.5 });
    expect(clientSetting(args("--chain-id", "flag-chain"), "chain-id")).toBe("flag-chain");
  });

  it("a bad client.toml names the file, the key and what is expected", () => {
    const h = home();
    const file = clientConfigPath(h);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'output = "yaml"\n');
    expect(() => readClientConfig(file)).toThrow(`${file}: output must be text or json, got "yaml"`);
    fs.writeFileSync(file, 'nodes = "x"\n');
    expect(() => readClientConfig(file)).toThrow(CliError);
    expect(() => readClientConfig(file)).toThrow(`${file}: unknown key "nodes"; the keys are node, chain-id, output, keyring-backend, broadcast-mode, gas, gas-prices, gas-adjustment`);
    fs.writeFileSync(file, "gas-adjustment = 1.5\ngas = 200000\n");
    expect(readClientConfig(file)).toEqual({ "gas-adjustment": "1.5", gas: "200000" });
  });
});

describe("dcertd config", () => {
  it("set, get and list in text and -o json", async () => {
    const h = home();
    const env = { DCERTD_HOME: h };
    expect(await run(env, "config", "set", "chain-id", "dcert-devnet-1")).toEqual({ code: 0, out: `set chain-id = dcert-devnet-1 in ${clientConfigPath(h)}`, err: "" });
    expect(await run(env, "config", "set", "output", "json", "-o", "text")).toMatchObject({ code: 0 });
    expect(fs.readFileSync(clientConfigPath(h), "utf8")).toMatch(/^chain-id = "dcert-devnet-1"\noutput = "json"$/m);
    // Text output when asked for, though client.toml says json.
    expect(await run(env, "config", "get", "chain-id", "-o", "text")).toEqual({ code: 0, out: "dcert-devnet-1", err: "" });
    // client.toml's output = json applies to config itself.
    expect(JSON.parse((await run(env, "config", "get", "chain-id")).out)).toEqual({ "chain-id": "dcert-devnet-1" });
    expect(JSON.parse((await run(env, "config", "get", "gas", "-o", "json")).out)).toEqual({ gas: "auto" });
    const all = JSON.parse((await run(env, "config", "--home", h)).out) as Record<string, string>;
    expect(all).toEqual({
      node: "http://127.0.0.1:26657",
      "chain-id": "dcert-devnet-1",
      output: "json",
      "keyring-backend": "file",
      "broadcast-mode": "block",
      gas: "auto",
      "gas-prices": "0.025udcert",
      "gas-adjustment": "1.4",
    });
    const text = (await run(env, "config", "-o", "text")).out;
    expect(text).toMatch(/^KEY\s+VALUE\s+SOURCE$/m);
    expect(text).toMatch(/^chain-id\s+dcert-devnet-1\s+client.toml$/m);
    expect(text).toMatch(/^gas\s+auto\s+default$/m);
    expect(await run(env, "config", "set", "output", "", "-o", "text")).toMatchObject({ code: 0, out: `cleared output in ${clientConfigPath(h)}` });
    expect(readClientConfig(clientConfigPath(h))).toEqual({ "chain-id": "dcert-devnet-1" });
  });

  it("refuses an unknown key or a bad value, saying what is expected (exit 2)", async () => {
    const env = { DCERTD_HOME: home() };
    const r = await run(env, "config", "set", "gas-adjustment", "0.5");
    expect(r).toEqual({ code: 2, out: "", err: `error: gas-adjustment must be a number ≥ 1, like 1.4, got "0.5"; give a valid value` });
    expect((await run(env, "config", "get", "fee")).err).toMatch(/^error: unknown client setting "fee"; the keys are node, chain-id/);
    expect((await run(env, "config", "set", "broadcast-mode", "fast")).err).toMatch(/broadcast-mode must be sync, async or block/);
    expect((await run(env, "config", "remove", "gas")).code).toBe(2);
  });
});

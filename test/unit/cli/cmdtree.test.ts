/**
 * Nested commands: dispatch by words, short flags, per-command flag checks, per-command help, and
 * every failure printed as "error: what; what to do" with exit code 2 (usage) or 1.
 */
import { PassThrough } from "node:stream";
import { BroadcastTxError, TimeoutError } from "@cosmjs/stargate";
import { UsageError, parseArgs, runCli, type ParsedArgs } from "../../../src/cli/args";
import { describeClientError, hintFor, isAddress, resolveNode } from "../../../src/cli/clientenv";
import { CliError, commandTree, type Leaf } from "../../../src/cli/cmdtree";
import { KeyringError } from "../../../src/cli/keyring";
import { getPassphrase, readHidden, type Terminal } from "../../../src/cli/prompt";
import { moduleAddress } from "../../../src/client";

function capture(): { out: string[]; err: string[]; restore: () => void } {
  const out: string[] = [];
  const err: string[] = [];
  const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
  const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
  return { out, err, restore: () => (a.mockRestore(), b.mockRestore()) };
}

const seen: { leaf: string; args: ParsedArgs }[] = [];
const leaf = (path: string[], extra: Leaf["flags"] = [], run?: Leaf["run"]): Leaf => ({
  path,
  summary: `the ${path.join(" ")} command`,
  positionals: ["<x>"],
  flags: [{ name: "output", valueName: "format", description: "format" }, { name: "yes", boolean: true, description: "yes" }, ...extra],
  run:
    run ??
    (async (args) => {
      seen.push({ leaf: path.join(" "), args });
      return 0;
    }),
});

const tree = commandTree(
  "tx",
  "transactions",
  [
    leaf(["bank", "send"], [{ name: "memo", valueName: "text", description: "memo" }]),
    leaf(["dcert", "vote"], [{ name: "split", valueName: "s", description: "split" }]),
    leaf(["dcert", "fail"], [], async () => {
      throw new CliError("it broke", "fix it");
    }),
    leaf(["dcert", "usage"], [], async () => {
      throw new UsageError("wrong arguments");
    }),
    leaf(["dcert", "crash"], [], async () => {
      throw new Error("unexpected");
    }),
  ],
  {
    describeError: describeClientError,
    commonFlags: [
      { name: "output", valueName: "format", description: "format" },
      { name: "yes", boolean: true, description: "yes" },
    ],
  },
);

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const c = capture();
  try {
    const code = await runCli("dcertd", [tree], ["tx", ...argv]);
    return { code, out: c.out, err: c.err };
  } finally {
    c.restore();
  }
}

beforeEach(() => (seen.length = 0));

describe("command trees", () => {
  test("dispatches on the words, with the rest as positionals and short flags expanded", async () => {
    const r = await run(["dcert", "vote", "alice", "-o", "json", "--split", "a=1", "-y"]);
    expect(r.code).toBe(0);
    expect(seen).toEqual([{ leaf: "dcert vote", args: { flags: { split: "a=1", output: "json", yes: true }, positionals: ["alice"] } }]);
  });

  test("a flag of another command is refused for this one", async () => {
    const r = await run(["dcert", "vote", "--memo", "hi"]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`error: "tx dcert vote" has no flag --memo; run "dcertd tx dcert vote --help" for its flags`]);
    expect(seen).toEqual([]);
  });

  test("unknown commands and a missing command", async () => {
    expect((await run(["dcert", "nope"])).err).toEqual([`error: unknown command "tx dcert nope"; run "dcertd tx --help" to list the commands`]);
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.err[0]).toMatch(/^error: name a command; /);
  });

  test("per-command help and the tree's help listing every command", async () => {
    const one = await run(["bank", "send", "help"]);
    expect(one.code).toBe(0);
    expect(one.out[0]).toMatch(/^the bank send command\n\nUsage: dcertd tx bank send <x> \[flags\]/);
    expect(one.out[0]).toMatch(/--memo <text>/);
    const all = await run(["--help"]);
    expect(all.out[0]).toMatch(/bank send <x>\s+the bank send command/);
    expect(all.out[0]).toMatch(/the bank send command\n\s+flags: --memo <text>\n/);
    expect(all.out[0]).toMatch(/Short flags: -o = --output, -y = --yes\./);
  });

  test("errors: CliError as-is (1), UsageError with a help pointer (2), anything else with a generic hint (1), never a stack", async () => {
    expect(await run(["dcert", "fail"])).toEqual({ code: 1, out: [], err: ["error: it broke; fix it"] });
    expect(await run(["dcert", "usage"])).toEqual({ code: 2, out: [], err: [`error: wrong arguments; run "dcertd tx dcert usage --help" for usage`] });
    const crash = await run(["dcert", "crash"]);
    expect(crash.code).toBe(1);
    expect(crash.err).toHaveLength(1);
    expect(crash.err[0]).toMatch(/^error: unexpected; if the message does not say how to fix it/);
  });

  test("short flags need their value", () => {
    expect(() => parseArgs(["-o"], tree.flags, { shorts: true })).toThrow(/flag -o needs a value/);
  });
});

describe("client errors", () => {
  test("rejections, timeouts, keyring and query failures say what to do", () => {
    expect(describeClientError(new BroadcastTxError(13, "sdk", "insufficient fee"))?.message).toBe(
      "the node rejected the transaction (code 13, codespace sdk): insufficient fee; raise --gas-prices or --fees (the node's minimum gas price applies)",
    );
    expect(describeClientError(new TimeoutError("late", "ABCD"))?.todo).toBe(`check it later with "dcertd q tx ABCD"`);
    expect(describeClientError(new KeyringError("wrong-passphrase", "wrong passphrase for key \"a\""))?.todo).toMatch(/use the passphrase the key was created with/);
    expect(describeClientError(new Error("Query failed with (26): alice has no counted vote: not found"))?.message).toBe(
      "the node refused the query (code 26): alice has no counted vote: not found; check the address, id or hash you asked for",
    );
    expect(describeClientError(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }))?.what).toBe("cannot reach the node (ECONNREFUSED)");
    expect(describeClientError(new Error("something else"))).toBeUndefined();
    expect(hintFor("sdk", 5)).toMatch(/q bank balances/);
    expect(hintFor("dcert", 30)).toMatch(/dCERT module/);
  });

  test("--node accepts http(s) and CometBFT's tcp:// notation", () => {
    const a = (node?: string): ParsedArgs => ({ flags: node === undefined ? {} : { node }, positionals: [] });
    expect(resolveNode(a(), {})).toBe("http://127.0.0.1:26657");
    expect(resolveNode(a("tcp://10.0.0.1:26657/"), {})).toBe("http://10.0.0.1:26657");
    expect(resolveNode(a(), { DCERT_NODE: "https://rpc.example" })).toBe("https://rpc.example");
    expect(() => resolveNode(a("localhost:26657"), {})).toThrow(CliError);
  });

  test("addresses are recognised by prefix and length", () => {
    expect(isAddress(moduleAddress("gov"))).toBe(true);
    expect(isAddress(moduleAddress("gov", "cosmos"))).toBe(false);
    const gov = moduleAddress("gov");
    expect(isAddress(gov.slice(0, -1) + (gov.endsWith("q") ? "p" : "q"))).toBe(false); // checksum broken
    expect(isAddress("alice")).toBe(false);
  });
});

describe("passphrase input", () => {
  function term(tty: boolean): Terminal & { typed: PassThrough; shown: string[] } {
    const input = new PassThrough() as PassThrough & { isTTY?: boolean };
    if (tty) input.isTTY = true;
    const output = new PassThrough();
    const shown: string[] = [];
    output.on("data", (d: Buffer) => shown.push(d.toString()));
    return { input, output, typed: input, shown };
  }

  test("flag, then environment, then a hidden prompt on a terminal", async () => {
    const t = term(true);
    expect(await getPassphrase({ flags: { "keyring-passphrase": "from flag" }, positionals: [] }, { term: t, env: { DCERT_KEYRING_PASSPHRASE: "from env" } })).toBe("from flag");
    expect(await getPassphrase({ flags: {}, positionals: [] }, { term: t, env: { DCERT_KEYRING_PASSPHRASE: "from env" } })).toBe("from env");
    const p = getPassphrase({ flags: {}, positionals: [] }, { term: t, env: {} });
    t.typed.write("secreX\u007ft\r");
    expect(await p).toBe("secret");
    expect(t.shown.join("")).toBe("Enter keyring passphrase: \n");
  });

  test("a new keyring asks twice and refuses different answers; no terminal is an actionable error", async () => {
    const t = term(true);
    const p = getPassphrase({ flags: {}, positionals: [] }, { term: t, env: {}, confirm: true });
    t.typed.write("one\r");
    setImmediate(() => t.typed.write("two\r"));
    await expect(p).rejects.toThrow("the two passphrases differ");
    await expect(getPassphrase({ flags: {}, positionals: [] }, { term: term(false), env: {} })).rejects.toThrow(/pass --keyring-passphrase or set DCERT_KEYRING_PASSPHRASE/);
  });

  test("Ctrl-C aborts the prompt", async () => {
    const t = term(true);
    const p = readHidden(t, "? ");
    t.typed.write("abc\u0003");
    await expect(p).rejects.toThrow("interrupted");
  });
});

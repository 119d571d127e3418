/**
 * The command tree as `dcertd` runs it (src/cli/args.ts on node:util parseArgs): a leaf's own
 * `--help`, and exit code 2 with `error: what; what to do` for unknown flags, unknown commands and
 * missing required flags, on the real command table.
 */
import { runCli, type CommandNode } from "../../../src/cli/args";
import { exportCommand } from "../../../src/cli/export";
import { keysCommand } from "../../../src/cli/keys";
import { queryCommand } from "../../../src/cli/query";
import { startCommand } from "../../../src/cli/start";
import { txCommand } from "../../../src/cli/tx";

const COMMANDS: readonly CommandNode[] = [startCommand, exportCommand, keysCommand, txCommand, queryCommand];

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
  const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
  try {
    return { code: await runCli("dcertd", COMMANDS, argv), out: out.join("\n"), err };
  } finally {
    a.mockRestore();
    b.mockRestore();
  }
}

/** The flag names a help text lists, in order. */
function flagsOf(help: string, section: string): string[] {
  const start = help.indexOf(`\n${section}\n`);
  if (start === -1) return [];
  const body = help.slice(start + section.length + 2).split("\n\n")[0] ?? "";
  return body.split("\n").map((l) => /--([a-z._-]+)/.exec(l)?.[1] ?? "");
}

describe("leaf help", () => {
  test("tx dcert vote --help: its usage, its own flags, then the common flags; exit 0", async () => {
    for (const argv of [
      ["tx", "dcert", "vote", "--help"],
      ["tx", "dcert", "vote", "-h"],
      ["tx", "--from", "alice", "dcert", "vote", "--help"],
      ["tx", "dcert", "vote", "help"],
    ]) {
      const r = await run(...argv);
      expect(r).toMatchObject({ code: 0, err: [] });
      expect(r.out).toMatch(/^set your dCERT vote: .*\n\nUsage: dcertd tx dcert vote \[flags\]\n/);
      expect(flagsOf(r.out, "Flags:")).toEqual(["split", "clear", "force"]);
      const common = flagsOf(r.out, "Common flags:");
      expect(common).toEqual(expect.arrayContaining(["from", "gas", "fees", "yes", "node", "home", "output", "help"]));
      // No other leaf's flags (the group's help would list them all).
      for (const other of ["member", "reason", "website", "denom"]) expect(r.out).not.toContain(`--${other}`);
    }
  });

  test("one leaf of each kind: keys show, q bank balances, and a command without subcommands", async () => {
    const show = await run("keys", "show", "--help");
    expect(show.code).toBe(0);
    expect(flagsOf(show.out, "Flags:")).toEqual(["address"]);
    expect(flagsOf(show.out, "Common flags:")).toEqual(["home", "keyring-backend", "output", "help"]);
    expect(show.out).toContain("-a, --address");
    const balances = await run("q", "bank", "balances", "-h");
    expect(balances.code).toBe(0);
    expect(balances.out).toMatch(/Usage: dcertd q bank balances <address> \[flags\]/);
    expect(flagsOf(balances.out, "Flags:")).toEqual(["denom"]);
    const start = await run("start", "--help");
    expect(start.code).toBe(0);
    expect(flagsOf(start.out, "Flags:")).toEqual([
      "home",
      "abci",
      "minimum-gas-prices",
      "query-gas-limit",
      "max-query-bytes",
      "abci-turn-budget-ms",
      "sig-verify-workers",
      "sig-verify-nice",
      "query-workers",
      "query-workers-nice",
      "optimistic-execution",
      "api.enable",
      "api.address",
      "api.enabled-unsafe-cors",
      "api.own-thread",
      "grpc.enable",
      "grpc.address",
      "log_level",
      "log_format",
      "rpc.laddr",
      "help",
    ]);
  });

  test("a group's --help lists every command; a partial command path too", async () => {
    for (const argv of [["tx", "--help"], ["tx", "staking", "--help"]]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/staking delegate <validator> <amount>/);
      expect(r.out).toMatch(/dcert vote\s+set your dCERT vote/);
    }
  });
});

describe("command-line mistakes exit 2 with what happened and what to do", () => {
  test("an unknown flag on a leaf names the flag and the leaf's --help", async () => {
    expect(await run("tx", "dcert", "vote", "--bogus")).toEqual({
      code: 2,
      out: "",
      err: [`error: "tx dcert vote" has no flag --bogus; run "dcertd tx dcert vote --help" for its flags`],
    });
    // A flag of another leaf of the same group.
    expect((await run("tx", "dcert", "vote", "--member", "x")).err).toEqual([`error: "tx dcert vote" has no flag --member; run "dcertd tx dcert vote --help" for its flags`]);
    expect((await run("keys", "list", "-a")).err).toEqual([`error: "keys list" has no flag -a; run "dcertd keys list --help" for its flags`]);
    expect(await run("start", "--bogus=1")).toEqual({ code: 2, out: "", err: [`error: "start" has no flag --bogus; run "dcertd start --help" for its flags`] });
  });

  test("an unknown flag on a group names the flag and the group's --help", async () => {
    expect(await run("tx", "--bogus")).toEqual({ code: 2, out: "", err: [`error: "tx" has no flag --bogus; run "dcertd tx --help" for its commands and flags`] });
    expect((await run("q", "bank", "--bogus")).err).toEqual([`error: "q" has no flag --bogus; run "dcertd q --help" for its commands and flags`]);
  });

  test("unknown commands, at the top and in a group, with or without --help", async () => {
    expect(await run("nope")).toEqual({ code: 2, out: "", err: [`error: unknown command "nope"; run "dcertd --help" to list the commands`] });
    for (const argv of [
      ["tx", "staking", "frobnicate"],
      ["tx", "staking", "frobnicate", "--help"],
    ]) {
      expect(await run(...argv)).toEqual({ code: 2, out: "", err: [`error: unknown command "tx staking frobnicate"; run "dcertd tx --help" to list the commands`] });
    }
    expect((await run("keys")).err).toEqual([`error: name a command; run "dcertd keys --help" to list the commands`]);
  });

  test("a missing required flag or flag value points at the command's --help", async () => {
    expect(await run("start")).toEqual({
      code: 2,
      out: "",
      err: [`error: --home <dir> is required (the app's data directory); run "dcertd start --help" for usage`],
    });
    expect((await run("start", "--home")).err).toEqual([`error: flag --home needs a value; run "dcertd start --help" for usage`]);
    expect((await run("export", "--clear-broken-routes=yes")).err).toEqual([`error: flag --clear-broken-routes takes no value; run "dcertd export --help" for usage`]);
    const tx = await run("tx", "dcert", "leave", "-y");
    expect(tx.code).toBe(2);
    expect(tx.err).toEqual([`error: --from <key> is required (a key name from "dcertd keys list", or its address); run "dcertd tx dcert leave --help" for usage`]);
  });

  test("a failure of the command itself exits 1 in the same format", async () => {
    const r = await run("export", "--home", "/nonexistent/dcert-home");
    expect(r.code).toBe(1);
    expect(r.err).toEqual([expect.stringMatching(/^error: no app state under \/nonexistent\/dcert-home: .*; give --home the app's data directory or a devnet home$/)]);
  });
});

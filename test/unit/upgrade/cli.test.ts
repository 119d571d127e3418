/**
 * The `tx upgrade` and `q upgrade` commands on the real command table (their help), and the
 * argument checks that refuse bad names, heights and hashes before anything is signed or sent.
 */
import { runCli, type CommandNode } from "../../../src/cli/args";
import { queryCommand } from "../../../src/cli/query";
import { txCommand } from "../../../src/cli/tx";
import { UsageError, type ParsedArgs } from "../../../src/cli/args";
import { heightFlag, planNameArg, sha256Flag } from "../../../src/cli/upgrade/common";

const COMMANDS: readonly CommandNode[] = [txCommand, queryCommand];

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
  const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
  try {
    return { code: await runCli("dcertd", COMMANDS, argv), out: out.join("\n"), err: err.join("\n") };
  } finally {
    a.mockRestore();
    b.mockRestore();
  }
}

test("tx upgrade and q upgrade list their commands", async () => {
  const tx = await run("tx", "--help");
  for (const c of ["upgrade software-upgrade <name>", "upgrade cancel-software-upgrade", "upgrade pre-approve <name>", "upgrade withdraw-pre-approval <name>"]) expect(tx.out).toContain(c);
  const q = await run("q", "--help");
  for (const c of ["upgrade plan", "upgrade applied <name>", "upgrade module-versions [module]", "upgrade params", "upgrade pre-approvals [name]"]) expect(q.out).toContain(c);
  const leaf = await run("tx", "upgrade", "software-upgrade", "--help");
  expect(leaf.code).toBe(0);
  expect(leaf.out).toContain("--upgrade-height");
  expect(leaf.out).toContain("--deposit");
});

test("names, heights and hashes are checked before anything is signed (usage errors)", () => {
  const args = (flags: Record<string, string>): ParsedArgs => ({ positionals: [], flags });
  expect(planNameArg("v2")).toBe("v2");
  expect(() => planNameArg("bad name")).toThrow(UsageError);
  expect(() => planNameArg("bad name")).toThrow("must start with a letter or digit");
  expect(() => planNameArg(undefined)).toThrow("missing <name>");
  expect(heightFlag(args({ "upgrade-height": "120" }), "upgrade-height")).toBe(120n);
  for (const h of ["0", "-1", "1.5", "x", "9223372036854775808"]) expect(() => heightFlag(args({ "upgrade-height": h }), "upgrade-height")).toThrow("positive block height");
  expect(() => heightFlag(args({}), "upgrade-height")).toThrow("--upgrade-height <height> is required");
  expect(sha256Flag(args({ "binary-sha256": "AB".repeat(32) }), "binary-sha256")).toBe("ab".repeat(32));
  expect(() => sha256Flag(args({ "binary-sha256": "abc" }), "binary-sha256")).toThrow("64 lowercase hex");
  expect(() => sha256Flag(args({}), "binary-sha256")).toThrow("sha256sum");
});

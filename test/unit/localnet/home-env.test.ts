/**
 * One home variable (issue 16): the devnet and testnet directories default below DCERTD_HOME; the
 * old DCERT_HOME / DCERT_TESTNET still work for one release, with a deprecation warning.
 */
import * as os from "node:os";
import * as path from "node:path";
import { resolveDevnetHome } from "../../../src/localnet/devnet";
import { resolveTestnetDir } from "../../../src/localnet/testnet";

function collect(): { warn: (l: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { warn: (l) => lines.push(l), lines };
}

describe.each([
  ["devnet", resolveDevnetHome, "DCERT_HOME"],
  ["testnet", resolveTestnetDir, "DCERT_TESTNET"],
] as const)("%s directory", (sub, resolve, legacy) => {
  test("the flag wins over every variable, silently", () => {
    const w = collect();
    expect(resolve("rel/dir", { DCERTD_HOME: "/h", [legacy]: "/old" }, w.warn)).toBe(path.resolve("rel/dir"));
    expect(w.lines).toEqual([]);
  });

  test("DCERTD_HOME puts it in $DCERTD_HOME/<sub>", () => {
    const w = collect();
    expect(resolve(undefined, { DCERTD_HOME: "/h" }, w.warn)).toBe(path.join("/h", sub));
    expect(w.lines).toEqual([]);
  });

  test("with no flag and no variable it is ~/.dcert/<sub>", () => {
    const w = collect();
    expect(resolve(undefined, {}, w.warn)).toBe(path.join(os.homedir(), ".dcert", sub));
    expect(resolve(undefined, { DCERTD_HOME: "", [legacy]: "" }, w.warn)).toBe(path.join(os.homedir(), ".dcert", sub));
    expect(w.lines).toEqual([]);
  });

  test(`the deprecated ${legacy} still works, ahead of DCERTD_HOME, and warns`, () => {
    const w = collect();
    expect(resolve(undefined, { [legacy]: "/old" }, w.warn)).toBe(path.resolve("/old"));
    expect(resolve(undefined, { [legacy]: "/old", DCERTD_HOME: "/h" }, w.warn)).toBe(path.resolve("/old"));
    expect(w.lines).toHaveLength(2);
    expect(w.lines[0]).toMatch(new RegExp(`^${legacy} is deprecated .*DCERTD_HOME`));
  });

  test("the default warning goes to stderr", () => {
    const spy = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      resolve(undefined, { [legacy]: "/old" });
      expect(spy).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`^warning: ${legacy} is deprecated`)));
    } finally {
      spy.mockRestore();
    }
  });
});

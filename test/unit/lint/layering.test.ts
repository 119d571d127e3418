/**
 * The layering lint rule (eslint/layering.mjs) refuses imports against ARCHITECTURE.md's layers and
 * accepts the allowed ones. ESLint runs as `npm run lint` does, on source given on stdin under a
 * path inside src/, so the test sees exactly what CI sees.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const ESLINT = path.join(ROOT, "node_modules", "eslint", "bin", "eslint.js");

function lint(file: string, source: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [ESLINT, "--max-warnings", "0", "--stdin", "--stdin-filename", file], { cwd: ROOT, input: source, encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("layering lint rule", () => {
  test.each([
    ["src/baseapp/probe.ts", "baseapp may not import x", 'import { AuthKeeper } from "../x/auth/keeper";\nexport const k = AuthKeeper;\n'],
    ["src/baseapp/store/probe.ts", "baseapp may not import app", 'import { createApp } from "../../app/node";\nexport const c = createApp;\n'],
    ["src/client/probe.ts", "client may not import baseapp", 'import { App } from "../baseapp/app";\nexport const a = App;\n'],
    ["src/x/dcert/electionator/probe.ts", "x/dcert/electionator may not import baseapp", 'import { ChainError } from "../../../baseapp/errors";\nexport const e = ChainError;\n'],
    ["src/x/dcert/probe.ts", "x may not import client", 'import { DcertClient } from "../../client/dcertclient";\nexport const d = DcertClient;\n'],
    ["src/x/bank/probe.ts", "x may not import app", 'export { runNode } from "../../app/node";\n'],
    ["src/types/probe.ts", "types may not import x", 'export * from "../x/dcert/keys";\n'],
    ["src/x/coord/match/probe.ts", "x/coord/match may not import x", 'import { normalizeRoute } from "../../dcert/circuit/routes";\nexport const n = normalizeRoute;\n'],
    ["src/x/coord/match/probe.ts", "x/coord/match may not import baseapp", 'import { ChainError } from "../../../baseapp/errors";\nexport const e = ChainError;\n'],
  ])("%s: refused (%s)", (file, message, source) => {
    const r = lint(file, source);
    expect(r.out).toContain(message);
    expect(r.out).toContain("dcert/layering");
    expect(r.status).toBe(1);
  });

  test.each([
    ["src/x/dcert/probe.ts", 'import { DCERT_TYPE_URLS } from "../../types/messages";\nimport { Context } from "../../baseapp/context";\nexport const t = [DCERT_TYPE_URLS, Context];\n'],
    ["src/app/probe.ts", 'import { StakingKeeper } from "../x/staking/keeper";\nexport const s = StakingKeeper;\n'],
    ["src/client/probe.ts", 'import { DCERT_TYPE_URLS } from "../types/messages";\nexport const t = DCERT_TYPE_URLS;\n'],
    ["src/x/coord/match/probe.ts", 'import { ComponentKind } from "../../../generated/coord/v1/types";\nexport const k = ComponentKind;\n'],
    ["src/x/coord/match/probe.ts", 'import { checkRoute } from "../../../types/routes";\nexport const c = checkRoute;\n'],
    ["src/x/coord/probe.ts", 'import { anyMatch } from "./match";\nexport const a = anyMatch;\n'],
    ["src/app/probe.ts", 'import { anyMatch } from "../x/coord/match";\nexport const a = anyMatch;\n'],
  ])("%s: allowed", (file, source) => {
    const r = lint(file, source);
    expect(r.out).not.toContain("dcert/layering");
    expect(r.status).toBe(0);
  });

  test("a known exception is per file: another runtime file may not import a module", () => {
    const r = lint("src/baseapp/router.ts", 'import { BankKeeper } from "../x/bank/keeper";\nexport const b = BankKeeper;\n');
    expect(r.out).toContain("baseapp may not import x");
    expect(r.status).toBe(1);
  });
});

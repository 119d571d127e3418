/**
 * `dcertd version`: the pieces (package version, commit, build hash, CometBFT pin, app protocol
 * version) and the command's text and -o json output, `--version`, and its usage errors.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli, type CommandNode } from "../../../src/cli/args";
import { createApp } from "../../../src/app/node";
import { MemoryCommitStore } from "../../../src/baseapp/store/memory";
import { findRepoRoot } from "../../../src/localnet/devnet";
import { APP_PROTOCOL_VERSION, cometbftPin, gitCommit, packageVersion, treeHash, UNKNOWN, versionCommand, versionInfo } from "../../../src/cli/version";

const COMMANDS: readonly CommandNode[] = [versionCommand];
const ROOT = findRepoRoot(__dirname);

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

const tmp: string[] = [];
function tmpdir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-version-"));
  tmp.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});

describe("the pieces", () => {
  test("the app protocol version is the one the app answers in Info (/abci_info app_version)", () => {
    const app = createApp({ store: new MemoryCommitStore() });
    const info = app.info({ version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" });
    expect(info.appVersion).toBe(APP_PROTOCOL_VERSION);
  });

  test("the package version is package.json's", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(packageVersion(ROOT)).toBe(pkg.version);
    expect(packageVersion(tmpdir())).toBe(UNKNOWN);
  });

  test("the CometBFT pin is read from scripts/install-cometbft.sh, without the v", () => {
    const script = fs.readFileSync(path.join(ROOT, "scripts", "install-cometbft.sh"), "utf8");
    const pinned = /COMETBFT_VERSION:-v([0-9.]+)\}/.exec(script)?.[1];
    expect(pinned).toMatch(/^0\.38\.\d+$/);
    expect(cometbftPin(script)).toBe(pinned);
    expect(cometbftPin('#!/bin/sh\nCOMETBFT_VERSION="${COMETBFT_VERSION:-v0.38.7-rc1}"\n')).toBe("0.38.7-rc1");
    expect(cometbftPin("echo no pin here")).toBe(UNKNOWN);
  });

  test("the commit is git's, and unknown outside a git checkout", () => {
    expect(gitCommit(ROOT)).toMatch(/^[0-9a-f]{40}$/);
    expect(gitCommit(tmpdir())).toBe(UNKNOWN);
  });

  test("the build hash covers names and contents, not the order files were written in", () => {
    const a = tmpdir();
    const b = tmpdir();
    fs.mkdirSync(path.join(a, "cli"));
    fs.writeFileSync(path.join(a, "cli", "x.js"), "x");
    fs.writeFileSync(path.join(a, "b.js"), "bb");
    fs.writeFileSync(path.join(b, "b.js"), "bb");
    fs.mkdirSync(path.join(b, "cli"));
    fs.writeFileSync(path.join(b, "cli", "x.js"), "x");
    expect(treeHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(treeHash(a)).toBe(treeHash(b));
    fs.writeFileSync(path.join(b, "cli", "x.js"), "y");
    expect(treeHash(a)).not.toBe(treeHash(b));
    fs.writeFileSync(path.join(b, "cli", "x.js"), "x");
    fs.renameSync(path.join(b, "b.js"), path.join(b, "c.js"));
    expect(treeHash(a)).not.toBe(treeHash(b));
    expect(treeHash(path.join(a, "missing"))).toBe(UNKNOWN);
  });

  test("versionInfo has every field", () => {
    const v = versionInfo(ROOT);
    expect(Object.keys(v)).toEqual(["version", "commit", "build_hash", "cometbft", "node", "app_version", "upgrade_handlers"]);
    expect(v.node).toBe(process.version);
    expect(v.app_version).toBe("1");
  });
});

describe("the command", () => {
  const version = packageVersion(ROOT);

  test("version and --version print the package version alone", async () => {
    for (const argv of [["version"], ["--version"]]) {
      const r = await run(...argv);
      expect(r).toEqual({ code: 0, out: version, err: "" });
    }
  });

  test("--long prints key: value lines", async () => {
    const r = await run("version", "--long");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines.map((l) => l.split(":")[0])).toEqual(["version", "commit", "build_hash", "cometbft", "node", "app_version", "upgrade_handlers"]);
    expect(lines[0]).toBe(`version: ${version}`);
    expect(lines[4]).toBe(`node: ${process.version}`);
  });

  test("-o json (and --output json, and --version -o json) prints every field", async () => {
    for (const argv of [["version", "-o", "json"], ["version", "--output", "json", "--long"], ["--version", "-o", "json"]]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as Record<string, string>;
      expect(Object.keys(j)).toEqual(["version", "commit", "build_hash", "cometbft", "node", "app_version", "upgrade_handlers"]);
      expect(j["version"]).toBe(version);
      expect(j["app_version"]).toBe("1");
      expect(j["cometbft"]).toMatch(/^0\.38\.\d+$/);
      expect(j["build_hash"]).toMatch(/^([0-9a-f]{64}|unknown)$/);
    }
  });

  test("usage mistakes exit 2 with error: what; what to do", async () => {
    const bad = await run("version", "-o", "yaml");
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('error: --output must be text or json, got "yaml"; run "dcertd version --help" for usage');
    const extra = await run("version", "now");
    expect(extra.code).toBe(2);
    expect(extra.err).toMatch(/^error: unexpected argument "now"; run "dcertd version --help"/);
    const flag = await run("version", "--node", "x");
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/^error: "version" has no flag --node; run "dcertd version --help"/);
  });

  test("--help lists -o and --long", async () => {
    const r = await run("version", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("-o, --output <format>");
    expect(r.out).toContain("--long");
  });
});

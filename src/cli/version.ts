/**
 * `dcertd version` (and `dcertd --version`): the package version; with `--long` (or `-o json`) also
 * the git commit, a build hash, the pinned CometBFT version, the Node version and the app's
 * protocol version as `/abci_info` reports it. Everything is read locally: no node is contacted.
 *
 * - commit: `git rev-parse HEAD` in the repository the command runs from; "unknown" when that is
 *   not a git checkout or git is missing.
 * - build_hash: the build hash the node reports in its vote extensions (src/app/release.ts: the
 *   `.js` files of `dist/src` and release.json), so two installs print the same hash exactly when
 *   they run the same compiled code and manifest; "unknown" when the tree is not built.
 * - upgrade_handlers: the upgrade handlers the build carries (those of a release's release.json
 *   that are compiled in; every compiled handler for a plain build).
 * - cometbft: the pin `COMETBFT_VERSION="${COMETBFT_VERSION:-vX.Y.Z}"` of
 *   scripts/install-cometbft.sh, without the "v" (as `cometbft version` prints it).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { findRepoRoot } from "../localnet/devnet";
import { computeBuildHash, hex, readReleaseManifest } from "../app/release";
import { upgradeHandlerNames } from "../app/upgrades";
import { booleanFlag, UsageError, type Command } from "./args";
import { emit, OUTPUT_FLAG, outputFormat, type Json } from "./output";

/**
 * The app's protocol version, the `app_version` of `/abci_info` (the `appVersion` that
 * src/baseapp/app.ts `info()` answers). A unit test checks that the two agree.
 */
export const APP_PROTOCOL_VERSION = 1n;

export const UNKNOWN = "unknown";

export interface VersionInfo {
  readonly version: string;
  readonly commit: string;
  readonly build_hash: string;
  readonly cometbft: string;
  readonly node: string;
  readonly app_version: string;
  readonly upgrade_handlers: readonly string[];
}

/** The package version of package.json in `root`. */
export function packageVersion(root: string): string {
  try {
    const v = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version?: unknown }).version;
    return typeof v === "string" ? v : UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

/** The commit checked out in `root`, or "unknown" when it is not a git checkout (or git is missing). */
export function gitCommit(root: string): string {
  try {
    const out = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"], timeout: 5000, encoding: "utf8" }).trim();
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(out) ? out : UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

function filesUnder(dir: string, rel = ""): string[] {
  const out: string[] = [];
  const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).map((e) => e.name);
  // Byte order of the names, not the locale's: the same tree gives the same hash everywhere.
  entries.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of entries) {
    const r = rel === "" ? name : `${rel}/${name}`;
    const st = fs.statSync(path.join(dir, r));
    if (st.isDirectory()) out.push(...filesUnder(dir, r));
    else if (st.isFile()) out.push(r);
  }
  return out;
}

/** SHA-256 (hex) of the tree under `dir` as described above, or "unknown" when `dir` does not exist. */
export function treeHash(dir: string): string {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return UNKNOWN;
  const h = createHash("sha256");
  for (const rel of filesUnder(dir)) {
    const data = fs.readFileSync(path.join(dir, rel));
    h.update(`${rel}\0${data.length}\0`);
    h.update(data);
  }
  return h.digest("hex");
}

/** The CometBFT version pinned by an install-cometbft.sh text, without the "v"; "unknown" if absent. */
export function cometbftPin(script: string): string {
  const m = /^COMETBFT_VERSION="\$\{COMETBFT_VERSION:-v?([0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+-]*)\}"/m.exec(script);
  return m?.[1] ?? UNKNOWN;
}

function pinnedCometbft(root: string): string {
  try {
    return cometbftPin(fs.readFileSync(path.join(root, "scripts", "install-cometbft.sh"), "utf8"));
  } catch {
    return UNKNOWN;
  }
}

/** The node's build hash (hex) of the build at `root`, or "unknown" when it is not built. */
export function buildHashOf(root: string): string {
  try {
    return hex(computeBuildHash(root));
  } catch {
    return UNKNOWN;
  }
}

/** The handlers the build at `root` carries (its release.json, else every compiled one); ["unknown"] for a bad manifest. */
export function upgradeHandlersOf(root: string): string[] {
  try {
    const m = readReleaseManifest(root);
    return upgradeHandlerNames(m === undefined ? undefined : { appVersion: m.app_version, buildHash: new Uint8Array(32), upgradeHandlers: m.upgrades });
  } catch {
    return [UNKNOWN];
  }
}

/** Everything `version --long` prints, for the repository at `root`. */
export function versionInfo(root: string = findRepoRoot(__dirname)): VersionInfo {
  return {
    version: packageVersion(root),
    commit: gitCommit(root),
    build_hash: buildHashOf(root),
    cometbft: pinnedCometbft(root),
    node: process.version,
    app_version: APP_PROTOCOL_VERSION.toString(),
    upgrade_handlers: upgradeHandlersOf(root),
  };
}

/** The `--long` text: `key: value` lines, as `simd version --long` prints them. */
export function versionText(v: VersionInfo): string {
  return [
    `version: ${v.version}`,
    `commit: ${v.commit}`,
    `build_hash: ${v.build_hash}`,
    `cometbft: ${v.cometbft}`,
    `node: ${v.node}`,
    `app_version: ${v.app_version}`,
    `upgrade_handlers: ${v.upgrade_handlers.length === 0 ? "(none)" : v.upgrade_handlers.join(",")}`,
  ].join("\n");
}

export const versionCommand: Command = {
  name: "version",
  summary: "print the version (--long: commit, build hash, CometBFT, Node, app version, upgrade handlers)",
  details: [
    "Without --long, text output is the package version alone; -o json always prints every field:",
    "{version, commit, build_hash, cometbft, node, app_version, upgrade_handlers}. Nothing is asked of a node.",
    "commit: git rev-parse HEAD of this checkout (\"unknown\" outside git); build_hash: the build hash the",
    "node reports in its vote extensions (see docs/cli.md); cometbft: the pin of scripts/install-cometbft.sh;",
    "app_version: the protocol version the app reports in /abci_info; upgrade_handlers: the handlers a",
    "release carries (release.json), every compiled one for a plain build. Also: dcertd --version.",
  ],
  shorts: true,
  flags: [{ name: "long", boolean: true, description: "also the commit, build hash, CometBFT, Node and app versions, upgrade handlers" }, OUTPUT_FLAG],
  run(args) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
    const json = outputFormat(args) === "json";
    if (!json && !booleanFlag(args, "long")) {
      console.log(packageVersion(findRepoRoot(__dirname)));
      return Promise.resolve(0);
    }
    const v = versionInfo();
    emit(args, { ...v, upgrade_handlers: [...v.upgrade_handlers] } as { [key: string]: Json }, versionText(v));
    return Promise.resolve(0);
  },
};

#!/usr/bin/env node
// Makes a release of the current build: node scripts/make-release.mjs --out DIR [--without-upgrade NAME]…
// (npm run release -- --out DIR …). Build first (npm run build).
//
// DIR gets a copy of dist/src (the compiled app and CLI) and package.json, a node_modules link to
// this checkout's node_modules, bin/dcertd (a wrapper that runs the release's dcertd with node) and
// release.json {"app_version", "upgrades"}: the upgrade handlers the release carries, every compiled
// handler (src/app/upgrades/) but those named by --without-upgrade. It prints the build hash the
// release's nodes report (src/app/release.ts). A node runs a release with
// `DIR/bin/dcertd start --home …`; `dcertd testnet upgrade --binary DIR` and
// `dcertd devnet --binary DIR` take DIR. See docs/upgrade-operators.md.
import console from "node:console";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const USAGE = "usage: node scripts/make-release.mjs --out DIR [--without-upgrade NAME]...";

function fail(msg) {
  console.error(`make-release: ${msg}`);
  process.exit(2);
}

function parseArgs(argv) {
  let out;
  const without = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) fail(`${a} needs a value; ${USAGE}`);
      return v;
    };
    if (a === "--out") out = value();
    else if (a.startsWith("--out=")) out = a.slice("--out=".length);
    else if (a === "--without-upgrade") without.push(value());
    else if (a.startsWith("--without-upgrade=")) without.push(a.slice("--without-upgrade=".length));
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unexpected argument ${a}; ${USAGE}`);
  }
  if (out === undefined) fail(`--out is required; ${USAGE}`);
  return { out: path.resolve(out), without };
}

/** The names of the compiled upgrade handlers (src/app/upgrades/), whatever shape the registry has. */
function compiledHandlers(require, dist) {
  const file = path.join(dist, "src", "app", "upgrades", "index.js");
  if (!fs.existsSync(file)) return [];
  const mod = require(file);
  if (typeof mod.upgradeHandlerNames === "function") return [...mod.upgradeHandlerNames(undefined)];
  const reg = mod.UPGRADE_HANDLERS;
  if (Array.isArray(reg)) return reg.map((h) => (typeof h === "string" ? h : h.name));
  if (reg instanceof Map) return [...reg.keys()];
  if (reg !== null && typeof reg === "object") return Object.keys(reg);
  return [];
}

function main() {
  const { out, without } = parseArgs(process.argv.slice(2));
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const dist = path.join(root, "dist");
  const entry = path.join(dist, "src", "cli", "dcertd.js");
  if (!fs.existsSync(entry)) fail(`${entry} does not exist; build first: npm run build`);
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) fail(`${out} is not empty; choose another --out or delete it`);
  if (out === root || out.startsWith(`${root}${path.sep}dist`)) fail(`--out must be outside this checkout's dist/ (got ${out})`);

  const require = createRequire(import.meta.url);
  const release = require(path.join(dist, "src", "app", "release.js"));
  const { APP_VERSION } = require(path.join(dist, "src", "baseapp", "app.js"));
  const compiled = compiledHandlers(require, dist);
  for (const name of without) {
    if (!compiled.includes(name)) fail(`--without-upgrade ${name}: this build has no such handler (compiled: ${compiled.join(", ") || "none"})`);
  }
  const manifest = release.parseReleaseManifest(
    JSON.stringify({ app_version: APP_VERSION, upgrades: compiled.filter((n) => !without.includes(n)) }),
    "release.json",
  );

  fs.mkdirSync(path.join(out, "dist"), { recursive: true });
  fs.cpSync(path.join(dist, "src"), path.join(out, "dist", "src"), { recursive: true });
  fs.copyFileSync(path.join(root, "package.json"), path.join(out, "package.json"));
  fs.symlinkSync(fs.realpathSync(path.join(root, "node_modules")), path.join(out, "node_modules"), "dir");
  fs.mkdirSync(path.join(out, "bin"));
  const wrapper = path.join(out, "bin", "dcertd");
  fs.writeFileSync(
    wrapper,
    [
      "#!/bin/sh",
      "# The dcertd of this release (made by scripts/make-release.mjs): runs its compiled CLI with node.",
      'here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)',
      'exec "${NODE:-node}" --max-semi-space-size=64 "$here/../dist/src/cli/dcertd.js" "$@"',
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(out, release.RELEASE_MANIFEST), release.releaseManifestJson(manifest));
  const hash = release.hex(release.computeBuildHash(out));
  console.log(`release ${out}`);
  console.log(`  app_version: ${manifest.app_version}`);
  console.log(`  upgrades:    ${manifest.upgrades.length === 0 ? "(none)" : manifest.upgrades.join(", ")}`);
  console.log(`  build_hash:  ${hash}`);
  console.log(`run it:  ${wrapper} start --home <app home>`);
}

main();

#!/usr/bin/env node
/**
 * Adds lockfile entries for optional platform packages (e.g. @swc/core-darwin-arm64) that the
 * registry this project is built against does not serve. `npm install` skips them silently, but
 * `npm ci` then refuses the lockfile ("Missing: … from lock file"). Each entry records the exact
 * version from its parent's optionalDependencies and the os/cpu its name implies, so npm skips it
 * on other platforms without fetching. Run after regenerating package-lock.json.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const lockPath = path.join(__dirname, "..", "package-lock.json");
const lock = JSON.parse(fs.readFileSync(lockPath, "utf8"));
const packages = lock.packages;

const OS = ["darwin", "win32", "linux", "android", "freebsd", "openharmony", "sunos", "aix"];
const CPU = [
  ["arm64", "arm64"], ["aarch64", "arm64"], ["x64", "x64"], ["ia32", "ia32"], ["armv7", "arm"],
  ["arm", "arm"], ["ppc64", "ppc64"], ["s390x", "s390x"], ["loong64", "loong64"], ["riscv64", "riscv64"],
];

function platformOf(name) {
  const tokens = name.split("/").pop().split("-");
  const os = OS.find((o) => tokens.includes(o));
  const cpu = CPU.find(([t]) => tokens.includes(t));
  const out = {};
  if (os !== undefined) out.os = [os];
  if (cpu !== undefined) out.cpu = [cpu[1]];
  if (os === "linux") {
    if (tokens.some((t) => t.startsWith("musl"))) out.libc = ["musl"];
    else if (tokens.some((t) => t.startsWith("gnu"))) out.libc = ["glibc"];
  }
  return out;
}

let added = 0;
for (const [where, pkg] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${where === "" ? "" : `${where}/`}node_modules/${dep}`;
    if (packages[nested] !== undefined || packages[`node_modules/${dep}`] !== undefined) continue;
    if (!/^[0-9]+\.[0-9]+\.[0-9]+/.test(spec)) continue;
    const plat = platformOf(dep);
    if (plat.os === undefined && plat.cpu === undefined) continue;
    packages[`node_modules/${dep}`] = { version: spec, optional: true, ...plat };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} foreign-platform entries to package-lock.json`);

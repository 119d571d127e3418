#!/usr/bin/env node
// Checks `dcertd keys export/import` against the Cosmos SDK's own `simd keys import/export`, both
// ways, with a simd binary you built (e.g. with the Go module proxy). Run from a built checkout:
//
//   node scripts/keys-simd-interop.mjs /path/to/simd
//
// 1. a key made by dcertd, exported as armor, is imported by simd with the same public key;
// 2. a key made by simd, exported by simd (SDK v0.50 writes kdf argon2), is imported by dcertd
//    with the same public key.
// Exits 0 when both hold; prints what differs otherwise.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const simd = process.argv[2];
if (simd === undefined) {
  console.error("usage: node scripts/keys-simd-interop.mjs /path/to/simd");
  process.exit(2);
}
const dcertd = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "dist", "src", "cli", "dcertd.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keys-simd-"));
const dHome = path.join(tmp, "dcertd");
const sHome = path.join(tmp, "simd");
const env = { ...process.env, DCERTD_KEYRING_BACKEND: "test" };
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: "utf8", env, ...opts });
const keyOf = (json) => {
  const pk = JSON.parse(json).pubkey;
  return typeof pk === "string" && pk.startsWith("{") ? JSON.parse(pk).key : pk;
};
let failed = false;
try {
  // dcertd → simd
  const made = JSON.parse(run(process.execPath, [dcertd, "keys", "add", "fromdcertd", "--no-backup", "--home", dHome, "-o", "json"]));
  const armor = run(process.execPath, [dcertd, "keys", "export", "fromdcertd", "--home", dHome], { env: { ...env, DCERT_EXPORT_PASSPHRASE: "interop pass 1" } });
  fs.writeFileSync(path.join(tmp, "a.armor"), armor);
  run(simd, ["keys", "import", "fromdcertd", path.join(tmp, "a.armor"), "--keyring-backend", "test", "--home", sHome], { input: "interop pass 1\n" });
  const inSimd = keyOf(run(simd, ["keys", "show", "fromdcertd", "--keyring-backend", "test", "--home", sHome, "--output", "json"]));
  console.log(`dcertd → simd: ${inSimd === made.pubkey ? "same public key" : `DIFFERENT (${made.pubkey} vs ${inSimd})`}`);
  failed ||= inSimd !== made.pubkey;

  // simd → dcertd
  run(simd, ["keys", "add", "fromsimd", "--keyring-backend", "test", "--home", sHome, "--output", "json"]);
  const simdKey = keyOf(run(simd, ["keys", "show", "fromsimd", "--keyring-backend", "test", "--home", sHome, "--output", "json"]));
  const simdArmor = run(simd, ["keys", "export", "fromsimd", "--keyring-backend", "test", "--home", sHome], { input: "interop pass 2\ninterop pass 2\n" });
  fs.writeFileSync(path.join(tmp, "s.armor"), simdArmor);
  const imported = JSON.parse(run(process.execPath, [dcertd, "keys", "import", "fromsimd", path.join(tmp, "s.armor"), "--home", dHome, "-o", "json"], { env: { ...env, DCERT_IMPORT_PASSPHRASE: "interop pass 2" } }));
  console.log(`simd → dcertd: ${imported.pubkey === simdKey ? "same public key" : `DIFFERENT (${simdKey} vs ${imported.pubkey})`}`);
  failed ||= imported.pubkey !== simdKey;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

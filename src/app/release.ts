/**
 * The identity of the build a node runs: its app version, a hash
 * of its compiled code and the upgrade handlers it carries. Reported in every vote extension
 * (readiness) and used to pick the handlers the upgrade module may apply.
 *
 * A build is the directory holding `dist/` (the repository after `npm run build`, or a *release*
 * made by scripts/make-release.mjs: `dist/`, `package.json`, a `node_modules` link, `bin/dcertd`
 * and `release.json`). `release.json` is `{"app_version": "0.1.0", "upgrades": ["v2", …]}`: the
 * handlers the release carries. Without it the build carries every compiled handler.
 *
 * The build hash is SHA-256 over the text
 *
 *   "dcert-build-v1\n" then, for every `.js` file under `dist/src/` in byte order of its path
 *   relative to `dist/src/` ("/" separators): path "\0" hex(SHA-256(file)) "\n"; then, when
 *   release.json exists: "release.json\0" hex(SHA-256(release.json)) "\n".
 *
 * So two nodes report the same hash exactly when they run the same compiled code with the same
 * manifest; source maps, type declarations and node_modules do not count.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { APP_VERSION } from "../baseapp/app";
import type { BuildIdentity } from "../x/upgrade/build";
import { isValidPlanName } from "../types/upgrade/names";

export const RELEASE_MANIFEST = "release.json";
const HASH_DOMAIN = "dcert-build-v1\n";
/** The vote extension's limits (docs/upgrades.md): app version ≤ 64 printable ASCII, ≤ 32 handler names. */
const APP_VERSION_RE = /^[\x21-\x7e][\x20-\x7e]{0,63}$/;
export const MAX_RELEASE_UPGRADES = 32;

/** The contents of release.json. */
export interface ReleaseManifest {
  readonly app_version: string;
  /** Sorted, unique plan names. */
  readonly upgrades: readonly string[];
}

/** Parses and checks release.json's text; throws an Error naming `file` and what is wrong. */
export function parseReleaseManifest(text: string, file: string = RELEASE_MANIFEST): ReleaseManifest {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`${file} must be an object {"app_version", "upgrades"}`);
  const o = v as { app_version?: unknown; upgrades?: unknown };
  if (typeof o.app_version !== "string" || !APP_VERSION_RE.test(o.app_version)) {
    throw new Error(`${file}: app_version must be 1–64 printable ASCII characters, got ${JSON.stringify(o.app_version)}`);
  }
  if (!Array.isArray(o.upgrades)) throw new Error(`${file}: upgrades must be a list of plan names`);
  const names: string[] = [];
  for (const n of o.upgrades as unknown[]) {
    if (typeof n !== "string" || !isValidPlanName(n)) {
      throw new Error(`${file}: ${JSON.stringify(n)} is not a plan name (1–140 characters [A-Za-z0-9._-], starting with a letter or digit)`);
    }
    names.push(n);
  }
  const upgrades = [...new Set(names)].sort(byteOrder);
  if (upgrades.length !== names.length) throw new Error(`${file}: upgrades lists a name twice`);
  if (upgrades.length > MAX_RELEASE_UPGRADES) throw new Error(`${file}: at most ${MAX_RELEASE_UPGRADES} upgrades, got ${upgrades.length}`);
  return { app_version: o.app_version, upgrades };
}

/** release.json's text for `m` (what make-release writes). */
export function releaseManifestJson(m: ReleaseManifest): string {
  return `${JSON.stringify({ app_version: m.app_version, upgrades: [...m.upgrades].sort(byteOrder) }, null, 2)}\n`;
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The build directory this code runs from: `<build>/dist/src/app` when compiled, `<repo>/src/app`
 * when run from source (tests, ts-node), so `<build>` is where `dist/` and release.json live.
 */
export function buildRoot(dir: string = __dirname): string {
  const up2 = path.resolve(dir, "..", "..");
  return path.basename(up2) === "dist" ? path.dirname(up2) : up2;
}

/** The `.js` files under `dir`, as "/"-separated relative paths in byte order. */
function jsFiles(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...jsFiles(dir, r));
    else if (e.isFile() && e.name.endsWith(".js")) out.push(r);
  }
  return out;
}

const sha256hex = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex");

/** The build hash of the build at `root` (see the top of this file). Throws when `root/dist/src` is missing. */
export function computeBuildHash(root: string): Uint8Array {
  const src = path.join(root, "dist", "src");
  if (!fs.existsSync(src)) throw new Error(`${src} does not exist: build first (npm run build)`);
  const h = createHash("sha256").update(HASH_DOMAIN);
  for (const rel of jsFiles(src).sort(byteOrder)) h.update(`${rel}\0${sha256hex(fs.readFileSync(path.join(src, rel)))}\n`);
  const manifest = path.join(root, RELEASE_MANIFEST);
  if (fs.existsSync(manifest)) h.update(`${RELEASE_MANIFEST}\0${sha256hex(fs.readFileSync(manifest))}\n`);
  return new Uint8Array(h.digest());
}

/** release.json of the build at `root`, or undefined when it is not a release. */
export function readReleaseManifest(root: string): ReleaseManifest | undefined {
  const file = path.join(root, RELEASE_MANIFEST);
  if (!fs.existsSync(file)) return undefined;
  return parseReleaseManifest(fs.readFileSync(file, "utf8"), file);
}

/**
 * The identity of the build at `root` (default: the one this code runs from): the release's
 * app_version and handler list when it is a release, else APP_VERSION and every compiled handler
 * (upgradeHandlers undefined).
 */
export function loadBuildIdentity(root: string = buildRoot()): BuildIdentity {
  const manifest = readReleaseManifest(root);
  const buildHash = computeBuildHash(root);
  return manifest === undefined ? { appVersion: APP_VERSION, buildHash } : { appVersion: manifest.app_version, buildHash, upgradeHandlers: manifest.upgrades };
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/**
 * The reference node of `npm run bench -- peer`: the Cosmos SDK's `simd`, built from Go module
 * proxy modules only (docs/benchmarks.md explains the choice of versions).
 *
 * `go install cosmossdk.io/simapp/simd@…` does not work for the v0.50 line: simapp has no release
 * tags and its go.mod replaces the SDK with `../.`, which `go install pkg@version` refuses. So a
 * throw-away main module holds simapp's own `simd/main.go` (copied unchanged from the module
 * cache) together with the SDK's replace directives, and `go get` pins the SDK, CometBFT and the
 * x/ modules simapp imports.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The simapp pseudo-version (v0.50 line, 2023-11-03) whose app wiring and `simd` command are built. */
export const SIMAPP_VERSION = "v0.0.0-20231103111158-e83a20081ced";
export const SIMD_SDK_VERSION = "v0.50.15";
export const SIMD_COMETBFT_VERSION = "v0.38.26";

/** Everything `go get` pins: the SDK and CometBFT, and v0.50-compatible tags of simapp's other modules. */
export const SIMD_MODULES: readonly string[] = [
  `cosmossdk.io/simapp@${SIMAPP_VERSION}`,
  `github.com/cosmos/cosmos-sdk@${SIMD_SDK_VERSION}`,
  `github.com/cometbft/cometbft@${SIMD_COMETBFT_VERSION}`,
  "cosmossdk.io/x/upgrade@v0.1.4",
  "cosmossdk.io/x/evidence@v0.1.1",
  "cosmossdk.io/x/feegrant@v0.1.1",
  "cosmossdk.io/x/nft@v0.1.1",
  "cosmossdk.io/x/circuit@v0.1.1",
  "cosmossdk.io/tools/confix@v0.1.2",
  "cosmossdk.io/client/v2@v2.0.0-beta.8",
];

/** The replace block of cosmos-sdk v0.50.15's own go.mod (replaces only apply in the main module). */
export const SDK_REPLACES: readonly (readonly [string, string])[] = [
  ["github.com/99designs/keyring", "github.com/cosmos/keyring v1.2.0"],
  ["github.com/dgrijalva/jwt-go", "github.com/golang-jwt/jwt/v4 v4.4.2"],
  ["github.com/gin-gonic/gin", "github.com/gin-gonic/gin v1.9.1"],
  ["github.com/syndtr/goleveldb", "github.com/syndtr/goleveldb v1.0.1-0.20210819022825-2ae1ddf74ef7"],
];

/** The go.mod of the build module. */
export function buildGoMod(): string {
  const replaces = SDK_REPLACES.map(([from, to]) => `\t${from} => ${to}\n`).join("");
  return `module simdbuild\n\ngo 1.23\n\nreplace (\n${replaces})\n`;
}

/** What a simd binary was built from (`simd version --long --output json`). */
export interface SimdBuildInfo {
  readonly go: string;
  /** "v0.50.15" etc.; undefined when the binary does not embed the module. */
  readonly sdk: string | undefined;
  readonly cometbft: string | undefined;
  readonly simapp: string | undefined;
  readonly iavl: string | undefined;
  readonly store: string | undefined;
}

function depVersion(deps: readonly string[], module: string): string | undefined {
  for (const d of deps) {
    // "module@version" or "module@version => replacement@version": the required version counts.
    const [required] = d.split(" => ");
    if (required?.startsWith(`${module}@`) === true) return required.slice(module.length + 1);
  }
  return undefined;
}

/** Parses the JSON of `simd version --long --output json`. */
export function parseSimdVersion(json: string): SimdBuildInfo {
  const v = JSON.parse(json) as { go?: unknown; build_deps?: unknown };
  const deps = Array.isArray(v.build_deps) ? v.build_deps.filter((d): d is string => typeof d === "string") : [];
  return {
    go: typeof v.go === "string" ? v.go.replace(/^go version /, "") : "",
    sdk: depVersion(deps, "github.com/cosmos/cosmos-sdk"),
    cometbft: depVersion(deps, "github.com/cometbft/cometbft"),
    simapp: depVersion(deps, "cosmossdk.io/simapp"),
    iavl: depVersion(deps, "github.com/cosmos/iavl"),
    store: depVersion(deps, "cosmossdk.io/store"),
  };
}

/** The build info of the simd at `bin`; an error saying what to do when it is not a usable reference node. */
export function checkSimd(bin: string): SimdBuildInfo {
  let out: string;
  try {
    out = execFileSync(bin, ["version", "--long", "--output", "json"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
  } catch (e) {
    throw new Error(`${bin} is not a runnable simd (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); unset BENCH_SIMD to build one`);
  }
  const info = parseSimdVersion(out);
  if (info.cometbft?.startsWith("v0.38.") !== true) {
    throw new Error(`${bin} embeds CometBFT ${info.cometbft ?? "(none)"}, not v0.38.x: the comparison needs the project's CometBFT line; unset BENCH_SIMD to build one`);
  }
  if (info.sdk?.startsWith("v0.50.") !== true) {
    throw new Error(`${bin} is built on cosmos-sdk ${info.sdk ?? "(none)"}, not v0.50.x; unset BENCH_SIMD to build one`);
  }
  return info;
}

function run(cmd: string, args: readonly string[], cwd: string, log: (line: string) => void): string {
  log(`  $ ${cmd} ${args.join(" ")}`);
  return execFileSync(cmd, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, GOFLAGS: "-mod=mod" },
  });
}

/**
 * Builds `<outDir>/simd` (the build module stays in `<outDir>/build`); every Go step runs at
 * `nice 19`, so a build on a shared machine yields to everything else. Returns the binary's path.
 */
export function buildSimd(outDir: string, log: (line: string) => void): string {
  const out = path.resolve(outDir);
  const build = path.join(out, "build");
  fs.mkdirSync(build, { recursive: true });
  fs.writeFileSync(path.join(build, "go.mod"), buildGoMod());
  fs.rmSync(path.join(build, "go.sum"), { force: true });
  const go = (args: readonly string[]): string => run("nice", ["-n", "19", "go", ...args], build, log);
  log(`building simd (cosmos-sdk ${SIMD_SDK_VERSION}, CometBFT ${SIMD_COMETBFT_VERSION}) in ${build}; several minutes when the Go caches are cold`);
  go(["mod", "download", `cosmossdk.io/simapp@${SIMAPP_VERSION}`]);
  const modCache = go(["env", "GOMODCACHE"]).trim();
  fs.copyFileSync(path.join(modCache, `cosmossdk.io/simapp@${SIMAPP_VERSION}`, "simd", "main.go"), path.join(build, "main.go"));
  fs.chmodSync(path.join(build, "main.go"), 0o644);
  go(["get", ...SIMD_MODULES]);
  const bin = path.join(out, "simd");
  go(["build", "-o", bin, "."]);
  return bin;
}

/** Where a built simd is kept between runs: `$BENCH_SIMD_DIR`, else a per-version folder under ~/.cache. */
export function simdBuildDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env["BENCH_SIMD_DIR"];
  if (dir !== undefined && dir !== "") return path.resolve(dir);
  return path.join(os.homedir(), ".cache", "dcert-bench", `simd-${SIMD_SDK_VERSION}`);
}

/**
 * The simd to compare with: `$BENCH_SIMD` when set (never built), else the one built earlier in
 * `simdBuildDir()`, else a new build there. Checked to embed CometBFT v0.38 and cosmos-sdk v0.50.
 */
export function resolveSimd(env: NodeJS.ProcessEnv, log: (line: string) => void): { bin: string; info: SimdBuildInfo } {
  const given = env["BENCH_SIMD"];
  if (given !== undefined && given !== "") {
    const bin = path.resolve(given);
    return { bin, info: checkSimd(bin) };
  }
  const bin = path.join(simdBuildDir(env), "simd");
  if (!fs.existsSync(bin)) buildSimd(simdBuildDir(env), log);
  else log(`using the simd built earlier: ${bin}`);
  return { bin, info: checkSimd(bin) };
}

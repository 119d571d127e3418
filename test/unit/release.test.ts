/**
 * Build identity (src/app/release.ts): release.json parsing, the build hash (which files count and
 * how), the build root, and the identity a node reports; the make-release script's usage errors.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { APP_VERSION } from "../../src/baseapp/app";
import {
  buildRoot,
  computeBuildHash,
  hex,
  loadBuildIdentity,
  MAX_RELEASE_UPGRADES,
  parseReleaseManifest,
  readReleaseManifest,
  releaseManifestJson,
  RELEASE_MANIFEST,
} from "../../src/app/release";
import { findRepoRoot } from "../../src/localnet/devnet";

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-release-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function put(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

const planName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,139}$/);

describe("release.json", () => {
  test("a valid manifest: names sorted in byte order, text round-trips", () => {
    expect(parseReleaseManifest('{"app_version":"0.2.0","upgrades":["v3","V2","v2"]}')).toEqual({ app_version: "0.2.0", upgrades: ["V2", "v2", "v3"] });
    fc.assert(
      fc.property(fc.uniqueArray(planName, { maxLength: MAX_RELEASE_UPGRADES }), fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,63}$/), (names, version) => {
        const m = parseReleaseManifest(JSON.stringify({ app_version: version, upgrades: names }));
        expect(new Set(m.upgrades)).toEqual(new Set(names));
        expect(parseReleaseManifest(releaseManifestJson(m))).toEqual(m);
      }),
    );
  });

  test.each([
    ["not JSON", "{", /^R is not JSON/],
    ["not an object", "[]", /^R must be an object/],
    ["no version", '{"upgrades":[]}', /^R: app_version must be 1–64 printable ASCII characters, got undefined/],
    ["a long version", JSON.stringify({ app_version: "1".repeat(65), upgrades: [] }), /app_version must be 1–64/],
    ["no upgrades", '{"app_version":"1"}', /^R: upgrades must be a list of plan names/],
    ["a bad name", '{"app_version":"1","upgrades":["../v2"]}', /^R: "\.\.\/v2" is not a plan name/],
    ["an empty name", '{"app_version":"1","upgrades":[""]}', /is not a plan name/],
    ["a number", '{"app_version":"1","upgrades":[2]}', /^R: 2 is not a plan name/],
    ["a duplicate", '{"app_version":"1","upgrades":["v2","v2"]}', /^R: upgrades lists a name twice/],
    ["too many", JSON.stringify({ app_version: "1", upgrades: Array.from({ length: 33 }, (_, i) => `v${i}`) }), /^R: at most 32 upgrades, got 33/],
  ])("refuses %s, naming the file", (_what, text, re) => {
    expect(() => parseReleaseManifest(text, "R")).toThrow(re);
  });

  test("any text: parsed into a valid manifest or refused with an Error, never anything else", () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.record({ app_version: fc.string(), upgrades: fc.array(fc.string()) }).map((o) => JSON.stringify(o))), (text) => {
        let m;
        try {
          m = parseReleaseManifest(text, "R");
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message.startsWith("R")).toBe(true);
          return;
        }
        expect([...m.upgrades].sort()).toEqual([...new Set(m.upgrades)].sort());
        for (const n of m.upgrades) expect(n).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,139}$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the build hash", () => {
  test("covers the .js files of dist/src by path and content, and release.json; nothing else", () => {
    const a = tmp();
    put(a, "dist/src/cli/dcertd.js", "cli");
    put(a, "dist/src/app/node.js", "node");
    const h0 = hex(computeBuildHash(a));
    expect(h0).toMatch(/^[0-9a-f]{64}$/);
    // The exact definition: domain, then path NUL sha256(content) LF in byte order.
    const sha = (s: string): string => createHash("sha256").update(s).digest("hex");
    expect(h0).toBe(sha(`dcert-build-v1\napp/node.js\0${sha("node")}\ncli/dcertd.js\0${sha("cli")}\n`));

    // The same files written in another order: the same hash.
    const b = tmp();
    put(b, "dist/src/app/node.js", "node");
    put(b, "dist/src/cli/dcertd.js", "cli");
    expect(hex(computeBuildHash(b))).toBe(h0);

    // Maps, declarations, other dist folders and node_modules do not count.
    put(b, "dist/src/app/node.js.map", "{}");
    put(b, "dist/src/app/node.d.ts", "export {}");
    put(b, "dist/bench/run.js", "bench");
    put(b, "node_modules/x/index.js", "x");
    expect(hex(computeBuildHash(b))).toBe(h0);

    // A changed, renamed or added .js file does.
    put(b, "dist/src/app/node.js", "node2");
    expect(hex(computeBuildHash(b))).not.toBe(h0);
    put(b, "dist/src/app/node.js", "node");
    fs.renameSync(path.join(b, "dist/src/app/node.js"), path.join(b, "dist/src/app/nodes.js"));
    expect(hex(computeBuildHash(b))).not.toBe(h0);
    fs.renameSync(path.join(b, "dist/src/app/nodes.js"), path.join(b, "dist/src/app/node.js"));
    put(b, "dist/src/x/new.js", "");
    expect(hex(computeBuildHash(b))).not.toBe(h0);
    fs.rmSync(path.join(b, "dist/src/x"), { recursive: true });
    expect(hex(computeBuildHash(b))).toBe(h0);

    // release.json counts: the same code released with other handlers is another build.
    put(b, RELEASE_MANIFEST, releaseManifestJson({ app_version: "0.1.0", upgrades: ["v2"] }));
    const withV2 = hex(computeBuildHash(b));
    expect(withV2).toBe(sha(`dcert-build-v1\napp/node.js\0${sha("node")}\ncli/dcertd.js\0${sha("cli")}\nrelease.json\0${sha(releaseManifestJson({ app_version: "0.1.0", upgrades: ["v2"] }))}\n`));
    put(b, RELEASE_MANIFEST, releaseManifestJson({ app_version: "0.1.0", upgrades: [] }));
    expect(hex(computeBuildHash(b))).not.toBe(withV2);
    expect(hex(computeBuildHash(b))).not.toBe(h0);
  });

  test("an unbuilt tree is refused with what to do", () => {
    expect(() => computeBuildHash(tmp())).toThrow(/dist[/\\]src does not exist: build first \(npm run build\)/);
  });
});

describe("the build identity", () => {
  test("the build root is the directory holding dist/, from compiled code or from source", () => {
    expect(buildRoot("/opt/rel/dist/src/app")).toBe("/opt/rel");
    expect(buildRoot("/repo/src/app")).toBe("/repo");
    expect(buildRoot()).toBe(findRepoRoot(__dirname));
  });

  test("a plain build carries every compiled handler; a release its manifest's", () => {
    const plain = tmp();
    put(plain, "dist/src/cli/dcertd.js", "cli");
    const p = loadBuildIdentity(plain);
    expect(p.appVersion).toBe(APP_VERSION);
    expect(p.upgradeHandlers).toBeUndefined();
    expect(hex(p.buildHash)).toBe(hex(computeBuildHash(plain)));
    expect(readReleaseManifest(plain)).toBeUndefined();

    const rel = tmp();
    put(rel, "dist/src/cli/dcertd.js", "cli");
    put(rel, RELEASE_MANIFEST, releaseManifestJson({ app_version: "0.2.0", upgrades: ["v2", "v1"] }));
    const r = loadBuildIdentity(rel);
    expect(r).toEqual({ appVersion: "0.2.0", buildHash: computeBuildHash(rel), upgradeHandlers: ["v1", "v2"] });
    expect(hex(r.buildHash)).not.toBe(hex(p.buildHash));

    put(rel, RELEASE_MANIFEST, '{"app_version":"0.2.0","upgrades":["bad/name"]}');
    expect(() => loadBuildIdentity(rel)).toThrow(`${path.join(rel, RELEASE_MANIFEST)}: "bad/name" is not a plan name`);
  });
});

describe("scripts/make-release.mjs", () => {
  const script = path.join(findRepoRoot(__dirname), "scripts", "make-release.mjs");
  function run(...args: string[]): { code: number; err: string } {
    try {
      execFileSync(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
      return { code: 0, err: "" };
    } catch (e) {
      const x = e as { status: number; stderr: string };
      return { code: x.status, err: x.stderr };
    }
  }

  test("usage mistakes exit 2 saying what to do", () => {
    expect(run()).toEqual({ code: 2, err: "make-release: --out is required; usage: node scripts/make-release.mjs --out DIR [--without-upgrade NAME]...\n" });
    expect(run("--out")).toMatchObject({ code: 2, err: expect.stringContaining("--out needs a value") as string });
    expect(run("--out", "x", "--bogus")).toMatchObject({ code: 2, err: expect.stringContaining("unexpected argument --bogus") as string });
    const full = tmp();
    fs.writeFileSync(path.join(full, "f"), "");
    const r = run("--out", full);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not empty; choose another --out or delete it|build first: npm run build/);
  });
});

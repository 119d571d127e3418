import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { buildTagsOf, cometbftBuildTags, dbBackendMismatch, DevnetError } from "../../../src/localnet/cometbft";
import { devnetPaths, startCometbft, type DevnetProcesses } from "../../../src/localnet/devnet";

function goVersionM(bin: string): string | undefined {
  try {
    return execFileSync("go", ["version", "-m", bin], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

/** Bytes shaped like a Go binary around its embedded build information. */
function fakeBinary(buildLines: readonly string[]): Buffer {
  const info = ["path\tgithub.com/cometbft/cometbft/cmd/cometbft", "mod\tgithub.com/cometbft/cometbft\tv0.38.26\th1:x=", ...buildLines.map((l) => `build\t${l}`), ""].join("\n");
  return Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]), Buffer.alloc(64, 0x90), Buffer.from(info, "latin1"), Buffer.alloc(32, 0)]);
}

describe("the Go build tags of a CometBFT binary", () => {
  it("reads the tags line of the build information", () => {
    expect(buildTagsOf(fakeBinary(["-buildmode=exe", "-compiler=gc", "-tags=pebbledb", "CGO_ENABLED=1"]))).toEqual(["pebbledb"]);
    expect(buildTagsOf(fakeBinary(["-tags=netgo,pebbledb,rocksdb"]))).toEqual(["netgo", "pebbledb", "rocksdb"]);
  });

  it("finds none in a plain build, in bytes that are not a Go binary, or in a line cut off at the end", () => {
    expect(buildTagsOf(fakeBinary(["-buildmode=exe", "-compiler=gc", "CGO_ENABLED=1"]))).toEqual([]);
    expect(buildTagsOf(new Uint8Array([1, 2, 3]))).toEqual([]);
    expect(buildTagsOf(Buffer.from("x\nbuild\t-tags=pebbledb", "latin1"))).toEqual([]);
  });

  it("reads a view into a larger buffer by its own offsets", () => {
    const whole = Buffer.concat([Buffer.from("\nbuild\t-tags=outside\n", "latin1"), fakeBinary(["-tags=pebbledb"])]);
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 21, whole.length - 21);
    expect(buildTagsOf(view)).toEqual(["pebbledb"]);
  });

  it("never throws on arbitrary bytes, and returns tags without commas or line breaks", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, withLine) => {
        const input = withLine ? Buffer.concat([Buffer.from(bytes), Buffer.from("\nbuild\t-tags=", "latin1"), Buffer.from(bytes), Buffer.from("\n")]) : bytes;
        for (const tag of buildTagsOf(input)) expect(tag).toMatch(/^[^,\n]+$/);
      }),
    );
  });

  // Outside CI there may be no binary to compare with: .ci/run sets COMETBFT_BIN, installed with Go.
  const bin = process.env["COMETBFT_BIN"];
  const goView = bin === undefined ? undefined : goVersionM(bin);
  (goView === undefined ? it.skip : it)("agrees with `go version -m` on the CometBFT the tests run with", () => {
    const line = /^\s*build\s+-tags=(.*)$/m.exec(goView!);
    expect([...cometbftBuildTags(bin!)]).toEqual(line === null ? [] : line[1]!.split(","));
  });
});

describe("the database backend of a CometBFT home", () => {
  function home(dbBackend: string | undefined): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbb-"));
    fs.mkdirSync(path.join(dir, "config"));
    const top = dbBackend === undefined ? "" : `db_backend = "${dbBackend}"\n`;
    fs.writeFileSync(path.join(dir, "config", "config.toml"), `proxy_app = "tcp://127.0.0.1:26658"\n${top}\n[rpc]\nladdr = "tcp://127.0.0.1:26657"\n`);
    return dir;
  }

  function binary(lines: readonly string[]): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dbbin-")), "cometbft");
    fs.writeFileSync(file, fakeBinary(lines));
    return file;
  }

  it("names the tag and the install command when the binary cannot open the home's stores", () => {
    const plain = binary(["-compiler=gc"]);
    const why = dbBackendMismatch(plain, home("pebbledb"));
    expect(why).toContain(`built without the "pebbledb" tag`);
    expect(why).toContain("COMETBFT_BUILD_TAGS=pebbledb bash scripts/install-cometbft.sh");
    expect(dbBackendMismatch(plain, home("rocksdb"))).toContain(`"rocksdb" tag`);
  });

  it("finds nothing wrong when the binary has the tag, for goleveldb, or without a config", () => {
    expect(dbBackendMismatch(binary(["-tags=pebbledb"]), home("pebbledb"))).toBeUndefined();
    expect(dbBackendMismatch(binary(["-compiler=gc"]), home("goleveldb"))).toBeUndefined();
    expect(dbBackendMismatch(binary(["-compiler=gc"]), home(undefined))).toBeUndefined();
    expect(dbBackendMismatch(binary(["-compiler=gc"]), fs.mkdtempSync(path.join(os.tmpdir(), "dbnone-")))).toBeUndefined();
  });

  it("refuses to start CometBFT on a home its binary cannot open, before starting anything", async () => {
    const paths = devnetPaths(fs.mkdtempSync(path.join(os.tmpdir(), "dbstart-")));
    fs.mkdirSync(path.join(paths.cometHome, "config"), { recursive: true });
    fs.writeFileSync(path.join(paths.cometHome, "config", "config.toml"), 'db_backend = "pebbledb"\n');
    const procs: DevnetProcesses = {};
    const start = startCometbft({ paths, ports: { rpc: 1, p2p: 2, abci: 3 }, cometbftBin: binary(["-compiler=gc"]), dcertdScript: "unused.js", procs });
    await expect(start).rejects.toThrow(DevnetError);
    await expect(start).rejects.toThrow(/built without the "pebbledb" tag/);
    expect(procs.comet).toBeUndefined();
  });

  it("reads a binary again when it is replaced", () => {
    const file = binary(["-compiler=gc"]);
    expect(cometbftBuildTags(file)).toEqual([]);
    fs.writeFileSync(file, fakeBinary(["-tags=pebbledb", "-compiler=gc", "CGO_ENABLED=1"]));
    expect(cometbftBuildTags(file)).toEqual(["pebbledb"]);
  });
});

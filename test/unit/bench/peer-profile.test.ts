import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { peerConfig, threadProfiles } from "../../../bench/peer/main";
import { parseProfileTargets, startGoProfiler, topSelfTime, type CpuProfile } from "../../../bench/peer/profile";

describe("BENCH_PROFILE", () => {
  it("takes app, cometbft or both, and names anything else", () => {
    expect(parseProfileTargets(undefined)).toEqual([]);
    expect(parseProfileTargets(" ")).toEqual([]);
    expect(parseProfileTargets("app")).toEqual(["app"]);
    expect(parseProfileTargets("cometbft, app app")).toEqual(["cometbft", "app"]);
    expect(() => parseProfileTargets("app,simd")).toThrow(/BENCH_PROFILE: "simd" is not "app" or "cometbft"/);
    expect(peerConfig({})).toMatchObject({ profile: [], profileDir: undefined });
    expect(peerConfig({ BENCH_PROFILE: "app,cometbft", BENCH_PROFILE_DIR: "/tmp/p" })).toMatchObject({ profile: ["app", "cometbft"], profileDir: "/tmp/p" });
  });
});

describe("the app profile's summary", () => {
  const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });
  // Node ids: 1 root, 2 (idle), 3 f in /x/a/b.js line 10, 4 g, 5 another f at the same place
  // (a second call path), 6 an anonymous function.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", "", -1) },
      { id: 2, callFrame: frame("(idle)", "", -1) },
      { id: 3, callFrame: frame("f", "file:///x/a/b.js", 9) },
      { id: 4, callFrame: frame("g", "file:///x/a/c.js", 0) },
      { id: 5, callFrame: frame("f", "file:///x/a/b.js", 9) },
      { id: 6, callFrame: frame("", "file:///x/a/c.js", 4) },
    ],
    // timeDeltas[i + 1] is sample i's duration (µs); the first delta is the gap before sampling.
    samples: [3, 4, 5, 2, 6, 3],
    timeDeltas: [999, 1000, 500, 2000, 7000, 250, 1500],
  };

  it("merges a function's samples across call paths, leaves idle out, and ranks by self time", () => {
    const s = topSelfTime(profile, 10);
    expect(s.idleMs).toBe(7);
    expect(s.busyMs).toBeCloseTo(5.25, 6);
    expect(s.top.map((r) => [r.function, r.where, r.selfMs])).toEqual([
      ["f", "a/b.js:10", 4.5],
      ["g", "a/c.js:1", 0.5],
      ["(anonymous)", "a/c.js:5", 0.25],
    ]);
    expect(s.top[0]!.percent).toBeCloseTo((100 * 4.5) / 5.25, 6);
    expect(topSelfTime(profile, 1).top).toHaveLength(1);
  });

  it("finds the main thread's file first among the threads V8 wrote", () => {
    const dir = mkdtempSync(join(tmpdir(), "dcert-profiles-test-"));
    try {
      for (const f of ["CPU.20261206.181621.22387.2.003.cpuprofile", "CPU.20261206.181620.22387.0.001.cpuprofile", "CPU.20261206.181621.22387.1.002.cpuprofile", "notes.txt"]) {
        writeFileSync(join(dir, f), "{}");
      }
      expect(threadProfiles(dir).map((f) => f.slice(dir.length + 1))).toEqual([
        "CPU.20261206.181620.22387.0.001.cpuprofile",
        "CPU.20261206.181621.22387.1.002.cpuprofile",
        "CPU.20261206.181621.22387.2.003.cpuprofile",
      ]);
      expect(threadProfiles(join(dir, "missing"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("CometBFT's profile slices", () => {
  let server: Server;
  let base: string;
  let requests: string[];
  let failNext = 0;

  beforeEach(async () => {
    requests = [];
    failNext = 0;
    // A stand-in for Go's pprof endpoint: answers each profile request with its own number.
    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end();
        return;
      }
      setTimeout(() => res.writeHead(200).end(`slice ${requests.length}`), 20);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it("takes consecutive slices until stopped, each into its own file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dcert-profiles-test-"));
    try {
      const p = startGoProfiler(base, dir, "dcert-1-cometbft", () => undefined, 1);
      while (requests.length < 3) await new Promise((r) => setTimeout(r, 5));
      const files = await p.stop();
      expect(files.length).toBeGreaterThanOrEqual(3);
      expect(files[0]).toBe(join(dir, "dcert-1-cometbft-1.pb.gz"));
      files.forEach((f, i) => expect(readFileSync(f, "utf8")).toBe(`slice ${i + 1}`));
      expect(requests.every((u) => u === "/debug/pprof/profile?seconds=1")).toBe(true);
      // Stopped: no slice after the one under way.
      const n = requests.length;
      await new Promise((r) => setTimeout(r, 60));
      expect(requests.length).toBe(n);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a failed slice and keeps going", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dcert-profiles-test-"));
    const lines: string[] = [];
    try {
      failNext = 1;
      const p = startGoProfiler(base, dir, "simd-1", (l) => lines.push(l), 0.01);
      while (requests.length < 2) await new Promise((r) => setTimeout(r, 5));
      const files = await p.stop();
      expect(lines[0]).toMatch(/simd-1: profile slice 1 failed \(HTTP 500\); is CometBFT's pprof server on at http:\/\/127\.0\.0\.1:\d+\?/);
      expect(files[0]).toBe(join(dir, "simd-1-2.pb.gz"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

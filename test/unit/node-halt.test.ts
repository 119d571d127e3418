/**
 * The node's upgrade halt (issue 14): a FinalizeBlock whose PreBlock throws UpgradeNeededError is
 * answered to CometBFT with an ABCI exception, `<home>/data/upgrade-info.json` is written in the
 * format cosmovisor reads, the UPGRADE NEEDED line is logged, nothing of the block is committed and
 * then the node stops (here through `onUpgradeNeeded`, in `dcertd start` by exiting with
 * EXIT_UPGRADE_NEEDED). At start, a build without the handler of a plan due at the next block
 * refuses to run.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import type { DeepPartial } from "cosmjs-types/helpers";
import { encodeFrames, FrameDecoder } from "../../src/baseapp/abci/framing";
import type { AppModule } from "../../src/baseapp/module";
import { LmdbCommitStore } from "../../src/baseapp/store/lmdb";
import {
  buildCarriesUpgrade,
  checkUpgradeAtStart,
  EXIT_STORE_CORRUPTION,
  EXIT_UPGRADE_NEEDED,
  haltOnUpgradeNeeded,
  readUpgradeInfo,
  runNode,
  upgradeInfoPath,
  writeUpgradeInfo,
} from "../../src/app/node";
import { developmentBuild } from "../../src/x/upgrade/build";
import { UpgradeNeededError, type PlanInfo } from "../../src/x/upgrade/halt";

const dirs: string[] = [];
function tmpHome(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-node-halt-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const V2: PlanInfo = { name: "v2", height: 1n, info: '{"binaries":{}}' };

/** A module whose PreBlock halts like the upgrade module does for a plan the build cannot apply. */
function halter(plan: PlanInfo, calls: string[]): AppModule {
  return {
    name: "halter",
    register: () => undefined,
    defaultGenesis: () => ({}),
    validateGenesis: () => undefined,
    initGenesis: () => undefined,
    exportGenesis: () => ({}),
    preBlock: () => {
      calls.push("preBlock");
      throw new UpgradeNeededError(plan);
    },
    beginBlock: () => {
      calls.push("beginBlock");
    },
  } as unknown as AppModule;
}

/** Sends requests over a real socket and collects the responses until the server closes it. */
async function exchange(address: string, reqs: DeepPartial<Request>[]): Promise<{ responses: Response[]; closedAt: number }> {
  const port = Number(/:(\d+)$/.exec(address)?.[1]);
  const socket = net.connect({ host: "127.0.0.1", port });
  const decoder = new FrameDecoder();
  const responses: Response[] = [];
  socket.on("data", (chunk: Buffer) => {
    for (const f of decoder.push(chunk)) responses.push(Response.decode(f));
  });
  await new Promise<void>((res, rej) => {
    socket.once("connect", () => res());
    socket.once("error", rej);
  });
  socket.write(encodeFrames(reqs.map((r) => Request.encode(Request.fromPartial(r)).finish())));
  const closedAt = await new Promise<number>((res) => {
    socket.on("error", () => undefined);
    socket.once("close", () => res(Date.now()));
  });
  return { responses, closedAt };
}

describe("the halt at an upgrade height", () => {
  test("FinalizeBlock is answered with an exception, upgrade-info.json is written, nothing is committed, then the node stops", async () => {
    const home = tmpHome();
    const lines: string[] = [];
    let onStop: (s: { plan: PlanInfo; at: number }) => void = () => undefined;
    const stopped = new Promise<{ plan: PlanInfo; at: number }>((res) => (onStop = res));
    const node = await runNode({
      home,
      abciAddress: "tcp://127.0.0.1:0",
      log: (l) => lines.push(l),
      onUpgradeNeeded: (plan) => onStop({ plan, at: Date.now() }),
      onFatal: () => {
        throw new Error("onFatal must not run for an upgrade halt");
      },
    });
    const calls: string[] = [];
    node.app.modules.unshift(halter(V2, calls));
    const [{ responses, closedAt }, stop] = await Promise.all([exchange(node.address, [{ finalizeBlock: { height: 1n, txs: [] } }, { flush: {} }]), stopped]);

    // CometBFT got an exception (never a block result), and the flush after it.
    expect(responses.length).toBe(2);
    expect(responses[0]?.exception?.error).toBe('finalizeBlock: UPGRADE NEEDED: "v2" at height 1; install the binary for it');
    expect(responses[1]?.flush).toBeDefined();
    // PreBlock halted the block before BeginBlock.
    expect(calls).toEqual(["preBlock"]);

    // upgrade-info.json, as cosmovisor reads it.
    const file = upgradeInfoPath(path.join(home, "data"));
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ name: "v2", height: 1, info: '{"binaries":{}}' });
    expect(readUpgradeInfo(path.join(home, "data"))).toEqual(V2);
    expect(lines).toContain('UPGRADE NEEDED: "v2" at height 1; install the binary for it');
    expect(lines.some((l) => l.includes(`exit code ${EXIT_UPGRADE_NEEDED}`))).toBe(true);

    // The node stopped after the answer went out, with its sockets closed.
    expect(stop.plan).toEqual(V2);
    expect(closedAt).toBeLessThanOrEqual(stop.at + 50);
    await node.close(); // already closed: a no-op

    // Nothing of block 1 is committed.
    const store = LmdbCommitStore.open(path.join(home, "data"));
    expect(store.lastHeight).toBe(0n);
    store.close();
  });

  test("the dedicated exit code is neither success, a generic failure, nor the damaged-store code", () => {
    expect([0, 1, 2, EXIT_STORE_CORRUPTION, 130]).not.toContain(EXIT_UPGRADE_NEEDED);
    expect(EXIT_UPGRADE_NEEDED).toBeGreaterThan(2);
    expect(EXIT_UPGRADE_NEEDED).toBeLessThan(126);
  });

  test("haltOnUpgradeNeeded passes results and other errors through, and catches a rejected promise", async () => {
    const halt = jest.fn();
    const upgrade = new UpgradeNeededError(V2);
    const app = {
      ok: (x: number) => x + 1,
      fails: () => {
        throw new Error("ordinary");
      },
      halts: () => {
        throw upgrade;
      },
      later: () => Promise.reject(upgrade),
    };
    const g = haltOnUpgradeNeeded(app, halt);
    expect(g.ok(1)).toBe(2);
    expect(() => g.fails()).toThrow("ordinary");
    expect(halt).not.toHaveBeenCalled();
    expect(() => g.halts()).toThrow(upgrade);
    expect(halt).toHaveBeenCalledWith(upgrade);
    await expect(g.later()).rejects.toBe(upgrade);
    expect(halt).toHaveBeenCalledTimes(2);
  });
});

describe("the start-time check", () => {
  test("a build without the handler of the plan due at the next block refuses to start; others start", async () => {
    const home = tmpHome();
    const dataDir = path.join(home, "data");
    fs.mkdirSync(dataDir, { recursive: true });
    writeUpgradeInfo(dataDir, V2);
    const without = { ...developmentBuild("0.1.0"), upgradeHandlers: ["v3"] };
    await expect(runNode({ home, abciAddress: "tcp://127.0.0.1:0", log: () => undefined, build: without })).rejects.toThrow(
      'UPGRADE NEEDED: "v2" at height 1; install the binary for it',
    );
    await expect(runNode({ home, abciAddress: "tcp://127.0.0.1:0", log: () => undefined, build: without })).rejects.toBeInstanceOf(UpgradeNeededError);
    // The store was closed by the refusal: it opens again.
    for (const opts of [{ build: { ...without, upgradeHandlers: ["v2", "v3"] } }, { build: developmentBuild("0.1.0") }, { carriesUpgrade: () => true }]) {
      const node = await runNode({ home, abciAddress: "tcp://127.0.0.1:0", log: () => undefined, ...opts });
      await node.close();
    }
  });

  test("a damaged upgrade-info.json is reported and ignored", async () => {
    const home = tmpHome();
    fs.mkdirSync(path.join(home, "data"), { recursive: true });
    fs.writeFileSync(upgradeInfoPath(path.join(home, "data")), "{not json");
    const lines: string[] = [];
    const node = await runNode({ home, abciAddress: "tcp://127.0.0.1:0", log: (l) => lines.push(l), carriesUpgrade: () => false });
    await node.close();
    expect(lines.some((l) => l.startsWith("warning: ignoring upgrade-info.json:") && l.includes("is not JSON"))).toBe(true);
  });

  test("checkUpgradeAtStart decides only for a plan due at the next block that the build lacks", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: 1n, max: 1n << 41n }), fc.constantFrom(true, false, undefined), (last, h, carries) => {
        const plan = { name: "v2", height: h, info: "" };
        const refuse = h === last + 1n && carries === false;
        let threw = false;
        try {
          checkUpgradeAtStart(plan, last, () => carries);
        } catch (e) {
          threw = true;
          expect(e).toBeInstanceOf(UpgradeNeededError);
          expect((e as UpgradeNeededError).plan).toBe(plan);
        }
        expect(threw).toBe(refuse);
      }),
    );
    expect(() => checkUpgradeAtStart(undefined, 0n, () => false)).not.toThrow();
    // v2 is compiled in (src/app/upgrades): a plain build carries it, a release only if it lists it.
    expect(buildCarriesUpgrade(undefined, "v2")).toBe(true);
    expect(buildCarriesUpgrade(developmentBuild("x"), "v2")).toBe(true);
    expect(buildCarriesUpgrade(developmentBuild("x"), "v9")).toBe(false);
    expect(buildCarriesUpgrade({ ...developmentBuild("x"), upgradeHandlers: [] }, "v2")).toBe(false);
    expect(buildCarriesUpgrade({ ...developmentBuild("x"), upgradeHandlers: ["v9"] }, "v9")).toBe(false);
  });
});

describe("upgrade-info.json", () => {
  test("write then read gives the plan back; anything else is refused with the file's name, or absent", () => {
    const dataDir = tmpHome();
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,139}$/);
    fc.assert(
      fc.property(name, fc.bigInt({ min: 1n, max: BigInt(Number.MAX_SAFE_INTEGER) }), fc.string({ maxLength: 200 }), (n, height, info) => {
        const plan = { name: n, height, info };
        writeUpgradeInfo(dataDir, plan);
        expect(readUpgradeInfo(dataDir)).toEqual(plan);
      }),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
        fs.writeFileSync(upgradeInfoPath(dataDir), text);
        let r: PlanInfo | undefined;
        try {
          r = readUpgradeInfo(dataDir);
        } catch (e) {
          expect((e as Error).message).toContain(upgradeInfoPath(dataDir));
          return;
        }
        // Accepted only when it really has a name and a positive integer height.
        const v = JSON.parse(text) as { name: string; height: number };
        expect(r).toEqual({ name: v.name, height: BigInt(v.height), info: expect.any(String) as string });
      }),
      { numRuns: 200 },
    );
    fs.rmSync(upgradeInfoPath(dataDir));
    expect(readUpgradeInfo(dataDir)).toBeUndefined();
  });
});

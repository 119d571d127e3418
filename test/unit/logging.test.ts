/**
 * Structured logs (docs/logging.md): per-module levels, JSON lines with level/time/module/msg, the
 * plain format a person reads (and the texts the devnet tests wait for), the per-block line, and
 * secrets that never reach the output.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { EnglishMnemonic } from "@cosmjs/crypto";
import { CheckTxType, type RequestFinalizeBlock, type ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import {
  createNodeLogger,
  formatLogLevel,
  LOG_FORMATS,
  levelOf,
  loggerFromSettings,
  parseLogLevel,
  plainLine,
  REDACTED,
  scrubMnemonics,
  type LevelSetting,
  type LevelSpec,
} from "../../src/app/logger";
import { headerTime, withBlockLog } from "../../src/app/blocklog";
import type { OptimisticOutcome } from "../../src/app/optimistic";
import { runNode } from "../../src/app/node";
import { LOG_LEVELS } from "../../src/baseapp/log";

const FIXED_TIME = "2025-01-02T03:04:05.678Z";

function capture(level: string, format: "json" | "plain" = "json"): { lines: string[]; log: ReturnType<typeof createNodeLogger> } {
  const lines: string[] = [];
  const log = createNodeLogger({ level, format, time: () => FIXED_TIME, write: (s) => lines.push(...s.split("\n").filter((l) => l !== "")) });
  return { lines, log };
}

const parsed = (lines: readonly string[]): Record<string, unknown>[] => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

/** 12 words of the BIP-39 list (a mnemonic's shape; the checksum does not matter to the scrubber). */
const MNEMONIC = EnglishMnemonic.wordlist.slice(100, 112).join(" ");

describe("levels", () => {
  it("filter per module: the default, a module's own level, and a parent's level for its sub-modules", () => {
    const { lines, log } = capture("info,abci:debug,x/dcert:warn,x:error");
    log.child("node").debug("node debug");
    log.child("node").info("node info");
    log.child("abci").debug("abci debug");
    log.child("x/dcert").info("dcert info");
    log.child("x/dcert").warn("dcert warn");
    log.child("x/gov").warn("gov warn");
    log.child("x/gov").error("gov error");
    expect(parsed(lines).map((o) => o.msg)).toEqual(["node info", "abci debug", "dcert warn", "gov error"]);
  });

  it("silent drops everything of a module", () => {
    const { lines, log } = capture("debug,block:silent");
    log.child("block").error("hidden");
    log.child("node").debug("shown");
    expect(parsed(lines).map((o) => o.msg)).toEqual(["shown"]);
  });

  it("parse and format are inverse (property)", () => {
    const level = fc.constantFrom<LevelSetting>(...LOG_LEVELS, "silent");
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,6}(\/[a-z0-9][a-z0-9_.-]{0,6}){0,2}$/);
    fc.assert(
      fc.property(level, fc.dictionary(name, level, { maxKeys: 5 }), (dflt, mods) => {
        const spec: LevelSpec = { level: dflt, modules: new Map(Object.entries(mods)) };
        const again = parseLogLevel(formatLogLevel(spec));
        expect(again.level).toBe(dflt);
        expect([...again.modules.entries()].sort()).toEqual(Object.entries(mods).sort());
      }),
    );
  });

  it("any text either parses or throws an Error that says what a level looks like (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        let spec: LevelSpec;
        try {
          spec = parseLogLevel(text);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message).toMatch(/log level|not a module name/);
          return;
        }
        expect([...LOG_LEVELS, "silent"]).toContain(levelOf(spec, "any/module"));
      }),
    );
  });

  it.each([
    ["", /empty/],
    ["loud", /"loud" is not a log level/],
    ["info,debug", /two default levels/],
    ["abci:debug,abci:info", /sets module "abci" twice/],
    ["ABCI:debug", /not a module name/],
    ["abci:", /is not a log level/],
  ])("refuses %j", (text, why) => {
    expect(() => parseLogLevel(text)).toThrow(why);
  });

  it("refuses an unknown format", () => {
    expect(LOG_FORMATS).toEqual(["plain", "json"]);
    expect(() => loggerFromSettings({ format: "xml" })).toThrow('the log format must be json or plain, got "xml"');
  });
});

describe("formats", () => {
  it("JSON lines carry level, time, module and msg, and the fields (bigint as numbers, bytes as hex)", () => {
    const { lines, log } = capture("info");
    log.child("abci").warn("slow", { height: 12n, hash: new Uint8Array([0xab, 0x01]), big: 2n ** 80n });
    expect(parsed(lines)).toEqual([{ level: "warn", time: FIXED_TIME, module: "abci", msg: "slow", height: 12, hash: "AB01", big: (2n ** 80n).toString() }]);
  });

  it("the default time is ISO 8601", () => {
    const lines: string[] = [];
    createNodeLogger({ format: "json", write: (s) => lines.push(s) }).child("node").info("x");
    const t = String(parsed(lines)[0]?.time);
    expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Number.isNaN(Date.parse(t))).toBe(false);
  });

  it("errors keep their context: type, message and stack in JSON, the message in plain", () => {
    const { lines, log } = capture("info");
    const err = new RangeError("bad height");
    log.child("node").error("FATAL: stop", { height: 7n, err });
    const o = parsed(lines)[0] as { err: { type: string; message: string; stack: string }; height: number };
    expect(o.height).toBe(7);
    expect(o.err.type).toBe("RangeError");
    expect(o.err.message).toBe("bad height");
    expect(o.err.stack).toContain("RangeError: bad height");
    const plain = capture("info", "plain");
    plain.log.child("node").error("FATAL: stop", { height: 7n, err });
    expect(plain.lines).toEqual([`${FIXED_TIME} ERR [node] FATAL: stop height=7 err="bad height"`]);
  });

  it("plain lines read as time, level, [module], message, key=value", () => {
    const { lines, log } = capture("debug", "plain");
    log.child("x/upgrade").info('UPGRADE NEEDED: "v2" at height 40; install the binary for it', { plan: "v2", height: 40n });
    log.child("abci").debug("two words", { reason: "frame too large" });
    log.info("no module");
    expect(lines).toEqual([
      `${FIXED_TIME} INF [x/upgrade] UPGRADE NEEDED: "v2" at height 40; install the binary for it plan=v2 height=40`,
      `${FIXED_TIME} DBG [abci] two words reason="frame too large"`,
      `${FIXED_TIME} INF no module`,
    ]);
  });

  it("plainLine passes a line that is not JSON through", () => {
    expect(plainLine("not json")).toBe("not json\n");
  });
});

describe("secrets", () => {
  it("values under secret keys are redacted at any of the first three depths", () => {
    const { lines, log } = capture("info");
    log.child("keys").info("imported", { mnemonic: "x y z", key: { privateKey: "aa11", nested: { private_key: "bb22", password: "pw" } }, name: "alice" });
    const text = lines.join("\n");
    for (const s of ["x y z", "aa11", "bb22", '"pw"']) expect(text).not.toContain(s);
    expect(parsed(lines)[0]).toMatchObject({ mnemonic: REDACTED, key: { privateKey: REDACTED, nested: { private_key: REDACTED, password: REDACTED } }, name: "alice" });
  });

  it("a mnemonic in a message, a field or an error is replaced, in both formats", () => {
    for (const format of ["json", "plain"] as const) {
      const { lines, log } = capture("info", format);
      log.child("cli").error(`could not import "${MNEMONIC}"`, { input: `words: ${MNEMONIC}`, err: new Error(`bad phrase ${MNEMONIC}`) });
      const text = lines.join("\n");
      expect(text).not.toContain(MNEMONIC);
      expect(text).not.toContain(EnglishMnemonic.wordlist.slice(100, 106).join(" "));
      expect(text).toContain("[REDACTED mnemonic]");
    }
  });

  it("scrubMnemonics leaves ordinary text, and runs of fewer than 12 list words, alone", () => {
    const eleven = EnglishMnemonic.wordlist.slice(0, 11).join(" ");
    expect(scrubMnemonics(`committed block 5: ${eleven}`)).toBe(`committed block 5: ${eleven}`);
    expect(scrubMnemonics(`a ${MNEMONIC} b`)).toBe("a [REDACTED mnemonic] b");
    expect(scrubMnemonics(MNEMONIC)).toBe("[REDACTED mnemonic]");
  });
});

describe("the block line", () => {
  /** A fake app: FinalizeBlock answers a fixed app hash; the clock advances 3 ms per call to now(). */
  function fakeApp(): { finalizeBlock(_req: RequestFinalizeBlock): ResponseFinalizeBlock; commit(): { retainHeight: bigint } } {
    return {
      finalizeBlock: () => ({ events: [], txResults: [], validatorUpdates: [], appHash: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) }) as unknown as ResponseFinalizeBlock,
      commit: () => ({ retainHeight: 0n }),
    };
  }

  it("is written at info after Commit, with height, tx count, block time, app hash and durations", () => {
    const { lines, log } = capture("info");
    let t = 0;
    const app = withBlockLog(fakeApp(), log.child("block"), () => (t += 3));
    const req = { height: 42n, txs: [new Uint8Array([1]), new Uint8Array([2])], time: { seconds: 1735787045n, nanos: 500_000_000 } } as unknown as RequestFinalizeBlock;
    app.finalizeBlock(req);
    expect(lines).toEqual([]); // nothing before Commit returns
    app.commit();
    expect(parsed(lines)).toEqual([
      {
        level: "info",
        time: FIXED_TIME,
        module: "block",
        msg: "committed block 42: 2 txs, time 2025-01-02T03:04:05.5Z, app hash DEADBEEF, 6 ms (finalize 3, commit 3)",
        height: 42,
        txs: 2,
        block_time: "2025-01-02T03:04:05.5Z",
        app_hash: "DEADBEEF",
        exec_ms: 6,
        finalize_ms: 3,
        commit_ms: 3,
      },
    ]);
  });

  it("says where the app's time went between two blocks: proposals, CheckTx and rechecks, each counted once", () => {
    const { lines, log } = capture("info");
    // The clock's readings, in call order: each timed call reads it at its start and its end.
    const readings = [0, 2, /* recheck */ 2, 3, /* prepare */ 3, 10, /* process */ 10, 11, /* finalize */ 11, 12, /* commit */ 12, 13];
    let last = 13;
    const app = withBlockLog(
      {
        ...fakeApp(),
        prepareProposal: () => ({ txs: [] }),
        processProposal: () => ({ status: 1 }),
        checkTx: (_req: { type: CheckTxType }) => ({ code: 0 }),
      },
      log.child("block"),
      () => readings.shift() ?? ++last,
    );
    app.checkTx({ type: CheckTxType.NEW });
    app.checkTx({ type: CheckTxType.RECHECK });
    app.prepareProposal();
    app.processProposal();
    app.finalizeBlock({ height: 7n, txs: [], time: { seconds: 1735787045n, nanos: 0 } } as unknown as RequestFinalizeBlock);
    app.commit();
    app.checkTx({ type: CheckTxType.NEW });
    app.finalizeBlock({ height: 8n, txs: [], time: { seconds: 1735787046n, nanos: 0 } } as unknown as RequestFinalizeBlock);
    app.commit();
    const [first, second] = parsed(lines);
    expect(first).toMatchObject({ height: 7, check_txs: 1, check_ms: 2, rechecks: 1, recheck_ms: 1, prepare_ms: 7, process_ms: 1 });
    expect(first?.["msg"]).toMatch(/before it: prepare 7 ms, process 1 ms, 1 CheckTx 2 ms, 1 rechecks 1 ms\)$/);
    // The counters start again after each block.
    expect(second).toMatchObject({ height: 8, check_txs: 1, rechecks: 0, prepare_ms: 0 });
  });

  it("with optimistic execution: counts the run ahead in finalize_ms and says when FinalizeBlock was answered from it", () => {
    const { lines, log } = capture("info");
    let t = 0;
    const outcomes: (OptimisticOutcome | undefined)[] = [
      { height: 5n, used: true, ms: 40 },
      { height: 6n, used: false, ms: 30 }, // executed ahead, then another block was finalized
      { height: 1n, used: true, ms: 99 }, // not this height's: ignored
    ];
    const app = withBlockLog({ ...fakeApp(), takeOptimisticOutcome: () => outcomes.shift() }, log.child("block"), () => (t += 3));
    for (const height of [5n, 6n, 7n]) {
      app.finalizeBlock({ height, txs: [], time: { seconds: 1735787045n, nanos: 0 } } as unknown as RequestFinalizeBlock);
      app.commit();
    }
    const [five, six, seven] = parsed(lines);
    expect(five).toMatchObject({ height: 5, finalize_ms: 43, executed_ahead: true });
    expect(five?.["msg"]).toMatch(/, 46 ms, executed ahead \(finalize 43, commit 3\)$/);
    expect(six).toMatchObject({ height: 6, finalize_ms: 33 });
    expect(six).not.toHaveProperty("executed_ahead");
    expect(seven).toMatchObject({ height: 7, finalize_ms: 3 });
    expect(seven?.["msg"]).not.toContain("executed ahead");
  });

  it("is not written when FinalizeBlock throws, nor for a Commit without a FinalizeBlock, and a warn level hides it", () => {
    const { lines, log } = capture("info");
    const app = withBlockLog(
      {
        finalizeBlock: (_req: RequestFinalizeBlock): ResponseFinalizeBlock => {
          throw new Error("halt");
        },
        commit: () => ({ retainHeight: 0n }),
      },
      log.child("block"),
      () => 0,
    );
    expect(() => app.finalizeBlock({ height: 1n, txs: [] } as unknown as RequestFinalizeBlock)).toThrow("halt");
    app.commit();
    expect(lines).toEqual([]);
    const quiet = capture("info,block:warn");
    const a2 = withBlockLog(fakeApp(), quiet.log.child("block"), () => 0);
    a2.finalizeBlock({ height: 1n, txs: [] } as unknown as RequestFinalizeBlock);
    a2.commit();
    expect(quiet.lines).toEqual([]);
  });

  it("headerTime renders RFC 3339 in UTC", () => {
    expect(headerTime({ seconds: 0n, nanos: 0 })).toBe("1970-01-01T00:00:00Z");
    expect(headerTime({ seconds: 1735787045n, nanos: 1 })).toBe("2025-01-02T03:04:05.000000001Z");
    expect(headerTime(undefined as unknown as RequestFinalizeBlock["time"])).toBe("unknown");
  });
});

describe("the node in plain format", () => {
  it("keeps the texts the devnet tests wait for", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-logging-"));
    try {
      const { lines, log } = capture("info", "plain");
      const node = await runNode({ home, abciAddress: "tcp://127.0.0.1:0", log });
      await node.close();
      const line = lines.find((l) => l.includes("listening on"));
      expect(line).toMatch(/^\S+ INF \[node\] dcertd app listening on \S+ \(height 0\)/);
      expect(line).toMatch(/listening on \S+ \(height 0\)/);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

/**
 * `dcertd verify-store`: checks a stopped node's store end to end (src/baseapp/store/verify.ts): the
 * LMDB file header, the format, the metadata and the write-ahead log against the app hash chain,
 * and the checksum of every record. Prints progress for big stores and a summary; exits 0 when
 * everything checks out, 1 on any problem (with what to do), 2 on a command-line mistake.
 *
 * The walk runs in a child process when dcertd runs as compiled JavaScript: LMDB trusts the pages
 * it maps, so a page damaged in a way its own checks miss could crash the process; the parent then
 * still reports what happened instead of dying without a word.
 */
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { remedy } from "../baseapp/store/integrity";
import { type VerifyReport, verifyStore } from "../baseapp/store/verify";
import { booleanFlag, stringFlag, UsageError, type Command, type ParsedArgs } from "./args";

const CHILD_FLAG = "--dcertd-verify-store-child";

/** `<home>/data` (app home), `<home>/app/data` (devnet home), or `home` itself if it holds data.mdb. */
export function storeDir(home: string): string {
  const abs = path.resolve(home);
  for (const d of [path.join(abs, "data"), path.join(abs, "app", "data"), abs]) {
    if (fs.existsSync(path.join(d, "data.mdb"))) return d;
  }
  return path.join(abs, "data");
}

type Out = (line: string) => void;

/** Prints the report; returns the exit code. */
export function printReport(r: VerifyReport, out: Out, err: Out): number {
  const m = r.meta;
  if (m !== undefined && !m.fresh) {
    const log = m.log.length === 0 ? "empty" : `${m.log.length} block(s) ${m.log[0]?.height ?? 0n}..${m.height}, checked against the app hash`;
    out(`height ${m.height}, app hash ${Buffer.from(m.appHash).toString("hex").toUpperCase()}, applied to state through ${m.applied}, log ${log}`);
  }
  out(`records checked: ${r.records.state} state, ${r.records.meta} meta, ${r.records.wal} log`);
  if (r.ok) {
    out(`verify-store: OK, the store in ${r.dir} is sound (every checksum matches, metadata consistent)`);
    return 0;
  }
  err(`verify-store: ${r.problemCount} problem(s) in the store in ${r.dir}:`);
  for (const p of r.problems) err(`  - ${p}`);
  if (r.problemCount > r.problems.length) err(`  … and ${r.problemCount - r.problems.length} more`);
  err(`what to do: ${remedy(r.dir)}`);
  return 1;
}

interface ChildMessage {
  readonly progress?: { db: string; records: number };
  readonly report?: VerifyReport;
}

/** Runs verifyStore in a child process (this module, forked); resolves with its report or a crash report. */
function verifyInChild(dir: string, err: Out): Promise<VerifyReport> {
  return new Promise((resolve) => {
    const child = fork(__filename, [CHILD_FLAG, dir], { stdio: ["ignore", "inherit", "inherit", "ipc"], serialization: "advanced" });
    let report: VerifyReport | undefined;
    child.on("message", (m: ChildMessage) => {
      if (m.progress !== undefined) err(`  ${m.progress.db}: ${m.progress.records} records checked…`);
      if (m.report !== undefined) report = m.report;
    });
    child.on("exit", (code, signal) => {
      if (report !== undefined) {
        resolve(report);
        return;
      }
      const how = signal !== null ? `was killed by ${signal}` : `exited with code ${String(code)}`;
      resolve({
        dir,
        ok: false,
        meta: undefined,
        records: { state: 0, meta: 0, wal: 0 },
        problems: [`reading the store crashed LMDB (the checking process ${how}): the file is structurally damaged`],
        problemCount: 1,
      });
    });
  });
}

async function runVerifyStore(args: ParsedArgs): Promise<number> {
  const home = stringFlag(args, "home");
  if (home === undefined) throw new UsageError("--home <dir> is required (the app's data directory, or a devnet home)");
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
  const dir = storeDir(home);
  const out: Out = (l) => process.stdout.write(`${l}\n`);
  const err: Out = (l) => process.stderr.write(`${l}\n`);
  err(`verify-store: checking ${dir} (the node must be stopped)`);
  // Compiled dcertd: walk in a child (see the module comment). Under ts tooling, in process.
  const inChild = !booleanFlag(args, "in-process") && __filename.endsWith(".js");
  const report = inChild
    ? await verifyInChild(dir, err)
    : verifyStore(dir, { onProgress: (db, n) => err(`  ${db}: ${n} records checked…`) });
  return printReport(report, out, err);
}

export const verifyStoreCommand: Command = {
  name: "verify-store",
  summary: "check a stopped node's store end to end (every checksum, the metadata, the log)",
  details: [
    "Stop the app first. Read-only: nothing is repaired. Exit code 0 when the store is sound,",
    "1 when a problem is found (each is listed, with what to do).",
  ],
  flags: [
    { name: "home", valueName: "dir", description: "the app's data directory (as given to `dcertd start`) or a devnet home (required)" },
    { name: "in-process", boolean: true, description: "check in this process instead of a child (a crash inside LMDB then ends dcertd without a summary)" },
  ],
  run: runVerifyStore,
};

if (require.main === module && process.argv[2] === CHILD_FLAG) {
  const dir = process.argv[3] ?? "";
  const send = (m: ChildMessage): void => {
    process.send?.(m);
  };
  const report = verifyStore(dir, { onProgress: (db, records) => send({ progress: { db, records } }) });
  process.send?.({ report }, () => process.disconnect());
}

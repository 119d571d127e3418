import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { AbciServer } from "../baseapp/abci/server";
import type { AppOptions } from "../baseapp/app";
import { useSignatureWorkers, type DcertApp } from "./app";
import { DEFAULT_SIGNATURE_WORKER_NICE, defaultSignatureWorkers, SignatureVerifierPool } from "../baseapp/sigpool";
import { parseDecCoins } from "../baseapp/coins";
import { crashPointsFromEnv, installCrashPoints } from "./crashpoint";
import { isStoreCorruption } from "../baseapp/store/integrity";
import { LmdbCommitStore } from "../baseapp/store/lmdb";
import { wiredApp } from "./wiring";
import type { BuildIdentity } from "../x/upgrade/build";
import { upgradeHandlerNames } from "./upgrades";
import { errorFields, toLog, type LogSink } from "../baseapp/log";
import { withBlockLog } from "./blocklog";
import { withOptimisticExecution } from "./optimistic";
import { builtQueryWorkerScript, DEFAULT_QUERY_WORKERS, QueryWorkerPool, type QueryService } from "./queryworkers";
import type { RequestQuery } from "cosmjs-types/tendermint/abci/types";
import { createNodeLogger } from "./logger";
import { isUpgradeNeeded, UPGRADE_INFO_FILE, UpgradeNeededError, upgradeInfoJson, type PlanInfo } from "../x/upgrade/halt";

export interface NodeOptions {
  readonly home: string;
  readonly abciAddress: string;
  readonly minGasPrices?: string;
  /**
   * Where the node, the app and the ABCI server log (modules "node", "block", "baseapp", "abci",
   * "x/upgrade", "crashpoint"): a leveled logger (src/app/logger.ts), or a line function. Default: a
   * plain-format logger on stdout at info.
   */
  readonly log?: LogSink;
  /** A monotonic clock in ms for the block line's durations (tests pass their own). */
  readonly clock?: () => number;
  /**
   * Called (after logging) when the store reports corruption: the node must stop at once. Default:
   * exit the process with EXIT_STORE_CORRUPTION. Tests pass their own.
   */
  readonly onFatal?: (err: Error) => void;
  /** Gas cap of every query and Simulate (0 = unlimited; default DEFAULT_QUERY_GAS_LIMIT). */
  readonly queryGasLimit?: bigint;
  /** Size cap of a query request (0 = unlimited; default DEFAULT_MAX_QUERY_BYTES). */
  readonly maxQueryBytes?: number;
  /** Event attributes CometBFT may index, "<type>.<key>" (app.toml `index-events`); empty = all. */
  readonly indexEvents?: readonly string[];
  /**
   * Worker threads that verify incoming CheckTx signatures ahead of CheckTx (baseapp/sigpool.ts);
   * 0 turns them off. Default: the cores left after the main thread, 1 to 4.
   */
  readonly sigVerifyWorkers?: number;
  /**
   * Worker threads that serve ABCI queries, REST/gRPC queries and Simulate from a read-only replica
   * of the store (queryworkers.ts); 0 = the main thread serves them. Default DEFAULT_QUERY_WORKERS.
   */
  readonly queryWorkers?: number;
  /** Nice steps the signature workers run below the process (src/baseapp/sigpool.ts); default DEFAULT_SIGNATURE_WORKER_NICE. */
  readonly sigVerifyNice?: number;
  /** Nice steps the query workers run below the process (queryworkers.ts); default DEFAULT_QUERY_WORKER_NICE. */
  readonly queryWorkersNice?: number;
  /** Per-turn budget in ms of the non-consensus ABCI connections (0 = unbounded; default DEFAULT_TURN_BUDGET_MS). */
  readonly abciTurnBudgetMs?: number;
  /**
   * Execute an accepted proposal right after ProcessProposal and answer its FinalizeBlock with the
   * result (src/app/optimistic.ts). Default false; app.toml `optimistic-execution`.
   */
  readonly optimisticExecution?: boolean;
  /** The build the node runs (vote extensions, upgrade handlers); default: a development build. */
  readonly build?: BuildIdentity;
  /**
   * Whether this build carries the upgrade handler `name` (true/false), or undefined when it cannot
   * tell; used by the start-time check. Default: `buildCarriesUpgrade(build, name)`.
   */
  readonly carriesUpgrade?: (name: string) => boolean | undefined;
  /**
   * Called when the node halted at an upgrade height: upgrade-info.json is written, the UPGRADE
   * NEEDED line logged, the exception answered to CometBFT and the ABCI server and store closed.
   * Default: exit the process with EXIT_UPGRADE_NEEDED. Tests pass their own.
   */
  readonly onUpgradeNeeded?: (plan: PlanInfo) => void;
}

/** Exit code of a node halted by a damaged store (sysexits EX_IOERR). */
export const EXIT_STORE_CORRUPTION = 74;

/**
 * Exit code of a node halted at an upgrade height its build has no handler for, and of a start
 * refused for the same reason (sysexits EX_TEMPFAIL: run it again, with the binary for the plan).
 * Never 0, so cosmovisor treats the exit as the upgrade it finds in upgrade-info.json; a systemd
 * unit should list it in RestartPreventExitStatus= (docs/upgrade-operators.md).
 */
export const EXIT_UPGRADE_NEEDED = 75;

/**
 * How long the node waits, after answering CometBFT with the exception, before it closes its
 * sockets and exits: the answer and the log lines go out first, and the process outlives a few of
 * cosmovisor's 300 ms polls of upgrade-info.json (an exit in the middle of one can make cosmovisor
 * miss the switch; docs/cosmovisor.md).
 */
export const UPGRADE_EXIT_DELAY_MS = 1_000;

/**
 * The app as the ABCI server sees it, with every call guarded: a damaged store (StoreCorruptionError,
 * thrown synchronously or by a returned promise) is logged and handed to `fatal`, which stops the
 * node before anything else is answered or committed. The error still propagates, so the request
 * is answered with an ABCI exception (never a value) if `fatal` returns.
 */
export function haltOnStoreCorruption<T extends object>(app: T, fatal: (err: Error) => void): T {
  return guardCalls(app, (e) => {
    if (isStoreCorruption(e)) fatal(e);
  });
}

/**
 * The app with every call guarded for the upgrade halt: an UpgradeNeededError (the upgrade module's
 * PreBlock found a plan due at this block and the build has no handler for it) is handed to `halt`.
 * The error still propagates, so CometBFT gets an ABCI exception for the FinalizeBlock and nothing
 * of the block is committed.
 */
export function haltOnUpgradeNeeded<T extends object>(app: T, halt: (err: UpgradeNeededError) => void): T {
  return guardCalls(app, (e) => {
    if (isUpgradeNeeded(e)) halt(e);
  });
}

/** Calls `check` with every error a method of `app` throws or rejects with, then rethrows it. */
function guardCalls<T extends object>(app: T, check: (e: unknown) => void): T {
  return new Proxy(app, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== "function") return v;
      return (...args: unknown[]): unknown => {
        let r: unknown;
        try {
          r = Reflect.apply(v, target, args);
        } catch (e) {
          check(e);
          throw e;
        }
        if (r instanceof Promise) {
          return r.catch((e: unknown) => {
            check(e);
            throw e;
          });
        }
        return r;
      };
    },
  });
}

/** `<data dir>/upgrade-info.json`, the file cosmovisor watches. */
export function upgradeInfoPath(dataDir: string): string {
  return join(dataDir, UPGRADE_INFO_FILE);
}

/** Writes upgrade-info.json for `plan` (complete or not at all: a temporary file, fsynced, renamed). */
export function writeUpgradeInfo(dataDir: string, plan: PlanInfo): string {
  const file = upgradeInfoPath(dataDir);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, "w", 0o644);
  try {
    writeSync(fd, upgradeInfoJson(plan));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return file;
}

/**
 * Reads `<data dir>/upgrade-info.json`: undefined when there is none; an Error naming the file when
 * it is not `{"name": string, "height": positive integer, "info"?: string}`.
 */
export function readUpgradeInfo(dataDir: string): PlanInfo | undefined {
  const file = upgradeInfoPath(dataDir);
  if (!existsSync(file)) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file} is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const o = (typeof v === "object" && v !== null ? v : {}) as { name?: unknown; height?: unknown; info?: unknown };
  if (typeof o.name !== "string" || o.name === "" || typeof o.height !== "number" || !Number.isSafeInteger(o.height) || o.height < 1) {
    throw new Error(`${file} does not hold {"name", "height", "info"} (a plan name and a positive height)`);
  }
  return { name: o.name, height: BigInt(o.height), info: typeof o.info === "string" ? o.info : "" };
}

/**
 * The start-time check: when upgrade-info.json names a plan due at the next block (height = last
 * committed height + 1) and this build does not carry its handler, the node must not start (it would
 * halt at once, on the same block). Throws UpgradeNeededError then; a plan already applied (height
 * ≤ last height) or not yet due is no reason to refuse. `carries` answers undefined when the build
 * cannot tell (the upgrade module's PreBlock still halts such a node at the height).
 */
export function checkUpgradeAtStart(plan: PlanInfo | undefined, lastHeight: bigint, carries: (name: string) => boolean | undefined): void {
  if (plan === undefined || plan.height !== lastHeight + 1n) return;
  if (carries(plan.name) === false) throw new UpgradeNeededError(plan);
}

/** Whether `build` carries the handler `name` (a compiled handler the build lists; all compiled ones when it lists none). */
export function buildCarriesUpgrade(build: BuildIdentity | undefined, name: string): boolean {
  return upgradeHandlerNames(build).includes(name);
}

/**
 * Opens the app's on-disk state under `<home>/data` and serves it over ABCI. Refuses to start (throws
 * UpgradeNeededError, before listening) when upgrade-info.json names a plan due at the next block
 * that this build has no handler for.
 */
export async function runNode(opts: NodeOptions): Promise<{
  app: DcertApp;
  queries: QueryService;
  /** Queries and Simulate are answered by query worker threads (else on the main thread). */
  queriesOffMain: boolean;
  address: string;
  close(): Promise<void>;
}> {
  const sink: LogSink = opts.log ?? createNodeLogger();
  const log = toLog(sink, "node");
  const upgradeLog = toLog(sink, "x/upgrade");
  const dataDir = join(opts.home, "data");
  mkdirSync(dataDir, { recursive: true });
  const store = LmdbCommitStore.open(dataDir);
  try {
    let pending: PlanInfo | undefined;
    try {
      pending = readUpgradeInfo(dataDir);
    } catch (e) {
      upgradeLog.warn(`warning: ignoring ${UPGRADE_INFO_FILE}: ${e instanceof Error ? e.message : String(e)}`, { file: upgradeInfoPath(dataDir), ...errorFields(e) });
    }
    checkUpgradeAtStart(pending, store.lastHeight, opts.carriesUpgrade ?? ((name) => buildCarriesUpgrade(opts.build, name)));
  } catch (e) {
    store.close();
    throw e;
  }
  const app = createApp({
    store,
    minGasPrices: opts.minGasPrices ?? "",
    log: sink,
    ...(opts.queryGasLimit === undefined ? {} : { queryGasLimit: opts.queryGasLimit }),
    ...(opts.maxQueryBytes === undefined ? {} : { maxQueryBytes: opts.maxQueryBytes }),
    ...(opts.indexEvents === undefined ? {} : { indexEvents: opts.indexEvents }),
    ...(opts.build === undefined ? {} : { build: opts.build }),
  });
  const workers = opts.sigVerifyWorkers ?? defaultSignatureWorkers();
  const sigNice = opts.sigVerifyNice ?? DEFAULT_SIGNATURE_WORKER_NICE;
  const sigPool = workers > 0 ? new SignatureVerifierPool(workers, sigNice) : undefined;
  useSignatureWorkers(app, sigPool);
  const queryWorkers = opts.queryWorkers ?? DEFAULT_QUERY_WORKERS;
  const queryScript = builtQueryWorkerScript();
  const queryPool =
    queryWorkers > 0 && queryScript !== undefined
      ? new QueryWorkerPool({
          size: queryWorkers,
          ...(opts.queryWorkersNice === undefined ? {} : { nice: opts.queryWorkersNice }),
          script: queryScript,
          dir: dataDir,
          app,
          minGasPrices: opts.minGasPrices ?? "",
          ...(opts.queryGasLimit === undefined ? {} : { queryGasLimit: opts.queryGasLimit }),
          ...(opts.maxQueryBytes === undefined ? {} : { maxQueryBytes: opts.maxQueryBytes }),
          ...(opts.build === undefined ? {} : { build: opts.build }),
          log,
        })
      : undefined;
  const queries: QueryService = queryPool === undefined ? app : { query: (req) => queryPool.query(req), queryPaths: () => app.queryPaths() };
  // Crash-safety tests only: inert unless DCERT_CRASH_*_HEIGHT is set (see crashpoint.ts).
  const crashLog = toLog(sink, "crashpoint");
  installCrashPoints(app, crashPointsFromEnv(process.env), (line) => crashLog.warn(line));
  let halted = false;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await server.close();
    await queryPool?.close();
    await sigPool?.close();
    store.close();
  };
  const fatal = (e: Error): void => {
    if (halted) return;
    halted = true;
    log.error(`FATAL: the node stops, nothing more is committed or answered: ${e.message}`, { height: store.lastHeight, ...errorFields(e) });
    if (opts.onFatal !== undefined) opts.onFatal(e);
    else process.exit(EXIT_STORE_CORRUPTION);
  };
  const upgradeNeeded = (e: UpgradeNeededError): void => {
    if (halted) return;
    halted = true;
    try {
      const file = writeUpgradeInfo(dataDir, e.plan);
      upgradeLog.info(`wrote ${file}: ${upgradeInfoJson(e.plan).trim()}`, { file });
    } catch (err) {
      upgradeLog.error(`could not write ${upgradeInfoPath(dataDir)}: ${err instanceof Error ? err.message : String(err)}`, { file: upgradeInfoPath(dataDir), ...errorFields(err) });
    }
    const plan = { plan: e.plan.name, height: e.plan.height };
    upgradeLog.error(e.message, plan);
    upgradeLog.error(`nothing of block ${e.plan.height} is committed; the app stops (exit code ${EXIT_UPGRADE_NEEDED}). Start the binary that carries the "${e.plan.name}" handler on this home.`, plan);
    // The exception is answered to CometBFT when this returns; stop once it has gone out.
    setTimeout(() => {
      void close().then(() => {
        if (opts.onUpgradeNeeded !== undefined) opts.onUpgradeNeeded(e.plan);
        else process.exit(EXIT_UPGRADE_NEEDED);
      });
    }, UPGRADE_EXIT_DELAY_MS);
  };
  // Optimistic execution sits directly around the app: the halts below must see only real calls.
  const ahead = opts.optimisticExecution === true ? withOptimisticExecution(app, { log: toLog(sink, "baseapp") }) : app;
  const guarded = withQueries(withBlockLog(haltOnUpgradeNeeded(haltOnStoreCorruption(ahead, fatal), upgradeNeeded), toLog(sink, "block"), opts.clock), queries);
  const server = new AbciServer(guarded, { log: toLog(sink, "abci"), ...(opts.abciTurnBudgetMs === undefined ? {} : { turnBudgetMs: opts.abciTurnBudgetMs }) });
  await server.listen(opts.abciAddress);
  log.info(`dcertd app listening on ${opts.abciAddress} (height ${store.lastHeight})`, { address: opts.abciAddress, height: store.lastHeight });
  log.info(opts.optimisticExecution === true ? "blocks: executed ahead from ProcessProposal (optimistic execution)" : "blocks: executed at FinalizeBlock", {
    optimistic_execution: opts.optimisticExecution === true,
  });
  log.info(sigPool === undefined ? "CheckTx signatures: verified on the main thread" : `CheckTx signatures: verified ahead on ${sigPool.size} worker thread${sigPool.size === 1 ? "" : "s"}, ${sigNice} nice step${sigNice === 1 ? "" : "s"} below the process`, {
    sig_verify_workers: sigPool?.size ?? 0,
    ...(sigPool === undefined ? {} : { sig_verify_nice: sigNice }),
  });
  void sigPool?.priority().then((priorities) => {
    const failed = priorities.find((p) => "niceError" in p);
    if (failed !== undefined && "niceError" in failed) {
      log.warn(`CheckTx signature workers: could not lower their priority by ${sigNice} nice step${sigNice === 1 ? "" : "s"} (${failed.niceError}); they run at the main thread's`, { sig_verify_nice: sigNice });
    }
  });
  log.info(
    queryPool === undefined
      ? `queries and Simulate: served on the main thread${queryWorkers > 0 ? " (the query worker program is not built: this runs from TypeScript sources)" : ""}`
      : `queries and Simulate: served on ${queryPool.size} worker thread${queryPool.size === 1 ? "" : "s"}, ${queryPool.nice} nice step${queryPool.nice === 1 ? "" : "s"} below the process`,
    { query_workers: queryPool?.size ?? 0, ...(queryPool === undefined ? {} : { query_workers_nice: queryPool.nice }) },
  );
  return { app, queries, queriesOffMain: queryPool !== undefined, address: server.address ?? opts.abciAddress, close };
}

/** `app` with its ABCI `query` answered by `queries` (the query worker pool, or the app itself). */
function withQueries<T extends QueryService>(app: T, queries: QueryService): T {
  if (queries === app) return app;
  return new Proxy(app, {
    get(target, prop, receiver) {
      if (prop === "query") return (req: RequestQuery) => queries.query(req);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** The full application with every module wired in (one place, used by the node and by tests). */
export function createApp(opts: {
  store: AppOptions["store"];
  minGasPrices?: string;
  log?: LogSink;
  queryGasLimit?: bigint;
  maxQueryBytes?: number;
  indexEvents?: readonly string[];
  /** The build the node runs (vote extensions, upgrade handlers); default: a development build. */
  build?: BuildIdentity;
}): DcertApp {
  return wiredApp({
    ...(opts.build === undefined ? {} : { build: opts.build }),
    store: opts.store,
    minGasPrices: parseDecCoins(opts.minGasPrices ?? ""),
    ...(opts.log === undefined ? {} : { log: opts.log }),
    ...(opts.queryGasLimit === undefined ? {} : { queryGasLimit: opts.queryGasLimit }),
    ...(opts.maxQueryBytes === undefined ? {} : { maxQueryBytes: opts.maxQueryBytes }),
    ...(opts.indexEvents === undefined ? {} : { indexEvents: opts.indexEvents }),
  });
}

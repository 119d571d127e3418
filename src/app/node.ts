import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AbciServer } from "../baseapp/abci/server";
import type { AppOptions } from "../baseapp/app";
import type { DcertApp } from "./app";
import { parseDecCoins } from "../baseapp/coins";
import { crashPointsFromEnv, installCrashPoints } from "./crashpoint";
import { isStoreCorruption } from "../baseapp/store/integrity";
import { LmdbCommitStore } from "../baseapp/store/lmdb";
import { wiredApp } from "./wiring";
import type { BuildIdentity } from "../x/upgrade/build";

export interface NodeOptions {
  readonly home: string;
  readonly abciAddress: string;
  readonly minGasPrices?: string;
  readonly log?: (line: string) => void;
  /**
   * Called (after logging) when the store reports corruption: the node must stop at once. Default:
   * exit the process with EXIT_STORE_CORRUPTION. Tests pass their own.
   */
  readonly onFatal?: (err: Error) => void;
  /** Gas cap of every query and Simulate (0 = unlimited; default DEFAULT_QUERY_GAS_LIMIT). */
  readonly queryGasLimit?: bigint;
  /** Size cap of a query request (0 = unlimited; default DEFAULT_MAX_QUERY_BYTES). */
  readonly maxQueryBytes?: number;
  /** Per-turn budget in ms of the non-consensus ABCI connections (0 = unbounded; default DEFAULT_TURN_BUDGET_MS). */
  readonly abciTurnBudgetMs?: number;
}

/** Exit code of a node halted by a damaged store (sysexits EX_IOERR). */
export const EXIT_STORE_CORRUPTION = 74;

/**
 * The app as the ABCI server sees it, with every call guarded: a damaged store (StoreCorruptionError,
 * thrown synchronously or by a returned promise) is logged and handed to `fatal`, which stops the
 * node before anything else is answered or committed. The error still propagates, so the request
 * is answered with an ABCI exception (never a value) if `fatal` returns.
 */
export function haltOnStoreCorruption<T extends object>(app: T, fatal: (err: Error) => void): T {
  const check = (e: unknown): void => {
    if (isStoreCorruption(e)) fatal(e);
  };
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

/** Opens the app's on-disk state under `<home>/data` and serves it over ABCI. */
export async function runNode(opts: NodeOptions): Promise<{ app: DcertApp; close(): Promise<void> }> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataDir = join(opts.home, "data");
  mkdirSync(dataDir, { recursive: true });
  const store = LmdbCommitStore.open(dataDir);
  const app = createApp({
    store,
    minGasPrices: opts.minGasPrices ?? "",
    log,
    ...(opts.queryGasLimit === undefined ? {} : { queryGasLimit: opts.queryGasLimit }),
    ...(opts.maxQueryBytes === undefined ? {} : { maxQueryBytes: opts.maxQueryBytes }),
  });
  // Crash-safety tests only: inert unless DCERT_CRASH_*_HEIGHT is set (see crashpoint.ts).
  installCrashPoints(app, crashPointsFromEnv(process.env), log);
  let halted = false;
  const fatal = (e: Error): void => {
    if (halted) return;
    halted = true;
    log(`FATAL: the node stops, nothing more is committed or answered: ${e.message}`);
    if (opts.onFatal !== undefined) opts.onFatal(e);
    else process.exit(EXIT_STORE_CORRUPTION);
  };
  const server = new AbciServer(haltOnStoreCorruption(app, fatal), { log, ...(opts.abciTurnBudgetMs === undefined ? {} : { turnBudgetMs: opts.abciTurnBudgetMs }) });
  await server.listen(opts.abciAddress);
  log(`dcertd app listening on ${opts.abciAddress} (height ${store.lastHeight})`);
  return {
    app,
    async close() {
      await server.close();
      store.close();
    },
  };
}

/** The full application with every module wired in (one place, used by the node and by tests). */
export function createApp(opts: {
  store: AppOptions["store"];
  minGasPrices?: string;
  log?: (line: string) => void;
  queryGasLimit?: bigint;
  maxQueryBytes?: number;
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
  });
}

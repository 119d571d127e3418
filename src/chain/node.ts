import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AbciServer } from "./abci/server";
import { App, type AppOptions } from "./app";
import { parseDecCoins } from "./coins";
import { crashPointsFromEnv, installCrashPoints } from "./crashpoint";
import { LmdbCommitStore } from "./store/lmdb";
import { extraModules } from "./wiring";

export interface NodeOptions {
  readonly home: string;
  readonly abciAddress: string;
  readonly minGasPrices?: string;
  readonly log?: (line: string) => void;
  /** Gas cap of every query and Simulate (0 = unlimited; default DEFAULT_QUERY_GAS_LIMIT). */
  readonly queryGasLimit?: bigint;
  /** Size cap of a query request (0 = unlimited; default DEFAULT_MAX_QUERY_BYTES). */
  readonly maxQueryBytes?: number;
  /** Per-turn budget in ms of the non-consensus ABCI connections (0 = unbounded; default DEFAULT_TURN_BUDGET_MS). */
  readonly abciTurnBudgetMs?: number;
}

/** Opens the app's on-disk state under `<home>/data` and serves it over ABCI. */
export async function runNode(opts: NodeOptions): Promise<{ app: App; close(): Promise<void> }> {
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
  const server = new AbciServer(app, { log, ...(opts.abciTurnBudgetMs === undefined ? {} : { turnBudgetMs: opts.abciTurnBudgetMs }) });
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
}): App {
  return new App({
    store: opts.store,
    minGasPrices: parseDecCoins(opts.minGasPrices ?? ""),
    modules: extraModules,
    ...(opts.log === undefined ? {} : { log: opts.log }),
    ...(opts.queryGasLimit === undefined ? {} : { queryGasLimit: opts.queryGasLimit }),
    ...(opts.maxQueryBytes === undefined ? {} : { maxQueryBytes: opts.maxQueryBytes }),
  });
}

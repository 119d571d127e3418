import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AbciServer } from "./abci/server";
import { App } from "./app";
import { parseDecCoins } from "./coins";
import { crashPointsFromEnv, installCrashPoints } from "./crashpoint";
import { LmdbCommitStore } from "./store/lmdb";
import { extraModules } from "./wiring";

export interface NodeOptions {
  readonly home: string;
  readonly abciAddress: string;
  readonly minGasPrices?: string;
  readonly log?: (line: string) => void;
}

/** Opens the app's on-disk state under `<home>/data` and serves it over ABCI. */
export async function runNode(opts: NodeOptions): Promise<{ app: App; close(): Promise<void> }> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataDir = join(opts.home, "data");
  mkdirSync(dataDir, { recursive: true });
  const store = LmdbCommitStore.open(dataDir);
  const app = createApp({ store, minGasPrices: opts.minGasPrices ?? "", log });
  // Crash-safety tests only: inert unless DCERT_CRASH_*_HEIGHT is set (see crashpoint.ts).
  installCrashPoints(app, crashPointsFromEnv(process.env), log);
  const server = new AbciServer(app, { log });
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
export function createApp(opts: { store: ConstructorParameters<typeof App>[0]["store"]; minGasPrices?: string; log?: (line: string) => void }): App {
  return new App({
    store: opts.store,
    minGasPrices: parseDecCoins(opts.minGasPrices ?? ""),
    modules: extraModules,
    ...(opts.log === undefined ? {} : { log: opts.log }),
  });
}

/**
 * `dcertd export` and `dcertd clear-broken-routes`: the state-export half of a hard-fork upgrade
 * (docs/hard-fork.md). Export reads the app's committed state from its LMDB store — the app must
 * be stopped — and prints a CometBFT genesis document whose `initial_height` is the next height,
 * so a new chain can start exactly where this one stopped. Circuit-broken routes are restored by
 * clearing `app_state.dcert.broken_routes` in that document (ADR 008: no live "unbreak").
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createApp } from "../app/node";
import { LmdbCommitStore } from "../baseapp/store/lmdb";
import { clearBrokenRoutes } from "../x/dcert/circuit/genesis";
import { booleanFlag, CliError, stringFlag, UsageError, type Command, type ParsedArgs } from "./args";

/** A CometBFT genesis document, as `dcertd export` writes it. */
export interface GenesisDoc {
  genesis_time: string;
  chain_id: string;
  initial_height: string;
  consensus_params?: unknown;
  validators?: unknown;
  app_hash: string;
  app_state: Record<string, unknown>;
}

export interface ExportOptions {
  /** The app's data directory (holding `data/`), or a devnet home (holding `app/data/`). */
  readonly home: string;
  /** Must equal the last committed height when given (the store keeps only the latest state). */
  readonly height?: bigint;
  /** A previous CometBFT genesis.json: its consensus_params and validators are carried over. */
  readonly genesisFile?: string;
  readonly chainId?: string;
  readonly genesisTime?: string;
  readonly clearBrokenRoutes?: boolean;
}

export interface ExportResult {
  readonly genesis: GenesisDoc;
  /** The last committed height of the exported state. */
  readonly height: bigint;
  /** Routes removed by `clearBrokenRoutes`. */
  readonly cleared: readonly string[];
  /** The previous genesis file used, if any. */
  readonly genesisFile: string | undefined;
}

const HARD_FORK_DOC = "see docs/hard-fork.md for the procedure";

/** `<home>/data` for an app home, `<home>/app/data` for a devnet home (which also has cometbft/). */
function locate(home: string): { dataDir: string; devnetGenesis: string | undefined } {
  const abs = path.resolve(home);
  if (fs.existsSync(path.join(abs, "data"))) return { dataDir: path.join(abs, "data"), devnetGenesis: undefined };
  if (fs.existsSync(path.join(abs, "app", "data"))) {
    const g = path.join(abs, "cometbft", "config", "genesis.json");
    return { dataDir: path.join(abs, "app", "data"), devnetGenesis: fs.existsSync(g) ? g : undefined };
  }
  throw new CliError(`no app state under ${abs}: expected ${path.join(abs, "data")} (app home) or ${path.join(abs, "app", "data")} (devnet home)`, "give --home the app's data directory or a devnet home");
}

function rfc3339(s: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(s) || Number.isNaN(Date.parse(s))) {
    throw new UsageError(`--genesis-time must be an RFC 3339 time like 2030-01-01T00:00:00Z, got "${s}"`);
  }
  return s;
}

/** Reads the committed state and builds the genesis document (the store is opened and closed here). */
export function exportGenesis(opts: ExportOptions): ExportResult {
  const { dataDir, devnetGenesis } = locate(opts.home);
  const genesisFile = opts.genesisFile ?? devnetGenesis;
  let previous: Record<string, unknown> = {};
  if (genesisFile !== undefined) {
    try {
      previous = JSON.parse(fs.readFileSync(genesisFile, "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new CliError(`cannot read the previous genesis ${genesisFile}: ${e instanceof Error ? e.message : String(e)}`, "give --genesis the chain's current genesis.json");
    }
  }
  // "inline": no background writer thread; the open replays any logged blocks first, so what is
  // read is exactly the committed state.
  const store = LmdbCommitStore.open(dataDir, { apply: "inline" });
  try {
    const height = store.lastHeight;
    if (height === 0n) throw new CliError(`the store in ${dataDir} has no committed block`, "there is nothing to export; run the chain first");
    if (opts.height !== undefined && opts.height !== height) {
      throw new CliError(
        `the store keeps only the latest state (height ${height}); it cannot export height ${opts.height}`,
        "stop the node once it has committed the height you want, then export",
      );
    }
    const app = createApp({ store });
    const appState = app.exportGenesis();
    const storedChainId = app.queryContext().block.chainId;
    let genesis: GenesisDoc = {
      genesis_time: opts.genesisTime ?? new Date().toISOString(),
      chain_id: opts.chainId ?? storedChainId,
      initial_height: (height + 1n).toString(),
      ...(previous["consensus_params"] !== undefined ? { consensus_params: previous["consensus_params"] } : {}),
      ...(previous["validators"] !== undefined ? { validators: previous["validators"] } : {}),
      app_hash: "",
      app_state: appState,
    };
    let cleared: readonly string[] = [];
    if (opts.clearBrokenRoutes === true) {
      const c = clearBrokenRoutes(genesis);
      genesis = c.genesis as unknown as GenesisDoc;
      cleared = c.cleared;
    }
    return { genesis, height, cleared, genesisFile };
  } finally {
    store.close();
  }
}

function writeJson(value: unknown, output: string | undefined): void {
  const text = `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
  if (output === undefined) process.stdout.write(text);
  else fs.writeFileSync(output, text);
}

function parseHeight(s: string | undefined): bigint | undefined {
  if (s === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(s)) throw new UsageError(`--height must be a positive integer, got "${s}"`);
  return BigInt(s);
}

function reportCleared(cleared: readonly string[]): void {
  process.stderr.write(
    cleared.length === 0 ? "no broken routes to clear\n" : `cleared ${cleared.length} broken route(s): ${cleared.join(", ")}\n`,
  );
}

async function runExport(args: ParsedArgs): Promise<number> {
  const home = stringFlag(args, "home");
  if (home === undefined) throw new UsageError("--home <dir> is required (the app's data directory, or a devnet home)");
  const genesisTime = stringFlag(args, "genesis-time");
  const height = parseHeight(stringFlag(args, "height"));
  const genesisFile = stringFlag(args, "genesis");
  const chainId = stringFlag(args, "chain-id");
  const r = exportGenesis({
    home,
    ...(height !== undefined ? { height } : {}),
    ...(genesisFile !== undefined ? { genesisFile } : {}),
    ...(chainId !== undefined ? { chainId } : {}),
    ...(genesisTime !== undefined ? { genesisTime: rfc3339(genesisTime) } : {}),
    clearBrokenRoutes: booleanFlag(args, "clear-broken-routes"),
  });
  const output = stringFlag(args, "output");
  writeJson(r.genesis, output);
  process.stderr.write(
    `exported height ${r.height} of chain ${r.genesis.chain_id}; the new chain starts at initial_height ${r.genesis.initial_height}` +
      (r.genesisFile !== undefined ? ` (consensus params and validators from ${r.genesisFile})` : "") +
      (output !== undefined ? `; written to ${output}` : "") +
      "\n",
  );
  if (booleanFlag(args, "clear-broken-routes")) reportCleared(r.cleared);
  return 0;
}

export const exportCommand: Command = {
  name: "export",
  summary: "print the app's committed state as a genesis document (hard-fork upgrades)",
  details: [
    "Stop the app (and CometBFT) first: export opens the app's store directly.",
    "The document's initial_height is the exported height + 1, so a chain started from it continues",
    "where this one stopped. See docs/hard-fork.md for the whole procedure.",
  ],
  flags: [
    { name: "home", valueName: "dir", description: "the app's data directory (as given to `dcertd start`) or a devnet home (required)" },
    { name: "height", valueName: "n", description: "check that the committed height is n (the store keeps only the latest state)" },
    { name: "genesis", valueName: "file", description: "the chain's current genesis.json, for consensus_params and validators", defaultText: "<home>/cometbft/config/genesis.json for a devnet home" },
    { name: "chain-id", valueName: "id", description: "chain-id of the new genesis", defaultText: "the exported chain's" },
    { name: "genesis-time", valueName: "time", description: "genesis_time of the new genesis (RFC 3339)", defaultText: "now" },
    { name: "clear-broken-routes", boolean: true, description: "empty app_state.dcert.broken_routes (restores circuit-broken routes)" },
    { name: "output", valueName: "file", description: "write the genesis here instead of stdout" },
  ],
  run: runExport,
};

async function runClear(args: ParsedArgs): Promise<number> {
  const [file, ...extra] = args.positionals;
  if (file === undefined) throw new UsageError("name the genesis file: dcertd clear-broken-routes <genesis.json>");
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ""}"`);
  const output = booleanFlag(args, "in-place") ? file : stringFlag(args, "output");
  if (booleanFlag(args, "in-place") && stringFlag(args, "output") !== undefined) throw new UsageError("give either --in-place or --output, not both");
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, "give the path of a genesis JSON document");
  }
  let r: ReturnType<typeof clearBrokenRoutes>;
  try {
    r = clearBrokenRoutes(doc);
  } catch (e) {
    throw new CliError(`${file}: ${e instanceof Error ? e.message : String(e)}`, HARD_FORK_DOC);
  }
  writeJson(r.genesis, output);
  reportCleared(r.cleared);
  return 0;
}

export const clearBrokenRoutesCommand: Command = {
  name: "clear-broken-routes",
  summary: "remove every circuit-broken route from a genesis document (hard-fork upgrades)",
  details: ["Everything else in the document is kept. See docs/hard-fork.md."],
  positionals: ["<genesis.json>"],
  flags: [
    { name: "output", valueName: "file", description: "write the result here instead of stdout" },
    { name: "in-place", boolean: true, description: "overwrite the input file" },
  ],
  run: runClear,
};

/** `dcertd start`: runs the dCERT ABCI application; a CometBFT node connects to it. */
import * as path from "node:path";
import { runNode } from "../chain/node";
import { DevnetError } from "./cometbft";
import { UsageError, stringFlag, type Command, type ParsedArgs } from "./args";

export const DEFAULT_ABCI_ADDRESS = "tcp://127.0.0.1:26658";

/** Resolves with the first SIGINT/SIGTERM; a second one exits at once. */
function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (received) {
        console.error(`${signal} again: exiting without waiting for a clean shutdown`);
        process.exit(130);
      }
      received = true;
      resolve(signal);
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
  });
}

async function runStart(args: ParsedArgs): Promise<number> {
  const home = stringFlag(args, "home");
  if (home === undefined) throw new UsageError("--home <dir> is required (the app's data directory)");
  const abciAddress = stringFlag(args, "abci") ?? DEFAULT_ABCI_ADDRESS;
  if (!/^tcp:\/\/[^:]+:\d+$/.test(abciAddress)) {
    throw new UsageError(`--abci must look like tcp://127.0.0.1:26658, got "${abciAddress}"`);
  }
  const minGasPrices = stringFlag(args, "minimum-gas-prices");
  const stop = nextStopSignal();
  let node: Awaited<ReturnType<typeof runNode>>;
  try {
    node = await runNode({
      home: path.resolve(home),
      abciAddress,
      ...(minGasPrices !== undefined ? { minGasPrices } : {}),
      log: (line) => console.log(line),
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new DevnetError(`${abciAddress} is already in use (another dcertd running?); choose another address with --abci`);
    }
    throw e;
  }
  const signal = await stop;
  console.log(`dcertd: ${signal} received, closing`);
  await node.close();
  console.log("dcertd: stopped");
  return 0;
}

export const startCommand: Command = {
  name: "start",
  summary: "run the dCERT ABCI application (point CometBFT's proxy_app at it)",
  details: ["Stops cleanly on SIGINT or SIGTERM. CometBFT must be started separately (see `dcertd devnet`)."],
  flags: [
    { name: "home", valueName: "dir", description: "the app's data directory (required)" },
    { name: "abci", valueName: "address", description: "ABCI socket address to listen on", defaultText: DEFAULT_ABCI_ADDRESS },
    { name: "minimum-gas-prices", valueName: "prices", description: "minimum gas prices for CheckTx, e.g. 0.025udcert", defaultText: "the app's default" },
  ],
  run: runStart,
};

#!/usr/bin/env node
/**
 * The `dcertd` command. To add a command, write a `Command` (see args.ts; flags and `--help` come
 * from its declaration) and add it to `COMMANDS`; to add a subcommand, add a `Leaf` to its group.
 */
import { fixCosmjsInt64Writer } from "../types/int64writer";
import { runCli, type CommandNode } from "./args";
import { chainInfoCommand } from "./chaininfo";
import { devnetCommand } from "./devnet";
import { configCommand } from "./config";
import { coordCommand } from "./coord/keys";
import { clearBrokenRoutesCommand, exportCommand } from "./export";
import { genesisCommand, initCommand } from "./genesis";
import { keysCommand } from "./keys";
import { queryCommand, queryCommandLong } from "./query";
import { startCommand } from "./start";
import { statusCommand } from "./status";
import { testnetCommand } from "./testnet";
import { txCommand } from "./tx";
import { versionCommand } from "./version";
import { verifyStoreCommand } from "./verify-store";
import { watchCommand } from "./watch";

export const COMMANDS: readonly CommandNode[] = [
  startCommand,
  devnetCommand,
  exportCommand,
  clearBrokenRoutesCommand,
  verifyStoreCommand,
  initCommand,
  genesisCommand,
  testnetCommand,
  keysCommand,
  txCommand,
  queryCommand,
  queryCommandLong,
  coordCommand,
  watchCommand,
  statusCommand,
  chainInfoCommand,
  versionCommand,
  configCommand,
];

async function main(): Promise<void> {
  // Before anything encodes: CosmJS signs with cosmjs-types' writer, whose 64-bit varints in
  // [2^31, 2^32) (a --gas limit of 3000000000, say) are wrong unless fixed (types/int64writer.ts).
  fixCosmjsInt64Writer();
  // runCli prints every error itself (errors.ts) and returns the exit code.
  process.exit(await runCli("dcertd", COMMANDS, process.argv.slice(2)));
}

void main();

#!/usr/bin/env node
/**
 * The `dcertd` command. To add a subcommand, write a `Command` (see args.ts; flags and `--help`
 * come from its declaration) and add it to `COMMANDS`.
 */
import { isStoreCorruption } from "../baseapp/store/integrity";
import { runCli, type Command } from "./args";
import { DevnetError } from "../localnet/cometbft";
import { devnetCommand } from "./devnet";
import { clearBrokenRoutesCommand, exportCommand } from "./export";
import { genesisCommand, initCommand } from "./genesis";
import { keysCommand } from "./keys";
import { queryCommand, queryCommandLong } from "./query";
import { startCommand } from "./start";
import { testnetCommand } from "./testnet";
import { txCommand } from "./tx";
import { verifyStoreCommand } from "./verify-store";

export const COMMANDS: readonly Command[] = [
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
];

async function main(): Promise<void> {
  let code: number;
  try {
    code = await runCli("dcertd", COMMANDS, process.argv.slice(2));
  } catch (e) {
    if (e instanceof DevnetError || isStoreCorruption(e)) console.error(`error: ${e.message}`);
    else console.error(e);
    code = 1;
  }
  process.exit(code);
}

void main();

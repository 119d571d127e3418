/**
 * The genesis ceremony's commands (docs/testnet.md walks through it); each step is a function of
 * src/localnet/ceremony.ts:
 *
 *   dcertd init                     a node home: CometBFT keys and config, a genesis template
 *   dcertd genesis add-account      fund an account in genesis (the coordinator, for everyone)
 *   dcertd genesis gentx            a validator signs its MsgCreateValidator (gentx file)
 *   dcertd genesis collect-gentxs   the coordinator puts every gentx into genesis and sets peers
 *   dcertd genesis validate         every module's checks plus a dry-run InitChain
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Coin, parseCoinsText } from "../baseapp/coins";
import { BECH32_PREFIX, DEFAULT_DENOM } from "../baseapp/tx/constants";
import { booleanFlag, portFlag, stringFlag, UsageError, type Command, type FlagSpec, type ParsedArgs } from "./args";
import { resolveHome, describeClientError } from "./clientenv";
import { CliError, commandTree, type Leaf } from "./cmdtree";
import { FileKeyring } from "./keyring";
import { getPassphrase, PASSPHRASE_FLAG } from "./prompt";
import { DevnetError, resolveCometbft } from "../localnet/cometbft";
import { KEY_EXAMPLES, writeAppConfig } from "../localnet/appconfig";
import { START_DEFAULTS } from "./start";
import { cometConfigFile, DEFAULT_DEVNET_PORTS, devnetPaths, findRepoRoot, type DevnetPorts } from "../localnet/devnet";
import {
  addAccountToGenesis,
  collectGentxs,
  createGentx,
  DEFAULT_GENESIS_CHAIN_ID,
  genesisFile,
  initNodeHome,
  peersFromGenesis,
  readGenesisDoc,
  readNodeId,
  setPersistentPeers,
  validateGenesisDoc,
  type GenesisValidation,
} from "../localnet/ceremony";

/** Parses "1000udcert" or "5foo,1000udcert" into coins (positive amounts, valid denoms). */
export function parseCoins(s: string): Coin[] {
  const r = parseCoinsText(s, { skipEmpty: false, allowZero: false });
  if (r.ok) return r.coins;
  const e = r.error;
  if (e.reason === "denom") throw new UsageError(`invalid denom ${JSON.stringify(e.denom)}`);
  if (e.reason === "zero") throw new UsageError(`coin amounts must be positive, got ${e.entry}`);
  if (e.reason === "duplicate") throw new UsageError(`denom ${e.denom} appears twice in ${JSON.stringify(s)}`);
  throw new UsageError(`invalid coins ${JSON.stringify(s)}; expected e.g. 1000000${DEFAULT_DENOM}`);
}

async function runInit(args: ParsedArgs): Promise<number> {
  const home = requireHome(args);
  const moniker = stringFlag(args, "moniker") ?? os.hostname();
  const chainId = stringFlag(args, "chain-id") ?? DEFAULT_GENESIS_CHAIN_ID;
  const ports: DevnetPorts = {
    rpc: portFlag(args, "rpc-port") ?? DEFAULT_DEVNET_PORTS.rpc,
    p2p: portFlag(args, "p2p-port") ?? DEFAULT_DEVNET_PORTS.p2p,
    abci: portFlag(args, "abci-port") ?? DEFAULT_DEVNET_PORTS.abci,
  };
  const res = initNodeHome({
    home,
    moniker,
    chainId,
    cometbftBin: resolveCometbft(findRepoRoot()),
    profile: booleanFlag(args, "devnet-params") ? "devnet" : "default",
    ports,
    p2pHost: stringFlag(args, "p2p-host") ?? "127.0.0.1",
  });
  // The app's config: the defaults, with the ABCI and RPC addresses CometBFT's config was given.
  const appToml = writeAppConfig(
    res.paths.appHome,
    { ...START_DEFAULTS, abciAddress: `tcp://127.0.0.1:${ports.abci}`, rpcLaddr: `tcp://127.0.0.1:${ports.rpc}` },
    KEY_EXAMPLES,
  );
  console.log(
    [
      `initialized ${res.paths.home} (chain-id ${chainId}, moniker ${moniker})`,
      `  node id:        ${res.nodeId}`,
      `  consensus key:  ${res.consensusPubkey} (ed25519, ${path.join(res.paths.cometHome, "config", "priv_validator_key.json")})`,
      `  genesis:        ${genesisFile(home)}`,
      `  app config:     ${appToml} (set minimum-gas-prices before "dcertd start --home ${res.paths.appHome}")`,
      `Next: dcertd genesis add-account <address> <coins> --home ${home}`,
    ].join("\n"),
  );
  return 0;
}

function requireHome(args: ParsedArgs): string {
  const home = stringFlag(args, "home");
  if (home === undefined) throw new UsageError("--home <dir> is required (the node's home directory)");
  return path.resolve(home);
}

const HOME_FLAG: FlagSpec = { name: "home", valueName: "dir", description: "the node's home directory (required)" };

export const initCommand: Command = {
  name: "init",
  summary: "create a validator node's home: CometBFT keys and config, and a genesis to build on",
  details: [
    "The genesis has no accounts and no validators yet: add accounts with `dcertd genesis add-account`,",
    "sign a gentx with `dcertd genesis gentx`. See docs/testnet.md for the whole ceremony.",
  ],
  flags: [
    HOME_FLAG,
    { name: "moniker", valueName: "name", description: "the node's name", defaultText: "the host name" },
    { name: "chain-id", valueName: "id", description: "the chain id", defaultText: DEFAULT_GENESIS_CHAIN_ID },
    { name: "devnet-params", boolean: true, description: "seconds-long gov and unbonding periods and the devnet's dCERT params (test networks)" },
    { name: "rpc-port", valueName: "port", description: "CometBFT RPC port (127.0.0.1)", defaultText: String(DEFAULT_DEVNET_PORTS.rpc) },
    { name: "p2p-port", valueName: "port", description: "CometBFT P2P port", defaultText: String(DEFAULT_DEVNET_PORTS.p2p) },
    { name: "abci-port", valueName: "port", description: "the app's ABCI port (127.0.0.1)", defaultText: String(DEFAULT_DEVNET_PORTS.abci) },
    { name: "p2p-host", valueName: "host", description: "address the P2P port listens on (0.0.0.0 for other machines)", defaultText: "127.0.0.1" },
  ],
  run: runInit,
  describeError: describeSetupError,
};

const addAccountCommand: Leaf = {
  path: ["add-account"],
  summary: "add a funded account to genesis",
  positionals: ["<address>", "<coins>"],
  details: ["e.g. dcertd genesis add-account dcert1… 1000000000000udcert --home ~/.dcert/node"],
  flags: [HOME_FLAG, { name: "append", boolean: true, description: "add the coins to an account that is already in genesis" }],
  async run(args) {
    const home = requireHome(args);
    const [address, coins, ...extra] = args.positionals;
    if (address === undefined || coins === undefined || extra.length > 0) throw new UsageError("give exactly <address> <coins>");
    const parsed = parseCoins(coins);
    addAccountToGenesis(home, address, parsed, booleanFlag(args, "append"));
    console.log(`added ${address} with ${coins} to ${genesisFile(home)}`);
    return 0;
  },
};

const gentxCommand: Leaf = {
  path: ["gentx"],
  summary: "sign this node's genesis transaction (MsgCreateValidator with its consensus key)",
  details: [
    "The operator key comes from the keyring (--from, as created by `dcertd keys add`) or from a file",
    "holding its mnemonic (account 0, m/44'/118'/0'/0/0). The account must already be funded in this",
    "home's genesis. Writes <home>/gentx/gentx-<node id>.json: send it to the coordinator.",
  ],
  flags: [
    HOME_FLAG,
    { name: "from", valueName: "key", description: "the operator key's name or address in the keyring" },
    { name: "keyring-home", valueName: "dir", description: "client home holding keyring-file/", defaultText: "$DCERTD_HOME or ~/.dcertd" },
    PASSPHRASE_FLAG,
    { name: "mnemonic-file", valueName: "file", description: "or: a file holding the operator's mnemonic" },
    { name: "amount", valueName: "coin", description: "self-delegation, e.g. 100000000000udcert (required)" },
    { name: "moniker", valueName: "name", description: "validator name", defaultText: "the node's moniker" },
    { name: "ip", valueName: "host", description: "host other validators reach this node's P2P port at", defaultText: "127.0.0.1" },
    { name: "output", valueName: "file", description: "where to write the gentx", defaultText: "<home>/gentx/gentx-<node id>.json" },
  ],
  async run(args) {
    const home = requireHome(args);
    const mnemonicFile = stringFlag(args, "mnemonic-file");
    const from = stringFlag(args, "from");
    if ((mnemonicFile === undefined) === (from === undefined)) throw new UsageError("give the operator key with --from <key> (keyring) or --mnemonic-file <file>");
    const amountFlag = stringFlag(args, "amount");
    if (amountFlag === undefined) throw new UsageError("--amount <coin> is required, e.g. --amount 100000000000udcert");
    const coins = parseCoins(amountFlag);
    if (coins.length !== 1) throw new UsageError("--amount takes a single coin");
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0] ?? ""}`);
    const moniker = stringFlag(args, "moniker");
    const ip = stringFlag(args, "ip");
    const output = stringFlag(args, "output");
    let key: { mnemonic: string; hdPath?: string };
    if (from !== undefined) {
      const keyringHome = stringFlag(args, "keyring-home");
      const keyring = FileKeyring.forHome(resolveHome({ flags: keyringHome === undefined ? {} : { home: keyringHome }, positionals: [] }), BECH32_PREFIX);
      const info = keyring.get(from);
      key = { mnemonic: keyring.decrypt(info.name, await getPassphrase(args)), hdPath: info.hdPath };
    } else {
      key = { mnemonic: fs.readFileSync(mnemonicFile as string, "utf8") };
    }
    const res = await createGentx({
      home,
      ...key,
      amount: coins[0] as Coin,
      ...(moniker === undefined ? {} : { moniker }),
      ...(ip === undefined ? {} : { ip }),
      ...(output === undefined ? {} : { output: path.resolve(output) }),
    });
    console.log(
      [
        `wrote ${res.file}`,
        `  validator:       ${res.summary.validatorAddress} (${res.summary.moniker})`,
        `  self-delegation: ${res.summary.selfDelegation.amount}${res.summary.selfDelegation.denom}`,
        `  peer address:    ${res.summary.memo}`,
      ].join("\n"),
    );
    return 0;
  },
};

const collectCommand: Leaf = {
  path: ["collect-gentxs"],
  summary: "put every gentx into genesis, set this node's persistent peers, and validate",
  flags: [HOME_FLAG, { name: "gentx-dir", valueName: "dir", description: "directory of gentx-*.json files", defaultText: "<home>/gentx" }],
  async run(args) {
    const home = requireHome(args);
    const dir = stringFlag(args, "gentx-dir");
    const res = collectGentxs(home, dir === undefined ? undefined : path.resolve(dir));
    console.log(`collected ${res.gentxs.length} gentxs into ${genesisFile(home)}`);
    printValidation(res.validation);
    console.log(`persistent_peers: ${res.peers.join(",") || "(none)"}`);
    console.log("Distribute this genesis.json to every validator (each checks it with dcertd genesis validate).");
    return 0;
  },
};

function printValidation(v: GenesisValidation): void {
  console.log(`genesis is valid: chain-id ${v.chainId}, genesis time ${v.genesisTime}, ${v.accounts} accounts, genesis app hash ${v.appHash}`);
  console.log(`validators (${v.validators.length}):`);
  for (const val of v.validators) console.log(`  ${val.moniker.padEnd(16)} ${val.operator}  power ${val.power}`);
}

const validateCommand: Leaf = {
  path: ["validate"],
  summary: "check a genesis file: every module's rules and a dry-run InitChain (gentxs included)",
  details: ["With --home it also lists this node's peers from the gentx memos; --set-peers writes them to config.toml."],
  flags: [
    { name: "home", valueName: "dir", description: "the node's home directory (its genesis is checked)" },
    { name: "genesis", valueName: "file", description: "check this genesis.json instead" },
    { name: "set-peers", boolean: true, description: "write the other validators (from the gentx memos) into this node's persistent_peers" },
  ],
  async run(args) {
    const given = stringFlag(args, "genesis");
    const home = stringFlag(args, "home");
    if ((given === undefined) === (home === undefined)) throw new UsageError("give --home <dir> or --genesis <file>");
    const file = given !== undefined ? path.resolve(given) : genesisFile(path.resolve(home as string));
    const doc = readGenesisDoc(file);
    printValidation(validateGenesisDoc(doc));
    if (home !== undefined) {
      const abs = path.resolve(home);
      const peers = peersFromGenesis(doc, readNodeId(devnetPaths(abs).cometHome));
      console.log(`peers of this node (from the gentx memos): ${peers.join(",") || "(none)"}`);
      if (booleanFlag(args, "set-peers")) {
        setPersistentPeers(abs, peers);
        console.log(`wrote persistent_peers to ${cometConfigFile(devnetPaths(abs).cometHome)}`);
      }
    } else if (booleanFlag(args, "set-peers")) {
      throw new UsageError("--set-peers needs --home");
    }
    return 0;
  },
};

/** DevnetErrors already say what went wrong and what to run; the tree wants the two halves. */
export function describeSetupError(e: unknown): CliError | undefined {
  return e instanceof DevnetError ? new CliError(e.message, "see docs/testnet.md for the whole procedure") : describeClientError(e);
}

export const genesisCommand = commandTree(
  "genesis",
  "build a multi-validator genesis: add-account, gentx, collect-gentxs, validate",
  [addAccountCommand, gentxCommand, collectCommand, validateCommand],
  { intro: ["The genesis ceremony for validators on separate machines; see docs/testnet.md."], describeError: describeSetupError },
);

/**
 * In-process app harness: a full app (every module wired as in the node) on an in-memory commit
 * store, InitChain from the devnet genesis builder, and blocks driven through the ABCI methods.
 */
import { noInflationMintGenesis } from "../../src/x/mint/genesis";
import type { ExecTxResult, RequestFinalizeBlock, RequestInitChain, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { DcertApp } from "../../src/app/app";
import { buildDevnetAppState } from "../../src/app/genesis";
import { defaultCoordGenesisJson } from "../../src/x/coord/genesis";
import { createApp } from "../../src/app/node";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import type { CommitStore } from "../../src/baseapp/store/types";
import { DEFAULT_DENOM } from "../../src/baseapp/tx/constants";
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { directWallet, firstAccount, TEST_CHAIN_ID, TEST_MNEMONIC } from "./txs";
import type { BuildIdentity } from "../../src/x/upgrade/build";

export const GENESIS_TIME_SECONDS = 1_700_000_000n;
/** A fixed ed25519 public key (32 bytes) for the test validator. */
export const TEST_VALIDATOR_PUBKEY_B64 = Buffer.alloc(32, 7).toString("base64");

export interface TestChain {
  readonly app: DcertApp;
  readonly store: CommitStore;
  height: bigint;
  /** Seconds of block time; each block advances it by `blockSeconds` unless given. */
  time: bigint;
  /** The InitChain request the chain was (or would have been) started with. */
  readonly genesis: RequestInitChain;
  /** The FinalizeBlock request `block()` sends next (without txs), for driving the app by hand. */
  nextBlockRequest(txs?: readonly Uint8Array[], seconds?: bigint): RequestFinalizeBlock;
  /** Runs FinalizeBlock + Commit with `txs`; returns the FinalizeBlock response. */
  block(txs?: readonly Uint8Array[], opts?: { seconds?: bigint }): ResponseFinalizeBlock;
  /** Runs one block with one tx and returns its result. */
  deliver(tx: Uint8Array): ExecTxResult;
}

/** A validator operator address distinct from the test wallets' first accounts (HD index 1 of the test mnemonic). */
export async function testValidatorAddress(): Promise<string> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(TEST_MNEMONIC, { prefix: "dcert", hdPaths: [makeCosmoshubPath(1)] });
  const [acc] = await wallet.getAccounts();
  if (acc === undefined) throw new Error("no account");
  return acc.address;
}

/**
 * A chain past its first block whose genesis funds the test validator and alice (the test
 * wallet's first account) with 1,000,000,000 each; `opts` as testChain's, without the accounts.
 */
export async function validatorAndAliceChain(
  opts: Omit<TestChainOptions, "accounts"> = {},
): Promise<{ chain: TestChain; wallet: DirectSecp256k1HdWallet; alice: string; validator: string }> {
  const wallet = await directWallet();
  const alice = (await firstAccount(wallet)).address;
  const validator = await testValidatorAddress();
  const chain = testChain({
    ...opts,
    accounts: [
      { address: validator, amount: 1_000_000_000n },
      { address: alice, amount: 1_000_000_000n },
    ],
  });
  chain.block();
  return { chain, wallet, alice, validator };
}

/** `address`'s account number and sequence, through the Account query. */
export function accountOf(chain: TestChain, address: string): { accountNumber: bigint; sequence: bigint } {
  const res = chain.app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address }).finish(), height: 0n, prove: false });
  if (res.code !== 0) throw new Error(`no account ${address}: ${res.log}`);
  const acc = BaseAccount.decode(QueryAccountResponse.decode(res.value).account!.value);
  return { accountNumber: acc.accountNumber, sequence: acc.sequence };
}

export interface TestChainOptions {
  readonly accounts: readonly { address: string; amount: bigint }[];
  readonly store?: CommitStore;
  readonly minGasPrices?: string;
  readonly chainId?: string;
  readonly selfDelegation?: bigint;
  /** The consensus param block.max_gas given at InitChain (default: none, i.e. unlimited). */
  readonly maxGas?: bigint;
  /** Mutates the app_state before InitChain (e.g. to set dCERT params). */
  readonly editGenesis?: (appState: Record<string, unknown>) => void;
  /** Node-local query caps (default: the app's defaults). */
  readonly queryGasLimit?: bigint;
  readonly maxQueryBytes?: number;
  /** app.toml `index-events`: the attributes CometBFT may index (default: all). */
  readonly indexEvents?: readonly string[];
  /** The consensus param abci.vote_extensions_enable_height given at InitChain (default: none, i.e. disabled). */
  readonly voteExtensionsEnableHeight?: bigint;
  /** The validator's ed25519 consensus key, base64 (default TEST_VALIDATOR_PUBKEY_B64). */
  readonly validatorPubkeyB64?: string;
  /** The build the app runs (default: a development build). */
  readonly build?: BuildIdentity;
}

/** The consensus params InitChain gets: block.max_gas and abci.vote_extensions_enable_height when asked for. */
function consensusParams(opts: TestChainOptions): Pick<RequestInitChain, "consensusParams"> | Record<string, never> {
  if (opts.maxGas === undefined && opts.voteExtensionsEnableHeight === undefined) return {};
  return {
    consensusParams: {
      ...(opts.maxGas === undefined ? {} : { block: { maxBytes: 22020096n, maxGas: opts.maxGas } }),
      ...(opts.voteExtensionsEnableHeight === undefined ? {} : { abci: { voteExtensionsEnableHeight: opts.voteExtensionsEnableHeight } }),
    },
  };
}

export function testChain(opts: TestChainOptions): TestChain {
  const store = opts.store ?? new MemoryCommitStore();
  const app = createApp({
    store,
    ...(opts.minGasPrices === undefined ? {} : { minGasPrices: opts.minGasPrices }),
    ...(opts.queryGasLimit === undefined ? {} : { queryGasLimit: opts.queryGasLimit }),
    ...(opts.maxQueryBytes === undefined ? {} : { maxQueryBytes: opts.maxQueryBytes }),
    ...(opts.indexEvents === undefined ? {} : { indexEvents: opts.indexEvents }),
    ...(opts.build === undefined ? {} : { build: opts.build }),
  });
  const chainId = opts.chainId ?? TEST_CHAIN_ID;
  const first = opts.accounts[0];
  if (first === undefined) throw new Error("testChain needs at least one account");
  const appState = buildDevnetAppState({
    denom: DEFAULT_DENOM,
    accounts: opts.accounts,
    validator: {
      operatorAddress: first.address,
      consensusPubkeyEd25519Base64: opts.validatorPubkeyB64 ?? TEST_VALIDATOR_PUBKEY_B64,
      selfDelegation: opts.selfDelegation ?? first.amount / 10n,
    },
    shortPeriods: true,
  });
  // In-process chains advance block time explicitly, so they run the production coordination
  // timeline (days); the devnet's minute-long levels are for chains that run in real time.
  appState["coord"] = defaultCoordGenesisJson();
  // In-process chains count every token: no inflation unless a test sets the mint section itself.
  appState["mint"] = noInflationMintGenesis(DEFAULT_DENOM);
  opts.editGenesis?.(appState);
  const genesis: RequestInitChain = {
    time: { seconds: GENESIS_TIME_SECONDS, nanos: 0 },
    chainId,
    validators: [],
    appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
    initialHeight: 1n,
    ...consensusParams(opts),
  };
  const chain: TestChain = {
    app,
    store,
    genesis,
    height: 0n,
    time: GENESIS_TIME_SECONDS,
    nextBlockRequest(txs = [], seconds = 1n) {
      return {
        txs: [...txs],
        decidedLastCommit: { round: 0, votes: [] },
        misbehavior: [],
        hash: new Uint8Array(32),
        height: chain.height + 1n,
        time: { seconds: chain.time + seconds, nanos: 0 },
        nextValidatorsHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      };
    },
    block(txs = [], o = {}) {
      const req = chain.nextBlockRequest(txs, o.seconds);
      chain.height = req.height;
      chain.time = req.time?.seconds ?? chain.time;
      const res = app.finalizeBlock(req);
      app.commit();
      return res;
    },
    deliver(tx) {
      const r = chain.block([tx]).txResults[0];
      if (r === undefined) throw new Error("no tx result");
      return r;
    },
  };
  if (store.lastHeight === 0n) {
    app.initChain(genesis);
  } else {
    chain.height = store.lastHeight;
  }
  return chain;
}

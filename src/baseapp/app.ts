import {
  type RequestApplySnapshotChunk,
  type RequestCheckTx,
  type RequestExtendVote,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type RequestVerifyVoteExtension,
  type ResponseApplySnapshotChunk,
  type ResponseCheckTx,
  type ResponseCommit,
  type ResponseExtendVote,
  type ResponseFinalizeBlock,
  type ResponseInfo,
  type ResponseInitChain,
  type ResponseListSnapshots,
  type ResponseLoadSnapshotChunk,
  type ResponseOfferSnapshot,
  type ResponsePrepareProposal,
  type ResponseProcessProposal,
  type ResponseQuery,
  type ResponseVerifyVoteExtension,
  type ExecTxResult,
  type Event,
  type ValidatorUpdate,
  CheckTxType,
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from "cosmjs-types/tendermint/abci/types";
import { errorFields, toLog, type Log, type LogSink } from "./log";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { EvidenceParams } from "cosmjs-types/tendermint/types/params";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { AbciApplication } from "./abci/types";
import { AnteHandler, type AnteDecorator, type AnteTx } from "./ante";
import type { DecCoin } from "./coins";
import { type BlockInfo, Context, declareStore, type ExecMode } from "./context";
import { fromUtf8, utf8 } from "./encoding";
import { ErrInvalidGasLimit, ErrInvalidHeight, ErrInvalidRequest, ErrTxDecode, errorResult } from "./errors";
import { EventManager, markEventsToIndex } from "./events";
import { BasicGasMeter, InfiniteGasMeter, type GasMeter } from "./gas";
import type { AppModule } from "./module";
import { MsgRouter, QueryRouter, registrarFor, type DecodedMsg } from "./router";
import { installEncodingFastPath } from "./perf";
import { checkQuerySize, DEFAULT_MAX_QUERY_BYTES, DEFAULT_QUERY_GAS_LIMIT, QueryGasMeter, type QueryLimits } from "./querylimits";
import { CacheKV } from "./store/cachekv";
import { GasKVStore } from "./store/gaskv";
import type { CacheKVStore, CommitStore, KVStore, PendingCommit } from "./store/types";
import type { DecodedTx } from "./tx/decode";
import { TxViewCache, type TxView } from "./tx/viewcache";
import { createDefaultAminoRegistry, type AminoRegistry } from "../types/amino";
import {
  checkedCommit,
  checkVoteSignature,
  decodeVeTx,
  encodeVeTx,
  hasVeTxPrefix,
  isReservedTx,
  MAX_VOTE_EXTENSION_BYTES,
  veTxRequired,
  type VoteExtensionHooks,
  votesMismatch,
} from "./voteext";

export const APP_VERSION = "0.1.0";
/** Reserved app-level keys under "_app/" (declared like a module's store, so no module's prefix can overlap it). */
const APP_META = declareStore("app", { chainId: "chain_id", maxGas: "max_gas", veEnableHeight: "ve_enable_height", evidence: "evidence_params" }, { prefix: utf8("_app/") });
export const CHAIN_ID_KEY = new Uint8Array([...APP_META.store.prefix, ...utf8(APP_META.prefixes.chainId)]);
/** The block gas limit from InitChain's consensus params (decimal; absent or "-1" = unlimited). */
export const MAX_GAS_KEY = new Uint8Array([...APP_META.store.prefix, ...utf8(APP_META.prefixes.maxGas)]);
/** The consensus param abci.vote_extensions_enable_height from InitChain (decimal; absent = disabled). */
export const VE_ENABLE_HEIGHT_KEY = new Uint8Array([...APP_META.store.prefix, ...utf8(APP_META.prefixes.veEnableHeight)]);
/** The consensus params' evidence section from InitChain (protobuf tendermint.types.EvidenceParams; absent = none given). */
export const EVIDENCE_PARAMS_KEY = new Uint8Array([...APP_META.store.prefix, ...utf8(APP_META.prefixes.evidence)]);

export interface AppOptions {
  readonly store: CommitStore;
  /** Node-local minimum gas prices for CheckTx (never applied in consensus). */
  readonly minGasPrices?: readonly DecCoin[];
  /**
   * The app's modules, in begin/end-block and genesis order (the composition root's choice: auth,
   * bank, distribution, gov, staking, dcert, genutil).
   */
  readonly modules?: (app: App) => AppModule[];
  /**
   * The ante decorators run after the route guard (slot 0), in order (the composition root gives
   * the x/auth decorators: fees, pubkeys, sequences, signatures). Default: none.
   */
  readonly anteDecorators?: (app: App) => readonly AnteDecorator[];
  /** Where the app logs (module "baseapp"): a leveled logger, or a line function. Default: nowhere. */
  readonly log?: LogSink;
  /**
   * Node-local gas cap of every query and Simulate (`dcertd start --query-gas-limit`; 0 =
   * unlimited). Default DEFAULT_QUERY_GAS_LIMIT.
   */
  readonly queryGasLimit?: bigint;
  /**
   * Node-local size cap of a query request, path + data (`dcertd start --max-query-bytes`; 0 =
   * unlimited). Default DEFAULT_MAX_QUERY_BYTES.
   */
  readonly maxQueryBytes?: number;
  /**
   * Node-local: the event attributes CometBFT may index, "<event type>.<attribute key>" (app.toml
   * `index-events`); empty or absent = all. See `markEventsToIndex`.
   */
  readonly indexEvents?: readonly string[];
  /**
   * Vote extensions (read once the modules are built): what this node votes with, the shape rule,
   * consensus keys and the FinalizeBlock tally. Without them the app votes with empty extensions
   * and accepts only empty ones; the injected votes are still checked and carried.
   */
  readonly voteExtensions?: (app: App) => VoteExtensionHooks | undefined;
}

interface TxOutcome {
  code: number;
  codespace: string;
  log: string;
  data: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
  events: Event[];
}

const ZERO_TIME: Timestamp = { seconds: 0n, nanos: 0 };

/**
 * The dCERT application: ABCI 2.0 methods over a branch-per-block, branch-per-tx store. Block
 * execution is a function of the request and the committed state only (docs/design.md §7).
 */
export class App implements AbciApplication {
  readonly router = new MsgRouter();
  readonly queries = new QueryRouter();
  readonly amino: AminoRegistry = createDefaultAminoRegistry();
  readonly modules: AppModule[];
  /** The modules with a `checkedTx` hook, in module order. */
  private readonly checkedTxModules: AppModule[];
  /** Extra ProcessProposal checks (the circuit breaker adds one); each throws to reject a tx. */
  readonly proposalTxChecks: ((ctx: Context, msgs: readonly DecodedMsg[]) => void)[] = [];
  readonly ante: AnteHandler;
  private readonly store: CommitStore;
  private readonly minGasPrices: readonly DecCoin[];
  private readonly log: Log;
  /** Node-local caps on queries and Simulate (never applied in consensus). */
  readonly queryLimits: QueryLimits;
  /** Attributes CometBFT may index ("type.key"); empty = all. */
  private readonly indexEvents: ReadonlySet<string>;

  private chainId = "";
  /** The block gas limit (consensus param `block.max_gas`); undefined = unlimited. */
  private maxGas: bigint | undefined;
  /** Consensus param abci.vote_extensions_enable_height (0 = vote extensions disabled). */
  private veEnableHeight: bigint;
  /** The consensus params' evidence section from InitChain, if CometBFT gave one. */
  private evidenceParams: EvidenceParams | undefined;
  private readonly veHooks: VoteExtensionHooks | undefined;
  /**
   * InitChain's writes until block 1 commits them (they are committed together with the first
   * block). Never written to by a block: every FinalizeBlock starts from a fork of it.
   */
  private genesisState: CacheKVStore | undefined;
  /** The block FinalizeBlock executed, prepared and waiting for Commit. */
  private pending: { readonly commit: PendingCommit; readonly block: BlockInfo } | undefined;
  /** CheckTx state: reset to committed state after every Commit. */
  private checkState: CacheKVStore;
  private lastBlock: BlockInfo;
  /** Decoded txs shared by CheckTx, rechecks, proposals and FinalizeBlock (tx/viewcache.ts). */
  readonly txViews = new TxViewCache(
    (tx) => tx.body.messages.map((m) => this.router.decode(m)),
    (msgs) => uniqueSigners(msgs.map((m) => this.router.signers(m))),
    (o) => this.router.isService(o),
  );

  constructor(opts: AppOptions) {
    installEncodingFastPath();
    this.store = opts.store;
    this.minGasPrices = opts.minGasPrices ?? [];
    this.log = toLog(opts.log, "baseapp");
    this.queryLimits = {
      queryGasLimit: opts.queryGasLimit ?? DEFAULT_QUERY_GAS_LIMIT,
      maxQueryBytes: opts.maxQueryBytes ?? DEFAULT_MAX_QUERY_BYTES,
    };
    this.indexEvents = new Set(opts.indexEvents ?? []);
    this.modules = opts.modules?.(this) ?? [];
    this.checkedTxModules = this.modules.filter((m) => m.checkedTx !== undefined);
    const registrar = registrarFor(this.router, this.queries);
    for (const m of this.modules) m.register(registrar);
    this.registerTxService();
    this.ante = new AnteHandler(this.router, opts.anteDecorators?.(this) ?? []);
    this.checkState = this.store.branch();
    const stored = this.checkState.get(CHAIN_ID_KEY);
    this.chainId = stored === undefined ? "" : fromUtf8(stored);
    this.maxGas = readMaxGas(this.checkState.get(MAX_GAS_KEY));
    this.veEnableHeight = readVeEnableHeight(this.checkState.get(VE_ENABLE_HEIGHT_KEY));
    const evidence = this.checkState.get(EVIDENCE_PARAMS_KEY);
    this.evidenceParams = evidence === undefined ? undefined : EvidenceParams.decode(evidence);
    this.veHooks = opts.voteExtensions?.(this);
    this.lastBlock = { chainId: this.chainId, height: this.store.lastHeight, time: ZERO_TIME, proposer: new Uint8Array() };
  }

  /** Ante decorators can be prepended (slot 0 is the route guard; see AnteHandler). */
  anteDecorators(): readonly AnteDecorator[] {
    return this.ante.decorators;
  }

  get lastHeight(): bigint {
    return this.store.lastHeight;
  }

  get lastAppHash(): Uint8Array {
    return this.store.lastAppHash;
  }

  /** The last committed block as queries and Simulate see it (height, time, chain id, proposer). */
  get committedBlock(): BlockInfo {
    return this.lastBlock;
  }

  /**
   * For a query-only replica of this app (src/app/queryworkers.ts): the block its store now holds,
   * as the executing app's `committedBlock` reported it. Never call it on an app that executes
   * blocks; the next Commit would overwrite it anyway.
   */
  followCommittedBlock(block: BlockInfo): void {
    if (block.height !== this.store.lastHeight) {
      throw new Error(`followCommittedBlock: block ${block.height} is not the store's committed height ${this.store.lastHeight}`);
    }
    this.lastBlock = block;
  }

  // ---------------------------------------------------------------- contexts

  private context(store: KVStore, block: BlockInfo, mode: ExecMode, meter: GasMeter, events: EventManager): Context {
    return new Context(new GasKVStore(store, meter), block, mode, meter, events, this.minGasPrices);
  }

  /**
   * A read-only view of committed state for queries and tests, metered by a query gas meter of
   * `gasLimit` (the node's query-gas-limit unless given; 0 = unlimited).
   */
  queryContext(gasLimit: bigint = this.queryLimits.queryGasLimit): Context {
    const meter = new QueryGasMeter(gasLimit);
    return this.context(this.store.branch(), this.lastBlock, "query", meter, new EventManager());
  }

  // ---------------------------------------------------------------- ABCI: info & genesis

  info(_req: RequestInfo): ResponseInfo {
    return {
      data: "dcertd",
      version: APP_VERSION,
      appVersion: 1n,
      lastBlockHeight: this.store.lastHeight,
      lastBlockAppHash: this.store.lastAppHash,
    };
  }

  initChain(req: RequestInitChain): ResponseInitChain {
    this.chainId = req.chainId;
    const state = this.store.branch();
    state.set(CHAIN_ID_KEY, utf8(req.chainId));
    const maxGas = req.consensusParams?.block?.maxGas;
    if (maxGas !== undefined && maxGas > 0n) state.set(MAX_GAS_KEY, utf8(maxGas.toString()));
    this.maxGas = maxGas !== undefined && maxGas > 0n ? maxGas : undefined;
    const veEnable = req.consensusParams?.abci?.voteExtensionsEnableHeight ?? 0n;
    if (veEnable > 0n) state.set(VE_ENABLE_HEIGHT_KEY, utf8(veEnable.toString()));
    this.veEnableHeight = veEnable > 0n ? veEnable : 0n;
    const evidence = req.consensusParams?.evidence;
    if (evidence !== undefined) state.set(EVIDENCE_PARAMS_KEY, EvidenceParams.encode(evidence).finish());
    this.evidenceParams = evidence;
    const block: BlockInfo = { chainId: req.chainId, height: req.initialHeight, time: req.time, proposer: new Uint8Array() };
    const appState: Record<string, unknown> =
      req.appStateBytes.length === 0 ? {} : (JSON.parse(fromUtf8(req.appStateBytes)) as Record<string, unknown>);
    const ctx = this.context(state, block, "genesis", new InfiniteGasMeter(), new EventManager());
    let validators: ValidatorUpdate[] = [];
    for (const m of this.modules) {
      const section = appState[m.name] ?? m.defaultGenesis();
      m.validateGenesis(section);
      const updates = m.initGenesis(ctx, section);
      if (updates !== undefined && updates.length > 0) validators = updates;
    }
    // A repeated InitChain (CometBFT restarted before block 1 was committed) replaces the last one.
    this.genesisState = state;
    this.pending = undefined;
    this.lastBlock = { ...block, height: req.initialHeight - 1n };
    this.checkState = state.branch();
    this.log.info(`initChain chain-id=${req.chainId} initial-height=${req.initialHeight} validators=${validators.length}`, {
      chain_id: req.chainId,
      initial_height: req.initialHeight,
      validators: validators.length,
    });
    // The genesis app hash: the hash of the genesis writes as if committed at the initial height.
    // (They are committed together with block 1; CosmJS needs a non-empty hash at height 1.)
    const appHash = this.store.prepare(state, req.initialHeight).appHash;
    return { validators, appHash };
  }

  /**
   * Runs a genesis transaction (gentx) through the normal tx path on top of `ctx`'s state: the ante
   * chain in genesis mode (signatures over account number 0, as the SDK signs gentxs) and then its
   * messages. Its writes land only if it succeeds. Called by the genutil module at InitChain.
   */
  deliverGenesisTx(ctx: Context, raw: Uint8Array): { code: number; codespace: string; log: string } {
    const branch = new CacheKV(ctx.store);
    const r = this.runTx("genesis", raw, branch, ctx.block);
    if (r.code === 0) branch.write();
    return { code: r.code, codespace: r.codespace, log: r.log };
  }

  /**
   * The whole app state as genesis JSON (for `dcertd export`): the committed state, or the genesis
   * state if InitChain ran and no block has been committed yet.
   */
  exportGenesis(): Record<string, unknown> {
    const ctx = this.context(this.committedBranch(), this.lastBlock, "query", new InfiniteGasMeter(), new EventManager());
    const out: Record<string, unknown> = {};
    for (const m of this.modules) out[m.name] = m.exportGenesis(ctx);
    return out;
  }

  // ---------------------------------------------------------------- ABCI: mempool

  checkTx(req: RequestCheckTx): ResponseCheckTx {
    const mode: ExecMode = req.type === CheckTxType.RECHECK ? "recheck" : "check";
    // PERF: CometBFT neither indexes nor gossips CheckTx events; encoding them cost ~10% of CheckTx.
    const outcome = this.runTx(mode, req.tx, this.checkState, this.lastBlock);
    if (mode === "check" && outcome.code === 0 && this.checkedTxModules.length > 0) this.afterCheckedTx(req.tx);
    return { ...txResult(outcome), events: [] };
  }

  /** Runs the modules' `checkedTx` for a new tx that passed CheckTx (its view is cached). */
  private afterCheckedTx(raw: Uint8Array): void {
    try {
      const msgs = this.txViews.view(raw).msgs;
      if (msgs === undefined) return;
      // PERF: the context only for a module that asks for it (most txs interest none).
      let ctx: Context | undefined;
      const getCtx = (): Context => (ctx ??= this.context(this.checkState.branch(), this.lastBlock, "check", new InfiniteGasMeter(), new EventManager()));
      for (const m of this.checkedTxModules) m.checkedTx?.(msgs, getCtx);
    } catch (e) {
      this.log.debug(`checkedTx: ${e instanceof Error ? e.message : String(e)}`, errorFields(e));
    }
  }

  /**
   * Set by the app's wiring to verify, ahead of CheckTx and off this thread, the signatures the
   * given txs will need (baseapp/sigpool.ts); undefined: CheckTx verifies on this thread.
   */
  checkTxPrefetch: ((ctx: Context, views: readonly TxView[]) => Promise<void> | undefined) | undefined;

  /**
   * The ABCI server's look ahead at a batch of incoming CheckTx (new txs): decodes them (the
   * views are then cached for CheckTx) and starts verifying their signatures on worker threads.
   * The promise settles when that is done (it never rejects); CheckTx then runs as always.
   */
  prefetchCheckTxs(txs: readonly Uint8Array[]): Promise<void> | undefined {
    const prefetch = this.checkTxPrefetch;
    if (prefetch === undefined) return undefined;
    const views: TxView[] = [];
    for (const raw of txs) {
      if (isReservedTx(raw)) continue;
      try {
        views.push(this.txViews.view(raw));
      } catch {
        // Not a tx: CheckTx answers it.
      }
    }
    if (views.length === 0) return undefined;
    const ctx = this.context(this.checkState.branch(), this.lastBlock, "check", new InfiniteGasMeter(), new EventManager());
    return prefetch(ctx, views);
  }

  // ---------------------------------------------------------------- ABCI: proposals

  /**
   * Drops txs that ProcessProposal would reject: past the block gas limit (a smaller later tx may
   * still fit) or refused by `proposalTxChecks` (e.g. a route broken since the tx entered the
   * mempool). A proposer must never propose a block that it and every other validator would
   * reject, or the chain would stall re-proposing it.
   */
  prepareProposal(req: RequestPrepareProposal): ResponsePrepareProposal {
    const ctx = this.proposalTxChecks.length > 0 ? this.proposalContext(req.height, req.time, req.proposerAddress) : undefined;
    const txs: Uint8Array[] = [];
    let total = 0n;
    let gas = 0n;
    // Vote extensions: the previous height's votes go first (ProcessProposal requires them).
    if (veTxRequired(this.veEnableHeight, req.height)) {
      const injected = this.veTxFor(req);
      txs.push(injected);
      total += BigInt(injected.length);
    }
    for (const tx of req.txs) {
      // Bytes starting with 0x00 are reserved for the injected tx (CheckTx refuses them anyway).
      if (isReservedTx(tx)) continue;
      if (total + BigInt(tx.length) > req.maxTxBytes) break;
      const view = this.proposalView(tx);
      if (this.blockGasError(view.gas, gas) !== undefined) continue;
      if (ctx !== undefined && this.proposalTxRejection(ctx, view.msgs) !== undefined) continue;
      total += BigInt(tx.length);
      gas += view.gas;
      txs.push(tx);
    }
    return { txs };
  }

  processProposal(req: RequestProcessProposal): ResponseProcessProposal {
    const reject = (why: string): ResponseProcessProposal => {
      this.log.warn(`processProposal: rejecting block ${req.height}: ${why}`, { height: req.height, reason: why });
      return { status: ResponseProcessProposal_ProposalStatus.REJECT };
    };
    let userTxs = req.txs;
    if (veTxRequired(this.veEnableHeight, req.height)) {
      const why = this.veTxRejection(req);
      if (why !== undefined) return reject(why);
      userTxs = req.txs.slice(1);
    }
    const reserved = userTxs.findIndex(isReservedTx);
    if (reserved >= 0) return reject(`tx ${reserved + req.txs.length - userTxs.length} starts with 0x00, which only the injected vote-extension tx may (as the block's first tx, when vote extensions were enabled at the previous height)`);
    const ctx = this.proposalTxChecks.length > 0 ? this.proposalContext(req.height, req.time, req.proposerAddress) : undefined;
    let gas = 0n;
    for (const raw of userTxs) {
      const view = this.proposalView(raw);
      const why = this.blockGasError(view.gas, gas)?.message ?? (ctx === undefined ? undefined : this.proposalTxRejection(ctx, view.msgs));
      if (why !== undefined) return reject(why);
      gas += view.gas;
    }
    return { status: ResponseProcessProposal_ProposalStatus.ACCEPT };
  }

  /**
   * The injected tx of block `req.height`: CometBFT's extended commit info of the previous height,
   * except that an extension whose signature this app cannot verify (only a byzantine validator's)
   * is blanked, so that the proposal is one every honest validator accepts. Never throws.
   */
  private veTxFor(req: RequestPrepareProposal): Uint8Array {
    const info = req.localLastCommit ?? { round: 0, votes: [] };
    try {
      const ctx = this.proposalContext(req.height, req.time, req.proposerAddress);
      const pubkeyOf = this.pubkeyLookup(ctx);
      const votes = info.votes.map((v) => {
        if (checkVoteSignature(v, req.height - 1n, info.round, this.chainId, pubkeyOf) !== "invalid") return v;
        this.log.warn(`prepareProposal: dropping the vote extension of validator ${Buffer.from(v.validator?.address ?? []).toString("hex")}: its signature does not verify`, {
          height: req.height,
        });
        return { ...v, voteExtension: new Uint8Array(), extensionSignature: new Uint8Array() };
      });
      return encodeVeTx({ round: info.round, votes });
    } catch (e) {
      this.log.error(`prepareProposal: could not check vote extension signatures: ${e instanceof Error ? e.message : String(e)}`, { height: req.height, ...errorFields(e) });
      return encodeVeTx(info);
    }
  }

  /** Why the block's injected tx is wrong (missing, undecodable, not CometBFT's commit, a bad signature), or undefined. */
  private veTxRejection(req: RequestProcessProposal): string | undefined {
    const first = req.txs[0];
    if (first === undefined || !hasVeTxPrefix(first)) return "the first tx is not the injected vote-extension tx (vote extensions were enabled at the previous height)";
    const info = decodeVeTx(first);
    if (info === undefined) return "the injected vote-extension tx does not decode as ExtendedCommitInfo";
    const mismatch = votesMismatch(info, req.proposedLastCommit ?? { round: 0, votes: [] });
    if (mismatch !== undefined) return mismatch;
    const pubkeyOf = this.pubkeyLookup(this.proposalContext(req.height, req.time, req.proposerAddress));
    for (let i = 0; i < info.votes.length; i++) {
      const v = info.votes[i];
      if (v !== undefined && checkVoteSignature(v, req.height - 1n, info.round, this.chainId, pubkeyOf) === "invalid") {
        return `vote ${i}: the vote extension signature does not verify under validator ${Buffer.from(v.validator?.address ?? []).toString("hex")}'s consensus key`;
      }
    }
    return undefined;
  }

  /** Consensus keys from `ctx`'s state (none without hooks: every extension then counts as unknown). */
  private pubkeyLookup(ctx: Context): (address: Uint8Array) => Uint8Array | undefined {
    const hooks = this.veHooks;
    if (hooks === undefined) return () => undefined;
    return (address) => hooks.consensusPubkey(ctx, address);
  }

  /** State a proposal is checked against: the last committed block, or the genesis state before block 1 is committed. */
  private proposalContext(height: bigint, time: Timestamp | undefined, proposer: Uint8Array): Context {
    const block: BlockInfo = { chainId: this.chainId, height, time: time ?? ZERO_TIME, proposer };
    return this.context(this.committedBranch(), block, "finalize", new InfiniteGasMeter(), new EventManager());
  }

  /**
   * What the proposal checks need of a raw tx, decoded once: its gas limit and its messages. A tx
   * that does not decode counts 0 gas and has no messages (FinalizeBlock answers it with a code).
   */
  private proposalView(raw: Uint8Array): { gas: bigint; msgs?: readonly DecodedMsg[] } {
    let view: TxView;
    try {
      view = this.txViews.view(raw);
    } catch {
      return { gas: 0n };
    }
    const gas = view.tx.authInfo.fee?.gasLimit ?? 0n;
    return view.msgs === undefined ? { gas } : { gas, msgs: view.msgs };
  }

  /** Why `proposalTxChecks` reject a tx's messages, or undefined (also for a tx whose messages do not decode). */
  private proposalTxRejection(ctx: Context, msgs: readonly DecodedMsg[] | undefined): string | undefined {
    if (msgs === undefined) return undefined;
    try {
      for (const check of this.proposalTxChecks) check(ctx, msgs);
      return undefined;
    } catch (e) {
      return errorResult(e).log;
    }
  }

  // ---------------------------------------------------------------- block gas limit

  /**
   * The error for a tx with gas limit `gas` that does not fit in a block: alone (`used` undefined,
   * CheckTx) or on top of the gas limits `used` already in the block; undefined when it fits.
   * Summed gas limits, not gas used, so that proposers and validators can check a block without
   * executing it.
   */
  private blockGasError(gas: bigint, used?: bigint): Error | undefined {
    if (this.maxGas === undefined || (used ?? 0n) + gas <= this.maxGas) return undefined;
    return ErrInvalidGasLimit.wrap(
      used === undefined
        ? `tx gas limit ${gas} exceeds the block gas limit (consensus param block.max_gas) ${this.maxGas}`
        : `tx gas limit ${gas} on top of ${used} already in the block exceeds the block gas limit (consensus param block.max_gas) ${this.maxGas}`,
    );
  }

  // ---------------------------------------------------------------- ABCI: block execution

  /**
   * A fresh branch of the state a block starts from: the last committed state, or before block 1 is
   * committed, the genesis writes on top of it. Never the state of an uncommitted FinalizeBlock.
   */
  private committedBranch(): CacheKVStore {
    return this.genesisState !== undefined ? this.genesisState.fork() : this.store.branch();
  }

  finalizeBlock(req: RequestFinalizeBlock): ResponseFinalizeBlock {
    // CometBFT sends FinalizeBlock(H) again after it restarted between FinalizeBlock(H) and Commit
    // (the app kept running): the earlier execution is discarded, never built upon
    // (docs/design.md §9).
    if (this.pending !== undefined) {
      this.log.info(`finalizeBlock: discarding the uncommitted execution of block ${this.pending.block.height}; block ${req.height} starts from committed height ${this.store.lastHeight}`, {
        height: req.height,
        discarded: this.pending.block.height,
      });
      this.pending = undefined;
    }
    const state = this.committedBranch();
    const block: BlockInfo = {
      chainId: this.chainId,
      height: req.height,
      time: req.time ?? ZERO_TIME,
      proposer: req.proposerAddress,
      lastCommit: req.decidedLastCommit ?? { round: 0, votes: [] },
      misbehavior: req.misbehavior,
      ...(this.evidenceParams === undefined ? {} : { evidenceParams: this.evidenceParams }),
    };
    const blockEvents: Event[] = [];

    const beginEvents = new EventManager();
    const beginCtx = this.context(state, block, "finalize", new InfiniteGasMeter(), beginEvents);
    // The previous height's votes (first tx, when required): signatures are checked against the
    // state the block starts from (as ProcessProposal did), since a block can also arrive without
    // ProcessProposal (block sync, replay).
    const votes = this.blockVotes(req, beginCtx);
    // PreBlock may throw to halt the node (an upgrade this binary has no handler for): the block
    // is then answered with an exception and nothing of it is prepared or committed.
    for (const m of this.modules) m.preBlock?.(beginCtx);
    if (votes !== undefined && this.veHooks !== undefined) this.veHooks.tally(beginCtx, votes);
    for (const m of this.modules) m.beginBlock?.(beginCtx);
    blockEvents.push(...withAttribute(beginEvents.events(), "mode", "BeginBlock"));

    const txResults: ExecTxResult[] = [];
    // The block gas limit is law even for a byzantine proposer: a tx whose gas limit would take
    // the block past max_gas is not run at all (no fee, no sequence), as ProcessProposal refuses
    // such a block from an honest network's point of view.
    const blockGas = { used: 0n };
    for (let i = 0; i < req.txs.length; i++) {
      const raw = req.txs[i] as Uint8Array;
      if (i === 0 && votes !== undefined) {
        // The injected tx is data for the tally, not a transaction: code 0, nothing run, no events.
        txResults.push({ code: 0, data: new Uint8Array(), log: "", info: "", gasWanted: 0n, gasUsed: 0n, events: [], codespace: "" });
        continue;
      }
      txResults.push(txResult(this.runTx("finalize", raw, state, block, blockGas)));
    }

    const endEvents = new EventManager();
    const endCtx = this.context(state, block, "finalize", new InfiniteGasMeter(), endEvents);
    let validatorUpdates: ValidatorUpdate[] = [];
    for (const m of this.modules) {
      const updates = m.endBlock?.(endCtx);
      if (updates !== undefined && updates.length > 0) validatorUpdates = updates;
    }
    blockEvents.push(...withAttribute(endEvents.events(), "mode", "EndBlock"));

    const pending = { commit: this.store.prepare(state, req.height), block };
    this.pending = pending;
    const idx = this.indexEvents;
    return {
      events: markEventsToIndex(blockEvents, idx),
      txResults: idx.size === 0 ? txResults : txResults.map((r) => ({ ...r, events: markEventsToIndex(r.events, idx) })),
      validatorUpdates,
      appHash: pending.commit.appHash,
    };
  }

  /**
   * The checked votes the block carries (its injected first tx, when vote extensions were enabled
   * at the previous height), or undefined when it carries none. A first tx with the injected
   * prefix that does not decode (only a byzantine block can have one) carries no votes.
   */
  private blockVotes(req: RequestFinalizeBlock, ctx: Context): ReturnType<typeof checkedCommit> | undefined {
    if (!veTxRequired(this.veEnableHeight, req.height)) return undefined;
    const first = req.txs[0];
    if (first === undefined || !hasVeTxPrefix(first)) return undefined;
    const info = decodeVeTx(first) ?? { round: 0, votes: [] };
    return checkedCommit(info, req.height - 1n, this.chainId, this.pubkeyLookup(ctx));
  }

  commit(): ResponseCommit {
    if (this.pending === undefined) throw new Error("Commit without FinalizeBlock");
    this.store.commit(this.pending.commit);
    this.lastBlock = this.pending.block;
    this.pending = undefined;
    this.genesisState = undefined;
    this.checkState = this.store.branch();
    return { retainHeight: 0n };
  }

  // ---------------------------------------------------------------- transactions

  /**
   * Runs one tx against `parent`. Ante writes (fee, sequence, pubkey) land even if a message
   * fails; message writes land only if every message succeeds. Check modes run the ante only.
   */
  private runTx(mode: ExecMode, raw: Uint8Array, parent: CacheKVStore, block: BlockInfo, blockGas?: { used: bigint }): TxOutcome {
    let meter: GasMeter = new InfiniteGasMeter();
    const events = new EventManager(mode !== "check" && mode !== "recheck");
    let gasWanted = 0n;
    try {
      if (isReservedTx(raw)) throw ErrTxDecode.wrap("tx bytes start with 0x00, which is reserved for the vote-extension data the proposer injects");
      // Simulations are one-off bytes: decoded, never cached.
      const view = mode === "simulate" ? this.txViews.decode(raw) : this.txViews.view(raw);
      const tx = view.tx;
      gasWanted = tx.authInfo.fee?.gasLimit ?? 0n;
      // The block gas limit: a tx that can never fit is refused at CheckTx; in FinalizeBlock a tx
      // past the limit (only a byzantine proposer's block has one) is not run at all.
      if (blockGas !== undefined) {
        const err = this.blockGasError(gasWanted, blockGas.used);
        if (err !== undefined) throw err;
        blockGas.used += gasWanted;
      } else if (mode === "check" || mode === "recheck") {
        const err = this.blockGasError(gasWanted);
        if (err !== undefined) throw err;
      }
      if (view.msgs === undefined) throw view.msgError;
      if (view.signers === undefined) throw view.signersError;
      const { msgs, signers } = view;
      const simulate = mode === "simulate";
      meter = simulate ? new QueryGasMeter(this.queryLimits.queryGasLimit) : new BasicGasMeter(gasWanted);
      const anteState = parent.branch();
      const anteTx: AnteTx = { tx, msgs, signers, simulate };
      this.ante.run(this.context(anteState, block, mode, meter, events), anteTx);
      anteState.write();
      if (mode === "check" || mode === "recheck") {
        return { code: 0, codespace: "", log: "", data: new Uint8Array(), gasWanted, gasUsed: meter.consumed(), events: events.events() };
      }
      return this.runMsgs(tx, msgs, parent, block, mode, meter, events, gasWanted);
    } catch (e) {
      const r = errorResult(e);
      if (r.code === 1) this.log.error(`internal error in ${mode} tx: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, { mode, height: block.height, ...errorFields(e) });
      return { ...r, data: new Uint8Array(), gasWanted, gasUsed: meter.consumed(), events: [] };
    }
  }

  private runMsgs(
    _tx: DecodedTx,
    msgs: readonly DecodedMsg[],
    parent: CacheKVStore,
    block: BlockInfo,
    mode: ExecMode,
    meter: GasMeter,
    anteEvents: EventManager,
    gasWanted: bigint,
  ): TxOutcome {
    const msgState = parent.branch();
    const all: Event[] = [...anteEvents.events()];
    const responses = [];
    try {
      for (let i = 0; i < msgs.length; i++) {
        const msg = msgs[i] as DecodedMsg;
        const msgEvents = new EventManager();
        const ctx = this.context(msgState, block, mode, meter, msgEvents);
        responses.push(this.router.execute(ctx, msg));
        const index = String(i);
        const signer = this.router.signers(msg)[0] ?? "";
        all.push({
          type: "message",
          attributes: [
            { key: "action", value: msg.any.typeUrl, index: true },
            { key: "sender", value: signer, index: true },
            { key: "module", value: msg.service.module, index: true },
            { key: "msg_index", value: index, index: true },
          ],
        });
        all.push(...withAttribute(msgEvents.events(), "msg_index", index));
      }
    } catch (e) {
      const r = errorResult(e);
      if (r.code === 1) this.log.error(`internal error in ${mode} msg: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, { mode, height: block.height, ...errorFields(e) });
      // Fee and sequence (ante) stay; message writes are dropped with msgState.
      return { ...r, data: new Uint8Array(), gasWanted, gasUsed: meter.consumed(), events: anteEvents.events() };
    }
    msgState.write();
    const data = TxMsgData.encode({ data: [], msgResponses: responses.map((r) => ({ typeUrl: r.typeUrl, value: r.value })) }).finish();
    return { code: 0, codespace: "", log: "", data, gasWanted, gasUsed: meter.consumed(), events: all };
  }

  /**
   * Simulation against a throwaway branch of committed state (no signatures needed), under the
   * node's query-gas-limit: a simulation that would use more fails with out of gas.
   */
  simulate(txBytes: Uint8Array): { result: TxOutcome } {
    const state = this.store.branch();
    const block: BlockInfo = { ...this.lastBlock, height: this.lastBlock.height + 1n };
    return { result: this.runTx("simulate", txBytes, state, block) };
  }

  private registerTxService(): void {
    this.queries.register({
      service: "cosmos.tx.v1beta1.Service",
      method: "Simulate",
      request: SimulateRequest,
      response: SimulateResponse,
      handle: (_ctx, req) => {
        const bytes = req.txBytes.length > 0 ? req.txBytes : undefined;
        if (bytes === undefined) throw ErrInvalidRequest.wrap("simulate needs tx_bytes (the deprecated tx field is not supported)");
        const { result } = this.simulate(bytes);
        if (result.code !== 0) throw Object.assign(new Error(result.log), { abci: result });
        const msgData = TxMsgData.decode(result.data);
        return {
          gasInfo: { gasWanted: result.gasWanted, gasUsed: result.gasUsed },
          result: { data: new Uint8Array(), log: "", events: result.events, msgResponses: msgData.msgResponses },
        };
      },
    });
  }

  // ---------------------------------------------------------------- queries

  /** Every path `query` answers from the router ("/<service>/<method>"), sorted. */
  queryPaths(): string[] {
    return this.queries.paths();
  }

  query(req: RequestQuery): ResponseQuery {
    const height = this.store.lastHeight;
    const base: ResponseQuery = {
      code: 0,
      log: "",
      info: "",
      index: 0n,
      key: new Uint8Array(),
      value: new Uint8Array(),
      height,
      codespace: "",
    };
    try {
      if (req.height !== 0n && req.height !== height) {
        throw ErrInvalidHeight.wrap(`historical queries are not supported; query height 0 or the latest height ${height}`);
      }
      checkQuerySize(req.path, req.data, this.queryLimits.maxQueryBytes);
      if (req.path === "/app/version") return { ...base, value: utf8(APP_VERSION) };
      const value = this.queries.handle(this.queryContext(), req.path, req.data);
      return { ...base, value };
    } catch (e) {
      const abci = (e as { abci?: TxOutcome }).abci;
      if (abci !== undefined) return { ...base, code: abci.code, codespace: abci.codespace, log: abci.log };
      const r = errorResult(e);
      return { ...base, code: r.code, codespace: r.codespace, log: r.log };
    }
  }

  // ---------------------------------------------------------------- vote extensions

  /** Whether block `height` carries the previous height's votes as its first tx. */
  veRequiredAt(height: bigint): boolean {
    return veTxRequired(this.veEnableHeight, height);
  }

  /** What this node votes with (the hooks' extension). Never throws: on a failure it votes with an empty extension. */
  extendVote(_req?: RequestExtendVote): ResponseExtendVote {
    if (this.veHooks === undefined) return { voteExtension: new Uint8Array() };
    try {
      const ext = this.veHooks.extension();
      if (ext.length > MAX_VOTE_EXTENSION_BYTES) throw new Error(`extension of ${ext.length} bytes exceeds ${MAX_VOTE_EXTENSION_BYTES}`);
      return { voteExtension: ext };
    } catch (e) {
      this.log.warn(`extendVote: voting with an empty extension: ${e instanceof Error ? e.message : String(e)}`, { ...(_req === undefined ? {} : { height: _req.height }), ...errorFields(e) });
      return { voteExtension: new Uint8Array() };
    }
  }

  /** Shape only: empty, or at most MAX_VOTE_EXTENSION_BYTES bytes the hooks call well-formed. Never throws. */
  verifyVoteExtension(req: RequestVerifyVoteExtension): ResponseVerifyVoteExtension {
    const ext = req.voteExtension ?? new Uint8Array();
    const { ACCEPT, REJECT } = ResponseVerifyVoteExtension_VerifyStatus;
    if (ext.length === 0) return { status: ACCEPT };
    let why: string | undefined;
    if (ext.length > MAX_VOTE_EXTENSION_BYTES) why = `${ext.length} bytes exceed ${MAX_VOTE_EXTENSION_BYTES}`;
    else if (this.veHooks === undefined) why = "this app expects empty vote extensions";
    else {
      try {
        why = this.veHooks.checkExtension(ext);
      } catch (e) {
        why = e instanceof Error ? e.message : String(e);
      }
    }
    if (why === undefined) return { status: ACCEPT };
    this.log.warn(`verifyVoteExtension: rejecting the extension of ${Buffer.from(req.validatorAddress ?? []).toString("hex")} at height ${req.height}: ${why}`, {
      height: req.height,
      reason: why,
    });
    return { status: REJECT };
  }

  // ---------------------------------------------------------------- unused ABCI 2.0 features

  listSnapshots(): ResponseListSnapshots {
    return { snapshots: [] };
  }

  offerSnapshot(): ResponseOfferSnapshot {
    return { result: ResponseOfferSnapshot_Result.REJECT };
  }

  loadSnapshotChunk(): ResponseLoadSnapshotChunk {
    return { chunk: new Uint8Array() };
  }

  applySnapshotChunk(_req: RequestApplySnapshotChunk): ResponseApplySnapshotChunk {
    return { result: ResponseApplySnapshotChunk_Result.ABORT, refetchChunks: [], rejectSenders: [] };
  }
}

/** The ABCI result of a tx (CheckTx and FinalizeBlock share the shape). */
function txResult(r: TxOutcome): ExecTxResult {
  return { code: r.code, data: r.data, log: r.log, info: "", gasWanted: r.gasWanted, gasUsed: r.gasUsed, events: r.events, codespace: r.codespace };
}

function readMaxGas(v: Uint8Array | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  const s = fromUtf8(v);
  if (!/^[1-9][0-9]*$/.test(s)) throw new Error(`stored block max_gas ${JSON.stringify(s)} is not a positive integer`);
  return BigInt(s);
}

function readVeEnableHeight(v: Uint8Array | undefined): bigint {
  if (v === undefined) return 0n;
  const s = fromUtf8(v);
  if (!/^[1-9][0-9]*$/.test(s)) throw new Error(`stored abci.vote_extensions_enable_height ${JSON.stringify(s)} is not a positive integer`);
  return BigInt(s);
}

function uniqueSigners(lists: readonly string[][]): string[] {
  const out: string[] = [];
  for (const l of lists) for (const s of l) if (!out.includes(s)) out.push(s);
  if (out.length === 0) throw ErrTxDecode.wrap("transaction has no signers");
  return out;
}

function withAttribute(events: readonly Event[], key: string, value: string): Event[] {
  return events.map((e) => ({ type: e.type, attributes: [...e.attributes, { key, value, index: true }] }));
}

import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { CommitInfo, Misbehavior } from "cosmjs-types/tendermint/abci/types";
import type { EvidenceParams } from "cosmjs-types/tendermint/types/params";
import type { DecCoin } from "./coins";
import { EventManager } from "./events";
import { InfiniteGasMeter, type GasMeter } from "./gas";
import { PrefixStore } from "./store/prefix";
import type { KVStore } from "./store/types";
import type { StoreKey } from "./storekeys";

export { declareStore, storeKey, type StoreKey, type StoreLayout } from "./storekeys";

/** How the current code is being run; decides e.g. whether fees are checked against local prices. */
export type ExecMode = "genesis" | "check" | "recheck" | "simulate" | "finalize" | "query";

/** What a block tells the state machine about itself. Nothing here comes from the local clock. */
export interface BlockInfo {
  readonly chainId: string;
  readonly height: bigint;
  readonly time: Timestamp;
  readonly proposer: Uint8Array;
  /**
   * FinalizeBlock only: CometBFT's `decided_last_commit`, who signed the previous block and with
   * which power (slashing's liveness tracking, distribution's reward allocation).
   */
  readonly lastCommit?: CommitInfo;
  /** FinalizeBlock only: the evidence of misbehavior committed in this block (duplicate votes, light-client attacks). */
  readonly misbehavior?: readonly Misbehavior[];
  /** The consensus params' evidence section from InitChain (max age of evidence), when CometBFT gave one. */
  readonly evidenceParams?: EvidenceParams;
}

/** Everything a keeper method needs: the (branched, gas-metered) state, the block, the meter and the event sink. */
export class Context {
  constructor(
    readonly store: KVStore,
    readonly block: BlockInfo,
    readonly mode: ExecMode,
    readonly gasMeter: GasMeter,
    readonly events: EventManager,
    readonly minGasPrices: readonly DecCoin[] = [],
  ) {}

  /**
   * The store's view for `key`. PERF: one view per key and context (a tx's keepers ask for the
   * same few views dozens of times; building each anew copied its prefix twice). A view holds
   * nothing but its parent and prefix, so sharing it is invisible.
   */
  kv(key: StoreKey): KVStore {
    const views = (this.views ??= new Map<StoreKey, KVStore>());
    let view = views.get(key);
    if (view === undefined) {
      view = new PrefixStore(this.store, key.prefix);
      views.set(key, view);
    }
    return view;
  }

  private views: Map<StoreKey, KVStore> | undefined;

  with(changes: { store?: KVStore; gasMeter?: GasMeter; events?: EventManager; mode?: ExecMode }): Context {
    return new Context(
      changes.store ?? this.store,
      this.block,
      changes.mode ?? this.mode,
      changes.gasMeter ?? this.gasMeter,
      changes.events ?? this.events,
      this.minGasPrices,
    );
  }

  get isCheck(): boolean {
    return this.mode === "check" || this.mode === "recheck";
  }
}

/** A context for code outside any transaction (genesis, begin/end block, queries). */
export function blockContext(store: KVStore, block: BlockInfo, mode: ExecMode): Context {
  return new Context(store, block, mode, new InfiniteGasMeter(), new EventManager());
}

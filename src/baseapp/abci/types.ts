import type {
  RequestApplySnapshotChunk,
  RequestCheckTx,
  RequestCommit,
  RequestExtendVote,
  RequestFinalizeBlock,
  RequestInfo,
  RequestInitChain,
  RequestListSnapshots,
  RequestLoadSnapshotChunk,
  RequestOfferSnapshot,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestQuery,
  RequestVerifyVoteExtension,
  ResponseApplySnapshotChunk,
  ResponseCheckTx,
  ResponseCommit,
  ResponseExtendVote,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseQuery,
  ResponseVerifyVoteExtension,
} from "cosmjs-types/tendermint/abci/types";

type MaybePromise<T> = T | Promise<T>;

/**
 * The application side of ABCI 2.0 (CometBFT v0.38). Echo and Flush are answered by the socket
 * server itself. Methods may return synchronously (the fast path, no await) or a promise.
 * The server calls them in request order per connection; a thrown error is a bug in the app and
 * is answered with ResponseException (CometBFT stops), so methods must turn bad input into
 * non-zero codes themselves.
 */
export interface AbciApplication {
  info(req: RequestInfo): MaybePromise<ResponseInfo>;
  initChain(req: RequestInitChain): MaybePromise<ResponseInitChain>;
  query(req: RequestQuery): MaybePromise<ResponseQuery>;
  checkTx(req: RequestCheckTx): MaybePromise<ResponseCheckTx>;
  prepareProposal(req: RequestPrepareProposal): MaybePromise<ResponsePrepareProposal>;
  processProposal(req: RequestProcessProposal): MaybePromise<ResponseProcessProposal>;
  finalizeBlock(req: RequestFinalizeBlock): MaybePromise<ResponseFinalizeBlock>;
  commit(req: RequestCommit): MaybePromise<ResponseCommit>;
  extendVote(req: RequestExtendVote): MaybePromise<ResponseExtendVote>;
  verifyVoteExtension(req: RequestVerifyVoteExtension): MaybePromise<ResponseVerifyVoteExtension>;
  listSnapshots(req: RequestListSnapshots): MaybePromise<ResponseListSnapshots>;
  offerSnapshot(req: RequestOfferSnapshot): MaybePromise<ResponseOfferSnapshot>;
  loadSnapshotChunk(req: RequestLoadSnapshotChunk): MaybePromise<ResponseLoadSnapshotChunk>;
  applySnapshotChunk(req: RequestApplySnapshotChunk): MaybePromise<ResponseApplySnapshotChunk>;
  /**
   * Optional look ahead: the txs of the new-tx CheckTx requests the server is about to run, in
   * order. A promise makes the server wait for it (it must not reject) before running them.
   */
  prefetchCheckTxs?(txs: readonly Uint8Array[]): Promise<void> | undefined;
}

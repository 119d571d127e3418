/** The state store: branches, prefix and gas wrappers, commit stores and the app hash. */
export * from "./types";
export { MAX_KEY_LENGTH, keyString, keyBytes, compareBytes } from "./bytes";
export { CacheKV, type Write } from "./cachekv";
export { PrefixStore, prefixEnd } from "./prefix";
export { GasKVStore, GAS_DESC } from "./gaskv";
export { MemoryKV, MemoryCommitStore } from "./memory";
export { LmdbCommitStore, LmdbReplicaStore, type LmdbApplyMode, type LmdbStoreOptions } from "./lmdb";
export {
  APP_HASH_DOMAIN,
  INITIAL_APP_HASH,
  chainAppHash,
  computeAppHash,
  decodeWriteSet,
  encodeWriteSet,
  writeSetHash,
} from "./apphash";
export { BaseCommitStore } from "./commit";

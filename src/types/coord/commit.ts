/**
 * Commitments of the commit–reveal timeline (docs/coordination.md §4.2).
 *
 * `commitmentHash`, `encodeCommittedItem` and `sha256` run in block execution (MsgReveal checks
 * each item against its commitment, coord:32): pure, synchronous and deterministic. `newSalt` is
 * for clients only (it draws randomness).
 */
import {
  AffectedComponents,
  Advisory,
  CommitmentKind,
  FixRef,
  SealedLevel,
} from "../../generated/coord/v1/types";

type Sha2Module = typeof import("@noble/hashes/sha2.js", { with: { "resolution-mode": "import" } });
type HashUtilsModule = typeof import("@noble/hashes/utils.js", { with: { "resolution-mode": "import" } });
// @noble/* ship as ESM only; the CommonJS build loads them through Node's require(esm), Jest
// transforms them (jest.config.js). A typed require keeps the types without an ESM import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sha2 = require("@noble/hashes/sha2.js") as Sha2Module;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hashUtils = require("@noble/hashes/utils.js") as HashUtilsModule;

export const COMMIT_DOMAIN = "dcert-coord-commit-v1";

/** Bytes of a commitment salt and of a content hash. */
const SALT_BYTES = 32;
const HASH_BYTES = 32;

const utf8 = new TextEncoder();

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return Uint8Array.from(sha2.sha256(data));
}

/** `parts` joined into one array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `lp(s)`: one length byte and the UTF-8 bytes of `s` (the project's convention, §3). */
export function lengthPrefixed(s: string, what: string): Uint8Array {
  const bytes = utf8.encode(s);
  if (bytes.length > 255) throw new RangeError(`${what} is ${bytes.length} bytes; at most 255 can be length-prefixed`);
  return concatBytes(Uint8Array.of(bytes.length), bytes);
}

/** `u64(n)`: 8 bytes big-endian. */
export function u64(n: bigint, what: string): Uint8Array {
  if (typeof n !== "bigint" || n < 0n || n >= 1n << 64n) throw new RangeError(`${what} must be a uint64`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, false);
  return out;
}

function kindByte(kind: CommitmentKind): number {
  switch (kind) {
    case CommitmentKind.COMMITMENT_KIND_REPORT:
    case CommitmentKind.COMMITMENT_KIND_COMPONENTS:
    case CommitmentKind.COMMITMENT_KIND_ADVISORY:
    case CommitmentKind.COMMITMENT_KIND_FIX:
    case CommitmentKind.COMMITMENT_KIND_LEVEL:
      return kind;
    default:
      throw new RangeError(`commitment kind ${String(kind)} is not one of REPORT, COMPONENTS, ADVISORY, FIX, LEVEL`);
  }
}

function exactBytes(b: Uint8Array, n: number, what: string): Uint8Array {
  if (!(b instanceof Uint8Array) || b.length !== n) {
    throw new RangeError(`${what} must be ${n} bytes, got ${b instanceof Uint8Array ? b.length : typeof b}`);
  }
  return b;
}

/** SHA-256(COMMIT_DOMAIN ‖ lp(chainId) ‖ kind(1 byte) ‖ salt(32) ‖ contentHash(32)). */
export function commitmentHash(chainId: string, kind: CommitmentKind, salt: Uint8Array, contentHash: Uint8Array): Uint8Array {
  return sha256(
    concatBytes(
      utf8.encode(COMMIT_DOMAIN),
      lengthPrefixed(chainId, "chain id"),
      Uint8Array.of(kindByte(kind)),
      exactBytes(salt, SALT_BYTES, "commitment salt"),
      exactBytes(contentHash, HASH_BYTES, "content hash"),
    ),
  );
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !(x instanceof Uint8Array);
}

/**
 * Deterministic content bytes of a committed item: REPORT raw bytes; COMPONENTS AffectedComponents,
 * ADVISORY Advisory, FIX FixRef, LEVEL SealedLevel protobuf encodings. Throws TypeError when the
 * item does not have the shape of its kind.
 */
export function encodeCommittedItem(
  kind: CommitmentKind,
  item: Uint8Array | AffectedComponents | Advisory | FixRef | SealedLevel,
): Uint8Array {
  const mismatch = (want: string): TypeError => new TypeError(`a ${CommitmentKind[kind] ?? kind} item must be ${want}`);
  const has = (field: string, test: (v: unknown) => boolean): boolean =>
    isObject(item) && test((item as unknown as Record<string, unknown>)[field]);
  const isString = (v: unknown): boolean => typeof v === "string";
  switch (kindByte(kind)) {
    case CommitmentKind.COMMITMENT_KIND_REPORT:
      if (!(item instanceof Uint8Array)) throw mismatch("the raw report bytes");
      return Uint8Array.from(item);
    case CommitmentKind.COMMITMENT_KIND_COMPONENTS:
      if (!has("components", Array.isArray)) throw mismatch("an AffectedComponents");
      return AffectedComponents.encode(AffectedComponents.fromPartial(item as AffectedComponents)).finish();
    case CommitmentKind.COMMITMENT_KIND_ADVISORY:
      if (!has("title", isString) || !has("references", Array.isArray)) throw mismatch("an Advisory");
      return Advisory.encode(Advisory.fromPartial(item as Advisory)).finish();
    case CommitmentKind.COMMITMENT_KIND_FIX:
      if (!has("repository", isString) || !has("artifacts", Array.isArray)) throw mismatch("a FixRef");
      return FixRef.encode(FixRef.fromPartial(item as FixRef)).finish();
    default:
      if (!has("level", (v) => typeof v === "number")) throw mismatch("a SealedLevel");
      return SealedLevel.encode(SealedLevel.fromPartial(item as SealedLevel)).finish();
  }
}

/** 32 random bytes for a commitment (client only). */
export function newSalt(): Uint8Array {
  return Uint8Array.from(hashUtils.randomBytes(SALT_BYTES));
}

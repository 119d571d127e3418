/**
 * The runtime's vote-extension primitives: CanonicalVoteExtension sign bytes (golden bytes and an
 * independent protobuf writer), ed25519 verification with real keys, the injected tx codec and the
 * vote comparison ProcessProposal relies on.
 */
import fc from "fast-check";
import { BinaryWriter } from "cosmjs-types/binary";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import {
  checkVoteSignature,
  decodeVeTx,
  encodeVeTx,
  extensionsEnabledAt,
  hasVeTxPrefix,
  isReservedTx,
  veTxRequired,
  verifyEd25519,
  voteExtensionSignBytes,
  votesMismatch,
} from "../../../src/baseapp/voteext";
import { commitInfoOf, extendedCommit, signExtension, testValidatorKey } from "../../helpers/voteext";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** MarshalDelimited(CanonicalVoteExtension) with cosmjs-types' protobuf writer (proto3: zero fields omitted). */
function reference(ext: Uint8Array, height: bigint, round: bigint, chainId: string): Uint8Array {
  const w = BinaryWriter.create();
  if (ext.length > 0) w.uint32(10).bytes(ext);
  if (height !== 0n) w.uint32(17).sfixed64(height);
  if (round !== 0n) w.uint32(25).sfixed64(round);
  if (chainId !== "") w.uint32(34).string(chainId);
  const body = w.finish();
  return BinaryWriter.create().bytes(body).finish(); // bytes() writes the uvarint length first
}

describe("CanonicalVoteExtension sign bytes", () => {
  test("golden bytes: extension 'ab', height 5, round 0, chain 'c'", () => {
    // len 16 | 0a 02 'a' 'b' | 11 <5 as 8 LE bytes> | 22 01 'c'  (round 0 is omitted)
    expect(hex(voteExtensionSignBytes(Buffer.from("ab"), 5n, 0n, "c"))).toBe("100a0261621105000000000000002201" + "63");
  });

  test("golden bytes: round 2 and an empty extension", () => {
    expect(hex(voteExtensionSignBytes(new Uint8Array(), 7n, 2n, "x"))).toBe("15" + "110700000000000000" + "190200000000000000" + "220178");
  });

  test("equals an independent protobuf encoding for any input", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.bigInt({ min: 0n, max: (1n << 62n) - 1n }),
        fc.bigInt({ min: 0n, max: 1n << 31n }),
        fc.string({ maxLength: 60 }),
        (ext, height, round, chainId) => {
          expect(hex(voteExtensionSignBytes(ext, height, round, chainId))).toBe(hex(reference(ext, height, round, chainId)));
        },
      ),
    );
  });
});

describe("ed25519", () => {
  const k = testValidatorKey(1);
  const other = testValidatorKey(2);
  const msg = voteExtensionSignBytes(Buffer.from("hello"), 9n, 0n, "dcert-test");

  test("verifies a real signature and refuses a wrong key, message or signature", () => {
    const sig = signExtension(k, Buffer.from("hello"), 9n, 0, "dcert-test");
    expect(verifyEd25519(k.pubkey, msg, sig)).toBe(true);
    expect(verifyEd25519(other.pubkey, msg, sig)).toBe(false);
    expect(verifyEd25519(k.pubkey, voteExtensionSignBytes(Buffer.from("hello"), 10n, 0n, "dcert-test"), sig)).toBe(false);
    const bad = Uint8Array.from(sig);
    bad[5] = (bad[5] as number) ^ 1;
    expect(verifyEd25519(k.pubkey, msg, bad)).toBe(false);
  });

  test("never throws on malformed keys and signatures", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 70 }), (pk, sig) => {
        expect(typeof verifyEd25519(pk, msg, sig)).toBe("boolean");
      }),
    );
  });
});

describe("injected tx", () => {
  test("round-trips, and is recognised only by its prefix", () => {
    const info = extendedCommit([{ key: testValidatorKey(1), power: 10n, extension: Buffer.from("e") }], 4n, "c");
    const tx = encodeVeTx(info);
    expect(tx[0]).toBe(0);
    expect(hasVeTxPrefix(tx)).toBe(true);
    expect(isReservedTx(tx)).toBe(true);
    expect(decodeVeTx(tx)).toEqual(info);
    expect(decodeVeTx(Uint8Array.of(0, 1, 2))).toBeUndefined();
    expect(isReservedTx(Uint8Array.of(0x0a, 0))).toBe(false);
    expect(isReservedTx(new Uint8Array())).toBe(false);
  });

  test("decoding arbitrary bytes never throws", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const tx = new Uint8Array([...encodeVeTx({ round: 0, votes: [] }), ...b]);
        decodeVeTx(tx);
        decodeVeTx(b);
      }),
    );
  });

  test("required from enable height + 1 (CometBFT's VoteExtensionsEnabled at h - 1)", () => {
    expect(extensionsEnabledAt(0n, 5n)).toBe(false);
    expect(extensionsEnabledAt(1n, 1n)).toBe(true);
    expect(veTxRequired(1n, 1n)).toBe(false);
    expect(veTxRequired(1n, 2n)).toBe(true);
    expect(veTxRequired(10n, 10n)).toBe(false);
    expect(veTxRequired(10n, 11n)).toBe(true);
    expect(veTxRequired(0n, 100n)).toBe(false);
  });
});

describe("votes against the proposed last commit", () => {
  const a = testValidatorKey(1);
  const b = testValidatorKey(2);
  const info = extendedCommit(
    [
      { key: a, power: 10n, extension: Buffer.from("x") },
      { key: b, power: 5n, flag: BlockIDFlag.BLOCK_ID_FLAG_NIL },
    ],
    3n,
    "c",
    1,
  );
  const proposed = commitInfoOf(info);

  test("equal votes match", () => {
    expect(votesMismatch(info, proposed)).toBeUndefined();
  });

  test.each([
    ["power changed", { ...proposed, votes: proposed.votes.map((v, i) => (i === 1 ? { ...v, validator: { ...v.validator, power: 6n } } : v)) }],
    ["vote dropped", { ...proposed, votes: proposed.votes.slice(0, 1) }],
    ["vote added", { ...proposed, votes: [...proposed.votes, { validator: { address: new Uint8Array(20), power: 1n }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT }] }],
    ["flag changed", { ...proposed, votes: proposed.votes.map((v, i) => (i === 1 ? { ...v, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT } : v)) }],
    ["order changed", { ...proposed, votes: [...proposed.votes].reverse() }],
    ["round changed", { ...proposed, round: 0 }],
  ])("%s: mismatch", (_name, changed) => {
    expect(votesMismatch(info, changed)).toMatch(/./);
  });

  test("signature check: valid, invalid (wrong height, round, chain), unknown, none", () => {
    const lookup = (addr: Uint8Array) => (hex(addr) === hex(a.address) ? a.pubkey : hex(addr) === hex(b.address) ? b.pubkey : undefined);
    const v = info.votes[0]!;
    expect(checkVoteSignature(v, 3n, 1, "c", lookup)).toBe("valid");
    expect(checkVoteSignature(v, 4n, 1, "c", lookup)).toBe("invalid");
    expect(checkVoteSignature(v, 3n, 0, "c", lookup)).toBe("invalid");
    expect(checkVoteSignature(v, 3n, 1, "other", lookup)).toBe("invalid");
    expect(checkVoteSignature(v, 3n, 1, "c", () => undefined)).toBe("unknown");
    expect(checkVoteSignature(info.votes[1]!, 3n, 1, "c", lookup)).toBe("none");
    expect(checkVoteSignature({ ...v, voteExtension: new Uint8Array() }, 3n, 1, "c", lookup)).toBe("none");
  });
});

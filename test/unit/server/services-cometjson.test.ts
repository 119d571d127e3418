/**
 * The readers of CometBFT's RPC JSON: evidence of both kinds, times, and properties over generated
 * input (a header written as cmtjson reads back to the same protobuf; any JSON at all either reads
 * or fails with a ShapeError; any request bytes fail, if they fail, with an ApiError).
 */
import { toBase64, toHex } from "@cosmjs/encoding";
import fc from "fast-check";
import type { Header } from "cosmjs-types/tendermint/types/types";
import { ApiError } from "../../../src/server/backend";
import { cometServiceHandlers } from "../../../src/server/services";
import { blockFrom, evidenceFrom, headerFrom, rfc3339Seconds, ShapeError, time } from "../../../src/server/services/cometjson";
import { FakeRpc } from "./services-fake-rpc";

const T = "2026-12-05T05:57:25.049937906Z";
const HASH = "AB".repeat(32);
const ADDR = "D088B9C2FEBDF1F93779232B23CE8B51CE97C6D2";
const KEY = toBase64(new Uint8Array(32).fill(7));

function vote(round: number, hash: string): Record<string, unknown> {
  return {
    type: 2,
    height: "5",
    round,
    block_id: { hash, parts: { total: 1, hash: HASH } },
    timestamp: T,
    validator_address: ADDR,
    validator_index: 0,
    signature: toBase64(new Uint8Array(64).fill(1)),
    extension: null,
    extension_signature: null,
  };
}

function header(height: string): Record<string, unknown> {
  return {
    version: { block: "11", app: "1" },
    chain_id: "c",
    height,
    time: T,
    last_block_id: { hash: "", parts: { total: 0, hash: "" } },
    last_commit_hash: HASH,
    data_hash: HASH,
    validators_hash: HASH,
    next_validators_hash: HASH,
    consensus_hash: HASH,
    app_hash: HASH,
    last_results_hash: HASH,
    evidence_hash: HASH,
    proposer_address: ADDR,
  };
}

const VALIDATOR = { address: ADDR, pub_key: { type: "tendermint/PubKeyEd25519", value: KEY }, voting_power: "10", proposer_priority: "-5" };

describe("evidence", () => {
  it("reads DuplicateVoteEvidence (abci fields under their Go names)", () => {
    const e = evidenceFrom(
      {
        type: "tendermint/DuplicateVoteEvidence",
        value: { vote_a: vote(0, HASH), vote_b: vote(0, "CD".repeat(32)), TotalVotingPower: "30", ValidatorPower: "10", Timestamp: T },
      },
      "e",
    );
    const d = e.duplicateVoteEvidence!;
    expect(e.lightClientAttackEvidence).toBeUndefined();
    expect(d.totalVotingPower).toBe(30n);
    expect(d.validatorPower).toBe(10n);
    expect(d.timestamp.nanos).toBe(49_937_906);
    expect(d.voteA!.height).toBe(5n);
    expect(d.voteA!.type).toBe(2);
    expect(toHex(d.voteB!.blockId.hash)).toBe("cd".repeat(32));
    expect(d.voteA!.signature).toHaveLength(64);
    expect(d.voteA!.extension).toHaveLength(0);
  });

  it("reads LightClientAttackEvidence with its conflicting light block", () => {
    const e = evidenceFrom(
      {
        type: "tendermint/LightClientAttackEvidence",
        value: {
          ConflictingBlock: {
            signed_header: {
              header: header("7"),
              commit: { height: "7", round: 1, block_id: { hash: HASH, parts: { total: 1, hash: HASH } }, signatures: [{ block_id_flag: 1, validator_address: "", timestamp: "0001-01-01T00:00:00Z", signature: null }] },
            },
            validator_set: { validators: [VALIDATOR, { ...VALIDATOR, voting_power: "5" }], proposer: VALIDATOR },
          },
          CommonHeight: "4",
          ByzantineValidators: [VALIDATOR],
          TotalVotingPower: "15",
          Timestamp: T,
        },
      },
      "e",
    );
    const l = e.lightClientAttackEvidence!;
    expect(l.commonHeight).toBe(4n);
    expect(l.totalVotingPower).toBe(15n);
    expect(l.byzantineValidators[0]!.proposerPriority).toBe(-5n);
    expect(l.conflictingBlock!.signedHeader!.header!.height).toBe(7n);
    const absent = l.conflictingBlock!.signedHeader!.commit!.signatures[0]!;
    expect(absent.blockIdFlag).toBe(1);
    // Go's zero time, as ToProto writes it.
    expect(absent.timestamp).toEqual({ seconds: -62_135_596_800n, nanos: 0 });
    expect(l.conflictingBlock!.validatorSet!.totalVotingPower).toBe(15n);
    expect(l.conflictingBlock!.validatorSet!.proposer!.votingPower).toBe(10n);
  });

  it("refuses an evidence type it does not know, naming the path", () => {
    expect(() => evidenceFrom({ type: "tendermint/Other", value: {} }, "result.block.evidence.evidence[0]")).toThrow(
      new ShapeError("result.block.evidence.evidence[0].type", 'unknown evidence type "tendermint/Other"'),
    );
  });
});

describe("times", () => {
  it("reads 0–9 fraction digits and writes TxResponse's whole-second form", () => {
    expect(time("2026-12-05T05:57:25Z", "t")).toEqual({ seconds: 1_796_450_245n, nanos: 0 });
    expect(time("2026-12-05T05:57:25.5Z", "t").nanos).toBe(500_000_000);
    expect(rfc3339Seconds({ seconds: 1_796_450_245n, nanos: 999_999_999 })).toBe("2026-12-05T05:57:25Z");
    expect(() => time("yesterday", "t")).toThrow(ShapeError);
  });
});

// ------------------------------------------------------------------ properties

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
// Block times CometBFT writes: 1970 to 9999, any nanosecond.
const timestamp = fc.record({ seconds: fc.bigInt({ min: 0n, max: 253_402_300_799n }), nanos: fc.integer({ min: 0, max: 999_999_999 }) });

const headerArb: fc.Arbitrary<Header> = fc.record({
  version: fc.record({ block: uint64, app: uint64 }),
  chainId: fc.string({ maxLength: 50 }),
  height: int64,
  time: timestamp,
  lastBlockId: fc.record({ hash: fc.oneof(bytes(0), bytes(32)), partSetHeader: fc.record({ total: fc.nat({ max: 0xffff_ffff }), hash: fc.oneof(bytes(0), bytes(32)) }) }),
  lastCommitHash: bytes(32),
  dataHash: bytes(32),
  validatorsHash: bytes(32),
  nextValidatorsHash: bytes(32),
  consensusHash: bytes(32),
  appHash: fc.oneof(bytes(0), bytes(32)),
  lastResultsHash: bytes(32),
  evidenceHash: bytes(32),
  proposerAddress: bytes(20),
});

/** RFC3339Nano as Go writes it: trailing zeros of the fraction dropped. */
function rfc3339Nano(t: { seconds: bigint; nanos: number }): string {
  const base = new Date(Number(t.seconds) * 1000).toISOString().slice(0, 19);
  const frac = t.nanos === 0 ? "" : `.${String(t.nanos).padStart(9, "0").replace(/0+$/, "")}`;
  return `${base}${frac}Z`;
}

function cmtjsonHeader(h: Header): Record<string, unknown> {
  const hex = (b: Uint8Array) => toHex(b).toUpperCase();
  return {
    version: { block: h.version.block.toString(), app: h.version.app.toString() },
    chain_id: h.chainId,
    height: h.height.toString(),
    time: rfc3339Nano(h.time),
    last_block_id: { hash: hex(h.lastBlockId.hash), parts: { total: h.lastBlockId.partSetHeader.total, hash: hex(h.lastBlockId.partSetHeader.hash) } },
    last_commit_hash: hex(h.lastCommitHash),
    data_hash: hex(h.dataHash),
    validators_hash: hex(h.validatorsHash),
    next_validators_hash: hex(h.nextValidatorsHash),
    consensus_hash: hex(h.consensusHash),
    app_hash: hex(h.appHash),
    last_results_hash: hex(h.lastResultsHash),
    evidence_hash: hex(h.evidenceHash),
    proposer_address: hex(h.proposerAddress),
  };
}

describe("properties", () => {
  it("a header written as cmtjson reads back to the same protobuf header", () => {
    fc.assert(
      fc.property(headerArb, (h) => {
        expect(headerFrom(JSON.parse(JSON.stringify(cmtjsonHeader(h))), "h")).toEqual(h);
      }),
      { numRuns: 300 },
    );
  });

  it("any JSON either reads as a block or fails with a ShapeError", () => {
    const nearBlock = fc.record({ header: fc.oneof(fc.constant(header("3")), fc.jsonValue()), data: fc.oneof(fc.constant({ txs: null }), fc.jsonValue()), evidence: fc.jsonValue(), last_commit: fc.jsonValue() });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearBlock), (v) => {
        try {
          blockFrom(v, "b");
        } catch (e) {
          expect(e).toBeInstanceOf(ShapeError);
        }
      }),
      { numRuns: 500 },
    );
  });

  describe("request bytes", () => {
    let rpc: FakeRpc;
    beforeAll(async () => {
      rpc = await FakeRpc.start();
      rpc.serveFixture();
    });
    afterAll(async () => {
      await rpc.stop();
    });

    it("any bytes to any method end in a response or an ApiError, never another error", async () => {
      const handlers = cometServiceHandlers({ rpcUrl: rpc.url, node: { appName: "dcertd", version: "0", gitCommit: "" } });
      const methods = [...handlers.keys()];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...methods), fc.uint8Array({ maxLength: 64 }), async (m, req) => {
          try {
            await handlers.get(m)!(req, {});
          } catch (e) {
            expect(e).toBeInstanceOf(ApiError);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});

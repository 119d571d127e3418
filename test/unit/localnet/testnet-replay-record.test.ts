/**
 * How `dcertd testnet replay` reads a chain's RPC into what CometBFT v0.38 handed FinalizeBlock:
 * the decided last commit (BuildLastCommitInfo: the validator set of h − 1 in its order, each with
 * its commit signature's flag; empty at the initial height) and the misbehavior (Evidence.ABCI()).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { lastCommitOf, misbehaviorOf, recordBlocks, type RpcBlock, type RpcValidator } from "../../../src/localnet/testnet-replay";

const addr = (seed: number): string => Buffer.alloc(20, seed).toString("hex").toUpperCase();

function block(height: number, sigs: { block_id_flag: number; validator_address: string }[], evidence: unknown[] = [], round = 0): RpcBlock["block"] {
  return {
    header: { height: String(height), time: "2024-01-01T00:00:00Z", proposer_address: addr(1), app_hash: "AB", validators_hash: "VH" },
    data: { txs: null },
    last_commit: { round, signatures: sigs },
    evidence: { evidence },
  };
}

/** A signature as CometBFT's JSON writes it: absent ones carry no address. */
const sigOf = (v: RpcValidator, flag: number): { block_id_flag: number; validator_address: string } => ({
  block_id_flag: flag,
  validator_address: flag === 1 ? "" : v.address,
});

const duplicateVote = (who: string, height: string, power: string, total: string, time: string): unknown => ({
  type: "tendermint/DuplicateVoteEvidence",
  value: {
    vote_a: { type: 2, height, round: 0, validator_address: who, validator_index: 0, timestamp: time },
    vote_b: { type: 2, height, round: 0, validator_address: who, validator_index: 0, timestamp: time },
    TotalVotingPower: total,
    ValidatorPower: power,
    Timestamp: time,
  },
});

const lightClientAttack = (byzantine: RpcValidator[], commonHeight: string, total: string, time: string): unknown => ({
  type: "tendermint/LightClientAttackEvidence",
  value: {
    ConflictingBlock: {},
    CommonHeight: commonHeight,
    ByzantineValidators: byzantine.map((v) => ({ ...v, pub_key: { type: "tendermint/PubKeyEd25519", value: "" }, proposer_priority: "0" })),
    TotalVotingPower: total,
    Timestamp: time,
  },
});

const validatorsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 40 })
  .chain((seeds) =>
    fc.tuple(
      fc.constant(seeds.map((s) => addr(s))),
      fc.array(fc.bigInt({ min: 1n, max: 10n ** 15n }), { minLength: seeds.length, maxLength: seeds.length }),
      fc.array(fc.constantFrom(1, 2, 3), { minLength: seeds.length, maxLength: seeds.length }),
    ),
  )
  .map(([addresses, powers, flags]) => ({
    vals: addresses.map((address, i): RpcValidator => ({ address, voting_power: String(powers[i]) })),
    flags,
  }));

describe("lastCommitOf", () => {
  test("one vote per validator of h − 1, in the set's order, with the set's address and power and the signature's flag", () => {
    fc.assert(
      fc.property(validatorsArb, fc.integer({ min: 2, max: 1_000_000 }), fc.integer({ min: 0, max: 50 }), ({ vals, flags }, h, round) => {
        const b = block(h, vals.map((v, i) => sigOf(v, flags[i]!)), [], round);
        expect(lastCommitOf(b, vals)).toEqual({
          round,
          votes: vals.map((v, i) => ({ address: v.address, power: v.voting_power, blockIdFlag: flags[i] })),
        });
      }),
    );
  });

  test("the initial height has no last commit", () => {
    const v = { address: addr(3), voting_power: "10" };
    expect(lastCommitOf(block(1, [sigOf(v, 2)]), [])).toEqual({ round: 0, votes: [] });
    expect(lastCommitOf(block(5, [sigOf(v, 2)]), [v], 5n)).toEqual({ round: 0, votes: [] });
  });

  test("refuses a commit that does not line up with the validator set", () => {
    const a = { address: addr(3), voting_power: "10" };
    const b = { address: addr(4), voting_power: "5" };
    expect(() => lastCommitOf(block(2, [sigOf(a, 2)]), [a, b])).toThrow(/1 signatures but the validator set at 1 has 2 validators/);
    expect(() => lastCommitOf(block(2, [sigOf(b, 2), sigOf(a, 2)]), [a, b])).toThrow(/signatures\[0\] is by .* but validator 0 at 1 is/);
    expect(() => lastCommitOf(block(2, [{ block_id_flag: 0, validator_address: "" }]), [a])).toThrow(/block_id_flag 0/);
    expect(() => lastCommitOf(block(2, [sigOf(a, 2)]), [{ address: addr(3), voting_power: "-1" }])).toThrow(/voting_power/);
  });
});

describe("misbehaviorOf", () => {
  const T = "2024-01-01T00:00:03.123456789Z";

  test("a duplicate vote is vote A's validator at ValidatorPower and vote A's height", () => {
    expect(misbehaviorOf(block(9, [], [duplicateVote(addr(7).toLowerCase(), "6", "10", "40", T)]))).toEqual([
      { type: "DUPLICATE_VOTE", address: addr(7), power: "10", height: "6", time: T, totalVotingPower: "40" },
    ]);
  });

  test("a light-client attack is one misbehavior per byzantine validator at the common height", () => {
    const byz = [
      { address: addr(8), voting_power: "30" },
      { address: addr(9), voting_power: "20" },
    ];
    expect(misbehaviorOf(block(9, [], [lightClientAttack(byz, "4", "100", T)]))).toEqual([
      { type: "LIGHT_CLIENT_ATTACK", address: addr(8), power: "30", height: "4", time: T, totalVotingPower: "100" },
      { type: "LIGHT_CLIENT_ATTACK", address: addr(9), power: "20", height: "4", time: T, totalVotingPower: "100" },
    ]);
  });

  test("keeps the block's evidence order, expanding each item", () => {
    const item = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 1, max: 1000 })).map(([s, h]) => ({ n: 1, ev: duplicateVote(addr(s), String(h), "1", "9", T), first: addr(s) })),
      fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { maxLength: 5 }).map((seeds) => ({
        n: seeds.length,
        ev: lightClientAttack(seeds.map((s) => ({ address: addr(s), voting_power: "2" })), "3", "9", T),
        first: seeds.length > 0 ? addr(seeds[0]!) : undefined,
      })),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), (items) => {
        const out = misbehaviorOf(block(20, [], items.map((i) => i.ev)));
        expect(out.length).toBe(items.reduce((n, i) => n + i.n, 0));
        let at = 0;
        for (const i of items) {
          if (i.n > 0) expect(out[at]?.address).toBe(i.first);
          at += i.n;
        }
      }),
    );
  });

  test("a block without evidence has none; an unknown evidence type is refused", () => {
    expect(misbehaviorOf({ ...block(3, []), evidence: { evidence: null } })).toEqual([]);
    expect(() => misbehaviorOf(block(3, [], [{ type: "tendermint/Other", value: { Timestamp: T, TotalVotingPower: "1" } }]))).toThrow(/Other/);
    expect(() => misbehaviorOf(block(3, [], [duplicateVote(addr(1), "x", "1", "9", T)]))).toThrow(/vote_a.height/);
  });
});

describe("recordBlocks", () => {
  // A fake CometBFT RPC: 120 validators (two /validators pages), one set for heights 1–3 and
  // another (one validator's power changed) from 4; block 5 carries a duplicate vote.
  const vals1 = Array.from({ length: 120 }, (_, i): RpcValidator => ({ address: addr(i + 1), voting_power: String(1000 - i) }));
  const vals2 = vals1.map((v, i) => (i === 0 ? { ...v, voting_power: "5000" } : v));
  const setAt = (h: number): RpcValidator[] => (h <= 3 ? vals1 : vals2);
  const flag = (h: number, i: number): number => (i === (h * 7) % 120 ? 1 : i === 3 ? 3 : 2);
  const dv = duplicateVote(addr(2), "3", "999", "120000", "2024-01-01T00:00:03Z");
  const requests: string[] = [];
  let server: http.Server;
  let rpc: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      requests.push(`${url.pathname}?${url.searchParams.toString()}`);
      const h = Number(url.searchParams.get("height"));
      let result: unknown;
      if (url.pathname === "/block") {
        const prev = setAt(h - 1);
        result = {
          block: {
            header: {
              height: String(h),
              time: `2024-01-01T00:00:0${h}Z`,
              proposer_address: addr(1),
              app_hash: `A${h}`,
              validators_hash: h <= 3 ? "SET1" : "SET2",
            },
            data: { txs: null },
            last_commit: { height: String(h - 1), round: h === 4 ? 2 : 0, signatures: h === 1 ? [] : prev.map((v, i) => sigOf(v, flag(h, i))) },
            evidence: { evidence: h === 5 ? [dv] : [] },
          },
        };
      } else {
        const page = Number(url.searchParams.get("page"));
        const per = Number(url.searchParams.get("per_page"));
        const all = setAt(h);
        result = { block_height: String(h), validators: all.slice((page - 1) * per, page * per), count: "0", total: String(all.length) };
      }
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ jsonrpc: "2.0", id: -1, result }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    rpc = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  test("builds each block's last commit from the set of h − 1 (fetched once per validators_hash, all pages) and its misbehavior", async () => {
    const rec = await recordBlocks(rpc, 5, 3);
    expect(rec.genesisAppHash).toBe("A1");
    expect(rec.blocks.map((b) => b.appHash)).toEqual(["A2", "A3", "A4", "A5", "A6"]);
    expect(rec.blocks[0]!.lastCommit).toEqual({ round: 0, votes: [] });
    for (const b of rec.blocks.slice(1)) {
      const h = Number(b.height);
      expect(b.lastCommit.round).toBe(h === 4 ? 2 : 0);
      expect(b.lastCommit.votes).toEqual(setAt(h - 1).map((v, i) => ({ address: v.address, power: v.voting_power, blockIdFlag: flag(h, i) })));
    }
    expect(rec.blocks[4]!.lastCommit.votes[0]!.power).toBe("5000");
    expect(rec.blocks.map((b) => b.misbehavior.length)).toEqual([0, 0, 0, 0, 1]);
    expect(rec.blocks[4]!.misbehavior[0]).toEqual({
      type: "DUPLICATE_VOTE",
      address: addr(2),
      power: "999",
      height: "3",
      time: "2024-01-01T00:00:03Z",
      totalVotingPower: "120000",
    });
    const valRequests = requests.filter((r) => r.startsWith("/validators")).sort();
    expect(valRequests).toEqual([
      "/validators?height=1&page=1&per_page=100",
      "/validators?height=1&page=2&per_page=100",
      "/validators?height=4&page=1&per_page=100",
      "/validators?height=4&page=2&per_page=100",
    ]);
  });
});

/**
 * `npm run bench -- peer` without running chains: simd's build recipe and version check, the
 * simd genesis edit, the settings from the environment, the pre-signed load, and the table's
 * medians and ratios.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import secp256k1 from "secp256k1";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { buildGoMod, parseSimdVersion, SIMD_MODULES } from "../../../bench/peer/build-simd";
import { PEER_FEE, PEER_GAS, peerKeys, presignRounds, presignVoteRounds, voteShares, warmupRounds } from "../../../bench/peer/load";
import { MsgVote } from "../../../src/generated/dcert/v1/tx";
import { peerConfig } from "../../../bench/peer/main";
import { devnetGasPriceAmount, withDevnetBlockLimits } from "../../../bench/peer/simd-node";
import { median, notes, summarize, type PeerRun } from "../../../bench/peer/summary";
import { decodeAddress } from "../../../src/baseapp/tx/address";
import { directSignBytes } from "../../../src/baseapp/tx/signdoc";
import { DEVNET_BLOCK_MAX_BYTES, DEVNET_BLOCK_MAX_GAS } from "../../../src/localnet/devnet";
import { loadResult as result } from "../../helpers/peer-runs";

describe("simd build recipe", () => {
  it("pins cosmos-sdk v0.50.15 and CometBFT v0.38.26 and carries the SDK's replace block", () => {
    expect(SIMD_MODULES).toContain("github.com/cosmos/cosmos-sdk@v0.50.15");
    expect(SIMD_MODULES).toContain("github.com/cometbft/cometbft@v0.38.26");
    const mod = buildGoMod();
    expect(mod).toMatch(/^module simdbuild\n/);
    expect(mod).toContain("\tgithub.com/99designs/keyring => github.com/cosmos/keyring v1.2.0\n");
    expect(mod).toContain("\tgithub.com/syndtr/goleveldb => github.com/syndtr/goleveldb v1.0.1-0.20210819022825-2ae1ddf74ef7\n");
  });

  it("reads the required versions from `simd version --long`, not the replacements", () => {
    const info = parseSimdVersion(
      JSON.stringify({
        go: "go version go1.26.8 linux/amd64",
        build_deps: [
          "github.com/syndtr/goleveldb@v1.0.1-0.20220721030215-126854af5e6d => github.com/syndtr/goleveldb@v1.0.1-0.2021",
          "github.com/cometbft/cometbft@v0.38.26",
          "github.com/cometbft/cometbft-db@v0.9.1",
          "github.com/cosmos/cosmos-sdk@v0.50.15",
          "cosmossdk.io/simapp@v0.0.0-20231103111158-e83a20081ced",
        ],
      }),
    );
    expect(info).toEqual({ go: "go1.26.8 linux/amd64", sdk: "v0.50.15", cometbft: "v0.38.26", simapp: "v0.0.0-20231103111158-e83a20081ced", iavl: undefined, store: undefined });
    expect(parseSimdVersion("{}").cometbft).toBeUndefined();
  });

  it("finds a module's version among any other build deps (property)", () => {
    const dep = fc.stringMatching(/^[a-z./-]{1,20}@v[0-9.]{1,8}$/);
    fc.assert(
      fc.property(fc.array(dep), fc.array(dep), fc.stringMatching(/^v[0-9a-z.-]{1,12}$/), (before, after, version) => {
        const deps = [...before.filter((d) => !d.startsWith("github.com/cometbft/cometbft@")), `github.com/cometbft/cometbft@${version}`, ...after];
        expect(parseSimdVersion(JSON.stringify({ build_deps: deps })).cometbft).toBe(
          deps.find((d) => d.startsWith("github.com/cometbft/cometbft@"))!.slice("github.com/cometbft/cometbft@".length),
        );
      }),
    );
  });
});

describe("simd genesis", () => {
  it("gets the devnet's block limits and keeps the other consensus params", () => {
    const out = withDevnetBlockLimits({
      chain_id: "x",
      consensus: { params: { block: { max_bytes: "22020096", max_gas: "-1" }, evidence: { max_age_num_blocks: "100000" } } },
    }) as { chain_id: string; consensus: { params: { block: unknown; evidence: unknown } } };
    expect(out.chain_id).toBe("x");
    expect(out.consensus.params.block).toEqual({ max_bytes: String(DEVNET_BLOCK_MAX_BYTES), max_gas: String(DEVNET_BLOCK_MAX_GAS) });
    expect(out.consensus.params.evidence).toEqual({ max_age_num_blocks: "100000" });
    expect(devnetGasPriceAmount()).toBe("0.025");
  });
});

describe("settings from the environment", () => {
  it("defaults to the issue's load, one run", () => {
    expect(peerConfig({})).toEqual({ txs: 20_000, warmup: 0, accounts: 500, window: 3_000, batch: 100, rate: 0, runs: 1, order: ["dcert", "simd"], msgs: ["send"], voteEntries: 16, comet: { "": { log_level: "main:info,state:info,consensus:info,*:error" } }, profile: [], abci: "tcp", appFlags: [] });
    expect(peerConfig({ BENCH_COMET: " tx_index.indexer=null mempool.recheck=false mempool.size=5000 consensus.timeout_commit=300ms log_level=error " }).comet).toEqual({
      tx_index: { indexer: "null" },
      mempool: { recheck: false, size: 5000 },
      consensus: { timeout_commit: "300ms" },
      "": { log_level: "error" },
    });
    // Sections and keys with digits (p2p); the bench's own log level stays unless BENCH_COMET sets one.
    expect(peerConfig({ BENCH_COMET: "p2p.flush_throttle_timeout=100ms" }).comet).toEqual({
      "": { log_level: "main:info,state:info,consensus:info,*:error" },
      p2p: { flush_throttle_timeout: "100ms" },
    });
    expect(peerConfig({ BENCH_MSG: "vote", BENCH_ORDER: "dcert" })).toMatchObject({ msgs: ["vote"], order: ["dcert"] });
    expect(peerConfig({ BENCH_MSG: "vote,send", BENCH_ORDER: "dcert" })).toMatchObject({ msgs: ["vote", "send"], order: ["dcert"] });
    expect(peerConfig({ BENCH_MSG: " send , vote ", BENCH_ORDER: "dcert" }).msgs).toEqual(["send", "vote"]);
    expect(peerConfig({ BENCH_MSG: "vote", BENCH_ORDER: "dcert", BENCH_VOTE_ENTRIES: "3" }).voteEntries).toBe(3);
    expect(peerConfig({ BENCH_ABCI: "unix" }).abci).toBe("unix");
    expect(peerConfig({ BENCH_ABCI: "tcp" }).abci).toBe("tcp");
    expect(peerConfig({ BENCH_RATE: "800", BENCH_ORDER: "simd dcert", BENCH_RUNS: "3" })).toMatchObject({ rate: 800, runs: 3, order: ["simd", "dcert"] });
    expect(peerConfig({ BENCH_INDEX_EVENTS: " message.sender, dcert.v1.EventVote.voter " }).indexEvents).toEqual(["message.sender", "dcert.v1.EventVote.voter"]);
    expect(peerConfig({ BENCH_INDEX_EVENTS: "" }).indexEvents).toBeUndefined();
    expect(peerConfig({ BENCH_APP_FLAGS: " --trace-gc-nvp  --max-semi-space-size=32 " }).appFlags).toEqual(["--trace-gc-nvp", "--max-semi-space-size=32"]);
    expect(() => peerConfig({ BENCH_INDEX_EVENTS: "sender" })).toThrow(/BENCH_INDEX_EVENTS: "sender"/);
  });

  it("names the variable that is malformed", () => {
    expect(() => peerConfig({ BENCH_TXS: "2e3x" })).toThrow(/BENCH_TXS=2e3x/);
    expect(() => peerConfig({ BENCH_RUNS: "0" })).toThrow(/BENCH_RUNS/);
    expect(peerConfig({ BENCH_WARMUP: "10000" }).warmup).toBe(10_000);
    expect(() => peerConfig({ BENCH_WARMUP: "-1" })).toThrow(/BENCH_WARMUP=-1: expected a whole number ≥ 0/);
    expect(() => peerConfig({ BENCH_ORDER: "dcert gaia" })).toThrow(/BENCH_ORDER/);
    expect(() => peerConfig({ BENCH_MSG: "swap" })).toThrow(/BENCH_MSG=swap/);
    expect(() => peerConfig({ BENCH_COMET: "mempool.recheck" })).toThrow(/BENCH_COMET: "mempool.recheck" is not section.key=value/);
    expect(() => peerConfig({ BENCH_MSG: "vote" })).toThrow(/simd does not have: set BENCH_ORDER=dcert/);
    expect(() => peerConfig({ BENCH_MSG: "vote,send" })).toThrow(/BENCH_MSG=vote,send loads dCERT votes.*set BENCH_ORDER=dcert/);
    expect(() => peerConfig({ BENCH_MSG: "vote,vote", BENCH_ORDER: "dcert" })).toThrow(/BENCH_MSG=vote,vote: expected "send", "vote" or "vote,send"/);
    expect(() => peerConfig({ BENCH_MSG: "vote,", BENCH_ORDER: "dcert" })).toThrow(/BENCH_MSG=vote,/);
    expect(() => peerConfig({ BENCH_ABCI: "grpc" })).toThrow(/BENCH_ABCI=grpc: expected "tcp" \(the default\) or "unix"/);
    expect(() => peerConfig({ BENCH_VOTE_ENTRIES: "0" })).toThrow(/BENCH_VOTE_ENTRIES=0: expected a whole number from 1 to 16/);
    expect(() => peerConfig({ BENCH_VOTE_ENTRIES: "17" })).toThrow(/BENCH_VOTE_ENTRIES=17/);
    expect(() => peerConfig({ BENCH_MSG: "vote", BENCH_ORDER: "dcert", BENCH_ACCOUNTS: "16" })).toThrow(/BENCH_ACCOUNTS=16: 16-entry votes need more than 16 accounts/);
    expect(peerConfig({ BENCH_ACCOUNTS: "16" }).accounts).toBe(16);
    expect(() => peerConfig({ BENCH_APP_FLAGS: "--trace-gc app.js" })).toThrow(/BENCH_APP_FLAGS: "app.js" is not a Node.js option/);
  });

  it("runs another database backend on the devnet only: simd's CometBFT opens goleveldb alone", () => {
    expect(() => peerConfig({ BENCH_COMET: "db_backend=pebbledb" })).toThrow(/db_backend=pebbledb, which simd's CometBFT is not built with: set BENCH_ORDER=dcert/);
    expect(() => peerConfig({ BENCH_COMET: "db_backend=pebbledb", BENCH_ORDER: "simd dcert" })).toThrow(/BENCH_ORDER=dcert/);
    expect(peerConfig({ BENCH_COMET: "db_backend=pebbledb", BENCH_ORDER: "dcert" }).comet[""]).toMatchObject({ db_backend: "pebbledb" });
    // goleveldb, every CometBFT's default, is fine for both.
    expect(peerConfig({ BENCH_COMET: "db_backend=goleveldb" }).order).toEqual(["dcert", "simd"]);
  });
});

describe("the pre-signed load", () => {
  it("vote rounds: sequence r + 1 (after the delegation), 16 entries of 1/16 over rotating candidates", () => {
    const keys = peerKeys(20, "dcert");
    const numbers = keys.map((_, i) => BigInt(i + 3));
    const rounds = presignVoteRounds(keys, 25, "dcert-devnet-1", "udcert", numbers);
    expect(rounds.map((r) => r.length)).toEqual([20, 5]);
    const decode = (raw: Uint8Array) => {
      const t = TxRaw.decode(raw);
      const any = TxBody.decode(t.bodyBytes).messages[0]!;
      return { any, seq: AuthInfo.decode(t.authInfoBytes).signerInfos[0]!.sequence, vote: MsgVote.decode(any.value) };
    };
    const first = decode(rounds[0]![0]!);
    expect(first.any.typeUrl).toBe("/dcert.v1.MsgVote");
    expect(first.seq).toBe(1n);
    expect(first.vote.voter).toBe(keys[0]!.address);
    expect(first.vote.entries.map((e) => e.candidate)).toEqual(keys.slice(1, 17).map((k) => k.address));
    expect(first.vote.entries.every((e) => e.share === "62500000000000000")).toBe(true);
    const next = decode(rounds[1]![0]!);
    expect(next.seq).toBe(2n);
    expect(next.vote.entries[0]!.candidate).toBe(keys[2]!.address);
  });

  it("votes of fewer entries: 1/n each, the first taking the remainder, adding up to exactly one", () => {
    expect(voteShares(16)).toEqual(Array(16).fill("62500000000000000"));
    expect(voteShares(3)).toEqual(["333333333333333334", "333333333333333333", "333333333333333333"]);
    expect(voteShares(1)).toEqual(["1000000000000000000"]);
    for (const n of [1, 2, 3, 7, 16]) expect(voteShares(n).reduce((a, s) => a + BigInt(s), 0n)).toBe(10n ** 18n);
    expect(() => voteShares(0)).toThrow(/at least one entry/);
    const keys = peerKeys(5, "dcert");
    const rounds = presignVoteRounds(keys, 5, "dcert-devnet-1", "udcert", [1n, 2n, 3n, 4n, 5n], 3);
    const vote = MsgVote.decode(TxBody.decode(TxRaw.decode(rounds[0]![4]!).bodyBytes).messages[0]!.value);
    expect(vote.voter).toBe(keys[4]!.address);
    expect(vote.entries.map((e) => e.candidate)).toEqual([keys[0]!.address, keys[1]!.address, keys[2]!.address]);
    expect(vote.entries.map((e) => e.share)).toEqual(voteShares(3));
    expect(() => presignVoteRounds(keys, 5, "dcert-devnet-1", "udcert", [1n, 2n, 3n, 4n, 5n], 5)).toThrow(/5-entry votes need more than 5 accounts, got 5/);
  });

  it("warms up in whole rounds, and the timed rounds carry on from the warm-up's sequences", () => {
    expect(warmupRounds(0, 500)).toBe(0);
    expect(warmupRounds(10_000, 500)).toBe(20);
    expect(warmupRounds(10_001, 500)).toBe(21);
    expect(warmupRounds(1, 500)).toBe(1);
    const keys = peerKeys(3, "cosmos");
    const warm = warmupRounds(4, keys.length);
    const rounds = presignRounds(keys, warm * keys.length + 5, "simd-bench-1", "stake", [1n, 2n, 3n]);
    const timed = rounds.slice(warm);
    expect(timed.flat()).toHaveLength(5);
    const sequences = timed.map((round) => round.map((bytes) => AuthInfo.decode(TxRaw.decode(bytes).authInfoBytes).signerInfos[0]!.sequence));
    expect(sequences).toEqual([
      [2n, 2n, 2n],
      [3n, 3n],
    ]);
  });

  it("uses the same private keys on every chain; only the prefix differs", () => {
    const a = peerKeys(3, "dcert");
    const b = peerKeys(3, "cosmos");
    for (let i = 0; i < 3; i++) {
      expect(Buffer.from(a[i]!.priv)).toEqual(Buffer.from(b[i]!.priv));
      expect(a[i]!.address.startsWith("dcert1")).toBe(true);
      expect(decodeAddress(b[i]!.address, "cosmos")).toEqual(decodeAddress(a[i]!.address, "dcert"));
    }
  });

  it("round r holds sequence r of every account, signed for the chain's id, denom and account numbers", () => {
    const keys = peerKeys(2, "cosmos");
    const numbers = [7n, 9n];
    const rounds = presignRounds(keys, 5, "simd-bench-1", "stake", numbers);
    expect(rounds.map((r) => r.length)).toEqual([2, 2, 1]);
    rounds.forEach((round, seq) =>
      round.forEach((bytes, i) => {
        const raw = TxRaw.decode(bytes);
        const auth = AuthInfo.decode(raw.authInfoBytes);
        const msg = MsgSend.decode(TxBody.decode(raw.bodyBytes).messages[0]!.value);
        expect(auth.signerInfos[0]!.sequence).toBe(BigInt(seq));
        expect(auth.fee!.amount).toEqual([{ denom: "stake", amount: PEER_FEE.toString() }]);
        expect(auth.fee!.gasLimit).toBe(PEER_GAS);
        expect(msg).toMatchObject({ fromAddress: keys[i]!.address, toAddress: keys[(i + 1) % 2]!.address, amount: [{ denom: "stake", amount: "1" }] });
        const digest = createHash("sha256").update(directSignBytes(raw.bodyBytes, raw.authInfoBytes, "simd-bench-1", numbers[i]!)).digest();
        expect(secp256k1.ecdsaVerify(raw.signatures[0]!, digest, keys[i]!.pub)).toBe(true);
      }),
    );
  });
});

describe("the table", () => {
  it("takes medians of finite values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it("gives per-run rows, medians per chain and the dcert/simd ratios, of medians and of pairs", () => {
    const runs: PeerRun[] = [
      { chain: "dcert", msg: "send", run: 1, load1: 0.5, result: result(1500, 800, { app: 0.5, cometbft: 0.4, total: 0.9 }) },
      { chain: "simd", msg: "send", run: 1, load1: 0.5, result: result(1000, 800, { simd: 1.2, total: 1.2 }) },
      { chain: "dcert", msg: "send", run: 2, load1: 0.5, result: result(2000, 400, { app: 0.4, cometbft: 0.4, total: 0.8 }) },
      { chain: "simd", msg: "send", run: 2, load1: 0.5, result: result(1000, 800, { simd: 1.6, total: 1.6 }) },
    ];
    const s = summarize(runs);
    expect(s.rows).toHaveLength(7);
    expect(s.rows[4]).toMatchObject({ run: "median", chain: "dcert", "tx/s": 1750, "p50 ms": 600, app: 0.45, CometBFT: 0.4 });
    expect(s.rows[5]).toMatchObject({ run: "median", chain: "simd", "tx/s": 1000, "CPU s/1k tx": 1.4 });
    expect(s.rows[6]).toMatchObject({ run: "ratio", chain: "dcert/simd", "tx/s": 1.75, "p50 ms": 0.75 });
    expect(s.rows[1]).toMatchObject({ app: "(in simd)", CometBFT: "(in simd)" });
    // How busy the machine was is a property of each run, not a measure with a median or a ratio.
    expect(s.rows[0]).toMatchObject({ "busy %": 87 });
    expect(s.rows[4]).not.toHaveProperty("busy %");
    expect(s.ratios["tx/s"]).toEqual({ ofMedians: 1.75, medianOfPairs: 1.75, lowerIsBetter: false });
    // Pairs: 0.9/1.2 = 0.75 and 0.8/1.6 = 0.5; medians: 0.85/1.4.
    expect(s.ratios["CPU s/1k tx"]!.medianOfPairs).toBeCloseTo(0.625, 10);
    expect(s.ratios["CPU s/1k tx"]!.ofMedians).toBeCloseTo(0.85 / 1.4, 10);
    expect(notes(runs, s).some((l) => l.startsWith("dcert/simd tx/s: 1.75"))).toBe(true);
    expect(s.label).toBe("dcert/simd");
  });

  it("compares the devnet's votes with its sends when it ran both loads", () => {
    const runs: PeerRun[] = [
      { chain: "dcert", msg: "vote", run: 1, load1: 0.5, result: result(1800, 900, { app: 0.45, cometbft: 0.45, total: 0.9 }) },
      { chain: "dcert", msg: "send", run: 1, load1: 0.5, result: result(2400, 600, { app: 0.36, cometbft: 0.32, total: 0.68 }) },
      { chain: "dcert", msg: "vote", run: 2, load1: 0.5, result: result(2000, 800, { app: 0.44, cometbft: 0.42, total: 0.86 }) },
      { chain: "dcert", msg: "send", run: 2, load1: 0.5, result: result(2000, 600, { app: 0.35, cometbft: 0.3, total: 0.65 }) },
    ];
    const s = summarize(runs);
    expect(s.label).toBe("votes/sends");
    expect(s.rows.map((r) => [r["run"], r["chain"]])).toEqual([
      ["1", "dcert vote"],
      ["1", "dcert send"],
      ["2", "dcert vote"],
      ["2", "dcert send"],
      ["median", "dcert vote"],
      ["median", "dcert send"],
      ["ratio", "votes/sends"],
    ]);
    expect(s.rows[4]).toMatchObject({ "tx/s": 1900, app: 0.445, CometBFT: 0.435 });
    expect(s.rows[5]).toMatchObject({ "tx/s": 2200, app: 0.355, CometBFT: 0.31 });
    // Pairs: 1800/2400 = 0.75 and 2000/2000 = 1; medians: 1900/2200.
    expect(s.ratios["tx/s"]!.medianOfPairs).toBeCloseTo(0.875, 10);
    expect(s.ratios["tx/s"]!.ofMedians).toBeCloseTo(1900 / 2200, 10);
    const n = notes(runs, s);
    expect(n.some((l) => l.startsWith("votes/sends tx/s: 0.86 (medians), 0.88 (median of paired runs); higher is better for votes"))).toBe(true);
    const stalled: PeerRun = { ...runs[0]!, result: { ...runs[0]!.result, otherTxs: 3 } };
    expect(notes([stalled, runs[1]!], summarize([stalled, runs[1]!]))[0]).toBe("note: dcert vote #1: 3 txs the load did not send were in the blocks (not counted)");
  });

  it("has no ratio row without both chains, and flags incomplete or disturbed runs", () => {
    const bad: PeerRun = { chain: "dcert", msg: "send", run: 1, load1: 4, result: { ...result(10, 1, { total: 1 }), committedOk: 90, failedInBlock: 10, firstFailure: "code 5: insufficient funds", otherCpuShare: 0.3 } };
    const s = summarize([bad]);
    expect(s.rows.map((r) => r["run"])).toEqual(["1", "median"]);
    expect(s.ratios).toEqual({});
    const n = notes([bad], s);
    expect(n[0]).toContain("10 failed in a block");
    expect(n[0]).toContain("insufficient funds");
    expect(n[1]).toContain("30%");
  });
});

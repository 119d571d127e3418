/**
 * Bank denom metadata on an in-process chain: the devnet genesis's udcert entry and an extra one
 * through stock CosmJS (BankExtension) and the raw queries DenomMetadata,
 * DenomMetadataByQueryString and DenomsMetadata (pagination by key and offset, count_total), the
 * errors, and genesis export → import keeping the metadata.
 */
import { QueryClient, setupBankExtension, type BankExtension } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import {
  QueryDenomMetadataByQueryStringRequest,
  QueryDenomMetadataByQueryStringResponse,
  QueryDenomMetadataRequest,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { createApp } from "../../src/app/node";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import { testChain, GENESIS_TIME_SECONDS, type TestChain } from "../helpers/app";
import { directWallet, firstAccount, TEST_CHAIN_ID, TEST_MNEMONIC } from "../helpers/txs";

const ATOM = {
  description: "a second token",
  denom_units: [
    { denom: "uatom", exponent: 0, aliases: ["microatom"] },
    { denom: "atom", exponent: 6, aliases: [] },
  ],
  base: "uatom",
  display: "atom",
  name: "Atom",
  symbol: "ATOM",
  uri: "",
  uri_hash: "",
};

function bankClient(app: TestChain["app"]): QueryClient & BankExtension {
  const comet = {
    abciQuery: (p: { path: string; data: Uint8Array; height?: number }) => {
      const r = app.query({ path: p.path, data: p.data, height: BigInt(p.height ?? 0), prove: false });
      return Promise.resolve({ ...r, height: Number(r.height), index: Number(r.index) });
    },
  } as unknown as CometClient;
  return QueryClient.withExtensions(comet, setupBankExtension);
}

const raw = (app: TestChain["app"], method: string, data: Uint8Array) =>
  app.query({ path: `/cosmos.bank.v1beta1.Query/${method}`, data, height: 0n, prove: false });

async function chain(): Promise<TestChain> {
  const alice = (await firstAccount(await directWallet(TEST_MNEMONIC))).address;
  const c = testChain({
    accounts: [{ address: alice, amount: 10_000_000_000n }],
    editGenesis: (s) => {
      const bank = s["bank"] as { denom_metadata: unknown[] };
      bank.denom_metadata = [...bank.denom_metadata, ATOM];
    },
  });
  c.block();
  return c;
}

describe("bank denom metadata", () => {
  test("CosmJS reads udcert (DCERT, exponent 6) and every metadata", async () => {
    const c = await chain();
    const q = bankClient(c.app);
    const m = await q.bank.denomMetadata("udcert");
    expect(m).toMatchObject({ base: "udcert", display: "dcert", name: "dCERT", symbol: "DCERT" });
    expect(m.denomUnits).toEqual([
      { denom: "udcert", exponent: 0, aliases: [] },
      { denom: "dcert", exponent: 6, aliases: [] },
    ]);
    expect((await q.bank.denomsMetadata()).map((x) => x.base)).toEqual(["uatom", "udcert"]);
    const byQs = raw(c.app, "DenomMetadataByQueryString", QueryDenomMetadataByQueryStringRequest.encode({ denom: "uatom" }).finish());
    expect(byQs.code).toBe(0);
    expect(QueryDenomMetadataByQueryStringResponse.decode(byQs.value).metadata).toMatchObject({ symbol: "ATOM", uriHash: "" });
  });

  test("a denom without metadata is NOT_FOUND (sdk 38), a malformed one invalid (sdk 10)", async () => {
    const c = await chain();
    for (const method of ["DenomMetadata", "DenomMetadataByQueryString"]) {
      const data = QueryDenomMetadataRequest.encode({ denom: "ufoo" }).finish();
      const missing = raw(c.app, method, data);
      expect([missing.codespace, missing.code]).toEqual(["sdk", 38]);
      expect(missing.log).toContain("client metadata for denom ufoo");
      const bad = raw(c.app, method, QueryDenomMetadataRequest.encode({ denom: "" }).finish());
      expect([bad.codespace, bad.code]).toEqual(["sdk", 10]);
    }
  });

  test("DenomsMetadata pages by key and by offset and counts the total", async () => {
    const c = await chain();
    const page = (pagination: Partial<{ key: Uint8Array; offset: bigint; limit: bigint; countTotal: boolean; reverse: boolean }>) => {
      const r = raw(c.app, "DenomsMetadata", QueryDenomsMetadataRequest.encode({ pagination: { key: new Uint8Array(), offset: 0n, limit: 0n, countTotal: false, reverse: false, ...pagination } }).finish());
      expect(r.code).toBe(0);
      return QueryDenomsMetadataResponse.decode(r.value);
    };
    const first = page({ limit: 1n, countTotal: true });
    expect(first.metadatas.map((m) => m.base)).toEqual(["uatom"]);
    expect(first.pagination?.total).toBe(2n);
    expect(new TextDecoder().decode(first.pagination?.nextKey)).toBe("udcert");
    const second = page({ limit: 1n, key: first.pagination?.nextKey ?? new Uint8Array() });
    expect(second.metadatas.map((m) => m.base)).toEqual(["udcert"]);
    expect(second.pagination?.nextKey).toEqual(new Uint8Array());
    expect(page({ offset: 1n }).metadatas.map((m) => m.base)).toEqual(["udcert"]);
    expect(page({ reverse: true }).metadatas.map((m) => m.base)).toEqual(["udcert", "uatom"]);
  });

  test("genesis export → import keeps the metadata", async () => {
    const c = await chain();
    const exported = c.app.exportGenesis();
    const metadata = (exported["bank"] as { denom_metadata: unknown[] }).denom_metadata;
    expect(metadata).toEqual([ATOM, expect.objectContaining({ base: "udcert", symbol: "DCERT" })]);
    const app = createApp({ store: new MemoryCommitStore() });
    app.initChain({
      time: { seconds: GENESIS_TIME_SECONDS, nanos: 0 },
      chainId: TEST_CHAIN_ID,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(exported)),
      initialHeight: c.height + 1n,
    });
    app.finalizeBlock({
      txs: [],
      decidedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(32),
      height: c.height + 1n,
      time: { seconds: c.time + 1n, nanos: 0 },
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: new Uint8Array(20),
    });
    app.commit();
    expect((app.exportGenesis()["bank"] as { denom_metadata: unknown[] }).denom_metadata).toEqual(metadata);
    expect((await bankClient(app).bank.denomMetadata("uatom")).name).toBe("Atom");
  });
});

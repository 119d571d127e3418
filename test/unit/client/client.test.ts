/**
 * The client library without a chain: module addresses, fixed-point shares, the full amino set
 * (gov v1 proposals carrying dCERT governance messages), offline signing checked by the chain's own
 * signature verifier in both sign modes, the query extension's paths and paging, and that the
 * library imports nothing of the node.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet, type EncodeObject } from "@cosmjs/proto-signing";
import { AminoTypes, QueryClient } from "@cosmjs/stargate";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import fc from "fast-check";
import { moduleAccountAddress } from "../../../src/x/auth/keeper";
import { decodeTx } from "../../../src/baseapp/tx/decode";
import { SIGN_MODE_DIRECT, SIGN_MODE_LEGACY_AMINO_JSON } from "../../../src/baseapp/tx/sigmodes";
import { verifyTxSignature } from "../../../src/baseapp/tx/verify";
import {
  DCERT_TYPE_URLS,
  SigningDcertClient,
  buildAcceptAdmission,
  buildBond,
  buildCircuitBreak,
  buildDisbandGroup,
  buildGovDeposit,
  buildGovVote,
  buildGovVoteWeighted,
  buildLeaveGroup,
  buildReestablishGroup,
  buildReinstateMember,
  buildSlashMember,
  buildSubmitProposal,
  buildUnbond,
  buildUpdateDescription,
  buildUpdateParams,
  buildVote,
  buildVoteSuspend,
  collectPages,
  createDcertAminoRegistry,
  createDcertAminoTypes,
  createDcertClientAminoConverters,
  createDcertRegistry,
  decimalToFixed18,
  dcertTypes,
  fixed18ToDecimal,
  govAuthority,
  moduleAddress,
  setupDcertExtension,
  setupGovV1Extension,
} from "../../../src/client";
import * as q from "../../../src/generated/dcert/v1/query";
import { QueryProposalsRequest } from "cosmjs-types/cosmos/gov/v1/query";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const B = "dcert1yy3zxfp9ycnjs2f29vkz6t30xqcnyve5j4ep6w";
const DENOM = "udcert";

describe("addresses and fixed point", () => {
  test("the gov authority is the chain's gov module account", () => {
    expect(govAuthority()).toBe(moduleAccountAddress("gov"));
    expect(moduleAddress("distribution")).toBe(moduleAccountAddress("distribution"));
    expect(govAuthority("cosmos")).toMatch(/^cosmos1/);
  });

  test("decimals convert to 18-decimal fixed point and back", () => {
    expect(decimalToFixed18("0.5")).toBe("500000000000000000");
    expect(decimalToFixed18(".25")).toBe("250000000000000000");
    expect(decimalToFixed18("1")).toBe("1000000000000000000");
    expect(decimalToFixed18("0.000000000000000001")).toBe("1");
    expect(fixed18ToDecimal("500000000000000000")).toBe("0.5");
    expect(fixed18ToDecimal("1000000000000000000")).toBe("1");
    expect(fixed18ToDecimal(0n)).toBe("0");
    for (const bad of ["", ".", "-0.5", "1e-3", "0.5.5", "abc", "0.0000000000000000001"]) {
      expect(() => decimalToFixed18(bad)).toThrow();
    }
  });

  test("fixed point round-trips through its decimal form", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (v) => {
        expect(decimalToFixed18(fixed18ToDecimal(v))).toBe(v.toString());
      }),
    );
  });
});

const PARAMS = {
  maxMembers: 5,
  minMemberBond: { denom: DENOM, amount: "1000000" },
  stipendPerBlock: { denom: DENOM, amount: "10" },
  suspensionQuorum: "500000000000000000",
  disbandWager: { denom: DENOM, amount: "50000000" },
  disbandSlashFraction: "1000000000000000000",
  stabilizationPeriod: 3n,
  maxVoteEntries: 8,
  circuitBreakEnabled: true,
};

/** Every governance-only dCERT message, as a proposal carries it. */
function govMessages(): EncodeObject[] {
  return [
    buildSlashMember({ member: B, fraction: decimalToFixed18("0.1"), reason: "collusion" }),
    buildReinstateMember({ member: B }),
    buildDisbandGroup({ reason: "captured" }),
    buildReestablishGroup(),
    buildUpdateParams({ params: PARAMS }),
  ];
}

/** Every action a key holder signs itself. */
function actionMessages(me: string): EncodeObject[] {
  return [
    buildVote(me, [
      { candidate: B, share: decimalToFixed18("0.5") },
      { candidate: me, share: decimalToFixed18("0.25") },
    ]),
    buildVote(me, []),
    buildAcceptAdmission(me),
    buildLeaveGroup(me),
    buildBond(me, B, { denom: DENOM, amount: "1000000" }),
    buildUnbond(me, B, { denom: DENOM, amount: "1" }),
    buildVoteSuspend(me, B, "leaked the patch"),
    buildUpdateDescription(me, { name: "dCERT", securityContact: "sec@example.org" }),
    buildCircuitBreak(me, ["/cosmos.bank.v1beta1.MsgSend", "/cosmos.staking.v1beta1.*"], "exploit"),
  ];
}

describe("amino JSON of the full client set", () => {
  const registry = createDcertRegistry();
  const aminoTypes = createDcertAminoTypes();
  const chain = createDcertAminoRegistry();

  test("governance messages default to the gov authority", () => {
    for (const m of govMessages()) expect((m.value as { authority: string }).authority).toBe(govAuthority());
  });

  test("gov v1 messages with nested dCERT messages: the chain's amino view equals the client's, and it converts back to the same bytes", () => {
    const proposer = "dcert1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
    const msgs: EncodeObject[] = [
      buildSubmitProposal({ proposer, messages: govMessages(), initialDeposit: [{ denom: DENOM, amount: "60000000" }], title: "t", summary: "s" }, registry),
      buildSubmitProposal({ proposer, messages: [], initialDeposit: [], title: "empty", summary: "", expedited: true, metadata: "ipfs://x" }, registry),
      buildGovVote(proposer, 7n, VoteOption.VOTE_OPTION_YES),
      buildGovVoteWeighted(proposer, "8", [
        { option: VoteOption.VOTE_OPTION_YES, weight: "0.6" },
        { option: VoteOption.VOTE_OPTION_NO, weight: "0.4" },
      ]),
      buildGovDeposit(proposer, 9, [{ denom: DENOM, amount: "5" }]),
      ...govMessages(),
      ...actionMessages(proposer),
    ];
    for (const m of msgs) {
      const any = registry.encodeAsAny(m);
      const amino = aminoTypes.toAmino(m);
      expect(chain.toAmino(any)).toEqual(amino);
      const back = aminoTypes.fromAmino(amino);
      expect(back.typeUrl).toBe(m.typeUrl);
      expect(Buffer.from(registry.encodeAsAny(back).value).toString("hex")).toBe(Buffer.from(any.value).toString("hex"));
    }
    const nested = aminoTypes.toAmino(msgs[0] as EncodeObject);
    expect(nested.type).toBe("cosmos-sdk/v1/MsgSubmitProposal");
    expect((nested.value as { messages: { type: string }[] }).messages.map((x) => x.type)).toEqual([
      "dcert/MsgSlashMember",
      "dcert/MsgReinstateMember",
      "dcert/MsgDisbandGroup",
      "dcert/MsgReestablishGroup",
      "dcert/MsgUpdateParams",
    ]);
  });

  test("the client's converters cover every dCERT message and gov v1, and keep CosmJS's defaults", () => {
    const converters = createDcertClientAminoConverters();
    for (const [typeUrl] of dcertTypes) expect(converters[typeUrl]).toBeDefined();
    for (const t of ["/cosmos.gov.v1.MsgSubmitProposal", "/cosmos.gov.v1.MsgVote", "/cosmos.gov.v1.MsgVoteWeighted", "/cosmos.gov.v1.MsgDeposit"]) {
      expect(converters[t]).toBeDefined();
    }
    expect(converters["/cosmos.bank.v1beta1.MsgSend"]?.aminoType).toBe("cosmos-sdk/MsgSend");
    expect(() => new AminoTypes(converters)).not.toThrow();
  });
});

describe("offline signing is verified by the chain's own verifier", () => {
  const chainId = "dcert-offline-1";
  const signerData = { accountNumber: 12n, sequence: 3, chainId };
  const fee = { amount: [{ denom: DENOM, amount: "5000" }], gas: "300000" };

  async function signAndVerify(mode: "direct" | "amino", msgs: readonly EncodeObject[], gas = fee.gas): Promise<ReturnType<typeof decodeTx>> {
    const wallet =
      mode === "direct" ? await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "dcert" }) : await Secp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "dcert" });
    const [acc] = await wallet.getAccounts();
    const client = await SigningDcertClient.offline(wallet);
    const raw = await client.sign(acc!.address, msgs, { ...fee, gas }, "memo", signerData);
    const tx = decodeTx(TxRaw.encode(raw).finish());
    expect(tx.signers[0]?.signMode).toBe(mode === "direct" ? SIGN_MODE_DIRECT : SIGN_MODE_LEGACY_AMINO_JSON);
    expect(tx.body.messages.map((m) => m.typeUrl)).toEqual(msgs.map((m) => m.typeUrl));
    const ok = verifyTxSignature(tx, 0, { chainId, accountNumber: 12n, pubkey: acc!.pubkey }, createDcertAminoRegistry());
    expect(ok).toBe(true);
    // A different account number must not verify (the check is not vacuous).
    expect(verifyTxSignature(tx, 0, { chainId, accountNumber: 13n, pubkey: acc!.pubkey }, createDcertAminoRegistry())).toBe(false);
    return tx;
  }

  // CosmJS encodes the gas limit with cosmjs-types' writer, which wrote [2^31, 2^32) so that the
  // chain's decoder (and Go's) refuse the tx; the clients install fixCosmjsInt64Writer.
  test.each(["direct", "amino"] as const)("a gas limit in [2^31, 2^32) is signed so that the chain reads it (%s)", async (mode) => {
    const me = (await (await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "dcert" })).getAccounts())[0]!.address;
    for (const gas of ["2147483648", "3000000000", "4294967295"]) {
      const tx = await signAndVerify(mode, [actionMessages(me)[0]!], gas);
      expect(tx.authInfo.fee?.gasLimit).toBe(BigInt(gas));
    }
  });

  test.each(["direct", "amino"] as const)("every dCERT action, one tx per message (%s)", async (mode) => {
    const me = (await (await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "dcert" })).getAccounts())[0]!.address;
    for (const m of actionMessages(me)) await signAndVerify(mode, [m]);
  });

  test.each(["direct", "amino"] as const)("a proposal carrying every governance-only dCERT message, a gov vote and a deposit (%s)", async (mode) => {
    const me = (await (await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "dcert" })).getAccounts())[0]!.address;
    const registry = createDcertRegistry();
    await signAndVerify(mode, [
      buildSubmitProposal({ proposer: me, messages: govMessages(), initialDeposit: [{ denom: DENOM, amount: "60000000" }], title: "all", summary: "of them" }, registry),
      buildGovVote(me, 1n, VoteOption.VOTE_OPTION_YES),
      buildGovDeposit(me, 1n, [{ denom: DENOM, amount: "1" }]),
    ]);
  });
});

/** A QueryClient whose ABCI queries are answered by `answer` (and recorded). */
function fakeQueryClient(answer: (path: string, data: Uint8Array) => Uint8Array): { client: QueryClient; calls: { path: string; data: Uint8Array }[] } {
  const calls: { path: string; data: Uint8Array }[] = [];
  const client = {
    queryAbci: async (p: string, data: Uint8Array) => {
      calls.push({ path: p, data });
      return { value: answer(p, data), height: 1 };
    },
  } as unknown as QueryClient;
  return { client, calls };
}

describe("query extensions", () => {
  test("dCERT queries go to /dcert.v1.Query/<Method> with their request fields", async () => {
    const { client, calls } = fakeQueryClient((p) => {
      if (p.endsWith("/Group")) return q.QueryGroupResponse.encode(q.QueryGroupResponse.fromPartial({ maxMembers: 7, members: [{ address: B, sequence: 1n, tally: "5", bond: "9" }] })).finish();
      if (p.endsWith("/IsBroken")) return q.QueryIsBrokenResponse.encode({ broken: true, rule: "/cosmos.bank.v1beta1.*" }).finish();
      return new Uint8Array();
    });
    const ext = setupDcertExtension(client).dcert;
    const group = await ext.group();
    expect(group.maxMembers).toBe(7);
    expect(group.members[0]?.address).toBe(B);
    expect(await ext.isBroken("/cosmos.bank.v1beta1.MsgSend")).toEqual({ broken: true, rule: "/cosmos.bank.v1beta1.*" });
    await ext.bonds({ member: B }, new Uint8Array([1, 2]));
    await ext.unbondings({ staker: B });
    await ext.member(B);
    await ext.vote(B);
    await ext.candidates();
    await ext.params();
    await ext.stabilizationQueue();
    await ext.suspensions();
    await ext.disbandStatus();
    await ext.brokenRoutes();
    expect(calls.map((c) => c.path)).toEqual([
      "/dcert.v1.Query/Group",
      "/dcert.v1.Query/IsBroken",
      "/dcert.v1.Query/Bonds",
      "/dcert.v1.Query/Unbondings",
      "/dcert.v1.Query/Member",
      "/dcert.v1.Query/Vote",
      "/dcert.v1.Query/Candidates",
      "/dcert.v1.Query/Params",
      "/dcert.v1.Query/StabilizationQueue",
      "/dcert.v1.Query/Suspensions",
      "/dcert.v1.Query/DisbandStatus",
      "/dcert.v1.Query/BrokenRoutes",
    ]);
    const bonds = q.QueryBondsRequest.decode(calls[2]!.data);
    expect(bonds.member).toBe(B);
    expect(bonds.staker).toBe("");
    expect([...(bonds.pagination?.key ?? [])]).toEqual([1, 2]);
    expect(q.QueryUnbondingsRequest.decode(calls[3]!.data).staker).toBe(B);
    expect(q.QueryIsBrokenRequest.decode(calls[1]!.data).typeUrl).toBe("/cosmos.bank.v1beta1.MsgSend");
  });

  test("gov v1 queries go to /cosmos.gov.v1.Query with the proposal filter", async () => {
    const { client, calls } = fakeQueryClient(() => new Uint8Array());
    const gov = setupGovV1Extension(client).govV1;
    await gov.proposals({ status: 2, voter: B });
    await gov.proposal("12");
    await gov.tally(3);
    expect(calls.map((c) => c.path)).toEqual(["/cosmos.gov.v1.Query/Proposals", "/cosmos.gov.v1.Query/Proposal", "/cosmos.gov.v1.Query/TallyResult"]);
    const req = QueryProposalsRequest.decode(calls[0]!.data);
    expect(req.proposalStatus).toBe(2);
    expect(req.voter).toBe(B);
    await expect(gov.proposal("-1")).rejects.toThrow(/invalid proposal id/);
  });

  test("collectPages follows nextKey until it is empty", async () => {
    const pages = new Map<string, { items: number[]; next: number[] }>([
      ["", { items: [1, 2], next: [7] }],
      ["7", { items: [3], next: [8] }],
      ["8", { items: [4], next: [] }],
    ]);
    const seen: string[] = [];
    const all = await collectPages(
      async (key) => {
        const k = key === undefined ? "" : [...key].join(",");
        seen.push(k);
        const p = pages.get(k)!;
        return { items: p.items, pagination: { nextKey: new Uint8Array(p.next) } };
      },
      (r) => r.items,
    );
    expect(all).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual(["", "7", "8"]);
    await expect(collectPages(async () => ({ items: [0], pagination: { nextKey: new Uint8Array([1]) } }), (r) => r.items, 3)).rejects.toThrow(/more than 3 pages/);
  });
});

describe("the library stands on its own", () => {
  const clientDir = path.resolve(__dirname, "../../../src/client");
  const allowedInternal = [path.resolve(clientDir, "../generated"), path.resolve(clientDir, "../types")];

  function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    return [...text.matchAll(/(?:from|import)\s+"([^"]+)"/g)].map((m) => m[1] as string);
  }

  test("src/client imports only packages, itself, generated types and the wire contract in src/types", () => {
    const seen = new Set<string>();
    const queue = fs.readdirSync(clientDir).filter((f) => f.endsWith(".ts")).map((f) => path.join(clientDir, f));
    while (queue.length > 0) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith(".")) continue;
        const target = path.resolve(path.dirname(file), spec) + (spec.endsWith(".ts") ? "" : ".ts");
        const ok = target.startsWith(clientDir + path.sep) || allowedInternal.some((a) => target === a || target.startsWith(a + path.sep));
        if (!ok) throw new Error(`${path.relative(clientDir, file)} imports ${spec}, outside the client library`);
        if (!target.startsWith(path.resolve(clientDir, "../generated"))) queue.push(target);
      }
    }
    expect(seen.has(path.resolve(clientDir, "../types/amino.ts"))).toBe(true);
  });

  test("every dCERT type URL has a typed EncodeObject builder or governance builder", () => {
    const built = new Set([...actionMessages(B), ...govMessages()].map((m) => m.typeUrl));
    expect([...built].sort()).toEqual(Object.values(DCERT_TYPE_URLS).sort());
  });
});

/** Parties and the dependents registry: registration, deposit, keys, dependencies, withdrawal. */
import { moduleAccountAddress } from "../../src/x/auth/keeper";
import { ComponentKind, PartyKind } from "../../src/generated/coord/v1/types";
import { DEPOSITS_MODULE, keys } from "../../src/x/coord/keys";
import { addrBytes } from "../../src/x/auth/keeper";
import { cm, coordEnv, coordEvents, encKey, ROUTE_SEND, TAG_CPFP } from "./coord-harness";

const DEPOSITS = moduleAccountAddress(DEPOSITS_MODULE);
const SMALL_ORDER = new Uint8Array(32); // the zero point
const ONE_POINT = Uint8Array.from([1, ...new Array<number>(31).fill(0)]);

describe("coord parties", () => {
  test("register locks the deposit, indexes dependencies; update bumps the key epoch; withdraw returns the deposit", async () => {
    const e = await coordEnv({ members: 1, others: 2 });
    const a = 2;
    const before = e.balance(e.addr(a));
    const ev = await e.okEvents(a, [cm.register(e.addr(a), encKey(a).publicKey, [ROUTE_SEND, TAG_CPFP])]);
    expect(coordEvents(ev, "EventPartyRegistered")).toEqual([{ party: e.addr(a), kind: "PARTY_KIND_DOWNSTREAM_PROJECT", name: "a party", key_epoch: 1 }]);
    expect(e.balance(e.addr(a))).toBe(before - 10_000_000n);
    expect(e.balance(DEPOSITS)).toBe(20_000_000n); // the member's and this party's
    const p = e.coord.getParty(e.ctx(), e.addr(a));
    expect(p).toMatchObject({ keyEpoch: 1, registeredHeight: e.chain.height, withdrawnHeight: 0n });
    const kv = e.coord.kv(e.ctx());
    expect(kv.has(keys.depIndex(ComponentKind.COMPONENT_KIND_TAG, "mempool/cpfp-carveout", addrBytes(e.addr(a))))).toBe(true);
    expect(e.coord.keyOwner(e.ctx(), encKey(a).publicKey)).toBe(e.addr(a));

    // a second registration is refused (44); the same key by another account is refused (9)
    expect(await e.code(a, [cm.register(e.addr(a), encKey(a).publicKey)])).toEqual(["coord", 44, expect.stringContaining("already registered")]);
    expect(await e.code(3, [cm.register(e.addr(3), encKey(a).publicKey)])).toEqual(["coord", 9, expect.stringContaining("already registered by")]);

    // update: new key → epoch 2, old key free; dependencies replaced in the index
    const h0 = e.chain.height;
    await e.ok(e.acct(a), [cm.update(e.addr(a), encKey(10).publicKey, [TAG_CPFP])]);
    const p2 = e.coord.getParty(e.ctx(), e.addr(a));
    expect(p2).toMatchObject({ keyEpoch: 2, dependenciesHeight: h0 + 1n, registeredHeight: p?.registeredHeight });
    expect(e.coord.keyOwner(e.ctx(), encKey(a).publicKey)).toBeUndefined();
    expect(e.coord.kv(e.ctx()).has(keys.depIndex(ComponentKind.COMPONENT_KIND_ROUTE, "cosmos.bank.v1beta1", addrBytes(e.addr(a))))).toBe(false);

    // withdraw: tombstone, deposit back, index and key gone
    await e.ok(e.acct(a), [cm.withdraw(e.addr(a))]);
    expect(e.balance(e.addr(a))).toBe(before);
    expect(e.coord.getParty(e.ctx(), e.addr(a))?.withdrawnHeight).toBe(e.chain.height);
    expect(e.coord.keyOwner(e.ctx(), encKey(10).publicKey)).toBeUndefined();
    expect(await e.code(a, [cm.withdraw(e.addr(a))])).toEqual(["coord", 10, expect.any(String)]);
    expect(await e.code(a, [cm.update(e.addr(a), encKey(a).publicKey)])).toEqual(["coord", 10, expect.any(String)]);
  });

  test("refusals: malformed and small-order keys (5), fields (6), dependencies (7, 8), funds (45), member's record (46), address (4)", async () => {
    const e = await coordEnv({ members: 1, others: 2, params: { maxDependencies: 2 } });
    const a = e.addr(2);
    expect(await e.code(2, [cm.register(a, new Uint8Array(31))])).toEqual(["coord", 5, expect.stringContaining("32 bytes")]);
    expect(await e.code(2, [cm.register(a, SMALL_ORDER)])).toEqual(["coord", 5, expect.any(String)]);
    expect(await e.code(2, [cm.register(a, ONE_POINT)])).toEqual(["coord", 5, expect.any(String)]);
    expect(await e.code(2, [cm.register(a, encKey(2).publicKey, [], PartyKind.PARTY_KIND_UNSPECIFIED)])).toEqual(["coord", 6, expect.stringContaining("kind")]);
    expect(await e.code(2, [cm.register(a, encKey(2).publicKey, [], PartyKind.PARTY_KIND_RESEARCHER, "x".repeat(71))])).toEqual(["coord", 6, expect.stringContaining("name")]);
    expect(await e.code(2, [cm.register(a, encKey(2).publicKey, [{ kind: ComponentKind.COMPONENT_KIND_MODULE, name: "nosuchmodule", versions: "" }])])).toEqual(["coord", 7, expect.any(String)]);
    expect(await e.code(2, [cm.register(a, encKey(2).publicKey, [TAG_CPFP, TAG_CPFP])])).toEqual(["coord", 7, expect.stringContaining("repeats")]);
    const three = ["a/b", "c/d", "e/f"].map((name) => ({ kind: ComponentKind.COMPONENT_KIND_TAG, name, versions: "" }));
    expect(await e.code(2, [cm.register(a, encKey(2).publicKey, three)])).toEqual(["coord", 8, expect.stringContaining("max_dependencies")]);
    expect(await e.code(2, [cm.register("dcert1notanaddress", encKey(2).publicKey)])).toEqual(["coord", 4, expect.stringContaining("owner")]);
    // a member cannot withdraw its record
    expect(await e.code(1, [cm.withdraw(e.addr(1))])).toEqual(["coord", 46, expect.any(String)]);
    // a poor account cannot pay the deposit
    const poor = e.addr(3);
    await e.ok(e.acct(3), [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: poor, toAddress: e.addr(0), amount: [{ denom: "udcert", amount: (e.balance(poor) - 5_000_000n).toString() }] } }]);
    expect(await e.code(3, [cm.register(poor, encKey(3).publicKey)])).toEqual(["coord", 45, expect.stringContaining("deposit")]);
  });
});

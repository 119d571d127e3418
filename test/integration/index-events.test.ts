/**
 * app.toml `index-events` (src/baseapp/events.ts `markEventsToIndex`): which event attributes
 * CometBFT's tx indexer may index. Empty: every attribute, as before. A list: only the attributes
 * it names, in tx results and block events alike; the results still carry every attribute, and
 * nothing consensus hashes (code, data, gas, the app hash) depends on the choice.
 */
import fc from "fast-check";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import { markEventsToIndex } from "../../src/baseapp/events";
import { accountOf, validatorAndAliceChain } from "../helpers/app";
import { msgSend, signDirect, testFee, TEST_CHAIN_ID } from "../helpers/txs";

async function sendBlock(indexEvents?: readonly string[]) {
  const { chain, wallet, alice, validator } = await validatorAndAliceChain(indexEvents === undefined ? {} : { indexEvents });
  const { accountNumber } = accountOf(chain, alice);
  const tx = await signDirect(wallet, { msgs: [msgSend(alice, validator, 1)], fee: testFee(5000, 200_000n), chainId: TEST_CHAIN_ID, accountNumber, sequence: 0 });
  const res = chain.block([tx]);
  return res;
}

const flags = (events: readonly Event[]): string[] => events.flatMap((e) => e.attributes.map((a) => `${e.type}.${a.key}=${a.index}`));

describe("index-events", () => {
  test("unset, every attribute of a tx and of the block is indexed", async () => {
    const res = await sendBlock();
    expect(res.txResults[0]?.code).toBe(0);
    const all = [...res.events, ...(res.txResults[0]?.events ?? [])];
    expect(all.length).toBeGreaterThan(3);
    for (const e of all) for (const a of e.attributes) expect([e.type, a.key, a.index]).toEqual([e.type, a.key, true]);
  });

  test("a list indexes exactly the attributes it names; results, gas and app hash are unchanged", async () => {
    const plain = await sendBlock();
    const named = ["message.sender", "transfer.recipient", "coin_received.receiver"];
    const chosen = await sendBlock(named);
    const tx = chosen.txResults[0]!;
    expect(tx.code).toBe(0);
    for (const e of [...chosen.events, ...tx.events]) {
      for (const a of e.attributes) expect([e.type, a.key, a.index]).toEqual([e.type, a.key, named.includes(`${e.type}.${a.key}`)]);
    }
    expect(flags(tx.events).filter((f) => f.endsWith("=true")).sort()).toEqual(expect.arrayContaining(["message.sender=true", "transfer.recipient=true"]));
    // Same attributes and values, same consensus-relevant fields.
    const strip = (events: readonly Event[]) => events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => [a.key, a.value]) }));
    expect(strip(tx.events)).toEqual(strip(plain.txResults[0]!.events));
    expect(strip(chosen.events)).toEqual(strip(plain.events));
    expect([tx.code, tx.gasUsed, tx.gasWanted, Buffer.from(tx.data).toString("hex")]).toEqual([plain.txResults[0]!.code, plain.txResults[0]!.gasUsed, plain.txResults[0]!.gasWanted, Buffer.from(plain.txResults[0]!.data).toString("hex")]);
    expect(Buffer.from(chosen.appHash).toString("hex")).toBe(Buffer.from(plain.appHash).toString("hex"));
  });

  test("marking: empty list keeps events as emitted; otherwise index = named, nothing else changes", () => {
    const name = fc.stringMatching(/^[a-z][a-z.]{0,6}[a-z]$/);
    const events = fc.array(fc.record({ type: name, attributes: fc.array(fc.record({ key: name, value: fc.string(), index: fc.boolean() }), { maxLength: 4 }) }), { maxLength: 4 });
    fc.assert(
      fc.property(events, fc.array(name, { maxLength: 4 }), (evs, extra) => {
        expect(markEventsToIndex(evs, new Set())).toBe(evs);
        const chosen = new Set([...evs.flatMap((e) => e.attributes.slice(0, 1).map((a) => `${e.type}.${a.key}`)), ...extra]);
        const out = markEventsToIndex(evs, chosen.size === 0 ? new Set(["x.y"]) : chosen);
        expect(out.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => [a.key, a.value]) }))).toEqual(evs.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => [a.key, a.value]) })));
        out.forEach((e) => e.attributes.forEach((a) => expect(a.index).toBe(chosen.has(`${e.type}.${a.key}`))));
      }),
    );
  });
});

/**
 * Rejections: every one carries a registered code in codespace `dcert` and a message that says
 * what to do; privileged messages check the signer's role before anything else.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import { ChainError, registeredErrors } from "../../src/baseapp/errors";
import type { DecodedMsg } from "../../src/baseapp/router";
import { accountValoper } from "../../src/x/staking/keeper";
import { account, anyOf, dcertEnv, type DcertEnv, DENOM, GOV, m, ONE } from "./dcert-harness";

async function setup(): Promise<DcertEnv> {
  const e = await dcertEnv({ balances: [100_000_000_000n, ...Array.from({ length: 5 }, () => 10_000_000_000n)], params: { stabilization_period: "0", max_members: 3 } });
  const val = accountValoper(e.addr(0));
  e.block([
    await e.sign(e.acct(1), [m.bond(e.addr(1), e.addr(1), 1_000_000n), m.accept(e.addr(1))]),
    await e.sign(e.acct(2), [m.bond(e.addr(2), e.addr(2), 1_000_000n), m.accept(e.addr(2))]),
    await e.sign(e.acct(3), [m.delegate(e.addr(3), val, 3_000_000n), m.vote(e.addr(3), [[e.addr(1), ONE / 2n], [e.addr(2), ONE / 2n]])]),
  ]);
  expect(e.members().size).toBe(2);
  return e;
}

/** Executes a message through the router on a throwaway branch of committed state (as gov would). */
function execute(e: DcertEnv, any: ReturnType<typeof anyOf>): unknown {
  try {
    const msg: DecodedMsg = e.app.router.decode(any);
    e.app.router.execute(e.app.queryContext(), msg);
    return "ok";
  } catch (err) {
    if (err instanceof ChainError) return [err.codespace, err.code, err.message];
    throw err;
  }
}

describe("dCERT rejections", () => {
  test("every dcert error is registered once, with codes ≥ 2 below the circuit module's 50", () => {
    // Codes 50–99 of the codespace are the circuit module's (src/x/dcert/errors.ts).
    const dcert = registeredErrors().filter((x) => x.codespace === "dcert" && x.code < 50);
    expect(dcert.length).toBeGreaterThanOrEqual(29);
    for (const x of dcert) expect(x.code >= 2).toBe(true);
  });

  test("signed transactions are refused with dcert codes and actionable logs", async () => {
    const e = await setup();
    const [a, b, x] = [e.acct(1), e.acct(2), e.acct(4)];
    const cases: [string, (typeof a), EncodeObject[], number, string][] = [
      ["shares above 1", x, [m.vote(x.address, [[a.address, ONE], [b.address, 1n]])], 4, "may add up to at most 1"],
      ["duplicate candidate", x, [m.vote(x.address, [[a.address, 1n], [a.address, 1n]])], 4, "name each candidate once"],
      ["bad candidate address", x, [m.vote(x.address, [["dcert1nope", 1n]])], 5, "entries[0].candidate"],
      ["accept twice", a, [m.accept(a.address)], 11, "nothing to do"],
      ["leave without accepting", x, [m.leave(x.address)], 12, "no standing acceptance"],
      ["bond in another denom", x, [{ ...m.bond(x.address, a.address, 5n), value: { staker: x.address, member: a.address, amount: { denom: "uatom", amount: "5" } } }], 7, "bond denom udcert"],
      ["bond zero", x, [{ ...m.bond(x.address, a.address, 5n), value: { staker: x.address, member: a.address, amount: { denom: DENOM, amount: "0" } } }], 6, "positive integer"],
      ["bond more than the balance", x, [m.bond(x.address, a.address, 20_000_000_000n)], 9, "cannot bond"],
      ["unbond more than bonded", x, [m.unbond(x.address, a.address, 1n)], 8, "cannot unbond"],
      ["suspend by a non-member", x, [m.suspend(x.address, a.address)], 2, "only active members may vote to suspend"],
      ["suspend oneself", a, [m.suspend(a.address, a.address)], 16, "cannot vote to suspend itself"],
      ["suspend a non-member", a, [m.suspend(a.address, x.address)], 16, "is not an active member"],
      ["reason too long", a, [m.suspend(a.address, b.address, "x".repeat(513))], 30, "at most 512"],
      ["describe as a non-member", x, [m.describe(x.address, "mine")], 2, "only active members may change the group's description"],
      ["description too long", a, [m.describe(a.address, "n".repeat(71))], 25, "at most 70"],
    ];
    for (const [name, signer, msgs, code, text] of cases) {
      const r = await e.send(signer, msgs);
      expect([name, r.codespace, r.code]).toEqual([name, "dcert", code]);
      expect(r.log).toContain(text);
    }
  });

  test("max_vote_entries is enforced against the params (beyond the stateless limit)", async () => {
    const e = await setup();
    const x = e.acct(4);
    const many = Array.from({ length: 17 }, (_, i) => i);
    const addrs = await Promise.all(many.map((i) => account(100 + i)));
    const r = await e.send(x, [m.vote(x.address, addrs.map((acc) => [acc.address, 1n] as [string, bigint]))]);
    expect([r.codespace, r.code]).toEqual(["dcert", 27]);
    expect(r.log).toContain("max_vote_entries 16");
  });

  test("unbonding entries per staker and member are capped", async () => {
    const e = await setup();
    const a = e.acct(1);
    await e.ok(a, [m.bond(a.address, a.address, 100n)]);
    const txs = [];
    for (let i = 0; i < 7; i++) txs.push(await e.sign(a, [m.unbond(a.address, a.address, 1n)]));
    e.block(txs);
    const r = await e.send(a, [m.unbond(a.address, a.address, 1n)]);
    expect([r.codespace, r.code]).toEqual(["dcert", 10]);
  });

  test("governance-only messages check the authority first", () => {
    return setup().then((e) => {
      const notGov = e.addr(1);
      // Wrong authority wins over every other problem of the message.
      expect(execute(e, anyOf("MsgSlashMember", { authority: notGov, member: e.addr(5), fraction: "1", reason: "" }))).toEqual([
        "dcert",
        17,
        expect.stringContaining("submit it inside a governance proposal"),
      ]);
      expect(execute(e, anyOf("MsgReinstateMember", { authority: notGov, member: e.addr(5) }))).toEqual(["dcert", 17, expect.any(String)]);
      expect(execute(e, anyOf("MsgDisbandGroup", { authority: notGov, reason: "" }))).toEqual(["dcert", 17, expect.any(String)]);
      expect(execute(e, anyOf("MsgReestablishGroup", { authority: notGov }))).toEqual(["dcert", 17, expect.any(String)]);
      expect(execute(e, anyOf("MsgUpdateParams", { authority: notGov, params: undefined }))).toEqual(["dcert", 18, expect.stringContaining("params are missing")]);
      // With the gov authority, the state checks follow.
      expect(execute(e, anyOf("MsgSlashMember", { authority: GOV, member: e.addr(5), fraction: "1", reason: "" }))).toEqual(["dcert", 24, expect.any(String)]);
      expect(execute(e, anyOf("MsgSlashMember", { authority: GOV, member: e.addr(5), fraction: "0", reason: "" }))).toEqual(["dcert", 23, expect.any(String)]);
      expect(execute(e, anyOf("MsgReinstateMember", { authority: GOV, member: e.addr(1) }))).toEqual(["dcert", 14, expect.stringContaining("not suspended")]);
      expect(execute(e, anyOf("MsgReestablishGroup", { authority: GOV }))).toEqual(["dcert", 20, expect.any(String)]);
      expect(execute(e, anyOf("MsgDisbandGroup", { authority: GOV, reason: "" }))).toBe("ok");
    });
  });

  test("a disband proposal for a disbanded group is refused at submission", async () => {
    const e = await setup();
    await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "first" })]);
    const again = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "again" })]);
    expect([again.submit.codespace, again.submit.code]).toEqual(["dcert", 19]);
  });
});

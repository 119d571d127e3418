/**
 * MsgCircuitBreak in process, through CosmJS-signed txs: who may break (active, non-suspended
 * members, only while circuit_break_enabled and no disband proposal is pending), which routes
 * (known, well-formed, not already broken), each rejection with its registered code, the typed
 * event, the BrokenRoutes/IsBroken queries, and the package rule against every registered route.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { accountValoper } from "../../src/x/staking/keeper";
import { keepersOf } from "../../src/app/wiring";
import { ACCOUNTABILITY_ROUTES } from "../../src/x/dcert/circuit";
import * as q from "../../src/generated/dcert/v1/query";
import { devnetDcertParams, paramsToProto } from "../../src/x/dcert/keeper/params";
import { anyOf, dcertEnv, type DcertEnv, DENOM, GOV, m, ONE, type ParamsEdit, typedEvents } from "./dcert-harness";

const SEND = "/cosmos.bank.v1beta1.MsgSend";

function breakMsg(member: string, routes: readonly string[], reason = "exploit under investigation"): EncodeObject {
  return { typeUrl: "/dcert.v1.MsgCircuitBreak", value: { member, routes: [...routes], reason } };
}

/** Accounts 1 and 2 are members (account 3's stake votes for them); 4 and 5 are outsiders. */
async function setup(params: ParamsEdit = {}): Promise<DcertEnv> {
  const e = await dcertEnv({
    balances: [100_000_000_000n, ...Array.from({ length: 5 }, () => 10_000_000_000n)],
    params: { stabilization_period: "0", max_members: 3, circuit_break_enabled: true, ...params },
  });
  const val = accountValoper(e.addr(0));
  e.block([
    await e.sign(e.acct(1), [m.bond(e.addr(1), e.addr(1), 1_000_000n), m.accept(e.addr(1))]),
    await e.sign(e.acct(2), [m.bond(e.addr(2), e.addr(2), 1_000_000n), m.accept(e.addr(2))]),
    await e.sign(e.acct(3), [m.delegate(e.addr(3), val, 3_000_000n), m.vote(e.addr(3), [[e.addr(1), ONE / 2n], [e.addr(2), ONE / 2n]])]),
  ]);
  expect([...e.members().keys()].sort()).toEqual([e.addr(1), e.addr(2)].sort());
  return e;
}

function isBroken(e: DcertEnv, typeUrl: string): q.QueryIsBrokenResponse {
  return e.query("IsBroken", q.QueryIsBrokenRequest, { typeUrl }, q.QueryIsBrokenResponse);
}

function brokenRoutes(e: DcertEnv): q.QueryBrokenRoutesResponse["routes"] {
  return e.query("BrokenRoutes", q.QueryBrokenRoutesRequest, { pagination: undefined }, q.QueryBrokenRoutesResponse).routes;
}

/** Every registered type URL refused by the route guards in committed state. */
function refused(e: DcertEnv): string[] {
  return e.app.router.typeUrls().filter((t) => {
    try {
      e.app.router.checkGuards(e.ctx(), t);
      return false;
    } catch {
      return true;
    }
  });
}

describe("MsgCircuitBreak", () => {
  test("an active member breaks a route: record, typed event, queries", async () => {
    const e = await setup();
    const r = await e.ok(e.acct(1), [breakMsg(e.addr(1), ["cosmos.bank.v1beta1.MsgSend"], "bank exploit")]);
    const height = e.chain.height;
    // The route is stored (and reported) in canonical form.
    expect(typedEvents(r.events, "EventCircuitBroken")).toEqual([{ member: e.addr(1), routes: [SEND], reason: "bank exploit", case_id: "0" }]);
    const action = r.events.find((ev) => ev.type === "message" && ev.attributes.some((a) => a.key === "action" && a.value === "/dcert.v1.MsgCircuitBreak"));
    expect(action?.attributes.find((a) => a.key === "module")?.value).toBe("dcert");
    expect(brokenRoutes(e)).toEqual([{ route: SEND, member: e.addr(1), reason: "bank exploit", height }]);
    expect(isBroken(e, SEND)).toEqual({ broken: true, rule: SEND });
    expect(isBroken(e, "cosmos.bank.v1beta1.MsgSend")).toEqual({ broken: true, rule: SEND });
    expect(isBroken(e, "/cosmos.bank.v1beta1.MsgMultiSend")).toEqual({ broken: false, rule: "" });
    expect(isBroken(e, "/cosmos.bank.v1beta1.*")).toEqual({ broken: false, rule: "" });
    expect(refused(e)).toEqual([SEND]);
  });

  test("IsBroken answers which rule broke a type URL: exact first, then its package", async () => {
    const e = await setup();
    await e.ok(e.acct(1), [breakMsg(e.addr(1), ["/cosmos.staking.v1beta1.*", "/cosmos.bank.v1beta1.MsgMultiSend"])]);
    expect(isBroken(e, "/cosmos.staking.v1beta1.MsgDelegate")).toEqual({ broken: true, rule: "/cosmos.staking.v1beta1.*" });
    expect(isBroken(e, "/cosmos.staking.v1beta1.*")).toEqual({ broken: true, rule: "/cosmos.staking.v1beta1.*" });
    expect(isBroken(e, "/cosmos.bank.v1beta1.MsgMultiSend")).toEqual({ broken: true, rule: "/cosmos.bank.v1beta1.MsgMultiSend" });
    expect(isBroken(e, SEND)).toEqual({ broken: false, rule: "" });
    // A malformed query is an error with the route code, not a false answer.
    const bad = e.app.query({ path: "/dcert.v1.Query/IsBroken", data: q.QueryIsBrokenRequest.encode({ typeUrl: "bank send" }).finish(), height: 0n, prove: false });
    expect([bad.codespace, bad.code]).toEqual(["dcert", 52]);
    // Paged listing in route order.
    const page = e.query("BrokenRoutes", q.QueryBrokenRoutesRequest, { pagination: { key: Buffer.alloc(0), offset: 0n, limit: 1n, countTotal: true, reverse: false } }, q.QueryBrokenRoutesResponse);
    expect(page.routes.map((x) => x.route)).toEqual(["/cosmos.bank.v1beta1.MsgMultiSend"]);
    expect(page.pagination?.total).toBe(2n);
    const next = e.query("BrokenRoutes", q.QueryBrokenRoutesRequest, { pagination: { key: page.pagination?.nextKey ?? Buffer.alloc(0), offset: 0n, limit: 1n, countTotal: false, reverse: false } }, q.QueryBrokenRoutesResponse);
    expect(next.routes.map((x) => x.route)).toEqual(["/cosmos.staking.v1beta1.*"]);
  });

  test("a package route covers every registered message of the package and nothing else", async () => {
    const e = await setup();
    const all = e.app.router.typeUrls();
    const staking = all.filter((t) => t.startsWith("/cosmos.staking.v1beta1."));
    expect(staking.length).toBeGreaterThanOrEqual(4);
    await e.ok(e.acct(1), [breakMsg(e.addr(1), ["/cosmos.staking.v1beta1.*"])]);
    expect(refused(e)).toEqual(staking);
    // The dCERT's own package: every dcert message, the circuit break itself included, and nothing
    // else, except the accountability messages, which no rule covers.
    await e.ok(e.acct(2), [breakMsg(e.addr(2), ["/dcert.v1.*"])]);
    const dcert = all.filter((t) => t.startsWith("/dcert.v1.") && !ACCOUNTABILITY_ROUTES.includes(t));
    expect(dcert).toContain("/dcert.v1.MsgCircuitBreak");
    expect(dcert).toHaveLength(all.filter((t) => t.startsWith("/dcert.v1.")).length - ACCOUNTABILITY_ROUTES.filter((t) => t.startsWith("/dcert.v1.")).length);
    expect(refused(e)).toEqual([...dcert, ...staking].sort());
    const again = await e.send(e.acct(1), [breakMsg(e.addr(1), [SEND])]);
    expect([again.codespace, again.code]).toEqual(["dcert", 50]);
  });

  test("each rejection has its registered code and an actionable log; the signer's role is checked first", async () => {
    const e = await setup();
    const [a, b, x] = [e.acct(1), e.acct(2), e.acct(4)];
    await e.ok(a, [breakMsg(a.address, ["/cosmos.distribution.v1beta1.*"])]);
    const cases: [string, typeof a, EncodeObject, string, number, string][] = [
      ["non-member", x, breakMsg(x.address, [SEND]), "dcert", 2, "does not hold a seat"],
      ["non-member naming a bad route (role first)", x, breakMsg(x.address, ["/no.such.MsgX"]), "dcert", 2, "only active members may circuit-break"],
      ["unknown exact route", a, breakMsg(a.address, ["/cosmos.bank.v1beta1.MsgBurn"]), "dcert", 53, "not a message this chain executes"],
      ["unknown package", a, breakMsg(a.address, ["/ibc.core.channel.v1.*"]), "dcert", 53, "no message this chain executes is in package ibc.core.channel.v1"],
      ["a package that is only a prefix of real ones", a, breakMsg(a.address, ["/cosmos.*"]), "dcert", 53, "package cosmos"],
      ["already broken", a, breakMsg(a.address, ["/cosmos.distribution.v1beta1.*"]), "dcert", 54, "was already broken at height"],
      ["covered by a broken package", b, breakMsg(b.address, ["/cosmos.distribution.v1beta1.MsgFundCommunityPool"]), "dcert", 54, "already broken by /cosmos.distribution.v1beta1.*"],
      ["malformed route", a, breakMsg(a.address, [SEND, "cosmos bank send"]), "dcert", 52, "routes[1]"],
      ["no routes", a, breakMsg(a.address, []), "dcert", 55, "at least one route"],
      ["a route twice", a, breakMsg(a.address, [SEND, SEND]), "dcert", 55, "twice"],
      ["no reason", a, breakMsg(a.address, [SEND], ""), "dcert", 30, "say why"],
    ];
    for (const [name, signer, msg, codespace, code, text] of cases) {
      const r = await e.send(signer, [msg]);
      expect([name, r.codespace, r.code]).toEqual([name, codespace, code]);
      expect(r.log).toContain(text);
    }
    // All or nothing: a message with one bad route breaks none of the good ones.
    const mixed = await e.send(a, [breakMsg(a.address, [SEND, "/cosmos.distribution.v1beta1.MsgFundCommunityPool"])]);
    expect(mixed.code).toBe(54);
    expect(isBroken(e, SEND).broken).toBe(false);
  });

  test("a suspended member cannot break routes (dcert:13)", async () => {
    const e = await setup();
    const [a, b] = [e.acct(1), e.acct(2)];
    // One other member: quorum ceil(1/2 × 1) = 1 vote suspends.
    await e.ok(a, [m.suspend(a.address, b.address)]);
    expect(e.member(b.address)?.suspended).toBe(true);
    const r = await e.send(b, [breakMsg(b.address, [SEND])]);
    expect([r.codespace, r.code]).toEqual(["dcert", 13]);
    expect(r.log).toContain("suspended");
    expect(isBroken(e, SEND).broken).toBe(false);
  });

  test("circuit_break_enabled false: members are refused (dcert:51) until governance enables it", async () => {
    const e = await setup({ circuit_break_enabled: false });
    const a = e.acct(1);
    const off = await e.send(a, [breakMsg(a.address, [SEND])]);
    expect([off.codespace, off.code]).toEqual(["dcert", 51]);
    expect(off.log).toContain("circuit_break_enabled");
    // Role first even when disabled.
    const outsider = await e.send(e.acct(4), [breakMsg(e.addr(4), [SEND])]);
    expect(outsider.code).toBe(2);
    const p = await e.proposal([
      anyOf("MsgUpdateParams", { authority: GOV, params: paramsToProto({ ...devnetDcertParams(DENOM), maxMembers: 3, stabilizationPeriod: 0n, circuitBreakEnabled: true }) }),
    ]);
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    await e.ok(a, [breakMsg(a.address, [SEND])]);
    expect(isBroken(e, SEND).broken).toBe(true);
  });

  test("a pending disband proposal freezes circuit breaking (dcert:22); it resumes when the proposal ends", async () => {
    const e = await setup();
    const a = e.acct(1);
    const p = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "collusion" })], { deposit: 60_000_000n, vote: "none", skipEnd: true });
    expect(p.submit.code).toBe(0);
    const frozen = await e.send(a, [breakMsg(a.address, [SEND])]);
    expect([frozen.codespace, frozen.code]).toEqual(["dcert", 22]);
    expect(frozen.log).toContain(`disband proposal(s) ${p.id}`);
    e.block([], 100n); // the voting period ends without votes: rejected
    expect(keepersOf(e.app).gov.getProposal(e.ctx(), p.id)?.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    await e.ok(a, [breakMsg(a.address, [SEND])]);
  });

  test("MsgCircuitBreak signed in amino JSON (Ledger) works too", async () => {
    const e = await setup();
    await e.ok(e.acct(2), [breakMsg(e.addr(2), ["/cosmos.gov.v1.MsgVote"], "double voting bug")], "amino");
    expect(isBroken(e, "/cosmos.gov.v1.MsgVote")).toEqual({ broken: true, rule: "/cosmos.gov.v1.MsgVote" });
  });
});

/**
 * Invariant (ADR 008; docs/hard-fork.md, "The accountability road is never closed"): whatever
 * routes the group breaks, governance can still disband it. Random sequences of MsgCircuitBreak by
 * members (exact governance routes, /cosmos.gov.v1.*, /dcert.v1.*, other packages and messages,
 * the accountability messages themselves, unknown routes), each answered with the code a small
 * model predicts; then a disband proposal goes end to end: submitted with the wager deposit,
 * topped up or not, voted (plain or weighted), passed and executed, the group disbanded and the
 * proposer's deposit refunded. An ordinary proposal is refused at CheckTx exactly when submission
 * is broken.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import fc from "fast-check";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgUpdateParams as GovMsgUpdateParams } from "cosmjs-types/cosmos/gov/v1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { govParamsToProto } from "../../../src/x/gov/params";
import { accountValoper } from "../../../src/x/staking/keeper";
import { keepersOf } from "../../../src/app/wiring";
import * as q from "../../../src/generated/dcert/v1/query";
import { GroupStatus } from "../../../src/generated/dcert/v1/types";
import { anyOf, dcertEnv, type DcertEnv, DENOM, GOV, m, ONE } from "../../integration/dcert-harness";

const ACCOUNTABILITY = ["/dcert.v1.MsgSlashMember", "/dcert.v1.MsgReinstateMember", "/dcert.v1.MsgDisbandGroup", "/dcert.v1.MsgReestablishGroup", "/dcert.v1.MsgUpdateParams"];
const SUBMIT = "/cosmos.gov.v1.MsgSubmitProposal";
const ROUTES = [
  SUBMIT,
  "/cosmos.gov.v1.MsgDeposit",
  "/cosmos.gov.v1.MsgVote",
  "/cosmos.gov.v1.MsgVoteWeighted",
  "/cosmos.gov.v1.MsgUpdateParams",
  "/cosmos.gov.v1.*",
  "/dcert.v1.*",
  "/dcert.v1.MsgCircuitBreak",
  "/dcert.v1.MsgVote",
  "/dcert.v1.MsgLeaveGroup",
  "/cosmos.bank.v1beta1.*",
  "/cosmos.bank.v1beta1.MsgSend",
  "/cosmos.staking.v1beta1.*",
  "/cosmos.distribution.v1beta1.*",
  "/cosmos.gov.v1beta1.*", // not a package this chain executes: unknown
  "/cosmos.gov.v1beta1.MsgVote",
  ...ACCOUNTABILITY,
];
const WAGER = 50_000_000n; // the devnet disband wager; also ≥ the gov min deposit, so voting starts at once

interface Break {
  readonly member: 1 | 2;
  readonly routes: readonly string[];
}

const breakOp: fc.Arbitrary<Break> = fc.record({
  member: fc.constantFrom(1 as const, 2 as const),
  routes: fc.uniqueArray(fc.constantFrom(...ROUTES), { minLength: 1, maxLength: 3 }),
});

interface Drive {
  readonly topUp: boolean;
  readonly weighted: boolean;
}

const drive: fc.Arbitrary<Drive> = fc.record({ topUp: fc.boolean(), weighted: fc.boolean() });

const pkgOf = (route: string): string => route.slice(1, route.lastIndexOf("."));
const isPackage = (route: string): boolean => route.endsWith(".*");

/** The broken set as the rules define it: exact routes and package routes. */
class Model {
  readonly broken = new Set<string>();

  constructor(private readonly executable: readonly string[]) {}

  /** The rule covering a route (exact: itself or its package; package: itself). */
  covers(route: string): boolean {
    if (this.broken.has(route)) return true;
    return !isPackage(route) && !ACCOUNTABILITY.includes(route) && this.broken.has(`/${pkgOf(route)}.*`);
  }

  private known(route: string): boolean {
    return isPackage(route) ? this.executable.some((t) => pkgOf(t) === pkgOf(route)) : this.executable.includes(route);
  }

  /** The code MsgCircuitBreak gets, in the order the chain checks (validateBasic, guard, handler). */
  expect(b: Break): number {
    if (b.routes.some((r) => ACCOUNTABILITY.includes(r))) return 56;
    const overlap = b.routes.some((r) => !isPackage(r) && b.routes.includes(`/${pkgOf(r)}.*`));
    if (overlap) return 55;
    if (this.covers("/dcert.v1.MsgCircuitBreak")) return 50;
    if (!b.routes.every((r) => this.known(r))) return 53;
    if (b.routes.some((r) => this.covers(r))) return 54;
    return 0;
  }

  apply(b: Break): number {
    const code = this.expect(b);
    if (code === 0) for (const r of b.routes) this.broken.add(r);
    return code;
  }
}

async function withMembers(): Promise<DcertEnv> {
  const e = await dcertEnv({
    balances: [100_000_000_000n, ...Array.from({ length: 4 }, () => 10_000_000_000n)],
    params: { stabilization_period: "0", max_members: 3, circuit_break_enabled: true },
  });
  e.block([
    await e.sign(e.acct(1), [m.bond(e.addr(1), e.addr(1), 1_000_000n), m.accept(e.addr(1))]),
    await e.sign(e.acct(2), [m.bond(e.addr(2), e.addr(2), 1_000_000n), m.accept(e.addr(2))]),
    await e.sign(e.acct(3), [m.delegate(e.addr(3), accountValoper(e.addr(0)), 3_000_000n), m.vote(e.addr(3), [[e.addr(1), ONE / 2n], [e.addr(2), ONE / 2n]])]),
  ]);
  expect(e.members().size).toBe(2);
  return e;
}

function submit(proposer: string, messages: readonly Any[], amount: bigint): EncodeObject {
  return {
    typeUrl: SUBMIT,
    value: { messages: [...messages], initialDeposit: [{ denom: DENOM, amount: amount.toString() }], proposer, metadata: "", title: "disband", summary: "collusion", expedited: false },
  };
}

function ordinary(e: DcertEnv): Any {
  const params = govParamsToProto({ ...keepersOf(e.app).gov.params(e.ctx()), quorum: ONE / 2n });
  return { typeUrl: "/cosmos.gov.v1.MsgUpdateParams", value: GovMsgUpdateParams.encode({ authority: GOV, params }).finish() };
}

describe("the accountability road is never closed (property)", () => {
  test("after any sequence of breaks by members, a disband proposal still goes end to end", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(breakOp, { minLength: 1, maxLength: 8 }), drive, async (breaks, how) => {
        const e = await withMembers();
        const model = new Model(e.app.router.typeUrls());
        for (const b of breaks) {
          const r = await e.send(e.acct(b.member), [{ typeUrl: "/dcert.v1.MsgCircuitBreak", value: { member: e.addr(b.member), routes: [...b.routes], reason: "property" } }]);
          const want = model.apply(b);
          expect([b.routes, r.codespace, r.code]).toEqual([b.routes, want === 0 ? "" : "dcert", want]);
        }
        for (const route of ACCOUNTABILITY) {
          expect(e.query("IsBroken", q.QueryIsBrokenRequest, { typeUrl: route }, q.QueryIsBrokenResponse).broken).toBe(false);
        }
        const op = e.acct(0);
        // Everything else stays broken: an ordinary proposal is refused exactly when submission is.
        const probe = await e.sign(op, [submit(op.address, [ordinary(e)], WAGER)]);
        expect(e.app.checkTx({ tx: probe, type: CheckTxType.NEW }).code).toBe(model.covers(SUBMIT) ? 50 : 0);
        e.block();

        const before = e.balance(op.address);
        const disband = anyOf("MsgDisbandGroup", { authority: GOV, reason: "collusion" });
        await e.ok(op, [submit(op.address, [disband], WAGER)]);
        const id = keepersOf(e.app).gov.nextProposalId(e.ctx()) - 1n;
        if (how.topUp) {
          await e.ok(e.acct(4), [{ typeUrl: "/cosmos.gov.v1.MsgDeposit", value: { proposalId: id, depositor: e.addr(4), amount: [{ denom: DENOM, amount: "1000000" }] } }]);
        }
        const vote: EncodeObject = how.weighted
          ? { typeUrl: "/cosmos.gov.v1.MsgVoteWeighted", value: { proposalId: id, voter: op.address, options: [{ option: VoteOption.VOTE_OPTION_YES, weight: "1.000000000000000000" }], metadata: "" } }
          : { typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: id, voter: op.address, option: VoteOption.VOTE_OPTION_YES, metadata: "" } };
        await e.ok(op, [vote]);
        e.block([], 100n);
        const p = keepersOf(e.app).gov.getProposal(e.ctx(), id);
        expect([p?.status, p?.failedReason]).toEqual([ProposalStatus.PROPOSAL_STATUS_PASSED, ""]);
        expect(e.group().status).toBe(GroupStatus.GROUP_STATUS_DISBANDED);
        expect(e.members().size).toBe(0);
        expect(e.balance(op.address)).toBe(before); // passed: the wager deposit is refunded
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

/**
 * Every dCERT message signed in legacy amino JSON (as Ledger and amino-only wallets sign) is
 * accepted on chain: the member/staker messages directly, the governance-only ones inside an
 * amino-signed MsgSubmitProposal (whose amino form nests theirs) that then passes and executes.
 */
import { ProposalStatus } from "cosmjs-types/cosmos/gov/v1/gov";
import { accountValoper } from "../../src/x/staking/keeper";
import { paramsToProto, devnetDcertParams } from "../../src/x/dcert/keeper/params";
import { GroupStatus } from "../../src/generated/dcert/v1/types";
import { anyOf, dcertEnv, DENOM, GOV, m, ONE, typedEvents } from "./dcert-harness";

test("every dCERT message signed in amino JSON is accepted", async () => {
  const e = await dcertEnv({ balances: [100_000_000_000n, 10_000_000_000n, 10_000_000_000n, 10_000_000_000n, 10_000_000_000n], params: { stabilization_period: "0", max_members: 3 } });
  const [a, b, c, v] = [e.acct(1), e.acct(2), e.acct(3), e.acct(4)];
  const val = accountValoper(e.addr(0));
  const amino = async (signer: typeof a, msgs: Parameters<typeof e.sign>[1]) => {
    const r = await e.send(signer, msgs, "amino");
    expect(`${r.codespace}:${r.code}:${r.log}`).toBe(":0:");
    return r;
  };

  for (const x of [a, b, c]) await amino(x, [m.bond(x.address, x.address, 2_000_000n), m.accept(x.address)]);
  await amino(v, [
    m.delegate(v.address, val, 6_000_000n),
    m.vote(v.address, [
      [a.address, ONE / 2n],
      [b.address, ONE / 3n],
      [c.address, ONE / 6n],
    ]),
  ]);
  expect(e.members().size).toBe(3);
  await amino(a, [m.describe(a.address, "amino-signed")]);
  expect(e.group().description?.name).toBe("amino-signed");
  await amino(a, [m.unbond(a.address, a.address, 1n)]);
  await amino(b, [m.suspend(b.address, c.address, "signed on a Ledger")]);
  expect(e.member(c.address)?.suspended).toBe(true);
  await amino(b, [m.leave(b.address)]);
  expect(e.members().has(b.address)).toBe(false);

  // Governance-only messages travel inside an amino-signed proposal.
  const pass = async (any: ReturnType<typeof anyOf>) => {
    const p = await e.proposal([any], { mode: "amino" });
    expect(p.submit.log).toBe("");
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  };
  await pass(anyOf("MsgReinstateMember", { authority: GOV, member: c.address }));
  expect(e.member(c.address)?.suspended).toBe(false);
  await pass(anyOf("MsgSlashMember", { authority: GOV, member: a.address, fraction: (ONE / 10n).toString(), reason: "late response" }));
  expect(e.member(a.address)?.bond).toBe("1800000");
  const params = { ...devnetDcertParams(DENOM), maxMembers: 5, stabilizationPeriod: 7n, circuitBreakEnabled: false };
  await pass(anyOf("MsgUpdateParams", { authority: GOV, params: paramsToProto(params) }));
  expect(e.keeper.params(e.ctx())).toEqual(params);
  const disband = await e.proposal([anyOf("MsgDisbandGroup", { authority: GOV, reason: "emergency" })], { mode: "amino", skipEnd: true });
  expect(typedEvents(disband.submit.events, "EventDisbandProposalSubmitted")).toHaveLength(1);
  e.block([], 100n);
  expect(e.group().status).toBe(GroupStatus.GROUP_STATUS_DISBANDED);
  await pass(anyOf("MsgReestablishGroup", { authority: GOV }));
  expect(e.group().status).toBe(GroupStatus.GROUP_STATUS_ACTIVE);
});

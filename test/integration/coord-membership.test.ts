/**
 * A member's coordination powers last exactly as long as its seat: a member who just left the group
 * can no longer open, notify, revise or reveal (coord:2), drops out of the keys input is sealed to
 * (so input still sealed to it is refused, coord:21), and no longer counts towards a revision's
 * quorum — while the cases it opened go on under the remaining members.
 */
import { CaseStatus, CommitmentKind, RevisionKind } from "../../src/generated/coord/v1/types";
import { m as dm } from "./dcert-harness";
import { cm, coordEnv, encKey, fakeEnvelope, items, revealItem, ROUTE_SEND } from "./coord-harness";

describe("coord powers follow the dCERT seat", () => {
  test("a member who just left cannot act on cases; the group's keys and quorum shrink with it", async () => {
    const e = await coordEnv({ members: 3, others: 2, params: { minEmbargoSeconds: 60n } });
    // Party 4 depends on MsgSend.
    await e.ok(e.acct(4), [cm.register(e.addr(4), encKey(4).publicKey, [ROUTE_SEND])]);
    const it = items("seat", { fix: true });
    const T = e.now() + 3600n;
    const id = await e.openCase(3, it, 2, { seconds: T });
    const sealedTo = (members: number[]) => fakeEnvelope(members.map((i) => e.party(i)).sort((a, b) => (a.address < b.address ? -1 : 1)));
    // While seated, member 3 may notify, and input is sealed to all three.
    expect(await e.code(3, [cm.notice(e.addr(3), id, [{ recipient: e.addr(4), envelope: fakeEnvelope([e.party(4)]) }])])).toBe("ok");
    expect(await e.code(5, [cm.input(e.addr(5), id, sealedTo([1, 2, 3]))])).toBe("ok");

    // Member 3 leaves the group (its seat ends at the end of the block).
    await e.ok(e.acct(3), [dm.leave(e.addr(3))]);
    expect(e.members().has(e.addr(3))).toBe(false);
    const keys = e.coord.groupKeys(e.ctx()).keys.map((k) => k.address);
    expect(keys).toEqual([e.addr(1), e.addr(2)].sort());

    // Every member power is gone, on its own case too.
    expect(await e.code(3, [cm.open(e.addr(3), items("again"), 3)])).toEqual(["coord", 2, expect.stringContaining("not an active dCERT member")]);
    expect(await e.code(3, [cm.notice(e.addr(3), id, [{ recipient: e.addr(4), envelope: fakeEnvelope([e.party(4)]) }])])).toEqual(["coord", 2, expect.any(String)]);
    expect(await e.code(3, [cm.propose(e.addr(3), id, RevisionKind.REVISION_KIND_EXTEND, { seconds: T + 3600n })])).toEqual(["coord", 2, expect.any(String)]);
    expect(await e.code(3, [cm.escalate(e.addr(3), id, 3)])).toEqual(["coord", 2, expect.any(String)]);
    expect(await e.code(3, [cm.commit(e.addr(3), id, CommitmentKind.COMMITMENT_KIND_FIX, new Uint8Array(32))])).toEqual(["coord", 2, expect.any(String)]);

    // Input must now be sealed to exactly the two remaining members.
    expect(await e.code(5, [cm.input(e.addr(5), id, sealedTo([1, 2, 3]))])).toEqual(["coord", 21, expect.any(String)]);
    expect(await e.code(5, [cm.input(e.addr(5), id, sealedTo([1, 2]))])).toBe("ok");

    // The quorum is counted over the members of the moment: with 2 members and quorum ½, one
    // approval (the proposer's) applies an extension at once; member 3's approval cannot count.
    const proposed = await e.okEvents(1, [cm.propose(e.addr(1), id, RevisionKind.REVISION_KIND_EXTEND, { seconds: T + 7200n })]);
    expect(proposed.some((ev) => ev.type === "coord.v1.EventRevisionApplied")).toBe(true);
    expect(e.caseOf(id).deadlineTime?.seconds).toBe(T + 7200n);

    // The case goes on under the remaining members: at T a remaining member discloses it.
    e.block([], T + 7200n - e.now());
    const disclosed = await e.code(2, [cm.reveal(e.addr(2), id, [CommitmentKind.COMMITMENT_KIND_REPORT, CommitmentKind.COMMITMENT_KIND_COMPONENTS, CommitmentKind.COMMITMENT_KIND_ADVISORY, CommitmentKind.COMMITMENT_KIND_FIX].map((k) => revealItem(it, k)))]);
    expect(disclosed).toBe("ok");
    expect(e.caseOf(id).status).toBe(CaseStatus.CASE_STATUS_DISCLOSED);
  });
});

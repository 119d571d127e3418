/**
 * The group: members with their tally, share of all votes, sequence number, bond (and who bonded
 * it) and stipend earned; seats used of max; a banner while a disband is pending (the group's
 * powers are frozen) or after it was disbanded; the tally distribution and membership charts.
 */
import { effect, signal } from "@preact/signals";
import { dcertRecordTypes } from "@dcert/client";
import { client, height } from "../chain";
import { MembershipChart, TallyChart } from "../charts/charts";
import { addSample, type MembershipSample } from "../charts/data";
import { formatAmount, formatPercent, parseInteger } from "../format";
import { AddressLink, Show, useChain, View } from "./common";
import { bondsByMember, totalTally } from "./election";

/** The group's size at each block seen since the page opened (read once per new height). */
export const membershipSamples = signal<MembershipSample[]>([]);
let sampledAt = -1;
effect(() => {
  const c = client.value;
  const h = height.value;
  if (c === undefined || h <= 0 || h === sampledAt) return;
  sampledAt = h;
  c.getGroup().then(
    (g) => (membershipSamples.value = addSample(membershipSamples.value, { height: h, members: g.members.length, seats: g.maxMembers })),
    () => undefined, // a missed sample is a gap in the picture; the view shows the error itself
  );
});

export function GroupView() {
  const loaded = useChain(async (c) => {
    const [group, candidates, bonds, params, disband] = await Promise.all([c.getGroup(), c.getCandidates(), c.getBonds(), c.getDcertParams(), c.getDisbandStatus()]);
    const statuses = await Promise.all(group.members.map((m) => c.getMemberStatus(m.address)));
    return { group, candidates, bonds: bondsByMember(bonds), params, disband, stipends: new Map(statuses.map((s) => [s.address, s.stipendPaid])) };
  });
  return (
    <View id="group" title="The group">
      <Show loaded={loaded}>
        {({ group, candidates, bonds, params, disband, stipends }) => {
          const total = totalTally(group.members, candidates);
          const bondDenom = params.minMemberBond?.denom;
          const stipendDenom = params.stipendPerBlock?.denom;
          const name = group.description?.name ?? "";
          return (
            <>
              {group.status === dcertRecordTypes.GroupStatus.GROUP_STATUS_DISBANDED && (
                <p class="banner" role="status">
                  The group is disbanded (since height {String(disband.statusHeight)}): nobody holds a seat until governance re-establishes it.
                </p>
              )}
              {(group.disbandPending || disband.frozen) && (
                <p class="banner" role="status">
                  Frozen: a disband proposal is pending ({disband.proposals.map((p) => `#${p.proposalId}`).join(", ") || "see governance"}). Until it concludes, members cannot break routes,
                  vote to suspend or edit the description.
                </p>
              )}
              {name !== "" && <p class="lead">{name}{group.description?.details ? ` — ${group.description.details}` : ""}</p>}
              <p>
                Seats: <strong>{group.members.length}</strong> used of <strong>{group.maxMembers}</strong>. All votes counted (members and candidates):{" "}
                {formatAmount(total)}.
              </p>
              {group.members.length === 0 ? (
                <p>No member is seated.</p>
              ) : (
                <div class="table-scroll" role="region" aria-label="members table" tabIndex={0}>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">rank</th>
                        <th scope="col">member</th>
                        <th scope="col">tally</th>
                        <th scope="col">share of all votes</th>
                        <th scope="col">sequence</th>
                        <th scope="col">bond</th>
                        <th scope="col">bonded by</th>
                        <th scope="col">stipend earned</th>
                      </tr>
                    </thead>
                    <tbody>
                      {group.members.map((m, i) => {
                        const b = bonds.get(m.address);
                        return (
                          <tr key={m.address}>
                            <td>{i + 1}</td>
                            <td>
                              <AddressLink address={m.address} />
                            </td>
                            <td class="num">{formatAmount(m.tally)}</td>
                            <td class="num">{formatPercent(parseInteger(m.tally), total)}</td>
                            <td class="num">{String(m.sequence)}</td>
                            <td class="num">{formatAmount(m.bond, bondDenom)}</td>
                            <td>
                              {b === undefined || b.stakers.length === 0 ? (
                                "—"
                              ) : (
                                <ul class="plain">
                                  {b.stakers.map((s) => (
                                    <li key={s.staker}>
                                      <AddressLink address={s.staker} /> {formatAmount(s.amount)}
                                    </li>
                                  ))}
                                </ul>
                              )}
                            </td>
                            <td class="num">{formatAmount(stipends.get(m.address) ?? "0", stipendDenom)}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
              <h2>Tally distribution</h2>
              <TallyChart members={group.members} candidates={candidates} maxMembers={group.maxMembers} />
              <h2>Membership over time</h2>
              <MembershipChart samples={membershipSamples.value} />
            </>
          );
        }}
      </Show>
    </View>
  );
}

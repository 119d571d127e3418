/** The candidates (eligible, not seated), ranked best first, with each one's gap to the lowest seat. */
import { formatAmount, formatPercent, parseInteger } from "../format";
import { TallyChart } from "../charts/charts";
import { AddressLink, Show, useChain, View } from "./common";
import { describeGap, seatGap, totalTally } from "./election";

export function CandidatesView() {
  const loaded = useChain(async (c) => {
    const [group, candidates, params] = await Promise.all([c.getGroup(), c.getCandidates(), c.getDcertParams()]);
    return { group, candidates, params };
  });
  return (
    <View id="candidates" title="Candidates">
      <Show loaded={loaded}>
        {({ group, candidates, params }) => {
          const total = totalTally(group.members, candidates);
          const lowest = group.members[group.members.length - 1];
          return (
            <>
              <p>
                {candidates.length} eligible candidate{candidates.length === 1 ? "" : "s"} for {group.maxMembers - group.members.length} free of {group.maxMembers} seats.
                {lowest !== undefined && group.members.length >= group.maxMembers && (
                  <>
                    {" "}The lowest seat (<AddressLink address={lowest.address} />) has a tally of {formatAmount(lowest.tally)}.
                  </>
                )}
              </p>
              {candidates.length === 0 ? (
                <p>No eligible candidate: an address becomes one by accepting admission and bonding at least {formatAmount(params.minMemberBond?.amount ?? "0", params.minMemberBond?.denom)}.</p>
              ) : (
                <div class="table-scroll" role="region" aria-label="candidates table" tabIndex={0}>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">rank</th>
                        <th scope="col">candidate</th>
                        <th scope="col">tally</th>
                        <th scope="col">share of all votes</th>
                        <th scope="col">gap to the lowest seat</th>
                        <th scope="col">bond</th>
                        <th scope="col">queued</th>
                      </tr>
                    </thead>
                    <tbody>
                      {candidates.map((cand, i) => (
                        <tr key={cand.address}>
                          <td>{group.members.length + i + 1}</td>
                          <td>
                            <AddressLink address={cand.address} />
                          </td>
                          <td class="num">{formatAmount(cand.tally)}</td>
                          <td class="num">{formatPercent(parseInteger(cand.tally), total)}</td>
                          <td>{describeGap(seatGap(cand.tally, group.members, group.maxMembers))}</td>
                          <td class="num">{formatAmount(cand.bond, params.minMemberBond?.denom)}</td>
                          <td>{cand.queued ? <a href="#/queue">yes</a> : "no"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <h2>Tally distribution</h2>
              <TallyChart members={group.members} candidates={candidates} maxMembers={group.maxMembers} />
            </>
          );
        }}
      </Show>
    </View>
  );
}

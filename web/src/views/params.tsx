/** The dCERT module's parameters (changed by governance with MsgUpdateParams). */
import { formatAmount, formatShare } from "../format";
import { Show, useChain, View } from "./common";

export function ParamsView() {
  const loaded = useChain((c) => c.getDcertParams());
  return (
    <View id="params" title="Parameters">
      <Show loaded={loaded}>
        {(p) => {
          const coin = (x: { amount: string; denom: string } | undefined) => (x === undefined ? "—" : formatAmount(x.amount, x.denom));
          const rows: [string, string, string][] = [
            ["max members", String(p.maxMembers), "Seats in the group."],
            ["minimum member bond", coin(p.minMemberBond), "Bond each member must keep to stay eligible."],
            ["stipend per block", coin(p.stipendPerBlock), "Paid to each active member every block from the community pool."],
            ["suspension quorum", formatShare(p.suspensionQuorum), "Fraction of the other active members whose votes suspend a member."],
            ["disband wager", coin(p.disbandWager), "Burned from a disband proposal's deposit unless it passes."],
            ["disband slash fraction", formatShare(p.disbandSlashFraction), "Slashed from every member's bond when a disband passes."],
            ["stabilization period", `${p.stabilizationPeriod} blocks`, "How long a queued replacement waits (0 swaps at once)."],
            ["max vote entries", String(p.maxVoteEntries), "Candidates one vote may split between."],
            ["circuit breaking", p.circuitBreakEnabled ? "enabled" : "disabled", "Whether members may break message routes."],
          ];
          return (
            <div class="table-scroll" role="region" aria-label="parameters table" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">parameter</th>
                    <th scope="col">value</th>
                    <th scope="col">meaning</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(([name, value, meaning]) => (
                    <tr key={name}>
                      <td>{name}</td>
                      <td class="num">{value}</td>
                      <td>{meaning}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Show>
    </View>
  );
}

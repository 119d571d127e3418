/**
 * Governance proposals that touch the dCERT (disband, slash, params, reinstate, re-establish:
 * detected by their messages' type URLs) with their tallies: the live tally during the voting
 * period, the final one after it.
 */
import type { DcertClient } from "@dcert/client";
import { ProposalStatus, type Proposal, type TallyResult } from "cosmjs-types/cosmos/gov/v1/gov";
import { TALLY_OPTIONS, enumLabel, formatBps, proposalKinds, tallyShares, type DcertProposalKind } from "../more/logic";
import { ChainError, Loading, View, formatTime, useChainQuery } from "../more/ui";

export interface DcertProposal {
  readonly proposal: Proposal;
  readonly kinds: DcertProposalKind[];
  readonly tally: TallyResult | undefined;
  /** Whether `tally` is the running tally (voting period) rather than the final one. */
  readonly live: boolean;
}

export async function loadDcertProposals(c: DcertClient): Promise<DcertProposal[]> {
  const all = await c.getProposals();
  const touching = all
    .map((p) => ({ p, kinds: proposalKinds(p.messages.map((m) => m.typeUrl)) }))
    .filter((x) => x.kinds.length > 0)
    .sort((a, b) => (a.p.id < b.p.id ? 1 : a.p.id > b.p.id ? -1 : 0));
  return Promise.all(
    touching.map(async ({ p, kinds }) => {
      const live = p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
      const tally = live ? await c.getTally(p.id) : p.finalTallyResult;
      return { proposal: p, kinds, tally, live };
    }),
  );
}

const COLORS: Record<(typeof TALLY_OPTIONS)[number]["key"], string> = {
  yesCount: "#2b8a3e",
  noCount: "#c92a2a",
  noWithVetoCount: "#5f3dc4",
  abstainCount: "#868e96",
};

function TallyBar({ tally, id }: { tally: TallyResult; id: bigint }) {
  const { total, bps } = tallyShares(tally);
  if (total === 0n) return <p>No votes yet.</p>;
  return (
    <>
      <div aria-hidden="true" style={{ display: "flex", height: "0.75rem", borderRadius: "3px", overflow: "hidden", background: "#e9ecef" }}>
        {TALLY_OPTIONS.map((o) => (
          <div key={o.key} style={{ width: `${bps[o.key] / 100}%`, background: COLORS[o.key] }} />
        ))}
      </div>
      <ul aria-label={`tally of proposal ${id}`} style={{ display: "flex", flexWrap: "wrap", gap: "0.25rem 1rem", listStyle: "none", padding: 0, margin: "0.25rem 0" }}>
        {TALLY_OPTIONS.map((o) => (
          <li key={o.key}>
            <span aria-hidden="true" style={{ color: COLORS[o.key] }}>
              ■{" "}
            </span>
            {o.label} {formatBps(bps[o.key])} <small>({tally[o.key]})</small>
          </li>
        ))}
      </ul>
    </>
  );
}

export function GovernanceView() {
  const { data, error } = useChainQuery(loadDcertProposals);
  return (
    <View id="governance-title" title="Governance of the dCERT">
      <p>Proposals that disband the group, slash or reinstate a member, re-establish the group or change its params.</p>
      {error !== undefined && <ChainError error={error} />}
      {data === undefined ? (
        error === undefined && <Loading />
      ) : data.length === 0 ? (
        <p>No proposal touches the dCERT.</p>
      ) : (
        data.map(({ proposal: p, kinds, tally, live }) => (
          <article key={String(p.id)} aria-labelledby={`proposal-${p.id}`} style={{ borderBottom: "1px solid #d9e2ec", padding: "0.5rem 0" }}>
            <h2 id={`proposal-${p.id}`} style={{ fontSize: "1.1rem", margin: "0.25rem 0" }}>
              #{String(p.id)} {p.title === "" ? kinds.join(", ") : p.title}
            </h2>
            <p style={{ margin: "0.25rem 0" }}>
              <strong>{kinds.join(", ")}</strong> · {enumLabel(ProposalStatus, p.status, "PROPOSAL_STATUS_")}
              {live && <> · voting ends {formatTime(p.votingEndTime)}</>}
              {p.failedReason !== "" && <> · failed: {p.failedReason}</>}
            </p>
            {p.summary !== "" && <p style={{ margin: "0.25rem 0", overflowWrap: "anywhere" }}>{p.summary}</p>}
            <p style={{ margin: "0.25rem 0" }}>
              <small>
                messages:{" "}
                {p.messages.map((m, i) => (
                  <code key={i} style={{ overflowWrap: "anywhere" }}>
                    {i > 0 ? ", " : ""}
                    {m.typeUrl}
                  </code>
                ))}
              </small>
            </p>
            {tally === undefined ? <p>No tally yet.</p> : <TallyBar tally={tally} id={p.id} />}
            {live && <p style={{ margin: 0 }}><small>running tally; final when voting ends</small></p>}
          </article>
        ))
      )}
    </View>
  );
}

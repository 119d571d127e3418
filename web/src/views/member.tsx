/**
 * One address's page (#/member/<address>): its standing (member or candidate, tally, bond,
 * unbonding, stipend, queue entry, suspension), who bonded for it, votes to suspend it, and its
 * history of seats, suspensions and slashes read from the chain's events through CometBFT's
 * tx_search (events of transactions, e.g. suspension votes) and block_search (events of block
 * execution: seats change at the end of a block, slashes when a proposal executes).
 */
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { isDcertAddress } from "@dcert/client";
import { config } from "../chain";
import { SplitChart } from "../charts/charts";
import { formatAmount, formatShare } from "../format";
import { AddressLink, ChainErrorBox, Show, useChain, View } from "./common";
import { bondsByMember } from "./election";
import { HISTORY_EVENTS, historyFromEvents, historyQuery, mergeHistory, type HistoryEntry } from "./history";

/** Results per search (newest first): the page shows the most recent history. */
const PER_SEARCH = 50;

let comet: { rpc: string; client: Promise<Comet38Client> } | undefined;
function cometClient(rpc: string): Promise<Comet38Client> {
  if (comet?.rpc !== rpc) comet = { rpc, client: Comet38Client.connect(rpc) };
  return comet.client;
}

async function loadHistory(rpc: string, address: string): Promise<HistoryEntry[]> {
  const c = await cometClient(rpc);
  const found = await Promise.all(
    HISTORY_EVENTS.map(async ({ type, key }) => {
      const query = historyQuery(type, key, address);
      const [txs, blocks] = await Promise.all([c.txSearch({ query, per_page: PER_SEARCH, order_by: "desc" }), c.blockSearch({ query, per_page: PER_SEARCH, order_by: "desc" })]);
      const fromTxs = txs.txs.flatMap((t) => historyFromEvents(address, BigInt(t.height), t.result.events));
      const results = await Promise.all(blocks.blocks.map((b) => c.blockResults(b.block.header.height)));
      const fromBlocks = results.flatMap((r) => historyFromEvents(address, BigInt(r.height), r.finalizeBlockEvents));
      return { fromTxs, fromBlocks };
    }),
  );
  // Within a block, transactions run before the end of the block (where seats change): list them first.
  return mergeHistory([...found.map((f) => f.fromTxs), ...found.map((f) => f.fromBlocks)]);
}

export function MemberView({ arg }: { arg?: string }) {
  const address = (arg ?? "").trim();
  if (!isDcertAddress(address)) {
    return (
      <View id="member" title="Member">
        <p class="error" role="alert">
          “{address}” is not a dCERT address. Open a member from the <a href="#/group">group</a> or <a href="#/candidates">candidates</a>, or use #/member/dcert1….
        </p>
      </View>
    );
  }
  return <MemberPage key={address} address={address} />;
}

function MemberPage({ address }: { address: string }) {
  const loaded = useChain(
    async (c) => {
      const [status, bonds, unbondings, suspensions, params, vote] = await Promise.all([
        c.getMemberStatus(address),
        c.getBonds({ member: address }),
        c.getUnbondings({ member: address }),
        c.getSuspensions(),
        c.getDcertParams(),
        c.getVote(address),
      ]);
      return {
        status,
        bonds: bondsByMember(bonds).get(address),
        unbondings,
        suspension: suspensions.suspensions.find((s) => s.member === address),
        votes: suspensions.votes.filter((v) => v.target === address),
        params,
        vote,
      };
    },
    [address],
  );
  const rpc = config.value?.rpc;
  const history = useChain(async () => (rpc === undefined ? [] : loadHistory(rpc, address)), [address, rpc]);
  return (
    <View id="member" title={<>Member <span class="address-full">{address}</span></>}>
      <Show loaded={loaded}>
        {({ status, bonds, unbondings, suspension, votes, params, vote }) => {
          const denom = params.minMemberBond?.denom;
          const role = status.isMember
            ? `member (sequence ${status.sequence})`
            : status.suspended
              ? "suspended, waiting for governance"
              : status.barred
                ? "barred (slashed by governance)"
                : status.eligible ? "candidate (eligible, not seated)" : status.accepted ? "accepted admission, not eligible" : "not a candidate";
          const rows: [string, string][] = [
            ["status", role],
            ["tally", formatAmount(status.tally)],
            ["bond", formatAmount(status.bond, denom)],
            ["unbonding (still slashable)", formatAmount(status.unbonding, denom)],
            ["stipend earned", formatAmount(status.stipendPaid, params.stipendPerBlock?.denom)],
            ["suspended", status.suspended ? `yes${suspension === undefined ? "" : ` (height ${suspension.height}: ${suspension.reason})`}` : "no"],
            ["barred (slashed, not reinstated)", status.barred ? "yes" : "no"],
            ["accepted admission", status.accepted ? `yes${status.acceptance === undefined ? "" : ` (height ${status.acceptance.height})`}` : "no"],
          ];
          const q = status.queueEntry;
          return (
            <>
              <dl class="facts">
                {rows.map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
              {q !== undefined && (
                <p class="banner" role="status">
                  In the stabilization queue: <AddressLink address={q.challenger} /> replaces <AddressLink address={q.replaces} /> at height {String(q.maturesAt)}.
                </p>
              )}
              <h2>Bonded by</h2>
              {bonds === undefined || bonds.stakers.length === 0 ? (
                <p>Nobody has bonded for this address.</p>
              ) : (
                <ul>
                  {bonds.stakers.map((s) => (
                    <li key={s.staker}>
                      <AddressLink address={s.staker} />: {formatAmount(s.amount, denom)}
                    </li>
                  ))}
                </ul>
              )}
              {unbondings.length > 0 && (
                <>
                  <h2>Unbonding</h2>
                  <ul>
                    {unbondings.map((u) => (
                      <li key={String(u.id)}>
                        <AddressLink address={u.staker} />: {formatAmount(u.balance, denom)} of {formatAmount(u.initialBalance, denom)} (from height {String(u.creationHeight)})
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {vote !== null && (
                <>
                  <h2>Its vote</h2>
                  <p>
                    As a delegator, this address votes with a power of {formatAmount(vote.power)}, split:{" "}
                    {vote.entries.map((e, i) => (
                      <span key={e.candidate}>
                        {i > 0 && ", "}
                        <AddressLink address={e.candidate} /> {formatShare(e.share)}
                      </span>
                    ))}
                    .
                  </p>
                  <SplitChart entries={vote.entries} />
                </>
              )}
              {votes.length > 0 && (
                <>
                  <h2>Votes to suspend</h2>
                  <ul>
                    {votes.map((v) => (
                      <li key={v.voter}>
                        <AddressLink address={v.voter} /> at height {String(v.height)}: {v.reason}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          );
        }}
      </Show>
      <h2>History</h2>
      {history.error !== undefined && <ChainErrorBox error={history.error} />}
      {history.data === undefined ? (
        history.error === undefined && <p aria-busy="true">Loading …</p>
      ) : history.data.length === 0 ? (
        <p>No seat, suspension or slash recorded for this address (from the node's event index).</p>
      ) : (
        <ol class="history">
          {history.data.map((e) => (
            <li key={`${e.height}|${e.kind}|${e.text}`}>
              <span class={`tag tag-${e.kind}`}>{e.kind}</span> height {String(e.height)}: {e.text}
            </li>
          ))}
        </ol>
      )}
    </View>
  );
}


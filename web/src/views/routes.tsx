/**
 * Broken routes: each message route the group disabled, who broke it, when (block and time), the
 * reason and the coordination case the break cites. The record holds route, member, reason and
 * height; the time comes from the block and the cited case from the break's
 * `dcert.v1.EventCircuitBroken` in that block's transactions (CometBFT's tx index).
 */
import type { DcertClient } from "@dcert/client";
import { citedCase, type ChainEvent } from "../more/logic";
import { ChainError, Loading, MemberLink, TableWrap, View, useChainQuery } from "../more/ui";

interface BlockFacts {
  readonly time: string;
  /** Events of the block's transactions, or undefined when the node's tx index could not answer. */
  readonly events: readonly ChainEvent[] | undefined;
}

export interface BrokenRow {
  readonly route: string;
  readonly member: string;
  readonly reason: string;
  readonly height: bigint;
  readonly time: string;
  /** The cited case (0n: none), or undefined when it could not be looked up. */
  readonly caseId: bigint | undefined;
}

// Past blocks do not change: one lookup per client and height.
const blockCache = new WeakMap<DcertClient, Map<bigint, Promise<BlockFacts>>>();

function blockFacts(c: DcertClient, height: bigint): Promise<BlockFacts> {
  let byHeight = blockCache.get(c);
  if (byHeight === undefined) blockCache.set(c, (byHeight = new Map()));
  let facts = byHeight.get(height);
  if (facts === undefined) {
    const h = Number(height);
    facts = Promise.all([
      c.getBlock(h).then(
        (b) => b.header.time,
        () => "",
      ),
      c.searchTx(`tx.height=${h}`).then(
        (txs) => txs.flatMap((t) => t.events),
        () => undefined,
      ),
    ]).then(([time, events]) => ({ time, events }));
    byHeight.set(height, facts);
  }
  return facts;
}

export async function loadBrokenRoutes(c: DcertClient): Promise<BrokenRow[]> {
  const routes = await c.getBrokenRoutes();
  return Promise.all(
    routes.map(async (r) => {
      // Height 0: carried over by genesis, no transaction to read.
      const facts: BlockFacts = r.height === 0n ? { time: "", events: undefined } : await blockFacts(c, r.height);
      return {
        route: r.route,
        member: r.member,
        reason: r.reason,
        height: r.height,
        time: facts.time,
        caseId: facts.events === undefined ? undefined : citedCase(facts.events, r.route, r.member),
      };
    }),
  );
}

function CaseCell({ caseId }: { caseId: bigint | undefined }) {
  if (caseId === undefined) return <span title="the node's transaction index did not answer">unknown</span>;
  if (caseId === 0n) return <span>none</span>;
  return <a href={`#/cases/${caseId}`}>case {String(caseId)}</a>;
}

export function BrokenRoutesView() {
  const { data, error } = useChainQuery(loadBrokenRoutes);
  return (
    <View id="routes-title" title="Broken routes">
      {error !== undefined && <ChainError error={error} />}
      {data === undefined ? (
        error === undefined && <Loading />
      ) : data.length === 0 ? (
        <p>No route is broken: every message is accepted.</p>
      ) : (
        <>
          <p>
            {data.length} route{data.length === 1 ? "" : "s"} broken by the group. Transactions with these messages are
            refused until the routes are restored by a new genesis.
          </p>
          <TableWrap label="table of broken routes">
            <table>
              <thead>
                <tr>
                  <th scope="col">route</th>
                  <th scope="col">broken by</th>
                  <th scope="col">when</th>
                  <th scope="col">reason</th>
                  <th scope="col">case</th>
                </tr>
              </thead>
              <tbody>
                {data.map((r) => (
                  <tr key={r.route}>
                    <td style={{ minWidth: "9rem" }}>
                      <code style={{ overflowWrap: "anywhere" }}>{r.route}</code>
                    </td>
                    <td>{r.member === "" ? "genesis" : <MemberLink address={r.member} />}</td>
                    <td>
                      block {String(r.height)}
                      {r.time !== "" && (
                        <>
                          <br />
                          <small>
                            <time dateTime={r.time}>{r.time.replace("T", " ").replace(/\.[0-9]+Z$/, "Z")}</time>
                          </small>
                        </>
                      )}
                    </td>
                    <td style={{ overflowWrap: "anywhere" }}>{r.reason === "" ? <em>no reason given</em> : r.reason}</td>
                    <td>
                      <CaseCell caseId={r.caseId} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </View>
  );
}

/**
 * One coordination case (`#/cases/<id>`): its public record (docs/coordination.md §1) — status,
 * embargo deadline, commitments and which are revealed, acknowledgements of its notices, the
 * advisory once disclosed, the routes broken citing it, and the timeline.
 */
import { coord, collectPages, type DcertClient } from "@dcert/client";
import { toHex } from "@cosmjs/encoding";
import { Fragment, type ComponentChildren } from "preact";
import { ackCounts, enumLabel, parseCaseId } from "../more/logic";
import { ChainError, Loading, MemberLink, TableWrap, View, formatTime, useChainQuery } from "../more/ui";

type Case = coord.recordTypes.Case;

/** The embargo deadline: a height or a time (exactly one is set). */
export function deadlineOf(c: Case): string {
  if (c.deadlineHeight !== 0n) return `block ${c.deadlineHeight}`;
  return formatTime(c.deadlineTime);
}

export function levelOf(c: Case): string {
  if (c.level === 0) return "sealed";
  return ["", "standard", "enhanced", "emergency"][c.level] ?? String(c.level);
}

export interface CasePage {
  readonly found: coord.queryTypes.QueryCaseResponse;
  readonly timeline: coord.recordTypes.TimelineEntry[];
  readonly involvements: coord.recordTypes.Involvement[];
  /** Present once the case is disclosed (what it published and the breaks that cited it). */
  readonly disclosure: coord.queryTypes.QueryDisclosureResponse | undefined;
}

export async function loadCase(c: DcertClient, id: bigint): Promise<CasePage> {
  const found = await c.coord.case(id);
  const status = found.case?.status;
  const disclosed = status === coord.CaseStatus.CASE_STATUS_DISCLOSED || status === coord.CaseStatus.CASE_STATUS_CLOSED;
  const [timeline, involvements, disclosure] = await Promise.all([
    collectPages((k) => c.coord.timeline(id, k), (r) => r.entries, 100),
    collectPages((k) => c.coord.involvements(id, k), (r) => r.involvements, 100),
    disclosed ? c.coord.disclosure(id) : Promise.resolve(undefined),
  ]);
  return { found, timeline, involvements, disclosure };
}

function Facts({ c, gateOpen }: { c: Case; gateOpen: boolean }) {
  const rows: [string, ComponentChildren][] = [
    ["opener", <MemberLink address={c.opener} />],
    [
      "coordinators",
      c.coordinators.map((a, i) => (
        <span key={a}>
          {i > 0 && ", "}
          <MemberLink address={a} />
        </span>
      )),
    ],
    ["level", levelOf(c)],
    ["status", enumLabel(coord.CaseStatus, c.status, "CASE_STATUS_")],
    ["phase", enumLabel(coord.Phase, c.phase, "PHASE_")],
    ["embargo", enumLabel(coord.EmbargoState, c.embargoState, "EMBARGO_STATE_")],
    ["deadline", deadlineOf(c)],
    ["opened", `block ${c.openHeight} · ${formatTime(c.openTime)}`],
  ];
  if (c.cosignersNeeded > 0) rows.push(["co-signatures needed", String(c.cosignersNeeded)]);
  if (c.disclosureHeight !== 0n) rows.push(["disclosed", `block ${c.disclosureHeight} · ${formatTime(c.disclosureTime)}`]);
  if (c.closedHeight !== 0n) rows.push(["closed", `block ${c.closedHeight}`]);
  if (c.readinessPlan !== "") rows.push(["reveal gate", `upgrade plan ${c.readinessPlan}: ${gateOpen ? "open" : "waiting for 2/3 of voting power"}`]);
  rows.push(["notices sent", String(c.noticeCount)], ["sealed inputs", String(c.inputCount)], ["mitigations", String(c.mitigationCount)]);
  return (
    <dl style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "0.25rem 1rem" }}>
      {rows.map(([k, v]) => (
        <Fragment key={k}>
          <dt style={{ fontWeight: 600 }}>{k}</dt>
          <dd style={{ margin: 0, overflowWrap: "anywhere" }}>{v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function Commitments({ list }: { list: coord.recordTypes.Commitment[] }) {
  if (list.length === 0) return <p>No commitments.</p>;
  return (
    <TableWrap label="table of commitments">
      <table>
        <thead>
          <tr>
            <th scope="col">commitment</th>
            <th scope="col">version</th>
            <th scope="col">committed</th>
            <th scope="col">revealed</th>
            <th scope="col">hash</th>
          </tr>
        </thead>
        <tbody>
          {list.map((m) => (
            <tr key={`${m.kind}-${m.version}`}>
              <td>{enumLabel(coord.CommitmentKind, m.kind, "COMMITMENT_KIND_")}</td>
              <td>{m.version}</td>
              <td>block {String(m.height)}</td>
              <td>{m.revealed ? `yes, block ${m.revealedHeight}` : "not yet"}</td>
              <td>
                <code title={toHex(m.hash)}>{toHex(m.hash).slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Acknowledgements({ list }: { list: coord.recordTypes.Involvement[] }) {
  const { contacted, acknowledged } = ackCounts(list);
  return (
    <>
      <p>
        {acknowledged} of {contacted} contacted part{contacted === 1 ? "y" : "ies"} acknowledged.
      </p>
      {list.length > 0 && (
        <TableWrap label="table of acknowledgements">
          <table>
            <thead>
              <tr>
                <th scope="col">party</th>
                <th scope="col">status</th>
                <th scope="col">first notice</th>
                <th scope="col">acknowledged</th>
              </tr>
            </thead>
            <tbody>
              {list.map((i) => (
                <tr key={i.party}>
                  <td>
                    <span title={i.party}>{i.party.length > 20 ? `${i.party.slice(0, 12)}…${i.party.slice(-6)}` : i.party}</span>
                  </td>
                  <td>{enumLabel(coord.InvolvementStatus, i.status, "INVOLVEMENT_STATUS_")}</td>
                  <td>{i.firstNoticeHeight === 0n ? "—" : `block ${i.firstNoticeHeight}`}</td>
                  <td>{i.ackHeight === 0n ? "not yet" : `block ${i.ackHeight}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}

function Advisory({ d }: { d: coord.queryTypes.QueryDisclosureResponse }) {
  const a = d.disclosure?.advisory;
  return (
    <>
      {a === undefined ? (
        <p>The disclosure has no advisory.</p>
      ) : (
        <article aria-label="advisory" style={{ overflowWrap: "anywhere" }}>
          <h3>{a.title}</h3>
          {a.severity !== "" && <p>severity: {a.severity}</p>}
          <p>{a.summary}</p>
          {a.impact !== "" && <p>impact: {a.impact}</p>}
          {a.affectedVersions !== "" && <p>affected versions: {a.affectedVersions}</p>}
          {a.fix !== "" && <p>fix: {a.fix}</p>}
          {a.recommendations !== "" && <p>recommendations: {a.recommendations}</p>}
          {a.aliases.length > 0 && <p>aliases: {a.aliases.join(", ")}</p>}
          {a.references.length > 0 && (
            <ul aria-label="references">
              {a.references.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </article>
      )}
      {d.mitigations.length > 0 && (
        <>
          <h3>Routes broken citing this case</h3>
          <ul>
            {d.mitigations.map((m, i) => (
              <li key={i} style={{ overflowWrap: "anywhere" }}>
                block {String(m.height)}: <MemberLink address={m.member} /> broke{" "}
                {m.routes.map((r) => (
                  <code key={r}>{r} </code>
                ))}
                {m.reason !== "" && <>— {m.reason}</>}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function Timeline({ entries }: { entries: coord.recordTypes.TimelineEntry[] }) {
  if (entries.length === 0) return <p>The timeline is empty.</p>;
  return (
    <ol style={{ paddingLeft: "1.25rem" }}>
      {entries.map((e) => (
        <li key={e.seq} style={{ marginBottom: "0.35rem", overflowWrap: "anywhere" }}>
          <strong>{e.what.replace(/_/g, " ")}</strong> · block {String(e.height)} · {formatTime(e.time)}
          {e.actor !== "" && (
            <>
              {" "}
              · <MemberLink address={e.actor} />
            </>
          )}
          {e.detail !== "" && (
            <>
              <br />
              <small>{e.detail}</small>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

export function CaseView({ arg }: { arg: string }) {
  const parsed = parseCaseId(arg);
  const id = "id" in parsed ? parsed.id : undefined;
  const { data, error } = useChainQuery((c) => (id === undefined ? Promise.reject(new Error("no case")) : loadCase(c, id)), arg);
  const title = id === undefined ? "Coordination case" : `Case ${id}`;
  if ("error" in parsed) {
    return (
      <View id="case-title" title={title}>
        <p class="error" role="alert">
          {parsed.error}
        </p>
        <p>
          <a href="#/cases">All cases</a>
        </p>
      </View>
    );
  }
  const c = data?.found.case;
  return (
    <View id="case-title" title={title}>
      <p>
        <a href="#/cases">All cases</a>
      </p>
      {error !== undefined && <ChainError error={error} />}
      {data === undefined ? (
        error === undefined && <Loading />
      ) : c === undefined ? (
        <p>The chain returned no case {String(id)}.</p>
      ) : (
        <>
          <Facts c={c} gateOpen={data.found.revealGateOpen} />
          {data.found.revision !== undefined && (
            <p class="banner">
              Pending revision ({enumLabel(coord.RevisionKind, data.found.revision.kind, "REVISION_KIND_")}) proposed by{" "}
              <MemberLink address={data.found.revision.proposer} />, {data.found.revision.approvals.length} approval
              {data.found.revision.approvals.length === 1 ? "" : "s"}: {data.found.revision.reason}
            </p>
          )}
          <h2>Commitments and reveals</h2>
          <Commitments list={data.found.commitments} />
          <h2>Acknowledgements</h2>
          <Acknowledgements list={data.involvements} />
          <h2>Advisory</h2>
          {data.disclosure === undefined ? <p>Not disclosed yet: the advisory is public from the embargo deadline.</p> : <Advisory d={data.disclosure} />}
          <h2>Timeline</h2>
          <Timeline entries={data.timeline} />
        </>
      )}
    </View>
  );
}

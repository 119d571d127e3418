/**
 * Coordination cases (x/coord), newest first, with what is public before disclosure: opener,
 * level (unless sealed), status, phase, embargo deadline, counts of notices and mitigations.
 * `#/cases/<id>` shows one case's page (views/case.tsx).
 */
import { coord, collectPages, type DcertClient } from "@dcert/client";
import { enumLabel } from "../more/logic";
import { ChainError, Loading, MemberLink, TableWrap, View, useChainQuery } from "../more/ui";
import { CaseView, deadlineOf, levelOf } from "./case";

type Case = coord.recordTypes.Case;

export function loadCases(c: DcertClient): Promise<Case[]> {
  return collectPages((k) => c.coord.cases(undefined, k), (r) => r.cases, 100);
}

function CaseList() {
  const { data, error } = useChainQuery(loadCases);
  return (
    <View id="cases-title" title="Coordination cases">
      {error !== undefined && <ChainError error={error} />}
      {data === undefined ? (
        error === undefined && <Loading />
      ) : data.length === 0 ? (
        <p>No coordination case has been opened.</p>
      ) : (
        <TableWrap label="table of cases">
          <table>
            <thead>
              <tr>
                <th scope="col">case</th>
                <th scope="col">opener</th>
                <th scope="col">level</th>
                <th scope="col">status</th>
                <th scope="col">phase</th>
                <th scope="col">deadline</th>
                <th scope="col">notices</th>
                <th scope="col">mitigations</th>
              </tr>
            </thead>
            <tbody>
              {data.map((c) => (
                <tr key={String(c.id)}>
                  <td>
                    <a href={`#/cases/${c.id}`}>case {String(c.id)}</a>
                  </td>
                  <td>
                    <MemberLink address={c.opener} />
                  </td>
                  <td>{levelOf(c)}</td>
                  <td>{enumLabel(coord.CaseStatus, c.status, "CASE_STATUS_")}</td>
                  <td>{enumLabel(coord.Phase, c.phase, "PHASE_")}</td>
                  <td>{deadlineOf(c)}</td>
                  <td>{c.noticeCount}</td>
                  <td>{c.mitigationCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </View>
  );
}

/** `#/cases`: the list; `#/cases/<id>`: one case. */
export function CasesView({ arg }: { arg?: string }) {
  return arg === undefined ? <CaseList /> : <CaseView arg={arg} />;
}

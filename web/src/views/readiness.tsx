/**
 * Upgrade readiness by voting power: how much of the validator set runs a build that holds the
 * scheduled plan's handler (from vote extensions, `dcert.upgrade.v1` Readiness), as a progress bar
 * with the 1/3 and 2/3 lines, and the builds the validators run (Builds). `#/readiness/<plan>` asks
 * about a plan by name instead of the scheduled one.
 */
import type { DcertClient } from "@dcert/client";
import { toHex } from "@cosmjs/encoding";
import { exceeds, formatBps, ratioBps } from "../more/logic";
import { ChainError, Loading, TableWrap, View, useChainQuery } from "../more/ui";

export async function loadReadiness(c: DcertClient, plan: string) {
  const [scheduled, builds] = await Promise.all([c.upgrade.scheduledPlan(), c.upgrade.builds()]);
  const name = plan !== "" ? plan : (scheduled.plan?.name ?? "");
  // Nothing scheduled and no plan named: there is no readiness to ask for (the chain refuses it).
  const readiness = name === "" ? { readiness: undefined, appliedHeight: 0n } : await c.upgrade.readiness(name);
  return { scheduled: scheduled.plan, readiness, tally: builds.tally };
}

function ReadinessBar({ name, ready, total }: { name: string; ready: bigint; total: bigint }) {
  const bps = ratioBps(ready, total);
  const text = `${formatBps(bps)} of voting power ready for ${name}`;
  return (
    <div>
      <div
        role="progressbar"
        aria-label={`readiness of upgrade plan ${name} by voting power`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={bps / 100}
        aria-valuetext={text}
        style={{ position: "relative", height: "1.5rem", background: "#e9ecef", borderRadius: "4px", overflow: "hidden", border: "1px solid #adb5bd" }}
      >
        <div style={{ width: `${bps / 100}%`, height: "100%", background: exceeds(ready, total, 2n, 3n) ? "#2b8a3e" : "#1c7ed6" }} />
        {[1, 2].map((k) => (
          <div key={k} aria-hidden="true" style={{ position: "absolute", top: 0, bottom: 0, left: `${(k * 100) / 3}%`, borderLeft: "2px dashed #212529" }} />
        ))}
      </div>
      <p>
        {text} ({String(ready)} of {String(total)}). Dashed lines: 1/3 and 2/3.
      </p>
    </div>
  );
}

export function ReadinessView({ arg }: { arg?: string }) {
  const plan = arg ?? "";
  const { data, error } = useChainQuery((c) => loadReadiness(c, plan), plan);
  const r = data?.readiness.readiness;
  const name = plan !== "" ? plan : (data?.scheduled?.name ?? "");
  return (
    <View id="readiness-title" title="Upgrade readiness">
      {error !== undefined && <ChainError error={error} />}
      {data === undefined ? (
        error === undefined && <Loading />
      ) : (
        <>
          {data.scheduled === undefined || data.scheduled.name === "" ? (
            <p>No upgrade is scheduled.</p>
          ) : (
            <p>
              Scheduled: <strong>{data.scheduled.name}</strong> at block {String(data.scheduled.height)}
              {data.scheduled.caseId !== 0n && (
                <>
                  {" "}
                  (cites <a href={`#/cases/${data.scheduled.caseId}`}>case {String(data.scheduled.caseId)}</a>)
                </>
              )}
            </p>
          )}
          {data.readiness.appliedHeight !== 0n ? (
            <p>
              Plan {name} was applied at block {String(data.readiness.appliedHeight)}.
            </p>
          ) : r === undefined ? (
            name !== "" && <p>No readiness tally for {name} yet (vote extensions not counted yet).</p>
          ) : (
            <>
              <ReadinessBar name={r.planName} ready={r.readyPower} total={r.totalPower} />
              <p>
                Tallied at block {String(r.height)}; above 1/3 {r.oneThirdHeight === 0n ? "not yet" : `since block ${r.oneThirdHeight}`}; above 2/3{" "}
                {r.twoThirdsHeight === 0n ? "not yet" : `since block ${r.twoThirdsHeight}`}.
              </p>
            </>
          )}
          <h2>Builds the validators run</h2>
          {data.tally === undefined || data.tally.builds.length === 0 ? (
            <p>No build tally yet.</p>
          ) : (
            <>
              <p>
                Block {String(data.tally.height)}; unknown or absent: {formatBps(ratioBps(data.tally.unknownPower, data.tally.totalPower))} of voting power.
              </p>
              <TableWrap label="table of builds">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">version</th>
                      <th scope="col">build</th>
                      <th scope="col">handlers</th>
                      <th scope="col">power</th>
                      <th scope="col">validators</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.tally.builds.map((b) => {
                      const hex = toHex(b.buildHash);
                      return (
                        <tr key={hex}>
                          <td>{b.appVersion}</td>
                          <td>
                            <code title={hex}>{hex.slice(0, 8)}…</code>
                          </td>
                          <td>{b.upgradeHandlers.length === 0 ? "none" : b.upgradeHandlers.join(", ")}</td>
                          <td>{formatBps(ratioBps(b.power, data.tally?.totalPower ?? 0n))}</td>
                          <td>{b.validators}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </TableWrap>
            </>
          )}
        </>
      )}
    </View>
  );
}

/**
 * The stabilization queue: each challenger, the member it replaces and a countdown to maturity, in
 * blocks and an estimate of time (the average block time over the last blocks, read from headers).
 */
import { formatCountdown } from "../format";
import { AddressLink, Show, useChain, View } from "./common";
import { averageBlockSeconds } from "./election";

/** Blocks over which the block time is averaged. */
const SPAN = 20;

export function QueueView() {
  const loaded = useChain(async (c, h) => {
    const [entries, params] = await Promise.all([c.getStabilizationQueue(), c.getDcertParams()]);
    let blockSeconds: number | undefined;
    const span = Math.min(SPAN, h - 1);
    if (entries.length > 0 && span >= 1) {
      const [later, earlier] = await Promise.all([c.getBlock(h), c.getBlock(h - span)]);
      blockSeconds = averageBlockSeconds(earlier.header.time, later.header.time, span);
    }
    return { entries, params, blockSeconds, height: BigInt(h) };
  });
  return (
    <View id="queue" title="Stabilization queue">
      <Show loaded={loaded}>
        {({ entries, params, blockSeconds, height }) => (
          <>
            <p>
              A challenger that outranks a member waits {String(params.stabilizationPeriod)} blocks; it takes the seat at maturity if it still outranks the member then.
              {blockSeconds !== undefined && ` Blocks take about ${blockSeconds.toFixed(1)} s (average of recent blocks).`}
            </p>
            {entries.length === 0 ? (
              <p>The queue is empty.</p>
            ) : (
              <div class="table-scroll" role="region" aria-label="queue table" tabIndex={0}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">challenger</th>
                      <th scope="col">replaces</th>
                      <th scope="col">matures at</th>
                      <th scope="col">countdown</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((e) => (
                      <tr key={`${e.challenger}|${e.replaces}`}>
                        <td>
                          <AddressLink address={e.challenger} />
                        </td>
                        <td>
                          <AddressLink address={e.replaces} />
                        </td>
                        <td class="num">{String(e.maturesAt)}</td>
                        <td>{formatCountdown(e.maturesAt, height, blockSeconds)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Show>
    </View>
  );
}

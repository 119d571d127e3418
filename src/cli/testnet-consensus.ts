/**
 * Whether a local testnet's consensus looks stalled, for `dcertd testnet status`: each answering
 * node goes through `dcertd status`'s stall rule (status.ts `consensusVerdict`: the latest block
 * older than `--stall-after` seconds by this machine's clock and not catching up), and the network
 * is called stalled when every reachable node is. A client-side check, never block execution.
 */
import type { NodeStatus } from "../localnet/testnet";
import { consensusVerdict, type ConsensusVerdict } from "./status";

export interface NodeConsensus extends ConsensusVerdict {
  readonly name: string;
  /** The node answered its RPC `/status`. */
  readonly reachable: boolean;
}

export interface TestnetConsensus {
  readonly nodes: readonly NodeConsensus[];
  /** Every reachable node (at least one) is stalled. */
  readonly stalled: boolean;
  /** Whole seconds since the newest block any reachable node has; null when none has one. */
  readonly seconds_since_block: number | null;
  readonly reachable: number;
  readonly validators: number;
  readonly stall_after: number;
}

/** The verdict for `statuses` (from `testnetStatus`) at local time `nowMs`. */
export function testnetConsensus(statuses: readonly NodeStatus[], nowMs: number, stallAfterS: number): TestnetConsensus {
  const nodes = statuses.map((s): NodeConsensus => {
    if (s.height === undefined) return { name: s.name, reachable: false, stalled: false, seconds_since_block: null };
    const v = consensusVerdict(String(s.height), s.latestBlockTime ?? "", s.catchingUp === true, nowMs, stallAfterS);
    return { name: s.name, reachable: true, ...v };
  });
  const up = nodes.filter((n) => n.reachable);
  const ages = up.map((n) => n.seconds_since_block).filter((a): a is number => a !== null);
  return {
    nodes,
    stalled: up.length > 0 && up.every((n) => n.stalled),
    seconds_since_block: ages.length === 0 ? null : Math.min(...ages),
    reachable: up.length,
    validators: statuses.length,
    stall_after: stallAfterS,
  };
}

/** The "last block" cell of one node in the status table. */
export function lastBlockCell(n: NodeConsensus): string {
  if (!n.reachable || n.seconds_since_block === null) return "-";
  return n.stalled ? `STALLED ${n.seconds_since_block} s` : `${n.seconds_since_block} s ago`;
}

/** The lines under the table: one per stalled node, then the summary when the whole network is. */
export function consensusLines(c: TestnetConsensus): string[] {
  const lines = c.nodes
    .filter((n) => n.stalled)
    .map((n) => `${n.name}: consensus stalled for ${n.seconds_since_block ?? 0} s (no new block for longer than ${c.stall_after} s)`);
  if (c.stalled) {
    lines.push(`consensus stalled: no block for ${c.seconds_since_block ?? 0} s; ${c.reachable} of ${c.validators} validators reachable`);
    lines.push("blocks need more than 2/3 of the voting power: start the stopped nodes (dcertd testnet start) and check each node's cometbft.log");
  }
  return lines;
}

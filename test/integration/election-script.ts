/**
 * A short block script shared by the tests that run two chains side by side and compare them
 * (FinalizeBlock repeated before Commit, optimistic execution): candidates bond and accept, a
 * stake-weighted vote seats two of them, a second vote moves a seat, sends around it.
 */
import type { ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { msgSend } from "../helpers/txs";
import { type DcertEnv, m, ONE } from "./dcert-harness";

export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** What two chains must agree on for a block: app hash, tx results, block events, validator updates. */
export function summary(res: ResponseFinalizeBlock): unknown {
  return {
    appHash: hex(res.appHash),
    txs: res.txResults.map((r) => ({ code: r.code, codespace: r.codespace, log: r.log, gasUsed: r.gasUsed, data: hex(r.data), events: r.events })),
    events: res.events,
    validatorUpdates: res.validatorUpdates,
  };
}

export const BALANCES = [10n ** 15n, 10n ** 13n, 10n ** 13n, 10n ** 13n, 10n ** 13n];
export const PARAMS = { max_members: 2, stabilization_period: "0", min_member_bond: { denom: "udcert", amount: "1000" } };

/**
 * The txs of step `step` (0 …) for `env`, signed now: account 0 votes (it holds the stake),
 * accounts 1–3 are candidates, account 4 sends. After step 2, accounts 1 and 3 hold the seats.
 */
export async function electionScript(env: DcertEnv, step: number): Promise<Uint8Array[]> {
  const [op, c1, c2, c3, voter] = [0, 1, 2, 3, 4].map((i) => env.acct(i));
  if (op === undefined || c1 === undefined || c2 === undefined || c3 === undefined || voter === undefined) throw new Error("accounts");
  switch (step) {
    case 0:
      return [
        await env.sign(c1, [m.bond(c1.address, c1.address, 5000n), m.accept(c1.address)]),
        await env.sign(c2, [m.bond(c2.address, c2.address, 5000n), m.accept(c2.address)]),
        await env.sign(c3, [m.bond(c3.address, c3.address, 5000n), m.accept(c3.address)]),
      ];
    case 1:
      return [
        await env.sign(op, [m.vote(op.address, [[c1.address, ONE / 2n], [c2.address, ONE / 4n], [c3.address, ONE / 4n]])]),
        await env.sign(voter, [msgSend(voter.address, c1.address, 1234)]),
      ];
    case 2:
      // c3 overtakes c2: a seat changes hands in EndBlock.
      return [await env.sign(op, [m.vote(op.address, [[c1.address, ONE / 4n], [c3.address, ONE / 2n]])])];
    default:
      return [await env.sign(voter, [msgSend(voter.address, c2.address, 99)])];
  }
}

/** The outcome of a transaction as every action shows it, and the hook that runs one. */
import { useState } from "preact/hooks";
import type { DeliverTxResponse } from "@cosmjs/stargate";
import type { SigningDcertClient } from "@dcert/client";
import type { ShownError } from "./errors";
import { sendTx, wallet, type TxOutcome } from "./index";
import "./actions.css";

export type TxState = { readonly phase: "idle" } | { readonly phase: "pending" } | ({ readonly phase: "done" } & TxOutcome);

/** Runs one transaction at a time: `run(send)` signs, sends and waits for its block. */
export function useTx(): { state: TxState; busy: boolean; run: (send: (c: SigningDcertClient, address: string) => Promise<DeliverTxResponse>) => Promise<TxOutcome> } {
  const [state, setState] = useState<TxState>({ phase: "idle" });
  const run = async (send: (c: SigningDcertClient, address: string) => Promise<DeliverTxResponse>): Promise<TxOutcome> => {
    setState({ phase: "pending" });
    const outcome = await sendTx(send);
    setState({ phase: "done", ...outcome });
    return outcome;
  };
  return { state, busy: state.phase === "pending", run };
}

/** A chain error: its registered code, what it means, the chain's detail and what to do. */
export function ErrorBox({ error }: { error: ShownError }) {
  return (
    <div class="error" role="alert">
      <strong>
        {error.id !== undefined ? <code>{error.id}</code> : null} {error.description}
      </strong>
      <p class="detail">{error.detail}</p>
      <p>What to do: {error.hint}</p>
    </div>
  );
}

/** Waiting, success with the block height, or the error. */
export function TxStatus({ state }: { state: TxState }) {
  if (state.phase === "idle") return null;
  if (state.phase === "pending") return <p aria-live="polite">Signing and waiting for the block …</p>;
  if (state.ok) {
    return (
      <p class="success" role="status">
        Included at height {state.height} (tx <code>{state.hash.slice(0, 12)}…</code>).
      </p>
    );
  }
  return <ErrorBox error={state.error} />;
}

/** Shown instead of an action when no wallet is connected. */
export function NeedWallet() {
  if (wallet.value !== undefined) return null;
  return (
    <p class="banner">
      No wallet connected: <a href="#/wallet">connect one</a> to sign.
    </p>
  );
}

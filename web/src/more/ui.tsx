/** Shared pieces of the broken-routes, governance, cases and readiness views. */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { DcertClient } from "@dcert/client";
import { client, height } from "../chain";
import { describeError } from "./logic";

export interface Loaded<T> {
  readonly data?: T;
  readonly error?: unknown;
}

/**
 * Runs `load` with the connected client, again at every new block (`height`) and when `key`
 * changes; keeps the last data while a re-read is in flight, and drops answers that arrive after
 * a newer read started.
 */
export function useChainQuery<T>(load: (c: DcertClient) => Promise<T>, key = ""): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({});
  const h = height.value;
  const c = client.value;
  useEffect(() => {
    if (c === undefined) return;
    let live = true;
    load(c).then(
      (data) => live && setState({ data }),
      (error: unknown) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render: the inputs that matter are the block, client and key.
  }, [h, c, key]);
  useEffect(() => setState({}), [key]);
  return state;
}

/** A chain error: role="alert", class "error", the registered code and what to do. */
export function ChainError({ error }: { error: unknown }) {
  const e = describeError(error);
  return (
    <div class="error" role="alert">
      {e.code !== undefined && <strong>{e.code}</strong>} {e.message}
      <br />
      <small>{e.hint}</small>
    </div>
  );
}

export function Loading() {
  return <p>Loading …</p>;
}

/** A view's root: a section labelled by its h1. */
export function View({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id}>
      <h1 id={id}>{title}</h1>
      {children}
    </section>
  );
}

/** An address, shortened for narrow screens, linking to the member's page; the full address in the title. */
export function MemberLink({ address }: { address: string }) {
  if (address === "") return <span>—</span>;
  return (
    <a href={`#/member/${encodeURIComponent(address)}`} title={address} class="addr">
      {address.length > 20 ? `${address.slice(0, 12)}…${address.slice(-6)}` : address}
    </a>
  );
}

/** A scroll container so wide tables stay usable on a 375 px screen (focusable for keyboard scrolling). */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0} style={{ overflowX: "auto" }}>
      {children}
    </div>
  );
}

/** A protobuf Timestamp as an ISO date-time (UTC), or "—". */
export function formatTime(t: { seconds: bigint; nanos: number } | undefined): string {
  if (t === undefined || t.seconds === 0n) return "—";
  return new Date(Number(t.seconds) * 1000).toISOString().replace(/\.000Z$/, "Z").replace("T", " ");
}

/** What the views share: reading the chain again at each new block, errors, loading, address links. */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { DcertClient } from "@dcert/client";
import { client, height } from "../chain";
import { describeError, shortAddress } from "../format";
import "./views.css";

export interface Loaded<T> {
  readonly data?: T;
  readonly error?: unknown;
}

/**
 * Runs `load` with the client now and again at each new height (`deps` also re-run it). The last
 * data stays shown while the next read is under way; answers arriving out of order are dropped.
 */
export function useChain<T>(load: (c: DcertClient, height: number) => Promise<T>, deps: readonly unknown[] = []): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({});
  const seq = useRef(0);
  const c = client.value;
  const h = height.value;
  useEffect(() => {
    if (c === undefined) return;
    const mine = ++seq.current;
    load(c, h).then(
      (data) => {
        if (mine === seq.current) setState({ data });
      },
      (error: unknown) => {
        if (mine === seq.current) setState((s) => ({ ...s, error }));
      },
    );
  }, [c, h, ...deps]);
  return state;
}

/** A chain error: the registered code ("codespace:code") when known, the message and what to do. */
export function ChainErrorBox({ error }: { error: unknown }) {
  const d = describeError(error);
  return (
    <div class="error" role="alert">
      {d.code !== undefined && <code class="error-code">{d.code}</code>} {d.message}
      <p class="hint">{d.hint}</p>
    </div>
  );
}

export function Loading() {
  return <p aria-busy="true">Loading …</p>;
}

/** A view's root: a section labelled by its h1. */
export function View({ id, title, children }: { id: string; title: ComponentChildren; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${id}-title`} class="view">
      <h1 id={`${id}-title`}>{title}</h1>
      {children}
    </section>
  );
}

/** A link to an address's member page, shortened on screen (the full address is its title and, for screen readers, its text). */
export function AddressLink({ address }: { address: string }) {
  if (address === "") return <span>—</span>;
  return (
    <a href={`#/member/${encodeURIComponent(address)}`} title={address} class="address">
      <span aria-hidden="true">{shortAddress(address)}</span>
      <span class="sr-only">{address}</span>
    </a>
  );
}

/** Error first, then loading, else the body with the data. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  return (
    <>
      {loaded.error !== undefined && <ChainErrorBox error={loaded.error} />}
      {loaded.data === undefined ? loaded.error === undefined && <Loading /> : children(loaded.data)}
    </>
  );
}

/**
 * The delegator's split vote: one row per member and candidate with a slider and an exact
 * percentage (the total can never exceed 100%), an even split, a preview of the tallies after the
 * vote (an estimate from the current tallies and the voter's stake), then "Sign and send vote".
 */
import { useEffect, useState } from "preact/hooks";
import { client, height } from "../chain";
import { evenSplit, percentToShare, previewTallies, redistribute, remaining, setShare, shareToPercent, total, voteEntries } from "../split";
import { wallet } from "../wallet";
import { NeedWallet, TxStatus, useTx } from "../wallet/ui";

interface Data {
  /** Members first (best first), then candidates (ranked), then anyone else the vote names. */
  readonly rows: readonly { readonly address: string; readonly tally: bigint; readonly role: "member" | "candidate" | "other" }[];
  /** The voter's current vote, candidate → share. */
  readonly before: ReadonlyMap<string, bigint>;
  /** The voter's bonded stake (sum of its delegations). */
  readonly power: bigint;
  readonly maxEntries: number;
  readonly denom: string;
}

async function load(voter: string): Promise<Data> {
  const c = client.value;
  if (c === undefined) throw new Error("not connected to a node");
  const [group, candidates, vote, delegations, params] = await Promise.all([c.getGroup(), c.getCandidates(), c.getVote(voter), c.getDelegations(voter), c.getDcertParams()]);
  const rows: { address: string; tally: bigint; role: "member" | "candidate" | "other" }[] = [
    ...group.members.map((m) => ({ address: m.address, tally: BigInt(m.tally || "0"), role: "member" as const })),
    ...candidates.map((x) => ({ address: x.address, tally: BigInt(x.tally || "0"), role: "candidate" as const })),
  ];
  const before = new Map((vote?.entries ?? []).map((e) => [e.candidate, BigInt(e.share)] as const));
  for (const candidate of before.keys()) if (!rows.some((r) => r.address === candidate)) rows.push({ address: candidate, tally: 0n, role: "other" });
  const power = delegations.reduce((s, d) => s + BigInt(d.balance?.amount ?? "0"), 0n);
  return { rows, before, power, maxEntries: params.maxVoteEntries, denom: params.minMemberBond?.denom ?? "" };
}

const pct = (s: bigint) => `${shareToPercent(s, 2)}%`;

export function VoteView() {
  const w = wallet.value;
  const h = height.value;
  const [data, setData] = useState<Data | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  /** The edited split, candidate → share (by address: rows reorder as tallies change). */
  const [edit, setEdit] = useState<ReadonlyMap<string, bigint> | undefined>();
  const tx = useTx();

  useEffect(() => {
    if (w === undefined || client.value === undefined) return;
    load(w.address).then(setData, (e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  }, [w?.address, h, client.value]);

  // the editor starts from the vote as counted (again after a vote is included)
  useEffect(() => {
    if (data === undefined) return;
    if (edit === undefined) setEdit(new Map(data.before));
  }, [data]);

  if (w === undefined) {
    return (
      <section aria-labelledby="vote-title">
        <h1 id="vote-title">Vote</h1>
        <NeedWallet />
      </section>
    );
  }
  if (loadError !== undefined) {
    return (
      <section aria-labelledby="vote-title">
        <h1 id="vote-title">Vote</h1>
        <p class="error" role="alert">
          {loadError}
        </p>
      </section>
    );
  }
  if (data === undefined || edit === undefined) return <p>Loading …</p>;

  const rows = data.rows;
  const shares = rows.map((r) => edit.get(r.address) ?? 0n);
  const setShares = (next: readonly bigint[]) => setEdit(new Map(rows.map((r, i) => [r.address, next[i] ?? 0n] as const)));
  const after = new Map(rows.map((r, i) => [r.address, shares[i] ?? 0n] as const));
  const tallies = new Map(rows.map((r) => [r.address, r.tally] as const));
  const preview = previewTallies(tallies, data.power, data.before, after);
  const sum = total(shares);
  const entries = voteEntries(rows.map((r, i) => ({ candidate: r.address, share: shares[i] ?? 0n })));
  const tooMany = data.maxEntries > 0 && entries.length > data.maxEntries;

  const update = (i: number, v: bigint | undefined) => v !== undefined && setShares(setShare(shares, i, v));
  const even = () => {
    const chosen = shares.map((s, i) => (s > 0n ? i : -1)).filter((i) => i >= 0);
    const idx = chosen.length > 0 ? chosen : rows.map((_, i) => i);
    const split = evenSplit(idx.length);
    setShares(rows.map((_, i) => (idx.includes(i) ? (split[idx.indexOf(i)] ?? 0n) : 0n)));
  };
  const rest = () => {
    const chosen = shares.map((s, i) => (s > 0n ? i : -1)).filter((i) => i >= 0);
    if (chosen.length === 0) return even();
    const filled = redistribute(chosen.map((i) => shares[i] ?? 0n));
    setShares(shares.map((s, i) => (chosen.includes(i) ? (filled[chosen.indexOf(i)] ?? s) : s)));
  };
  // once included, the vote counted is the one edited: the editor keeps it
  const send = () => void tx.run((c, address) => c.vote(address, entries, "auto"));

  return (
    <section aria-labelledby="vote-title">
      <h1 id="vote-title">Vote</h1>
      <p>
        Your stake: <strong>{data.power.toString()}</strong> {data.denom}. Give each member or candidate a share of it; the shares add up to at most 100%.
        {data.power === 0n ? " You have no bonded stake: your vote would count nothing until you delegate." : ""}
      </p>
      <p aria-live="polite">
        Total: <strong>{pct(sum)}</strong>, free: {pct(remaining(shares))}
        {tooMany ? ` — at most ${data.maxEntries} entries: remove some` : ""}
      </p>
      <div class="row">
        <button type="button" onClick={even}>
          Even split
        </button>
        <button type="button" onClick={rest} disabled={sum >= 10n ** 18n}>
          Share the rest evenly
        </button>
        <button type="button" onClick={() => setShares(shares.map(() => 0n))}>
          Clear
        </button>
      </div>
      {rows.length === 0 ? <p>No members or candidates yet.</p> : null}
      <SplitBar rows={rows.map((r, i) => ({ address: r.address, share: shares[i] ?? 0n }))} />
      <table class="split">
        <thead>
          <tr>
            <th scope="col">member or candidate</th>
            <th scope="col">share</th>
            <th scope="col">percent</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const s = shares[i] ?? 0n;
            const room = s + remaining(shares);
            return (
              <tr key={r.address}>
                <td>
                  <a class="addr" href={`#/member/${encodeURIComponent(r.address)}`}>
                    {r.address}
                  </a>{" "}
                  <small>({r.role})</small>
                </td>
                <td>
                  <input
                    type="range"
                    min="0"
                    max={shareToPercent(room, 2)}
                    step="0.01"
                    value={shareToPercent(s, 2)}
                    aria-label={`share for ${r.address}`}
                    onInput={(e) => update(i, percentToShare((e.target as HTMLInputElement).value))}
                  />
                </td>
                <td>
                  <PercentInput share={s} label={`percent for ${r.address}`} onShare={(v) => update(i, v)} />
                  %
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>Preview</h2>
      <p>
        <em>An estimate</em>: each tally moves by your stake times your new minus your old share. The chain counts the stake you have when the block ends.
      </p>
      <table class="preview">
        <thead>
          <tr>
            <th scope="col">member or candidate</th>
            <th scope="col">tally now</th>
            <th scope="col">after your vote (change)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const next = preview.get(r.address) ?? 0n;
            const d = next - r.tally;
            return (
              <tr key={r.address}>
                <td class="addr">{r.address}</td>
                <td>{r.tally.toString()}</td>
                <td>
                  {next.toString()} ({d > 0n ? `+${d}` : d.toString()})
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div class="row">
        <button type="button" class="primary" disabled={tx.busy || tooMany} onClick={send}>
          Sign and send vote
        </button>
      </div>
      <TxStatus state={tx.state} />
    </section>
  );
}

/**
 * An exact percentage: applied as it is typed (so a click right after typing sends what is shown),
 * while the text being typed stays as typed ("12." is not rewritten); on leaving, it shows the
 * share kept (capped so the total stays within 100%).
 */
function PercentInput({ share, label, onShare }: { share: bigint; label: string; onShare: (v: bigint) => void }) {
  const [draft, setDraft] = useState<string | undefined>();
  const parsed = draft === undefined ? share : percentToShare(draft);
  return (
    <input
      type="text"
      inputMode="decimal"
      class="pct"
      value={draft ?? shareToPercent(share)}
      aria-label={label}
      aria-invalid={parsed === undefined || parsed !== share}
      onInput={(e) => {
        const text = (e.target as HTMLInputElement).value;
        setDraft(text);
        const v = percentToShare(text === "" ? "0" : text);
        if (v !== undefined) onShare(v);
      }}
      onBlur={() => setDraft(undefined)}
    />
  );
}

const COLORS = ["#1c7ed6", "#f08c00", "#37b24d", "#ae3ec9", "#e03131", "#0c8599", "#5c940d", "#d6336c"];

/** The split as one stacked bar (the free part left blank); the table says the same in text. */
function SplitBar({ rows }: { rows: readonly { readonly address: string; readonly share: bigint }[] }) {
  const parts = rows.filter((r) => r.share > 0n);
  const label = parts.length === 0 ? "no shares given" : parts.map((p) => `${p.address.slice(0, 12)}… ${pct(p.share)}`).join(", ");
  return (
    <div class="splitbar" role="img" aria-label={`your split: ${label}`}>
      {parts.map((p, i) => (
        <span key={p.address} style={{ width: `${shareToPercent(p.share, 4)}%`, background: COLORS[i % COLORS.length] }} title={`${p.address}: ${pct(p.share)}`} />
      ))}
    </div>
  );
}

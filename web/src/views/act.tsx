/**
 * The actions of candidates (accept admission, bond) and members (break a route after a
 * confirmation naming the messages that stop working, vote to suspend, edit the description),
 * signed with the connected wallet.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { dcertRegistryTypes } from "@dcert/client";
import { client, height } from "../chain";
import { wallet } from "../wallet";
import { coveredBy, normalizeRoute, splitRoutes } from "../wallet/routes";
import { NeedWallet, TxStatus, useTx } from "../wallet/ui";

type Client = NonNullable<typeof client.value>;
type Status = Awaited<ReturnType<Client["getMemberStatus"]>>;
type Group = Awaited<ReturnType<Client["getGroup"]>>;
type Params = Awaited<ReturnType<Client["getDcertParams"]>>;

interface Data {
  readonly status: Status;
  readonly group: Group;
  readonly params: Params;
}

const KNOWN_TYPE_URLS: readonly string[] = dcertRegistryTypes.map(([t]) => t);

export function ActView() {
  const w = wallet.value;
  const h = height.value;
  const [data, setData] = useState<Data | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  useEffect(() => {
    const c = client.value;
    if (w === undefined || c === undefined) return;
    Promise.all([c.getMemberStatus(w.address), c.getGroup(), c.getDcertParams()]).then(
      ([status, group, params]) => setData({ status, group, params }),
      (e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)),
    );
  }, [w?.address, h, client.value]);

  const body =
    w === undefined ? (
      <NeedWallet />
    ) : loadError !== undefined ? (
      <p class="error" role="alert">
        {loadError}
      </p>
    ) : data === undefined ? (
      <p>Loading …</p>
    ) : (
      <>
        <StatusLine data={data} />
        <CandidateActions data={data} />
        {data.status.isMember ? <MemberActions data={data} me={w.address} /> : <p>The member actions (break a route, vote to suspend, edit the description) appear once you hold a seat.</p>}
      </>
    );
  return (
    <section aria-labelledby="act-title">
      <h1 id="act-title">Act</h1>
      {body}
    </section>
  );
}

function StatusLine({ data }: { data: Data }) {
  const s = data.status;
  const facts = [
    s.isMember ? `member (sequence ${s.sequence})` : s.accepted ? "candidate (accepted admission)" : "not a candidate",
    s.eligible ? "eligible" : "not eligible",
    s.suspended ? "suspended" : "",
    s.barred ? "barred by governance" : "",
    `bonded for you: ${s.bond || "0"} ${data.params.minMemberBond?.denom ?? ""} (minimum ${data.params.minMemberBond?.amount ?? "?"})`,
    `tally ${s.tally || "0"}`,
  ].filter((f) => f !== "");
  return <p role="status">You: {facts.join(" · ")}</p>;
}

function CandidateActions({ data }: { data: Data }) {
  const accept = useTx();
  const bond = useTx();
  const denom = data.params.minMemberBond?.denom ?? "";
  const [amount, setAmount] = useState<string>(data.params.minMemberBond?.amount ?? "");
  const [forWhom, setForWhom] = useState<string>("");
  const validAmount = /^[0-9]+$/.test(amount.trim()) && BigInt(amount.trim()) > 0n;
  const bonded = BigInt(data.status.bond || "0");
  const min = BigInt(data.params.minMemberBond?.amount ?? "0");
  return (
    <>
      <h2>Candidate</h2>
      <p>
        To stand for a seat: first bond at least the minimum member bond ({min.toString()} {denom}; anyone may bond for you), then accept admission. Delegators' votes then
        decide who sits.
      </p>
      <h3>1. Bond</h3>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (validAmount) void bond.run((c, me) => c.bond(me, forWhom.trim() === "" ? me : forWhom.trim(), { denom, amount: amount.trim() }, "auto"));
        }}
      >
        <label>
          Amount to bond ({denom}, base units)
          <input type="text" inputMode="numeric" value={amount} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} aria-invalid={!validAmount} />
        </label>
        <label>
          For (empty: yourself)
          <input type="text" value={forWhom} placeholder="dcert1…" onInput={(e) => setForWhom((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={bond.busy || !validAmount}>
          Bond
        </button>
      </form>
      <TxStatus state={bond.state} />
      <h3>2. Accept admission</h3>
      {bonded < min ? (
        <p>
          Bonded for you: {bonded.toString()} {denom}: bond {(min - bonded).toString()} {denom} more first, or the chain refuses (dcert:3).
        </p>
      ) : null}
      <div class="row">
        <button type="button" disabled={accept.busy || data.status.accepted} onClick={() => void accept.run((c, me) => c.acceptAdmission(me, "auto"))}>
          Accept admission
        </button>
        {data.status.accepted ? <span>already accepted</span> : null}
      </div>
      <TxStatus state={accept.state} />
    </>
  );
}

function MemberActions({ data, me }: { data: Data; me: string }) {
  return (
    <>
      <h2>Member</h2>
      {data.group.disbandPending ? <p class="banner">A disband proposal is pending: the group's actions are frozen until it concludes.</p> : null}
      <BreakRoute enabled={data.params.circuitBreakEnabled} />
      <Suspend others={data.group.members.map((m) => m.address).filter((a) => a !== me)} />
      <Describe data={data} />
    </>
  );
}

function BreakRoute({ enabled }: { enabled: boolean }) {
  const tx = useTx();
  const [text, setText] = useState("");
  const [reason, setReason] = useState("");
  const [caseId, setCaseId] = useState("");
  const dialog = useRef<HTMLDialogElement>(null);
  const parsed = splitRoutes(text).map((r) => ({ input: r, ...normalizeRoute(r) }));
  const bad = parsed.filter((p) => "error" in p);
  const routes = parsed.flatMap((p) => ("route" in p ? [p.route] : []));
  const validCase = caseId.trim() === "" || /^[0-9]+$/.test(caseId.trim());
  const ready = routes.length > 0 && bad.length === 0 && reason.trim() !== "" && validCase;
  const send = () => {
    dialog.current?.close();
    void tx.run((c, me) => c.circuitBreak(me, routes, reason.trim(), "auto", "", caseId.trim() === "" ? 0n : BigInt(caseId.trim())));
  };
  return (
    <div>
      <h3>Break a route</h3>
      {enabled ? null : <p class="banner">Circuit breaking is disabled by the params: the chain will refuse.</p>}
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) dialog.current?.showModal();
        }}
      >
        <label>
          Routes (type URLs like /cosmos.bank.v1beta1.MsgSend, or a package like /cosmos.bank.v1beta1.*)
          <textarea rows={2} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} aria-invalid={bad.length > 0} />
        </label>
        {bad.map((b) => (
          <p key={b.input} class="invalid">
            {b.input} {"error" in b ? b.error : ""}
          </p>
        ))}
        <label>
          Reason
          <input type="text" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Coordination case it mitigates (optional)
          <input type="text" inputMode="numeric" value={caseId} onInput={(e) => setCaseId((e.target as HTMLInputElement).value)} aria-invalid={!validCase} />
        </label>
        <button type="submit" disabled={tx.busy || !ready}>
          Break route
        </button>
      </form>
      <dialog ref={dialog} aria-labelledby="break-confirm-title">
        <h4 id="break-confirm-title">Break {routes.length === 1 ? "this route" : "these routes"}?</h4>
        {routes.map((r) => {
          const stops = coveredBy(r, KNOWN_TYPE_URLS);
          return (
            <div key={r}>
              <p>
                <code>{r}</code>: {stops.length === 0 ? "no message this app knows (the chain refuses a route it does not know)" : "these messages stop working for everyone until governance restores them:"}
              </p>
              {stops.length > 0 ? (
                <ul class="stops">
                  {stops.map((t) => (
                    <li key={t}>
                      <code>{t}</code>
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          );
        })}
        <p>Reason: {reason.trim()}</p>
        <div class="row">
          <button type="button" class="danger" onClick={send}>
            Confirm: break
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
      <TxStatus state={tx.state} />
    </div>
  );
}

function Suspend({ others }: { others: readonly string[] }) {
  const tx = useTx();
  const [target, setTarget] = useState(others[0] ?? "");
  const [reason, setReason] = useState("");
  const chosen = others.includes(target) ? target : (others[0] ?? "");
  return (
    <div>
      <h3>Vote to suspend a member</h3>
      {others.length === 0 ? (
        <p>No other member to suspend.</p>
      ) : (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim() !== "") void tx.run((c, me) => c.voteSuspend(me, chosen, reason.trim(), "auto"));
          }}
        >
          <label>
            Member
            <select value={chosen} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
              {others.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reason
            <input type="text" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" disabled={tx.busy || reason.trim() === ""}>
            Vote to suspend
          </button>
        </form>
      )}
      <TxStatus state={tx.state} />
    </div>
  );
}

const FIELDS = [
  ["name", "Name"],
  ["details", "Details"],
  ["website", "Website"],
  ["securityContact", "Security contact"],
] as const;

function Describe({ data }: { data: Data }) {
  const tx = useTx();
  const d = data.group.description;
  const [desc, setDesc] = useState({ name: d?.name ?? "", details: d?.details ?? "", website: d?.website ?? "", securityContact: d?.securityContact ?? "" });
  return (
    <div>
      <h3>Edit the group's description</h3>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void tx.run((c, me) => c.updateDescription(me, desc, "auto"));
        }}
      >
        {FIELDS.map(([key, label]) => (
          <label key={key}>
            {label}
            <input type="text" value={desc[key]} onInput={(e) => setDesc({ ...desc, [key]: (e.target as HTMLInputElement).value })} />
          </label>
        ))}
        <button type="submit" disabled={tx.busy}>
          Edit description
        </button>
      </form>
      <TxStatus state={tx.state} />
    </div>
  );
}

/** Connecting a wallet: Keplr, Leap, or the development wallet (devnet only). */
import { useState } from "preact/hooks";
import { client, config } from "../chain";
import { shownErrorOf, type ShownError } from "../errors";
import { connectDev, connectExtension, disconnect, hasExtension, wallet } from "../wallet";
import { ErrorBox } from "../wallet/ui";

export function WalletView() {
  const cfg = config.value;
  const devAccounts = cfg?.devAccounts ?? [];
  const [dev, setDev] = useState<string>(devAccounts[0]?.name ?? "");
  const [error, setError] = useState<ShownError | undefined>();
  const [busy, setBusy] = useState(false);
  const w = wallet.value;

  const attempt = async (f: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await f();
    } catch (e) {
      setError(shownErrorOf(e));
    } finally {
      setBusy(false);
    }
  };
  const chainId = async (): Promise<string> => cfg?.chainId ?? (await client.value?.getChainId()) ?? "";

  return (
    <section aria-labelledby="wallet-title">
      <h1 id="wallet-title">Wallet</h1>
      {w !== undefined ? (
        <p role="status">
          Connected ({w.kind === "dev" ? `development wallet: ${w.name ?? ""}` : w.kind === "keplr" ? "Keplr" : "Leap"}): <code class="addr">{w.address}</code>{" "}
          <button type="button" onClick={disconnect}>
            Disconnect
          </button>
        </p>
      ) : (
        <p>No wallet connected.</p>
      )}
      <h2>Browser wallet</h2>
      <p>Keplr and Leap are asked to add this chain first (they show its details before you agree).</p>
      <div class="row">
        {(["keplr", "leap"] as const).map((kind) => (
          <button key={kind} type="button" disabled={busy} onClick={() => void attempt(async () => connectExtension(kind, await chainId()))}>
            Connect {kind === "keplr" ? "Keplr" : "Leap"}
            {hasExtension(kind) ? "" : " (not installed)"}
          </button>
        ))}
      </div>
      {devAccounts.length > 0 ? (
        <div class="devwallet">
          <h2>
            <span class="badge">development wallet — devnet only</span>
          </h2>
          <p>Test accounts whose mnemonics the devnet publishes: never use them for real funds.</p>
          <div class="row">
            <label>
              Account{" "}
              <select aria-label="development account" value={dev} onChange={(e) => setDev((e.target as HTMLSelectElement).value)}>
                {devAccounts.map((a) => (
                  <option key={a.name} value={a.name}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void attempt(async () => {
                  const a = devAccounts.find((x) => x.name === dev) ?? devAccounts[0];
                  if (a !== undefined) await connectDev(a.name, a.mnemonic);
                })
              }
            >
              Connect development wallet
            </button>
          </div>
        </div>
      ) : null}
      {error !== undefined ? <ErrorBox error={error} /> : null}
    </section>
  );
}

/** The app shell: connection, navigation (hash routes) and the current view. */
import { useEffect } from "preact/hooks";
import { signal } from "@preact/signals";
import { connect, connectError, height, loadConfig } from "./chain";
import type { Route } from "./routes";
import { ACTION_ROUTES } from "./routes-actions";
import { MORE_ROUTES } from "./routes-more";
import { VIEW_ROUTES } from "./routes-views";

/** Every view, in navigation order. */
export const ROUTES: readonly Route[] = [...VIEW_ROUTES, ...MORE_ROUTES, ...ACTION_ROUTES];

const current = signal<{ path: string; arg?: string }>(routeOf(window.location.hash));

function routeOf(hash: string): { path: string; arg?: string } {
  const [path, ...rest] = hash.replace(/^#\/?/, "").split("/");
  const arg = rest.join("/");
  return { path: path || "group", ...(arg === "" ? {} : { arg: decodeURIComponent(arg) }) };
}

window.addEventListener("hashchange", () => (current.value = routeOf(window.location.hash)));

export function App() {
  useEffect(() => {
    void loadConfig().then(connect);
  }, []);
  const route = ROUTES.find((r) => r.path === current.value.path) ?? ROUTES[0]!;
  const View = route.view;
  return (
    <>
      <header>
        <strong>dCERT</strong>
        <nav aria-label="views">
          {ROUTES.filter((r) => r.nav).map((r) => (
            <a key={r.path} href={`#/${r.path}`} aria-current={r.path === route.path ? "page" : undefined}>
              {r.title}
            </a>
          ))}
        </nav>
        <span aria-live="polite">height {height.value}</span>
      </header>
      <main>
        {connectError.value !== undefined ? <p class="error" role="alert">{connectError.value}</p> : <View {...(current.value.arg === undefined ? {} : { arg: current.value.arg })} />}
      </main>
    </>
  );
}

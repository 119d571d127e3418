/** The app shell: connection, navigation (hash routes) and the current view. */
import { useEffect } from "preact/hooks";
import { signal } from "@preact/signals";
import { connect, connectError, height, loadConfig } from "./chain";
import { GroupView } from "./views/group";

export interface Route {
  readonly path: string;
  readonly title: string;
  readonly view: () => preact.JSX.Element;
}

/** Every view, in navigation order (views add themselves here). */
export const ROUTES: Route[] = [{ path: "group", title: "Group", view: GroupView }];

const current = signal<string>(routeOf(window.location.hash));

function routeOf(hash: string): string {
  return hash.replace(/^#\/?/, "").split("/")[0] || "group";
}

window.addEventListener("hashchange", () => (current.value = routeOf(window.location.hash)));

export function App() {
  useEffect(() => {
    void loadConfig().then(connect);
  }, []);
  const route = ROUTES.find((r) => r.path === current.value) ?? ROUTES[0]!;
  const View = route.view;
  return (
    <>
      <header>
        <strong>dCERT</strong>
        <nav aria-label="views">
          {ROUTES.map((r) => (
            <a key={r.path} href={`#/${r.path}`} aria-current={r.path === route.path ? "page" : undefined}>
              {r.title}
            </a>
          ))}
        </nav>
        <span aria-live="polite">height {height.value}</span>
      </header>
      <main>
        {connectError.value !== undefined ? <p class="error" role="alert">{connectError.value}</p> : <View />}
      </main>
    </>
  );
}

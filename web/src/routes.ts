/** A view of the app at `#/<path>` (with `#/<path>/<arg>` passing `arg`). */
export interface Route {
  readonly path: string;
  readonly title: string;
  /** Shown in the navigation (false: reached by links only, e.g. a member's page). */
  readonly nav: boolean;
  readonly view: (props: { arg?: string }) => preact.JSX.Element;
}

/** Broken routes, governance, coordination cases and upgrade readiness. */
import type { Route } from "./routes";
import { CasesView } from "./views/cases";
import { GovernanceView } from "./views/governance";
import { ReadinessView } from "./views/readiness";
import { BrokenRoutesView } from "./views/routes";

export const MORE_ROUTES: Route[] = [
  { path: "routes", title: "Broken routes", nav: true, view: BrokenRoutesView },
  { path: "governance", title: "Governance", nav: true, view: GovernanceView },
  // `#/cases/<id>`: one case's page.
  { path: "cases", title: "Cases", nav: true, view: CasesView },
  // `#/readiness/<plan>`: readiness of a plan by name instead of the scheduled one.
  { path: "readiness", title: "Readiness", nav: true, view: ReadinessView },
];

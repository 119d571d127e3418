/** Broken routes, governance, coordination cases and upgrade readiness. */
import type { Route } from "./routes";

export const MORE_ROUTES: Route[] = [];

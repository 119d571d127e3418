/** The wallet and the actions signed in the browser. */
import type { Route } from "./routes";

export const ACTION_ROUTES: Route[] = [];

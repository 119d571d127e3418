/**
 * Circuit breaking (ADR 008; docs/design.md §6): routes, the breaker (guard, ProcessProposal check,
 * MsgCircuitBreak rules), its services, and the genesis edit that restores routes at an upgrade.
 */
import type { Context } from "../../../baseapp/context";
import type { Registrar } from "../../../baseapp/module";
import type { MsgSpec } from "../../../baseapp/msgserver";
import type { MsgCircuitBreak, MsgCircuitBreakResponse } from "../../../generated/dcert/v1/tx";
import type { DecodedMsg, MsgRouter } from "../../../baseapp/router";
import type { DcertKeeper } from "../keeper/keeper";
import { CircuitBreaker, type GovLookup } from "./breaker";
import { circuitBreakSpec, registerCircuitQueries } from "./service";

export { CircuitBreaker, type GovLookup, parseRouteList, validateCircuitBreak } from "./breaker";
export * from "./errors";
export { clearBrokenRoutes, type ClearedRoutes } from "./genesis";
export {
  ACCOUNTABILITY_ROUTES,
  isAccountabilityRoute,
  isCanonicalRoute,
  MAX_ROUTE_LENGTH,
  MAX_ROUTES_PER_MSG,
  normalizeRoute,
  onlyAccountability,
  packageOf,
  packageRoute,
  parseRoute,
  RouteSet,
  rulesFor,
  type Route,
  type RouteKind,
} from "./routes";
export { CIRCUIT_BREAK_TYPE_URL, circuitBreakSpec, registerCircuitQueries } from "./service";

/** What the breaker needs from the app: its router (guards) and its ProcessProposal checks. */
export interface CircuitHost {
  readonly router: MsgRouter;
  readonly proposalTxChecks: ((ctx: Context, msgs: readonly DecodedMsg[]) => void)[];
}

export interface InstalledCircuit {
  readonly breaker: CircuitBreaker;
  /** MsgCircuitBreak's entry in the dCERT msg server table. */
  readonly msgCircuitBreak: MsgSpec<MsgCircuitBreak, void, MsgCircuitBreakResponse>;
  /** Registers the BrokenRoutes/IsBroken queries. */
  registerQueries(r: Registrar): void;
}

/**
 * Installs the breaker in an app: the router guard (ante slot 0 and every execution, nested ones
 * included) and the ProcessProposal check. Call once per app, from the dCERT module. `gov` is read
 * (never written) to let governance messages about accountability-only proposals through.
 */
export function installCircuitBreaker(host: CircuitHost, keeper: DcertKeeper, gov: GovLookup): InstalledCircuit {
  const breaker = new CircuitBreaker(keeper, host.router, gov);
  host.router.addGuard(breaker.guard);
  host.proposalTxChecks.push(breaker.proposalCheck);
  return { breaker, msgCircuitBreak: circuitBreakSpec(breaker), registerQueries: (r) => registerCircuitQueries(r, breaker) };
}

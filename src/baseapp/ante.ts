import type { Context } from "./context";
import type { DecodedMsg, MsgRouter } from "./router";
import type { DecodedTx } from "./tx/decode";

/** A transaction on its way through the ante chain. */
export interface AnteTx {
  readonly tx: DecodedTx;
  readonly msgs: readonly DecodedMsg[];
  /** Unique signers in order of first appearance across the messages (SDK GetSigners). */
  readonly signers: readonly string[];
  readonly simulate: boolean;
}

/**
 * One step of the ante chain. Each throws a registered error to reject the tx. The chain runs in
 * the order of `AnteHandler.decorators`; slot 0 is reserved for the circuit breaker so that a tx
 * on a broken route is refused before any signature work (docs/design.md §6, §8).
 */
export type AnteDecorator = (ctx: Context, tx: AnteTx) => void;

/** Slot 0: the route guards (circuit breaker) for every top-level message, before anything else. */
export function routeGuardDecorator(router: MsgRouter): AnteDecorator {
  return (ctx, { msgs }) => {
    for (const m of msgs) router.checkGuards(ctx, m.any.typeUrl, m);
  };
}

/**
 * The ante chain: the route guard in slot 0, then the decorators the composition root gives the
 * app (the account, fee and signature decorators of x/auth, in the SDK's order).
 */
export class AnteHandler {
  readonly decorators: readonly AnteDecorator[];

  constructor(router: MsgRouter, decorators: readonly AnteDecorator[]) {
    this.decorators = [
      routeGuardDecorator(router), // slot 0: circuit breaker (before any signature work)
      ...decorators,
    ];
  }

  run(ctx: Context, tx: AnteTx): void {
    for (const d of this.decorators) d(ctx, tx);
  }
}

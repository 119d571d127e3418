import type { Event } from "cosmjs-types/tendermint/abci/types";

/** Collects ABCI events in emission order. Attributes are indexed unless told otherwise. */
export class EventManager {
  private readonly list: Event[] = [];

  /** A disabled manager drops events (CheckTx: nobody reads them). */
  constructor(private readonly enabled = true) {}

  emit(type: string, attributes: ReadonlyArray<readonly [string, string]>, index = true): void {
    if (!this.enabled) return;
    this.list.push({ type, attributes: attributes.map(([key, value]) => ({ key, value, index })) });
  }

  emitAll(events: readonly Event[]): void {
    for (const e of events) this.list.push(e);
  }

  events(): Event[] {
    return this.list;
  }
}

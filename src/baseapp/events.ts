import type { Event } from "cosmjs-types/tendermint/abci/types";

/**
 * Marks which attributes CometBFT's indexer may index, as the Cosmos SDK does with app.toml's
 * `index-events`: with an empty list every attribute is indexed; otherwise only those named
 * "<event type>.<attribute key>" are, and the rest stay in the results without being searchable.
 * Not part of consensus (CometBFT hashes a result's code, data and gas, not its events), so each
 * node may choose. PERF: O(attributes); returns `events` itself when everything is indexed.
 */
export function markEventsToIndex(events: Event[], indexed: ReadonlySet<string>): Event[] {
  if (indexed.size === 0) return events;
  return events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: indexed.has(`${e.type}.${a.key}`) })) }));
}

/** Collects ABCI events in emission order. Attributes are indexed unless told otherwise. */
export class EventManager {
  private readonly list: Event[] = [];

  /**
   * A disabled manager drops events (CheckTx: nobody reads them). Emitters whose attributes cost
   * something to format check `enabled` first.
   */
  constructor(readonly enabled = true) {}

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

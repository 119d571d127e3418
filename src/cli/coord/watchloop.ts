/**
 * The heart of `dcertd watch`, kept free of sockets and terminals so it can be tested with a fake
 * chain: for one local party, fetch every notice (and, for members, every sealed input) after a
 * saved cursor, open it with the local secrets, hand it to `deliver`, and move the cursor past it.
 *
 * The cursor moves only after `deliver` returned, and is saved after every item, so a crash or a
 * dropped socket never loses an item (at worst one is delivered twice); a stop request is honoured
 * between items, never in the middle of one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Envelope, Notice, SealedInput } from "../../generated/coord/v1/types";

/** After-ids already handled: notices to the party and sealed input to it (each one id sequence). */
export interface WatchCursor {
  notices: bigint;
  inputs: bigint;
}

export function emptyCursor(): WatchCursor {
  return { notices: 0n, inputs: 0n };
}

/**
 * What the loop asks of the chain: Query/Notices and Query/Inputs by recipient. Input is sealed to
 * the members of the moment, so a party that never was a member simply has none.
 */
export interface WatchSource {
  notices(recipient: string, afterId: bigint, limit: number): Promise<{ readonly notices: readonly Notice[]; readonly nextAfterId: bigint }>;
  inputs(recipient: string, afterId: bigint, limit: number): Promise<{ readonly inputs: readonly SealedInput[]; readonly nextAfterId: bigint }>;
}

export type Purpose = "notice" | "input";

/** Opens an envelope for one recipient secret; throws when it does not open. */
export type Opener = (env: Envelope, me: { address: string; secretKey: Uint8Array }, ctx: { chainId: string; caseId: bigint; purpose: Purpose }) => Promise<Uint8Array>;

/** A local party: the key name, its address, and every encryption secret it holds (old ones too). */
export interface WatchIdentity {
  readonly name: string;
  readonly address: string;
  readonly secrets: readonly Uint8Array[];
}

export type WatchItem =
  | { readonly type: "notice"; readonly identity: WatchIdentity; readonly notice: Notice; readonly plaintext?: Uint8Array; readonly error?: string }
  | { readonly type: "input"; readonly identity: WatchIdentity; readonly input: SealedInput; readonly plaintext?: Uint8Array; readonly error?: string };

export interface PollOptions {
  readonly chainId: string;
  readonly source: WatchSource;
  readonly open: Opener;
  readonly deliver: (item: WatchItem) => Promise<void>;
  /** Called after each item with the moved cursor (persist it). */
  readonly saveCursor: (cursor: WatchCursor) => void;
  /** True once a stop was requested: the loop returns before the next item. */
  readonly stopping: () => boolean;
  readonly pageSize?: number;
}

async function openWith(open: Opener, id: WatchIdentity, env: Envelope | undefined, chainId: string, caseId: bigint, purpose: Purpose): Promise<{ plaintext?: Uint8Array; error?: string }> {
  if (env === undefined) return { error: "the node returned the item without its envelope (pruned after the retention period?)" };
  for (const secretKey of id.secrets) {
    try {
      return { plaintext: await open(env, { address: id.address, secretKey }, { chainId, caseId, purpose }) };
    } catch {
      // try the next (older) secret
    }
  }
  return { error: `none of the ${id.secrets.length} local secret(s) of "${id.name}" opens it (sealed to a key this keyring no longer holds, or malformed)` };
}

/**
 * Delivers everything after `cursor` for `id`, moving and saving the cursor item by item. Returns
 * the number of items delivered. Stops early (cursor saved) when `stopping()` turns true.
 */
export async function pollIdentity(id: WatchIdentity, cursor: WatchCursor, o: PollOptions): Promise<number> {
  const limit = o.pageSize ?? 50;
  let delivered = 0;
  for (;;) {
    if (o.stopping()) return delivered;
    const page = await o.source.notices(id.address, cursor.notices, limit);
    for (const n of page.notices) {
      if (o.stopping()) return delivered;
      if (n.id <= cursor.notices) continue;
      const opened = await openWith(o.open, id, n.envelope, o.chainId, n.caseId, "notice");
      await o.deliver({ type: "notice", identity: id, notice: n, ...opened });
      cursor.notices = n.id;
      o.saveCursor(cursor);
      delivered++;
    }
    if (page.notices.length === 0 || page.nextAfterId === 0n) break;
  }
  for (;;) {
    if (o.stopping()) return delivered;
    const page = await o.source.inputs(id.address, cursor.inputs, limit);
    for (const input of page.inputs) {
      if (o.stopping()) return delivered;
      if (input.id <= cursor.inputs) continue;
      const opened = await openWith(o.open, id, input.envelope, o.chainId, input.caseId, "input");
      await o.deliver({ type: "input", identity: id, input, ...opened });
      cursor.inputs = input.id;
      o.saveCursor(cursor);
      delivered++;
    }
    if (page.inputs.length === 0 || page.nextAfterId === 0n) break;
  }
  return delivered;
}

// ---- the cursor file: <home>/watch/<chain-id>/<address>.json

interface CursorJson {
  version: 2;
  chain_id: string;
  address: string;
  notices_after: string;
  inputs_after: string;
}

export function cursorFile(home: string, chainId: string, address: string): string {
  return path.join(home, "watch", chainId, `${address}.json`);
}

export function loadCursor(file: string): WatchCursor {
  if (!fs.existsSync(file)) return emptyCursor();
  const j = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<CursorJson>;
  const id = (v: unknown): v is string => typeof v === "string" && /^[0-9]+$/.test(v);
  if (j.version !== 2 || !id(j.notices_after) || !id(j.inputs_after)) throw new Error(`${file} is not a watch cursor (delete it to start from the first notice)`);
  return { notices: BigInt(j.notices_after), inputs: BigInt(j.inputs_after) };
}

export function saveCursor(file: string, chainId: string, address: string, c: WatchCursor): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const j: CursorJson = { version: 2, chain_id: chainId, address, notices_after: c.notices.toString(), inputs_after: c.inputs.toString() };
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(j, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Delay before reconnect attempt `n` (0-based): 1 s doubling to 30 s. */
export function backoffMs(n: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(n, 5));
}

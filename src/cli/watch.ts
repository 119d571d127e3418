/**
 * `dcertd watch --from KEY…`: the long-running watcher of a party's sealed notices (and, for dCERT
 * members, of sealed input). For each local key it catches up from a cursor saved per key
 * (`<home>/watch/<chain-id>/<address>.json`), then follows new blocks over CometBFT's websocket and
 * re-queries from the cursor on every block, and on a timer in case the socket goes quiet, so a
 * dropped socket never loses an item; the socket is re-opened with backoff. Items are opened locally
 * with the keyring's encryption secrets and printed (a text block, or one JSON line each) with the
 * exact command that acknowledges a notice, or handed to --exec. SIGINT/SIGTERM finish the current
 * item, save the cursor and exit 0. Plaintext reaches the disk only with --out-dir (files 0600).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { toHex } from "@cosmjs/encoding";
import { Comet38Client, WebsocketClient } from "@cosmjs/tendermint-rpc";
import type { DcertClient } from "../client/dcertclient";
import { noticeKindToJSON, type Party } from "../generated/coord/v1/types";
import { openEnvelope } from "../types/coord";
import { booleanFlag, listFlag, stringFlag, UsageError, type Command, type ParsedArgs } from "./args";
import { connectReader, describeClientError, HOME_FLAG, keyringOf, NODE_FLAG, resolveHome, resolveNode } from "./clientenv";
import { CliError } from "./cmdtree";
import { isNotFound } from "./coord/common";
import { EncryptionKeyring } from "./coord/enckeys";
import { readinessChanges, scheduledReadiness } from "./upgrade/readiness";
import { backoffMs, cursorFile, loadCursor, pollIdentity, saveCursor, type WatchCursor, type WatchIdentity, type WatchItem, type WatchSource } from "./coord/watchloop";
import { getPassphrase, PASSPHRASE_FLAG } from "./prompt";

const DEFAULT_POLL_SECONDS = 30;

/** The websocket URL of a CometBFT RPC endpoint (http → ws, https → wss). */
export function websocketUrl(node: string): string {
  return node.replace(/^http:\/\//, "ws://").replace(/^https:\/\//, "wss://");
}

function utf8OrUndefined(b: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    return undefined;
  }
}

/** The flags that an ack command must repeat to reach the same node and keyring. */
export interface AckContext {
  readonly node?: string;
  readonly home?: string;
}

export function ackCommand(noticeId: bigint, keyName: string, ctx: AckContext = {}): string {
  return ["dcertd tx coord ack", noticeId.toString(), "--from", keyName, ...(ctx.node !== undefined ? ["--node", ctx.node] : []), ...(ctx.home !== undefined ? ["--home", ctx.home] : [])].join(" ");
}

/** The metadata of an item, as JSON fields (also the source of the --exec environment). */
export function itemMeta(item: WatchItem, chainId: string, ctx: AckContext = {}): Record<string, string> {
  const common = { chain_id: chainId, key: item.identity.name, party: item.identity.address };
  if (item.type === "notice") {
    const n = item.notice;
    return {
      type: "notice",
      id: n.id.toString(),
      case_id: n.caseId.toString(),
      kind: noticeKindToJSON(n.kind).replace("NOTICE_KIND_", "").toLowerCase(),
      sender: n.sender,
      recipient: n.recipient,
      height: n.height.toString(),
      ...(n.time !== undefined ? { time: new Date(Number(n.time.seconds) * 1000).toISOString() } : {}),
      envelope_hash: toHex(n.envelopeHash),
      ...common,
      ack_command: ackCommand(n.id, item.identity.name, ctx),
    };
  }
  const i = item.input;
  return {
    type: "input",
    id: i.id.toString(),
    case_id: i.caseId.toString(),
    kind: "input",
    sender: i.sender,
    recipient: item.identity.address,
    height: i.height.toString(),
    ...(i.time !== undefined ? { time: new Date(Number(i.time.seconds) * 1000).toISOString() } : {}),
    envelope_hash: toHex(i.envelopeHash),
    ...common,
  };
}

/** One JSON line for an item: metadata, then `plaintext` (UTF-8) or `plaintext_base64`, or `error`. */
export function itemJsonLine(item: WatchItem, chainId: string, ctx: AckContext = {}): string {
  const meta: Record<string, string> = itemMeta(item, chainId, ctx);
  if (item.plaintext === undefined) return JSON.stringify({ ...meta, error: item.error ?? "cannot open" });
  const text = utf8OrUndefined(item.plaintext);
  return JSON.stringify({ ...meta, ...(text !== undefined ? { plaintext: text } : { plaintext_base64: Buffer.from(item.plaintext).toString("base64") }) });
}

/** A readable block for an item. */
export function itemText(item: WatchItem, chainId: string, ctx: AckContext = {}): string {
  const m = itemMeta(item, chainId, ctx);
  const head = item.type === "notice" ? `notice ${m["id"] ?? ""} · case ${m["case_id"] ?? ""} · ${m["kind"] ?? ""} · for "${item.identity.name}"` : `sealed input ${m["id"] ?? ""} · ${m["case_id"] === "0" ? "general inbox" : `case ${m["case_id"] ?? ""}`} · for "${item.identity.name}"`;
  const lines = [`=== ${head}`, `from      ${m["sender"] ?? ""}`, `height    ${m["height"] ?? ""}${m["time"] !== undefined ? ` (${m["time"]})` : ""}`, `envelope  ${m["envelope_hash"] ?? ""}`];
  if (item.plaintext === undefined) lines.push(`error     ${item.error ?? "cannot open"}`);
  else {
    const text = utf8OrUndefined(item.plaintext);
    lines.push("--- plaintext ---", text !== undefined ? text.replace(/\n$/, "") : `(${item.plaintext.length} bytes, not UTF-8; base64) ${Buffer.from(item.plaintext).toString("base64")}`, "--- end ---");
  }
  if (item.type === "notice") lines.push(`acknowledge: ${m["ack_command"] ?? ""}`);
  return `${lines.join("\n")}\n`;
}

/** The environment of an --exec command: DCERT_<FIELD> for each metadata field. */
export function execEnv(item: WatchItem, chainId: string, ctx: AckContext = {}): Record<string, string> {
  const m = itemMeta(item, chainId, ctx);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) env[`DCERT_${k.toUpperCase()}`] = v;
  env[item.type === "notice" ? "DCERT_NOTICE_ID" : "DCERT_INPUT_ID"] = m["id"] ?? "";
  if (item.error !== undefined) env["DCERT_ERROR"] = item.error;
  return env;
}

function runExec(cmd: string, item: WatchItem, chainId: string, ctx: AckContext): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, { shell: true, stdio: ["pipe", "inherit", "inherit"], env: { ...process.env, ...execEnv(item, chainId, ctx) } });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(new CliError(`--exec command failed for ${item.type} ${itemMeta(item, chainId).id ?? ""} (${signal ?? `exit ${String(code)}`})`, "fix the command and run dcertd watch again: the item is delivered again (the cursor did not move past it)"));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(Buffer.from(item.plaintext ?? new Uint8Array()));
  });
}

function writeOut(dir: string, item: WatchItem, chainId: string, ctx: AckContext): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const m = itemMeta(item, chainId, ctx);
  const base = path.join(dir, `${chainId}-${item.type}-${m["id"] ?? ""}`);
  const write = (file: string, data: string | Uint8Array): void => {
    fs.writeFileSync(file, data, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
  };
  if (item.plaintext !== undefined) write(`${base}.txt`, item.plaintext);
  write(`${base}.json`, `${JSON.stringify({ ...m, ...(item.error !== undefined ? { error: item.error } : {}) }, null, 2)}\n`);
}

/** The chain as the watch loop sees it. */
export function chainSource(client: DcertClient): WatchSource {
  return {
    async notices(recipient, afterId, limit) {
      const r = await client.coord.notices({ recipient, afterId, limit });
      return { notices: r.notices, nextAfterId: r.nextAfterId };
    },
    async inputs(recipient, afterId, limit) {
      const r = await client.coord.inputs({ recipient, afterId, limit });
      return { inputs: r.inputs, nextAfterId: r.nextAfterId };
    },
  };
}

/** The local identities of --from: address, and every secret of the matching encryption key. */
async function identities(args: ParsedArgs, client: DcertClient): Promise<WatchIdentity[]> {
  const froms = listFlag(args, "from");
  if (froms.length === 0) throw new UsageError("--from <key> is required (repeat it to watch several keys)");
  const accounts = keyringOf(args);
  const ring = new EncryptionKeyring(accounts);
  const plan: { name: string; address: string; encName: string }[] = [];
  for (const from of froms) {
    const key = accounts.get(from);
    let party: Party | undefined;
    try {
      party = (await client.coord.party(key.address)).party;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const encName = ring.has(key.name) ? key.name : party !== undefined ? ring.findByPublicKey(party.encryptionKey)?.name : undefined;
    if (encName === undefined) {
      throw new CliError(`the keyring has no encryption key for "${key.name}"`, `create it with "dcertd keys add-encryption ${key.name}" and register it ("dcertd tx coord register-party --from ${key.name} …")`);
    }
    if (party === undefined) console.error(`warning: "${key.name}" (${key.address}) is not a registered party yet; nothing can be sent to it until it registers`);
    plan.push({ name: key.name, address: key.address, encName });
  }
  const passphrase = await getPassphrase(args);
  return plan.map((p) => ({ name: p.name, address: p.address, secrets: ring.pairs(p.encName, passphrase).map((x) => x.secretKey).reverse() }));
}

interface WatchState {
  stopping: boolean;
  dirty: boolean;
  height: number;
  delivered: number;
  connection: "connecting" | "following" | "reconnecting";
  wake: (() => void) | undefined;
}

function sleep(state: WatchState, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      state.wake = undefined;
      resolve(true);
    }, ms);
    state.wake = () => {
      clearTimeout(t);
      state.wake = undefined;
      resolve(false);
    };
  });
}

/** The progress line on stderr: rewritten in place on a terminal, else a line when the count or the connection changes. */
function progress(state: WatchState, last: { text: string; key: string }): void {
  const text = `watch: height ${state.height === 0 ? "?" : state.height} · ${state.delivered} item(s) · ${state.connection}`;
  const key = `${state.delivered}|${state.connection}`;
  if (process.stderr.isTTY) {
    if (text !== last.text) process.stderr.write(`\r\x1b[2K${text}`);
  } else if (key !== last.key) {
    process.stderr.write(`${text}\n`);
  }
  last.text = text;
  last.key = key;
}

/** Follows new block headers until the socket fails, goes quiet for `stallMs`, or a stop; then reconnects with backoff. */
async function follow(node: string, state: WatchState, stallMs: number): Promise<void> {
  let attempt = 0;
  while (!state.stopping) {
    const ws = new WebsocketClient(websocketUrl(node), () => undefined);
    try {
      const tm = Comet38Client.create(ws);
      await new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const arm = (): void => {
          if (timer !== undefined) clearTimeout(timer);
          timer = setTimeout(done, stallMs);
        };
        const sub = tm.subscribeNewBlockHeader().subscribe({
          next: (h) => {
            attempt = 0;
            state.height = h.height;
            state.connection = "following";
            state.dirty = true;
            state.wake?.();
            arm();
          },
          error: () => done(),
          complete: () => done(),
        });
        const stopCheck = setInterval(() => {
          if (state.stopping) done();
        }, 200);
        function done(): void {
          if (timer !== undefined) clearTimeout(timer);
          clearInterval(stopCheck);
          sub.unsubscribe();
          resolve();
        }
        arm();
      });
    } catch {
      // reconnect below
    } finally {
      ws.disconnect();
    }
    if (state.stopping) return;
    state.connection = "reconnecting";
    state.dirty = true;
    state.wake?.();
    const wait = backoffMs(attempt++);
    await new Promise<void>((r) => {
      const t = setTimeout(r, wait);
      const i = setInterval(() => {
        if (state.stopping) {
          clearTimeout(t);
          clearInterval(i);
          r();
        }
      }, 200);
      setTimeout(() => clearInterval(i), wait + 10);
    });
  }
}

export const watchCommand: Command = {
  name: "watch",
  summary: "follow the chain and decrypt sealed notices (and, for members, sealed input) for local keys",
  positionals: [],
  details: [
    "Catches up from a cursor saved per key (<home>/watch/<chain-id>/<address>.json), then follows new blocks over the",
    "node's websocket; every block (and every --poll-interval) re-queries from the cursor, so nothing is lost when the",
    "socket drops. Each notice is printed with the exact command that acknowledges it. The encryption key used for",
    "--from KEY is the one named KEY (dcertd keys add-encryption KEY), else the local key holding its registered one.",
    "--exec CMD runs CMD (via sh) per item with the plaintext on stdin and DCERT_TYPE, DCERT_NOTICE_ID or DCERT_INPUT_ID,",
    "DCERT_CASE_ID, DCERT_KIND, DCERT_SENDER, DCERT_RECIPIENT, DCERT_HEIGHT, DCERT_ENVELOPE_HASH, DCERT_ACK_COMMAND, …",
    "in the environment; a failing CMD stops the watcher without moving the cursor past that item.",
    "Plaintext touches the disk only with --out-dir (files <chain>-<type>-<id>.txt/.json, mode 0600).",
    "While an upgrade plan is scheduled, a line on stderr reports its readiness whenever it changes, e.g.",
    "\"upgrade: v2 @ height 120: ready 50.0% of voting power (1/3 crossed at 87, 2/3 not yet)\".",
  ],
  flags: [
    { name: "from", valueName: "key", multiple: true, description: "a local key whose party to watch (repeatable)" },
    { name: "json", boolean: true, description: "one JSON line per item instead of text blocks" },
    { name: "exec", valueName: "cmd", description: "run CMD for each item (plaintext on stdin, metadata in DCERT_* variables)" },
    { name: "out-dir", valueName: "dir", description: "also write each plaintext and its metadata to DIR (0600)" },
    { name: "once", boolean: true, description: "catch up and exit (no websocket)" },
    { name: "poll-interval", valueName: "seconds", description: "re-query at least this often", defaultText: String(DEFAULT_POLL_SECONDS) },
    NODE_FLAG,
    HOME_FLAG,
    PASSPHRASE_FLAG,
  ],
  describeError: describeClientError,
  async run(args) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ""}"`);
    const pollText = stringFlag(args, "poll-interval") ?? String(DEFAULT_POLL_SECONDS);
    if (!/^[0-9]{1,5}$/.test(pollText) || Number(pollText) < 1) throw new UsageError(`--poll-interval must be a number of seconds ≥ 1, got "${pollText}"`);
    const pollMs = Number(pollText) * 1000;
    const node = resolveNode(args);
    const home = resolveHome(args);
    const ctx: AckContext = { ...(stringFlag(args, "node") !== undefined ? { node } : {}), ...(stringFlag(args, "home") !== undefined ? { home } : {}) };
    const json = booleanFlag(args, "json");
    const exec = stringFlag(args, "exec");
    const outDir = stringFlag(args, "out-dir");
    const client = await connectReader(node);
    const state: WatchState = { stopping: false, dirty: true, height: 0, delivered: 0, connection: "connecting", wake: undefined };
    const onSignal = (): void => {
      if (state.stopping) process.exit(130);
      state.stopping = true;
      state.wake?.();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const last = { text: "", key: "" };
    try {
      const chainId = await client.getChainId();
      const ids = await identities(args, client);
      const cursors = new Map<string, { file: string; cursor: WatchCursor }>();
      for (const id of ids) {
        const file = cursorFile(home, chainId, id.address);
        cursors.set(id.address, { file, cursor: loadCursor(file) });
      }
      const source = chainSource(client);
      const deliver = async (item: WatchItem): Promise<void> => {
        if (exec !== undefined) await runExec(exec, item, chainId, ctx);
        else {
          if (process.stderr.isTTY && last.text !== "") process.stderr.write("\r\x1b[2K");
          process.stdout.write(json ? `${itemJsonLine(item, chainId, ctx)}\n` : `${itemText(item, chainId, ctx)}\n`);
          last.text = "";
        }
        if (outDir !== undefined) writeOut(outDir, item, chainId, ctx);
        state.delivered++;
      };
      const pollAll = async (): Promise<void> => {
        for (const id of ids) {
          const c = cursors.get(id.address) as { file: string; cursor: WatchCursor };
          await pollIdentity(id, c.cursor, {
            chainId,
            source,
            open: openEnvelope,
            deliver,
            saveCursor: (cur) => saveCursor(c.file, chainId, id.address, cur),
            stopping: () => state.stopping,
          });
        }
      };
      // While an upgrade plan is scheduled: its readiness line (stderr) whenever it changes.
      const nextReadiness = readinessChanges(() => scheduledReadiness(client));
      const reportReadiness = async (): Promise<void> => {
        const line = await nextReadiness().catch(() => undefined);
        if (line === undefined) return;
        if (process.stderr.isTTY && last.text !== "") process.stderr.write("\r\x1b[2K");
        process.stderr.write(`upgrade: ${line}\n`);
        last.text = "";
        last.key = "";
      };
      await pollAll();
      await reportReadiness();
      state.dirty = false;
      if (booleanFlag(args, "once")) return 0;
      const following = follow(node, state, Math.max(3 * pollMs, 30_000));
      progress(state, last);
      while (!state.stopping) {
        if (state.dirty) {
          state.dirty = false;
          try {
            await pollAll();
            await reportReadiness();
          } catch (e) {
            if (e instanceof CliError) throw e;
            // The node may be restarting: retry on the next block or timer.
            state.connection = "reconnecting";
            console.error(`warning: query failed (${e instanceof Error ? e.message : String(e)}); retrying`);
          }
          progress(state, last);
          continue;
        }
        if (await sleep(state, pollMs)) state.dirty = true;
        progress(state, last);
      }
      await following;
      return 0;
    } catch (e) {
      if (e instanceof Error && !(e instanceof CliError) && state.stopping) return 0;
      throw e;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      if (process.stderr.isTTY && last.text !== "") process.stderr.write("\n");
      client.disconnect();
    }
  },
};

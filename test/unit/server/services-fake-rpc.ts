/**
 * A fake CometBFT JSON-RPC endpoint for the services' unit tests: node:http on a reserved port,
 * answering each method from a table (a result, a JSON-RPC error, or never), and recording the
 * calls so tests can check what the services asked for. Real answers captured from a devnet are in
 * services-rpc-fixture.json.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { reservePorts, type PortReservation } from "../../../src/localnet/proc";

export type Answer =
  | { result: unknown }
  | { error: { code: number; message: string; data: string } }
  | "hang" // never answered
  | "drop" // the connection closed without an answer
  | { raw: string; status: number };
export type Route = (params: Record<string, unknown>) => Answer;

export interface RpcCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
}

export interface Fixture {
  status: Record<string, unknown> & { sync_info: Record<string, unknown> };
  block: Record<string, unknown> & { block: Record<string, unknown> & { data: { txs: string[] } } };
  block1: Record<string, unknown>;
  header: Record<string, unknown>;
  tx: Record<string, unknown> & { tx: string; hash: string; height: string };
  txSearch: { txs: Record<string, unknown>[]; total_count: string };
  validators: Record<string, unknown> & { validators: Record<string, unknown>[] };
  abciQuery: Record<string, unknown>;
  txHash: string;
}

/** A fresh deep copy of the captured answers. */
export function fixture(): Fixture {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "services-rpc-fixture.json"), "utf8")) as Fixture;
}

export function rpcError(data: string): Answer {
  return { error: { code: -32603, message: "Internal error", data } };
}

export class FakeRpc {
  readonly calls: RpcCall[] = [];
  readonly routes = new Map<string, Route>();
  private constructor(
    private readonly server: http.Server,
    private readonly reservation: PortReservation,
    readonly url: string,
    /** A reserved port nothing listens on. */
    readonly deadUrl: string,
  ) {}

  static async start(): Promise<FakeRpc> {
    const reservation = await reservePorts(2);
    const [port, dead] = reservation.ports as [number, number];
    // Both sockets closed: one for the fake to listen on, one left free (nothing answers there).
    await reservation.unhold();
    const holder: { self?: FakeRpc } = {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: number; method: string; params?: Record<string, unknown> };
        const params = body.params ?? {};
        holder.self?.calls.push({ method: body.method, params });
        const route = holder.self?.routes.get(body.method);
        const answer: Answer = route === undefined ? rpcError(`no fake route for ${body.method}`) : route(params);
        if (answer === "hang") return; // stop() closes the connection
        if (answer === "drop") {
          req.socket.destroy();
          return;
        }
        if ("raw" in answer) {
          res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.raw);
          return;
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: body.id, ...answer }));
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    holder.self = new FakeRpc(server, reservation, `http://127.0.0.1:${port}`, `http://127.0.0.1:${dead}`);
    return holder.self;
  }

  /** Answers every method from the captured fixture (tests override single routes). */
  serveFixture(f: Fixture = fixture()): void {
    this.routes.set("status", () => ({ result: f.status }));
    this.routes.set("block", () => ({ result: f.block }));
    this.routes.set("header", () => ({ result: f.header }));
    this.routes.set("tx", () => ({ result: f.tx }));
    this.routes.set("tx_search", () => ({ result: f.txSearch }));
    this.routes.set("validators", () => ({ result: f.validators }));
    this.routes.set("abci_query", () => ({ result: f.abciQuery }));
  }

  reset(): void {
    this.calls.length = 0;
    this.routes.clear();
  }

  callsOf(method: string): RpcCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.reservation.release();
  }
}

/**
 * bench/lib/http.ts, the load generators' JSON over keep-alive HTTP, against a real HTTP server on
 * a port the system picks: what it returns, what it retries and what it does not.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { httpJson } from "../../../bench/lib/http";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let url: string;
let handler: Handler;
const seen: { method: string; type: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", type: req.headers["content-type"], body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  seen.length = 0;
});

const json = (res: ServerResponse, status: number, text: string): void => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(text);
};

describe("httpJson", () => {
  it("GETs without a body and POSTs a JSON body, and parses the answer", async () => {
    handler = (req, body, res) => json(res, 200, JSON.stringify({ method: req.method, echo: body === "" ? null : JSON.parse(body) }));
    await expect(httpJson(`${url}/status`)).resolves.toEqual({ method: "GET", echo: null });
    await expect(httpJson(url, { body: JSON.stringify([{ id: 0, tx: "AQI=" }]) })).resolves.toEqual({ method: "POST", echo: [{ id: 0, tx: "AQI=" }] });
    expect(seen.map((s) => [s.method, s.type])).toEqual([
      ["GET", undefined],
      ["POST", "application/json"],
    ]);
  });

  it("returns every JSON value the server sends, byte for byte (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const text = JSON.stringify(value);
        handler = (_req, _body, res) => json(res, 200, text);
        expect(JSON.stringify(await httpJson(url))).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it("rejects an HTTP error status with the status and the body, and does not retry it", async () => {
    handler = (_req, _body, res) => json(res, 500, '{"error":"boom"}');
    await expect(httpJson(`${url}/x`)).rejects.toThrow(/\/x: HTTP 500: \{"error":"boom"\}/);
    expect(seen).toHaveLength(1);
  });

  it("rejects an answer that is not JSON, naming the start of it", async () => {
    handler = (_req, _body, res) => json(res, 200, "<html>not json</html>");
    await expect(httpJson(url)).rejects.toThrow(/the answer is not JSON .*<html>not json/);
    expect(seen).toHaveLength(1);
  });

  it("retries a connection the server drops, then answers", async () => {
    let drops = 2;
    handler = (req, _body, res) => {
      if (drops-- > 0) req.socket.destroy();
      else json(res, 200, '{"ok":true}');
    };
    await expect(httpJson(url)).resolves.toEqual({ ok: true });
    expect(seen).toHaveLength(3);
  });

  it("gives up after its attempts with the socket's error", async () => {
    handler = (req) => req.socket.destroy();
    await expect(httpJson(url, {}, 3)).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(seen).toHaveLength(3);
  });

  it("rejects a server that does not answer within the timeout", async () => {
    handler = () => undefined;
    await expect(httpJson(url, { timeoutMs: 200 }, 1)).rejects.toThrow(/no answer in 200 ms/);
  });
});

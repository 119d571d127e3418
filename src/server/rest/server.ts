/**
 * The REST gateway: node:http in front of the service backend, with the SDK's grpc-gateway routes
 * (router.ts) and JSON (../json). Errors are {"code": <gRPC code>, "message", "details": []} with
 * grpc-gateway's HTTP status; the `x-cosmos-block-height` request header picks the state height.
 * CORS, when on, allows every origin (as the SDK's `enabled-unsafe-cors`).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { JsonValue } from "@bufbuild/protobuf";
import { ApiError, GrpcCode, type CallOptions, type ServiceBackend } from "../backend";
import { toSdkJson } from "../json";
import { buildRequest, buildRoutes, findRoute, type Route } from "./router";

export interface RestServerOptions {
  /** "tcp://127.0.0.1:1317" (port 0: any free port). */
  readonly address: string;
  readonly cors: boolean;
  readonly log: (line: string) => void;
}

export interface RestServer {
  /** "http://127.0.0.1:1317" */
  readonly url: string;
  close(): Promise<void>;
}

/** The largest request body read (a broadcast tx in base64 with room to spare). */
export const MAX_BODY_BYTES = 8 << 20;

/** The HTTP status grpc-gateway answers a gRPC code with. */
export function httpStatusOf(code: GrpcCode): number {
  switch (code) {
    case GrpcCode.OK:
      return 200;
    case GrpcCode.CANCELLED:
      return 408;
    case GrpcCode.INVALID_ARGUMENT:
    case GrpcCode.FAILED_PRECONDITION:
    case GrpcCode.OUT_OF_RANGE:
      return 400;
    case GrpcCode.DEADLINE_EXCEEDED:
      return 504;
    case GrpcCode.NOT_FOUND:
      return 404;
    case GrpcCode.ALREADY_EXISTS:
    case GrpcCode.ABORTED:
      return 409;
    case GrpcCode.PERMISSION_DENIED:
      return 403;
    case GrpcCode.RESOURCE_EXHAUSTED:
      return 429;
    case GrpcCode.UNIMPLEMENTED:
      return 501;
    case GrpcCode.UNAVAILABLE:
      return 503;
    default:
      return 500;
  }
}

/** "tcp://host:port", "host:port" or "[::1]:port" → host and port. */
export function parseListenAddress(address: string): { host: string; port: number } {
  const rest = address.replace(/^tcp:\/\//, "");
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(rest);
  const port = Number(m?.[3]);
  if (m === null || port > 65535) throw new Error(`bad listen address ${JSON.stringify(address)}: expected tcp://<host>:<port>, e.g. tcp://127.0.0.1:1317`);
  return { host: m[1] ?? (m[2] === "" ? "0.0.0.0" : (m[2] ?? "0.0.0.0")), port };
}

function urlHost(host: string): string {
  const shown = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return shown.includes(":") ? `[${shown}]` : shown;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: GrpcCode,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, GrpcCode.RESOURCE_EXHAUSTED, `request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function heightOf(req: http.IncomingMessage): CallOptions {
  const h = req.headers["x-cosmos-block-height"];
  if (h === undefined) return {};
  const text = Array.isArray(h) ? (h[0] ?? "") : h;
  if (!/^\d{1,20}$/.test(text.trim()) || BigInt(text.trim()) > 0xffff_ffff_ffff_ffffn) {
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, `x-cosmos-block-height: ${JSON.stringify(text)} is not a block height`);
  }
  return { height: BigInt(text.trim()) };
}

/** Answers one request; never throws (errors become gateway error bodies). */
async function handle(routes: readonly Route[], backend: ServiceBackend, opts: RestServerOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (opts.cors) {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Expose-Headers", "*");
  }
  const send = (status: number, body: JsonValue): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  };
  const fail = (status: number, code: GrpcCode, message: string): void => send(status, { code, message, details: [] });
  const verb = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://gateway");
  if (verb === "OPTIONS" && opts.cors) {
    res.writeHead(204, {
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
      "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "*",
      "Access-Control-Max-Age": "600",
      "Content-Length": 0,
    });
    res.end();
    return;
  }
  const found = findRoute(routes, verb === "HEAD" ? "GET" : verb, url.pathname);
  if (found === undefined) return fail(404, GrpcCode.NOT_FOUND, "Not Found");
  if (found === "wrongVerb") return fail(405, GrpcCode.UNIMPLEMENTED, "Method Not Allowed");
  try {
    const callOpts = heightOf(req);
    let body: JsonValue | undefined;
    if (found.route.body !== "") {
      const raw = await readBody(req);
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString("utf8")) as JsonValue;
        } catch (e) {
          throw new ApiError(GrpcCode.INVALID_ARGUMENT, `the request body is not JSON: ${(e as Error).message}`);
        }
      } else {
        body = {};
      }
    }
    const request = buildRequest(found, url.searchParams, body);
    const response = await backend.call(found.route.method, request, callOpts);
    send(200, toSdkJson(found.route.desc.output.typeName, response));
  } catch (e) {
    if (e instanceof HttpError) return fail(e.status, e.code, e.message);
    if (e instanceof ApiError) {
      if (httpStatusOf(e.code) >= 500) opts.log(`rest: ${verb} ${url.pathname}: ${e.message}`);
      return fail(httpStatusOf(e.code), e.code, e.message);
    }
    const message = e instanceof Error ? e.message : String(e);
    opts.log(`rest: ${verb} ${url.pathname}: internal error: ${message}`);
    return fail(500, GrpcCode.INTERNAL, message);
  }
}

/** Starts the REST gateway over `backend`; resolves once it listens. */
export async function startRestServer(backend: ServiceBackend, opts: RestServerOptions): Promise<RestServer> {
  const { host, port } = parseListenAddress(opts.address);
  const routes = buildRoutes((m) => backend.has(m));
  const server = http.createServer((req, res) => {
    handle(routes, backend, opts, req, res).catch((e: unknown) => {
      opts.log(`rest: ${String(e)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${bound}`;
  opts.log(`rest: serving ${routes.length} routes on ${url}${opts.cors ? " (CORS: any origin)" : ""}`);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

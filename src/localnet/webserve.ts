/**
 * Serves the web app (web/dist, built by `npm run build`) on a local port, with a `config.json`
 * generated at start that points the app at a node: `dcertd devnet`, `dcertd testnet web` and the
 * e2e harness use it. A plain node:http static server: GET and HEAD only, nothing outside the
 * folder (no `..`, no encoded separators, no symlink leading out), no directory listings.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { DevnetError } from "./cometbft";

/** What the app reads from `config.json` (web/src/chain.ts `NodeConfig`). */
export interface WebAppConfig {
  readonly rpc: string;
  readonly rest: string;
  readonly chainId: string;
  /** Devnet only: the named accounts and their mnemonics, offered by the development wallet. */
  readonly devAccounts?: readonly { readonly name: string; readonly mnemonic: string }[];
}

export interface WebServer {
  /** "http://127.0.0.1:<port>" */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The default port of the devnet's web app. */
export const DEFAULT_WEB_PORT = 8080;

/** The built app of a checkout: `<repo>/web/dist`. */
export function webDistDir(repoRoot: string): string {
  return path.join(repoRoot, "web", "dist");
}

/** Whether `dir` holds a built app (its index.html). */
export function isWebAppBuilt(dir: string): boolean {
  return fs.existsSync(path.join(dir, "index.html"));
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

/**
 * The file under `root` a request path names ("/" is index.html), or undefined when the path is
 * malformed or would leave `root`: a bad percent-encoding, a NUL, a backslash, an encoded "/", a
 * ".." segment. Pure (no file system access); the server also checks where symlinks lead.
 */
export function resolveWebPath(root: string, requestPath: string): string | undefined {
  const pathname = requestPath.split(/[?#]/, 1)[0] ?? "";
  if (!pathname.startsWith("/")) return undefined;
  const segments: string[] = [];
  for (const raw of pathname.split("/").slice(1)) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (seg.includes("/") || seg.includes("\\") || seg.includes("\0")) return undefined;
    if (seg === "..") return undefined;
    if (seg === "" || seg === ".") continue;
    segments.push(seg);
  }
  if (segments.length === 0) segments.push("index.html");
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  const rel = path.relative(base, file);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return file;
}

/** Whether `file` (after following symlinks) is inside `realRoot`; false when it does not exist. */
function insideRealRoot(realRoot: string, file: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return false;
  }
  const rel = path.relative(realRoot, real);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

function plain(res: http.ServerResponse, status: number, text: string, extra: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", ...extra });
  res.end(`${text}\n`);
}

/** The request handler: `config.json` from `config`, everything else from `root`. */
export function webRequestHandler(root: string, config: WebAppConfig): http.RequestListener {
  const realRoot = fs.realpathSync(root);
  const configBody = `${JSON.stringify(config, null, 2)}\n`;
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      plain(res, 405, "only GET and HEAD are served", { Allow: "GET, HEAD" });
      return;
    }
    const url = req.url ?? "/";
    const file = resolveWebPath(realRoot, url);
    if (file === undefined) {
      plain(res, 400, "bad path");
      return;
    }
    const headers: http.OutgoingHttpHeaders = { "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" };
    if (file === path.join(realRoot, "config.json")) {
      res.writeHead(200, { ...headers, "Content-Type": contentTypeOf(file), "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(configBody) });
      res.end(req.method === "HEAD" ? undefined : configBody);
      return;
    }
    // Browsers ask for /favicon.ico on their own: without one, answer "nothing" rather than 404
    // (a 404 there is an error in every visitor's console).
    if (file === path.join(realRoot, "favicon.ico") && !fs.existsSync(file)) {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    if (!insideRealRoot(realRoot, file) || !fs.statSync(file).isFile()) {
      plain(res, 404, "not found");
      return;
    }
    const size = fs.statSync(file).size;
    // Vite names its assets by content hash: they never change; the page and the rest may.
    const cache = url.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    res.writeHead(200, { ...headers, "Content-Type": contentTypeOf(file), "Content-Length": size, "Cache-Control": cache });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    fs.createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  };
}

/**
 * Serves `root` on 127.0.0.1:`port` (0: any free port) with `config` as its config.json. Refuses
 * (a DevnetError naming the fix) when the app is not built or the port is taken.
 */
export async function serveWebApp(opts: { root: string; port: number; config: WebAppConfig; host?: string }): Promise<WebServer> {
  if (!isWebAppBuilt(opts.root)) {
    throw new DevnetError(`the web app is not built: ${path.join(opts.root, "index.html")} does not exist; build it with npm run build (or npm run build:web)`);
  }
  const host = opts.host ?? "127.0.0.1";
  const server = http.createServer(webRequestHandler(opts.root, opts.config));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(e.code === "EADDRINUSE" ? new DevnetError(`port ${opts.port} (web app) is already in use; choose another one with --web-port <port>`) : e),
    );
    server.listen({ host, port: opts.port, exclusive: true }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : opts.port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * JSON over keep-alive HTTP for the load generators, on `node:http` instead of `fetch`.
 *
 * PERF: the load generator runs on the same two cores as the node it measures, so its CPU is
 * taken from the node's. A profile of the peer bench's window (docs/benchmarks.md, round 20) had
 * `fetch` (undici's web streams, abort signals, body cloning) and the garbage it leaves as most of
 * the client's time; `http.request` over a keep-alive agent does the same exchange with a fraction
 * of it. Only the calls inside a measured window need this; the rest keep `fetch`.
 */
import { Agent, request } from "node:http";

/** Sockets kept open per node: the closed loop sends a round's batches at once, plus the watcher. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface JsonRequest {
  readonly method?: "GET" | "POST";
  /** A JSON text (sent as is, with content-type application/json). */
  readonly body?: string;
  readonly timeoutMs?: number;
}

/** One exchange: the response's body parsed as JSON; rejects on a status ≥ 400 or a socket error. */
function once(url: string, r: JsonRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const body = r.body === undefined ? undefined : Buffer.from(r.body);
    const req = request(
      url,
      {
        agent,
        method: r.method ?? (body === undefined ? "GET" : "POST"),
        headers: body === undefined ? {} : { "content-type": "application/json", "content-length": body.length },
        timeout: r.timeoutMs ?? 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((res.statusCode ?? 0) >= 400) {
            reject(new Error(`${url}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (e) {
            reject(new Error(`${url}: the answer is not JSON (${(e as Error).message}): ${text.slice(0, 300)}`));
          }
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${url}: no answer in ${r.timeoutMs ?? 60_000} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * `once`, retried on socket errors (a keep-alive socket the node closed fails on reuse), up to
 * `attempts` times 50 ms apart. An HTTP error status or a non-JSON answer is not retried.
 */
export async function httpJson(url: string, r: JsonRequest = {}, attempts = 5): Promise<unknown> {
  for (let i = 1; ; i++) {
    try {
      return await once(url, r);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (i >= attempts || code === undefined) throw e;
      await new Promise((res) => setTimeout(res, 50));
    }
  }
}

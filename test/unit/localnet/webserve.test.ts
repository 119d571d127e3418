import * as fc from "fast-check";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { resolveWebPath, serveWebApp, type WebServer } from "../../../src/localnet/webserve";

describe("resolveWebPath", () => {
  const root = path.resolve("/srv/app");

  test("maps paths inside the folder, / to index.html", () => {
    expect(resolveWebPath(root, "/")).toBe(path.join(root, "index.html"));
    expect(resolveWebPath(root, "/assets/index-abc.js?v=1")).toBe(path.join(root, "assets", "index-abc.js"));
    expect(resolveWebPath(root, "/a%20b.txt")).toBe(path.join(root, "a b.txt"));
  });

  test("refuses paths that leave the folder or are malformed", () => {
    for (const p of ["/../etc/passwd", "/assets/../../x", "/%2e%2e/x", "/a%2f..%2f..%2fx", "/a%5c..%5cx", "/%00", "/%E0%A4%A", "relative", "//..//x"]) {
      expect(resolveWebPath(root, p)).toBeUndefined();
    }
  });

  test("never returns a file outside the folder, for any request path", () => {
    const seg = fc.oneof(fc.constantFrom("..", ".", "", "%2e%2e", "%2F", "%5C", "%00", "a", "assets", "%"), fc.string());
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 8 }), (segs) => {
        const file = resolveWebPath(root, `/${segs.join("/")}`);
        if (file === undefined) return;
        const rel = path.relative(root, file);
        expect(rel === "" || rel.startsWith("..") || path.isAbsolute(rel)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

function rawStatus(port: number, p: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: p }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on("error", reject);
  });
}

describe("serveWebApp", () => {
  let dir: string;
  let server: WebServer;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-web-"));
    const root = path.join(dir, "dist");
    fs.mkdirSync(path.join(root, "assets"), { recursive: true });
    fs.writeFileSync(path.join(root, "index.html"), "<!doctype html><title>app</title>");
    fs.writeFileSync(path.join(root, "assets", "a.js"), "export {};");
    fs.writeFileSync(path.join(dir, "secret.txt"), "secret");
    fs.symlinkSync(path.join(dir, "secret.txt"), path.join(root, "link.txt"));
    server = await serveWebApp({ root, port: 0, config: { rpc: "http://127.0.0.1:1", rest: "http://127.0.0.1:2", chainId: "c-1", devAccounts: [{ name: "alice", mnemonic: "m" }] } });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("serves the app, its assets and the generated config.json", async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toContain("text/html");
    expect(await index.text()).toContain("<title>app</title>");
    const js = await fetch(`${server.url}/assets/a.js`);
    expect(js.headers.get("content-type")).toContain("text/javascript");
    const config = await fetch(`${server.url}/config.json`);
    expect(config.headers.get("cache-control")).toBe("no-store");
    expect(await config.json()).toEqual({ rpc: "http://127.0.0.1:1", rest: "http://127.0.0.1:2", chainId: "c-1", devAccounts: [{ name: "alice", mnemonic: "m" }] });
  });

  test("refuses what is outside the folder, missing, or not a GET", async () => {
    expect((await fetch(`${server.url}/link.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(204);
    expect((await fetch(`${server.url}/assets`)).status).toBe(404);
    // fetch would normalise these paths; send them as they are.
    expect(await rawStatus(server.port, "/%2e%2e/secret.txt")).toBe(400);
    expect(await rawStatus(server.port, "/../secret.txt")).toBe(400);
    expect((await fetch(`${server.url}/`, { method: "POST" })).status).toBe(405);
  });

  test("refuses to start when the app is not built", async () => {
    await expect(serveWebApp({ root: path.join(dir, "nothing"), port: 0, config: { rpc: "", rest: "", chainId: "" } })).rejects.toThrow(/npm run build/);
  });
});

/**
 * The gRPC server in process, over a real app (every module wired as in the node) and over fake
 * backends: raw-bytes pass-through equal to the ABCI query, reflection as grpcurl speaks it (list,
 * then a file by symbol and its imports by name, linked into a registry), Simulate, the height
 * metadata, status codes, the listen address and a graceful close.
 *
 * The last suite is opt-in: grpcurl itself against the server, when a `grpcurl` executable is
 * found (GRPCURL_BIN, else PATH; `go install github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.4`).
 * It is run asynchronously: the server runs in this process, a blocking spawn would stall it.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { createFileRegistry, fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import fc from "fast-check";
import { ApiError, GrpcCode, appQueryHandlers, grpcCodeOf, createBackend, type CallOptions, type MethodHandler, type ServiceBackend } from "../../../src/server/backend";
import { startGrpcServer, servicesOf, type GrpcServer } from "../../../src/server/grpc";
import { BLOCK_HEIGHT_METADATA, parseHeightMetadata, parseListenAddress } from "../../../src/server/grpc/parse";
import { gatewayDescriptors, splitFileDescriptorSet } from "../../../src/server/grpc/reflection";
import { FILE_DESCRIPTOR_SET_BASE64 } from "../../../src/generated/gateway/descriptors";
import { QueryParamsRequest } from "../../../src/generated/dcert/v1/query";
import { reservePorts } from "../../../src/localnet/proc";
import { testChain, type TestChain } from "../../helpers/app";
import { directWallet, firstAccount, msgSend, signDirect, testFee, TEST_CHAIN_ID } from "../../helpers/txs";

// Generous: the suite must pass on a busy machine (a real app, HD wallets and servers).
jest.setTimeout(180_000);

const DENOM = "udcert";

// ---------------------------------------------------------------- a raw-bytes client

const identity = (b: Buffer): Buffer => b;

function unary(client: grpc.Client, method: string, request: Uint8Array, metadata = new grpc.Metadata()): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(method, identity, identity, Buffer.from(request), metadata, (err, reply) => {
      if (err !== null) reject(err);
      else if (reply === undefined) reject(new Error("no reply"));
      else resolve(reply);
    });
  });
}

async function failure(p: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await p;
  } catch (e) {
    return e as grpc.ServiceError;
  }
  throw new Error("the call succeeded");
}

function heightMetadata(value: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set(BLOCK_HEIGHT_METADATA, value);
  return md;
}

// ---------------------------------------------------------------- a reflection client (@grpc/reflection's own protos)

interface ReflectionResponse {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}
type ReflectionRequest = { file_containing_symbol: string } | { file_by_filename: string } | { list_services: string };

const reflectionProtoDir = path.join(path.dirname(require.resolve("@grpc/reflection")), "..", "proto");

function reflectionClient(address: string, version: "v1" | "v1alpha"): grpc.Client {
  const def = protoLoader.loadSync(path.join(reflectionProtoDir, "grpc", "reflection", version, "reflection.proto"), {
    keepCase: true,
    oneofs: true,
    defaults: false,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    grpc: { reflection: Record<string, { ServerReflection: grpc.ServiceClientConstructor }> };
  };
  const ctor = pkg.grpc.reflection[version]?.ServerReflection;
  if (ctor === undefined) throw new Error(`no reflection ${version} service`);
  return new ctor(address, grpc.credentials.createInsecure());
}

/** One request on the bidirectional ServerReflectionInfo stream; its one response. */
function reflect(client: grpc.Client, request: ReflectionRequest): Promise<ReflectionResponse> {
  return new Promise((resolve, reject) => {
    const stream = (client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<ReflectionRequest, ReflectionResponse> }).ServerReflectionInfo();
    stream.once("data", (r: ReflectionResponse) => {
      resolve(r);
      stream.end();
    });
    stream.once("error", reject);
    stream.write(request);
  });
}

async function listServices(client: grpc.Client): Promise<string[]> {
  const r = await reflect(client, { list_services: "*" });
  return (r.list_services_response?.service ?? []).map((s) => s.name).sort();
}

/**
 * What grpcurl does to describe a symbol: the file containing it (plus what the server sends
 * along), then every import still missing by file name, until the set is closed; then links them.
 */
async function describeSymbol(client: grpc.Client, symbol: string): Promise<{ files: Map<string, FileDescriptorProto>; requests: number }> {
  const files = new Map<string, FileDescriptorProto>();
  const add = (r: ReflectionResponse): void => {
    if (r.error_response !== undefined) throw new Error(`reflection error ${r.error_response.error_code}: ${r.error_response.error_message}`);
    for (const b of r.file_descriptor_response?.file_descriptor_proto ?? []) {
      const f = fromBinary(FileDescriptorProtoSchema, b);
      files.set(f.name, f);
    }
  };
  add(await reflect(client, { file_containing_symbol: symbol }));
  let requests = 1;
  for (;;) {
    const missing = [...files.values()].flatMap((f) => f.dependency).find((d) => !files.has(d));
    if (missing === undefined) break;
    add(await reflect(client, { file_by_filename: missing }));
    requests += 1;
  }
  return { files, requests };
}

/** The files ordered so that each comes after the files it imports (as a linker reads them). */
function importsFirst(files: ReadonlyMap<string, FileDescriptorProto>): FileDescriptorProto[] {
  const out: FileDescriptorProto[] = [];
  const done = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    done.add(name);
    const f = files.get(name);
    if (f === undefined) throw new Error(`file ${name} was not received`);
    for (const d of f.dependency) visit(d);
    out.push(f);
  };
  for (const name of [...files.keys()].sort()) visit(name);
  return out;
}

// ---------------------------------------------------------------- over a real app

describe("the gRPC server over the app's query services", () => {
  let chain: TestChain;
  let alice: string;
  let server: GrpcServer;
  let client: grpc.Client;
  const logs: string[] = [];

  beforeAll(async () => {
    alice = (await firstAccount(await directWallet())).address;
    chain = testChain({ accounts: [{ address: alice, amount: 10n ** 12n }] });
    chain.block();
    chain.block();
    const backend = createBackend(appQueryHandlers(chain.app));
    server = await startGrpcServer(backend, { address: "127.0.0.1:0", log: (l) => logs.push(l) });
    client = new grpc.Client(server.address, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  function appQuery(method: string, data: Uint8Array): Uint8Array {
    const res = chain.app.query({ path: method, data, height: 0n, prove: false });
    expect(res.code).toBe(0);
    return res.value;
  }

  test("binds a free port for port 0 and says where", () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    expect(logs.some((l) => l.includes(`listening on ${server.address}`))).toBe(true);
  });

  test("bank Balance answers the same bytes as the ABCI query", async () => {
    const method = "/cosmos.bank.v1beta1.Query/Balance";
    const req = QueryBalanceRequest.encode({ address: alice, denom: DENOM }).finish();
    const reply = await unary(client, method, req);
    expect(new Uint8Array(reply)).toEqual(appQuery(method, req));
    expect(QueryBalanceResponse.decode(reply).balance?.amount).toBe((10n ** 12n - 10n ** 11n).toString());
  });

  test("a dCERT query answers the same bytes as the ABCI query", async () => {
    const method = "/dcert.v1.Query/Params";
    const req = QueryParamsRequest.encode({}).finish();
    const reply = await unary(client, method, req);
    expect(reply.length).toBeGreaterThan(0);
    expect(new Uint8Array(reply)).toEqual(appQuery(method, req));
  });

  test("Simulate of a signed tx reports the gas it used", async () => {
    const wallet = await directWallet();
    const tx = await signDirect(wallet, {
      msgs: [msgSend(alice, alice, 1n)],
      fee: testFee(),
      chainId: TEST_CHAIN_ID,
      accountNumber: 0n,
      sequence: 0n,
    });
    const reply = await unary(client, "/cosmos.tx.v1beta1.Service/Simulate", SimulateRequest.encode({ txBytes: tx }).finish());
    const sim = SimulateResponse.decode(reply);
    expect(sim.gasInfo?.gasUsed).toBeGreaterThan(0n);
    expect(sim.result?.events.some((e) => e.type === "transfer")).toBe(true);
  });

  test("a method not served is UNIMPLEMENTED", async () => {
    const err = await failure(unary(client, "/cosmos.bank.v1beta1.Query/NoSuchMethod", new Uint8Array()));
    expect(err.code).toBe(grpc.status.UNIMPLEMENTED);
    const err2 = await failure(unary(client, "/cosmos.nft.v1beta1.Query/Balance", new Uint8Array()));
    expect(err2.code).toBe(grpc.status.UNIMPLEMENTED);
  });

  test("a bad address is INVALID_ARGUMENT with the app's message", async () => {
    const req = QueryBalanceRequest.encode({ address: "notanaddress", denom: DENOM }).finish();
    const err = await failure(unary(client, "/cosmos.bank.v1beta1.Query/Balance", req));
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).toMatch(/notanaddress.*bech32/);
  });

  test("undecodable request bytes are the app's rejection, with its status and message", async () => {
    const method = "/cosmos.bank.v1beta1.Query/Balance";
    const bad = Uint8Array.of(0x0a, 0xff);
    const abci = chain.app.query({ path: method, data: bad, height: 0n, prove: false });
    expect(abci.code).not.toBe(0);
    const err = await failure(unary(client, method, bad));
    expect([err.code, err.details]).toEqual([grpcCodeOf(abci.codespace, abci.code), abci.log]);
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  test("x-cosmos-block-height: the latest height and 0 answer; another height is the app's INVALID_ARGUMENT", async () => {
    const method = "/dcert.v1.Query/Params";
    const req = QueryParamsRequest.encode({}).finish();
    const latest = chain.height;
    expect(new Uint8Array(await unary(client, method, req, heightMetadata(latest.toString())))).toEqual(appQuery(method, req));
    expect(new Uint8Array(await unary(client, method, req, heightMetadata("0")))).toEqual(appQuery(method, req));
    const err = await failure(unary(client, method, req, heightMetadata((latest - 1n).toString())));
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).toMatch(/historical queries are not supported/);
  });

  test("a malformed x-cosmos-block-height is INVALID_ARGUMENT and names the metadata", async () => {
    for (const bad of ["abc", "-1", "1.5", "99999999999999999999"]) {
      const err = await failure(unary(client, "/dcert.v1.Query/Params", new Uint8Array(), heightMetadata(bad)));
      expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(err.details).toContain(BLOCK_HEIGHT_METADATA);
    }
  });

  test.each(["v1", "v1alpha"] as const)("reflection %s lists exactly the services served", async (version) => {
    const r = reflectionClient(server.address, version);
    try {
      const listed = await listServices(r);
      const served = [...servicesOf(chain.app.queryPaths()).keys()].sort();
      expect(listed).toEqual(served);
      expect(listed).toEqual(expect.arrayContaining(["cosmos.bank.v1beta1.Query", "cosmos.tx.v1beta1.Service", "dcert.v1.Query", "coord.v1.Query"]));
      // Msg services are in the descriptor set but are not served over gRPC.
      expect(listed).not.toContain("cosmos.bank.v1beta1.Msg");
    } finally {
      r.close();
    }
  });

  test.each(["v1", "v1alpha"] as const)("reflection %s describes a symbol with files that link", async (version) => {
    const r = reflectionClient(server.address, version);
    try {
      for (const symbol of ["cosmos.bank.v1beta1.Query", "dcert.v1.QueryParamsResponse"]) {
        const { files } = await describeSymbol(r, symbol);
        // The files keep their names and imports, so a client can link them (protobuf-es checks every reference).
        const registry = createFileRegistry({ $typeName: "google.protobuf.FileDescriptorSet", file: importsFirst(files) });
        if (symbol.endsWith(".Query")) {
          const service = registry.getService(symbol);
          const balance = service?.methods.find((m) => m.name === "Balance");
          expect(balance?.input.typeName).toBe("cosmos.bank.v1beta1.QueryBalanceRequest");
          expect(balance?.output.fields.find((f) => f.name === "balance")?.message?.typeName).toBe("cosmos.base.v1beta1.Coin");
        } else {
          const msg = registry.getMessage(symbol) as DescMessage;
          const params = msg.fields.find((f) => f.name === "params")?.message;
          expect(params?.typeName).toBe("dcert.v1.Params");
          expect(params?.fields.find((f) => f.name === "min_member_bond")?.message?.typeName).toBe("cosmos.base.v1beta1.Coin");
        }
      }
      const missing = await reflect(r, { file_containing_symbol: "no.such.Symbol" });
      expect(missing.error_response?.error_code).toBe(grpc.status.NOT_FOUND);
    } finally {
      r.close();
    }
  });
});

// ---------------------------------------------------------------- over fake backends

function fakeBackend(handlers: Record<string, MethodHandler>): ServiceBackend {
  return createBackend(new Map(Object.entries(handlers)));
}

async function withServer<T>(backend: ServiceBackend, f: (client: grpc.Client, server: GrpcServer, logs: string[]) => Promise<T>): Promise<T> {
  const logs: string[] = [];
  const server = await startGrpcServer(backend, { address: "127.0.0.1:0", log: (l) => logs.push(l) });
  const client = new grpc.Client(server.address, grpc.credentials.createInsecure());
  try {
    return await f(client, server, logs);
  } finally {
    client.close();
    await server.close();
  }
}

describe("the gRPC server's statuses and lifecycle", () => {
  test("passes request bytes and CallOptions through and answers the handler's bytes", async () => {
    const seen: { request: Uint8Array; opts: CallOptions }[] = [];
    const backend = fakeBackend({
      "/test.v1.Query/Echo": async (request, opts) => {
        seen.push({ request, opts });
        return Uint8Array.from([...request].reverse());
      },
    });
    await withServer(backend, async (client) => {
      expect([...(await unary(client, "/test.v1.Query/Echo", Uint8Array.of(1, 2, 3)))]).toEqual([3, 2, 1]);
      expect([...(await unary(client, "/test.v1.Query/Echo", new Uint8Array(), heightMetadata("42")))]).toEqual([]);
    });
    expect(seen.map((s) => [[...s.request], s.opts])).toEqual([
      [[1, 2, 3], {}],
      [[], { height: 42n }],
    ]);
  });

  test("an ApiError is its status and message; any other failure is INTERNAL with its message, logged", async () => {
    const backend = fakeBackend({
      "/test.v1.Query/Missing": () => Promise.reject(new ApiError(GrpcCode.NOT_FOUND, "proposal 9 not found")),
      "/test.v1.Query/Busy": () => Promise.reject(new ApiError(GrpcCode.UNAVAILABLE, "CometBFT RPC unreachable")),
      "/test.v1.Query/Broken": () => Promise.reject(new TypeError("cannot read x of undefined")),
    });
    await withServer(backend, async (client, _server, logs) => {
      const missing = await failure(unary(client, "/test.v1.Query/Missing", new Uint8Array()));
      expect([missing.code, missing.details]).toEqual([grpc.status.NOT_FOUND, "proposal 9 not found"]);
      const busy = await failure(unary(client, "/test.v1.Query/Busy", new Uint8Array()));
      expect([busy.code, busy.details]).toEqual([grpc.status.UNAVAILABLE, "CometBFT RPC unreachable"]);
      const broken = await failure(unary(client, "/test.v1.Query/Broken", new Uint8Array()));
      expect([broken.code, broken.details]).toEqual([grpc.status.INTERNAL, "cannot read x of undefined"]);
      expect(logs.some((l) => l.includes("/test.v1.Query/Broken") && l.includes("cannot read x of undefined"))).toBe(true);
    });
  });

  test("a service without a descriptor is served but not listed, and the log says so", async () => {
    const backend = fakeBackend({ "/test.v1.Query/Echo": async (r) => r });
    await withServer(backend, async (client, server, logs) => {
      expect([...(await unary(client, "/test.v1.Query/Echo", Uint8Array.of(7)))]).toEqual([7]);
      const r = reflectionClient(server.address, "v1");
      try {
        expect(await listServices(r)).toEqual([]);
      } finally {
        r.close();
      }
      expect(logs.some((l) => l.includes("test.v1.Query") && l.includes("no descriptor"))).toBe(true);
    });
  });

  test("listens on a reserved port", async () => {
    const reservation = await reservePorts(1);
    try {
      const port = reservation.ports[0]!;
      await reservation.unhold();
      const server = await startGrpcServer(fakeBackend({ "/test.v1.Query/Echo": async (r) => r }), { address: `127.0.0.1:${port}`, log: () => {} });
      try {
        expect([server.port, server.address]).toEqual([port, `127.0.0.1:${port}`]);
        // The port is taken now: a second server on it fails with the address in the message
        // (grpc-js logs the failed bind too; muted here).
        grpc.setLogVerbosity(grpc.logVerbosity.NONE);
        try {
          await expect(startGrpcServer(fakeBackend({}), { address: `127.0.0.1:${port}`, log: () => {} })).rejects.toThrow(`127.0.0.1:${port}`);
        } finally {
          grpc.setLogVerbosity(grpc.logVerbosity.ERROR);
        }
      } finally {
        await server.close();
      }
    } finally {
      await reservation.release();
    }
  });

  test("rejects a malformed listen address before binding", async () => {
    for (const bad of ["tcp://127.0.0.1:9090", "127.0.0.1", "127.0.0.1:70000", ":9090", "::1:9090", "host name:1"]) {
      await expect(startGrpcServer(fakeBackend({}), { address: bad, log: () => {} })).rejects.toThrow(/invalid gRPC address/);
    }
  });

  test("close() lets a running call finish, refuses new ones, and resolves", async () => {
    let release!: () => void;
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const backend = fakeBackend({
      "/test.v1.Query/Slow": () =>
        new Promise<Uint8Array>((resolve) => {
          release = () => resolve(Uint8Array.of(9));
          markStarted();
        }),
    });
    const server = await startGrpcServer(backend, { address: "127.0.0.1:0", log: () => {} });
    const client = new grpc.Client(server.address, grpc.credentials.createInsecure());
    const late = new grpc.Client(server.address, grpc.credentials.createInsecure());
    try {
      const slow = unary(client, "/test.v1.Query/Slow", new Uint8Array());
      await started;
      let closed = false;
      const closing = server.close().then(() => {
        closed = true;
      });
      // The call is still running: close() waits for it.
      await new Promise((r) => setTimeout(r, 50));
      expect(closed).toBe(false);
      release();
      expect([...(await slow)]).toEqual([9]);
      await closing;
      expect(closed).toBe(true);
      const err = await failure(unary(late, "/test.v1.Query/Slow", new Uint8Array()));
      expect(err.code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      late.close();
      client.close();
      await server.close();
    }
  });
});

// ---------------------------------------------------------------- parsing and the descriptor set

describe("parsing and descriptors", () => {
  test("the height metadata: a decimal int64 ≥ 0, once; anything else INVALID_ARGUMENT", () => {
    expect(parseHeightMetadata([])).toBeUndefined();
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), (h) => {
        expect(parseHeightMetadata([h.toString()])).toBe(h);
        expect(parseHeightMetadata([Buffer.from(h.toString())])).toBe(h);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        let out: bigint | undefined | Error;
        try {
          out = parseHeightMetadata([s]);
        } catch (e) {
          out = e as Error;
        }
        if (/^[0-9]+$/.test(s) && BigInt(s) < 1n << 63n && s.length <= 19) expect(out).toBe(BigInt(s));
        else expect(out instanceof ApiError && out.code === GrpcCode.INVALID_ARGUMENT).toBe(true);
      }),
    );
    expect(() => parseHeightMetadata([(1n << 63n).toString()])).toThrow(/above the largest height/);
    expect(() => parseHeightMetadata(["1", "2"])).toThrow(/given 2 times/);
  });

  test("the listen address: host:port, IPv6 in brackets, port 0–65535", () => {
    expect(parseListenAddress("127.0.0.1:9090")).toEqual({ host: "127.0.0.1", port: 9090 });
    expect(parseListenAddress("[::1]:0")).toEqual({ host: "[::1]", port: 0 });
    expect(parseListenAddress("localhost:65535")).toEqual({ host: "localhost", port: 65535 });
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 65535 }), (host, port) => {
        expect(parseListenAddress(`${host}:${port}`)).toEqual({ host, port });
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        let out: unknown;
        try {
          out = parseListenAddress(s);
        } catch (e) {
          out = e;
        }
        if (out instanceof Error) {
          expect(out.message).toMatch(/invalid gRPC address .*expected host:port/);
        } else {
          const { host, port } = out as { host: string; port: number };
          expect(s.startsWith(`${host}:`) && Number(s.slice(host.length + 1)) === port).toBe(true);
          expect(parseListenAddress(`${host}:${port}`)).toEqual({ host, port });
        }
      }),
    );
  });

  test("reflection serves the descriptor set's own files: every file, its imports intact", () => {
    const set = Buffer.from(FILE_DESCRIPTOR_SET_BASE64, "base64");
    const files = splitFileDescriptorSet(set).map((b) => fromBinary(FileDescriptorProtoSchema, b));
    const names = new Set(files.map((f) => f.name));
    expect(names.has("cosmos/bank/v1beta1/query.proto")).toBe(true);
    expect(names.has("dcert/v1/query.proto")).toBe(true);
    for (const f of files) for (const d of f.dependency) expect(names.has(d)).toBe(true);
    const { pkg, services } = gatewayDescriptors();
    expect(services.has("cosmos.bank.v1beta1.Query")).toBe(true);
    expect(services.has("dcert.v1.Query")).toBe(true);
    expect(services.has("cosmos.tx.v1beta1.Service")).toBe(true);
    const carried = Object.values(pkg).flatMap((d) => (d as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos ?? []);
    expect(carried.map((b) => fromBinary(FileDescriptorProtoSchema, b).name)).toEqual(files.map((f) => f.name));
  });
});

// ---------------------------------------------------------------- grpcurl (opt-in)

const run = promisify(execFile);

/** GRPCURL_BIN, else the first executable `grpcurl` on PATH, else undefined. */
function findGrpcurl(): string | undefined {
  const fromEnv = process.env["GRPCURL_BIN"];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, "grpcurl");
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const grpcurlBin = findGrpcurl();
if (grpcurlBin !== undefined) {
  describe(`grpcurl (${grpcurlBin}) against the gRPC server`, () => {
    let chain: TestChain;
    let alice: string;
    let server: GrpcServer;

    beforeAll(async () => {
      alice = (await firstAccount(await directWallet())).address;
      chain = testChain({ accounts: [{ address: alice, amount: 10n ** 12n }] });
      chain.block();
      chain.block();
      server = await startGrpcServer(createBackend(appQueryHandlers(chain.app)), { address: "127.0.0.1:0", log: () => {} });
    });
    afterAll(async () => {
      await server?.close();
    });

    /** `grpcurl -plaintext <flags> <server> <args>`: its exit code, stdout and stderr. */
    async function grpcurl(flags: string[], ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      try {
        const { stdout, stderr } = await run(grpcurlBin!, ["-plaintext", "-connect-timeout", "60", ...flags, server.address, ...args]);
        return { code: 0, stdout, stderr };
      } catch (e) {
        const err = e as { code?: number; stdout?: string; stderr?: string };
        return { code: err.code ?? -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
      }
    }

    test("list shows the served services", async () => {
      const r = await grpcurl([], "list");
      expect(r.stderr).toBe("");
      const listed = r.stdout.trim().split("\n").sort();
      expect(listed).toEqual([...servicesOf(chain.app.queryPaths()).keys()].sort());
    });

    test("describe resolves a method and its messages across files", async () => {
      const method = await grpcurl([], "describe", "cosmos.bank.v1beta1.Query.Balance");
      expect(method.stdout).toContain("rpc Balance ( .cosmos.bank.v1beta1.QueryBalanceRequest ) returns ( .cosmos.bank.v1beta1.QueryBalanceResponse )");
      const msg = await grpcurl([], "describe", "dcert.v1.QueryParamsResponse");
      expect(msg.code).toBe(0);
      expect(msg.stdout).toContain(".dcert.v1.Params params");
    });

    test("a bank and a dCERT query from JSON", async () => {
      const bal = await grpcurl(["-d", JSON.stringify({ address: alice, denom: "udcert" })], "cosmos.bank.v1beta1.Query/Balance");
      expect(JSON.parse(bal.stdout)).toEqual({ balance: { denom: "udcert", amount: (10n ** 12n - 10n ** 11n).toString() } });
      const params = await grpcurl([], "dcert.v1.Query/Params");
      expect((JSON.parse(params.stdout) as { params: { minMemberBond: { denom: string } } }).params.minMemberBond.denom).toBe("udcert");
    });

    test("Simulate of a signed tx", async () => {
      const tx = await signDirect(await directWallet(), { msgs: [msgSend(alice, alice, 1n)], fee: testFee(), chainId: TEST_CHAIN_ID, accountNumber: 0n, sequence: 0n });
      const r = await grpcurl(["-d", JSON.stringify({ tx_bytes: Buffer.from(tx).toString("base64") })], "cosmos.tx.v1beta1.Service/Simulate");
      const sim = JSON.parse(r.stdout) as { gasInfo: { gasUsed: string } };
      expect(BigInt(sim.gasInfo.gasUsed)).toBeGreaterThan(0n);
    });

    test("the height header: another height is InvalidArgument", async () => {
      const r = await grpcurl(["-H", `x-cosmos-block-height: ${chain.height - 1n}`], "dcert.v1.Query/Params");
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("Code: InvalidArgument");
      expect(r.stderr).toContain("historical queries are not supported");
    });
  });
}

/**
 * The gRPC status of a failed query (what REST turns into an HTTP status): the code its registered
 * error carries, never anything read from the log (explorers show 404 pages for NOT_FOUND).
 */
import { ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import fc from "fast-check";
import { ErrNoEvidenceExists } from "../../../src/x/evidence/errors";
import { ApiError, GrpcCode, appQueryHandlers, grpcCodeOf, type QueryApp } from "../../../src/server/backend";
import { GrpcStatus, grpcCodeOfError, registerError, registeredErrors } from "../../../src/types/errors";
// Every module's errors register when the app is composed.
import "../../../src/app/node";

const PATH = "/test.v1.Query/Fails";

/** An app whose one query fails with the given result. */
function failingApp(codespace: string, code: number, log: string): QueryApp {
  return {
    query: () => ResponseQuery.fromPartial({ codespace, code, log }),
    queryPaths: () => [PATH],
  };
}

async function statusOf(codespace: string, code: number, log: string): Promise<ApiError> {
  const handler = appQueryHandlers(failingApp(codespace, code, log)).get(PATH);
  if (handler === undefined) throw new Error("no handler");
  try {
    await handler(new Uint8Array(), {});
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("the query did not fail");
}

/** Logs, including wording a text match would have read as "missing" or "bad input". */
const logs = fc.oneof(fc.string(), fc.constantFrom("", "x not found", "does not exist", "no such thing", "invalid y", "must be positive", "malformed", "unknown proposal 9"));

describe("grpcCodeOf", () => {
  test("the SDK's root codes", () => {
    expect(grpcCodeOf("sdk", 7)).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(grpcCodeOf("sdk", 4)).toBe(GrpcCode.PERMISSION_DENIED);
    expect(grpcCodeOf("sdk", 11)).toBe(GrpcCode.RESOURCE_EXHAUSTED);
    expect(grpcCodeOf("sdk", 22)).toBe(GrpcCode.NOT_FOUND);
    expect(grpcCodeOf("sdk", 38)).toBe(GrpcCode.NOT_FOUND);
    expect(grpcCodeOf("sdk", 6)).toBe(GrpcCode.UNIMPLEMENTED);
    expect(grpcCodeOf("sdk", 35)).toBe(GrpcCode.UNKNOWN); // internal logic error
  });

  test("GrpcStatus names the numbers of GrpcCode", () => {
    for (const [name, n] of Object.entries(GrpcStatus)) expect([name, GrpcCode[n]]).toEqual([name, name]);
  });

  test("a missing evidence hash is NOT_FOUND, as in the SDK", () => {
    const e = ErrNoEvidenceExists.wrap("AB12");
    expect(grpcCodeOf(e.codespace, e.code)).toBe(GrpcCode.NOT_FOUND);
  });

  test("every registered error maps to its registered code, UNKNOWN without one", () => {
    const all = registeredErrors();
    expect(all.filter((e) => e.grpcCode !== undefined).length).toBeGreaterThan(100);
    for (const e of all) {
      expect([e.codespace, e.code, grpcCodeOf(e.codespace, e.code)]).toEqual([e.codespace, e.code, e.grpcCode ?? GrpcCode.UNKNOWN]);
      expect(grpcCodeOfError(e.codespace, e.code)).toBe(e.grpcCode);
    }
  });

  test("every registered error whose description says a record is missing is NOT_FOUND", () => {
    const missing = registeredErrors().filter((e) => /not found|does not exist/i.test(e.description));
    expect(missing.length).toBeGreaterThan(3);
    for (const e of missing) expect([e.codespace, e.code, grpcCodeOf(e.codespace, e.code)]).toEqual([e.codespace, e.code, GrpcCode.NOT_FOUND]);
  });

  test("a failed query answers its error's code whatever the log says, with the log as the message", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...registeredErrors()), logs, logs, async (e, log1, log2) => {
        const [a, b] = [await statusOf(e.codespace, e.code, log1), await statusOf(e.codespace, e.code, log2)];
        expect([a.code, b.code]).toEqual([e.grpcCode ?? GrpcCode.UNKNOWN, e.grpcCode ?? GrpcCode.UNKNOWN]);
        expect([a.message, b.message]).toEqual([log1, log2]);
      }),
    );
  });

  test("an unregistered (codespace, code) is UNKNOWN, whatever the log says", async () => {
    expect(grpcCodeOf("sdk", 19)).toBe(GrpcCode.UNKNOWN); // tx already in mempool: CometBFT's, not registered here
    expect(grpcCodeOf("undefined", 1)).toBe(GrpcCode.UNKNOWN); // an internal error
    const registered = new Set(registeredErrors().map((e) => `${e.codespace}:${e.code}`));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom("sdk", "gov", "dcert", "coord", "staking"), fc.string()),
        fc.integer({ min: 0, max: 1000 }),
        logs,
        async (codespace, code, log) => {
          fc.pre(!registered.has(`${codespace}:${code}`));
          expect(grpcCodeOfError(codespace, code)).toBeUndefined();
          expect(grpcCodeOf(codespace, code)).toBe(GrpcCode.UNKNOWN);
          if (code !== 0) expect((await statusOf(codespace, code, log)).code).toBe(GrpcCode.UNKNOWN);
        },
      ),
    );
  });

  test("registerError refuses a gRPC code an error cannot carry", () => {
    for (const bad of [0, 2, 17, -1, 1.5]) expect(() => registerError("grpccodetest", 2, "x", bad)).toThrow(/not a gRPC status code/);
    expect(registerError("grpccodetest", 2, "x", GrpcStatus.NOT_FOUND).grpcCode).toBe(GrpcCode.NOT_FOUND);
    expect(registerError("grpccodetest", 3, "y").grpcCode).toBeUndefined();
  });
});

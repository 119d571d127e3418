/**
 * The gRPC status of a failed query (what REST turns into an HTTP status): the SDK's root codes by
 * number, every registered "missing record" error as NOT_FOUND (explorers show 404 pages for those).
 */
import { ErrNoEvidenceExists } from "../../../src/x/evidence/errors";
import { GrpcCode, grpcCodeOf } from "../../../src/server/backend";
import { registeredErrors } from "../../../src/types/errors";
// Every module's errors register when the app is composed.
import "../../../src/app/node";

describe("grpcCodeOf", () => {
  test("the SDK's root codes", () => {
    expect(grpcCodeOf("sdk", 7, "decoding bech32 failed: invalid address")).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(grpcCodeOf("sdk", 11, "out of gas")).toBe(GrpcCode.RESOURCE_EXHAUSTED);
    expect(grpcCodeOf("sdk", 38, "not found")).toBe(GrpcCode.NOT_FOUND);
    expect(grpcCodeOf("sdk", 6, "unknown query path")).toBe(GrpcCode.UNIMPLEMENTED);
  });

  test("a missing evidence hash is NOT_FOUND, as in the SDK", () => {
    const e = ErrNoEvidenceExists.wrap("AB12");
    expect(grpcCodeOf(e.codespace, e.code, e.message)).toBe(GrpcCode.NOT_FOUND);
  });

  test("every registered error that says a record is missing maps to NOT_FOUND", () => {
    const missing = registeredErrors().filter((e) => /not found|does not exist/i.test(e.description));
    expect(missing.length).toBeGreaterThan(3);
    for (const e of missing) {
      const err = e.wrap("x");
      expect([e.codespace, e.code, grpcCodeOf(e.codespace, e.code, err.message)]).toEqual([e.codespace, e.code, GrpcCode.NOT_FOUND]);
    }
  });
});

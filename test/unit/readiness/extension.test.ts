/**
 * The readiness vote extension's shape rule (VerifyVoteExtension): what a node votes with is always
 * accepted, and oversize, undecodable, non-canonical, bad-hash, unsorted, duplicate, invalid-name or
 * too-many-handler extensions are rejected.
 */
import fc from "fast-check";
import { BinaryWriter } from "cosmjs-types/binary";
import { ReadinessExtension } from "../../../src/generated/dcert/upgrade/v1/types";
import { checkReadinessExtension, decodeReadinessExtension, isValidPlanName, readinessExtensionFor } from "../../../src/x/upgrade/readiness";
import { developmentBuild } from "../../../src/x/upgrade/build";

const HASH = Buffer.alloc(32, 0xab);
const enc = (e: Partial<ReadinessExtension>): Uint8Array =>
  ReadinessExtension.encode({ appVersion: "0.1.0", buildHash: HASH, upgradeHandlers: [], ...e }).finish();

describe("readiness extension shape", () => {
  test("a node's own extension is accepted and decodes to its build", () => {
    const build = developmentBuild("0.1.0");
    const bytes = readinessExtensionFor(build, ["v3", "v2", "v2", "bad name"]);
    expect(checkReadinessExtension(bytes)).toBeUndefined();
    const d = decodeReadinessExtension(bytes);
    if ("error" in d) throw new Error(d.error);
    expect(d.ext.upgradeHandlers).toEqual(["v2", "v3"]);
    expect(Buffer.from(d.ext.buildHash).equals(Buffer.from(build.buildHash))).toBe(true);
  });

  test.each([
    ["oversize", new Uint8Array(1025)],
    ["undecodable", Uint8Array.of(0x0a, 0x05, 0x01)],
    ["hash of 31 bytes", enc({ buildHash: Buffer.alloc(31) })],
    ["no hash", enc({ buildHash: Buffer.alloc(0) })],
    ["unsorted handlers", enc({ upgradeHandlers: ["v3", "v2"] })],
    ["duplicate handlers", enc({ upgradeHandlers: ["v2", "v2"] })],
    ["invalid handler name", enc({ upgradeHandlers: ["-v2"] })],
    ["handler name with a slash", enc({ upgradeHandlers: ["a/b"] })],
    ["33 handlers", enc({ upgradeHandlers: Array.from({ length: 33 }, (_, i) => `p${String(i).padStart(2, "0")}`) })],
    ["version of 65 characters", enc({ appVersion: "1".repeat(65) })],
    ["non-printable version", enc({ appVersion: "0.1\n" })],
    ["unknown field", new Uint8Array([...enc({}), 0x20, 0x01])],
    ["fields out of order", (() => { const w = BinaryWriter.create(); w.uint32(18).bytes(HASH); w.uint32(10).string("0.1.0"); return w.finish(); })()],
  ])("%s is rejected", (_name, bytes) => {
    expect(checkReadinessExtension(bytes)).toMatch(/./);
  });

  test("32 sorted valid handlers and a 64-character version are accepted", () => {
    const names = Array.from({ length: 32 }, (_, i) => `p${String(i).padStart(2, "0")}`);
    expect(checkReadinessExtension(enc({ upgradeHandlers: names, appVersion: "v".repeat(64) }))).toBeUndefined();
  });

  test("any bytes: never throws; accepted bytes re-encode to themselves", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1100 }), (b) => {
        const d = decodeReadinessExtension(b);
        if (!("error" in d)) expect(Buffer.from(ReadinessExtension.encode(d.ext).finish()).equals(Buffer.from(b))).toBe(true);
      }),
    );
  });

  test("whatever a build carries, its own extension is accepted", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/), { maxLength: 50 }), fc.string({ maxLength: 80 }), (names, version) => {
        const bytes = readinessExtensionFor({ appVersion: version, buildHash: new Uint8Array(32) }, names);
        expect(checkReadinessExtension(bytes)).toBeUndefined();
      }),
    );
  });

  test("plan names", () => {
    for (const ok of ["v2", "V2.0-rc1", "a", "x".repeat(140), "0_fix"]) expect(isValidPlanName(ok)).toBe(true);
    for (const bad of ["", ".v2", "_x", "-x", "a b", "a/b", "x".repeat(141), "é"]) expect(isValidPlanName(bad)).toBe(false);
  });
});

/**
 * What a node runs: its build's identity, reported in every vote extension (readiness) and used to
 * pick the upgrade handlers the binary carries. The node computes it at start (src/app/release.ts);
 * in-process tests use DEVELOPMENT_BUILD.
 */
import { createHash } from "node:crypto";

export interface BuildIdentity {
  /** The app's version string (APP_VERSION). */
  readonly appVersion: string;
  /** SHA-256 of the build (32 bytes). */
  readonly buildHash: Uint8Array;
  /**
   * Names of the upgrade handlers this build carries; undefined = every handler compiled in
   * (src/app/upgrades/). A release built without a handler lists the others.
   */
  readonly upgradeHandlers?: readonly string[];
}

/** The identity of a build nobody released (tests, `ts-node` runs). */
export function developmentBuild(appVersion: string): BuildIdentity {
  return { appVersion, buildHash: new Uint8Array(createHash("sha256").update("dcertd development build").digest()) };
}

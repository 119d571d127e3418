/**
 * The official validators the advisory exports are checked with, shared by the renderer unit tests
 * and the e2e story:
 *
 * - OSV: the official OSV schema (ossf/osv-schema v1.7.5, vendored under test/fixtures/schemas/osv
 *   with its sha256 pinned, because no npm package ships it), compiled with Ajv 8 (draft 2020-12)
 *   and ajv-formats.
 * - CSAF 2.0: BSI's `@secvisogram/csaf-validator-lib` 2.0.10 (strict schema test + every mandatory
 *   test). The library is ESM-only and Jest runs CommonJS, so test/fixtures/csaf/validate.mjs runs
 *   it in a child `node` process.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

export const OSV_SCHEMA_PATH = path.join(__dirname, "../fixtures/schemas/osv/schema.json");
export const OSV_SCHEMA_SHA256 = "cd2fc34779f60388921829a31f1e860b77b334ee586bffe500887c0c2725dbd9";

export type AjvError = { instancePath: string; schemaPath: string; keyword: string };

/** Ajv's errors for `doc` against the pinned official OSV schema ([] = valid). */
export function osvValidator(): (doc: unknown) => AjvError[] {
  const bytes = fs.readFileSync(OSV_SCHEMA_PATH);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== OSV_SCHEMA_SHA256) throw new Error(`vendored OSV schema changed: sha256 ${digest}, expected ${OSV_SCHEMA_SHA256}`);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(bytes.toString("utf8")) as object);
  return (doc) => (validate(doc) ? [] : ((validate.errors ?? []) as AjvError[]));
}

/**
 * The official schema only accepts ids whose prefix is a registered OSV home database
 * ($defs/prefix: GHSA, PYSEC, RUSTSEC, …). A chain's advisory prefix ("DCERT") is not registered,
 * so that one rule is the only one a dCERT export may fail; every other rule must pass.
 */
export function isUnregisteredIdPrefix(e: AjvError): boolean {
  return e.instancePath === "/id" && e.schemaPath === "#/$defs/prefix/pattern";
}

export interface CsafVerdict {
  isValid: boolean;
  failed: { name: string; errors: { message: string; instancePath: string }[] }[];
  warnings: { name: string; warnings: { message: string; instancePath: string }[] }[];
  tests: string[];
}

const CSAF_HELPER = path.join(__dirname, "../fixtures/csaf/validate.mjs");
const ROOT = path.join(__dirname, "../..");

/** Validates documents with @secvisogram/csaf-validator-lib in one child process. */
export function csafValidate(docs: readonly unknown[]): CsafVerdict[] {
  const out = execFileSync(process.execPath, [CSAF_HELPER], { cwd: ROOT, input: JSON.stringify(docs), maxBuffer: 64 << 20, timeout: 120_000 });
  return JSON.parse(out.toString("utf8")) as CsafVerdict[];
}

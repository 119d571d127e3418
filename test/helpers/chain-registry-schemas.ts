/**
 * The Cosmos chain registry's JSON schemas for `chain.json` and `assetlist.json` (vendored under
 * test/fixtures/schemas/chain-registry with their sha256 pinned, because no npm package ships
 * them), compiled with Ajv 8 (draft-07, as the files declare) and ajv-formats.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import draft07 from "ajv/dist/refs/json-schema-draft-07.json";

const DIR = path.join(__dirname, "../fixtures/schemas/chain-registry");

export const CHAIN_REGISTRY_SCHEMAS = {
  chain: { file: path.join(DIR, "chain.schema.json"), sha256: "b1ac30e06f6ca28f988e2058d4ada0549324cc35e8be1360d1628fda383d3c05" },
  assetlist: { file: path.join(DIR, "assetlist.schema.json"), sha256: "233d6ea8600d51001e3c8c669bd9261547cdfebb2ab9ba43163154fdd9c4706f" },
} as const;

export type SchemaError = { instancePath: string; schemaPath: string; keyword: string; message?: string };

/** Ajv's errors for a document against the pinned chain-registry schema ([] = valid). */
export function chainRegistryValidator(which: keyof typeof CHAIN_REGISTRY_SCHEMAS): (doc: unknown) => SchemaError[] {
  const { file, sha256 } = CHAIN_REGISTRY_SCHEMAS[which];
  const bytes = fs.readFileSync(file);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (digest !== sha256) throw new Error(`vendored chain-registry ${which} schema changed: sha256 ${digest}, expected ${sha256}`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The files name draft-07 by its https address; Ajv knows the meta-schema by its http one.
  ajv.addMetaSchema({ ...draft07, $id: "https://json-schema.org/draft-07/schema" });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(bytes.toString("utf8")) as object);
  return (doc) => (validate(doc) ? [] : ((validate.errors ?? []) as SchemaError[]));
}

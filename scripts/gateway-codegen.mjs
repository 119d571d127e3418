#!/usr/bin/env node
/**
 * Generates src/generated/gateway/ — what the REST gateway and the gRPC server need to know about
 * the protobuf schema at run time — from the SDK's annotated protos and this repository's:
 *
 *   descriptors.ts  the FileDescriptorSet (base64) of every served service and every message a
 *                   response or a transaction can carry (Any expansion, gRPC reflection)
 *   routes.ts       the route table, one row per `google.api.http` binding of a served method
 *   fields.ts       the fields whose JSON differs from plain proto3 JSON in the SDK's gateway:
 *                   LegacyDec custom types (written as decimals) and gogoproto non-nullable
 *                   messages (written even when empty)
 *
 * The SDK's protos come with its Go module through the Go module proxy (`go mod download`), with
 * gogoproto's and cosmos-proto's option files; google/api is this repository's own
 * (proto/third_party/google/api). Usage: node scripts/gateway-codegen.mjs <outDir>
 */
import { execFileSync } from "node:child_process";
import { cpSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createFileRegistry, fromBinary, getExtension, hasExtension } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");
const OUT = resolve(process.argv[2] ?? join(ROOT, "src/generated/gateway"));

/** Go modules whose protos the gateway is generated from (pinned; the SDK line explorers expect). */
export const MODULES = {
  sdk: "github.com/cosmos/cosmos-sdk@v0.50.15",
  gogoproto: "github.com/cosmos/gogoproto@v1.7.0",
  cosmosProto: "github.com/cosmos/cosmos-proto@v1.0.0-beta.5",
};

/** The SDK proto files served (query services, the tx and node services) or carried in responses. */
const SDK_FILES = [
  "cosmos/auth/v1beta1/query.proto",
  "cosmos/auth/v1beta1/auth.proto",
  "cosmos/bank/v1beta1/query.proto",
  "cosmos/bank/v1beta1/tx.proto",
  "cosmos/staking/v1beta1/query.proto",
  "cosmos/staking/v1beta1/tx.proto",
  "cosmos/distribution/v1beta1/query.proto",
  "cosmos/distribution/v1beta1/tx.proto",
  "cosmos/distribution/v1beta1/distribution.proto",
  "cosmos/gov/v1/query.proto",
  "cosmos/gov/v1/tx.proto",
  "cosmos/gov/v1beta1/query.proto",
  "cosmos/gov/v1beta1/tx.proto",
  "cosmos/slashing/v1beta1/query.proto",
  "cosmos/slashing/v1beta1/tx.proto",
  "cosmos/mint/v1beta1/query.proto",
  "cosmos/evidence/v1beta1/query.proto",
  "cosmos/evidence/v1beta1/evidence.proto",
  "cosmos/upgrade/v1beta1/query.proto",
  "cosmos/upgrade/v1beta1/tx.proto",
  "cosmos/upgrade/v1beta1/upgrade.proto",
  "cosmos/tx/v1beta1/service.proto",
  "cosmos/base/tendermint/v1beta1/query.proto",
  "cosmos/crypto/secp256k1/keys.proto",
  "cosmos/crypto/ed25519/keys.proto",
  "cosmos/crypto/multisig/keys.proto",
];

/** This repository's proto roots copied into the build (their files are all included). */
const OWN_DIRS = ["dcert", "coord"];

function goModDir(mod) {
  const gopath = execFileSync("go", ["env", "GOMODCACHE"], { encoding: "utf8" }).trim();
  const [path, version] = mod.split("@");
  const dir = join(gopath, path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`) + "@" + version);
  try {
    if (statSync(dir).isDirectory()) return dir;
  } catch {
    // not in the module cache yet
  }
  process.stderr.write(`gateway codegen: go mod download ${mod}\n`);
  const scratch = mkdtempSync(join(tmpdir(), "dcert-gomod-"));
  try {
    const out = execFileSync("go", ["mod", "download", "-json", mod], { cwd: scratch, encoding: "utf8", env: { ...process.env, GOFLAGS: "-mod=mod" } });
    const info = JSON.parse(out);
    if (info.Error) throw new Error(info.Error);
    return info.Dir;
  } catch (e) {
    throw new Error(`cannot download ${mod} through the Go module proxy (${e.message}); the gateway's route table is generated from its protos`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function protoFiles(dir, base = dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...protoFiles(p, base));
    else if (name.endsWith(".proto")) out.push(p.slice(base.length + 1));
  }
  return out;
}

/** A buf workspace of the SDK's protos, their option files and this repository's protos. */
function assemble(work) {
  const sdk = goModDir(MODULES.sdk);
  const gogo = goModDir(MODULES.gogoproto);
  const cosmosProto = goModDir(MODULES.cosmosProto);
  for (const d of ["cosmos", "amino", "tendermint"]) cpSync(join(sdk, "proto", d), join(work, d), { recursive: true });
  mkdirSync(join(work, "gogoproto"), { recursive: true });
  cpSync(join(gogo, "gogoproto", "gogo.proto"), join(work, "gogoproto", "gogo.proto"));
  mkdirSync(join(work, "cosmos_proto"), { recursive: true });
  cpSync(join(cosmosProto, "proto", "cosmos_proto", "cosmos.proto"), join(work, "cosmos_proto", "cosmos.proto"));
  cpSync(join(ROOT, "proto", "third_party", "google"), join(work, "google"), { recursive: true });
  for (const d of OWN_DIRS) cpSync(join(ROOT, "proto", d), join(work, d), { recursive: true });
  // The module cache is read-only; buf only reads, but rm -rf of the copy needs write access.
  execFileSync("chmod", ["-R", "u+w", work]);
  writeFileSync(join(work, "buf.yaml"), "version: v2\n");
  chmodSync(join(work, "buf.yaml"), 0o644);
}

function build(work) {
  const own = OWN_DIRS.flatMap((d) => protoFiles(join(work, d)).map((f) => `${d}/${f}`));
  const args = ["build", "--exclude-source-info", "-o", "-#format=binpb"];
  for (const f of [...SDK_FILES, ...own]) args.push("--path", f);
  return execFileSync(join(ROOT, "node_modules/.bin/buf"), args, { cwd: work, maxBuffer: 64 << 20 });
}

function pathOf(rule) {
  switch (rule.pattern.case) {
    case "get":
    case "put":
    case "post":
    case "delete":
    case "patch":
      return [rule.pattern.case.toUpperCase(), rule.pattern.value];
    default:
      throw new Error(`unsupported HTTP pattern ${rule.pattern.case}`);
  }
}

function generate(image) {
  const set = fromBinary(FileDescriptorSetSchema, image);
  // Only what a client needs: no SourceCodeInfo (excluded above), files in dependency order.
  const registry = createFileRegistry(set);
  const http = registry.getExtension("google.api.http");
  const customtype = registry.getExtension("gogoproto.customtype");
  const nullable = registry.getExtension("gogoproto.nullable");
  if (!http || !customtype || !nullable) throw new Error("option extensions missing from the descriptor set");

  const routes = [];
  const decFields = [];
  const nonNullable = [];
  for (const file of registry.files) {
    for (const svc of file.services) {
      for (const m of svc.methods) {
        const opts = m.proto.options;
        if (!opts || !hasExtension(opts, http)) continue;
        const rule = getExtension(opts, http);
        for (const r of [rule, ...rule.additionalBindings]) {
          const [verb, pattern] = pathOf(r);
          routes.push({ verb, pattern, service: svc.typeName, method: m.name, body: r.body });
        }
      }
    }
  }
  for (const t of registry) {
    if (t.kind !== "message") continue;
    for (const f of t.fields) {
      const o = f.proto.options;
      if (!o) continue;
      const ct = hasExtension(o, customtype) ? getExtension(o, customtype) : "";
      // Only the custom type changes the JSON: a plain string field with scalar "cosmos.Dec" (gov
      // v1's params, say) already holds the decimal text on the wire.
      if (/LegacyDec$/.test(ct)) decFields.push(`${t.typeName}.${f.name}`);
      if (f.message !== undefined && f.fieldKind === "message" && hasExtension(o, nullable) && getExtension(o, nullable) === false) {
        nonNullable.push(`${t.typeName}.${f.name}`);
      }
    }
  }
  routes.sort((a, b) => (a.pattern === b.pattern ? a.verb.localeCompare(b.verb) : a.pattern < b.pattern ? -1 : 1));
  decFields.sort();
  nonNullable.sort();
  return { routes, decFields, nonNullable, setBytes: image };
}

const HEADER = "// Code generated by scripts/gateway-codegen.mjs. DO NOT EDIT.\n";

function write({ routes, decFields, nonNullable, setBytes }) {
  mkdirSync(OUT, { recursive: true });
  const b64 = Buffer.from(setBytes).toString("base64");
  const lines = [];
  for (let i = 0; i < b64.length; i += 120) lines.push(`  "${b64.slice(i, i + 120)}",`);
  writeFileSync(
    join(OUT, "descriptors.ts"),
    `${HEADER}// The FileDescriptorSet of the served services and of every message their responses and transactions carry.\n` +
      `// Protos: ${MODULES.sdk}, ${MODULES.gogoproto}, ${MODULES.cosmosProto}, and proto/ of this repository.\n` +
      `export const FILE_DESCRIPTOR_SET_BASE64: string = [\n${lines.join("\n")}\n].join("");\n`,
  );
  const rows = routes.map((r) => `  { verb: ${JSON.stringify(r.verb)}, pattern: ${JSON.stringify(r.pattern)}, service: ${JSON.stringify(r.service)}, method: ${JSON.stringify(r.method)}, body: ${JSON.stringify(r.body)} },`);
  writeFileSync(
    join(OUT, "routes.ts"),
    `${HEADER}/** One HTTP binding of a gRPC method (its \`google.api.http\` option). */\n` +
      `export interface GatewayRoute {\n  readonly verb: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";\n  /** The path template, e.g. "/cosmos/bank/v1beta1/balances/{address}". */\n  readonly pattern: string;\n  /** Fully qualified service name, e.g. "cosmos.bank.v1beta1.Query". */\n  readonly service: string;\n  readonly method: string;\n  /** "" (no body), "*" (the whole request) or the request field the body fills. */\n  readonly body: string;\n}\n\n` +
      `export const GATEWAY_ROUTES: readonly GatewayRoute[] = [\n${rows.join("\n")}\n];\n`,
  );
  const list = (xs) => xs.map((x) => `  ${JSON.stringify(x)},`).join("\n");
  writeFileSync(
    join(OUT, "fields.ts"),
    `${HEADER}/** Fields of the LegacyDec custom type (string or bytes): the 18-decimal atomics on the wire, a decimal string in JSON. */\n` +
      `export const DEC_FIELDS: readonly string[] = [\n${list(decFields)}\n];\n\n` +
      `/** Message fields marked (gogoproto.nullable) = false: the SDK's JSON writes them even when unset. */\n` +
      `export const NON_NULLABLE_FIELDS: readonly string[] = [\n${list(nonNullable)}\n];\n`,
  );
  process.stderr.write(`gateway codegen: ${routes.length} routes, ${decFields.length} dec fields, ${nonNullable.length} non-nullable fields, descriptor set ${setBytes.length} bytes\n`);
}

const work = mkdtempSync(join(tmpdir(), "dcert-gateway-"));
try {
  assemble(work);
  write(generate(build(work)));
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * The SDK gateway's JSON reader: the inverse of the writer, for request bodies and for tests.
 * Field names may be proto names (snake_case) or lowerCamel JSON names; LegacyDec fields are
 * decimals; an Any is {"@type": url, ...fields} (or {"@type", "value": base64} for a type outside
 * the schema) and keeps its type URL exactly as given ("/cosmos.bank.v1beta1.MsgSend").
 */
import { create, fromJson, ScalarType, toBinary, type DescField, type DescMessage, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { base64Decode, base64Encode } from "@bufbuild/protobuf/wire";
import { ApiError, GrpcCode } from "../backend";
import { gatewaySchema, messageType } from "../schema";
import { decimalToAtomics } from "./dec";

/** Where an Any sits in the decoded message, and what it holds. */
interface AnyPatch {
  readonly path: readonly (string | number)[];
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

/** The protobuf encoding of the message `typeName` given as the SDK gateway's JSON. */
export function fromSdkJson(typeName: string, json: JsonValue): Uint8Array {
  const desc = messageType(typeName);
  return toBinary(desc, readMessage(desc, json, typeName));
}

function invalid(where: string, why: string): ApiError {
  return new ApiError(GrpcCode.INVALID_ARGUMENT, `${where}: ${why}`);
}

/** Decodes JSON into a message of `desc` (a plain @bufbuild/protobuf object). */
function readMessage(desc: DescMessage, json: JsonValue, where: string): never {
  if (desc.typeName === "google.protobuf.Any") {
    const any = create(desc) as unknown as Record<string, unknown>;
    if (json !== null) {
      const [typeUrl, value] = readAny(json, where);
      any["typeUrl"] = typeUrl;
      any["value"] = value;
    }
    return any as never;
  }
  const patches: AnyPatch[] = [];
  const prepared = prepare(desc, json, [], patches, where);
  let msg: Record<string, unknown>;
  try {
    msg = fromJson(desc, prepared, { registry: gatewaySchema().registry }) as unknown as Record<string, unknown>;
  } catch (e) {
    throw invalid(where, (e as Error).message);
  }
  for (const p of patches) {
    let at: unknown = msg;
    for (const k of p.path) at = (at as Record<string | number, unknown>)[k];
    const any = at as Record<string, unknown>;
    any["typeUrl"] = p.typeUrl;
    any["value"] = p.value;
  }
  return msg as never;
}

/** An Any's JSON → [type URL, encoded value]. */
function readAny(json: JsonValue, where: string): [string, Uint8Array] {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw invalid(where, "an Any must be a JSON object");
  if (Object.keys(json).length === 0) return ["", new Uint8Array()];
  const typeUrl = json["@type"];
  if (typeof typeUrl !== "string" || typeUrl === "") throw invalid(where, `an Any needs "@type"`);
  const inner = gatewaySchema().registry.getMessage(typeUrl.slice(typeUrl.lastIndexOf("/") + 1));
  const rest: JsonObject = {};
  for (const [k, v] of Object.entries(json)) if (k !== "@type") rest[k] = v;
  if (inner === undefined) {
    const v = rest["value"];
    if (typeof v !== "string" || Object.keys(rest).length !== 1) throw invalid(where, `${typeUrl} is not a known type: give its bytes as {"@type", "value": base64}`);
    return [typeUrl, decodeBase64(v, `${where}.value`)];
  }
  const body = inner.file.proto.package === "google.protobuf" && "value" in rest ? (rest["value"] ?? null) : rest;
  return [typeUrl, toBinary(inner, readMessage(inner, body, `${where}(${typeUrl})`))];
}

function decodeBase64(text: string, where: string): Uint8Array {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw invalid(where, "not base64");
  return base64Decode(text);
}

function fieldByJsonKey(desc: DescMessage, key: string): DescField | undefined {
  return desc.fields.find((f) => f.name === key || f.jsonName === key);
}

/**
 * JSON for @bufbuild/protobuf's fromJson: LegacyDec decimals turned into atomics, and every Any
 * replaced by {} with its content recorded in `patches` (fromJson would rewrite its type URL).
 */
function prepare(desc: DescMessage, json: JsonValue, path: (string | number)[], patches: AnyPatch[], where: string): JsonValue {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return json; // fromJson reports the mistake
  if (desc.file.proto.package === "google.protobuf") return json;
  const { decFields } = gatewaySchema();
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(json)) {
    const f = fieldByJsonKey(desc, key);
    if (f === undefined || value === null) {
      out[key] = value;
      continue;
    }
    const at = `${where}.${f.name}`;
    const fpath = f.oneof === undefined ? [...path, f.localName] : [...path, f.oneof.localName, "value"];
    if (decFields.has(`${desc.typeName}.${f.name}`)) {
      out[key] = decToWire(f, value, at);
      continue;
    }
    if (f.fieldKind === "message") {
      out[key] = prepareMessage(f.message, value, fpath, patches, at);
    } else if (f.fieldKind === "list" && f.listKind === "message" && Array.isArray(value)) {
      out[key] = value.map((v, i) => prepareMessage(f.message, v, [...fpath, i], patches, `${at}[${i}]`));
    } else if (f.fieldKind === "map" && f.mapKind === "message" && typeof value === "object" && !Array.isArray(value)) {
      const m: JsonObject = {};
      for (const [k, v] of Object.entries(value)) m[k] = prepareMessage(f.message, v, [...fpath, k], patches, `${at}[${k}]`);
      out[key] = m;
    } else {
      out[key] = value;
    }
  }
  return out;
}

function prepareMessage(desc: DescMessage, json: JsonValue, path: (string | number)[], patches: AnyPatch[], where: string): JsonValue {
  if (desc.typeName !== "google.protobuf.Any" || json === null) return prepare(desc, json, path, patches, where);
  const [typeUrl, value] = readAny(json, where);
  patches.push({ path, typeUrl, value });
  return {};
}

function decToWire(f: DescField, value: JsonValue, where: string): JsonValue {
  const one = (v: JsonValue): JsonValue => {
    if (typeof v !== "string") throw invalid(where, "a decimal must be a JSON string");
    const atomics = decimalToAtomics(v, where);
    return f.scalar === ScalarType.BYTES ? base64Encode(new TextEncoder().encode(atomics)) : atomics;
  };
  if (f.fieldKind === "list") {
    if (!Array.isArray(value)) throw invalid(where, "expected a JSON array");
    return value.map(one);
  }
  return one(value);
}

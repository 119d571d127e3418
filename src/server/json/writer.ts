/**
 * The SDK gateway's JSON writer (gogoproto jsonpb with OrigName, EmitDefaults and the interface
 * registry), over the gateway schema: proto field names; every field written (scalars' defaults,
 * [] and {}, null for an unset message or empty bytes, a non-nullable message's default object);
 * 64-bit integers as strings; bytes base64; enums by name; Any expanded by its type; Timestamp and
 * Duration as proto3 JSON; LegacyDec fields as 18-decimal strings.
 */
import { fromBinary, ScalarType, toJson, type DescEnum, type DescField, type DescMessage, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { ApiError, GrpcCode } from "../backend";
import { gatewaySchema, messageType } from "../schema";
import { atomicsToDecimal } from "./dec";

type Plain = Record<string, unknown>;

/** The SDK gateway's JSON of the message `typeName` encoded in `bytes`. */
export function toSdkJson(typeName: string, bytes: Uint8Array): JsonValue {
  const desc = messageType(typeName);
  let msg: Plain;
  try {
    msg = fromBinary(desc, bytes) as unknown as Plain;
  } catch (e) {
    throw new ApiError(GrpcCode.INTERNAL, `cannot decode ${typeName}: ${(e as Error).message}`);
  }
  return writeMessage(desc, msg);
}

/** The JSON of a decoded message (plain @bufbuild/protobuf object of `desc`). */
export function writeMessage(desc: DescMessage, msg: Plain): JsonValue {
  switch (desc.typeName) {
    case "google.protobuf.Any":
      return writeAny(msg);
    case "google.protobuf.Timestamp":
      return timestampJson(msg);
    case "google.protobuf.Duration":
      return durationJson(msg);
    default:
      if (desc.file.proto.package === "google.protobuf" && desc.file.name !== "google/protobuf/descriptor") {
        return toJson(desc, msg as never, { registry: gatewaySchema().registry });
      }
  }
  const { decFields, nonNullable } = gatewaySchema();
  const out: JsonObject = {};
  for (const f of desc.fields) {
    const key = `${desc.typeName}.${f.name}`;
    let value: unknown;
    if (f.oneof !== undefined) {
      const o = msg[f.oneof.localName] as { case?: string; value?: unknown } | undefined;
      if (o?.case !== f.localName) continue;
      value = o.value;
    } else {
      value = msg[f.localName];
    }
    if (decFields.has(key) && f.fieldKind === "scalar") {
      out[f.name] = value === undefined ? null : atomicsToDecimal(decText(value));
      continue;
    }
    if (decFields.has(key) && f.fieldKind === "list") {
      out[f.name] = ((value as unknown[] | undefined) ?? []).map((v) => atomicsToDecimal(decText(v)));
      continue;
    }
    switch (f.fieldKind) {
      case "scalar":
        out[f.name] = value === undefined ? null : scalarJson(f.scalar, value);
        break;
      case "enum":
        out[f.name] = value === undefined ? null : enumJson(f.enum, value as number);
        break;
      case "message":
        if (value === undefined) {
          out[f.name] = nonNullable.has(key) ? writeMessage(f.message, defaultOf(f.message)) : null;
        } else {
          out[f.name] = writeMessage(f.message, value as Plain);
        }
        break;
      case "list": {
        const items = (value as unknown[] | undefined) ?? [];
        out[f.name] = items.map((v) => (f.listKind === "message" ? writeMessage(f.message, v as Plain) : f.listKind === "enum" ? enumJson(f.enum, v as number) : scalarJson(f.scalar, v, true)));
        break;
      }
      case "map":
        out[f.name] = mapJson(f, (value as Plain | undefined) ?? {});
        break;
    }
  }
  return out;
}

function decText(v: unknown): string {
  return typeof v === "string" ? v : new TextDecoder().decode(v as Uint8Array);
}

/** A message with every field at its default (what fromBinary gives for no bytes). */
function defaultOf(desc: DescMessage): Plain {
  return fromBinary(desc, new Uint8Array()) as unknown as Plain;
}

function mapJson(f: DescField & { fieldKind: "map" }, value: Plain): JsonObject {
  const keys = Object.keys(value);
  const numeric = f.mapKey !== ScalarType.STRING && f.mapKey !== ScalarType.BOOL;
  keys.sort((a, b) => (numeric ? cmpBig(BigInt(a), BigInt(b)) : a < b ? -1 : a > b ? 1 : 0));
  const out: JsonObject = {};
  for (const k of keys) {
    const v = value[k];
    out[k] = f.mapKind === "message" ? writeMessage(f.message, v as Plain) : f.mapKind === "enum" ? enumJson(f.enum, v as number) : scalarJson(f.scalar, v, true);
  }
  return out;
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function enumJson(e: DescEnum, n: number): JsonValue {
  return e.values.find((v) => v.number === n)?.name ?? n;
}

/** A scalar as jsonpb writes it; `inList`: an empty bytes element is "" (only a whole unset field is null). */
function scalarJson(t: ScalarType, v: unknown, inList = false): JsonValue {
  switch (t) {
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return String(v);
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE: {
      const n = v as number;
      if (Number.isNaN(n)) return "NaN";
      if (n === Infinity) return "Infinity";
      if (n === -Infinity) return "-Infinity";
      return n;
    }
    case ScalarType.BYTES: {
      const b = v as Uint8Array;
      // Go's encoding/json writes a nil []byte as null: the SDK's "next_key": null.
      if (b.length === 0 && !inList) return null;
      return base64Encode(b);
    }
    case ScalarType.BOOL:
      return v as boolean;
    case ScalarType.STRING:
      return v as string;
    default:
      return v as number;
  }
}

function writeAny(msg: Plain): JsonValue {
  const typeUrl = (msg["typeUrl"] as string | undefined) ?? "";
  const value = (msg["value"] as Uint8Array | undefined) ?? new Uint8Array();
  if (typeUrl === "") return {};
  const name = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
  const inner = gatewaySchema().registry.getMessage(name);
  if (inner === undefined) return { "@type": typeUrl, value: base64Encode(value) };
  let decoded: Plain;
  try {
    decoded = fromBinary(inner, value) as unknown as Plain;
  } catch (e) {
    throw new ApiError(GrpcCode.INTERNAL, `cannot decode an Any of type ${typeUrl}: ${(e as Error).message}`);
  }
  const json = writeMessage(inner, decoded);
  if (json !== null && typeof json === "object" && !Array.isArray(json) && !isWellKnownJson(inner)) return { "@type": typeUrl, ...json };
  return { "@type": typeUrl, value: json };
}

/** Well-known types whose JSON is not an object of their fields (an Any carries them under "value"). */
function isWellKnownJson(desc: DescMessage): boolean {
  return desc.file.proto.package === "google.protobuf" && desc.typeName !== "google.protobuf.Any" && desc.file.name !== "google/protobuf/descriptor";
}

/** Fraction digits as proto3 JSON writes them: none, 3, 6 or 9. */
function fraction(nanos: number): string {
  if (nanos === 0) return "";
  const s = String(nanos).padStart(9, "0");
  if (s.endsWith("000000")) return `.${s.slice(0, 3)}`;
  if (s.endsWith("000")) return `.${s.slice(0, 6)}`;
  return `.${s}`;
}

function timestampJson(msg: Plain): JsonValue {
  const seconds = (msg["seconds"] as bigint | undefined) ?? 0n;
  const nanos = (msg["nanos"] as number | undefined) ?? 0;
  const ms = Number(seconds) * 1000;
  if (!Number.isSafeInteger(ms) || ms < -62135596800000 || ms > 253402300799000 || nanos < 0 || nanos > 999_999_999) {
    throw new ApiError(GrpcCode.INTERNAL, `timestamp out of range: ${seconds}s ${nanos}ns`);
  }
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  return `${iso.slice(0, 19)}${fraction(nanos)}Z`;
}

function durationJson(msg: Plain): JsonValue {
  const seconds = (msg["seconds"] as bigint | undefined) ?? 0n;
  const nanos = (msg["nanos"] as number | undefined) ?? 0;
  const neg = seconds < 0n || nanos < 0;
  const abs = seconds < 0n ? -seconds : seconds;
  return `${neg ? "-" : ""}${abs}${fraction(Math.abs(nanos))}s`;
}

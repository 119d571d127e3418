/**
 * Output of the client commands: `-o json` prints one JSON document (snake_case keys, integers
 * and amounts as strings, bytes as base64, times as RFC 3339), `-o text` (the default) prints the
 * same data as aligned tables: scalar fields as `key  value` rows, nested objects with dotted keys,
 * lists of records as column tables under their field name.
 */
import { toBase64 } from "@cosmjs/encoding";
import { UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { clientSetting } from "./clientconfig";

export type OutputFormat = "text" | "json";

export const OUTPUT_FLAG: FlagSpec = { name: "output", valueName: "format", description: "text (aligned tables) or json; -o for short", defaultText: "$DCERTD_OUTPUT, client.toml's output, or text" };

export function outputFormat(args: ParsedArgs): OutputFormat {
  const v = clientSetting(args, "output") ?? "text";
  if (v !== "text" && v !== "json") throw new UsageError(`--output must be text or json, got "${v}"`);
  return v;
}

/** A JSON value as the commands print it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toLowerCase();
}

function isTimestamp(v: object): v is { seconds: bigint; nanos: number } {
  const keys = Object.keys(v);
  return keys.length === 2 && typeof (v as { seconds?: unknown }).seconds === "bigint" && typeof (v as { nanos?: unknown }).nanos === "number";
}

/** RFC 3339 with nanoseconds trimmed to what is set. */
export function timestampToString(t: { seconds: bigint; nanos: number }): string {
  const ms = Number(t.seconds) * 1000;
  const base = new Date(ms).toISOString().replace(/\.\d{3}Z$/, "");
  const nanos = t.nanos === 0 ? "" : `.${t.nanos.toString().padStart(9, "0").replace(/0+$/, "")}`;
  return `${base}${nanos}Z`;
}

/**
 * Any value (protobuf-decoded objects included) as printable JSON: keys to snake_case, bigint to a
 * decimal string, bytes to base64, protobuf Timestamps ({seconds, nanos}) and Dates to RFC 3339.
 * Convert enums and Durations to names/strings before calling this; it cannot tell them apart.
 */
export function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (value instanceof Uint8Array) return toBase64(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") {
    if (isTimestamp(value)) return timestampToString(value);
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k.startsWith("@") ? k : snakeCase(k)] = toJson(v);
    }
    return out;
  }
  return String(value);
}

// ---- text

function scalarText(v: Json): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

function isRecordList(v: Json): v is { [key: string]: Json }[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === "object" && !Array.isArray(x));
}

/** Flattens nested objects into dotted keys; lists of scalars become comma-separated values. */
function flatten(obj: { [key: string]: Json }, prefix = "", out: [string, Json][] = [], lists: [string, { [key: string]: Json }[]][] = []): { rows: [string, Json][]; lists: [string, { [key: string]: Json }[]][] } {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === "" ? k : `${prefix}.${k}`;
    if (isRecordList(v)) lists.push([key, v]);
    else if (Array.isArray(v)) out.push([key, v.length === 0 ? "(none)" : v.map(scalarText).join(", ")]);
    else if (v !== null && typeof v === "object") flatten(v, key, out, lists);
    else out.push([key, v]);
  }
  return { rows: out, lists };
}

/** Aligned `key  value` rows. */
export function kvTable(rows: readonly (readonly [string, Json])[]): string {
  if (rows.length === 0) return "";
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `${k.padEnd(width)}${scalarText(v)}`.trimEnd()).join("\n");
}

/** A column table of records (nested fields as dotted columns), upper-case headers. */
export function columnTable(records: readonly { [key: string]: Json }[]): string {
  if (records.length === 0) return "(none)";
  const flat = records.map((r) => {
    const { rows, lists } = flatten(r);
    return new Map<string, string>([...rows.map(([k, v]): [string, string] => [k, scalarText(v)]), ...lists.map(([k, v]): [string, string] => [k, `${v.length} entries`])]);
  });
  const columns: string[] = [];
  for (const row of flat) for (const k of row.keys()) if (!columns.includes(k)) columns.push(k);
  const widths = columns.map((c) => Math.max(c.length, ...flat.map((r) => (r.get(c) ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 2))).join("").trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...flat.map((r) => line(columns.map((c) => r.get(c) ?? "")))].join("\n");
}

/** The text form of a JSON value: tables for records and lists, the value itself for scalars. */
export function toText(value: Json): string {
  if (isRecordList(value)) return columnTable(value);
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map(scalarText).join("\n");
  if (value === null || typeof value !== "object") return scalarText(value);
  const { rows, lists } = flatten(value);
  const parts: string[] = [];
  if (rows.length > 0) parts.push(kvTable(rows));
  for (const [k, v] of lists) parts.push(`${k}:\n${columnTable(v)}`);
  return parts.join("\n\n");
}

/**
 * Prints a command's result: `json` with -o json; with -o text, `text` when given (a string, or a
 * JSON value to lay out as tables), else `json` laid out as tables.
 */
export function emit(args: ParsedArgs, json: Json, text?: string | Json): void {
  if (outputFormat(args) === "json") {
    console.log(JSON.stringify(json, null, 2));
    return;
  }
  const body = typeof text === "string" ? text : toText(text ?? json);
  console.log(body);
}

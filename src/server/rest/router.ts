/**
 * The REST route table: the generated `google.api.http` bindings of the methods the backend
 * serves, and the translation of one HTTP request into the method's protobuf request the way
 * grpc-gateway (v1, as the SDK runs it) does it: path variables, then the body ("*" or one
 * field), then query parameters for the fields neither set (`pagination.limit=10`,
 * `status=BOND_STATUS_BONDED`, repeated by repetition, proto or lowerCamel names; unknown
 * parameters are ignored, as the gateway ignores them).
 */
import { ScalarType, type DescField, type DescMessage, type DescMethod, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { GATEWAY_ROUTES, type GatewayRoute } from "../../generated/gateway/routes";
import { ApiError, GrpcCode } from "../backend";
import { fromSdkJson } from "../json";
import { methodOf } from "../schema";
import { compareSpecificity, matchTemplate, parseTemplate, type Template } from "./template";

export interface Route {
  readonly verb: GatewayRoute["verb"];
  readonly template: Template;
  /** "/cosmos.bank.v1beta1.Query/Balance" */
  readonly method: string;
  readonly desc: DescMethod;
  readonly body: string;
  /** Position in the route table: among equally specific templates the later one wins (as in the gateway). */
  readonly order: number;
}

export interface RouteMatch {
  readonly route: Route;
  readonly vars: Map<string, string>;
}

/** The routes of `GATEWAY_ROUTES` (or `routes`) whose method `served` accepts. */
export function buildRoutes(served: (method: string) => boolean, routes: readonly GatewayRoute[] = GATEWAY_ROUTES): Route[] {
  const out: Route[] = [];
  routes.forEach((r, order) => {
    const method = `/${r.service}/${r.method}`;
    if (!served(method)) return;
    const desc = methodOf(method);
    if (desc === undefined) throw new Error(`route ${r.verb} ${r.pattern}: method ${method} is not in the gateway schema`);
    out.push({ verb: r.verb, template: parseTemplate(r.pattern), method, desc, body: r.body, order });
  });
  return out;
}

/** The most specific route for `verb` and the raw path; `wrongVerb` when only another verb matches. */
export function findRoute(routes: readonly Route[], verb: string, path: string): RouteMatch | "wrongVerb" | undefined {
  const raw = path.replace(/^\/+/, "").split("/");
  let best: RouteMatch | undefined;
  let otherVerb = false;
  for (const route of routes) {
    const vars = matchTemplate(route.template, raw);
    if (vars === undefined) continue;
    if (route.verb !== verb) {
      otherVerb = true;
      continue;
    }
    if (best === undefined) {
      best = { route, vars };
      continue;
    }
    const c = compareSpecificity(route.template, best.route.template);
    if (c < 0 || (c === 0 && route.order > best.route.order)) best = { route, vars };
  }
  if (best !== undefined) return best;
  return otherVerb ? "wrongVerb" : undefined;
}

function badRequest(message: string): ApiError {
  return new ApiError(GrpcCode.INVALID_ARGUMENT, message);
}

/** The field named `name` (proto or JSON name) of `desc`. */
function fieldNamed(desc: DescMessage, name: string): DescField | undefined {
  return desc.fields.find((f) => f.name === name || f.jsonName === name);
}

/** Resolves a dotted field path; undefined when some part is not a field. */
function resolvePath(desc: DescMessage, path: string): { leaf: DescField; names: string[] } | undefined {
  const parts = path.split(".");
  const names: string[] = [];
  let at = desc;
  for (let i = 0; i < parts.length; i++) {
    const f = fieldNamed(at, parts[i] ?? "");
    if (f === undefined) return undefined;
    names.push(f.name);
    if (i === parts.length - 1) return { leaf: f, names };
    if (f.fieldKind !== "message") return undefined;
    at = f.message;
  }
  return undefined;
}

const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** One text value as the JSON the reader takes for this field kind (strconv-style parsing). */
function textToJson(f: DescField, text: string, name: string): JsonValue {
  const scalar = f.fieldKind === "scalar" || (f.fieldKind === "list" && f.listKind === "scalar") ? f.scalar : undefined;
  const isEnum = f.fieldKind === "enum" || (f.fieldKind === "list" && f.listKind === "enum");
  if (isEnum) return /^-?\d+$/.test(text) ? Number(text) : text;
  if (scalar === undefined) {
    // A message leaf: only the well-known types written as one string (Timestamp, Duration, …).
    const msg = f.fieldKind === "message" ? f.message : f.fieldKind === "list" && f.listKind === "message" ? f.message : undefined;
    if (msg?.file.proto.package === "google.protobuf") return text;
    throw badRequest(`${name}: a message field cannot be given as one parameter; give its fields (${name}.<field>)`);
  }
  switch (scalar) {
    case ScalarType.BOOL:
      if (TRUE.has(text)) return true;
      if (FALSE.has(text)) return false;
      throw badRequest(`${name}: ${JSON.stringify(text)} is not a boolean (true or false)`);
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      if (!/^-?\d+$/.test(text)) throw badRequest(`${name}: ${JSON.stringify(text)} is not an integer`);
      return Number(text);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      if (!/^-?\d+$/.test(text)) throw badRequest(`${name}: ${JSON.stringify(text)} is not an integer`);
      return text;
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE: {
      const n = Number(text);
      if (text.trim() === "" || Number.isNaN(n)) throw badRequest(`${name}: ${JSON.stringify(text)} is not a number`);
      return n;
    }
    default:
      // string; bytes stay base64 text (standard or URL alphabet), which the reader decodes.
      return text;
  }
}

function setPath(obj: JsonObject, names: readonly string[], value: JsonValue): void {
  let at = obj;
  for (let i = 0; i < names.length - 1; i++) {
    const k = names[i] ?? "";
    const next = at[k];
    if (next === undefined || next === null || typeof next !== "object" || Array.isArray(next)) {
      const fresh: JsonObject = {};
      at[k] = fresh;
      at = fresh;
    } else {
      at = next;
    }
  }
  at[names[names.length - 1] ?? ""] = value;
}

function hasPath(obj: JsonObject, names: readonly string[]): boolean {
  let at: JsonValue | undefined = obj;
  for (const k of names) {
    if (at === null || typeof at !== "object" || Array.isArray(at)) return false;
    at = at[k];
    if (at === undefined) return false;
  }
  return true;
}

/**
 * The protobuf request of a matched route: body first (already parsed JSON, or undefined), then
 * the path variables, then the query parameters for fields still unset.
 */
export function buildRequest(match: RouteMatch, query: URLSearchParams, body: JsonValue | undefined): Uint8Array {
  const { route, vars } = match;
  const input = route.desc.input;
  let json: JsonObject = {};
  if (route.body !== "" && body !== undefined) {
    if (route.body === "*") {
      if (body === null || typeof body !== "object" || Array.isArray(body)) throw badRequest("the request body must be a JSON object");
      json = { ...body };
    } else {
      const target = resolvePath(input, route.body);
      if (target === undefined) throw new Error(`route ${route.template.pattern}: body field ${route.body} is not a field of ${input.typeName}`);
      setPath(json, target.names, body);
    }
  }
  const fromPath: string[][] = [];
  for (const [path, text] of vars) {
    const target = resolvePath(input, path);
    if (target === undefined) throw new Error(`route ${route.template.pattern}: ${path} is not a field of ${input.typeName}`);
    setPath(json, target.names, textToJson(target.leaf, text, path));
    fromPath.push(target.names);
  }
  if (route.body !== "*") {
    const grouped = new Map<string, { names: string[]; leaf: DescField; values: string[] }>();
    for (const [key, value] of query) {
      const target = resolvePath(input, key);
      if (target === undefined) continue; // grpc-gateway v1 ignores parameters that name no field
      const id = target.names.join(".");
      const g = grouped.get(id) ?? { names: target.names, leaf: target.leaf, values: [] };
      g.values.push(value);
      grouped.set(id, g);
    }
    for (const [id, g] of grouped) {
      if (fromPath.some((p) => p.join(".") === id) || (route.body !== "" && hasPath(json, g.names))) continue;
      if (g.leaf.fieldKind === "list") {
        setPath(json, g.names, g.values.map((v) => textToJson(g.leaf, v, id)));
      } else {
        if (g.values.length > 1) throw badRequest(`${id}: given ${g.values.length} times but it takes one value`);
        setPath(json, g.names, textToJson(g.leaf, g.values[0] ?? "", id));
      }
    }
  }
  return fromSdkJson(input.typeName, json);
}

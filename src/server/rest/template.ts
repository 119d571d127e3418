/**
 * grpc-gateway path templates (google.api.http): literal segments, `{field}`, `{field.sub}`,
 * `{field=*}`, `{field=**}` and `{field=literal/*}`; matching a request path against them and
 * ranking the matches the way the gateway resolves overlapping routes (the more literal wins).
 */

export type Segment = { readonly kind: "literal"; readonly text: string } | { readonly kind: "any" } | { readonly kind: "rest" };

export interface Template {
  readonly pattern: string;
  /** The flattened segments; a variable's segments carry its field path. */
  readonly segments: readonly (Segment & { readonly field?: string })[];
  /** Specificity per segment: 0 literal, 1 single-segment wildcard, 2 multi-segment wildcard. */
  readonly rank: readonly number[];
}

/** Parses a template; throws on syntax it does not know (so a new route cannot slip in unread). */
export function parseTemplate(pattern: string): Template {
  if (!pattern.startsWith("/")) throw new Error(`path template ${pattern} must start with "/"`);
  const body = pattern.slice(1);
  const segments: (Segment & { field?: string })[] = [];
  let i = 0;
  while (i <= body.length) {
    if (body[i] === "{") {
      const end = body.indexOf("}", i);
      if (end < 0) throw new Error(`path template ${pattern}: unclosed "{"`);
      const inner = body.slice(i + 1, end);
      const eq = inner.indexOf("=");
      const field = eq < 0 ? inner : inner.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(field)) throw new Error(`path template ${pattern}: bad field path ${field}`);
      const sub = eq < 0 ? "*" : inner.slice(eq + 1);
      for (const s of sub.split("/")) segments.push({ ...plainSegment(s, pattern), field });
      i = end + 1;
    } else {
      let end = body.indexOf("/", i);
      if (end < 0) end = body.length;
      const text = body.slice(i, end);
      if (text.includes("{") || text.includes("}") || text.includes(":")) throw new Error(`path template ${pattern}: unsupported segment ${text}`);
      segments.push(plainSegment(text, pattern));
      i = end;
    }
    if (i < body.length && body[i] !== "/") throw new Error(`path template ${pattern}: expected "/" at ${i + 1}`);
    i += 1;
  }
  const restAt = segments.findIndex((s) => s.kind === "rest");
  if (restAt >= 0 && restAt !== segments.length - 1) throw new Error(`path template ${pattern}: "**" must be last`);
  return { pattern, segments, rank: segments.map((s) => (s.kind === "literal" ? 0 : s.kind === "any" ? 1 : 2)) };
}

function plainSegment(s: string, pattern: string): Segment {
  if (s === "*") return { kind: "any" };
  if (s === "**") return { kind: "rest" };
  if (s === "" || /[{}=*]/.test(s)) throw new Error(`path template ${pattern}: bad segment "${s}"`);
  return { kind: "literal", text: s };
}

/**
 * Matches the request path's raw segments (split at "/", not yet percent-decoded); returns the
 * variables (field path → decoded value) or undefined. A "**" variable keeps its slashes.
 */
export function matchTemplate(t: Template, raw: readonly string[]): Map<string, string> | undefined {
  const vars = new Map<string, string[]>();
  let i = 0;
  for (const seg of t.segments) {
    if (seg.kind === "rest") {
      if (i >= raw.length) return undefined;
      push(vars, seg.field, raw.slice(i));
      i = raw.length;
      break;
    }
    const part = raw[i];
    if (part === undefined) return undefined;
    if (seg.kind === "literal") {
      if (decode(part) !== seg.text) return undefined;
      push(vars, seg.field, [part]);
    } else {
      if (part === "") return undefined;
      push(vars, seg.field, [part]);
    }
    i += 1;
  }
  if (i !== raw.length) return undefined;
  const out = new Map<string, string>();
  for (const [k, parts] of vars) out.set(k, parts.map(decode).join("/"));
  return out;
}

function push(vars: Map<string, string[]>, field: string | undefined, parts: string[]): void {
  if (field === undefined) return;
  vars.set(field, [...(vars.get(field) ?? []), ...parts]);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Orders two matching templates: negative when `a` is the more specific (it wins). */
export function compareSpecificity(a: Template, b: Template): number {
  const n = Math.max(a.rank.length, b.rank.length);
  for (let i = 0; i < n; i++) {
    const x = a.rank[i] ?? -1;
    const y = b.rank[i] ?? -1;
    if (x !== y) return x - y;
  }
  return 0;
}

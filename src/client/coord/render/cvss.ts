/**
 * CVSS v3.0 / v3.1 base score of a vector string (FIRST's specification, section 7), for the
 * CSAF `scores[].cvss_v3` object, which must carry the score and severity matching its vector.
 * Client-side only (floating point is fine here: nothing in consensus depends on it).
 */

const AV: Readonly<Record<string, number>> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Readonly<Record<string, number>> = { L: 0.77, H: 0.44 };
const UI: Readonly<Record<string, number>> = { N: 0.85, R: 0.62 };
const CIA: Readonly<Record<string, number>> = { H: 0.56, L: 0.22, N: 0 };

export interface Cvss3 {
  readonly version: "3.0" | "3.1";
  readonly vectorString: string;
  readonly baseScore: number;
  readonly baseSeverity: "NONE" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
}

function roundUp(version: "3.0" | "3.1", x: number): number {
  if (version === "3.0") return Math.ceil(x * 10) / 10;
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

export function severityOf(score: number): Cvss3["baseSeverity"] {
  if (score === 0) return "NONE";
  if (score < 4) return "LOW";
  if (score < 7) return "MEDIUM";
  if (score < 9) return "HIGH";
  return "CRITICAL";
}

/** The base score of a CVSS 3.x vector; undefined if the vector lacks a base metric or is malformed. */
export function cvss3(vector: string): Cvss3 | undefined {
  const m = /^CVSS:(3\.[01])\/(.*)$/.exec(vector);
  if (m === null) return undefined;
  const version = m[1] as "3.0" | "3.1";
  const metrics = new Map<string, string>();
  for (const part of (m[2] ?? "").split("/")) {
    const kv = /^([A-Z]+):([A-Z])$/.exec(part);
    if (kv === null || metrics.has(kv[1] ?? "")) return undefined;
    metrics.set(kv[1] ?? "", kv[2] ?? "");
  }
  const scope = metrics.get("S");
  const av = AV[metrics.get("AV") ?? ""];
  const ac = AC[metrics.get("AC") ?? ""];
  const ui = UI[metrics.get("UI") ?? ""];
  const c = CIA[metrics.get("C") ?? ""];
  const i = CIA[metrics.get("I") ?? ""];
  const a = CIA[metrics.get("A") ?? ""];
  const prKey = metrics.get("PR");
  if (scope !== "U" && scope !== "C") return undefined;
  const pr = prKey === "N" ? 0.85 : prKey === "L" ? (scope === "C" ? 0.68 : 0.62) : prKey === "H" ? (scope === "C" ? 0.5 : 0.27) : undefined;
  if (av === undefined || ac === undefined || ui === undefined || c === undefined || i === undefined || a === undefined || pr === undefined) {
    return undefined;
  }
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === "U" ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15);
  const exploitability = 8.22 * av * ac * pr * ui;
  let score = 0;
  if (impact > 0) {
    score = scope === "U" ? roundUp(version, Math.min(impact + exploitability, 10)) : roundUp(version, Math.min(1.08 * (impact + exploitability), 10));
  }
  return { version, vectorString: vector, baseScore: score, baseSeverity: severityOf(score) };
}

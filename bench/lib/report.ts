import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Prints rows as an aligned table under `name`. */
export function printTable(name: string, rows: readonly Record<string, string | number>[]): void {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined) => (v === undefined ? "" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padStart(width[i] ?? 0)).join("  ");
  console.log(`\n${name}`);
  console.log(line(cols));
  console.log(line(width.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

/** Prints rows as an aligned table and writes them (with `meta`) to bench/results/<name>.json. */
export function report(name: string, rows: readonly Record<string, string | number>[], meta: Record<string, unknown> = {}): void {
  printTable(name, rows);
  const dir = join(__dirname, "..", "..", "..", "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, meta, rows }, null, 2));
  console.log(`(written to ${file})`);
}

export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

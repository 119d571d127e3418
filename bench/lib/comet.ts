/** BENCH_COMET: CometBFT settings a benchmark applies on top of its devnet's or testnet's config.toml. */
import type { TomlValue } from "../../src/localnet/cometbft";
import type { TomlSettings } from "../../src/localnet/devnet";

/**
 * "section.key=value …" (a key without a section is top level): true/false are booleans, whole
 * numbers are numbers, anything else a string.
 */
export function parseCometSettings(text: string): TomlSettings {
  const out: Record<string, Record<string, TomlValue>> = {};
  for (const item of text.trim().split(/\s+/).filter((x) => x !== "")) {
    const m = /^(?:([a-z0-9_]+)\.)?([a-z0-9_]+)=(.*)$/.exec(item);
    if (m === null) throw new Error(`BENCH_COMET: "${item}" is not section.key=value (e.g. tx_index.indexer=null)`);
    const [, section = "", key = "", raw = ""] = m;
    const value: TomlValue = raw === "true" ? true : raw === "false" ? false : /^[0-9]+$/.test(raw) ? Number(raw) : raw;
    out[section] = { ...(out[section] ?? {}), [key]: value };
  }
  return out;
}

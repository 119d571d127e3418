/**
 * Formatting for the views: token amounts, shares and percentages, addresses, block countdowns and
 * chain errors. Plain functions (no DOM), integer arithmetic only (amounts and tallies are integers
 * written as decimal strings, vote shares 18-decimal fixed point), so rounding never drifts.
 */

/** "1234567" → "1,234,567"; a denom is appended when given ("1,000 stake"). */
export function formatAmount(amount: string | bigint, denom?: string): string {
  const v = typeof amount === "bigint" ? amount : parseInteger(amount);
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const text = `${neg ? "-" : ""}${digits}`;
  return denom === undefined || denom === "" ? text : `${text} ${denom}`;
}

/** A decimal integer string (as the chain writes amounts and tallies) → bigint; "" is 0. */
export function parseInteger(s: string): bigint {
  const t = s.trim();
  if (t === "") return 0n;
  if (!/^-?[0-9]+$/.test(t)) throw new Error(`"${s}" is not an integer amount`);
  return BigInt(t);
}

/**
 * `part / total` as a percentage with `digits` decimals, rounded half up ("33.33%"); "0%" of a zero
 * total. Integer arithmetic only.
 */
export function formatPercent(part: bigint, total: bigint, digits = 2): string {
  if (total <= 0n || part <= 0n) return "0%";
  const scale = 10n ** BigInt(digits);
  const scaled = (part * 100n * scale * 2n + total) / (total * 2n);
  const whole = scaled / scale;
  const frac = (scaled % scale).toString().padStart(digits, "0").replace(/0+$/, "");
  return frac === "" ? `${whole}%` : `${whole}.${frac}%`;
}

/** 10^18, the chain's fixed-point one (a vote share of "1000000000000000000" is 100%). */
export const FIXED_ONE = 10n ** 18n;

/** An 18-decimal fixed-point share ("250000000000000000") as a percentage ("25%"). */
export function formatShare(fixed18: string | bigint, digits = 2): string {
  const v = typeof fixed18 === "bigint" ? fixed18 : parseInteger(fixed18);
  return formatPercent(v, FIXED_ONE, digits);
}

/** "dcert1qqqq…zzzz": the prefix, the first and last few characters of a long bech32 address. */
export function shortAddress(address: string, keep = 6): string {
  const sep = address.lastIndexOf("1");
  if (sep < 0 || address.length <= sep + 1 + 2 * keep + 1) return address;
  return `${address.slice(0, sep + 1 + keep)}…${address.slice(-keep)}`;
}

/** A duration in whole seconds as "2 h 5 min", "3 min 20 s", "45 s", "4 d 2 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return sec > 0 ? `${m} min ${sec} s` : `${m} min`;
  return `${sec} s`;
}

/**
 * Blocks left until `target` at `height`, and an estimate of the time (when the average block time
 * is known): "12 blocks (~1 min 0 s)", "matures this block", "matured 3 blocks ago".
 */
export function formatCountdown(target: bigint, height: bigint, blockSeconds?: number): string {
  const left = target - height;
  if (left < 0n) return `matured ${-left} block${-left === 1n ? "" : "s"} ago`;
  if (left === 0n) return "matures this block";
  const blocks = `${left} block${left === 1n ? "" : "s"}`;
  if (blockSeconds === undefined || !(blockSeconds > 0)) return blocks;
  return `${blocks} (~${formatDuration(Number(left) * blockSeconds)})`;
}

/** A chain error as the views show it: the registered code ("codespace:code") when known, and a hint. */
export interface ChainErrorText {
  readonly code?: string;
  readonly message: string;
  readonly hint: string;
}

const SDK_HINTS: Record<number, string> = {
  7: "Check the address: a bech32 account address of this chain (dcert1…).",
  18: "The node rejected the request's arguments; check them and try again.",
  38: "Nothing is recorded for this yet; check the address, or wait for the next block.",
};

/**
 * Reads the registered code out of an error thrown by CosmJS or the dCERT client. Query failures
 * ("Query failed with (38): …") come from the query services, which reject with the SDK's root
 * errors, so their codespace is "sdk"; a broadcast result names its codespace itself.
 */
export function describeError(e: unknown): ChainErrorText {
  const message = e instanceof Error ? e.message : String(e);
  const query = /Query failed with \((\d+)\):\s*([\s\S]*)$/.exec(message);
  if (query !== null) {
    const code = Number(query[1]);
    return { code: `sdk:${code}`, message: query[2] ?? message, hint: SDK_HINTS[code] ?? "The node refused the query; reload, or try another node." };
  }
  const named = /codespace[=:\s]+"?([a-z][a-z0-9_]*)"?[,;\s]+code[=:\s]+(\d+)/i.exec(message);
  if (named !== null) {
    return { code: `${named[1]}:${named[2]}`, message, hint: "The chain rejected it with this registered error; see its message." };
  }
  if (/fetch|network|socket|ECONNREFUSED|timed? ?out/i.test(message)) {
    return { message, hint: "Check that the node's RPC is reachable from this page, then reload." };
  }
  return { message, hint: "Reload the page; if it persists, check the node's logs." };
}

/** A chart axis label: 1234 → "1.2k", 50000000000 → "50G" (at most one decimal; whole numbers below 1000 as they are). */
export function compactNumber(n: number): string {
  if (!Number.isFinite(n)) return "";
  const abs = Math.abs(n);
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) return `${Number((n / size).toFixed(1))}${suffix}`;
  }
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2)));
}

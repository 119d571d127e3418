/**
 * The web views' formatting: amounts with digit groups, percentages and 18-decimal shares rounded
 * with integer arithmetic, shortened addresses, countdowns and chain errors' registered codes.
 */
import fc from "fast-check";
// web/ is an ES module package (web/package.json "type": "module") and these tests are CommonJS:
// the types come from an ESM type import, the code from Jest's require (swc compiles the module).
import type * as FormatModule from "../../../web/src/format.js" with { "resolution-mode": "import" };

const { compactNumber, describeError, formatAmount, formatCountdown, formatDuration, formatPercent, formatShare, parseInteger, shortAddress } =
  jest.requireActual<typeof FormatModule>("../../../web/src/format");

describe("formatAmount", () => {
  it("groups digits and appends the denom", () => {
    expect(formatAmount("0")).toBe("0");
    expect(formatAmount("1234567", "udcert")).toBe("1,234,567 udcert");
    expect(formatAmount(-1000n)).toBe("-1,000");
  });
  it("round-trips: removing the commas gives the integer back", () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (v) => expect(BigInt(formatAmount(v).replace(/,/g, ""))).toBe(v)));
  });
  it("refuses what is not an integer", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const ok = /^-?[0-9]+$/.test(s.trim()) || s.trim() === "";
        if (ok) expect(typeof parseInteger(s)).toBe("bigint");
        else expect(() => parseInteger(s)).toThrow(/not an integer/);
      }),
    );
  });
});

describe("formatPercent and formatShare", () => {
  it("rounds half up to two decimals", () => {
    expect(formatPercent(1n, 3n)).toBe("33.33%");
    expect(formatPercent(2n, 3n)).toBe("66.67%");
    expect(formatPercent(1n, 8n)).toBe("12.5%");
    expect(formatPercent(5n, 5n)).toBe("100%");
    expect(formatPercent(0n, 0n)).toBe("0%");
    expect(formatShare("250000000000000000")).toBe("25%");
    expect(formatShare("333333333333333333")).toBe("33.33%");
  });
  it("stays within half a hundredth of the exact value and never exceeds 100% for a part of the whole", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 10n ** 30n }), (total, p) => {
        const part = p % (total + 1n);
        const shown = formatPercent(part, total);
        const [w, f = ""] = shown.slice(0, -1).split(".");
        const hundredths = BigInt(w ?? "0") * 100n + BigInt(f.padEnd(2, "0"));
        // |shown - exact| <= 0.005%  ⇔  |hundredths*total - part*10000| * 2 <= total
        const diff = hundredths * total - part * 10_000n;
        expect((diff < 0n ? -diff : diff) * 2n <= total).toBe(true);
        expect(hundredths <= 10_000n).toBe(true);
      }),
    );
  });
});

describe("shortAddress", () => {
  const addr = "dcert1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
  it("keeps the prefix, the start and the end", () => {
    expect(shortAddress(addr)).toBe("dcert1qypqxp…lzv7xu");
    expect(shortAddress("dcert1abc")).toBe("dcert1abc");
  });
});

describe("countdowns", () => {
  it("says blocks and estimates time", () => {
    expect(formatCountdown(110n, 100n, 6)).toBe("10 blocks (~1 min)");
    expect(formatCountdown(101n, 100n)).toBe("1 block");
    expect(formatCountdown(100n, 100n, 6)).toBe("matures this block");
    expect(formatCountdown(97n, 100n, 6)).toBe("matured 3 blocks ago");
    expect(formatDuration(3_725)).toBe("1 h 2 min");
    expect(formatDuration(90_000)).toBe("1 d 1 h");
    expect(formatDuration(45)).toBe("45 s");
  });
});

describe("describeError", () => {
  it("reads a query failure's code as an SDK root error, with a hint", () => {
    const d = describeError(new Error("Query failed with (38): not found: dcert1x has no counted vote"));
    expect(d.code).toBe("sdk:38");
    expect(d.message).toBe("not found: dcert1x has no counted vote");
    expect(d.hint).toMatch(/wait for the next block/);
  });
  it("reads a named codespace and code", () => {
    expect(describeError(new Error("Broadcasting transaction failed with codespace: dcert, code: 12, log: frozen")).code).toBe("dcert:12");
  });
  it("has a hint for anything, a code only when one is there", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const d = describeError(new Error(s));
        expect(d.hint.length).toBeGreaterThan(0);
        if (d.code !== undefined) expect(d.code).toMatch(/^[a-z][a-z0-9_]*:[0-9]+$/i);
      }),
    );
  });
});

describe("compactNumber", () => {
  it("shortens axis labels", () => {
    expect(compactNumber(50_000_000_000)).toBe("50G");
    expect(compactNumber(1_250)).toBe("1.3k");
    expect(compactNumber(999)).toBe("999");
    expect(compactNumber(0.5)).toBe("0.5");
    expect(compactNumber(Number.NaN)).toBe("");
  });
});

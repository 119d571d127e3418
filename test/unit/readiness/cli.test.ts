/**
 * The readiness progress line of `dcertd q upgrade readiness` and `dcertd watch`, the builds text,
 * and the watcher's change detection.
 */
import fc from "fast-check";
import type { QueryReadinessResponse } from "../../../src/generated/dcert/upgrade/v1/query";
import type { PlanReadiness } from "../../../src/generated/dcert/upgrade/v1/types";
import { buildsText, percent, readinessChanges, readinessLine } from "../../../src/cli/upgrade/readiness";

const rec = (o: Partial<PlanReadiness> = {}): PlanReadiness => ({
  planName: "v2",
  planHeight: 200n,
  height: 120n,
  readyPower: 50n,
  totalPower: 100n,
  oneThirdHeight: 87n,
  twoThirdsHeight: 0n,
  ...o,
});

describe("readiness line", () => {
  test("the documented form", () => {
    expect(readinessLine(rec())).toBe("v2 @ height 120: ready 50.0% of voting power (1/3 crossed at 87, 2/3 not yet)");
    expect(readinessLine(rec({ readyPower: 2n, totalPower: 3n, twoThirdsHeight: 0n, oneThirdHeight: 5n }))).toContain("ready 66.6%");
    expect(readinessLine(rec({ readyPower: 100n, twoThirdsHeight: 119n }), 200n)).toBe(
      "v2 @ height 120: ready 100.0% of voting power (1/3 crossed at 87, 2/3 crossed at 119); applied at height 200",
    );
  });

  test("percent rounds down and stays within 0.0%–100.0%", () => {
    expect(percent(1n, 3n)).toBe("33.3%");
    expect(percent(0n, 0n)).toBe("0.0%");
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1n << 60n }), fc.bigInt({ min: 0n, max: 1n << 60n }), (total, r) => {
        const p = percent(r % (total + 1n), total);
        expect(p).toMatch(/^(100\.0|[0-9]{1,2}\.[0-9])%$/);
      }),
    );
  });

  test("builds text lists each build and the unknown power", () => {
    const text = buildsText({
      height: 9n,
      totalPower: 40n,
      unknownPower: 10n,
      builds: [{ buildHash: Buffer.alloc(32, 0xab), appVersion: "0.1.0", upgradeHandlers: ["v2"], power: 30n, validators: 3 }],
    });
    expect(text).toContain("builds @ height 9 (total power 40)");
    expect(text).toMatch(/75\.0%\s+power 30\s+3 validator\(s\)\s+0\.1\.0\s+abababababab\s+handlers v2/);
    expect(text).toMatch(/25\.0%\s+power 10\s+unknown/);
    expect(buildsText(undefined)).toMatch(/no build tally yet/);
  });

  test("the watcher reports a line only when it changes", async () => {
    const answers: (QueryReadinessResponse | undefined)[] = [
      undefined,
      { readiness: rec(), appliedHeight: 0n },
      { readiness: rec(), appliedHeight: 0n },
      { readiness: rec({ height: 121n }), appliedHeight: 0n },
      { readiness: undefined, appliedHeight: 0n },
    ];
    const next = readinessChanges(async () => answers.shift());
    expect(await next()).toBeUndefined();
    expect(await next()).toContain("@ height 120");
    expect(await next()).toBeUndefined();
    expect(await next()).toContain("@ height 121");
    expect(await next()).toBeUndefined();
  });
});

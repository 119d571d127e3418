/**
 * Property tests of the reveal gate's plan-name rule (src/types/coord/gate.ts), shared by the
 * chain's validateBasic and genesis and the client: it agrees with a character-by-character
 * reference of "1–140 characters, [A-Za-z0-9][A-Za-z0-9._-]*", and MsgOpenCase / MsgSetRevealGate
 * accept exactly the names it accepts (coord:49 otherwise).
 */
import { toBech32 } from "@cosmjs/encoding";
import fc from "fast-check";
import { isValidPlanName, PLAN_NAME_MAX, planNameProblem } from "../../src/types/coord/gate";
import { CoordMsgServer } from "../../src/x/coord/msg_server";
import type { CoordKeeper } from "../../src/x/coord/keeper/keeper";
import { COORD_MODULE_TABLE } from "../../src/x/coord/keeper/keeper";

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function reference(name: string): boolean {
  if (name.length < 1 || name.length > PLAN_NAME_MAX) return false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i] ?? "";
    const ok = ALNUM.includes(ch) || (i > 0 && "._-".includes(ch));
    if (!ok) return false;
  }
  return true;
}

// Names near the rule: mostly valid characters, some of the characters a path or a shell cares about.
const nameChar = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...ALNUM.split("")) },
  { weight: 3, arbitrary: fc.constantFrom(".", "_", "-") },
  { weight: 1, arbitrary: fc.constantFrom("/", " ", "\\", "\u00e9", "\n", "*", "+", ":", "\u0000", "\u{1F600}") },
);
const nearName = fc.oneof(
  fc.array(nameChar, { minLength: 0, maxLength: 24 }).map((cs) => cs.join("")),
  fc.integer({ min: PLAN_NAME_MAX - 2, max: PLAN_NAME_MAX + 2 }).chain((n) => fc.array(nameChar, { minLength: n, maxLength: n }).map((cs) => cs.join(""))),
  fc.string({ unit: "binary", maxLength: 30 }),
);

describe("reveal gate plan names", () => {
  test("planNameProblem agrees with the reference rule, and explains every refusal", () => {
    fc.assert(
      fc.property(nearName, (name) => {
        const why = planNameProblem(name);
        expect(why === undefined).toBe(reference(name));
        expect(isValidPlanName(name)).toBe(reference(name));
        if (why !== undefined) expect(why.length).toBeGreaterThan(10);
      }),
      { numRuns: 3000 },
    );
  });

  test("MsgOpenCase and MsgSetRevealGate validateBasic accept exactly the valid names (coord:49 otherwise)", () => {
    const keeper = { modules: COORD_MODULE_TABLE } as unknown as CoordKeeper;
    const table = new CoordMsgServer(keeper).table();
    const member = toBech32("dcert", new Uint8Array(20).fill(7));
    const outcome = (f: () => unknown): "ok" | string => {
      try {
        f();
        return "ok";
      } catch (e) {
        return String((e as { codespace?: string; code?: number }).codespace) + ":" + String((e as { code?: number }).code);
      }
    };
    const hash = new Uint8Array(32).fill(1);
    fc.assert(
      fc.property(nearName.filter((n) => n !== ""), (name) => {
        const want = reference(name) ? "ok" : "coord:49";
        const open = table.OpenCase;
        const gate = table.SetRevealGate;
        const openMsg = { member, level: 3, commitments: [1, 2, 3].map((kind) => ({ kind, hash })), deadlineTime: undefined, deadlineHeight: 0n, readinessPlan: name };
        expect(outcome(() => open.validateBasic?.(openMsg as never))).toBe(want);
        expect(outcome(() => gate.validateBasic?.({ member, caseId: 1n, readinessPlan: name, reason: "" } as never))).toBe(want);
      }),
      { numRuns: 500 },
    );
  });
});

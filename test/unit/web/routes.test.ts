import fc from "fast-check";
import { dcertRegistryTypes } from "../../../src/client";
import { ACCOUNTABILITY_ROUTES as CHAIN_ACCOUNTABILITY, parseRoute } from "../../../src/x/dcert/circuit/routes";
import { ACCOUNTABILITY_ROUTES, coveredBy, normalizeRoute, splitRoutes } from "../../../web/src/wallet/routes";

const known = dcertRegistryTypes.map(([t]) => t);

/** The chain's canonical form of `input`, or its refusal's message. */
function chainForm(input: string): { route?: string; refusal?: string } {
  try {
    return { route: parseRoute(input).route };
  } catch (e) {
    return { refusal: (e as Error).message };
  }
}

describe("what a circuit break stops", () => {
  it("protects exactly the chain's accountability messages", () => {
    expect(ACCOUNTABILITY_ROUTES).toEqual(CHAIN_ACCOUNTABILITY);
  });

  it("normalises routes exactly as the chain does, and refuses with the chain's reason", () => {
    const part = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
    const routeLike = fc.oneof(
      fc.string(),
      fc.tuple(fc.constantFrom("", "/", "type.googleapis.com/"), fc.array(part, { minLength: 1, maxLength: 4 }), fc.constantFrom("", ".*", "*", ".")).map(([p, xs, s]) => p + xs.join(".") + s),
    );
    fc.assert(
      fc.property(routeLike, (r) => {
        const mine = normalizeRoute(r);
        const chain = chainForm(r);
        if ("route" in mine) expect(mine.route).toBe(chain.route);
        else expect(chain.refusal).toContain(`${mine.error};`);
      }),
      { numRuns: 500 },
    );
  });

  it("names the messages a route stops, never an accountability message", () => {
    expect(coveredBy("/cosmos.bank.v1beta1.MsgSend", known)).toEqual(["/cosmos.bank.v1beta1.MsgSend"]);
    const bank = coveredBy("/cosmos.bank.v1beta1.*", known);
    expect(bank).toContain("/cosmos.bank.v1beta1.MsgSend");
    expect(bank.every((t) => t.startsWith("/cosmos.bank.v1beta1.") && !t.slice("/cosmos.bank.v1beta1.".length).includes("."))).toBe(true);
    const dcert = coveredBy("/dcert.v1.*", known);
    expect(dcert).toContain("/dcert.v1.MsgVote");
    expect(dcert).not.toContain("/dcert.v1.MsgSlashMember");
    expect(coveredBy("/dcert.v1.MsgDisbandGroup", known)).toEqual([]);
    expect(coveredBy("/cosmos.bank.v1beta11.*", known)).toEqual([]);
    expect(splitRoutes(" /a.B, /c.*\n/d.E ")).toEqual(["/a.B", "/c.*", "/d.E"]);
  });
});

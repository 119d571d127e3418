import fc from "fast-check";
import { registeredErrors } from "../../../src/baseapp/errors";
import "../../../src/x/dcert/errors";
import "../../../src/x/dcert/circuit/errors";
import { DCERT_ERRORS, describeFailure, parseFailure, shownErrorOf } from "../../../web/src/wallet/errors";

describe("chain errors in the web app", () => {
  it("lists the dCERT module's registered errors exactly (codes and descriptions)", () => {
    const registered = registeredErrors()
      .filter((e) => e.codespace === "dcert")
      .map((e) => [e.code, e.description]);
    expect([...DCERT_ERRORS].map(([c, d]) => [c, d])).toEqual(registered);
  });

  it("shows a CheckTx refusal with its code, description and hint", () => {
    const e = new Error("Broadcasting transaction failed with code 13 (codespace: sdk). Log: fee 1udcert is below 5000udcert: insufficient fee");
    const s = shownErrorOf(e);
    expect(s.id).toBe("sdk:13");
    expect(s.description).toBe("insufficient fee");
    expect(s.hint).toMatch(/gas price/);
    expect(s.detail).toMatch(/below 5000udcert/);
  });

  it("recovers the codespace of a failed simulation from the log's registered description", () => {
    const s = shownErrorOf(new Error("Query failed with (2): failed to execute message; message index: 0: dcert1xyz: not an active dCERT member"));
    expect(s.id).toBe("dcert:2");
    expect(s.hint).toMatch(/member/);
    // code 5 exists in sdk and dcert: the log decides
    expect(describeFailure({ code: 5, log: "spendable 3udcert < 9udcert: insufficient funds" }).id).toBe("sdk:5");
    expect(describeFailure({ code: 5, log: "bad: invalid address" }).id).toBe("dcert:5");
    expect(describeFailure({ code: 5, log: "something else" }).id).toBe("unknown:5");
  });

  it("shows a delivered failure by codespace and code", () => {
    const s = describeFailure({ code: 50, codespace: "dcert", log: "/cosmos.bank.v1beta1.MsgSend: message route is circuit-broken" });
    expect(s).toEqual({ id: "dcert:50", description: "message route is circuit-broken", detail: "/cosmos.bank.v1beta1.MsgSend: message route is circuit-broken", hint: expect.stringMatching(/broken routes/) });
    expect(describeFailure({ code: 999, codespace: "x", log: "?" }).description).toBe("unregistered error");
  });

  it("parses any CosmJS failure text it is given, and only those", () => {
    fc.assert(
      fc.property(fc.nat(), fc.stringMatching(/^[a-z]{0,10}$/), fc.string(), (code, cs, log) => {
        expect(parseFailure(`Broadcasting transaction failed with code ${code} (codespace: ${cs}). Log: ${log}`)).toEqual({ code, codespace: cs, log });
        expect(parseFailure(`Query failed with (${code}): ${log}`)).toEqual({ code, log });
      }),
    );
    fc.assert(
      fc.property(fc.string(), (t) => {
        const f = parseFailure(t);
        if (f !== undefined) expect(Number.isInteger(f.code)).toBe(true);
        expect(typeof shownErrorOf(new Error(t)).hint).toBe("string");
      }),
    );
    expect(shownErrorOf(new Error("Request rejected")).description).toBe("not signed");
    expect(shownErrorOf("boom").id).toBeUndefined();
  });
});

/**
 * Routes: parsing and normalisation, the matching rule (exact, then the message's own package and
 * nothing else), the stateless checks of MsgCircuitBreak, and the genesis edit that clears routes.
 */
import fc from "fast-check";
import { registeredErrors } from "../../../src/baseapp/errors";
import {
  ACCOUNTABILITY_ROUTES,
  clearBrokenRoutes,
  ErrAlreadyBroken,
  ErrCircuitBreakDisabled,
  ErrInvalidRoutes,
  ErrMalformedRoute,
  ErrProtectedRoute,
  ErrRouteBroken,
  ErrUnknownRoute,
  isCanonicalRoute,
  MAX_ROUTE_LENGTH,
  MAX_ROUTES_PER_MSG,
  normalizeRoute,
  packageOf,
  parseRoute,
  parseRouteList,
  RouteSet,
  rulesFor,
  ROUTE_BROKEN_CODE,
  validateCircuitBreak,
} from "../../../src/x/dcert/circuit";
import { encodeAddress } from "../../../src/baseapp/tx/address";
import { ErrInvalidAddress, ErrInvalidReason } from "../../../src/x/dcert/errors";

const MEMBER = encodeAddress(new Uint8Array(20).fill(9), "dcert");

function codeOf(f: () => unknown): [string, number] | "ok" {
  try {
    f();
    return "ok";
  } catch (e) {
    const x = e as { codespace?: string; code?: number };
    if (x.codespace === undefined || x.code === undefined) throw e;
    return [x.codespace, x.code];
  }
}

describe("route parsing and normalisation", () => {
  test("exact type URLs and package routes in canonical form", () => {
    expect(parseRoute("/cosmos.bank.v1beta1.MsgSend")).toEqual({ kind: "exact", route: "/cosmos.bank.v1beta1.MsgSend", pkg: "cosmos.bank.v1beta1" });
    expect(parseRoute("/cosmos.staking.v1beta1.*")).toEqual({ kind: "package", route: "/cosmos.staking.v1beta1.*", pkg: "cosmos.staking.v1beta1" });
    expect(parseRoute("/dcert.v1.MsgVote").pkg).toBe("dcert.v1");
  });

  test("the leading / may be omitted and type.googleapis.com/ is accepted; nothing else is rewritten", () => {
    expect(normalizeRoute("cosmos.bank.v1beta1.MsgSend")).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(normalizeRoute("type.googleapis.com/cosmos.bank.v1beta1.MsgSend")).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(normalizeRoute("cosmos.gov.v1.*")).toBe("/cosmos.gov.v1.*");
    // Case is significant (type URLs are case-sensitive).
    expect(normalizeRoute("/Cosmos.Bank.V1beta1.MsgSend")).toBe("/Cosmos.Bank.V1beta1.MsgSend");
  });

  test.each([
    ["", "is empty"],
    ["/", "is empty"],
    ["/*", "is not a protobuf type URL"],
    ["/.*", "names no package"],
    ["/MsgSend", "has no package"],
    ["/cosmos.bank.v1beta1.", "is not a protobuf type URL"],
    ["/cosmos..bank.MsgSend", "is not a protobuf type URL"],
    ["//cosmos.bank.v1beta1.MsgSend", "is not a protobuf type URL"],
    [" /cosmos.bank.v1beta1.MsgSend", "is not a protobuf type URL"],
    ["/cosmos.bank.v1beta1.MsgSend ", "is not a protobuf type URL"],
    ["/cosmos.bank.*.MsgSend", "is not a protobuf type URL"],
    ["/cosmos.bank.v1beta1.Msg*", "is not a protobuf type URL"],
    ["/cosmos.bank.v1beta1.**", "is not a protobuf type URL"],
    ["/cosmos.bank..*", "is not a package name"],
    ["/cosmos bank.*", "is not a package name"],
    ["/cosmos.1bank.MsgSend", "is not a protobuf type URL"],
    ["/cosmos-bank.MsgSend", "is not a protobuf type URL"],
    [`/a.${"b".repeat(MAX_ROUTE_LENGTH)}`, "is longer than"],
  ])("malformed %j is rejected with dcert:52 (%s)", (input, why) => {
    expect(codeOf(() => parseRoute(input))).toEqual(["dcert", ErrMalformedRoute.code]);
    expect(() => parseRoute(input)).toThrow(why);
  });

  test("a route at the length limit is accepted, one past it is not", () => {
    const body = `a.${"b".repeat(MAX_ROUTE_LENGTH - 3)}`;
    expect(normalizeRoute(body)).toHaveLength(MAX_ROUTE_LENGTH);
    expect(codeOf(() => parseRoute(`${body}c`))).toEqual(["dcert", 52]);
  });

  test("isCanonicalRoute accepts only the stored form", () => {
    expect(isCanonicalRoute("/cosmos.bank.v1beta1.MsgSend")).toBe(true);
    expect(isCanonicalRoute("/cosmos.bank.v1beta1.*")).toBe(true);
    expect(isCanonicalRoute("cosmos.bank.v1beta1.MsgSend")).toBe(false);
    expect(isCanonicalRoute("type.googleapis.com/cosmos.bank.v1beta1.MsgSend")).toBe(false);
    expect(isCanonicalRoute("/cosmos bank")).toBe(false);
  });

  test("normalisation is idempotent on everything it accepts", () => {
    const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
    const name = fc.array(ident, { minLength: 2, maxLength: 5 }).map((p) => p.join("."));
    const input = fc.tuple(fc.constantFrom("", "/", "type.googleapis.com/"), name, fc.boolean()).map(([pre, n, wild]) => `${pre}${n}${wild ? ".*" : ""}`);
    fc.assert(
      fc.property(input, (s) => {
        const once = normalizeRoute(s);
        expect(normalizeRoute(once)).toBe(once);
        expect(isCanonicalRoute(once)).toBe(true);
      }),
    );
  });
});

describe("matching", () => {
  test("rulesFor gives the type URL and its own package wildcard: the only two lookups a check needs", () => {
    expect(rulesFor("/cosmos.bank.v1beta1.MsgSend")).toEqual(["/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.*"]);
    expect(rulesFor("/dcert.v1.MsgCircuitBreak")).toEqual(["/dcert.v1.MsgCircuitBreak", "/dcert.v1.*"]);
    expect(packageOf("/cosmos.staking.v1beta1.MsgDelegate")).toBe("cosmos.staking.v1beta1");
  });

  test("a package route covers every message of the package and nothing else", () => {
    const set = new RouteSet([parseRoute("/cosmos.staking.v1beta1.*")]);
    for (const t of ["/cosmos.staking.v1beta1.MsgDelegate", "/cosmos.staking.v1beta1.MsgUndelegate", "/cosmos.staking.v1beta1.MsgBeginRedelegate"]) {
      expect(set.match(t)).toBe("/cosmos.staking.v1beta1.*");
    }
    for (const t of [
      "/cosmos.staking.v1beta1.sub.MsgDelegate", // a sub-package is another package
      "/cosmos.staking.v1beta11.MsgDelegate", // a package that only shares a prefix
      "/cosmos.staking.v1beta.MsgDelegate",
      "/cosmos.staking.v1.MsgDelegate",
      "/xcosmos.staking.v1beta1.MsgDelegate",
      "/cosmos.bank.v1beta1.MsgSend",
    ]) {
      expect(set.match(t)).toBeUndefined();
    }
  });

  test("an exact route covers only itself; an exact match is reported before the package", () => {
    const set = new RouteSet([parseRoute("/cosmos.bank.v1beta1.MsgSend")]);
    expect(set.match("/cosmos.bank.v1beta1.MsgSend")).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(set.match("/cosmos.bank.v1beta1.MsgMultiSend")).toBeUndefined();
    expect(set.match("/cosmos.bank.v1beta1.MsgSendX")).toBeUndefined();
    set.add(parseRoute("/cosmos.bank.v1beta1.*"));
    expect(set.match("/cosmos.bank.v1beta1.MsgSend")).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(set.match("/cosmos.bank.v1beta1.MsgMultiSend")).toBe("/cosmos.bank.v1beta1.*");
  });

  test("matching agrees with a plain scan of the rules (random rules and type URLs)", () => {
    const ident = fc.constantFrom("a", "b", "c", "v1", "Msg", "MsgX");
    const name = fc.array(ident, { minLength: 2, maxLength: 4 }).map((p) => p.join("."));
    const rule = fc.tuple(name, fc.boolean()).map(([n, wild]) => (wild ? `/${n}.*` : `/${n}`));
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 8 }), fc.array(name, { minLength: 1, maxLength: 8 }), (rules, names) => {
        const set = new RouteSet(rules.map((r) => parseRoute(r)));
        for (const n of names) {
          const t = `/${n}`;
          const pkg = n.slice(0, n.lastIndexOf("."));
          const expected = rules.includes(t) ? t : rules.includes(`/${pkg}.*`) ? `/${pkg}.*` : undefined;
          expect(set.match(t)).toBe(expected);
        }
      }),
    );
  });
});

describe("MsgCircuitBreak stateless checks", () => {
  const ok = { member: MEMBER, routes: ["/cosmos.bank.v1beta1.MsgSend"], reason: "exploit in bank", caseId: 0n };

  test("a valid message parses to canonical routes in message order", () => {
    const routes = validateCircuitBreak({ ...ok, routes: ["cosmos.bank.v1beta1.MsgSend", "/cosmos.staking.v1beta1.*"] });
    expect(routes.map((r) => r.route)).toEqual(["/cosmos.bank.v1beta1.MsgSend", "/cosmos.staking.v1beta1.*"]);
  });

  test.each([
    ["no routes", { routes: [] }, ErrInvalidRoutes.code, "at least one route"],
    ["too many routes", { routes: Array.from({ length: MAX_ROUTES_PER_MSG + 1 }, (_, i) => `/p${i}.Msg`) }, ErrInvalidRoutes.code, `at most ${MAX_ROUTES_PER_MSG}`],
    ["a route twice", { routes: ["/cosmos.bank.v1beta1.MsgSend", "cosmos.bank.v1beta1.MsgSend"] }, ErrInvalidRoutes.code, "twice"],
    ["exact then its package", { routes: ["/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.*"] }, ErrInvalidRoutes.code, "already covered by /cosmos.bank.v1beta1.*"],
    ["package then an exact of it", { routes: ["/cosmos.bank.v1beta1.*", "/cosmos.bank.v1beta1.MsgSend"] }, ErrInvalidRoutes.code, "routes[1]"],
    ["a malformed route", { routes: ["/cosmos.bank.v1beta1.MsgSend", "bank send"] }, ErrMalformedRoute.code, "routes[1]"],
    ["an empty reason", { reason: "  " }, ErrInvalidReason.code, "reason is empty"],
    ["a long reason", { reason: "x".repeat(513) }, ErrInvalidReason.code, "at most 512"],
    ["a bad member address", { member: "dcert1nope" }, ErrInvalidAddress.code, "member"],
  ])("%s is rejected", (_name, change, code, text) => {
    const m = { ...ok, ...change };
    expect(codeOf(() => validateCircuitBreak(m))).toEqual(["dcert", code]);
    expect(() => validateCircuitBreak(m)).toThrow(text);
  });

  test("each accountability message, named exactly (any spelling), is refused with dcert:56 naming the route and why", () => {
    expect(ACCOUNTABILITY_ROUTES).toEqual([
      "/coord.v1.MsgAcknowledge",
      "/coord.v1.MsgSubmitInput",
      "/coord.v1.MsgUpdateInvolvement",
      "/cosmos.upgrade.v1beta1.MsgCancelUpgrade",
      "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade",
      "/dcert.v1.MsgDisbandGroup",
      "/dcert.v1.MsgReestablishGroup",
      "/dcert.v1.MsgReinstateMember",
      "/dcert.v1.MsgSlashMember",
      "/dcert.v1.MsgUpdateParams",
    ]);
    expect(ErrProtectedRoute.code).toBe(56);
    for (const route of ACCOUNTABILITY_ROUTES) {
      for (const spelling of [route, route.slice(1), `type.googleapis.com${route}`]) {
        const m = { ...ok, routes: ["/cosmos.bank.v1beta1.MsgSend", spelling] };
        expect(codeOf(() => validateCircuitBreak(m))).toEqual(["dcert", 56]);
        expect(() => validateCircuitBreak(m)).toThrow(`routes[1] ${route} is an accountability message`);
        expect(() => validateCircuitBreak(m)).toThrow("can never be circuit-broken");
      }
    }
    // The package may still be broken (it never covers them: see the guard), and so may the other dCERT messages.
    expect(validateCircuitBreak({ ...ok, routes: ["/dcert.v1.*"] }).map((r) => r.route)).toEqual(["/dcert.v1.*"]);
    expect(validateCircuitBreak({ ...ok, routes: ["/dcert.v1.MsgVote", "/dcert.v1.MsgBond"] })).toHaveLength(2);
  });

  test("different packages and different messages of one package may be broken together", () => {
    expect(parseRouteList(["/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.MsgMultiSend", "/cosmos.gov.v1.*", "/cosmos.gov.v1beta1.*"])).toHaveLength(4);
  });
});

describe("error codes", () => {
  test("circuit errors are registered in the dcert codespace at 50–99, with dcert:50 the broken-route refusal", () => {
    const circuit = registeredErrors().filter((e) => e.codespace === "dcert" && e.code >= 50);
    expect(circuit.map((e) => e.code)).toEqual([50, 51, 52, 53, 54, 55, 56, 57]);
    for (const e of circuit) expect(e.code).toBeLessThan(100);
    expect(ROUTE_BROKEN_CODE).toBe(50);
    expect([ErrRouteBroken, ErrCircuitBreakDisabled, ErrMalformedRoute, ErrUnknownRoute, ErrAlreadyBroken, ErrInvalidRoutes, ErrProtectedRoute].map((e) => e.code)).toEqual([50, 51, 52, 53, 54, 55, 56]);
  });
});

describe("clearing broken routes in a genesis document", () => {
  const doc = {
    chain_id: "dcert-1",
    initial_height: "42",
    app_state: {
      bank: { balances: [] },
      dcert: {
        params: { circuit_break_enabled: true },
        broken_routes: [
          { route: "/cosmos.bank.v1beta1.MsgSend", member: MEMBER, reason: "r", height: "7" },
          { route: "/cosmos.gov.v1.*", member: MEMBER, reason: "r", height: "8" },
        ],
      },
    },
  };

  test("empties broken_routes, reports what was cleared, keeps everything else and leaves the input alone", () => {
    const before = JSON.stringify(doc);
    const { genesis, cleared } = clearBrokenRoutes(doc);
    expect(cleared).toEqual(["/cosmos.bank.v1beta1.MsgSend", "/cosmos.gov.v1.*"]);
    expect(genesis).toEqual({ ...doc, app_state: { ...doc.app_state, dcert: { ...doc.app_state.dcert, broken_routes: [] } } });
    expect(JSON.stringify(doc)).toBe(before);
  });

  test("a genesis without broken routes clears nothing; one without a dcert section is an error", () => {
    expect(clearBrokenRoutes({ app_state: { dcert: { params: {} } } }).cleared).toEqual([]);
    expect(() => clearBrokenRoutes({ app_state: {} })).toThrow("genesis app_state.dcert: expected an object");
    expect(() => clearBrokenRoutes({ app_state: { dcert: { broken_routes: {} } } })).toThrow("expected an array");
  });
});

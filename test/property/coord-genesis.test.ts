/**
 * Properties of the coord genesis parser and validator (fast-check):
 * - any edit of a valid section's JSON (a value replaced anywhere, a record dropped or duplicated)
 *   is either accepted or refused with a GenesisError naming a "coord…" path — never a crash,
 *   never another kind of error;
 * - whatever is accepted round-trips: init → export → parse gives the same records, and exporting
 *   that again gives the same JSON.
 */
import fc from "fast-check";
import { blockContext, type Context } from "../../src/baseapp/context";
import { GenesisError } from "../../src/baseapp/json";
import { MemoryKV } from "../../src/baseapp/store/memory";
import { GenesisState } from "../../src/generated/coord/v1/genesis";
import { exportCoordGenesis, initCoordGenesis, parseCoordGenesis, validateCoordGenesis } from "../../src/x/coord/genesis";
import { CoordKeeper } from "../../src/x/coord/keeper/keeper";
import { validGenesis } from "../unit/coord/genesis-fixture";

type Json = unknown;

function exported(g: GenesisState): Record<string, unknown> {
  const ctx = blockContext(new MemoryKV(), { chainId: "t", height: 1n, time: { seconds: 1n, nanos: 0 }, proposer: new Uint8Array() }, "genesis");
  // The deposits account holds exactly what the registered parties deposited (that rule has its own tests).
  const owed = (denom: string): bigint =>
    g.parties.filter((p) => p.withdrawnHeight === 0n && p.deposit?.denom === denom).reduce((sum, p) => sum + BigInt(p.deposit?.amount ?? "0"), 0n);
  // The real keeper on fake neighbours: a check that is not done restarts through it.
  const keeper = new CoordKeeper({
    auth: { declareModuleAccount: () => "" },
    bank: {
      getBalance: (_c: Context, _a: string, denom: string) => ({ denom, amount: owed(denom) }),
      sendFromAccountToModule: () => undefined,
      sendFromModuleToAccount: () => undefined,
    },
    dcert: { isActiveMember: () => false, activeMembers: () => [], disbandPending: () => false, isDisbanded: () => false },
    authority: "",
  });
  initCoordGenesis(ctx, keeper, g, { balance: (_c, _a, denom) => owed(denom) });
  return exportCoordGenesis(ctx, keeper);
}

/** Every path to a value in a JSON tree. */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function setAt(root: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[head as string] = setAt(copy[head as string], rest, value);
  return copy;
}

const BASE = JSON.parse(JSON.stringify(exported(validGenesis()))) as Record<string, unknown>;
const BASE_PATHS = paths(BASE).filter((p) => p.length > 0);

const anyValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 1_000_000 }),
  fc.constantFrom("", "0", "01", "-1", "18446744073709551616", "CASE_STATUS_OPEN", "PARTY_KIND_NOPE", "2024-01-01T00:00:00Z", "2024-13-01T00:00:00Z", "AAAA", "!!", "dcert1qqqq"),
  fc.string({ maxLength: 12 }),
  fc.constant([]),
  fc.constant({}),
);

/** Parses and validates; returns "ok", or the error if it is a GenesisError on a coord path. */
function outcome(json: Json): "ok" | GenesisError {
  try {
    validateCoordGenesis(parseCoordGenesis(json));
    return "ok";
  } catch (e) {
    if (e instanceof GenesisError && /^genesis coord(\.|:| )/.test(e.message)) return e;
    throw e;
  }
}

describe("coord genesis properties", () => {
  test("a value replaced anywhere is accepted or refused with a GenesisError on a coord path", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: BASE_PATHS.length - 1 }), anyValue, (i, value) => {
        const json = setAt(BASE, BASE_PATHS[i] ?? [], value);
        const r = outcome(json);
        if (r === "ok") {
          // Whatever is accepted round-trips exactly.
          const g = parseCoordGenesis(json);
          const once = exported(g);
          expect(JSON.stringify(exported(parseCoordGenesis(JSON.parse(JSON.stringify(once)))))).toBe(JSON.stringify(once));
        }
      }),
      {
        numRuns: 400,
        // Found by a CI run: a check marked not done restarts through the keeper at init.
        examples: [[BASE_PATHS.findIndex((p) => p.join(".") === "checks.0.done"), null]],
      },
    );
  });

  test("dropping or duplicating records is accepted or refused with a GenesisError on a coord path", () => {
    const lists = Object.keys(BASE).filter((k) => Array.isArray(BASE[k]));
    fc.assert(
      fc.property(fc.constantFrom(...lists), fc.nat(), fc.boolean(), (list, n, duplicate) => {
        const items = [...(BASE[list] as unknown[])];
        const i = n % items.length;
        if (duplicate) items.push(items[i]);
        else items.splice(i, 1);
        const r = outcome({ ...BASE, [list]: items });
        if (duplicate) expect(r).not.toBe("ok"); // no list tolerates a copy of one of its records
      }),
      { numRuns: 200 },
    );
  });

  test("the fixture's JSON is a fixed point", () => {
    expect(JSON.stringify(exported(parseCoordGenesis(BASE)))).toBe(JSON.stringify(BASE));
    expect(GenesisState.toJSON(parseCoordGenesis(BASE))).toEqual(GenesisState.toJSON(validGenesis()));
  });
});

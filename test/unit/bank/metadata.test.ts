/**
 * Bank denom metadata: the SDK's Metadata validation rules and messages, and the genesis section
 * `bank.denom_metadata` (read, validated, no base twice), with fast-check over what the reader
 * accepts.
 */
import fc from "fast-check";
import type { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { GenesisError } from "../../../src/baseapp/json";
import { validateBankGenesis } from "../../../src/x/bank/genesis";
import { denomMetadataFromGenesis, metadataFromJson, metadataProblem, metadataToJson } from "../../../src/x/bank/metadata";
import { genesisTemplate, stakingDenomMetadataJson } from "../../../src/app/genesis";

const DCERT: Metadata = {
  description: "",
  denomUnits: [
    { denom: "udcert", exponent: 0, aliases: [] },
    { denom: "mdcert", exponent: 3, aliases: ["millidcert"] },
    { denom: "dcert", exponent: 6, aliases: [] },
  ],
  base: "udcert",
  display: "dcert",
  name: "dCERT",
  symbol: "DCERT",
  uri: "",
  uriHash: "",
};

const withUnits = (units: Metadata["denomUnits"], extra: Partial<Metadata> = {}): Metadata => ({ ...DCERT, denomUnits: units, ...extra });

describe("metadataProblem (the SDK's Metadata.Validate)", () => {
  test("valid metadata passes", () => {
    expect(metadataProblem(DCERT)).toBeUndefined();
  });

  test.each<[string, Metadata, string]>([
    ["blank name", { ...DCERT, name: "  " }, "name field cannot be blank"],
    ["blank symbol", { ...DCERT, symbol: "" }, "symbol field cannot be blank"],
    ["bad base", { ...DCERT, base: "1u" }, "invalid metadata base denom: invalid denom: 1u"],
    ["bad display", { ...DCERT, display: "d" }, "invalid metadata display denom: invalid denom: d"],
    [
      "first unit not the base",
      withUnits([{ denom: "dcert", exponent: 0, aliases: [] }]),
      "metadata's first denomination unit must be the one with base denom 'udcert'",
    ],
    [
      "base exponent not 0",
      withUnits([{ denom: "udcert", exponent: 1, aliases: [] }]),
      "the exponent for base denomination unit udcert must be 0",
    ],
    [
      "exponents not increasing",
      withUnits([
        { denom: "udcert", exponent: 0, aliases: [] },
        { denom: "dcert", exponent: 6, aliases: [] },
        { denom: "mdcert", exponent: 6, aliases: [] },
      ]),
      "denom units should be sorted asc by exponent",
    ],
    [
      "unit twice",
      withUnits([
        { denom: "udcert", exponent: 0, aliases: [] },
        { denom: "udcert", exponent: 6, aliases: [] },
      ]),
      "duplicate denomination unit udcert",
    ],
    [
      "invalid unit denom",
      withUnits([
        { denom: "udcert", exponent: 0, aliases: [] },
        { denom: "dcert", exponent: 6, aliases: [] },
        { denom: "x", exponent: 9, aliases: [] },
      ]),
      "invalid denom unit: invalid denom: x",
    ],
    [
      "alias twice",
      withUnits([
        { denom: "udcert", exponent: 0, aliases: ["micro", "micro"] },
        { denom: "dcert", exponent: 6, aliases: [] },
      ]),
      "duplicate denomination unit alias micro",
    ],
    [
      "blank alias",
      withUnits([
        { denom: "udcert", exponent: 0, aliases: [" "] },
        { denom: "dcert", exponent: 6, aliases: [] },
      ]),
      "alias for denom unit udcert cannot be blank",
    ],
    ["no display unit", withUnits([{ denom: "udcert", exponent: 0, aliases: [] }]), "metadata must contain a denomination unit with display denom 'dcert'"],
    ["no units at all", withUnits([]), "metadata must contain a denomination unit with display denom 'dcert'"],
  ])("%s", (_name, m, message) => {
    expect(metadataProblem(m)).toBe(message);
  });
});

const entry = (m: Metadata) => metadataToJson(m);
const bankWith = (denomMetadata: unknown) => ({ params: {}, balances: [], supply: [], denom_metadata: denomMetadata });

describe("genesis bank.denom_metadata", () => {
  test("JSON round trip keeps every field", () => {
    const full: Metadata = { ...DCERT, description: "d", uri: "https://example.org/dcert.json", uriHash: "ab" };
    expect(metadataFromJson(JSON.parse(JSON.stringify(entry(full))), "m")).toEqual(full);
    expect(entry(full)).toEqual({
      description: "d",
      denom_units: [
        { denom: "udcert", exponent: 0, aliases: [] },
        { denom: "mdcert", exponent: 3, aliases: ["millidcert"] },
        { denom: "dcert", exponent: 6, aliases: [] },
      ],
      base: "udcert",
      display: "dcert",
      name: "dCERT",
      symbol: "DCERT",
      uri: "https://example.org/dcert.json",
      uri_hash: "ab",
    });
  });

  test("exponents as strings (as some exporters write them) and absent optional fields read", () => {
    const m = metadataFromJson(
      { base: "udcert", display: "dcert", name: "dCERT", symbol: "DCERT", denom_units: [{ denom: "udcert" }, { denom: "dcert", exponent: "6" }] },
      "m",
    );
    expect(m.denomUnits).toEqual([
      { denom: "udcert", exponent: 0, aliases: [] },
      { denom: "dcert", exponent: 6, aliases: [] },
    ]);
    expect(metadataProblem(m)).toBeUndefined();
  });

  test("a second entry for the same base is refused", () => {
    expect(() => validateBankGenesis(bankWith([entry(DCERT), entry(DCERT)]))).toThrow(
      "genesis bank.denom_metadata[1]: duplicate client metadata for denom udcert",
    );
  });

  test("an invalid entry is refused with its index and the rule", () => {
    expect(() => validateBankGenesis(bankWith([entry(DCERT), entry({ ...DCERT, base: "uother", symbol: "" })]))).toThrow(
      "genesis bank.denom_metadata[1]: symbol field cannot be blank",
    );
  });

  test.each<[string, unknown, string]>([
    ["not a list", { a: 1 }, "genesis bank.denom_metadata: expected an array"],
    ["entry not an object", [7], "genesis bank.denom_metadata[0]: expected an object"],
    ["exponent negative", [{ ...entry(DCERT), denom_units: [{ denom: "udcert", exponent: -1 }] }], "genesis bank.denom_metadata[0].denom_units[0].exponent"],
    ["exponent fractional", [{ ...entry(DCERT), denom_units: [{ denom: "udcert", exponent: 0.5 }] }], "expected an exponent from 0 to 4294967295"],
    ["exponent too large", [{ ...entry(DCERT), denom_units: [{ denom: "udcert", exponent: 2 ** 32 }] }], "expected an exponent from 0 to 4294967295"],
    ["alias not a string", [{ ...entry(DCERT), denom_units: [{ denom: "udcert", exponent: 0, aliases: [1] }] }], "denom_units[0].aliases[0]: expected a string"],
    ["name not a string", [{ ...entry(DCERT), name: 5 }], "genesis bank.denom_metadata[0].name: expected a string"],
  ])("malformed JSON: %s", (_name, v, message) => {
    expect(() => denomMetadataFromGenesis(v)).toThrow(message);
  });

  test("the devnet and ceremony genesis carry udcert as DCERT (exponent 6), and it is valid", () => {
    const [m] = stakingDenomMetadataJson();
    expect(m).toMatchObject({ base: "udcert", display: "dcert", name: "dCERT", symbol: "DCERT" });
    expect(denomMetadataFromGenesis([m])[0]?.denomUnits).toEqual([
      { denom: "udcert", exponent: 0, aliases: [] },
      { denom: "dcert", exponent: 6, aliases: [] },
    ]);
    expect(stakingDenomMetadataJson("stake")).toEqual([]);
    for (const profile of ["default", "devnet"] as const) {
      const bank = genesisTemplate(profile)["bank"] as { denom_metadata: unknown };
      expect(bank.denom_metadata).toEqual(stakingDenomMetadataJson());
      expect(() => validateBankGenesis(bank)).not.toThrow();
    }
  });

  const denom = fc.stringMatching(/^[a-z][a-z0-9]{2,10}$/);
  const validMetadata: fc.Arbitrary<Metadata> = fc
    .record({
      base: denom,
      rest: fc.uniqueArray(fc.record({ denom, exponent: fc.integer({ min: 1, max: 30 }) }), { selector: (u) => u.denom, maxLength: 4 }),
      aliases: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 3 }),
      name: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,12}$/),
      symbol: fc.stringMatching(/^[A-Z]{1,6}$/),
      description: fc.string(),
      uri: fc.string(),
      displayIndex: fc.nat(),
    })
    .map(({ base, rest, aliases, name, symbol, description, uri, displayIndex }) => {
      const others = rest.filter((u) => u.denom !== base).sort((a, b) => a.exponent - b.exponent);
      const increasing = others.filter((u, i) => i === 0 || (others[i - 1]?.exponent ?? 0) < u.exponent);
      const units = [{ denom: base, exponent: 0, aliases }, ...increasing.map((u) => ({ ...u, aliases: [] }))];
      const display = units[displayIndex % units.length]?.denom ?? base;
      return { description, denomUnits: units, base, display, name, symbol, uri, uriHash: "" };
    });

  test("property: valid metadata passes and survives genesis JSON", () => {
    fc.assert(
      fc.property(validMetadata, (m) => {
        expect(metadataProblem(m)).toBeUndefined();
        expect(denomMetadataFromGenesis(JSON.parse(JSON.stringify([entry(m)])))).toEqual([m]);
      }),
    );
  });

  test("property: any JSON is either read or refused with a GenesisError", () => {
    const units = fc.array(fc.record({ denom: fc.oneof(denom, fc.jsonValue()), exponent: fc.oneof(fc.integer({ min: -2, max: 40 }), fc.jsonValue()), aliases: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 4 });
    const metadataLike = fc.record({ base: fc.oneof(denom, fc.jsonValue()), display: fc.oneof(denom, fc.jsonValue()), name: fc.jsonValue(), symbol: fc.jsonValue(), denom_units: fc.oneof(units, fc.jsonValue()) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.array(metadataLike, { maxLength: 3 }), fc.jsonValue()), (v) => {
        try {
          for (const m of denomMetadataFromGenesis(v)) expect(metadataProblem(m)).toBeUndefined();
        } catch (e) {
          expect(e).toBeInstanceOf(GenesisError);
        }
      }),
    );
  });
});

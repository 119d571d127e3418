/** -o json and -o text: JSON conversion of decoded protobuf values and the aligned tables. */
import { columnTable, emit, kvTable, outputFormat, snakeCase, timestampToString, toJson, toText } from "../../../src/cli/output";
import { UsageError } from "../../../src/cli/args";

describe("JSON form", () => {
  test("keys to snake_case, bigint to strings, bytes to base64, timestamps to RFC 3339", () => {
    expect(snakeCase("securityContact")).toBe("security_contact");
    expect(snakeCase("isMember")).toBe("is_member");
    expect(snakeCase("already_snake")).toBe("already_snake");
    expect(
      toJson({
        lastSequence: 5n,
        raw: new Uint8Array([1, 2, 3]),
        completionTime: { seconds: 1_700_000_000n, nanos: 500_000_000 },
        nested: { stipendPaid: "10", missing: undefined },
        list: [{ matures_at: 7n }],
        "@type": "/x",
        flag: false,
      }),
    ).toEqual({
      last_sequence: "5",
      raw: "AQID",
      completion_time: "2023-11-14T22:13:20.5Z",
      nested: { stipend_paid: "10" },
      list: [{ matures_at: "7" }],
      "@type": "/x",
      flag: false,
    });
    expect(timestampToString({ seconds: 0n, nanos: 0 })).toBe("1970-01-01T00:00:00Z");
  });
});

describe("text form", () => {
  test("key/value rows are aligned", () => {
    expect(kvTable([["a", "1"], ["longer", true], ["n", null]])).toBe("a       1\nlonger  true\nn");
  });

  test("records become a column table with dotted nested columns", () => {
    expect(
      columnTable([
        { address: "dcert1aaa", tally: "10", amount: { denom: "u", amount: "5" } },
        { address: "dcert1bbbbbb", tally: "7", amount: { denom: "u", amount: "50" } },
      ]),
    ).toBe(["ADDRESS       TALLY  AMOUNT.DENOM  AMOUNT.AMOUNT", "dcert1aaa     10     u             5", "dcert1bbbbbb  7      u             50"].join("\n"));
    expect(columnTable([])).toBe("(none)");
  });

  test("an object: scalars as rows, lists of records as titled tables, empty lists as (none)", () => {
    const text = toText({ status: "ACTIVE", description: { name: "d" }, members: [{ address: "x", tally: "1" }], routes: [], tags: ["a", "b"] });
    expect(text).toBe(["status            ACTIVE", "description.name  d", "routes            (none)", "tags              a, b", "", "members:", "ADDRESS  TALLY", "x        1"].join("\n"));
  });

  test("emit prints JSON or text by --output, and rejects other formats", () => {
    const logs: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((s: string) => void logs.push(s));
    try {
      emit({ flags: { output: "json" }, positionals: [] }, { a: "1" });
      emit({ flags: {}, positionals: [] }, { a: "1" });
      emit({ flags: { output: "text" }, positionals: [] }, { a: "1" }, "custom");
    } finally {
      spy.mockRestore();
    }
    expect(logs).toEqual(['{\n  "a": "1"\n}', "a  1", "custom"]);
    expect(() => outputFormat({ flags: { output: "yaml" }, positionals: [] })).toThrow(UsageError);
  });
});

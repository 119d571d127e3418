/** Command-line values: coins, vote splits, gov options, proposal files, tx gas and fee flags. */
import { UsageError, type ParsedArgs } from "../../../src/cli/args";
import { parseCoin, parseCoins, parseId, parseProposalFile, parseShare, parseSplit, parseVoteOption, parseWeightedOptions } from "../../../src/cli/parse";
import { feeFor, gasSettings, signMode } from "../../../src/cli/tx";
import { createDcertRegistry, govAuthority } from "../../../src/client";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";

const args = (flags: Record<string, string | true>): ParsedArgs => ({ flags, positionals: [] });
const A = "dcert1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";

function usage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error("expected a UsageError");
}

describe("coins", () => {
  test("parses coin lists and single coins", () => {
    expect(parseCoins("1000udcert")).toEqual([{ denom: "udcert", amount: "1000" }]);
    expect(parseCoins("1udcert, 007uatom")).toEqual([
      { denom: "udcert", amount: "1" },
      { denom: "uatom", amount: "7" },
    ]);
    expect(parseCoin("2000000udcert")).toEqual({ denom: "udcert", amount: "2000000" });
    expect(parseCoins("123456789012345678901234567890udcert")[0]?.amount).toBe("123456789012345678901234567890");
  });

  test("rejects what is not a coin, with a hint", () => {
    expect(usage(() => parseCoins("1.5udcert"))).toMatch(/not a coin; write an integer amount followed by the denom/);
    expect(usage(() => parseCoins("udcert"))).toMatch(/not a coin/);
    expect(usage(() => parseCoins("-5udcert"))).toMatch(/not a coin/);
    expect(usage(() => parseCoins(""))).toMatch(/empty/);
    expect(usage(() => parseCoins("1udcert,2udcert"))).toMatch(/twice/);
    expect(usage(() => parseCoin("1udcert,2uatom"))).toMatch(/single coin/);
    expect(usage(() => parseCoin("0udcert"))).toMatch(/positive/);
  });
});

describe("vote splits", () => {
  test("shares as fractions or percentages, to 18-decimal fixed point", () => {
    expect(parseShare("0.5")).toBe(5n * 10n ** 17n);
    expect(parseShare("25%")).toBe(25n * 10n ** 16n);
    expect(parseShare("12.5%")).toBe(125n * 10n ** 15n);
    expect(parseShare("1")).toBe(10n ** 18n);
    expect(usage(() => parseShare("half"))).toMatch(/fraction like 0.25 or a percentage like 25%/);
  });

  test("--split entries, at most 1 in total, no candidate twice", () => {
    expect(parseSplit(`${A}=0.6,bob=25%`)).toEqual([
      { who: A, share: 6n * 10n ** 17n },
      { who: "bob", share: 25n * 10n ** 16n },
    ]);
    expect(usage(() => parseSplit(`${A}=0.6,bob=0.5`))).toMatch(/more than 1/);
    expect(usage(() => parseSplit(`${A}=0.1,${A}=0.1`))).toMatch(/twice/);
    expect(usage(() => parseSplit(`${A}=0`))).toMatch(/above 0/);
    expect(usage(() => parseSplit(`${A}`))).toMatch(/<address>=<share>/);
    expect(usage(() => parseSplit(""))).toMatch(/empty/);
  });
});

describe("gov values", () => {
  test("vote options by name", () => {
    expect(parseVoteOption("yes")).toBe(VoteOption.VOTE_OPTION_YES);
    expect(parseVoteOption("No_With_Veto")).toBe(VoteOption.VOTE_OPTION_NO_WITH_VETO);
    expect(parseVoteOption("no-with-veto")).toBe(VoteOption.VOTE_OPTION_NO_WITH_VETO);
    expect(usage(() => parseVoteOption("maybe"))).toMatch(/yes, no, abstain or no_with_veto/);
  });

  test("weighted options add up to exactly 1", () => {
    expect(parseWeightedOptions("yes=0.6,no=0.4")).toEqual([
      { option: VoteOption.VOTE_OPTION_YES, weight: "0.6" },
      { option: VoteOption.VOTE_OPTION_NO, weight: "0.4" },
    ]);
    expect(parseWeightedOptions("yes=50%,abstain=50%")[0]?.weight).toBe("0.500000000000000000");
    expect(usage(() => parseWeightedOptions("yes=0.6,no=0.3"))).toMatch(/exactly 1/);
  });

  test("ids", () => {
    expect(parseId("12", "proposal id")).toBe(12n);
    expect(usage(() => parseId("x", "proposal id"))).toMatch(/non-negative integer/);
    expect(usage(() => parseId(undefined, "proposal id"))).toMatch(/give the proposal id/);
  });

  test("proposal files: snake_case or camelCase fields, the gov authority filled in, coins parsed", () => {
    const registry = createDcertRegistry();
    const p = parseProposalFile(
      {
        messages: [
          { "@type": "/dcert.v1.MsgUpdateParams", params: { max_members: 5, min_member_bond: { denom: "udcert", amount: "7" }, stabilization_period: "3", circuit_break_enabled: true } },
          { "@type": "/dcert.v1.MsgSlashMember", authority: A, member: A, fraction: "100000000000000000" },
          { "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: A, toAddress: A, amount: [{ denom: "udcert", amount: "1" }] },
        ],
        deposit: "10000000udcert",
        title: "t",
        summary: "s",
      },
      registry,
      govAuthority(),
    );
    expect(p.deposit).toEqual([{ denom: "udcert", amount: "10000000" }]);
    expect(p.expedited).toBe(false);
    const [params, slash, send] = p.messages as unknown as [{ value: Record<string, unknown> }, { value: Record<string, unknown> }, { value: Record<string, unknown> }];
    expect(params.value["authority"]).toBe(govAuthority());
    expect(params.value["params"]).toEqual(expect.objectContaining({ maxMembers: 5, minMemberBond: { denom: "udcert", amount: "7" }, stabilizationPeriod: 3n, circuitBreakEnabled: true }));
    expect(slash.value["authority"]).toBe(A);
    expect(send.value).toEqual({ fromAddress: A, toAddress: A, amount: [{ denom: "udcert", amount: "1" }] });
    // They encode, as the tx command will encode them.
    for (const m of p.messages) expect(() => registry.encodeAsAny(m)).not.toThrow();
  });

  test("proposal files: each mistake is named", () => {
    const registry = createDcertRegistry();
    const base = { messages: [], title: "t", summary: "s" };
    expect(usage(() => parseProposalFile([], registry, A))).toMatch(/JSON object/);
    expect(usage(() => parseProposalFile({ ...base, messages: undefined }, registry, A))).toMatch(/"messages" list/);
    expect(usage(() => parseProposalFile({ ...base, messages: [{ "@type": "/nope.Msg" }] }, registry, A))).toMatch(/messages\[0\] has unknown type \/nope.Msg/);
    expect(usage(() => parseProposalFile({ ...base, messages: [{ member: A }] }, registry, A))).toMatch(/no "@type"/);
    expect(usage(() => parseProposalFile({ ...base, title: "" }, registry, A))).toMatch(/"title" must be a non-empty string/);
    expect(usage(() => parseProposalFile({ ...base, deposit: "ten" }, registry, A))).toMatch(/deposit "ten" is not a coin/);
    expect(usage(() => parseProposalFile({ ...base, expedited: "yes" }, registry, A))).toMatch(/expedited/);
  });
});

describe("tx gas and fee flags", () => {
  test("--gas auto (default) or a limit; --gas-adjustment ≥ 1", () => {
    expect(gasSettings(args({}))).toEqual({ gas: "auto", adjustment: 1.4 });
    expect(gasSettings(args({ gas: "250000", "gas-adjustment": "2" }))).toEqual({ gas: 250000, adjustment: 2 });
    expect(usage(() => gasSettings(args({ gas: "lots" })))).toMatch(/--gas must be auto or a positive integer/);
    expect(usage(() => gasSettings(args({ gas: "0" })))).toMatch(/--gas must be/);
    expect(usage(() => gasSettings(args({ "gas-adjustment": "0.5" })))).toMatch(/≥ 1/);
  });

  test("fees: --fees exactly, else gas × --gas-prices (default 0.025udcert), rounded up", () => {
    expect(feeFor(args({}), 100_001)).toEqual({ amount: [{ denom: "udcert", amount: "2501" }], gas: "100001" });
    expect(feeFor(args({ "gas-prices": "0.1udcert" }), 1000)).toEqual({ amount: [{ denom: "udcert", amount: "100" }], gas: "1000" });
    expect(feeFor(args({ fees: "5000udcert" }), 1000)).toEqual({ amount: [{ denom: "udcert", amount: "5000" }], gas: "1000" });
    expect(usage(() => feeFor(args({ fees: "1udcert", "gas-prices": "0.1udcert" }), 1))).toMatch(/not both/);
    expect(usage(() => feeFor(args({ "gas-prices": "cheap" }), 1))).toMatch(/--gas-prices must look like/);
  });

  test("sign modes", () => {
    expect(signMode(args({}))).toBe("direct");
    expect(signMode(args({ "sign-mode": "amino-json" }))).toBe("amino-json");
    expect(usage(() => signMode(args({ "sign-mode": "textual" })))).toMatch(/direct or amino-json/);
  });
});

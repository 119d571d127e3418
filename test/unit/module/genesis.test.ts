/**
 * Pure genesis validation of the dcert section: defaults are valid, and each broken rule is
 * reported with the JSON path to fix; plus the stateless message checks.
 */
import { addrString } from "../../../src/x/auth/keeper";
import { ChainError } from "../../../src/baseapp/errors";
import { GenesisError } from "../../../src/baseapp/json";
import { defaultDcertGenesisJson, devnetDcertGenesisJson, parseDcertGenesis, parseFraction, validateDcertGenesis } from "../../../src/x/dcert";
import { parseVoteEntries, requireCoin } from "../../../src/x/dcert/validate";

const ONE = 10n ** 18n;
const A = addrString(new Uint8Array(20).fill(1));
const B = addrString(new Uint8Array(20).fill(2));
const C = addrString(new Uint8Array(20).fill(3));

function check(json: unknown): void {
  validateDcertGenesis(parseDcertGenesis(json));
}

/** A valid section with two members, a queued challenger, a vote and bonds. */
function valid(): Record<string, unknown> {
  return {
    ...devnetDcertGenesisJson(),
    last_sequence: "2",
    candidates: [
      { address: A, acceptance: { height: "1", index: 0 } },
      { address: B, acceptance: { height: "1", index: 1 } },
      { address: C, acceptance: { height: "2", index: 0 } },
    ],
    members: [
      { address: A, sequence: "1" },
      { address: B, sequence: "2" },
    ],
    queue: [{ challenger: C, replaces: B, matures_at: "9" }],
    votes: [{ voter: C, power: "10", entries: [{ candidate: A, share: (ONE / 3n).toString(), contribution: "3" }] }],
    bonds: [A, B, C].map((x) => ({ staker: x, member: x, amount: "1000000" })),
    unbondings: [{ id: "1", staker: A, member: A, creation_height: "1", completion_time: "2024-01-01T00:00:00.123456789Z", initial_balance: "5", balance: "4" }],
    next_unbonding_id: "2",
    suspension_votes: [{ target: B, voter: A, reason: "r", height: "1" }],
    disband_proposals: [{ proposal_id: "3", proposer: A, wager: { denom: "udcert", amount: "50000000" }, submit_height: "2" }],
    broken_routes: [{ route: "/cosmos.bank.v1beta1.MsgSend", member: A, reason: "exploit", height: "2" }],
  };
}

function problem(json: unknown): string {
  try {
    check(json);
  } catch (e) {
    if (e instanceof GenesisError) return e.message;
    throw e;
  }
  return "valid";
}

describe("dcert genesis validation", () => {
  test("default, devnet and a populated section are valid", () => {
    expect(problem(defaultDcertGenesisJson())).toBe("valid");
    expect(problem(devnetDcertGenesisJson())).toBe("valid");
    expect(problem(valid())).toBe("valid");
  });

  test("unbonding completion times keep their nanoseconds", () => {
    expect(parseDcertGenesis(valid()).state.unbondings[0]?.completionTime).toEqual({ seconds: 1_704_067_200n, nanos: 123_456_789 });
  });

  test.each<[string, (g: Record<string, unknown>) => void, string]>([
    ["params missing", (g) => delete g["params"], "genesis dcert.params: expected an object"],
    ["bad params", (g) => ((g["params"] as Record<string, unknown>)["max_members"] = 0), "dcert.params"],
    ["member without acceptance", (g) => (g["candidates"] = (g["candidates"] as unknown[]).slice(1)), "member " + A + " is not eligible: it has no standing acceptance"],
    ["member under-bonded", (g) => (g["bonds"] = [{ staker: A, member: A, amount: "1" }, { staker: B, member: B, amount: "1000000" }, { staker: C, member: C, amount: "1000000" }]), "its bond is below min_member_bond"],
    ["sequence above last_sequence", (g) => (g["last_sequence"] = "1"), "dcert.members[1].sequence"],
    ["duplicate sequence", (g) => (g["members"] = [{ address: A, sequence: "1" }, { address: B, sequence: "1" }]), "duplicate sequence 1"],
    ["too many members", (g) => ((g["params"] as Record<string, unknown>)["max_members"] = 1), "2 members but max_members is 1"],
    ["queue target not a member", (g) => (g["queue"] = [{ challenger: C, replaces: C, matures_at: "9" }]), "dcert.queue[0].replaces: must be a member"],
    ["queue challenger is a member", (g) => (g["queue"] = [{ challenger: A, replaces: B, matures_at: "9" }]), "must be an eligible non-member"],
    ["stale contribution", (g) => (g["votes"] = [{ voter: C, power: "10", entries: [{ candidate: A, share: (ONE / 3n).toString(), contribution: "4" }] }]), "must be floor(power × share / 10^18) = 3"],
    ["shares above one", (g) => (g["votes"] = [{ voter: C, power: "10", entries: [{ candidate: A, share: ONE.toString(), contribution: "10" }, { candidate: B, share: "1", contribution: "0" }] }]), "SharesExceedOne"],
    ["unbonding id out of range", (g) => (g["next_unbonding_id"] = "1"), "dcert.unbondings[0].id"],
    ["balance above initial", (g) => (g["unbondings"] = [{ id: "1", staker: A, member: A, creation_height: "1", completion_time: "2024-01-01T00:00:00Z", initial_balance: "5", balance: "6" }]), "cannot exceed initial_balance"],
    ["self suspension vote", (g) => (g["suspension_votes"] = [{ target: A, voter: A, reason: "", height: "1" }]), "cannot vote to suspend itself"],
    ["disbanded with acceptances", (g) => (g["group"] = { status: "GROUP_STATUS_DISBANDED" }), "a disbanded group has no standing acceptances"],
    ["bad address", (g) => (g["bonds"] = [{ staker: "cosmos1xyz", member: A, amount: "1" }]), "dcert.bonds[0].staker"],
    ["bad broken route", (g) => (g["broken_routes"] = [{ route: "cosmos.bank", member: A, reason: "", height: "1" }]), "dcert.broken_routes[0].route"],
    ["duplicate broken route", (g) => (g["broken_routes"] = [{ route: "/x.y.*", member: A }, { route: "/x.y.*", member: A }]), "duplicate broken route"],
    ["not a list", (g) => (g["votes"] = {}), "dcert.votes: expected an array"],
  ])("%s", (_name, edit, text) => {
    const g = valid();
    edit(g);
    expect(problem(g)).toContain(text);
  });
});

function code(f: () => unknown): number | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return e.code;
    throw e;
  }
  return undefined;
}

describe("stateless message checks", () => {
  test("vote entries: addresses, integer shares, engine rules", () => {
    expect(parseVoteEntries([{ candidate: A, share: "5" }])).toEqual([{ candidate: A, share: 5n }]);
    expect(code(() => parseVoteEntries([{ candidate: A, share: "0.5" }]))).toBe(4);
    expect(code(() => parseVoteEntries([{ candidate: "x", share: "5" }]))).toBe(5);
    expect(code(() => parseVoteEntries([{ candidate: A, share: "0" }]))).toBe(4);
    expect(code(() => parseVoteEntries(Array.from({ length: 1025 }, () => ({ candidate: A, share: "1" }))))).toBe(27);
  });

  test("fractions and coins", () => {
    expect(parseFraction(ONE.toString(), "f")).toBe(ONE);
    expect(code(() => parseFraction("0", "f"))).toBe(23);
    expect(code(() => parseFraction((ONE + 1n).toString(), "f"))).toBe(23);
    expect(code(() => requireCoin({ denom: "udcert", amount: "01" }, "amount"))).toBe(6);
    expect(code(() => requireCoin({ denom: "1", amount: "1" }, "amount"))).toBe(7);
    expect(code(() => requireCoin(undefined, "amount"))).toBe(6);
  });
});

/**
 * Double signing on a real 4-validator testnet (issue 13, "How we will know"): the classic operator
 * mistake — a second node started with a copy of validator2's consensus key and a fresh
 * priv_validator_state.json (src/localnet/doublesign.ts) — makes CometBFT commit
 * DuplicateVoteEvidence. The chain's x/evidence then slashes validator2 by
 * slash_fraction_double_sign of its power at the infraction height, jails it until
 * DoubleSignJailEndTime and tombstones it; its power leaves CometBFT's set; MsgUnjail is refused
 * for good. The copy is killed as soon as the validator is jailed, and no process is left behind.
 * Needs `npm run build` and CometBFT.
 */
import { pollUntil } from "../../src/localnet/proc";
import { removeRoot, tempRoot } from "./upgrade-harness";
import { committedDuplicateVotes, DOUBLE_SIGN_JAIL_END, DoubleSignerNode, parseDec, POWER_REDUCTION, processAlive, slashAmount, ValidatorNet } from "./validator-harness";

jest.setTimeout(600_000);

/** The validator whose key is copied (not node0, which the queries go to). */
const DOUBLE = 2;

let root: string;
let net: ValidatorNet;
let signer: DoubleSignerNode | undefined;

function say(line: string): void {
  process.stderr.write(`[double-sign e2e] ${line}\n`);
}

beforeAll(async () => {
  root = tempRoot("double-sign");
  net = new ValidatorNet(root);
  await net.create(4);
}, 300_000);

afterAll(async () => {
  await signer?.stop();
  await net?.stop();
  if (root !== undefined) removeRoot(root);
});

test("a second node signing with validator2's key: evidence slashes it by slash_fraction_double_sign, jails and tombstones it, and MsgUnjail is refused for good", async () => {
  const valoper = net.valoper(DOUBLE);
  const consHex = net.consAddressHex(DOUBLE);
  const before = await net.validator(valoper);
  expect(before).toMatchObject({ jailed: false, status: "BOND_STATUS_BONDED" });
  const power = BigInt(before.tokens) / POWER_REDUCTION;
  expect((await net.cometValidators()).get(consHex)).toBe(power);
  const infoBefore = await net.signingInfo(valoper);
  expect(infoBefore.tombstoned).toBe(false);
  const from = await net.height();

  // The copy blocksyncs from genesis (a few seconds), then signs heights the original signs too.
  signer = await DoubleSignerNode.start(net, DOUBLE, say);
  const s = signer;
  const caughtUp = await s.caughtUp();
  say(`the copy of validator${DOUBLE}'s key committed block ${caughtUp}; waiting for conflicting votes`);

  // CometBFT's side: a block commits DuplicateVoteEvidence against validator2. Bounded: with 4
  // equal validators the copy is proposer every 4th height, where the two copies propose (and
  // prevote) different blocks; a minute is many such rounds.
  let scanned = from;
  const found: { block: number; validator: string; height: number }[] = [];
  await pollUntil({
    what: `a block with DuplicateVoteEvidence against validator${DOUBLE} (${consHex})`,
    check: async () => {
      const top = await net.height();
      found.push(...(await committedDuplicateVotes(net.rpc(0), scanned + 1, top)));
      scanned = top;
      return found.some((e) => e.validator === consHex) ? true : undefined;
    },
    abort: () => s.died(),
    timeoutMs: 150_000,
    intervalMs: 1_000,
    lastSeen: () => `scanned up to height ${scanned}`,
  });
  const evidence = found.find((e) => e.validator === consHex)!;
  say(`evidence committed in block ${evidence.block} for votes at height ${evidence.height}`);

  // The chain's side: jailed (and out of the bonded set at that block's EndBlock).
  const jailed = await net.validatorUntil(`validator${DOUBLE} to be jailed and unbonding`, valoper, (v) => v.jailed && v.status === "BOND_STATUS_UNBONDING", 60_000);
  // Kill the copy at once and make sure nothing of it is left.
  const pids = s.pids();
  const exits = await s.stop();
  expect(exits.app).toBeDefined();
  expect(exits.comet).toBeDefined();
  for (const pid of pids) expect(processAlive(pid)).toBe(false);

  // Slashed exactly once by slash_fraction_double_sign of its power at the infraction height
  // (no unbonding delegations or redelegations: the validator's tokens carry it all), although
  // the copy may have made several pieces of evidence: the first tombstones it, the rest are ignored.
  const params = await net.slashingParams();
  const fraction = parseDec(params.slash_fraction_double_sign);
  expect(BigInt(jailed.tokens)).toBe(BigInt(before.tokens) - slashAmount(power, fraction));

  const info = await net.signingInfo(valoper);
  expect(info.tombstoned).toBe(true);
  expect(info.jailed_until.startsWith(DOUBLE_SIGN_JAIL_END.slice(0, 19))).toBe(true);

  // Its power leaves CometBFT's set; the other three go on.
  const set = await net.cometValidatorsUntil(`validator${DOUBLE}'s power to leave CometBFT's set`, (m) => !m.has(consHex));
  expect(set.size).toBe(3);
  const h = await net.height();
  await net.waitForHeight(h + 3);

  // The evidence is stored and queryable.
  const stored = await net.q<{ evidence: Record<string, unknown>[] }>(["evidence"]);
  expect(stored.evidence).toContainEqual(expect.objectContaining({ "@type": "/cosmos.evidence.v1beta1.Equivocation", height: String(evidence.height), power: String(power) }));

  // MsgUnjail is refused for good: tombstoned, and jailed until the end of time.
  const refused = await net.txRefused(["slashing", "unjail", "--from", `validator${DOUBLE}`]);
  expect(`${refused.stdout}${refused.stderr}`).toContain("was tombstoned for double signing and can never be unjailed");
  expect((await net.validator(valoper)).jailed).toBe(true);

  // Every node's app computed the same app hashes through the evidence and the jailing.
  const to = await net.height(1);
  await net.expectEqualAppHashes(from + 1, Math.min(to, evidence.block + 5));
});

/**
 * The disclosure check in EndBlock batches (src/x/coord/keeper/check.ts) against a reference
 * computed directly with the matcher (fast-check): random registries (registered before or after
 * the opening or the disclosure, changed, withdrawn, notified before, at or after the disclosure,
 * acknowledged), random revealed components and batch sizes 1..50 give
 *   - exactly the entries (in store key order) and counts of the single-pass rule, and the same
 *     result as one batch large enough for everything;
 *   - done after exactly max(1, ⌈work / batch⌉) EndBlocks, where work = the dependency-index
 *     entries under the candidate selectors + the case's involvements;
 *   - EventDisclosureCheckDone with the counts and the missed parties, once.
 */
import fc from "fast-check";
import { blockContext, type Context } from "../../src/baseapp/context";
import { MemoryKV } from "../../src/baseapp/store/memory";
import { prefixEnd } from "../../src/baseapp/store/prefix";
import {
  Case,
  CaseStatus,
  type CheckEntry,
  type Component,
  ComponentKind,
  EmbargoState,
  Involvement,
  InvolvementStatus,
  Party,
  PartyKind,
  Phase,
} from "../../src/generated/coord/v1/types";
import { addrBytes, addrString } from "../../src/x/auth/keeper";
import { advanceChecks, checkEntries, checkRanges, startCheck } from "../../src/x/coord/keeper/check";
import { COORD_MODULE_TABLE, CoordKeeper } from "../../src/x/coord/keeper/keeper";
import { defaultCoordParams } from "../../src/x/coord/keeper/params";
import { keys } from "../../src/x/coord/keys";
import { anyMatch, canonicalComponent, indexSelector } from "../../src/x/coord/match";

const { COMPONENT_KIND_ROUTE: ROUTE, COMPONENT_KIND_MODULE: MODULE, COMPONENT_KIND_TAG: TAG, COMPONENT_KIND_PACKAGE: PACKAGE } = ComponentKind;
const c = (kind: ComponentKind, name: string, versions = ""): Component => canonicalComponent({ kind, name, versions }, COORD_MODULE_TABLE);

/** Dependencies and revealed components overlap in every way the matcher knows. */
const POOL: Component[] = [
  c(MODULE, "bank"),
  c(MODULE, "staking"),
  c(ROUTE, "/cosmos.bank.v1beta1.MsgSend"),
  c(ROUTE, "/cosmos.bank.v1beta1.*"),
  c(ROUTE, "/cosmos.staking.v1beta1.MsgDelegate"),
  c(ROUTE, "/cosmos.gov.v1.MsgVote"),
  c(TAG, "mempool/cpfp-carveout"),
  c(TAG, "consensus/light-client"),
  c(PACKAGE, "pkg:npm/left-pad", "vers:semver/<1.3.0"),
  c(PACKAGE, "pkg:npm/left-pad", "vers:semver/>=1.3.0"),
  c(PACKAGE, "pkg:golang/github.com/cometbft/cometbft"),
];

const OPEN = 10n;
const DISCLOSED = 20n;
const CASE_ID = 1n;

interface PartySpec {
  deps: number[];
  registered: bigint;
  changed: bigint;
  withdrawn: boolean;
  /** 0: never notified; else the first notice's height (may be at or after the disclosure). */
  notice: bigint;
  acked: boolean;
}

const partySpec: fc.Arbitrary<PartySpec> = fc.record({
  deps: fc.uniqueArray(fc.nat(POOL.length - 1), { maxLength: 3 }),
  registered: fc.constantFrom(1n, 10n, 15n, 20n, 25n),
  changed: fc.constantFrom(0n, 5n, 12n),
  withdrawn: fc.boolean(),
  notice: fc.constantFrom(0n, 0n, 11n, 19n, 20n, 21n),
  acked: fc.boolean(),
});

function keeper(): CoordKeeper {
  return new CoordKeeper({
    auth: { declareModuleAccount: () => "" },
    bank: { getBalance: (_c: Context, _a: string, denom: string) => ({ denom, amount: 0n }), sendFromAccountToModule: () => undefined, sendFromModuleToAccount: () => undefined },
    dcert: { isActiveMember: () => false, activeMembers: () => [], disbandPending: () => false, isDisbanded: () => false },
    authority: "",
  });
}

const at = (kv: MemoryKV, height: bigint): Context => blockContext(kv, { chainId: "t", height, time: { seconds: 1_700_000_000n + height * 6n, nanos: 0 }, proposer: new Uint8Array() }, "finalize");

/** Addresses of distinct lengths and bytes (store key order is lp(address bytes) order). */
const address = (i: number): string => addrString(Uint8Array.from({ length: i % 5 === 0 ? 32 : 20 }, (_, j) => (j === 0 ? (i * 37) % 256 : (i * 7 + j) % 256)));

function build(kv: MemoryKV, k: CoordKeeper, specs: readonly PartySpec[], components: readonly Component[], batch: number): { parties: Party[]; invs: Map<string, Involvement> } {
  const ctx = at(kv, DISCLOSED);
  k.setParams(ctx, { ...defaultCoordParams(), disclosureCheckBatch: batch });
  const parties: Party[] = [];
  const invs = new Map<string, Involvement>();
  specs.forEach((s, i) => {
    const registered = s.registered;
    const p: Party = Party.fromPartial({
      address: address(i),
      kind: PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT,
      name: `p${i}`,
      encryptionKey: Buffer.alloc(32, i + 1),
      keyEpoch: 1,
      deposit: { denom: "udcert", amount: "0" },
      dependencies: s.deps.map((d) => POOL[d] as Component),
      registeredHeight: registered,
      dependenciesHeight: registered + s.changed,
      withdrawnHeight: s.withdrawn ? registered + 30n : 0n,
    });
    parties.push(p);
    k.setParty(ctx, p);
    if (!s.withdrawn) {
      for (const d of p.dependencies) {
        const sel = indexSelector(d);
        k.kv(ctx).set(keys.depIndex(sel.kind, sel.name, addrBytes(p.address)), new Uint8Array());
      }
    }
    if (s.notice > 0n) {
      const inv = Involvement.fromPartial({
        caseId: CASE_ID,
        party: p.address,
        status: s.acked ? InvolvementStatus.INVOLVEMENT_STATUS_ACKNOWLEDGED : InvolvementStatus.INVOLVEMENT_STATUS_CONTACTED,
        firstNoticeId: BigInt(i + 1),
        firstNoticeHeight: s.notice,
        ackHeight: s.acked ? s.notice + 1n : 0n,
      });
      invs.set(p.address, inv);
      k.setInvolvement(ctx, inv);
    }
  });
  const theCase: Case = Case.fromPartial({
    id: CASE_ID,
    opener: address(999),
    coordinators: [address(999)],
    status: CaseStatus.CASE_STATUS_DISCLOSED,
    embargoState: EmbargoState.EMBARGO_STATE_EXITED,
    phase: Phase.PHASE_FOLLOW_UP,
    level: 3,
    openHeight: OPEN,
    disclosureHeight: DISCLOSED,
    timelineCount: 0,
  });
  k.setCase(ctx, theCase);
  k.setDisclosure(ctx, { caseId: CASE_ID, advisory: undefined, components: [...components], fix: undefined, reportHash: Buffer.alloc(32), report: Buffer.alloc(0), level: 3 });
  startCheck(ctx, k, theCase);
  return { parties, invs };
}

/** The single-pass rule, straight from the matcher, over the whole registry. */
function reference(parties: readonly Party[], invs: ReadonlyMap<string, Involvement>, components: readonly Component[]): CheckEntry[] {
  const out: CheckEntry[] = [];
  for (const p of parties) {
    if (!anyMatch(p.dependencies, components, COORD_MODULE_TABLE)) continue;
    const inv = invs.get(p.address);
    const notified = inv !== undefined && inv.firstNoticeHeight > 0n && inv.firstNoticeHeight < DISCLOSED;
    if (!notified && (p.withdrawnHeight !== 0n || p.registeredHeight > DISCLOSED)) continue;
    const matchedAtOpen = p.registeredHeight <= OPEN && p.dependenciesHeight <= OPEN;
    const acknowledged = inv !== undefined && inv.status === InvolvementStatus.INVOLVEMENT_STATUS_ACKNOWLEDGED && inv.ackHeight > 0n;
    out.push({ party: p.address, matchedAtOpen, notified, acknowledged, late: !matchedAtOpen, missed: matchedAtOpen && !notified });
  }
  return out.sort((a, b) => Buffer.compare(keys.party(addrBytes(a.party)), keys.party(addrBytes(b.party))));
}

/** Runs EndBlock's check step from the disclosure height until done; returns the blocks and the done events. */
function runToDone(kv: MemoryKV, k: CoordKeeper): { blocks: number; done: Record<string, string>[] } {
  const done: Record<string, string>[] = [];
  for (let h = DISCLOSED; h < DISCLOSED + 10_000n; h++) {
    const ctx = at(kv, h);
    advanceChecks(ctx, k);
    for (const e of ctx.events.events()) {
      if (e.type === "coord.v1.EventDisclosureCheckDone") done.push(Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
    }
    if (!k.checkRunning(ctx, CASE_ID)) return { blocks: Number(h - DISCLOSED) + 1, done };
  }
  throw new Error("the check did not finish");
}

/** Index entries under the candidate selectors + involvements: the units the check spends. */
function work(kv: MemoryKV, k: CoordKeeper, components: readonly Component[]): number {
  const store = k.kv(at(kv, DISCLOSED));
  const count = (start: Uint8Array, end: Uint8Array | undefined): number => [...store.iterate(start, end)].length;
  const inv = keys.involvementsOf(CASE_ID);
  return checkRanges(components, COORD_MODULE_TABLE).reduce((n, r) => n + count(r.start, r.end), count(inv, prefixEnd(inv)));
}

describe("the disclosure check in batches equals the single-pass rule", () => {
  test("random registries, components and batch sizes 1..50", () => {
    fc.assert(
      fc.property(
        fc.array(partySpec, { maxLength: 40 }),
        fc.uniqueArray(fc.nat(POOL.length - 1), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 50 }),
        (specs, compIdx, batch) => {
          const components = compIdx.map((i) => POOL[i] as Component);
          const kv = new MemoryKV();
          const k = keeper();
          const { parties, invs } = build(kv, k, specs, components, batch);
          const units = work(kv, k, components);
          const { blocks, done } = runToDone(kv, k);
          const ctx = at(kv, DISCLOSED + BigInt(blocks));
          const expected = reference(parties, invs, components);
          expect(checkEntries(ctx, k, CASE_ID)).toEqual(expected);
          const count = (f: (e: CheckEntry) => boolean): number => expected.filter(f).length;
          expect(k.getCheck(ctx, CASE_ID)).toEqual({
            caseId: CASE_ID,
            height: DISCLOSED,
            matched: count((e) => e.matchedAtOpen),
            notified: count((e) => e.notified),
            acknowledged: count((e) => e.acknowledged),
            missed: count((e) => e.missed),
            late: count((e) => e.late),
            entries: [],
            done: true,
          });
          expect(blocks).toBe(Math.max(1, Math.ceil(units / batch)));
          expect(done).toHaveLength(1);
          expect(JSON.parse(done[0]?.["missed_parties"] ?? "null")).toEqual(
            expected
              .filter((e) => e.missed)
              .map((e) => e.party)
              .sort(),
          );
          // One batch for everything gives the same result.
          const kv2 = new MemoryKV();
          const k2 = keeper();
          build(kv2, k2, specs, components, 10_000);
          expect(runToDone(kv2, k2).blocks).toBe(1);
          expect(checkEntries(at(kv2, DISCLOSED), k2, CASE_ID)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});

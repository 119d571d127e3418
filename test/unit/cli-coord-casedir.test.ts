/**
 * Case directories: a draft is read and checked; staging writes private files (0700/0600) with
 * fresh 32-byte salts; the reveal items rebuilt from the local copy open exactly the commitments
 * sent at opening (report by hash unless published); an edited local file is refused; an amendment
 * keeps the old version and reveals the new one; deadlines parse.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { toHex } from "@cosmjs/encoding";
import {
  amendCase,
  caseComponents,
  caseDir,
  commitItem,
  commitmentInputs,
  draftItems,
  finalizeCase,
  loadCase,
  parseDeadline,
  readCaseDraft,
  revealedCommitment,
  revealItems,
  stageCase,
  type ItemContent,
  type LocalCase,
} from "../../src/cli/coord/casedir";
import { Advisory, CommitmentKind, ComponentKind } from "../../src/generated/coord/v1/types";
import { commitmentHash, sha256 } from "../../src/types/coord";

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-casedir-"));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeDraft(withFix = true): string {
  const d = path.join(tmp, "draft");
  fs.mkdirSync(d);
  fs.writeFileSync(path.join(d, "report.md"), "# The bug\nMsgFoo double-spends when …\n");
  fs.writeFileSync(path.join(d, "components.json"), JSON.stringify(["route:/x.v1.MsgFoo", "pkg:npm/foo@vers:semver/>=1.0.0|<1.2.0"]));
  fs.writeFileSync(path.join(d, "advisory.json"), JSON.stringify({ title: "MsgFoo double spend", summary: "x", affected_versions: "< 1.2.0", references: ["https://example.org"] }));
  if (withFix) fs.writeFileSync(path.join(d, "fix.json"), JSON.stringify({ description: "patch", repository: "https://git.example/foo", commit: "abc", artifacts: [{ name: "foo.tgz", sha256: "a".repeat(64) }], fixed_versions: ["1.2.0"] }));
  return d;
}

const CHAIN = "test-chain-1";

function stage(sealed?: number): { c: LocalCase; staged: string; contents: ItemContent[] } {
  const draft = readCaseDraft(writeDraft());
  const contents = draftItems(draft, sealed);
  const items = contents.map((x) => commitItem(CHAIN, x));
  const c: LocalCase = { chainId: CHAIN, caseId: 0n, opener: "dcert1member", level: sealed === undefined ? 3 : 0, ...(sealed !== undefined ? { sealedLevel: sealed } : {}), deadline: parseDeadline("2030-01-01T00:00:00Z"), reportFile: draft.reportFile, items, history: [] };
  return { c, staged: stageCase(tmp, c, contents, "abc"), contents };
}

describe("case directory", () => {
  it("reads a draft", () => {
    const d = readCaseDraft(writeDraft());
    expect(d.reportFile).toBe("report.md");
    expect(d.components.map((c) => c.kind)).toEqual([ComponentKind.COMPONENT_KIND_ROUTE, ComponentKind.COMPONENT_KIND_PACKAGE]);
    expect(d.advisory.affectedVersions).toBe("< 1.2.0");
    expect(d.fix?.fixedVersions).toEqual(["1.2.0"]);
  });

  it("refuses a draft without a single report or with a bad advisory", () => {
    const d = writeDraft(false);
    fs.writeFileSync(path.join(d, "report.txt"), "two");
    expect(() => readCaseDraft(d)).toThrow(/exactly one report file/);
    fs.rmSync(path.join(d, "report.txt"));
    fs.writeFileSync(path.join(d, "advisory.json"), JSON.stringify({ summary: "no title" }));
    expect(() => readCaseDraft(d)).toThrow(/needs at least "title" and "summary"/);
  });

  it("stages private files with distinct 32-byte salts, then finalizes under the case id", () => {
    const { c, staged } = stage();
    expect(fs.statSync(staged).mode & 0o777).toBe(0o700);
    for (const f of fs.readdirSync(staged)) expect(fs.statSync(path.join(staged, f)).mode & 0o777).toBe(0o600);
    expect(c.items.map((i) => i.kind)).toEqual([1, 2, 3, 4]);
    const salts = new Set(c.items.map((i) => toHex(i.salt)));
    expect(salts.size).toBe(4);
    for (const i of c.items) expect(i.salt).toHaveLength(32);
    const dir = finalizeCase(tmp, staged, 7n);
    expect(dir).toBe(caseDir(tmp, CHAIN, 7n));
    expect(dir).toBe(path.join(tmp, "coord", CHAIN, "7"));
    expect(fs.existsSync(staged)).toBe(false);
    expect(loadCase(tmp, CHAIN, 7n).c.caseId).toBe(7n);
  });

  it("rebuilds reveal items that open exactly the commitments sent at opening", () => {
    const { c, staged } = stage(2);
    const sent = commitmentInputs(c.items).map((x) => toHex(x.hash));
    finalizeCase(tmp, staged, 3n);
    const { c: local, contents } = loadCase(tmp, CHAIN, 3n);
    expect(local.sealedLevel).toBe(2);
    for (const publish of [false, true]) {
      const items = revealItems(local.items, contents, publish);
      expect(items.map((r) => toHex(revealedCommitment(CHAIN, r)))).toEqual(sent);
      const report = items.find((r) => r.kind === CommitmentKind.COMMITMENT_KIND_REPORT);
      expect(report?.content.length === 0).toBe(!publish);
    }
    // The same item on another chain or under another kind does not open the commitment.
    const adv = revealItems(local.items, contents, false).find((r) => r.kind === CommitmentKind.COMMITMENT_KIND_ADVISORY);
    expect(toHex(revealedCommitment("other-chain", adv as never))).not.toBe(sent[2]);
    expect(toHex(commitmentHash(CHAIN, CommitmentKind.COMMITMENT_KIND_FIX, adv?.salt ?? new Uint8Array(), sha256(adv?.content ?? new Uint8Array())))).not.toBe(sent[2]);
    expect(caseComponents(contents).map((x) => x.name)).toEqual(["/x.v1.MsgFoo", "pkg:npm/foo"]);
  });

  it("refuses to reveal from an edited local file", () => {
    const { staged } = stage();
    const dir = finalizeCase(tmp, staged, 4n);
    const f = path.join(dir, "advisory.json");
    fs.writeFileSync(f, JSON.stringify({ title: "changed", summary: "x" }));
    expect(() => loadCase(tmp, CHAIN, 4n)).toThrow(/no longer matches what case 4 committed to/);
  });

  it("amends a commitment: new salt and content revealed, old version kept", () => {
    const { staged } = stage();
    const dir = finalizeCase(tmp, staged, 5n);
    const content: ItemContent = { kind: CommitmentKind.COMMITMENT_KIND_ADVISORY, value: Advisory.fromPartial({ title: "better title", summary: "y" }) };
    const item = commitItem(CHAIN, content, 2);
    amendCase(tmp, CHAIN, 5n, content, item);
    expect(fs.existsSync(path.join(dir, "advisory.json.v1"))).toBe(true);
    const { c, contents } = loadCase(tmp, CHAIN, 5n);
    expect(c.history.map((h) => h.kind)).toEqual([CommitmentKind.COMMITMENT_KIND_ADVISORY]);
    const adv = revealItems(c.items, contents, false).find((r) => r.kind === CommitmentKind.COMMITMENT_KIND_ADVISORY);
    expect(toHex(revealedCommitment(CHAIN, adv as never))).toBe(toHex(item.commitment));
  });

  it("parses deadlines", () => {
    expect(parseDeadline("height:120")).toEqual({ height: 120n });
    expect(parseDeadline("2030-01-01T00:00:00Z")).toEqual({ time: { seconds: 1893456000n, nanos: 0 } });
    expect(parseDeadline("2030-01-01T02:00:00+02:00")).toEqual({ time: { seconds: 1893456000n, nanos: 0 } });
    expect(() => parseDeadline("tomorrow")).toThrow(/RFC 3339/);
    expect(() => parseDeadline("height:0")).toThrow(/N ≥ 1/);
    expect(() => parseDeadline("2030-01-01")).toThrow(/RFC 3339/);
  });
});

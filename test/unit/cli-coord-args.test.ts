/**
 * The coordination commands on the real command table, before any node is reached: `tx coord` and
 * its alias `tx coordination`, `q coord`, repeatable flags, usage errors (exit code 2, "error: what;
 * what to do"), the enum words, item files, the watch output (text, JSON lines, --exec environment,
 * the exact ack command) and the templates rendered from a local case directory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { listFlag, parseArgs, runCli, type CommandNode } from "../../src/cli/args";
import { coordCommand } from "../../src/cli/coord/keys";
import { commitItem, draftItems, finalizeCase, loadCase, parseDeadline, readCaseDraft, stageCase, type LocalCase } from "../../src/cli/coord/casedir";
import { enumArg, INVOLVEMENT_STATUSES, PARTY_KINDS, positionals } from "../../src/cli/coord/common";
import { itemFromFile } from "../../src/cli/coord/tx";
import type { WatchItem } from "../../src/cli/coord/watchloop";
import { keysCommand } from "../../src/cli/keys";
import { queryCommand } from "../../src/cli/query";
import { txCommand } from "../../src/cli/tx";
import { ackCommand, execEnv, itemJsonLine, itemText, watchCommand, websocketUrl } from "../../src/cli/watch";
import { CommitmentKind, Envelope, NoticeKind, PartyKind } from "../../src/generated/coord/v1/types";

const COMMANDS: readonly CommandNode[] = [keysCommand, txCommand, queryCommand, coordCommand, watchCommand];

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
  const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
  const w = jest.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    out.push(String(s));
    return true;
  });
  try {
    return { code: await runCli("dcertd", COMMANDS, argv), out: out.join("\n"), err: err.join("\n") };
  } finally {
    a.mockRestore();
    b.mockRestore();
    w.mockRestore();
  }
}

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-cli-coord-"));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe("command table", () => {
  test("tx coord lists every coord.v1 message; tx coordination is the same, not listed twice", async () => {
    const r = await run("tx", "--help");
    expect(r.code).toBe(0);
    for (const leaf of ["register-party", "update-party", "withdraw-party", "open-case", "join", "commit", "escalate", "propose-revision", "approve-revision", "notify", "submit-input", "ack", "involvement", "reveal", "set-reveal-gate", "close"]) {
      expect(r.out).toContain(`coord ${leaf}`);
    }
    expect(r.out).not.toContain("coordination ack");
    expect(r.out).toContain('"tx coordination …" is the same as "tx coord …"');
    const alias = await run("tx", "coordination", "ack", "--help");
    expect(alias.code).toBe(0);
    expect(alias.out).toContain("Usage: dcertd tx coordination ack <notice-id>");
  });

  test("q coord has one command per query, and advisory formats", async () => {
    const r = await run("q", "--help");
    for (const leaf of ["params", "party", "parties", "match", "group-keys", "case", "cases", "timeline", "notice", "notices", "inputs", "involvements", "disclosure", "metrics", "advisory"]) {
      expect(r.out).toMatch(new RegExp(`coord ${leaf}\\b`));
    }
    const adv = await run("q", "coordination", "advisory", "--help");
    expect(adv.out).toContain("--format <md|json|osv|csaf>");
  });

  test("usage mistakes exit 2 with what to do, before any node is reached", async () => {
    const cases: [string[], RegExp][] = [
      [["tx", "coord", "open-case", "dir", "--from", "x", "-y"], /give --level N or --sealed-level N/],
      [["tx", "coord", "open-case", "dir", "--sealed-level", "2", "--from", "x", "-y"], /needs an explicit --deadline/],
      [["tx", "coord", "open-case", "dir", "--level", "4", "--from", "x", "-y"], /1 \(standard\), 2 \(enhanced\) or 3 \(emergency\)/],
      [["tx", "coord", "open-case", "dir", "--level", "1", "--deadline", "soon", "--from", "x", "-y"], /RFC 3339/],
      [["tx", "coord", "open-case", "dir", "--level", "1", "--readiness-plan", "-v2", "--from", "x", "-y"], /--readiness-plan: plan name "-v2" must start with a letter or digit/],
      [["tx", "coord", "set-reveal-gate", "1", "--from", "x", "-y"], /give --readiness-plan <plan> or --clear/],
      [["tx", "coord", "set-reveal-gate", "1", "--readiness-plan", "v2", "--clear", "--from", "x", "-y"], /give --readiness-plan <plan> or --clear/],
      [["tx", "coord", "set-reveal-gate", "1", "--readiness-plan", "v2/../x", "--from", "x", "-y"], /--readiness-plan: plan name/],
      [["tx", "coord", "notify", "1", "--from", "x", "-y"], /give --to <address>… or --matching/],
      [["tx", "coord", "ack", "--nope"], /has no flag --nope/],
      [["coord", "template", "secret", "--case", "1"], /private or public/],
      [["watch", "--poll-interval", "0", "--from", "a"], /--poll-interval must be/],
    ];
    for (const [argv, want] of cases) {
      const plain = await run(...argv, "--home", home);
      expect([argv.join(" "), plain.code]).toEqual([argv.join(" "), 2]);
      expect(plain.err).toMatch(want);
      expect(plain.err).toMatch(/^error: .*; .+/);
    }
    // A missing local case is not a usage error: it says where the case folder should be.
    const missing = await run("coord", "template", "private", "--case", "1", "--to", "x", "--home", home);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`there is no local copy of case 1 under ${path.join(home, "coord")}`);
  });
});

describe("arguments", () => {
  test("repeatable flags keep every value in order; others keep the last", () => {
    const flags = [
      { name: "dep", valueName: "d", description: "", multiple: true },
      { name: "name", valueName: "n", description: "" },
    ];
    const a = parseArgs(["--dep", "module:bank", "--name", "a", "--dep=pkg:npm/foo@vers:semver/>=1.0.0|<1.2.0", "--name", "b"], flags);
    expect(listFlag(a, "dep")).toEqual(["module:bank", "pkg:npm/foo@vers:semver/>=1.0.0|<1.2.0"]);
    expect(a.flags["name"]).toBe("b");
    expect(listFlag(a, "absent")).toEqual([]);
  });

  test("enum words, positionals", () => {
    expect(enumArg(PARTY_KINDS, "downstream-project", "--kind")).toBe(PartyKind.PARTY_KIND_DOWNSTREAM_PROJECT);
    expect(enumArg(PARTY_KINDS, "EXCHANGE_OR_SERVICE", "--kind")).toBe(PartyKind.PARTY_KIND_EXCHANGE_OR_SERVICE);
    expect(() => enumArg(PARTY_KINDS, "bank", "--kind")).toThrow(/--kind must be one of validator, core-developer, other-implementation, downstream-project, exchange-or-service, researcher/);
    expect(() => enumArg(INVOLVEMENT_STATUSES, "acknowledged", "<status>", ["in-progress", "fixed", "disputed"])).toThrow(/in-progress, fixed, disputed/);
    expect(positionals(["1"], ["<case-id>", "[x]"])).toEqual(["1", undefined]);
    expect(positionals(["a", "b", "c"], ["<component>..."])).toEqual(["a"]);
    expect(() => positionals([], ["<case-id>"])).toThrow(/missing <case-id>/);
    expect(() => positionals(["1", "2"], ["<case-id>"])).toThrow(/unexpected argument "2"/);
  });

  test("item files for tx coord commit", () => {
    const f = path.join(home, "c.json");
    fs.writeFileSync(f, JSON.stringify(["module:bank"]));
    expect(itemFromFile(CommitmentKind.COMMITMENT_KIND_COMPONENTS, f)).toEqual({ kind: CommitmentKind.COMMITMENT_KIND_COMPONENTS, value: { components: [{ kind: 2, name: "bank", versions: "" }] } });
    fs.writeFileSync(f, JSON.stringify({ title: "t", summary: "s" }));
    expect((itemFromFile(CommitmentKind.COMMITMENT_KIND_ADVISORY, f).value as { title: string }).title).toBe("t");
    fs.writeFileSync(f, "not json");
    expect(() => itemFromFile(CommitmentKind.COMMITMENT_KIND_FIX, f)).toThrow(/not valid JSON/);
    expect(() => itemFromFile(CommitmentKind.COMMITMENT_KIND_REPORT, path.join(home, "missing"))).toThrow(/cannot read/);
  });
});

describe("watch output", () => {
  const id = { name: "foo-wallet", address: "dcert1foo", secrets: [] };
  const notice: WatchItem = {
    type: "notice",
    identity: id,
    notice: { id: 12n, caseId: 3n, sender: "dcert1member", recipient: "dcert1foo", recipientKeyEpoch: 1, kind: NoticeKind.NOTICE_KIND_DISCLOSURE, envelope: Envelope.fromPartial({}), envelopeHash: Buffer.alloc(32, 0xab), height: 40n, time: { seconds: 1_800_000_000n, nanos: 0 } },
    plaintext: Buffer.from("Dear Foo,\nthe bug…\n"),
  };

  test("the ack command repeats --node and --home when given", () => {
    expect(ackCommand(12n, "foo-wallet")).toBe("dcertd tx coord ack 12 --from foo-wallet");
    expect(ackCommand(12n, "foo-wallet", { node: "http://n:26657", home: "/h" })).toBe("dcertd tx coord ack 12 --from foo-wallet --node http://n:26657 --home /h");
    expect(websocketUrl("http://127.0.0.1:26657")).toBe("ws://127.0.0.1:26657");
    expect(websocketUrl("https://rpc.example")).toBe("wss://rpc.example");
  });

  test("one JSON line per item, text blocks with the ack command, --exec environment", () => {
    const line = JSON.parse(itemJsonLine(notice, "test-1")) as Record<string, string>;
    expect(line).toMatchObject({ type: "notice", id: "12", case_id: "3", kind: "disclosure", sender: "dcert1member", recipient: "dcert1foo", height: "40", envelope_hash: "ab".repeat(32), plaintext: "Dear Foo,\nthe bug…\n", ack_command: "dcertd tx coord ack 12 --from foo-wallet" });
    expect(itemJsonLine(notice, "test-1")).not.toContain("\n");
    const binary: WatchItem = { ...notice, plaintext: new Uint8Array([0xff, 0xfe]) };
    expect(JSON.parse(itemJsonLine(binary, "t"))).toMatchObject({ plaintext_base64: "//4=" });
    const failed: WatchItem = { type: "notice", identity: id, notice: notice.type === "notice" ? notice.notice : (undefined as never), error: "none opens it" };
    expect(JSON.parse(itemJsonLine(failed, "t"))).toMatchObject({ error: "none opens it" });
    const text = itemText(notice, "test-1");
    expect(text).toContain("=== notice 12 · case 3 · disclosure · for \"foo-wallet\"");
    expect(text).toContain("--- plaintext ---\nDear Foo,\nthe bug…\n--- end ---");
    expect(text).toContain("acknowledge: dcertd tx coord ack 12 --from foo-wallet");
    const env = execEnv(notice, "test-1");
    expect(env).toMatchObject({ DCERT_NOTICE_ID: "12", DCERT_CASE_ID: "3", DCERT_SENDER: "dcert1member", DCERT_TYPE: "notice", DCERT_KIND: "disclosure", DCERT_CHAIN_ID: "test-1", DCERT_ACK_COMMAND: "dcertd tx coord ack 12 --from foo-wallet" });
    const input: WatchItem = { type: "input", identity: id, input: { id: 4n, caseId: 0n, sender: "dcert1hunter", recipients: ["dcert1foo"], envelope: undefined, envelopeHash: Buffer.alloc(32), height: 9n, time: undefined }, plaintext: Buffer.from("hi") };
    expect(execEnv(input, "t")).toMatchObject({ DCERT_INPUT_ID: "4", DCERT_TYPE: "input" });
    expect(itemText(input, "t")).toContain("sealed input 4 · general inbox");
    expect(itemText(input, "t")).not.toContain("acknowledge:");
  });
});

describe("coord template", () => {
  function localCase(): bigint {
    const d = path.join(home, "draft");
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, "report.md"), "secret exploit details");
    fs.writeFileSync(path.join(d, "components.json"), JSON.stringify(["route:/x.v1.MsgFoo"]));
    fs.writeFileSync(path.join(d, "advisory.json"), JSON.stringify({ title: "MsgFoo double spend", summary: "MsgFoo can spend twice.", impact: "loss of funds" }));
    const draft = readCaseDraft(d);
    const contents = draftItems(draft);
    const c: LocalCase = { chainId: "test-1", caseId: 0n, opener: "dcert1member", level: 3, deadline: parseDeadline("2030-01-01T00:00:00Z"), reportFile: draft.reportFile, items: contents.map((x) => commitItem("test-1", x)), history: [] };
    finalizeCase(home, stageCase(home, c, contents, "t"), 6n);
    return 6n;
  }

  test("private: the disclosure template for one recipient, without the report", async () => {
    localCase();
    const r = await run("coord", "template", "private", "--case", "6", "--to", "Foo wallet", "--home", home);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Dear Foo wallet,");
    expect(r.out).toContain("MsgFoo double spend");
    expect(r.out).toContain("/x.v1.MsgFoo");
    expect(r.out).not.toContain("secret exploit details");
    expect(loadCase(home, "test-1", 6n).c.caseId).toBe(6n);
  });

  test("public: a preview of the advisory in md and osv", async () => {
    localCase();
    const md = await run("coord", "template", "public", "--case", "6", "--home", home);
    expect(md.code).toBe(0);
    expect(md.out).toContain("MsgFoo double spend");
    const osv = await run("coord", "template", "public", "--case", "6", "--format", "osv", "--home", home);
    expect(osv.code).toBe(0);
    expect(JSON.parse(osv.out)).toMatchObject({ id: expect.stringMatching(/^DCERT-2030-6$/), summary: expect.any(String) });
  });
});

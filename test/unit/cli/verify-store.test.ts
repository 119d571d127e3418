/** `dcertd verify-store`: exit 0 and a summary on a sound store, exit 1 with each problem and what to do otherwise. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { LmdbCommitStore } from "../../../src/baseapp/store/lmdb";
import { storeDir, verifyStoreCommand } from "../../../src/cli/verify-store";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "dcert-verify-"));
  const s = LmdbCommitStore.open(join(home, "data"), { apply: "onReopen" });
  for (let h = 1n; h <= 3n; h++) {
    const b = s.branch();
    for (let i = 0; i < 50; i++) b.set(Buffer.from(`k/${i}`), Buffer.from(`value-${h}-${i}`));
    s.commit(s.prepare(b, h));
  }
  s.close();
  // Reopening replays the log into the state; block 4 then stays in the log.
  const r = LmdbCommitStore.open(join(home, "data"), { apply: "onReopen" });
  const b = r.branch();
  b.set(Buffer.from("k/x"), Buffer.from("last"));
  r.commit(r.prepare(b, 4n));
  r.close();
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

async function run(args: Record<string, string | true>): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = jest.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await verifyStoreCommand.run({ flags: args, positionals: [] });
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

test("a sound store: exit 0, height, log and record counts", async () => {
  expect(storeDir(home)).toBe(join(home, "data"));
  const r = await run({ home, "in-process": true });
  expect(r.err).toContain(`checking ${join(home, "data")}`);
  expect(r.out).toMatch(/height 4, app hash [0-9A-F]{64}, applied to state through 3, log 1 block\(s\) 4\.\.4, checked against the app hash/);
  expect(r.out).toMatch(/records checked: 50 state, 4 meta, 1 log/);
  expect(r.out).toContain("verify-store: OK");
  expect(r.code).toBe(0);
});

test("a damaged record: exit 1, the record named, what to do", async () => {
  const file = join(home, "data", "data.mdb");
  const b = readFileSync(file);
  const at = b.indexOf(Buffer.from("value-3-17"));
  b[at + 6] = 0x39; // "value-9-17"
  writeFileSync(file, b);
  const r = await run({ home, "in-process": true });
  expect(r.code).toBe(1);
  expect(r.err).toContain(`"state" record for key 0x${Buffer.from("k/17").toString("hex")} ("k/17") is damaged: checksum mismatch`);
  expect(r.err).toMatch(/what to do: Stop the node, then restore .* from a backup or resync the node/);
});

test("a truncated file: exit 1 with the reason", async () => {
  const file = join(home, "data", "data.mdb");
  writeFileSync(file, readFileSync(file).subarray(0, 3 * 4096));
  const r = await run({ home, "in-process": true });
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/is truncated: it is 12288 bytes/);
});

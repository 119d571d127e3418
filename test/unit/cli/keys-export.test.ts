/**
 * `dcertd keys export` (issue 16): by default the SDK's armored, encrypted private key (never the
 * mnemonic); with --unsafe the mnemonic and a warning on stderr.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../../../src/cli/args";
import { keysCommand } from "../../../src/cli/keys";
import { FileKeyring } from "../../../src/cli/keyring";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const PASSPHRASE = "correct horse battery";

describe("keys export", () => {
  let home: string;
  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-keys-export-"));
    await FileKeyring.forHome(home, "dcert").add("alice", MNEMONIC, PASSPHRASE);
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const a = jest.spyOn(console, "log").mockImplementation((s: string) => void out.push(String(s)));
    const b = jest.spyOn(console, "error").mockImplementation((s: string) => void err.push(String(s)));
    const c = jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
    try {
      const code = await runCli("dcertd", [keysCommand], ["keys", "export", "alice", "--home", home, "--keyring-passphrase", PASSPHRASE, ...argv]);
      return { code, out: out.join("\n"), err: err.join("\n") };
    } finally {
      a.mockRestore();
      b.mockRestore();
      c.mockRestore();
    }
  }

  test("without --unsafe it prints the armored, encrypted key, never the mnemonic", async () => {
    process.env["DCERT_EXPORT_PASSPHRASE"] = "export pass";
    try {
      const r = await run();
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\nsalt: [0-9A-F]{32}\ntype: secp256k1\n\n/);
      expect(r.out).not.toContain("abandon");
      const json = await run("-o", "json");
      expect(JSON.parse(json.out)).toMatchObject({ name: "alice", armor: expect.stringMatching(/^-----BEGIN TENDERMINT PRIVATE KEY-----/) });
      const hex = await run("--unarmored-hex");
      expect(hex.code).toBe(2);
      expect(hex.err).toMatch(/add --unsafe/);
    } finally {
      delete process.env["DCERT_EXPORT_PASSPHRASE"];
    }
  });

  test("with --unsafe it prints the mnemonic (text and JSON) and warns on stderr", async () => {
    const text = await run("--unsafe");
    expect(text.code).toBe(0);
    expect(text.out).toBe(MNEMONIC);
    expect(text.err).toMatch(/^warning: this is the plain-text mnemonic of "alice"/);
    expect(text.err).not.toContain("abandon");
    const json = await run("--unsafe", "-o", "json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ name: "alice", mnemonic: MNEMONIC });
    expect(json.err).toMatch(/^warning: /);
  });
});

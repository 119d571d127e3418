/** Port reservations and the shared polling loop (src/localnet/proc.ts). */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import { isPortFree, pollUntil, reservePorts, RESERVED_PORT_RANGE } from "../../../src/localnet/proc";

const RANGE: [number, number] = [31_000, 31_049];
const lockFile = (port: number): string => `${os.tmpdir()}/dcert-ports/${port}`;

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen({ host: "127.0.0.1", port, exclusive: true }, () => resolve(s));
  });
}

describe("reservePorts", () => {
  test("the default range lies below Linux's ephemeral range (32768–60999)", () => {
    expect(RESERVED_PORT_RANGE[1]).toBeLessThan(32_768);
  });

  test("distinct ports in range, bound until unhold, locked until release", async () => {
    const r = await reservePorts(3, RANGE);
    try {
      expect(new Set(r.ports).size).toBe(3);
      for (const p of r.ports) {
        expect(p).toBeGreaterThanOrEqual(RANGE[0]);
        expect(p).toBeLessThanOrEqual(RANGE[1]);
        expect(await isPortFree("127.0.0.1", p)).toBe(false);
        expect(fs.readFileSync(lockFile(p), "utf8").trim()).toBe(String(process.pid));
      }
      const [a] = r.ports as [number];
      await r.unhold([a]);
      expect(r.holds(a)).toBe(false);
      // The node can bind it now; the lock stays.
      const server = await listen(a);
      await new Promise<void>((res) => server.close(() => res()));
      expect(fs.existsSync(lockFile(a))).toBe(true);
      // A second reservation in this process never hands out the same ports.
      const other = await reservePorts(3, RANGE);
      expect(other.ports.filter((p) => r.ports.includes(p))).toEqual([]);
      await other.release();
    } finally {
      await r.release();
    }
    for (const p of r.ports) {
      expect(fs.existsSync(lockFile(p))).toBe(false);
      expect(await isPortFree("127.0.0.1", p)).toBe(true);
    }
  });

  test("a port locked by another live process, or bound by anyone, is skipped; a dead owner's lock is taken over", async () => {
    fs.mkdirSync(`${os.tmpdir()}/dcert-ports`, { recursive: true });
    const range: [number, number] = [31_050, 31_052];
    fs.writeFileSync(lockFile(31_050), `${process.ppid}\n`); // alive, not us
    const busy = await listen(31_051);
    fs.writeFileSync(lockFile(31_052), "999999999\n"); // no such process
    try {
      const r = await reservePorts(1, range);
      expect(r.ports).toEqual([31_052]);
      await r.release();
      await expect(reservePorts(2, range)).rejects.toThrow("could not reserve 2 free ports in 31050–31052 (found 1)");
      expect(fs.existsSync(lockFile(31_052))).toBe(false);
    } finally {
      fs.rmSync(lockFile(31_050), { force: true });
      await new Promise<void>((res) => busy.close(() => res()));
    }
  });
});

describe("pollUntil", () => {
  test("returns the first defined value", async () => {
    let n = 0;
    await expect(pollUntil({ what: "n to reach 3", check: () => (++n >= 3 ? n : undefined), timeoutMs: 5_000, intervalMs: 1 })).resolves.toBe(3);
  });

  test("a timeout says what it waited for, the last state seen and the hint", async () => {
    await expect(
      pollUntil({ what: "node3 to reach height 40", check: () => undefined, timeoutMs: 30, intervalMs: 5, lastSeen: () => "height 37", hint: "see node3/app.log" }),
    ).rejects.toThrow(/^timed out after \d+ s waiting for node3 to reach height 40 \(last seen: height 37\); see node3\/app\.log$/);
  });

  test("errors propagate unless retryErrors, which reports the last one on timeout", async () => {
    const failing = (): never => {
      throw new Error("connection refused");
    };
    await expect(pollUntil({ what: "x", check: failing, timeoutMs: 1_000 })).rejects.toThrow("connection refused");
    await expect(pollUntil({ what: "the RPC", check: failing, timeoutMs: 20, intervalMs: 5, retryErrors: true })).rejects.toThrow(
      /waiting for the RPC \(last error: connection refused\)/,
    );
  });

  test("abort stops the wait at once with its reason", async () => {
    await expect(pollUntil({ what: "a block", check: () => undefined, timeoutMs: 60_000, abort: () => "CometBFT exited" })).rejects.toThrow(
      "stopped waiting for a block: CometBFT exited",
    );
  });
});

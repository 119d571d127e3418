/**
 * The watch loop against a fake chain: every notice and member input after the cursor is delivered
 * once, in id order, across pages; the cursor moves only after delivery and is saved after each
 * item (a crash in `deliver` re-delivers that item on the next run, nothing is skipped); input not
 * sealed to the party is skipped; non-members get no input; a stop request is honoured between
 * items; old secrets still open; the cursor file round-trips.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { backoffMs, cursorFile, emptyCursor, loadCursor, pollIdentity, saveCursor, type Opener, type WatchCursor, type WatchIdentity, type WatchItem, type WatchSource } from "../../src/cli/coord/watchloop";
import { Envelope, NoticeKind, type Notice, type SealedInput } from "../../src/generated/coord/v1/types";

const ME = "dcert1me";
const OTHER = "dcert1other";

/** A fake envelope: the "ciphertext" is the plaintext, and it opens only with the secret byte in `nonce[0]`. */
function env(text: string, secret: number): Envelope {
  return Envelope.fromPartial({ version: 1, suite: 1, nonce: Buffer.from([secret]), ciphertext: Buffer.from(text) });
}

const fakeOpen: Opener = async (e, me) => {
  if (e.nonce[0] !== me.secretKey[0]) throw new Error("does not open");
  return new Uint8Array(e.ciphertext);
};

function notice(id: number, recipient = ME, secret = 1): Notice {
  return { id: BigInt(id), caseId: 1n, sender: "dcert1member", recipient, recipientKeyEpoch: 1, kind: NoticeKind.NOTICE_KIND_DISCLOSURE, envelope: env(`notice ${id}`, secret), envelopeHash: Buffer.alloc(32), height: BigInt(id), time: undefined };
}

function input(id: number, caseId: number, recipients = [ME]): SealedInput {
  return { id: BigInt(id), caseId: BigInt(caseId), sender: "dcert1hunter", recipients, envelope: env(`input ${id}`, 1), envelopeHash: Buffer.alloc(32), height: BigInt(id), time: undefined };
}

class FakeChain implements WatchSource {
  notes: Notice[] = [];
  ins: SealedInput[] = [];
  queries = 0;
  async notices(recipient: string, afterId: bigint, limit: number): Promise<{ notices: Notice[]; nextAfterId: bigint }> {
    this.queries++;
    const all = this.notes.filter((n) => n.recipient === recipient && n.id > afterId).sort((a, b) => Number(a.id - b.id));
    const page = all.slice(0, limit);
    return { notices: page, nextAfterId: all.length > limit ? (page[page.length - 1] as Notice).id : 0n };
  }
  async inputs(recipient: string, afterId: bigint, limit: number): Promise<{ inputs: SealedInput[]; nextAfterId: bigint }> {
    const all = this.ins.filter((n) => n.recipients.includes(recipient) && n.id > afterId).sort((a, b) => Number(a.id - b.id));
    const page = all.slice(0, limit);
    return { inputs: page, nextAfterId: all.length > limit ? (page[page.length - 1] as SealedInput).id : 0n };
  }
}

const ID: WatchIdentity = { name: "me", address: ME, secrets: [new Uint8Array([9]), new Uint8Array([1])] };

function run(chain: FakeChain, cursor: WatchCursor, opts: { deliver?: (i: WatchItem) => Promise<void>; stopAfter?: number; pageSize?: number } = {}): { got: WatchItem[]; saves: string[]; done: Promise<number> } {
  const got: WatchItem[] = [];
  const saves: string[] = [];
  const done = pollIdentity(ID, cursor, {
    chainId: "test-1",
    source: chain,
    open: fakeOpen,
    pageSize: opts.pageSize ?? 2,
    deliver: async (i) => {
      if (opts.deliver !== undefined) await opts.deliver(i);
      got.push(i);
    },
    saveCursor: (c) => saves.push(`${c.notices}/${c.inputs}`),
    stopping: () => opts.stopAfter !== undefined && got.length >= opts.stopAfter,
  });
  return { got, saves, done };
}

const text = (i: WatchItem): string => (i.plaintext === undefined ? `error ${i.error ?? ""}` : Buffer.from(i.plaintext).toString());

describe("pollIdentity", () => {
  it("delivers every notice and sealed input after the cursor, across pages, once", async () => {
    const chain = new FakeChain();
    chain.notes = [notice(1), notice(2, OTHER), notice(3), notice(4), notice(5)];
    chain.ins = [input(1, 0), input(2, 7), input(3, 7, [OTHER]), input(4, 7)];
    const cursor = emptyCursor();
    const r = run(chain, cursor);
    expect(await r.done).toBe(7);
    expect(r.got.map(text)).toEqual(["notice 1", "notice 3", "notice 4", "notice 5", "input 1", "input 2", "input 4"]);
    expect(cursor.notices).toBe(5n);
    expect(cursor.inputs).toBe(4n);
    // A second run finds nothing new; a new notice is delivered alone.
    const again = run(chain, cursor);
    expect(await again.done).toBe(0);
    chain.notes.push(notice(9));
    const third = run(chain, cursor);
    expect(await third.done).toBe(1);
    expect(third.got.map(text)).toEqual(["notice 9"]);
  });

  it("saves the cursor after each item, and re-delivers the item whose delivery failed", async () => {
    const chain = new FakeChain();
    chain.notes = [notice(1), notice(2), notice(3)];
    const cursor = emptyCursor();
    let calls = 0;
    const r = run(chain, cursor, {
      deliver: async () => {
        if (++calls === 2) throw new Error("exec failed");
      },
    });
    await expect(r.done).rejects.toThrow("exec failed");
    expect(r.saves).toEqual(["1/0"]);
    expect(cursor.notices).toBe(1n);
    const retry = run(chain, cursor);
    expect(await retry.done).toBe(2);
    expect(retry.got.map(text)).toEqual(["notice 2", "notice 3"]);
  });

  it("stops between items when asked, with the cursor at the last delivered item", async () => {
    const chain = new FakeChain();
    chain.notes = [notice(1), notice(2), notice(3)];
    const cursor = emptyCursor();
    const r = run(chain, cursor, { stopAfter: 2 });
    expect(await r.done).toBe(2);
    expect(cursor.notices).toBe(2n);
  });

  it("delivers only input sealed to the party, and reports an envelope no local secret opens", async () => {
    const chain = new FakeChain();
    chain.notes = [notice(1, ME, 5)];
    chain.ins = [input(1, 0, [OTHER])];
    const cursor = emptyCursor();
    const r = run(chain, cursor);
    expect(await r.done).toBe(1);
    expect(r.got[0]?.error).toMatch(/none of the 2 local secret\(s\) of "me" opens it/);
    expect(cursor.inputs).toBe(0n);
  });

  it("never loses or repeats a notice however the run is interrupted (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 25 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 5 }), async (ids, stops, pageSize) => {
        const chain = new FakeChain();
            chain.notes = ids.map((i) => notice(i));
        const cursor = emptyCursor();
        const seen: bigint[] = [];
        for (const stop of [...stops, 1000]) {
          let n = 0;
          await pollIdentity(ID, cursor, {
            chainId: "t",
            source: chain,
            open: fakeOpen,
            pageSize,
            deliver: async (i) => {
              if (i.type === "notice") seen.push(i.notice.id);
              n++;
            },
            saveCursor: () => undefined,
            stopping: () => n >= stop,
          });
        }
        expect(seen).toEqual([...ids].sort((a, b) => a - b).map(BigInt));
      }),
    );
  });
});

describe("cursor file", () => {
  it("round-trips, is private, and starts empty when missing", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "dcert-watch-"));
    try {
      const file = cursorFile(home, "test-1", ME);
      expect(file).toBe(path.join(home, "watch", "test-1", `${ME}.json`));
      expect(loadCursor(file)).toEqual(emptyCursor());
      const c: WatchCursor = { notices: 12n, inputs: 7n };
      saveCursor(file, "test-1", ME, c);
      expect(loadCursor(file)).toEqual(c);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      fs.writeFileSync(file, "{}");
      expect(() => loadCursor(file)).toThrow(/not a watch cursor/);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("backs off from 1 s to 30 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

/**
 * Coordination crypto (src/types/coord), by property: sealed envelopes round-trip for any number of
 * recipients and any plaintext size, and any changed bit or context refuses to open; commitments
 * separate kinds and salts; committed items encode deterministically.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import {
  Advisory,
  AffectedComponents,
  CommitmentKind,
  ComponentKind,
  Envelope,
  FixRef,
  SealedLevel,
} from "../../src/generated/coord/v1/types";
import {
  SealError,
  commitmentHash,
  encodeCommittedItem,
  encodeEnvelope,
  encryptionPublicKey,
  envelopeStructureError,
  openEnvelope,
  sealEnvelope,
  type SealContext,
  type SealPurpose,
} from "../../src/types/coord";

/** 25 fixed key pairs (seeded, so failures replay). */
const KEYS = Array.from({ length: 25 }, (_, i) => {
  const secretKey = Uint8Array.from(createHash("sha256").update(`coord-seal property key ${i}`).digest());
  return { secretKey, publicKey: encryptionPublicKey(secretKey) };
});

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

const address = fc.oneof(
  fc.stringMatching(/^dcert1[02-9ac-hj-np-z]{1,58}$/),
  fc.string({ minLength: 1, maxLength: 30, unit: "grapheme" }),
);
const purpose = fc.constantFrom<SealPurpose>("notice", "input");
const context = fc.record({
  chainId: fc.string({ minLength: 1, maxLength: 50 }),
  caseId: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  purpose,
});
const recipients = (max: number) =>
  fc
    .uniqueArray(address, { minLength: 1, maxLength: max })
    .chain((addrs) =>
      fc.tuple(fc.constant(addrs), fc.array(fc.integer({ min: 1, max: 0xffffffff }), { minLength: addrs.length, maxLength: addrs.length })),
    )
    .map(([addrs, epochs]) => addrs.map((a, i) => ({ address: a, keyEpoch: epochs[i] ?? 1, ...KEYS[i]! })));

async function refuses(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (e) {
    if (e instanceof SealError) return true;
    throw e;
  }
}

describe("sealed envelopes", () => {
  test("round trip: every recipient of 1..25 opens a 0..16 KiB plaintext", async () => {
    await fc.assert(
      fc.asyncProperty(recipients(25), fc.uint8Array({ maxLength: 16 * 1024 }), context, async (rs, plaintext, ctx) => {
        const env = await sealEnvelope(plaintext, rs, ctx);
        const size = encodeEnvelope(env).length;
        expect(envelopeStructureError(env, size)).toBeUndefined();
        expect(envelopeStructureError(env, size - 1)?.code).toBe("size");
        expect(env.recipients.map((r) => r.address)).toEqual(rs.map((r) => r.address).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        // The encoded form is what the chain stores: open the decoded copy.
        const stored = Envelope.decode(encodeEnvelope(env));
        for (const r of rs) expect(hex(await openEnvelope(stored, { address: r.address, secretKey: r.secretKey }, ctx))).toBe(hex(plaintext));
      }),
      { numRuns: 40 },
    );
  });

  test("any bit flipped in nonce, ciphertext, enc or wrapped_key does not open", async () => {
    const field = fc.constantFrom("nonce", "ciphertext", "enc", "wrappedKey");
    await fc.assert(
      fc.asyncProperty(
        recipients(4),
        fc.uint8Array({ maxLength: 512 }),
        context,
        field,
        fc.nat(),
        fc.nat(),
        fc.nat(),
        async (rs, plaintext, ctx, which, recipientIndex, bitIndex, openerIndex) => {
          const env = Envelope.decode(encodeEnvelope(await sealEnvelope(plaintext, rs, ctx)));
          const target = env.recipients[recipientIndex % env.recipients.length]!;
          const bytes = which === "nonce" ? env.nonce : which === "ciphertext" ? env.ciphertext : which === "enc" ? target.enc : target.wrappedKey;
          const bit = bitIndex % (bytes.length * 8);
          bytes[bit >> 3]! ^= 1 << (bit & 7);
          expect(envelopeStructureError(env, 1 << 20)).toBeUndefined();
          const opener = rs[openerIndex % rs.length]!;
          expect(await refuses(openEnvelope(env, { address: opener.address, secretKey: opener.secretKey }, ctx))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  test("another chain, case, purpose or recipient does not open", async () => {
    const change = fc.constantFrom("chain", "case", "purpose", "relabel", "other key");
    await fc.assert(
      fc.asyncProperty(recipients(3), fc.uint8Array({ maxLength: 256 }), context, change, fc.nat(), async (rs, plaintext, ctx, what, i) => {
        const env = Envelope.decode(encodeEnvelope(await sealEnvelope(plaintext, rs, ctx)));
        const me = rs[i % rs.length]!;
        let secretKey = me.secretKey;
        let myAddress = me.address;
        let other: SealContext = ctx;
        if (what === "chain") other = { ...ctx, chainId: `${ctx.chainId}x` };
        if (what === "case") other = { ...ctx, caseId: ctx.caseId === 0n ? 1n : ctx.caseId - 1n };
        if (what === "purpose") other = { ...ctx, purpose: ctx.purpose === "notice" ? "input" : "notice" };
        if (what === "relabel") {
          // The same key holder's entry, copied under another address it might also own.
          myAddress = `${me.address}\u0000`;
          const entry = env.recipients.find((r) => r.address === me.address)!;
          entry.address = myAddress;
          env.recipients.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
        }
        if (what === "other key") secretKey = KEYS[24]!.secretKey; // never used by recipients(3)
        expect(await refuses(openEnvelope(env, { address: myAddress, secretKey }, other))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

const KINDS = [
  CommitmentKind.COMMITMENT_KIND_REPORT,
  CommitmentKind.COMMITMENT_KIND_COMPONENTS,
  CommitmentKind.COMMITMENT_KIND_ADVISORY,
  CommitmentKind.COMMITMENT_KIND_FIX,
  CommitmentKind.COMMITMENT_KIND_LEVEL,
];
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe("commitments", () => {
  test("never equal for another kind or another salt", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 50 }),
        fc.constantFrom(...KINDS),
        fc.constantFrom(...KINDS),
        bytes32,
        bytes32,
        bytes32,
        (chainId, k1, k2, s1, s2, content) => {
          const h = hex(commitmentHash(chainId, k1, s1, content));
          expect(h).toHaveLength(64);
          if (k1 !== k2) expect(hex(commitmentHash(chainId, k2, s1, content))).not.toBe(h);
          if (hex(s1) !== hex(s2)) expect(hex(commitmentHash(chainId, k1, s2, content))).not.toBe(h);
          expect(hex(commitmentHash(`${chainId}.`, k1, s1, content))).not.toBe(h);
          expect(hex(commitmentHash(chainId, k1, s1, content))).toBe(h);
        },
      ),
      { numRuns: 300 },
    );
  });

  const text = fc.string({ maxLength: 40, unit: "grapheme" });
  const texts = fc.array(text, { maxLength: 5 });
  const advisory: fc.Arbitrary<Advisory> = fc.record({
    title: text,
    summary: text,
    details: text,
    impact: text,
    affectedVersions: text,
    fix: text,
    recommendations: text,
    references: texts,
    credits: texts,
    severity: text,
    aliases: texts,
  });
  const fix: fc.Arbitrary<FixRef> = fc.record({
    description: text,
    repository: text,
    commit: text,
    artifacts: fc.array(fc.record({ name: text, sha256: text }), { maxLength: 4 }),
    fixedVersions: texts,
  });
  const components: fc.Arbitrary<AffectedComponents> = fc.record({
    components: fc.array(
      fc.record({
        kind: fc.constantFrom(...Object.values(ComponentKind).filter((v): v is ComponentKind => typeof v === "number" && v >= 0)),
        name: text,
        versions: text,
      }),
      { maxLength: 6 },
    ),
  });
  const level: fc.Arbitrary<SealedLevel> = fc.record({ level: fc.integer({ min: 0, max: 3 }) });
  const item = fc.oneof(
    fc.tuple(fc.constant(CommitmentKind.COMMITMENT_KIND_REPORT), fc.uint8Array({ maxLength: 256 })),
    fc.tuple(fc.constant(CommitmentKind.COMMITMENT_KIND_COMPONENTS), components),
    fc.tuple(fc.constant(CommitmentKind.COMMITMENT_KIND_ADVISORY), advisory),
    fc.tuple(fc.constant(CommitmentKind.COMMITMENT_KIND_FIX), fix),
    fc.tuple(fc.constant(CommitmentKind.COMMITMENT_KIND_LEVEL), level),
  );
  const decoders: Record<number, (b: Uint8Array) => unknown> = {
    [CommitmentKind.COMMITMENT_KIND_COMPONENTS]: (b) => AffectedComponents.decode(b),
    [CommitmentKind.COMMITMENT_KIND_ADVISORY]: (b) => Advisory.decode(b),
    [CommitmentKind.COMMITMENT_KIND_FIX]: (b) => FixRef.decode(b),
    [CommitmentKind.COMMITMENT_KIND_LEVEL]: (b) => SealedLevel.decode(b),
  };

  test("encodeCommittedItem is deterministic: same value, copy or decoded form give the same bytes", () => {
    fc.assert(
      fc.property(item, ([kind, value]) => {
        const once = hex(encodeCommittedItem(kind, value));
        expect(hex(encodeCommittedItem(kind, value))).toBe(once);
        expect(hex(encodeCommittedItem(kind, structuredClone(value)))).toBe(once);
        const decode = decoders[kind];
        if (decode === undefined) {
          expect(once).toBe(hex(value as Uint8Array));
        } else {
          const decoded = decode(encodeCommittedItem(kind, value)) as Parameters<typeof encodeCommittedItem>[1];
          expect(decoded).toEqual(value);
          expect(hex(encodeCommittedItem(kind, decoded))).toBe(once);
        }
      }),
      { numRuns: 300 },
    );
  });
});

import fc from "fast-check";
import { ChainError } from "../../../src/baseapp/errors";
import { createDefaultAminoRegistry } from "../../../src/types/amino";
import { decodeTx, type DecodedTx } from "../../../src/baseapp/tx/decode";
import { verifyTxSignature } from "../../../src/baseapp/tx/verify";
import {
  TEST_CHAIN_ID,
  TEST_MNEMONIC_2,
  aminoWallet,
  directWallet,
  firstAccount,
  msgSend,
  signAmino,
  signDirect,
  testFee,
  type TxSpec,
} from "../../helpers/txs";

const amino = createDefaultAminoRegistry();

/** Runs `f`; anything thrown must be a ChainError. Returns the result or undefined. */
function onlyChainErrors<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof ChainError)) throw new Error(`non-ChainError thrown: ${String(e)}`);
    return undefined;
  }
}

type Mutation =
  | { kind: "flip"; at: number; xor: number }
  | { kind: "set"; at: number; value: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; len: number }
  | { kind: "truncate"; at: number }
  | { kind: "duplicate"; at: number; len: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
);

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = m.at % bytes.length;
  const out = Array.from(bytes);
  switch (m.kind) {
    case "flip":
      out[at] = (out[at] as number) ^ m.xor;
      break;
    case "set":
      out[at] = m.value;
      break;
    case "insert":
      out.splice(at, 0, ...m.bytes);
      break;
    case "delete":
      out.splice(at, m.len);
      break;
    case "truncate":
      out.length = at;
      break;
    case "duplicate":
      out.splice(at, 0, ...out.slice(at, at + m.len));
      break;
  }
  return Uint8Array.from(out);
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

let seeds: { mode: "direct" | "amino"; bytes: Uint8Array; pubkey: Uint8Array }[] = [];

beforeAll(async () => {
  const other = (await firstAccount(await directWallet(TEST_MNEMONIC_2))).address;
  for (const mode of ["direct", "amino"] as const) {
    const { address, pubkey } = await firstAccount(await directWallet());
    const spec: TxSpec = {
      msgs: [msgSend(address, other, 12345n), msgSend(address, address, 1n)],
      fee: { ...testFee(2500n, 150000n), granter: other },
      memo: "fuzz <me> & co",
      chainId: TEST_CHAIN_ID,
      accountNumber: 11n,
      sequence: 4n,
      timeoutHeight: 1000n,
    };
    const bytes = mode === "direct" ? await signDirect(await directWallet(), spec) : await signAmino(await aminoWallet(), spec);
    seeds.push({ mode, bytes, pubkey });
  }
});

afterAll(() => {
  seeds = [];
});

function verifies(tx: DecodedTx, pubkey: Uint8Array): boolean | undefined {
  return onlyChainErrors(() => verifyTxSignature(tx, 0, { chainId: TEST_CHAIN_ID, accountNumber: 11n, pubkey }, amino));
}

describe("decodeTx never throws anything but ChainError", () => {
  it("on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        onlyChainErrors(() => decodeTx(bytes));
      }),
      { numRuns: 4000 },
    );
  });

  it("on random protobuf-looking bytes (valid tags and lengths, random contents)", () => {
    const field = fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.uint8Array({ maxLength: 40 }))
      .map(([no, payload]) => [(no << 3) | 2, payload.length, ...payload]);
    fc.assert(
      fc.property(fc.array(field, { maxLength: 6 }), (fields) => {
        onlyChainErrors(() => decodeTx(Uint8Array.from(fields.flat())));
      }),
      { numRuns: 3000 },
    );
  });

  it("on mutations of valid signed txs; a mutated tx never verifies (amino: unless only its unsigned pubkey changed)", () => {
    expect(seeds).toHaveLength(2);
    for (const seed of seeds) {
      const original = decodeTx(seed.bytes);
      expect(verifies(original, seed.pubkey)).toBe(true);
    }
    fc.assert(
      fc.property(fc.nat({ max: 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (which, muts) => {
        const seed = seeds[which];
        if (seed === undefined) throw new Error("seed missing");
        const bytes = muts.reduce((b, m) => (b.length === 0 ? b : mutate(b, m)), seed.bytes);
        const tx = onlyChainErrors(() => decodeTx(bytes));
        if (tx === undefined) return;
        const ok = verifies(tx, seed.pubkey);
        const key = tx.signers[0]?.publicKey;
        if (ok === true && (seed.mode === "direct" || (key !== undefined && sameBytes(key, seed.pubkey)))) {
          // Direct mode signs body and auth info bytes exactly. Amino mode signs neither, but the
          // strict envelope and canonical message checks leave only the (unsigned, address-bound)
          // public key free. Anything else that verifies must be the unmodified tx.
          expect(sameBytes(bytes, seed.bytes)).toBe(true);
        }
      }),
      { numRuns: 4000 },
    );
  });
});

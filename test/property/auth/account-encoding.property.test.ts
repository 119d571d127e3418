/**
 * encodeAccount writes a base account's BaseAccount inside the Any's writer (one allocation); the
 * bytes must be those of the plain two-step encoding (BaseAccount's bytes as the Any's value) for
 * every account, and decode back to it.
 */
import fc from "fast-check";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { Any } from "cosmjs-types/google/protobuf/any";
import { installEncodingFastPath } from "../../../src/baseapp/perf";
import { decodeAccount, encodeAccount, type Account } from "../../../src/x/auth/keeper";

beforeAll(() => installEncodingFastPath());

function twoStep(acc: Account): Uint8Array {
  const base = BaseAccount.fromPartial({
    address: acc.address,
    accountNumber: acc.accountNumber,
    sequence: acc.sequence,
    ...(acc.pubKey === undefined ? {} : { pubKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: acc.pubKey }).finish() } }),
  });
  return Any.encode({ typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: BaseAccount.encode(base).finish() }).finish();
}

const u64 = fc.oneof(fc.constantFrom(0n, 1n, 127n, 128n, 1n << 31n, (1n << 32n) - 1n, (1n << 64n) - 1n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
const account: fc.Arbitrary<Account> = fc.record({
  address: fc.oneof(fc.constantFrom("", "dcert1hgy9ezuk06qdzmzjcwp42fevt2lpfe9apdt34c"), fc.string({ maxLength: 70 }), fc.string({ unit: "grapheme", maxLength: 20 })),
  accountNumber: u64,
  sequence: u64,
  pubKey: fc.option(fc.uint8Array({ minLength: 0, maxLength: 40 }), { nil: undefined }),
});

test("a base account encodes as the two-step encoding does, and decodes back", () => {
  fc.assert(
    fc.property(account, (acc) => {
      const bytes = encodeAccount(acc);
      expect(Array.from(bytes)).toEqual(Array.from(twoStep(acc)));
      const back = decodeAccount(bytes);
      expect(back.address).toBe(acc.address);
      expect(back.accountNumber).toBe(acc.accountNumber);
      expect(back.sequence).toBe(acc.sequence);
      if (acc.pubKey === undefined) expect(back.pubKey).toBeUndefined();
      else expect(Array.from(back.pubKey ?? [])).toEqual(Array.from(acc.pubKey));
    }),
    { numRuns: 3000 },
  );
});

import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { LegacyAminoPubKey } from "cosmjs-types/cosmos/crypto/multisig/keys";
import { PubKey as Secp256k1PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { ErrInvalidPubKey, ErrNotSupported } from "../../../src/baseapp/errors";
import {
  decodePubKeyAny,
  encodeSecp256k1PubKeyAny,
  SECP256K1_PUBKEY_TYPE_URL,
} from "../../../src/baseapp/tx/pubkey";
import { directWallet, firstAccount } from "../../helpers/txs";

function secpAny(key: Uint8Array): { typeUrl: string; value: Uint8Array } {
  return { typeUrl: SECP256K1_PUBKEY_TYPE_URL, value: Secp256k1PubKey.encode({ key }).finish() };
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("decodePubKeyAny", () => {
  it("decodes a wallet's secp256k1 key and round-trips through encodeSecp256k1PubKeyAny", async () => {
    const { pubkey } = await firstAccount(await directWallet());
    const any = encodeSecp256k1PubKeyAny(pubkey);
    expect(any).toEqual(secpAny(pubkey));
    expect(decodePubKeyAny(any)).toEqual(pubkey);
  });

  it("accepts both compressed prefixes 0x02 and 0x03", () => {
    for (const p of [2, 3]) {
      const k = new Uint8Array(33).fill(9);
      k[0] = p;
      expect(decodePubKeyAny(secpAny(k))).toEqual(k);
    }
  });

  it("rejects uncompressed, short and wrongly prefixed keys with ErrInvalidPubKey", () => {
    const uncompressed = new Uint8Array(65).fill(1);
    uncompressed[0] = 4;
    const wrongPrefix = new Uint8Array(33).fill(1);
    wrongPrefix[0] = 4;
    for (const [key, msg] of [
      [uncompressed, /must be 33 bytes/],
      [new Uint8Array(32).fill(2), /must be 33 bytes/],
      [new Uint8Array(0), /must be 33 bytes/],
      [wrongPrefix, /must start with 0x02 or 0x03.*0x04/],
    ] as const) {
      const e = thrown(() => decodePubKeyAny(secpAny(key)));
      expect(ErrInvalidPubKey.is(e)).toBe(true);
      expect((e as Error).message).toMatch(msg);
    }
  });

  it("rejects a malformed PubKey message (unknown field, truncated) with ErrInvalidPubKey", () => {
    const k = new Uint8Array(33).fill(2);
    const good = Secp256k1PubKey.encode({ key: k }).finish();
    for (const value of [Uint8Array.from([...good, 0x10, 0x01]), good.subarray(0, 20), Uint8Array.from([0x0a])]) {
      const e = thrown(() => decodePubKeyAny({ typeUrl: SECP256K1_PUBKEY_TYPE_URL, value }));
      expect(ErrInvalidPubKey.is(e)).toBe(true);
    }
  });

  it("rejects a multisig key in a single signer, and ed25519 account keys, with ErrNotSupported and a clear message", () => {
    const multisig = {
      typeUrl: "/cosmos.crypto.multisig.LegacyAminoPubKey",
      value: LegacyAminoPubKey.encode({ threshold: 1, publicKeys: [] }).finish(),
    };
    const ed = { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: new Uint8Array(32) }).finish() };
    const e1 = thrown(() => decodePubKeyAny(multisig));
    expect(ErrNotSupported.is(e1)).toBe(true);
    expect((e1 as Error).message).toMatch(/a multisig key signs with a multi mode info/);
    const e2 = thrown(() => decodePubKeyAny(ed));
    expect(ErrNotSupported.is(e2)).toBe(true);
    expect((e2 as Error).message).toMatch(/ed25519 account keys are not supported/);
  });

  it("rejects unknown key types with ErrInvalidPubKey naming the expected type", () => {
    for (const typeUrl of ["", "/foo.Bar", "constructor", "__proto__"]) {
      const e = thrown(() => decodePubKeyAny({ typeUrl, value: new Uint8Array() }));
      expect(ErrInvalidPubKey.is(e)).toBe(true);
      expect((e as Error).message).toContain(SECP256K1_PUBKEY_TYPE_URL);
    }
  });
});

describe("encodeSecp256k1PubKeyAny", () => {
  it("refuses anything but a compressed key", () => {
    expect(() => encodeSecp256k1PubKeyAny(new Uint8Array(65))).toThrow(/33-byte compressed/);
  });
});

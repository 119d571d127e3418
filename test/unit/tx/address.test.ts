import { toBech32 } from "@cosmjs/encoding";
import { ErrInvalidAddress, ErrInvalidPubKey } from "../../../src/baseapp/errors";
import {
  decodeAddress,
  encodeAddress,
  isValidAddress,
  moduleAddress,
  pubkeyToAddress,
} from "../../../src/baseapp/tx/address";
import { BECH32_PREFIX, DEFAULT_DENOM } from "../../../src/baseapp/tx/constants";
import { TEST_MNEMONIC_2, aminoWallet, directWallet, firstAccount } from "../../helpers/txs";

function expectInvalidAddress(f: () => unknown, messagePart: RegExp): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(ErrInvalidAddress.is(thrown)).toBe(true);
  expect((thrown as Error).message).toMatch(messagePart);
}

describe("chain constants", () => {
  it("uses the dcert prefix and the udcert denom", () => {
    expect(BECH32_PREFIX).toBe("dcert");
    expect(DEFAULT_DENOM).toBe("udcert");
  });
});

describe("moduleAddress", () => {
  it("derives the well-known fee_collector address (first 20 bytes of SHA256(name))", () => {
    expect(encodeAddress(moduleAddress("fee_collector"), "cosmos")).toBe("cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta");
  });

  it("gives distinct 20-byte addresses for distinct modules", () => {
    const a = moduleAddress("bonded_tokens_pool");
    const b = moduleAddress("not_bonded_tokens_pool");
    expect(a).toHaveLength(20);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});

describe("pubkeyToAddress", () => {
  it("matches the address CosmJS derives for the same key, in direct and amino wallets", async () => {
    for (const wallet of [await directWallet(), await aminoWallet(), await directWallet(TEST_MNEMONIC_2)]) {
      const { address, pubkey } = await firstAccount(wallet);
      expect(encodeAddress(pubkeyToAddress(pubkey), BECH32_PREFIX)).toBe(address);
    }
  });

  it("rejects keys that are not 33-byte compressed points", () => {
    let thrown: unknown;
    try {
      pubkeyToAddress(new Uint8Array(65).fill(4));
    } catch (e) {
      thrown = e;
    }
    expect(ErrInvalidPubKey.is(thrown)).toBe(true);
    const k = new Uint8Array(33).fill(1);
    k[0] = 0x04;
    expect(() => pubkeyToAddress(k)).toThrow(/33-byte compressed/);
  });
});

describe("encodeAddress / decodeAddress", () => {
  const bytes20 = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
  const bytes32 = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

  it("round-trips 20- and 32-byte addresses", () => {
    for (const b of [bytes20, bytes32]) {
      const s = encodeAddress(b, "dcert");
      expect(s.startsWith("dcert1")).toBe(true);
      expect(decodeAddress(s, "dcert")).toEqual(b);
      expect(isValidAddress(s, "dcert")).toBe(true);
    }
  });

  it("accepts an all-upper-case address (as the SDK does)", () => {
    const s = encodeAddress(bytes20, "dcert");
    expect(decodeAddress(s.toUpperCase(), "dcert")).toEqual(bytes20);
  });

  it("rejects a wrong prefix, saying which prefix was expected", () => {
    const s = toBech32("cosmos", bytes20);
    expectInvalidAddress(() => decodeAddress(s, "dcert"), /prefix "cosmos"; expected prefix "dcert"/);
    expect(isValidAddress(s, "dcert")).toBe(false);
  });

  it("rejects a bad checksum", () => {
    const s = encodeAddress(bytes20, "dcert");
    const last = s[s.length - 1] === "q" ? "p" : "q";
    expectInvalidAddress(() => decodeAddress(s.slice(0, -1) + last, "dcert"), /not a valid bech32 address.*dcert1/);
  });

  it("rejects lengths other than 20 or 32 bytes", () => {
    for (const n of [0, 1, 19, 21, 31, 33, 64]) {
      const s = toBech32("dcert", new Uint8Array(n).fill(7), 1023);
      expectInvalidAddress(() => decodeAddress(s, "dcert"), new RegExp(`${n} bytes; expected 20 or 32 bytes`));
    }
    expect(() => encodeAddress(new Uint8Array(21), "dcert")).toThrow(/20 or 32 bytes/);
  });

  it("rejects empty, separator-less and mixed-case strings", () => {
    expectInvalidAddress(() => decodeAddress("", "dcert"), /empty address/);
    expectInvalidAddress(() => decodeAddress("dcertqqqq", "dcert"), /not a valid bech32/);
    const s = encodeAddress(bytes20, "dcert");
    expectInvalidAddress(() => decodeAddress("D" + s.slice(1), "dcert"), /not a valid bech32/);
  });
});

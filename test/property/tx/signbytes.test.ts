import { makeSignDoc as makeAminoSignDoc, serializeSignDoc, type StdFee } from "@cosmjs/amino";
import { makeSignBytes, makeSignDoc } from "@cosmjs/proto-signing";
import { AminoTypes, createDefaultAminoConverters } from "@cosmjs/stargate";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import fc from "fast-check";
import { ChainError } from "../../../src/baseapp/errors";
import { decodeAddress, encodeAddress } from "../../../src/baseapp/tx/address";
import { createDefaultAminoRegistry } from "../../../src/types/amino";
import { aminoSignBytes, directSignBytes } from "../../../src/baseapp/tx/signdoc";

const registry = createDefaultAminoRegistry();
const cosmjsAmino = new AminoTypes(createDefaultAminoConverters());

const text = fc.string({ unit: "binary", maxLength: 40 });
const nonEmptyText = fc.string({ unit: "binary", minLength: 1, maxLength: 40 });
const uintStr = fc.bigInt({ min: 0n, max: 2n ** 128n }).map(String);
const coin = fc.record({ denom: text, amount: uintStr });
const msg = fc.record({ fromAddress: text, toAddress: text, amount: fc.array(coin, { maxLength: 3 }) });

describe("sign bytes agree with CosmJS for arbitrary inputs", () => {
  it("amino JSON: aminoSignBytes == serializeSignDoc(makeSignDoc(...))", () => {
    fc.assert(
      fc.property(
        fc.record({
          chainId: text,
          accountNumber: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          sequence: fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }),
          amount: fc.array(coin, { maxLength: 3 }),
          gas: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
          payer: fc.option(nonEmptyText, { nil: undefined }),
          granter: fc.option(nonEmptyText, { nil: undefined }),
          memo: text,
          msgs: fc.array(msg, { maxLength: 3 }),
          timeoutHeight: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 2n ** 64n - 1n })),
        }),
        (a) => {
          const stdFee: StdFee = {
            amount: a.amount,
            gas: a.gas.toString(),
            ...(a.payer !== undefined ? { payer: a.payer } : {}),
            ...(a.granter !== undefined ? { granter: a.granter } : {}),
          };
          const values = a.msgs.map((m) => MsgSend.fromPartial(m));
          const expected = serializeSignDoc(
            makeAminoSignDoc(
              values.map((value) => cosmjsAmino.toAmino({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value })),
              stdFee,
              a.chainId,
              a.memo,
              a.accountNumber,
              a.sequence.toString(),
              a.timeoutHeight === 0n ? undefined : a.timeoutHeight,
            ),
          );
          const ours = aminoSignBytes(
            {
              chainId: a.chainId,
              accountNumber: a.accountNumber,
              sequence: a.sequence,
              fee: { amount: a.amount, gasLimit: a.gas, payer: a.payer ?? "", granter: a.granter ?? "" },
              memo: a.memo,
              msgs: values.map((v) => ({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode(v).finish() })),
              timeoutHeight: a.timeoutHeight,
            },
            registry,
          );
          expect(Buffer.from(ours).equals(Buffer.from(expected))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("direct: directSignBytes == makeSignBytes(makeSignDoc(...))", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 200 }),
        text,
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (body, authInfo, chainId, accountNumber) => {
          const ours = directSignBytes(body, authInfo, chainId, accountNumber);
          const theirs = makeSignBytes(makeSignDoc(body, authInfo, chainId, accountNumber));
          expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("addresses", () => {
  it("round-trip for 20- and 32-byte addresses and any lower-case prefix", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.uint8Array({ minLength: 32, maxLength: 32 })),
        fc.stringMatching(/^[a-z]{1,12}$/),
        (bytes, prefix) => {
          expect(decodeAddress(encodeAddress(bytes, prefix), prefix)).toEqual(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("decodeAddress throws only ChainError, for any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 120 }), fc.stringMatching(/^dcert1[02-9ac-hj-np-z]{0,70}$/)), (s) => {
        try {
          decodeAddress(s, "dcert");
        } catch (e) {
          expect(e).toBeInstanceOf(ChainError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

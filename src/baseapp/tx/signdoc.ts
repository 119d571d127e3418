/**
 * The bytes a signer signs, per sign mode. Verification recomputes them from the transaction as
 * received and checks the signature against them (see verify.ts).
 */
import { serializeSignDoc, type StdFee, type StdSignDoc } from "@cosmjs/amino";
import type { Fee } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { SignDoc } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { ChainError, ErrLogic, ErrNotSupported, ErrTxDecode } from "../errors";
import type { AminoConverterRegistry } from "../../types/amino";
import type { DecodedTx } from "./decode";
import { SIGN_MODE_DIRECT, SIGN_MODE_LEGACY_AMINO_JSON, SIGN_MODE_UNSPECIFIED } from "./sigmodes";

/** SIGN_MODE_DIRECT: the protobuf encoding of `SignDoc{body_bytes, auth_info_bytes, chain_id, account_number}`. */
export function directSignBytes(
  bodyBytes: Uint8Array,
  authInfoBytes: Uint8Array,
  chainId: string,
  accountNumber: bigint,
): Uint8Array {
  return SignDoc.encode({ bodyBytes, authInfoBytes, chainId, accountNumber }).finish();
}

export interface AminoSignArgs {
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly fee: Fee;
  readonly memo: string;
  readonly msgs: readonly Any[];
  readonly timeoutHeight: bigint;
}

/** The amino JSON fee as CosmJS and the SDK write it: payer/granter only when set, gas as a string. */
export function aminoFee(fee: Fee): StdFee {
  const out: { amount: { denom: string; amount: string }[]; gas: string; payer?: string; granter?: string } = {
    amount: fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })),
    gas: fee.gasLimit.toString(),
  };
  if (fee.payer !== "") out.payer = fee.payer;
  if (fee.granter !== "") out.granter = fee.granter;
  return out;
}

/**
 * SIGN_MODE_LEGACY_AMINO_JSON: the StdSignDoc as CosmJS's `makeSignDoc` builds it, serialized by
 * `serializeSignDoc` (sorted keys, `<`, `>`, `&` escaped as \u003c, \u003e, \u0026), so the bytes
 * equal what CosmJS amino signers sign. `timeout_height` appears only when non-zero. Account number
 * and sequence are written from the bigints directly (CosmJS's makeSignDoc would cap the sequence
 * at 2^53; the bytes are the same below that).
 * Throws ErrNotSupported / ErrUnpackAny (from the registry) if a message has no amino form.
 */
export function aminoSignBytes(args: AminoSignArgs, amino: AminoConverterRegistry): Uint8Array {
  const msgs = args.msgs.map((m) => amino.toAmino(m));
  const doc: StdSignDoc = {
    chain_id: args.chainId,
    account_number: args.accountNumber.toString(),
    sequence: args.sequence.toString(),
    fee: aminoFee(args.fee),
    msgs,
    memo: args.memo,
    ...(args.timeoutHeight !== 0n ? { timeout_height: args.timeoutHeight.toString() } : {}),
  };
  try {
    return serializeSignDoc(doc);
  } catch (e) {
    // e.g. a converter that left a bigint in its output (JSON.stringify throws on those).
    throw ErrLogic.wrap(`cannot serialize the amino sign document: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Chain-side data a signer's sign bytes depend on. */
export interface SignerData {
  readonly chainId: string;
  readonly accountNumber: bigint;
}

/**
 * The sign bytes for signer `index` of a decoded tx, in the sign mode its signer info declares.
 * For amino JSON the sequence is the one in the signer info (the ante handler checks it equals the
 * account's). Throws ChainError only.
 */
export function signBytesFor(
  tx: DecodedTx,
  index: number,
  signer: SignerData,
  amino: AminoConverterRegistry,
): Uint8Array {
  const s = tx.signers[index];
  if (s === undefined) throw ErrLogic.wrap(`no signer #${index} in a tx with ${tx.signers.length} signers`);
  switch (s.signMode) {
    case SIGN_MODE_UNSPECIFIED:
      throw ErrNotSupported.wrap(
        `signer #${index} declares SIGN_MODE_UNSPECIFIED, which is only accepted for simulation; sign with SIGN_MODE_DIRECT or SIGN_MODE_LEGACY_AMINO_JSON`,
      );
    case SIGN_MODE_DIRECT:
      return directSignBytes(tx.bodyBytes, tx.authInfoBytes, signer.chainId, signer.accountNumber);
    case SIGN_MODE_LEGACY_AMINO_JSON: {
      const fee = tx.authInfo.fee;
      if (fee === undefined) throw ErrTxDecode.wrap("auth_info.fee is missing");
      try {
        return aminoSignBytes(
          {
            chainId: signer.chainId,
            accountNumber: signer.accountNumber,
            sequence: s.sequence,
            fee,
            memo: tx.body.memo,
            msgs: tx.body.messages,
            timeoutHeight: tx.body.timeoutHeight,
          },
          amino,
        );
      } catch (e) {
        if (e instanceof ChainError) throw e;
        throw ErrLogic.wrap(`amino sign bytes: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

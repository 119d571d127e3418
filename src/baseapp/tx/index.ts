/** Transaction crypto and encoding: decode, sign bytes, signature verification, addresses. */
export { BECH32_PREFIX, BECH32_PREFIX_VALOPER, DEFAULT_DENOM } from "./constants";
export {
  ADDRESS_LENGTHS,
  decodeAddress,
  encodeAddress,
  isValidAddress,
  moduleAddress,
  pubkeyToAddress,
} from "./address";
export {
  decodeTx,
  MAX_GAS_WANTED,
  type DecodedCoin,
  type DecodedFee,
  type DecodedSigner,
  type DecodedTx,
} from "./decode";
export {
  decodePubKeyAny,
  encodeSecp256k1PubKeyAny,
  isCompressedSecp256k1,
  SECP256K1_PUBKEY_TYPE_URL,
} from "./pubkey";
export { isLowS, verifySecp256k1, verifyTxSignature } from "./verify";
export {
  aminoFee,
  aminoSignBytes,
  directSignBytes,
  signBytesFor,
  type AminoSignArgs,
  type SignerData,
} from "./signdoc";
export {
  AminoRegistry,
  createDefaultAminoRegistry,
  govV1AminoConverters,
  type AminoConverterRegistry,
  type AminoMsg,
  type AminoMsgConverter,
  type MsgCodec,
} from "../../types/amino";
export {
  isDecodableSignMode,
  isSupportedSignMode,
  SIGN_MODE_DIRECT,
  SIGN_MODE_LEGACY_AMINO_JSON,
  SIGN_MODE_UNSPECIFIED,
  SignMode,
  signModeName,
  type DecodableSignMode,
  type SupportedSignMode,
} from "./sigmodes";
export { sha256 } from "./hash";
export {
  bitArrayGet,
  bitArraySize,
  decodeMultiSignature,
  decodeMultisigPubKeyAny,
  encodeMultisigPubKeyAny,
  isMultisigPubKeyAny,
  LEGACY_AMINO_PUBKEY_TYPE_URL,
  makeBitArray,
  MAX_MULTISIG_KEYS,
  multisigAddress,
  multisigToAmino,
  verifyMultisig,
  type BitArray,
  type MultisigPubKey,
} from "./multisig";

/**
 * Strict protobuf wire-format checks for the transaction envelope.
 *
 * The cosmjs-types decoders are lenient: they ignore wire types, skip unknown fields and accept
 * nested lengths that overrun their parent. That lets one logical transaction have many byte
 * encodings (and, in SIGN_MODE_LEGACY_AMINO_JSON, bytes outside what the signature covers). Like the
 * SDK's `RejectUnknownFields`, we walk the envelope messages against their schema first and reject
 * unknown fields, wrong wire types, truncated or overrunning lengths, groups, repeated singular
 * fields and invalid UTF-8 in strings. Message contents inside `Any`s are checked by the message
 * router's codecs, not here.
 *
 * PERF: one linear pass over the bytes, no allocation except for nested sub-walks' bookkeeping.
 */
import { isUtf8 } from "node:buffer";
import { ErrTxDecode } from "../errors";

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** What a field holds: a varint scalar, raw bytes, a UTF-8 string, an opaque length-delimited blob, or a nested message. */
export type FieldKind = "varint" | "bytes" | "string" | "opaque" | MessageSchema;

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly repeated?: boolean;
}

export interface MessageSchema {
  readonly name: string;
  readonly fields: ReadonlyMap<number, FieldSpec>;
}

export function schema(name: string, fields: Record<number, FieldSpec>): MessageSchema {
  return { name, fields: new Map(Object.entries(fields).map(([k, v]) => [Number(k), v])) };
}

function fail(path: string, detail: string): never {
  throw ErrTxDecode.wrap(`${path}: ${detail}`);
}

/** Where the last `readVarint` stopped (the walk is synchronous, so one slot serves every call). */
let varintEnd = 0;

/**
 * Reads a varint of at most `maxBytes` bytes as a JS number (exact below 2^53); the position after
 * it is left in `varintEnd`. PERF: no tuple per read (two per field).
 */
function readVarint(buf: Uint8Array, pos: number, maxBytes: number, path: string, field?: FieldSpec): number {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (pos >= buf.length) fail(fieldPath(path, field), "truncated varint");
    const b = buf[pos++] as number;
    value += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) {
      if (maxBytes === 10 && i === 9 && b > 1) fail(fieldPath(path, field), "varint overflows 64 bits");
      varintEnd = pos;
      return value;
    }
    mul *= 128;
  }
  return fail(fieldPath(path, field), `varint longer than ${maxBytes} bytes`);
}

/** The path of `field` in the message at `path` (the message itself without a field). */
function fieldPath(path: string, field: FieldSpec | undefined): string {
  return field === undefined ? path : `${path}.${field.name}`;
}

/**
 * Checks that `buf` is a well-formed encoding of `msg` (recursively for nested schema fields).
 * PERF: paths are only built for an error message, and singular fields 1–31 are tracked in a bit
 * mask (a Set only for higher field numbers).
 */
export function checkMessage(buf: Uint8Array, msg: MessageSchema, path: string = msg.name): void {
  let pos = 0;
  let seenLow = 0;
  let seenHigh: Set<number> | undefined;
  while (pos < buf.length) {
    const tag = readVarint(buf, pos, 5, path);
    pos = varintEnd;
    if (tag > 0xffffffff) fail(path, "field tag out of range");
    const fieldNo = Math.floor(tag / 8);
    const wire = tag % 8;
    if (fieldNo === 0) fail(path, "field number 0 is invalid");
    const spec = msg.fields.get(fieldNo);
    if (spec === undefined) fail(path, `unknown field ${fieldNo} (wire type ${wire}) in ${msg.name}`);
    if (spec.repeated !== true) {
      if (fieldNo < 32) {
        const bit = 1 << fieldNo;
        if ((seenLow & bit) !== 0) fail(fieldPath(path, spec), "singular field appears more than once");
        seenLow |= bit;
      } else {
        seenHigh ??= new Set<number>();
        if (seenHigh.has(fieldNo)) fail(fieldPath(path, spec), "singular field appears more than once");
        seenHigh.add(fieldNo);
      }
    }
    if (spec.kind === "varint") {
      if (wire !== WIRE_VARINT) fail(fieldPath(path, spec), `expected wire type ${WIRE_VARINT} (varint), got ${wire}`);
      readVarint(buf, pos, 10, path, spec);
      pos = varintEnd;
      continue;
    }
    if (wire !== WIRE_LEN) {
      const got = wire === WIRE_FIXED64 || wire === WIRE_FIXED32 || wire === WIRE_VARINT ? `${wire}` : `${wire} (group or invalid)`;
      fail(fieldPath(path, spec), `expected wire type ${WIRE_LEN} (length-delimited), got ${got}`);
    }
    const len = readVarint(buf, pos, 5, path, spec);
    const start = varintEnd;
    const end = start + len;
    if (end > buf.length) fail(fieldPath(path, spec), `length ${len} overruns the enclosing message`);
    if (spec.kind === "string") {
      if (!isUtf8(buf.subarray(start, end))) fail(fieldPath(path, spec), "string is not valid UTF-8");
    } else if (typeof spec.kind === "object") {
      checkMessage(buf.subarray(start, end), spec.kind, fieldPath(path, spec));
    }
    pos = end;
  }
}

// ---- Schemas of the envelope (cosmos.tx.v1beta1) -------------------------------------------------

/** google.protobuf.Any: the value is opaque here. */
export const AnySchema = schema("Any", {
  1: { name: "type_url", kind: "string" },
  2: { name: "value", kind: "bytes" },
});

const CoinSchema = schema("Coin", {
  1: { name: "denom", kind: "string" },
  2: { name: "amount", kind: "string" },
});

const TimestampSchema = schema("Timestamp", {
  1: { name: "seconds", kind: "varint" },
  2: { name: "nanos", kind: "varint" },
});

export const TxRawSchema = schema("TxRaw", {
  1: { name: "body_bytes", kind: "bytes" },
  2: { name: "auth_info_bytes", kind: "bytes" },
  3: { name: "signatures", kind: "bytes", repeated: true },
});

export const TxBodySchema = schema("TxBody", {
  1: { name: "messages", kind: AnySchema, repeated: true },
  2: { name: "memo", kind: "string" },
  3: { name: "timeout_height", kind: "varint" },
  4: { name: "unordered", kind: "varint" },
  5: { name: "timeout_timestamp", kind: TimestampSchema },
  1023: { name: "extension_options", kind: AnySchema, repeated: true },
  2047: { name: "non_critical_extension_options", kind: AnySchema, repeated: true },
});

const ModeInfoSingleSchema = schema("ModeInfo.Single", {
  1: { name: "mode", kind: "varint" },
});

const CompactBitArraySchema = schema("CompactBitArray", {
  1: { name: "extra_bits_stored", kind: "varint" },
  2: { name: "elems", kind: "bytes" },
});

/** ModeInfo and ModeInfo.Multi refer to each other; the second field is filled in below. */
const ModeInfoSchema = schema("ModeInfo", {
  1: { name: "single", kind: ModeInfoSingleSchema },
});
const ModeInfoMultiSchema = schema("ModeInfo.Multi", {
  1: { name: "bitarray", kind: CompactBitArraySchema },
  2: { name: "mode_infos", kind: ModeInfoSchema, repeated: true },
});
(ModeInfoSchema.fields as Map<number, FieldSpec>).set(2, { name: "multi", kind: ModeInfoMultiSchema });

const SignerInfoSchema = schema("SignerInfo", {
  1: { name: "public_key", kind: AnySchema },
  2: { name: "mode_info", kind: ModeInfoSchema },
  3: { name: "sequence", kind: "varint" },
});

const FeeSchema = schema("Fee", {
  1: { name: "amount", kind: CoinSchema, repeated: true },
  2: { name: "gas_limit", kind: "varint" },
  3: { name: "payer", kind: "string" },
  4: { name: "granter", kind: "string" },
});

export const AuthInfoSchema = schema("AuthInfo", {
  1: { name: "signer_infos", kind: SignerInfoSchema, repeated: true },
  2: { name: "fee", kind: FeeSchema },
  3: { name: "tip", kind: "opaque" },
});

/** cosmos.crypto.secp256k1.PubKey */
export const Secp256k1PubKeySchema = schema("secp256k1.PubKey", {
  1: { name: "key", kind: "bytes" },
});

/**
 * Reading encoded ABCI answers as CometBFT does. cosmjs-types' own decoder skips what Go's refuse
 * (a field number 0, a wire type 6 or 7), so a test that only decodes with it cannot see an answer
 * that would stop CometBFT.
 */
import { BinaryReader } from "@bufbuild/protobuf/wire";

/**
 * Reads an encoded `Response` field by field with a decoder that refuses field number 0 and bad
 * wire types, as Go's do: the response, the answer inside it, and the answer's `nested` fields
 * (each a message: e.g. 2, ResponseFinalizeBlock.tx_results). Throws on the first bad tag.
 */
export function readResponseStrictly(bytes: Uint8Array, nested: readonly number[] = []): void {
  const walk = (b: Uint8Array, into: readonly number[], depth: number): void => {
    const r = new BinaryReader(b);
    while (r.pos < r.len) {
      const [field, wireType] = r.tag();
      if (wireType === 2 && (depth === 0 || into.includes(field))) walk(r.bytes(), depth === 0 ? nested : [], depth + 1);
      else r.skip(wireType);
    }
  };
  walk(bytes, [], 0);
}

import { createHash } from "node:crypto";

/** SHA-256 (native), returned as a plain Uint8Array view (not a Buffer, so equality checks behave). */
export function sha256(data: Uint8Array): Uint8Array {
  const b = createHash("sha256").update(data).digest();
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * TAG components: a named behaviour such as "mempool/cpfp-carveout" (seed 000): lower-case path
 * segments of [a-z0-9._-], each starting with a letter or digit, separated by single "/", at most
 * 128 characters. Nothing is rewritten (an upper-case tag is refused, not lower-cased, so that what
 * the party typed is what is stored); tags match by exact byte equality.
 */
import { ComponentError, shown } from "./errors";

export const MAX_TAG_LENGTH = 128;

const TAG = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/** Validates a tag and returns it (it is its own canonical form); throws ComponentError. */
export function canonicalTag(input: string): string {
  if (input.length === 0 || input.length > MAX_TAG_LENGTH || !TAG.test(input)) {
    throw new ComponentError(
      `tag ${shown(input)} is not a behaviour tag: use lower-case segments of a-z, 0-9, ".", "_", "-", each starting with a letter or digit, separated by "/" (e.g. mempool/cpfp-carveout), at most ${MAX_TAG_LENGTH} characters`,
    );
  }
  return input;
}

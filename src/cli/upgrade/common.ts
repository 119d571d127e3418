/**
 * Shared pieces of the `dcertd tx upgrade …` and `dcertd q upgrade …` commands: argument parsing
 * (plan names, heights, hashes) and `upgradeQueryLeaf`, the builder of one `q upgrade` leaf (used
 * by query.ts and readiness.ts): connects to --node, runs the query and prints its result (JSON
 * with -o json, or a string as is).
 */
import type { DcertClient } from "../../client/dcertclient";
import { binarySha256Error, planNameError } from "../../types/upgrade/names";
import { stringFlag, UsageError, type FlagSpec, type ParsedArgs } from "../args";
import { HOME_FLAG, NODE_FLAG } from "../clientenv";
import { CliError, type Leaf } from "../cmdtree";
import { positionals } from "../coord/common";
import { OUTPUT_FLAG, toJson } from "../output";
import { emitQuery, HEIGHT_FLAG, openQuery } from "../sdkjson";

export { positionals };

export const QUERY_COMMON: readonly FlagSpec[] = [NODE_FLAG, HOME_FLAG, OUTPUT_FLAG, HEIGHT_FLAG];

/** A plan name the chain accepts, or a usage error saying why not. */
export function planNameArg(name: string | undefined, what = "<name>"): string {
  if (name === undefined) throw new UsageError(`missing ${what}`);
  const why = planNameError(name);
  if (why !== undefined) throw new UsageError(`${what}: ${why}`);
  return name;
}

/** A positive block height from a flag (required). */
export function heightFlag(args: ParsedArgs, flag: string): bigint {
  const v = stringFlag(args, flag);
  if (v === undefined) throw new UsageError(`--${flag} <height> is required`);
  if (!/^[1-9][0-9]{0,18}$/.test(v) || BigInt(v) > 2n ** 63n - 1n) throw new UsageError(`--${flag} must be a positive block height, got "${v}"`);
  return BigInt(v);
}

/** A lowercase hex SHA-256 (upper case is accepted and lowered). */
export function sha256Flag(args: ParsedArgs, flag: string): string {
  const v = stringFlag(args, flag);
  if (v === undefined) throw new UsageError(`--${flag} <hex> is required (e.g. the first column of sha256sum BINARY)`);
  const hex = v.toLowerCase();
  const why = binarySha256Error(hex);
  if (why !== undefined) throw new UsageError(`--${flag}: ${why}`);
  return hex;
}

/** One `q upgrade <path…>` leaf. */
export function upgradeQueryLeaf(
  path: readonly string[],
  summary: string,
  names: readonly string[],
  flags: readonly FlagSpec[],
  run: (c: DcertClient, args: ParsedArgs, pos: (string | undefined)[]) => Promise<unknown>,
  details?: readonly string[],
): Leaf {
  return {
    path: ["upgrade", ...path],
    summary,
    positionals: [...names],
    flags: [...QUERY_COMMON, ...flags],
    ...(details !== undefined ? { details } : {}),
    async run(args) {
      const pos = positionals(args.positionals, names);
      const session = await openQuery(args);
      const client = session.client;
      try {
        const out = await run(client, args, pos);
        if (typeof out === "string") process.stdout.write(out.endsWith("\n") ? out : `${out}\n`);
        else emitQuery(args, session, toJson(out));
        return 0;
      } catch (e) {
        if (e instanceof Error && /not found/i.test(e.message)) throw new CliError(`the node has no such record (${e.message.replace(/^Query failed with \(\d+\): /, "")})`, "check the name");
        throw e;
      } finally {
        client.disconnect();
      }
    },
  };
}

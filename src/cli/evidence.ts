/**
 * `dcertd q evidence [hash]`: every piece of evidence the chain handled (double signs turned into
 * Equivocation records), or one by its hash (hex).
 */
import { toHex } from "@cosmjs/encoding";
import { collectPages } from "../client/dcertclient";
import { decodeEvidence } from "../client/rewards/queries";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { UsageError } from "./args";
import { CliError, type Leaf } from "./cmdtree";
import { toJson, type Json } from "./output";
import { notFound, queryLeaf } from "./stakingargs";

export function evidenceJson(any: Any): Json {
  const e = decodeEvidence(any);
  if ("typeUrl" in e) return { "@type": e.typeUrl, value: toHex(e.value) };
  return { "@type": any.typeUrl, height: e.height.toString(), time: toJson(e.time), power: e.power.toString(), consensus_address: e.consensusAddress };
}

export function evidenceHashArg(text: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(`"${text}" is not an evidence hash (64 hex characters)`);
  return text.toUpperCase();
}

export function evidenceQueryLeaves(): Leaf[] {
  return [
    queryLeaf(["evidence"], "all evidence the chain handled (double signs), or one by hash", ["[hash]"], [], (_a, [h]) => {
      const hash = h === undefined ? undefined : evidenceHashArg(h);
      return async (c) => {
        if (hash !== undefined) {
          let res: Awaited<ReturnType<typeof c.queries.evidence.evidence>>;
          try {
            res = await c.queries.evidence.evidence(hash);
          } catch (e) {
            notFound(e, `no evidence with hash ${hash}`, 'list it with "dcertd q evidence"');
          }
          if (res.evidence === undefined) throw new CliError(`no evidence with hash ${hash}`, 'list it with "dcertd q evidence"');
          return { json: evidenceJson(res.evidence) };
        }
        const all = await collectPages((key) => c.queries.evidence.allEvidence(key), (r) => r.evidence);
        return { json: { evidence: all.map(evidenceJson) } };
      };
    }),
  ];
}

/** x/evidence as an AppModule: the Query service (Evidence, AllEvidence), genesis, BeginBlock misbehavior. */
import { Equivocation } from "cosmjs-types/cosmos/evidence/v1beta1/evidence";
import { QueryAllEvidenceRequest, QueryAllEvidenceResponse, QueryEvidenceRequest, QueryEvidenceResponse } from "cosmjs-types/cosmos/evidence/v1beta1/query";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Context } from "../../baseapp/context";
import { ErrInvalidRequest } from "../../baseapp/errors";
import { arr, at, GenesisError, obj, str, uint } from "../../baseapp/json";
import type { AppModule, Registrar } from "../../baseapp/module";
import { paginateList } from "../../baseapp/pagination";
import { consAddrBytes } from "../slashing/keeper";
import { timeFromJson, timeToJson } from "../staking/time";
import { ErrNoEvidenceExists } from "./errors";
import { EQUIVOCATION_TYPE_URL, type EvidenceKeeper } from "./keeper";

const MODULE = "evidence";

const toAny = (e: Equivocation): Any => ({ typeUrl: EQUIVOCATION_TYPE_URL, value: Equivocation.encode(e).finish() });

function registerQueries(r: Registrar, keeper: EvidenceKeeper): void {
  const service = "cosmos.evidence.v1beta1.Query";
  r.query({
    service,
    method: "Evidence",
    request: QueryEvidenceRequest,
    response: QueryEvidenceResponse,
    handle(ctx, req) {
      let hash = req.evidenceHash;
      if (req.hash !== "") {
        if (!/^[0-9a-fA-F]{64}$/.test(req.hash)) throw ErrInvalidRequest.wrap("hash must be 64 hex characters (SHA-256 of the evidence)");
        hash = Uint8Array.from(Buffer.from(req.hash, "hex"));
      }
      if (hash.length === 0) throw ErrInvalidRequest.wrap("evidence hash is empty");
      const e = keeper.getEvidence(ctx, hash);
      if (e === undefined) throw ErrNoEvidenceExists.wrap(Buffer.from(hash).toString("hex").toUpperCase());
      return { evidence: toAny(e) };
    },
  });
  r.query({
    service,
    method: "AllEvidence",
    request: QueryAllEvidenceRequest,
    response: QueryAllEvidenceResponse,
    handle(ctx, req) {
      const { page, pagination } = paginateList(keeper.allEvidence(ctx), req.pagination);
      return { evidence: page.map(toAny), pagination };
    },
  });
}

function parseGenesis(g: unknown): Equivocation[] {
  const o = obj(g ?? {}, "evidence");
  return arr(o["evidence"] ?? [], "evidence.evidence").map((x, i) => {
    const p = `evidence.evidence[${i}]`;
    const e = obj(x, p);
    if (e["@type"] !== EQUIVOCATION_TYPE_URL) throw new GenesisError(`${p}.@type`, `only ${EQUIVOCATION_TYPE_URL} is supported`);
    const consensusAddress = str(e["consensus_address"], `${p}.consensus_address`);
    at(`${p}.consensus_address`, () => consAddrBytes(consensusAddress));
    return {
      height: uint(e["height"], `${p}.height`),
      time: at(`${p}.time`, () => timeFromJson(str(e["time"], `${p}.time`))),
      power: uint(e["power"], `${p}.power`),
      consensusAddress,
    };
  });
}

function exportGenesis(ctx: Context, keeper: EvidenceKeeper): unknown {
  return {
    evidence: keeper.allEvidence(ctx).map((e) => ({
      "@type": EQUIVOCATION_TYPE_URL,
      height: e.height.toString(),
      time: timeToJson(e.time),
      power: e.power.toString(),
      consensus_address: e.consensusAddress,
    })),
  };
}

/** x/evidence: queries, genesis, BeginBlock misbehavior (after slashing). MsgSubmitEvidence is not served (no submittable evidence type). */
export function evidenceModule(keeper: EvidenceKeeper): AppModule {
  return {
    name: MODULE,
    register: (r) => registerQueries(r, keeper),
    defaultGenesis: () => ({ evidence: [] }),
    validateGenesis: (g) => void parseGenesis(g),
    initGenesis(ctx, g) {
      for (const e of parseGenesis(g)) keeper.importEvidence(ctx, e);
    },
    exportGenesis: (ctx) => exportGenesis(ctx, keeper),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
  };
}

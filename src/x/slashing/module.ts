/**
 * x/slashing as an AppModule: MsgUnjail and MsgUpdateParams, the Query service (Params,
 * SigningInfo, SigningInfos), genesis in the SDK's JSON, BeginBlock liveness tracking.
 */
import { QueryParamsRequest, QueryParamsResponse, QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosRequest, QuerySigningInfosResponse } from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { type Msg, MsgUnjail, MsgUnjailResponse, MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import type { Context } from "../../baseapp/context";
import { ErrInvalidAddress, ErrInvalidRequest } from "../../baseapp/errors";
import { arr, at, bool, GenesisError, obj, str, uint } from "../../baseapp/json";
import type { AppModule, Registrar } from "../../baseapp/module";
import { type MsgTable, msgSpec, registerMsgServer } from "../../baseapp/msgserver";
import { paginateList } from "../../baseapp/pagination";
import { addrBytes } from "../auth/keeper";
import { updateParamsSpec } from "../auth/update_params";
import { decFromJson, decToJson } from "../staking/dec";
import { operatorAccount, valoperBytes } from "../staking/keeper";
import { durationFromJson, durationToJson, timeFromJson, timeToJson } from "../staking/time";
import { ErrBadValidatorAddr, ErrInvalidAuthority, ErrInvalidParams, ErrNoSigningInfoFound } from "./errors";
import {
  consAddrBytes,
  consAddrString,
  defaultSlashingParams,
  type SlashingKeeper,
  type SlashingParams,
  slashingParamsFromProto,
  slashingParamsToProto,
  validateSlashingParams,
} from "./keeper";

const MODULE = "slashing";
export const SLASHING_MSG_PACKAGE = "cosmos.slashing.v1beta1";

function msgTable(keeper: SlashingKeeper): MsgTable<Msg> {
  return {
    Unjail: msgSpec({
      codec: MsgUnjail,
      response: MsgUnjailResponse,
      signers: (m) => [operatorAccount(m.validatorAddr)],
      validateBasic(m) {
        if (m.validatorAddr === "") throw ErrBadValidatorAddr.wrap("validator_addr is empty");
        try {
          valoperBytes(m.validatorAddr);
        } catch {
          throw ErrInvalidAddress.wrap(`validator_addr ${JSON.stringify(m.validatorAddr)} is not a dcertvaloper1… address`);
        }
        return undefined;
      },
      handle(ctx, m) {
        keeper.unjail(ctx, m.validatorAddr);
        return {};
      },
    }),
    UpdateParams: updateParamsSpec({
      codec: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      what: "slashing MsgUpdateParams",
      err: ErrInvalidAuthority,
      validateBasic: (m) => addrBytes(m.authority),
      validate(m) {
        if ((m as Partial<MsgUpdateParams>).params === undefined) throw ErrInvalidParams.wrap("params are missing; all fields must be supplied");
        const p = slashingParamsFromProto(m.params);
        validateSlashingParams(p);
        return p;
      },
      store: (ctx, p) => keeper.setParams(ctx, p),
    }),
  };
}

function registerQueries(r: Registrar, keeper: SlashingKeeper): void {
  const service = "cosmos.slashing.v1beta1.Query";
  r.query({
    service,
    method: "Params",
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: slashingParamsToProto(keeper.params(ctx)) }),
  });
  r.query({
    service,
    method: "SigningInfo",
    request: QuerySigningInfoRequest,
    response: QuerySigningInfoResponse,
    handle(ctx, req) {
      if (req.consAddress === "") throw ErrInvalidRequest.wrap("cons_address is empty");
      let cons: Uint8Array;
      try {
        cons = consAddrBytes(req.consAddress);
      } catch {
        throw ErrInvalidRequest.wrap(`cons_address ${JSON.stringify(req.consAddress)} is not a dcertvalcons1… address`);
      }
      const info = keeper.getSigningInfo(ctx, cons);
      if (info === undefined) throw ErrNoSigningInfoFound.wrap(req.consAddress);
      return { valSigningInfo: info };
    },
  });
  r.query({
    service,
    method: "SigningInfos",
    request: QuerySigningInfosRequest,
    response: QuerySigningInfosResponse,
    handle(ctx, req) {
      const { page, pagination } = paginateList(keeper.allSigningInfos(ctx), req.pagination);
      return { info: page, pagination };
    },
  });
}

// ---------------------------------------------------------------- genesis

function paramsToJson(p: SlashingParams): unknown {
  return {
    signed_blocks_window: p.signedBlocksWindow.toString(),
    min_signed_per_window: decToJson(p.minSignedPerWindow),
    downtime_jail_duration: durationToJson(p.downtimeJailDuration),
    slash_fraction_double_sign: decToJson(p.slashFractionDoubleSign),
    slash_fraction_downtime: decToJson(p.slashFractionDowntime),
  };
}

export function slashingParamsToJson(p: SlashingParams): unknown {
  return paramsToJson(p);
}

function paramsFromJson(v: unknown): SlashingParams {
  const d = defaultSlashingParams();
  const o = obj(v ?? {}, "slashing.params");
  const path = (f: string) => `slashing.params.${f}`;
  const dec = (f: string, dflt: bigint) => (o[f] === undefined ? dflt : at(path(f), () => decFromJson(str(o[f], path(f)), f)));
  const p: SlashingParams = {
    signedBlocksWindow: o["signed_blocks_window"] === undefined ? d.signedBlocksWindow : uint(o["signed_blocks_window"], path("signed_blocks_window")),
    minSignedPerWindow: dec("min_signed_per_window", d.minSignedPerWindow),
    downtimeJailDuration:
      o["downtime_jail_duration"] === undefined
        ? d.downtimeJailDuration
        : at(path("downtime_jail_duration"), () => durationFromJson(str(o["downtime_jail_duration"], path("downtime_jail_duration")))),
    slashFractionDoubleSign: dec("slash_fraction_double_sign", d.slashFractionDoubleSign),
    slashFractionDowntime: dec("slash_fraction_downtime", d.slashFractionDowntime),
  };
  at("slashing.params", () => validateSlashingParams(p));
  return p;
}

interface SlashingGenesis {
  params: SlashingParams;
  signingInfos: { cons: Uint8Array; info: import("cosmjs-types/cosmos/slashing/v1beta1/slashing").ValidatorSigningInfo }[];
  missed: { cons: Uint8Array; indexes: bigint[] }[];
}

function consField(v: unknown, path: string): Uint8Array {
  const s = str(v, path);
  try {
    return consAddrBytes(s);
  } catch {
    throw new GenesisError(path, `${JSON.stringify(s)} is not a dcertvalcons1… address`);
  }
}

function parseGenesis(g: unknown): SlashingGenesis {
  const o = obj(g ?? {}, "slashing");
  const params = paramsFromJson(o["params"]);
  const seen = new Set<string>();
  const signingInfos = arr(o["signing_infos"] ?? [], "slashing.signing_infos").map((x, i) => {
    const p = `slashing.signing_infos[${i}]`;
    const e = obj(x, p);
    const cons = consField(e["address"], `${p}.address`);
    const a = consAddrString(cons);
    if (seen.has(a)) throw new GenesisError(`${p}.address`, `${a} appears twice`);
    seen.add(a);
    const si = obj(e["validator_signing_info"], `${p}.validator_signing_info`);
    const q = `${p}.validator_signing_info`;
    return {
      cons,
      info: {
        address: a,
        startHeight: uint(si["start_height"] ?? "0", `${q}.start_height`),
        indexOffset: uint(si["index_offset"] ?? "0", `${q}.index_offset`),
        jailedUntil: at(`${q}.jailed_until`, () => timeFromJson(str(si["jailed_until"] ?? "1970-01-01T00:00:00Z", `${q}.jailed_until`))),
        tombstoned: bool(si["tombstoned"], `${q}.tombstoned`, false),
        missedBlocksCounter: uint(si["missed_blocks_counter"] ?? "0", `${q}.missed_blocks_counter`),
      },
    };
  });
  const missed = arr(o["missed_blocks"] ?? [], "slashing.missed_blocks").map((x, i) => {
    const p = `slashing.missed_blocks[${i}]`;
    const e = obj(x, p);
    const cons = consField(e["address"], `${p}.address`);
    const indexes: bigint[] = [];
    arr(e["missed_blocks"] ?? [], `${p}.missed_blocks`).forEach((m, j) => {
      const mo = obj(m, `${p}.missed_blocks[${j}]`);
      const index = uint(mo["index"], `${p}.missed_blocks[${j}].index`);
      if (index >= params.signedBlocksWindow) throw new GenesisError(`${p}.missed_blocks[${j}].index`, `must be below signed_blocks_window ${params.signedBlocksWindow}`);
      if (bool(mo["missed"], `${p}.missed_blocks[${j}].missed`, false)) indexes.push(index);
    });
    return { cons, indexes };
  });
  return { params, signingInfos, missed };
}

export function defaultSlashingGenesis(): unknown {
  return { params: paramsToJson(defaultSlashingParams()), signing_infos: [], missed_blocks: [] };
}

function exportGenesis(ctx: Context, keeper: SlashingKeeper): unknown {
  const infos = keeper.allSigningInfos(ctx);
  return {
    params: paramsToJson(keeper.params(ctx)),
    signing_infos: infos.map((i) => ({
      address: i.address,
      validator_signing_info: {
        address: i.address,
        start_height: i.startHeight.toString(),
        index_offset: i.indexOffset.toString(),
        jailed_until: timeToJson(i.jailedUntil),
        tombstoned: i.tombstoned,
        missed_blocks_counter: i.missedBlocksCounter.toString(),
      },
    })),
    missed_blocks: infos.map((i) => ({
      address: i.address,
      missed_blocks: keeper.missedIndexes(ctx, consAddrBytes(i.address)).map((index) => ({ index: index.toString(), missed: true })),
    })),
  };
}

/** x/slashing: MsgUnjail, queries, genesis, BeginBlock liveness (after distribution, before evidence). */
export function slashingModule(keeper: SlashingKeeper): AppModule {
  return {
    name: MODULE,
    register(r: Registrar): void {
      registerMsgServer(r, SLASHING_MSG_PACKAGE, MODULE, msgTable(keeper));
      registerQueries(r, keeper);
    },
    defaultGenesis: defaultSlashingGenesis,
    validateGenesis: (g) => void parseGenesis(g),
    initGenesis(ctx, g) {
      const gen = parseGenesis(g);
      keeper.setParams(ctx, gen.params);
      for (const s of gen.signingInfos) keeper.setSigningInfo(ctx, s.cons, s.info);
      for (const m of gen.missed) for (const index of m.indexes) keeper.setMissed(ctx, m.cons, index, true);
    },
    exportGenesis: (ctx) => exportGenesis(ctx, keeper),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
  };
}

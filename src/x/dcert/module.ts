/**
 * The dCERT AppModule: wires the keeper to the app (module account, Msg and Query services,
 * amino JSON for the chain's sign-bytes, staking and gov hooks) and runs the block hooks:
 *
 * - BeginBlock (after distribution moved the previous block's fees into the community pool):
 *   stipend for each member seated at the start of the block;
 * - EndBlock (after gov and staking, so proposals executed and stake changed in this block are
 *   seen): matured unbondings are paid, then the election is settled (seats change at most once
 *   per block, at its end).
 */
import type { Context } from "../../baseapp/context";
import type { GovKeeper } from "../gov/keeper";
import type { AppModule, Registrar } from "../../baseapp/module";
import type { DecodedMsg } from "../../baseapp/router";
import type { MsgVote } from "../../generated/dcert/v1/tx";
import { registerMsgServer } from "../../baseapp/msgserver";
import type { AminoRegistry } from "../../types/amino";
import { type CircuitHost, installCircuitBreaker } from "./circuit";
import { createDcertAminoConverters } from "../../types/aminomessages";
import { dcertTypes } from "../../types/messages";
import type { StakingKeeper } from "../staking/keeper";
import type { DistributionKeeper } from "../distribution/keeper";
import type { AuthForDcert, BankForDcert, CoordForCircuit } from "./expected";
import { DcertKeeper } from "./keeper/keeper";
import { DCERT_MODULE } from "./keys";
import { defaultDcertGenesisJson, exportDcertGenesis, initDcertGenesis, parseDcertGenesis, validateDcertGenesis } from "./genesis";
import { dcertGovHooks, dcertStakingHooks } from "./hooks";
import { DCERT_MSG_PACKAGE, DcertMsgServer, MSG_TYPE_URLS } from "./msg_server";
import { registerDcertQueries } from "./query_server";

export interface DcertModule extends AppModule {
  readonly keeper: DcertKeeper;
  /** Wires the coordination module: a MsgCircuitBreak citing a case becomes its mitigation. */
  wireCoordination(coord: CoordForCircuit): void;
}

export interface DcertModuleDeps {
  readonly staking: StakingKeeper;
  readonly distribution: DistributionKeeper;
  readonly gov: GovKeeper;
}

/**
 * Registers the amino JSON form of every dCERT message (MsgCircuitBreak included) with the chain's
 * amino registry, using the same codecs the router decodes with.
 */
export function registerDcertAmino(amino: AminoRegistry): void {
  const converters = createDcertAminoConverters();
  for (const [typeUrl, codec] of dcertTypes) {
    const converter = converters[typeUrl];
    if (converter === undefined) throw new Error(`no amino converter for ${typeUrl}`);
    amino.register(typeUrl, codec as Parameters<AminoRegistry["register"]>[1], converter);
  }
}

/**
 * What the dCERT module is built from: the auth and bank keepers, the amino registry, and the
 * router and ProcessProposal checks the circuit breaker guards.
 */
export interface DcertModuleHost extends CircuitHost {
  readonly auth: AuthForDcert;
  readonly bank: BankForDcert;
  readonly amino: AminoRegistry;
}

export function dcertModule(app: DcertModuleHost, deps: DcertModuleDeps): DcertModule {
  const keeper = new DcertKeeper({
    auth: app.auth,
    bank: app.bank,
    staking: deps.staking,
    distribution: deps.distribution,
    authority: deps.gov.authority,
  });
  deps.staking.addHooks(dcertStakingHooks(keeper, deps.staking));
  deps.gov.addHooks(dcertGovHooks(keeper, deps.gov));
  registerDcertAmino(app.amino);
  // Circuit breaking: router guard (ante slot 0 + every execution), ProcessProposal check, services.
  const circuit = installCircuitBreaker(app, keeper, deps.gov);
  return {
    name: DCERT_MODULE,
    keeper,
    wireCoordination: (coord) => circuit.breaker.setCoordination(coord),
    register(r: Registrar): void {
      registerMsgServer(r, DCERT_MSG_PACKAGE, DCERT_MODULE, new DcertMsgServer(keeper, circuit.msgCircuitBreak).table());
      registerDcertQueries(r, keeper);
      circuit.registerQueries(r);
    },
    defaultGenesis: () => defaultDcertGenesisJson(),
    validateGenesis(g) {
      validateDcertGenesis(parseDcertGenesis(g));
    },
    initGenesis(ctx: Context, g) {
      const gen = parseDcertGenesis(g);
      validateDcertGenesis(gen);
      initDcertGenesis(ctx, keeper, gen, {
        bondedStakeOf: (c, d) => deps.staking.bondedStakeOf(c, d),
        balance: (c, a, denom) => app.bank.getBalance(c, a, denom).amount,
      });
    },
    exportGenesis: (ctx: Context) => exportDcertGenesis(ctx, keeper),
    beginBlock(ctx: Context): void {
      keeper.payStipends(ctx);
    },
    endBlock(ctx: Context): void {
      keeper.endBlock(ctx);
    },
    checkedTx(msgs: readonly DecodedMsg[], ctx: () => Context): void {
      // A vote in the mempool: its voter's record goes into the election engine now rather than
      // in the EndBlock that counts it (keeper/election.ts, `warm`).
      let voters: string[] | undefined;
      for (const msg of msgs) if (msg.any.typeUrl === MSG_TYPE_URLS.vote) (voters ??= []).push((msg.value as MsgVote).voter);
      if (voters !== undefined) keeper.index.warm(ctx(), voters);
    },
  };
}

import { App, type AppOptions } from "../baseapp/app";
import type { AppModule } from "../baseapp/module";
import { SignatureCache } from "../baseapp/sigcache";
import type { SignatureVerifierPool } from "../baseapp/sigpool";
import { authAnteDecorators, directSignatureItems, FEE_COLLECTOR } from "../x/auth/ante";
import { AuthKeeper, moduleAccountAddress } from "../x/auth/keeper";
import { authModule } from "../x/auth/module";
import { BankKeeper } from "../x/bank/keeper";
import { bankModule } from "../x/bank/module";

/**
 * What the modules after auth and bank are built from: the runtime's routers, amino registry,
 * ProcessProposal checks and gentx path, and the auth and bank keepers. A DcertApp is one; while
 * it is being constructed its module factories get an equivalent object, since the keepers exist
 * before the app does.
 */
export type ModuleHost = Pick<App, "router" | "queries" | "amino" | "proposalTxChecks" | "deliverGenesisTx"> & {
  readonly auth: AuthKeeper;
  readonly bank: BankKeeper;
};

export interface DcertAppOptions extends Omit<AppOptions, "modules" | "anteDecorators"> {
  /** The modules after auth and bank, in begin/end-block and genesis order. */
  readonly modules?: (host: ModuleHost) => AppModule[];
}

/**
 * The runtime App with the auth and bank keepers every other module builds on (the SDK's app.go):
 * the fee collector module account, the auth and bank modules first, the x/auth ante decorators
 * after the route guard, and every declared module account blocked from receiving funds.
 */
export class DcertApp extends App {
  readonly auth: AuthKeeper;
  readonly bank: BankKeeper;
  private readonly sigCache: SignatureCache;

  /** The node-local cache of verified signatures the ante uses. */
  get signatureCache(): SignatureCache {
    return this.sigCache;
  }

  constructor(opts: DcertAppOptions) {
    const auth = new AuthKeeper();
    const bank = new BankKeeper(auth);
    auth.declareModuleAccount(FEE_COLLECTOR);
    const sigCache = new SignatureCache();
    super({
      ...opts,
      modules: (app) => [authModule(auth), bankModule(bank), ...(opts.modules?.(moduleHost(app, auth, bank)) ?? [])],
      anteDecorators: (app) => authAnteDecorators({ auth, bank, amino: app.amino, sigCache }),
    });
    this.auth = auth;
    this.bank = bank;
    this.sigCache = sigCache;
    // Module accounts (declared by the keepers built above) cannot receive funds through MsgSend.
    for (const name of auth.moduleAccounts.keys()) bank.blockAddress(moduleAccountAddress(name));
  }
}

/**
 * Verifies the single-key signatures of incoming CheckTx batches on `pool`'s worker threads
 * before CheckTx runs (it then finds them in the signature cache); undefined turns it off.
 */
export function useSignatureWorkers(app: DcertApp, pool: SignatureVerifierPool | undefined): void {
  app.checkTxPrefetch =
    pool === undefined
      ? undefined
      : (ctx, views) => {
          const items = views.flatMap((v) => (v.signers === undefined ? [] : directSignatureItems(app.auth, ctx, v.tx, v.signers)));
          return items.length === 0 ? undefined : app.signatureCache.preverify(items, pool);
        };
}

function moduleHost(app: App, auth: AuthKeeper, bank: BankKeeper): ModuleHost {
  return {
    router: app.router,
    queries: app.queries,
    amino: app.amino,
    proposalTxChecks: app.proposalTxChecks,
    deliverGenesisTx: (ctx, raw) => app.deliverGenesisTx(ctx, raw),
    auth,
    bank,
  };
}

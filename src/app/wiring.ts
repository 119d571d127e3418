import { APP_VERSION, type App } from "../baseapp/app";
import { developmentBuild, type BuildIdentity } from "../x/upgrade/build";
import { DcertApp, type DcertAppOptions, type ModuleHost } from "./app";
import { DistributionKeeper } from "../x/distribution/keeper";
import { distributionModule } from "../x/distribution/module";
import { MintKeeper } from "../x/mint/keeper";
import { mintModule } from "../x/mint/module";
import type { GovKeeper } from "../x/gov/keeper";
import { genutilModule } from "../x/genutil/module";
import { govModule } from "../x/gov/module";
import type { DcertKeeper } from "../x/dcert/keeper/keeper";
import { dcertModule } from "../x/dcert/module";
import type { CoordKeeper } from "../x/coord/keeper/keeper";
import type { DcertForCoord } from "../x/coord/expected";
import { coordModule } from "../x/coord/module";
import type { AppModule } from "../baseapp/module";
import { StakingKeeper } from "../x/staking/keeper";
import { stakingModule } from "../x/staking/module";
import { SlashingKeeper } from "../x/slashing/keeper";
import { slashingModule } from "../x/slashing/module";
import { EvidenceKeeper } from "../x/evidence/keeper";
import { evidenceModule } from "../x/evidence/module";
import type { VoteExtensionHooks } from "../baseapp/voteext";
import { validatorPubkey } from "../x/staking/records";
import { checkReadinessExtension, ReadinessKeeper, readinessExtensionFor } from "../x/upgrade/readiness";
import type { UpgradeKeeper } from "../x/upgrade/keeper/keeper";
import type { CoordForUpgrade, DcertForUpgrade } from "../x/upgrade/expected";
import { upgradeModule } from "../x/upgrade/module";
import { bindHandlers, upgradeHandlerNames } from "./upgrades";

/** Keepers of the modules after auth and bank (auth and bank live on the DcertApp). */
export interface Keepers {
  readonly staking: StakingKeeper;
  readonly slashing: SlashingKeeper;
  readonly evidence: EvidenceKeeper;
  readonly distribution: DistributionKeeper;
  readonly mint: MintKeeper;
  readonly gov: GovKeeper;
  readonly dcert: DcertKeeper;
  readonly coord: CoordKeeper;
  readonly upgrade: UpgradeKeeper;
}

export interface Wiring {
  readonly keepers: Keepers;
  /** In begin/end-block and genesis order. */
  readonly modules: AppModule[];
  /** Vote extensions: this build's readiness, consensus keys from staking, the readiness tally. */
  readonly voteExtensions?: VoteExtensionHooks;
}

const wired = new WeakMap<App, Keepers>();

/**
 * Builds the modules after auth and bank, in begin/end-block order. Each module's factory gets the
 * host (auth and bank keepers, routers) and returns its AppModule. Mint comes first (the block
 * provision goes to the fee collector), then distribution, so fees of block N and the provision of
 * block N+1 are allocated at the start of block N+1 (validators by last-commit votes, community tax); gov's EndBlock runs before staking's (as in the SDK), so staking changes made by
 * a passed proposal reach CometBFT in the same block; staking's EndBlock returns the validator updates.
 * dCERT comes last: its BeginBlock pays stipends from a pool that already holds the last block's
 * fees, and its EndBlock settles the election after gov executed proposals (slash, disband, params)
 * and staking changed stakes in the same block (its own EndBlock returns no validator updates).
 * Coordination comes right after dCERT: its EndBlock enforces deadlines with the membership the
 * dCERT EndBlock just settled, and its genesis is read before genutil's gentxs.
 * Upgrade comes after coordination: it has no begin/end-block work, its PreBlock (which runs
 * before every module's BeginBlock) applies a due plan with the handlers `build` carries, and its
 * InitGenesis records the version of every module (the app's module list is given to its keeper
 * by `wiredApp`, once the app exists).
 */
export function wireModules(host: ModuleHost, build: BuildIdentity = developmentBuild(APP_VERSION)): Wiring {
  const staking = new StakingKeeper(host.auth, host.bank);
  // Mint, then distribution: the block provision joins the previous block's fees in the fee
  // collector, and distribution allocates both by the last commit's votes (F1 rewards). Its staking
  // hooks keep the rewards of every delegation settled when stake changes.
  const mint = new MintKeeper(host.auth, host.bank, staking);
  const distribution = new DistributionKeeper(host.auth, host.bank, staking);
  staking.addHooks(distribution.hooks());
  // Slashing (liveness from the last commit) and evidence (misbehavior) run their BeginBlock right
  // after distribution allocated the previous block, as in the SDK.
  const slashing = new SlashingKeeper(staking);
  staking.addHooks(slashing.hooks());
  const evidence = new EvidenceKeeper(slashing);
  const gov = govModule(host, staking);
  const dcert = dcertModule(host, { staking, distribution, gov: gov.keeper });
  const readiness = new ReadinessKeeper();
  // A case may wait for 2/3 of voting power to run a build ready for an upgrade plan (reveal gate).
  const coord = coordModule({
    auth: host.auth,
    bank: host.bank,
    amino: host.amino,
    dcert: dcertForCoord(dcert.keeper),
    authority: gov.keeper.authority,
    upgrade: { twoThirdsReady: (ctx, plan) => readiness.twoThirdsReady(ctx, plan) },
  });
  // A circuit break citing a case (MsgCircuitBreak.case_id) records the case's mitigation.
  dcert.wireCoordination(coord.keeper);
  const upgrade = upgradeModule({
    amino: host.amino,
    authority: gov.keeper.authority,
    dcert: dcertForUpgrade(dcert.keeper),
    coord: coordForUpgrade(coord.keeper),
    // Handlers get the keepers when they run (at a plan's height), long after `keepers` exists.
    handlers: bindHandlers(build, () => keepers),
  });
  const keepers: Keepers = { staking, slashing, evidence, distribution, mint, gov: gov.keeper, dcert: dcert.keeper, coord: coord.keeper, upgrade: upgrade.keeper };
  // genutil last: its gentxs run after every other module's InitGenesis (it has no block hooks).
  return {
    keepers,
    voteExtensions: readinessVoteExtensions(build, staking, readiness),
    modules: [mintModule(mint), distributionModule(distribution, host.bank, staking), slashingModule(slashing), evidenceModule(evidence), gov, stakingModule(staking, host.bank), dcert, coord, upgrade, genutilModule(host, staking)],
  };
}

// ---------------------------------------------------------------- vote extensions (readiness)

/**
 * What the runtime needs for vote extensions: this build's readiness extension (app version, build
 * hash, handler names), the readiness shape check, consensus keys from staking (the validator with
 * that consensus address; undefined when unknown or without an ed25519 key) and the readiness tally.
 */
export function readinessVoteExtensions(build: BuildIdentity, staking: StakingKeeper, readiness = new ReadinessKeeper()): VoteExtensionHooks {
  const extension = readinessExtensionFor(build, upgradeHandlerNames(build));
  return {
    extension: () => extension,
    checkExtension: checkReadinessExtension,
    consensusPubkey: (ctx, address) => {
      const v = staking.getValidatorByConsAddr(ctx, address);
      if (v === undefined) return undefined;
      try {
        return validatorPubkey(v);
      } catch {
        return undefined;
      }
    },
    tally: (ctx, commit) => readiness.tally(ctx, commit),
  };
}

/** The dCERT membership the upgrade module's pre-approvals rely on (x/upgrade/expected.ts). */
export function dcertForUpgrade(dcert: DcertKeeper): DcertForUpgrade {
  return {
    isActiveMember: (ctx, address) => dcert.isActiveMember(ctx, address),
    isSuspended: (ctx, address) => dcert.isSuspended(ctx, address),
    disbandPending: (ctx) => dcert.disbandPending(ctx),
    isDisbanded: (ctx) => dcert.isDisbanded(ctx),
    activeMemberCount: (ctx) => dcert.records.members(ctx).filter((m) => dcert.isActiveMember(ctx, m.address)).length,
  };
}

/** The coordination cases a pre-approval may cite (x/upgrade/expected.ts). */
export function coordForUpgrade(coord: CoordKeeper): CoordForUpgrade {
  return { caseExists: (ctx, id) => coord.getCase(ctx, id) !== undefined };
}

/** The dCERT membership the coordination module relies on (x/coord/expected.ts). */
export function dcertForCoord(dcert: DcertKeeper): DcertForCoord {
  return {
    isActiveMember: (ctx, address) => dcert.isActiveMember(ctx, address),
    activeMembers: (ctx) =>
      dcert.records
        .members(ctx)
        .map((m) => m.address)
        .filter((a) => dcert.isActiveMember(ctx, a))
        .sort(),
    disbandPending: (ctx) => dcert.disbandPending(ctx),
    isDisbanded: (ctx) => dcert.isDisbanded(ctx),
  };
}

/** A DcertApp with every module wired in by `wireModules`; `keepersOf(app)` gives their keepers. */
export function wiredApp(opts: Omit<DcertAppOptions, "modules"> & { readonly build?: BuildIdentity }): DcertApp {
  let keepers: Keepers | undefined;
  let voteExtensions: VoteExtensionHooks | undefined;
  const { build, ...appOpts } = opts;
  const app = new DcertApp({
    ...appOpts,
    modules: (host) => {
      const w = wireModules(host, build ?? developmentBuild(APP_VERSION));
      keepers = w.keepers;
      voteExtensions = w.voteExtensions;
      return w.modules;
    },
    voteExtensions: () => voteExtensions,
  });
  if (keepers === undefined) throw new Error("the app was built without its modules");
  // The version map and the migrations cover every module of the app, auth and bank included.
  keepers.upgrade.setModules(() => app.modules);
  wired.set(app, keepers);
  return app;
}

/** The keepers of an app built by `wiredApp` (e.g. by `createApp`). */
export function keepersOf(app: App): Keepers {
  const k = wired.get(app);
  if (k === undefined) throw new Error("this app was not built by wiredApp (use createApp)");
  return k;
}
